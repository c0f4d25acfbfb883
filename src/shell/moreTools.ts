import { getopt } from '../sim/kernel/getopt';
import type { Program, ProgramContext } from './program';

/**
 * More of the text tools tutorials pipe kubectl into: sort, uniq, cut, tr, column, base64 and a
 * small awk. Each reads stdin or files of the lab's filesystem and follows GNU coreutils (and
 * procps / util-linux / gawk) output and error messages for the options it knows.
 */

function lines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const joinLines = (ls: readonly string[]): string => ls.map((l) => `${l}\n`).join('');

function readInput(ctx: ProgramContext, tool: string, files: readonly string[]): string | undefined {
  if (files.length === 0 || (files.length === 1 && files[0] === '-')) return ctx.stdin;
  let text = '';
  for (const f of files) {
    const r = ctx.session.files.readFile(f);
    if (!r.ok) {
      ctx.stderr(`${tool}: ${r.error}\n`);
      return undefined;
    }
    text += r.value;
  }
  return text;
}

function usageError(ctx: ProgramContext, tool: string, message: string): number {
  ctx.stderr(`${tool}: ${message}\nTry '${tool} --help' for more information.\n`);
  return 1;
}

function optionError(ctx: ProgramContext, tool: string, r: { bad: string; missing?: boolean }): number {
  return usageError(
    ctx,
    tool,
    r.missing ? `option requires an argument -- '${r.bad}'` : `invalid option -- '${r.bad}'`,
  );
}

// ---- sort ----

/** GNU sort -n: a leading number (sign, digits, one decimal point); anything else counts as 0. */
function numericPrefix(s: string): number {
  const m = /^\s*(-?\d*\.?\d+|-?\d+\.?)/.exec(s);
  return m ? Number(m[1]) : 0;
}

export const sort: Program = function* (argv, ctx) {
  const r = getopt(argv, 'kt', 'nrufbh');
  if ('bad' in r) return optionError(ctx, 'sort', r);
  const { opts, files } = r;
  const sep = opts.get('t');
  if (typeof sep === 'string' && sep.length !== 1) return usageError(ctx, 'sort', 'multi-character tab');
  let keyField: number | undefined;
  const k = opts.get('k');
  if (typeof k === 'string') {
    const m = /^(\d+)(?:\.\d+)?[nrb]*(?:,(\d+)(?:\.\d+)?[nrb]*)?$/.exec(k);
    if (!m || Number(m[1]) === 0)
      return usageError(ctx, 'sort', `invalid number at field start: invalid count at start of '${k}'`);
    keyField = Number(m[1]);
    if (/n/.test(k)) opts.set('n', true);
    if (/r/.test(k)) opts.set('r', true);
  }
  const text = readInput(ctx, 'sort', files);
  if (text === undefined) return 2;
  const keyOf = (line: string): string => {
    if (keyField === undefined) return line;
    if (typeof sep === 'string')
      return line
        .split(sep)
        .slice(keyField - 1)
        .join(sep);
    // Without -t, fields start at each run of blanks (which belong to the field that follows).
    const fields = line.match(/\s*\S+/g) ?? [];
    return fields.slice(keyField - 1).join('');
  };
  const numeric = opts.has('n') || opts.has('h');
  const fold = opts.has('f');
  const cmp = (a: string, b: string): number => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    let c = 0;
    if (numeric) c = numericPrefix(ka) - numericPrefix(kb);
    else {
      const x = fold ? ka.toUpperCase() : ka;
      const y = fold ? kb.toUpperCase() : kb;
      c = x < y ? -1 : x > y ? 1 : 0;
    }
    // GNU's last-resort comparison: the whole line, bytewise.
    if (c === 0 && !opts.has('u')) c = a < b ? -1 : a > b ? 1 : 0;
    return c;
  };
  let out = lines(text).sort(cmp);
  if (opts.has('r')) out.reverse();
  if (opts.has('u')) out = out.filter((l, i) => i === 0 || cmp(out[i - 1] as string, l) !== 0);
  ctx.stdout(joinLines(out));
  return 0;
};

// ---- uniq ----

