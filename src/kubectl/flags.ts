/**
 * Command-line flags the way spf13/pflag parses them for kubectl: `--name=v`, `--name v`, `-n v`,
 * `-nv`, `-n=v`, bool flags without a value, combined short bools (`-Aw`), `--` ending flags, and
 * flags interspersed with arguments. Errors carry pflag's exact wording.
 */
export type FlagType = 'bool' | 'string' | 'int' | 'stringArray';

export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  readonly type: FlagType;
  readonly usage: string;
  readonly defaultValue?: string;
}

export type FlagValue = string | boolean | number | string[];

export interface ParsedFlags {
  readonly values: ReadonlyMap<string, FlagValue>;
  readonly args: readonly string[];
}

export type ParseResult = { ok: true; parsed: ParsedFlags } | { ok: false; error: string };

export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParseResult {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const values = new Map<string, FlagValue>();
  const args: string[] = [];

  const set = (spec: FlagSpec, raw: string, shown: string): string | undefined => {
    switch (spec.type) {
      case 'bool': {
        if (!['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False', 'T', 'F'].includes(raw))
          return `invalid argument "${raw}" for "${shown}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`;
        values.set(spec.name, ['true', '1', 't', 'TRUE', 'True', 'T'].includes(raw));
        return undefined;
      }
      case 'int': {
        if (!/^[+-]?\d+$/.test(raw))
          return `invalid argument "${raw}" for "${shown}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`;
        values.set(spec.name, Number(raw));
        return undefined;
      }
      case 'stringArray': {
        const prev = (values.get(spec.name) as string[] | undefined) ?? [];
        values.set(spec.name, [...prev, raw]);
        return undefined;
      }
      default:
        values.set(spec.name, raw);
        return undefined;
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const spec = byName.get(name);
      if (!spec) return { ok: false, error: `unknown flag: --${name}` };
      const shown = spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
      let raw: string;
      if (eq >= 0) raw = a.slice(eq + 1);
      else if (spec.type === 'bool') raw = 'true';
      else if (i + 1 < argv.length) raw = argv[++i]!;
      else return { ok: false, error: `flag needs an argument: --${name}` };
      const err = set(spec, raw, shown);
      if (err) return { ok: false, error: err };
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // A run of shorthand flags: bools may be combined, the first value-taking one eats the rest.
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const spec = byShort.get(c);
        if (!spec) return { ok: false, error: `unknown shorthand flag: '${c}' in ${a}` };
        const shown = `-${spec.short}, --${spec.name}`;
        if (spec.type === 'bool') {
          if (a[j + 1] === '=') {
            const err = set(spec, a.slice(j + 2), shown);
            if (err) return { ok: false, error: err };
            break;
          }
          values.set(spec.name, true);
          continue;
        }
        let raw: string;
        if (j + 1 < a.length) raw = a[j + 1] === '=' ? a.slice(j + 2) : a.slice(j + 1);
        else if (i + 1 < argv.length) raw = argv[++i]!;
        else return { ok: false, error: `flag needs an argument: '${c}' in -${c}` };
        const err = set(spec, raw, shown);
        if (err) return { ok: false, error: err };
        break;
      }
      continue;
    }
    args.push(a);
  }
  for (const s of specs)
    if (!values.has(s.name) && s.defaultValue !== undefined) set(s, s.defaultValue, s.name);
  return { ok: true, parsed: { values, args } };
}

export function flagString(p: ParsedFlags, name: string): string | undefined {
  const v = p.values.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagBool(p: ParsedFlags, name: string): boolean {
  return p.values.get(name) === true;
}
