import { getopt } from './getopt';

/** grep on text: busybox's options, and the lines it prints with context (the container's exec, its log shell and the terminal's GNU grep share the matching). */

export const GREP_USAGE =
  'Usage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n';

export interface GrepOptions {
  readonly pattern: string;
  readonly file: string | undefined;
  readonly ignoreCase: boolean;
  readonly invert: boolean;
  readonly count: boolean;
  readonly number: boolean;
  readonly quiet: boolean;
  readonly only: boolean;
  readonly word: boolean;
  readonly fixed: boolean;
  readonly after: number;
  readonly before: number;
}

/** busybox grep's options: letters that combine (`-in`), -A/-B/-C/-e with their value attached or next. */
export function parseGrep(args: readonly string[]): GrepOptions | { error: string } {
  const r = getopt(args, 'ABCe', 'ivcnqowFEsH');
  if ('bad' in r)
    return {
      error: r.missing
        ? `grep: option requires an argument -- '${r.bad}'`
        : `grep: invalid option -- '${r.bad}'`,
    };
  const o = grepOptions(r.opts, r.files);
  if ('badNumber' in o) return { error: `grep: invalid number '${o.badNumber}'` };
  if ('noPattern' in o) return { error: 'grep: no pattern' };
  return o;
}

/**
 * The options getopt found for a grep (busybox's or GNU's): the pattern (-e, or the first word)
 * and file, the flags, and -A/-B/-C; or the context count that is not a number, or no pattern.
 */
export function grepOptions(
  opts: ReadonlyMap<string, string | true>,
  words: readonly string[],
): GrepOptions | { badNumber: string } | { noPattern: true } {
  // -A/-B/-C take a count: undefined when absent, NaN when not a number.
  const num = (f: string): number | undefined => {
    const v = opts.get(f);
    return v === undefined ? undefined : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : Number.NaN;
  };
  const bad = ['A', 'B', 'C'].find((f) => Number.isNaN(num(f)));
  if (bad) return { badNumber: String(opts.get(bad)) };
  const context = num('C') ?? 0;
  const e = opts.get('e');
  const [pattern, file] = typeof e === 'string' ? [e, words[0]] : words;
  if (pattern === undefined) return { noPattern: true };
  return {
    pattern,
    file,
    ignoreCase: opts.has('i'),
    invert: opts.has('v'),
    count: opts.has('c'),
    number: opts.has('n'),
    quiet: opts.has('q'),
    only: opts.has('o'),
    word: opts.has('w'),
    fixed: opts.has('F'),
    after: num('A') ?? context,
    before: num('B') ?? context,
  };
}

/** The lines grep prints for `text` (with -A/-B/-C context, -n numbers, -o matches, -c a count) and its exit code. */
export function grepText(o: GrepOptions, text: string): { stdout: string; code: number } | { error: string } {
  let re: RegExp;
  try {
    const source = o.fixed ? o.pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : o.pattern;
    re = new RegExp(o.word ? `(?<![\\w])(?:${source})(?![\\w])` : source, o.ignoreCase ? 'gi' : 'g');
  } catch {
    return { error: 'grep: Unmatched ( or \\(' };
  }
  const lines = text.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');
  const hit = lines.map((l) => {
    re.lastIndex = 0;
    return re.test(l) !== o.invert;
  });
  const hits = hit.filter(Boolean).length;
  const code = hits > 0 ? 0 : 1;
  if (o.quiet) return { stdout: '', code };
  if (o.count) return { stdout: `${hits}\n`, code };
  // Matching lines with their context (-A/-B/-C), groups that do not touch split by "--".
  let out = '';
  let lastShown = -1;
  lines.forEach((line, i) => {
    const near = hit.slice(Math.max(0, i - o.after), i + o.before + 1).some(Boolean);
    if (!hit[i] && !near) return;
    if (lastShown >= 0 && i > lastShown + 1 && (o.after > 0 || o.before > 0)) out += '--\n';
    lastShown = i;
    const prefix = o.number ? `${i + 1}${hit[i] ? ':' : '-'}` : '';
    if (o.only && hit[i] && !o.invert) {
      re.lastIndex = 0;
      for (const m of line.matchAll(re)) out += `${prefix}${m[0]}\n`;
    } else out += `${prefix}${line}\n`;
  });
  return { stdout: out, code };
}