export const uniq: Program = function* (argv, ctx) {
  const r = getopt(argv, '', 'cdui');
  if ('bad' in r) return optionError(ctx, 'uniq', r);
  const { opts, files } = r;
  const text = readInput(ctx, 'uniq', files.slice(0, 1));
  if (text === undefined) return 1;
  const same = (a: string, b: string): boolean =>
    opts.has('i') ? a.toLowerCase() === b.toLowerCase() : a === b;
  const groups: { line: string; n: number }[] = [];
  for (const l of lines(text)) {
    const last = groups[groups.length - 1];
    if (last && same(last.line, l)) last.n++;
    else groups.push({ line: l, n: 1 });
  }
  const kept = groups.filter((g) => (opts.has('d') ? g.n > 1 : opts.has('u') ? g.n === 1 : true));
  ctx.stdout(joinLines(kept.map((g) => (opts.has('c') ? `${String(g.n).padStart(7)} ${g.line}` : g.line))));
  return 0;
};

// ---- cut ----

/** `1,3`, `2-`, `-2`, `1-3`: a predicate on 1-based positions, or an error message. */
function parseList(list: string): ((n: number) => boolean) | string {
  const ranges: [number, number][] = [];
  for (const part of list.split(',')) {
    const m = /^(\d*)(-?)(\d*)$/.exec(part);
    if (!m || part === '' || part === '-') return `invalid field range`;
    const from = m[1] === '' ? 1 : Number(m[1]);
    const to = m[2] === '' ? from : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
    if (from === 0 || to === 0) return 'fields and positions are numbered from 1';
    if (to < from) return 'invalid decreasing range';
    ranges.push([from, to]);
  }
  return (n) => ranges.some(([a, b]) => n >= a && n <= b);
}

export const cut: Program = function* (argv, ctx) {
  const r = getopt(argv, 'dfcb', 's');
  if ('bad' in r) return optionError(ctx, 'cut', r);
  const { opts, files } = r;
  const fields = opts.get('f');
  const chars = opts.get('c') ?? opts.get('b');
  if (fields === undefined && chars === undefined)
    return usageError(ctx, 'cut', 'you must specify a list of bytes, characters, or fields');
  if (fields !== undefined && chars !== undefined)
    return usageError(ctx, 'cut', 'only one type of list may be specified');
  const delim = opts.get('d');
  if (typeof delim === 'string' && [...delim].length !== 1)
    return usageError(ctx, 'cut', 'the delimiter must be a single character');
  if (delim !== undefined && fields === undefined)
    return usageError(ctx, 'cut', 'an input delimiter may be specified only when operating on fields');
  const pick = parseList(String(fields ?? chars));
  if (typeof pick === 'string') return usageError(ctx, 'cut', pick);
  const text = readInput(ctx, 'cut', files);
  if (text === undefined) return 1;
  const d = typeof delim === 'string' ? delim : '\t';
  const out: string[] = [];
  for (const l of lines(text)) {
    if (fields !== undefined) {
      if (!l.includes(d)) {
        if (!opts.has('s')) out.push(l);
        continue;
      }
      out.push(
        l
          .split(d)
          .filter((_, i) => pick(i + 1))
          .join(d),
      );
    } else out.push([...l].filter((_, i) => pick(i + 1)).join(''));
  }
  ctx.stdout(joinLines(out));
  return 0;
};

// ---- tr ----

/** tr's SET syntax: ranges `a-z`, classes `[:upper:]`, escapes `\n`. */
function expandSet(set: string): string[] {
  const classes: Record<string, string> = {
    upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    lower: 'abcdefghijklmnopqrstuvwxyz',
    digit: '0123456789',
    space: ' \t\n\r\v\f',
    blank: ' \t',
    alpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    alnum: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    punct: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  };
  const chars: string[] = [];
  const src = set.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\\\/g, '\\');
  for (let i = 0; i < src.length; i++) {
    const cls = /^\[:(\w+):\]/.exec(src.slice(i));
    if (cls && classes[cls[1] as string]) {
      chars.push(...(classes[cls[1] as string] as string));
      i += cls[0].length - 1;
      continue;
    }
    const c = src[i] as string;
    const next = src[i + 2];
    if (src[i + 1] === '-' && next !== undefined) {
      for (let x = c.charCodeAt(0); x <= next.charCodeAt(0); x++) chars.push(String.fromCharCode(x));
      i += 2;
    } else chars.push(c);
  }
  return chars;
}

