import { getopt } from '../sim/kernel/getopt';
import { grepOptions, grepText } from '../sim/kernel/grep';
import type { Program, ProgramContext } from './program';

/**
 * The text tools tutorials pipe kubectl into: echo, grep, head, tail, wc. They read stdin or files
 * of the lab's filesystem, and follow GNU coreutils' output and exit codes.
 */

/** Splits text into lines the way coreutils counts them: a trailing newline does not start a line. */
function lines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const joinLines = (ls: readonly string[]): string => ls.map((l) => `${l}\n`).join('');

/**
 * What a tool reads: its file arguments (from the lab's filesystem) one after another, or stdin
 * when there are none. A missing file is reported the coreutils way and fails the tool.
 */
function readInput(
  ctx: ProgramContext,
  tool: string,
  files: readonly string[],
): { text: string } | { code: number } {
  if (files.length === 0) return { text: ctx.stdin };
  let text = '';
  for (const f of files) {
    const r = ctx.session.files.readFile(f);
    if (!r.ok) {
      ctx.stderr(`${tool}: ${r.error}\n`);
      return { code: tool === 'grep' ? 2 : 1 };
    }
    text += r.value;
  }
  return { text };
}

export const echo: Program = function* (argv, ctx) {
  let args = argv;
  let newline = true;
  if (args[0] === '-n') {
    newline = false;
    args = args.slice(1);
  }
  ctx.stdout(args.join(' ') + (newline ? '\n' : ''));
  return 0;
};

/**
 * `-n 5`, `-n5`, `-5`, `--lines=5` (or `-c 5`, `--bytes=5`: bytes, not lines): the count head and
 * tail take, or an error message.
 */
function lineCount(
  tool: string,
  argv: readonly string[],
): { count: number; files: string[]; bytes: boolean } | string {
  let count = 10;
  let bytes = false;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    let value: string | undefined;
    const byteCount =
      a === '-c'
        ? argv[++i]
        : /^-c\d+$/.test(a)
          ? a.slice(2)
          : a.startsWith('--bytes=')
            ? a.slice(8)
            : undefined;
    if (byteCount !== undefined || a === '-c') {
      if (byteCount === undefined) return `${tool}: option requires an argument -- 'c'`;
      if (!/^\+?\d+$/.test(byteCount)) return `${tool}: invalid number of bytes: '${byteCount}'`;
      count = Number(byteCount.replace('+', ''));
      bytes = true;
      continue;
    }
    if (a === '-n') value = argv[++i];
    else if (a.startsWith('--lines=')) value = a.slice(8);
    else if (/^-n\d+$/.test(a)) value = a.slice(2);
    else if (/^-\d+$/.test(a)) value = a.slice(1);
    else if (a.startsWith('-') && a !== '-') return `${tool}: invalid option -- '${a.replace(/^-+/, '')[0]}'`;
    else {
      files.push(a);
      continue;
    }
    if (value === undefined) return `${tool}: option requires an argument -- 'n'`;
    if (!/^\+?\d+$/.test(value)) return `${tool}: invalid number of lines: '${value}'`;
    count = Number(value.replace('+', ''));
    bytes = false;
  }
  return { count, files, bytes };
}

export const head: Program = function* (argv, ctx) {
  const parsed = lineCount('head', argv);
  if (typeof parsed === 'string') {
    ctx.stderr(`${parsed}\nTry 'head --help' for more information.\n`);
    return 1;
  }
  const input = readInput(ctx, 'head', parsed.files);
  if ('code' in input) return input.code;
  ctx.stdout(
    parsed.bytes ? input.text.slice(0, parsed.count) : joinLines(lines(input.text).slice(0, parsed.count)),
  );
  return 0;
};

export const tail: Program = function* (argv, ctx) {
  const parsed = lineCount('tail', argv);
  if (typeof parsed === 'string') {
    ctx.stderr(`${parsed}\nTry 'tail --help' for more information.\n`);
    return 1;
  }
  const input = readInput(ctx, 'tail', parsed.files);
  if ('code' in input) return input.code;
  if (parsed.bytes) {
    ctx.stdout(parsed.count === 0 ? '' : input.text.slice(-parsed.count));
    return 0;
  }
  const all = lines(input.text);
  ctx.stdout(joinLines(parsed.count === 0 ? [] : all.slice(-parsed.count)));
  return 0;
};

