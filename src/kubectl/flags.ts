/**
 * Command-line flags the way spf13/pflag parses them for kubectl: `--name=v`, `--name v`, `-n v`,
 * `-nv`, `-n=v`, bool flags without a value, combined short bools (`-Aw`), `--` ending flags, and
 * flags interspersed with arguments. Errors carry pflag's exact wording.
 */
export type FlagType = 'bool' | 'string' | 'int' | 'stringArray' | 'stringSlice';

export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  readonly type: FlagType;
  readonly usage: string;
  readonly defaultValue?: string;
  /**
   * pflag's NoOptDefVal: the value a flag takes when given without `=value` (`--dry-run` means
   * `--dry-run=unchanged`). Such a flag never consumes the next argument. Bool flags have "true".
   */
  readonly noOptDefault?: string;
  /** The default as help shows it, when Go's flag type prints it differently (`5s`, not `'5s'`). */
  readonly shownDefault?: string;
  /** Accepted and parsed but not shown in help (pflag's Hidden). */
  readonly hidden?: boolean;
}

export type FlagValue = string | boolean | number | string[];

export interface ParsedFlags {
  readonly values: ReadonlyMap<string, FlagValue>;
  readonly args: readonly string[];
  /** Flags set on the command line (pflag's `Changed`), as opposed to defaulted. */
  readonly changed?: ReadonlySet<string>;
  /** How many arguments came before `--` (cobra's ArgsLenAtDash), or -1 without `--`. */
  readonly argsLenAtDash?: number;
}

export type ParseResult = { ok: true; parsed: ParsedFlags } | { ok: false; error: string };

const TRUE_WORDS = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const FALSE_WORDS = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParseResult {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const values = new Map<string, FlagValue>();
  const changed = new Set<string>();
  const args: string[] = [];
  let argsLenAtDash = -1;

  const set = (spec: FlagSpec, raw: string, shown: string): string | undefined => {
    switch (spec.type) {
      case 'bool': {
        if (![...TRUE_WORDS, ...FALSE_WORDS].includes(raw))
          return `invalid argument "${raw}" for "${shown}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`;
        values.set(spec.name, TRUE_WORDS.includes(raw));
        return undefined;
      }
      case 'int': {
        if (!/^[+-]?\d+$/.test(raw))
          return `invalid argument "${raw}" for "${shown}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`;
        values.set(spec.name, Number(raw));
        return undefined;
      }
      case 'stringArray': {
        const prev = changed.has(spec.name) ? ((values.get(spec.name) as string[] | undefined) ?? []) : [];
        values.set(spec.name, [...prev, raw]);
        return undefined;
      }
      case 'stringSlice': {
        // pflag reads a slice flag as one CSV record per occurrence, and appends occurrences.
        const prev = changed.has(spec.name) ? ((values.get(spec.name) as string[] | undefined) ?? []) : [];
        values.set(spec.name, [...prev, ...(raw === '' ? [] : raw.split(','))]);
        return undefined;
      }
      default:
        values.set(spec.name, raw);
        return undefined;
    }
  };
  const setChanged = (spec: FlagSpec, raw: string, shown: string): string | undefined => {
    const err = set(spec, raw, shown);
    changed.add(spec.name);
    return err;
  };
  const noOpt = (spec: FlagSpec): string | undefined => (spec.type === 'bool' ? 'true' : spec.noOptDefault);

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      argsLenAtDash = args.length;
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const body = a.slice(2);
      if (body.startsWith('-') || body.startsWith('=')) return { ok: false, error: `bad flag syntax: ${a}` };
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      const spec = byName.get(name);
      if (!spec) return { ok: false, error: `unknown flag: --${name}` };
      const shown = spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
      let raw: string;
      const implied = noOpt(spec);
      if (eq >= 0) raw = body.slice(eq + 1);
      else if (implied !== undefined) raw = implied;
      else if (i + 1 < argv.length) raw = argv[++i]!;
      else return { ok: false, error: `flag needs an argument: --${name}` };
      const err = setChanged(spec, raw, shown);
      if (err) return { ok: false, error: err };
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // A run of shorthand flags (pflag's parseSingleShortArg): bools may be combined; a
      // value-taking flag eats the rest of the run, or the next argument.
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const rest = a.slice(j);
        const spec = byShort.get(c);
        if (!spec) return { ok: false, error: `unknown shorthand flag: '${c}' in -${rest}` };
        const shown = `-${spec.short}, --${spec.name}`;
        const implied = noOpt(spec);
        let raw: string;
        let consumedRun = true;
        if (rest.length > 2 && rest[1] === '=') raw = rest.slice(2);
        else if (implied !== undefined) {
          raw = implied;
          consumedRun = false;
        } else if (rest.length > 1) raw = rest.slice(1);
        else if (i + 1 < argv.length) raw = argv[++i]!;
        else return { ok: false, error: `flag needs an argument: '${c}' in -${rest}` };
        const err = setChanged(spec, raw, shown);
        if (err) return { ok: false, error: err };
        if (consumedRun) break;
      }
      continue;
    }
    args.push(a);
  }
  for (const s of specs)
    if (!values.has(s.name) && s.defaultValue !== undefined) set(s, s.defaultValue, s.name);
  return { ok: true, parsed: { values, args, changed, argsLenAtDash } };
}

export function flagString(p: ParsedFlags, name: string): string | undefined {
  const v = p.values.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagBool(p: ParsedFlags, name: string): boolean {
  return p.values.get(name) === true;
}

export function flagInt(p: ParsedFlags, name: string): number | undefined {
  const v = p.values.get(name);
  return typeof v === 'number' ? v : undefined;
}

export function flagList(p: ParsedFlags, name: string): string[] {
  const v = p.values.get(name);
  return Array.isArray(v) ? v : [];
}