export const tr: Program = function* (argv, ctx) {
  const r = getopt(argv, '', 'ds');
  if ('bad' in r) return optionError(ctx, 'tr', r);
  const { opts, files: sets } = r;
  const del = opts.has('d');
  const squeeze = opts.has('s');
  if (sets.length === 0) return usageError(ctx, 'tr', 'missing operand');
  if (!del && !squeeze && sets.length < 2)
    return usageError(
      ctx,
      'tr',
      `missing operand after '${sets[0]}'\nTwo strings must be given when translating.`,
    );
  if (sets.length > (del && !squeeze ? 1 : 2))
    return usageError(ctx, 'tr', `extra operand '${sets[del ? 1 : 2]}'`);
  const set1 = expandSet(sets[0] as string);
  const set2 = sets[1] !== undefined ? expandSet(sets[1]) : [];
  let out = '';
  for (const c of ctx.stdin) {
    if (del) {
      if (!set1.includes(c)) out += c;
      continue;
    }
    const idx = set1.indexOf(c);
    out += idx >= 0 && set2.length > 0 ? (set2[Math.min(idx, set2.length - 1)] as string) : c;
  }
  if (squeeze) {
    const sq = new Set(set2.length > 0 ? set2 : set1);
    let s = '';
    for (const c of out) if (!(sq.has(c) && s.endsWith(c))) s += c;
    out = s;
  }
  ctx.stdout(out);
  return 0;
};

// ---- column ----

export const column: Program = function* (argv, ctx) {
  const r = getopt(argv, 's', 't');
  if ('bad' in r) {
    ctx.stderr(`column: invalid option -- '${r.bad}'\nTry 'column --help' for more information.\n`);
    return 1;
  }
  const { opts, files } = r;
  const text = readInput(ctx, 'column', files);
  if (text === undefined) return 1;
  if (!opts.has('t')) {
    ctx.stdout(text);
    return 0;
  }
  const sep = opts.get('s');
  const rows = lines(text)
    .filter((l) => l.trim() !== '')
    .map((l) =>
      typeof sep === 'string'
        ? l.split(new RegExp(`[${sep.replace(/[\]\\^-]/g, '\\$&')}]`))
        : l.trim().split(/\s+/),
    );
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, c.length);
    });
  }
  // util-linux column -t: two spaces between columns, the last column not padded.
  ctx.stdout(
    joinLines(
      rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')),
    ),
  );
  return 0;
};

// ---- base64 ----

export const base64: Program = function* (rawArgv, ctx) {
  const argv = rawArgv.flatMap((a) =>
    a === '--decode' ? ['-d'] : a.startsWith('--wrap=') ? ['-w', a.slice(7)] : [a],
  );
  const r = getopt(argv, 'w', 'di');
  if ('bad' in r) return optionError(ctx, 'base64', r);
  const { opts, files } = r;
  const decode = opts.has('d');
  if (files.length > 1) return usageError(ctx, 'base64', `extra operand '${files[1]}'`);
  const text = readInput(ctx, 'base64', files);
  if (text === undefined) return 1;
  if (decode) {
    const clean = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
      ctx.stderr('base64: invalid input\n');
      return 1;
    }
    const bin = atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, '='));
    ctx.stdout(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
    return 0;
  }
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  const encoded = btoa(bin);
  const wrap = Number(opts.get('w') ?? 76);
  if (!Number.isInteger(wrap) || wrap < 0)
    return usageError(ctx, 'base64', `invalid wrap size: '${opts.get('w')}'`);
  const chunks = wrap === 0 ? [encoded] : (encoded.match(new RegExp(`.{1,${wrap}}`, 'g')) ?? []);
  ctx.stdout(encoded === '' ? '' : joinLines(chunks));
  return 0;
};

// ---- awk ----

interface AwkProgram {
  readonly pattern?: (nr: number, fields: readonly string[], line: string) => boolean;
  readonly print: readonly string[];
}

const AWK_LIMIT = 'awk: this lab\'s awk knows only [NR>N|/regex/] { print $N, $M, $NF, "text" } (and -F SEP)';