export const wc: Program = function* (argv, ctx) {
  const want = { l: false, w: false, c: false };
  const files: string[] = [];
  for (const a of argv) {
    if (a === '--lines') want.l = true;
    else if (a === '--words') want.w = true;
    else if (a === '--bytes' || a === '--chars') want.c = true;
    else if (/^-[lwcm]+$/.test(a)) {
      for (const f of a.slice(1)) want[f === 'm' ? 'c' : (f as 'l' | 'w' | 'c')] = true;
    } else if (a.startsWith('-')) {
      ctx.stderr(
        `wc: invalid option -- '${a.replace(/^-+/, '')[0]}'\nTry 'wc --help' for more information.\n`,
      );
      return 1;
    } else files.push(a);
  }
  const input = readInput(ctx, 'wc', files);
  if ('code' in input) return input.code;
  if (!want.l && !want.w && !want.c) want.l = want.w = want.c = true;
  const text = input.text;
  const counts: number[] = [];
  if (want.l) counts.push((text.match(/\n/g) ?? []).length);
  if (want.w) counts.push(text.split(/\s+/).filter((w) => w !== '').length);
  if (want.c) counts.push(new TextEncoder().encode(text).length);
  // GNU wc on stdin: a lone count is printed bare; several are right-aligned in 7 columns.
  ctx.stdout(
    counts.length === 1 ? `${counts[0]}\n` : `${counts.map((n) => String(n).padStart(7)).join(' ')}\n`,
  );
  return 0;
};

/** Turns a POSIX basic regular expression into a JavaScript one: `\|`, `\+`, `\(` are the operators there. */
function basicToExtended(bre: string): string {
  let out = '';
  for (let i = 0; i < bre.length; i++) {
    const ch = bre[i] as string;
    if (ch === '\\' && i + 1 < bre.length) {
      const next = bre[++i] as string;
      out += '|+?(){}'.includes(next) ? next : `\\${next}`;
    } else out += '|+?(){}'.includes(ch) ? `\\${ch}` : ch;
  }
  return out;
}

/** GNU grep's long options this grep knows, as their short letters. */
const GREP_LONG: Readonly<Record<string, string>> = {
  '--ignore-case': '-i',
  '--invert-match': '-v',
  '--count': '-c',
  '--extended-regexp': '-E',
  '--fixed-strings': '-F',
  '--word-regexp': '-w',
  '--line-number': '-n',
  '--only-matching': '-o',
  '--quiet': '-q',
  '--silent': '-q',
};
const GREP_HELP = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n";

/** GNU grep: -i -v -c -E -F -w -n -o -q, -e PATTERN, and -A/-B/-C context with "--" between groups. */
export const grep: Program = function* (argv, ctx) {
  const args: string[] = [];
  for (const a of argv) {
    if (a.startsWith('--') && a !== '--' && !GREP_LONG[a] && !/^--(after-|before-)?context=/.test(a)) {
      ctx.stderr(`grep: unrecognized option '${a}'\n${GREP_HELP}`);
      return 2;
    }
    const context = /^--(after|before)-context=(.*)$/.exec(a) ?? /^--context=(.*)$/.exec(a);
    if (context)
      args.push(
        a.startsWith('--after') ? '-A' : a.startsWith('--before') ? '-B' : '-C',
        context[context.length - 1] as string,
      );
    else args.push(GREP_LONG[a] ?? a);
  }
  const r = getopt(args, 'ABCe', 'ivcEFwnoqsH');
  if ('bad' in r) {
    ctx.stderr(
      r.missing
        ? `grep: option requires an argument -- '${r.bad}'\n${GREP_HELP}`
        : `grep: invalid option -- '${r.bad}'\n${GREP_HELP}`,
    );
    return 2;
  }
  const o = grepOptions(r.opts, r.files);
  if ('badNumber' in o) {
    ctx.stderr(`grep: ${o.badNumber}: invalid context length argument\n`);
    return 2;
  }
  if ('noPattern' in o) {
    ctx.stderr(GREP_HELP);
    return 2;
  }
  // GNU grep reads the files after the pattern (several, not one), and basic regular expressions
  // unless -E or -F.
  const files = r.files.slice(typeof r.opts.get('e') === 'string' ? 0 : 1);
  const input = readInput(ctx, 'grep', files);
  if ('code' in input) return input.code;
  // Several -e patterns match when any does (getopt keeps the last; they are gathered here).
  const given: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '-e' && i + 1 < args.length) given.push(args[++i] as string);
    else if (/^-e./.test(a)) given.push(a.slice(2));
  }
  const source = (p: string): string =>
    o.fixed ? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : r.opts.has('E') ? p : basicToExtended(p);
  const out =
    given.length > 1
      ? grepText(
          { ...o, pattern: given.map((p) => `(?:${source(p)})`).join('|'), fixed: false, file: undefined },
          input.text,
        )
      : grepText({ ...o, pattern: o.fixed ? o.pattern : source(o.pattern), file: undefined }, input.text);
  if ('error' in out) {
    ctx.stderr(`${out.error}\n`);
    return 2;
  }
  ctx.stdout(out.stdout);
  return out.code;
};