/** Parses the subset: an optional pattern (`NR>1`, `NR==2`, `/re/`, `$3=="x"`) and `{print ...}`. */
function parseAwk(src: string): AwkProgram | undefined {
  const m = /^\s*(.*?)\s*(?:\{\s*(print\b[^}]*)?\s*;?\s*\})?\s*$/s.exec(src);
  if (!m) return undefined;
  const [, pat = '', body] = m;
  if (body === undefined && pat === '') return undefined;
  let pattern: AwkProgram['pattern'];
  if (pat !== '') {
    const nr = /^NR\s*(==|!=|>=|<=|>|<)\s*(\d+)$/.exec(pat);
    const re = /^\/(.*)\/$/.exec(pat);
    const fieldEq = /^\$(\d+|NF)\s*(==|!=)\s*"([^"]*)"$/.exec(pat);
    if (nr) {
      const n = Number(nr[2]);
      const ops: Record<string, (a: number) => boolean> = {
        '==': (a) => a === n,
        '!=': (a) => a !== n,
        '>=': (a) => a >= n,
        '<=': (a) => a <= n,
        '>': (a) => a > n,
        '<': (a) => a < n,
      };
      const op = ops[nr[1] as string] as (a: number) => boolean;
      pattern = (row) => op(row);
    } else if (re) {
      let regex: RegExp;
      try {
        regex = new RegExp(re[1] as string);
      } catch {
        return undefined;
      }
      pattern = (_nr, _f, line) => regex.test(line);
    } else if (fieldEq) {
      const [, which, op, text] = fieldEq;
      pattern = (_nr, f, line) => {
        const v =
          which === 'NF' ? (f[f.length - 1] ?? '') : which === '0' ? line : (f[Number(which) - 1] ?? '');
        return (v === text) === (op === '==');
      };
    } else return undefined;
  }
  const items: string[] = [];
  const args = (body ?? 'print').replace(/^print\s*/, '').trim();
  if (args !== '') {
    const re = /\s*("(?:[^"\\]|\\.)*"|\$(?:\d+|NF|\(NF-\d+\))|NR|NF)\s*(,|$|(?=[$"]))/gy;
    let pos = 0;
    while (pos < args.length) {
      re.lastIndex = pos;
      const t = re.exec(args);
      if (!t || t[0] === '') return undefined;
      items.push(t[1] as string);
      if (t[2] === ',') items.push(',');
      pos = re.lastIndex;
    }
  }
  return { ...(pattern ? { pattern } : {}), print: items };
}

export const awk: Program = function* (argv, ctx) {
  let sep: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-F') {
      sep = argv[++i];
      if (sep === undefined) {
        ctx.stderr('awk: option requires an argument -- F\n');
        return 2;
      }
    } else if (a.startsWith('-F')) sep = a.slice(2);
    else if (a.startsWith('-') && a !== '-' && rest.length === 0) {
      ctx.stderr(`awk: not an option: ${a}\n${AWK_LIMIT}\n`);
      return 2;
    } else rest.push(a);
  }
  const [source, ...files] = rest;
  if (source === undefined) {
    ctx.stderr("usage: awk [-F fs] 'program' [file ...]\n");
    return 2;
  }
  const prog = parseAwk(source);
  if (!prog) {
    ctx.stderr(`awk: cmd. line:1: ${source}\n${AWK_LIMIT}\n`);
    return 2;
  }
  const text = readInput(ctx, 'awk', files);
  if (text === undefined) return 2;
  const split = (line: string): string[] =>
    sep === undefined || sep === ' '
      ? line
          .trim()
          .split(/\s+/)
          .filter((f) => f !== '')
      : sep === '\\t' || sep === 't'
        ? line.split('\t')
        : sep.length === 1
          ? line.split(sep)
          : line.split(new RegExp(sep));
  const ofs = ' ';
  let out = '';
  lines(text).forEach((line, idx) => {
    const nr = idx + 1;
    const f = split(line);
    if (prog.pattern && !prog.pattern(nr, f, line)) return;
    if (prog.print.length === 0) {
      out += `${line}\n`;
      return;
    }
    let s = '';
    for (const item of prog.print) {
      if (item === ',') s += ofs;
      else if (item.startsWith('"')) s += JSON.parse(item) as string;
      else if (item === 'NR') s += String(nr);
      else if (item === 'NF') s += String(f.length);
      else if (item === '$0') s += line;
      else if (item === '$NF') s += f[f.length - 1] ?? '';
      else if (item.startsWith('$(NF-')) s += f[f.length - 1 - Number(item.slice(5, -1))] ?? '';
      else s += f[Number(item.slice(1)) - 1] ?? '';
    }
    out += `${s}\n`;
  });
  ctx.stdout(out);
  return 0;
};
