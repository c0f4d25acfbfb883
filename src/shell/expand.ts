import type { Task } from '../sim/kernel/task';
import { ArithError, type ArithVars, evalArith } from './arith';
import { escapeGlob, globPaths, hasGlob, patternRegExp, patternSource, unescapeGlob } from './glob';
import { EXPANSION_MARK, type Expansion, scanExpansion } from './parse';
import type { ShellAccess } from './program';
import { HOME, type VirtualFs } from './vfs';

/**
 * Word expansion as bash does it when a command runs: parameters (`$X`, `${X:-word}`, `${#X}`,
 * `${X%pattern}`, `${X/pat/rep}`, `${X:1:2}` …), `$(…)`, `$((…))`, `~`, then field splitting of
 * unquoted results and pathname expansion against the lab's filesystem.
 */

/** An expansion that fails (`bad substitution`, `division by 0`, `${X:?}`): the line stops here. */
export class ExpansionError extends Error {}

/** Part of an expansion's result; unquoted text is split into fields and may be a pattern. */
export interface Piece {
  readonly text: string;
  readonly quoted: boolean;
}

export interface ShellVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

export interface ExpandContext {
  readonly vars: ShellVars;
  readonly files: VirtualFs;
  readonly shell: ShellAccess;
  stderr(text: string): void;
  /** `$?`. */
  readonly status: number;
  /** The status of the last `$(…)` run while expanding (a bare assignment's status). */
  substStatus?: number;
}

/** How a word is used: a command's argument (split and globbed), an assignment's value or a redirection's file. */
export type WordMode = 'argv' | 'assign' | 'redirect';

const join = (pieces: readonly Piece[]): string => pieces.map((p) => p.text).join('');

/** A parameter's value; undefined when unset. */
function lookup(name: string, ctx: ExpandContext): string | undefined {
  if (name === '?') return String(ctx.status);
  if (name === '#') return '0';
  if (name === '0') return 'bash';
  if (/^[0-9]+$/.test(name) || name === '@' || name === '*') return undefined;
  const v = ctx.vars.get(name);
  if (v === undefined && name === 'PWD') return ctx.files.cwd;
  return v;
}

function arithVars(ctx: ExpandContext): ArithVars {
  return { get: (n) => lookup(n, ctx), set: (n, v) => ctx.vars.set(n, v) };
}

function arith(text: string, ctx: ExpandContext): bigint {
  try {
    return evalArith(text, arithVars(ctx));
  } catch (e) {
    if (e instanceof ArithError) throw new ExpansionError(`bash: ${e.message}`);
    throw e;
  }
}

/** Expands one expansion of a parsed line into pieces. */
export function* expandExpansion(e: Expansion, ctx: ExpandContext): Task<Piece[]> {
  switch (e.kind) {
    case 'var':
      return [{ text: lookup(e.name, ctx) ?? '', quoted: e.quoted }];
    case 'tilde':
      return [{ text: ctx.vars.get('HOME') ?? HOME, quoted: true }];
    case 'bad':
      throw new ExpansionError(`bash: ${e.text}: bad substitution`);
    case 'subst': {
      let captured = '';
      ctx.substStatus = yield* ctx.shell.runLine(e.line, {
        stdout: (t) => void (captured += t),
        stderr: (t) => ctx.stderr(t),
      });
      return [{ text: captured.replace(/\n+$/, ''), quoted: e.quoted }];
    }
    case 'arith': {
      const text = join(yield* expandOperand(e.expr, true, ctx));
      return [{ text: arith(text, ctx).toString(), quoted: e.quoted }];
    }
    case 'param':
      return yield* expandParam(e, ctx);
  }
}

function* expandParam(e: Extract<Expansion, { kind: 'param' }>, ctx: ExpandContext): Task<Piece[]> {
  let value = lookup(e.name, ctx);
  const one = (text: string): Piece[] => [{ text, quoted: e.quoted }];
  const colon = e.op.startsWith(':');
  const missing = value === undefined || (colon && value === '');
  switch (e.op) {
    case '-':
    case ':-':
      return missing ? yield* expandOperand(e.word, e.quoted, ctx) : one(value as string);
    case '=':
    case ':=': {
      if (!missing) return one(value as string);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.name))
        throw new ExpansionError(`bash: $${e.name}: cannot assign in this way`);
      const text = join(yield* expandOperand(e.word, e.quoted, ctx));
      ctx.vars.set(e.name, text);
      return one(text);
    }
    case '+':
    case ':+':
      return missing ? [] : yield* expandOperand(e.word, e.quoted, ctx);
    case '?':
    case ':?': {
      if (!missing) return one(value as string);
      const message = join(yield* expandOperand(e.word, true, ctx));
      const fallback = colon ? 'parameter null or not set' : 'parameter not set';
      throw new ExpansionError(`bash: ${e.name}: ${message || fallback}`);
    }
    case 'length':
      return one(String([...(value ?? '')].length));
    case 'indirect': {
      const target = value ?? '';
      if (target !== '' && !/^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?#@*])$/.test(target))
        throw new ExpansionError(`bash: ${target}: invalid variable name`);
      return one(target === '' ? '' : (lookup(target, ctx) ?? ''));
    }
    case 'substring': {
      const offset = join(yield* expandOperand(e.word, true, ctx));
      const length =
        e.replacement === undefined ? undefined : join(yield* expandOperand(e.replacement, true, ctx));
      return one(substring(value ?? '', offset, length, ctx));
    }
    default:
      break;
  }
  value ??= '';
  const pattern = toPattern(yield* expandOperand(e.word, e.quoted, ctx));
  switch (e.op) {
    case '#':
    case '##':
      return one(trimPrefix(value, pattern, e.op === '##'));
    case '%':
    case '%%':
      return one(trimSuffix(value, pattern, e.op === '%%'));
    case '^':
    case '^^':
    case ',':
    case ',,':
      return one(changeCase(value, pattern, e.op));
    default: {
      const rep = e.replacement === undefined ? [] : yield* expandOperand(e.replacement, e.quoted, ctx);
      return one(replace(value, pattern, rep, e.op));
    }
  }
}

/** `${X:offset}` and `${X:offset:length}`: both arithmetic; negative counts from the end. */
function substring(
  value: string,
  offsetText: string,
  lengthText: string | undefined,
  ctx: ExpandContext,
): string {
  const chars = [...value];
  const n = chars.length;
  let off = Number(BigInt.asIntN(53, arith(offsetText, ctx)));
  if (off < 0) off += n;
  if (off < 0 || off > n) return '';
  if (lengthText === undefined) return chars.slice(off).join('');
  const len = Number(BigInt.asIntN(53, arith(lengthText, ctx)));
  let end = len < 0 ? n + len : Math.min(n, off + len);
  if (len < 0 && end < off) throw new ExpansionError(`bash: ${lengthText.trim()}: substring expression < 0`);
  end = Math.min(end, n);
  return chars.slice(off, end).join('');
}

/** Pieces as an encoded pattern: quoted text stands for itself. */
function toPattern(pieces: readonly Piece[]): string {
  return pieces.map((p) => (p.quoted ? escapeGlob(p.text) : p.text)).join('');
}

function trimPrefix(value: string, pattern: string, longest: boolean): string {
  if (pattern === '') return value;
  if (!new RegExp(`^(?:${patternSource(pattern)})`, 'u').test(value)) return value;
  const re = patternRegExp(pattern);
  const chars = [...value];
  for (let k = 0; k <= chars.length; k++) {
    const i = longest ? chars.length - k : k;
    if (re.test(chars.slice(0, i).join(''))) return chars.slice(i).join('');
  }
  return value;
}

function trimSuffix(value: string, pattern: string, longest: boolean): string {
  if (pattern === '') return value;
  if (!new RegExp(`(?:${patternSource(pattern)})$`, 'u').test(value)) return value;
  const re = patternRegExp(pattern);
  const chars = [...value];
  for (let k = 0; k <= chars.length; k++) {
    const i = longest ? k : chars.length - k;
    if (re.test(chars.slice(i).join(''))) return chars.slice(0, i).join('');
  }
  return value;
}

function changeCase(value: string, pattern: string, op: string): string {
  const re = pattern === '' ? undefined : patternRegExp(pattern);
  const chars = [...value];
  const upper = op.startsWith('^');
  const all = op.length === 2;
  return chars
    .map((c, i) => {
      if ((!all && i > 0) || (re && !re.test(c))) return c;
      return upper ? c.toUpperCase() : c.toLowerCase();
    })
    .join('');
}

/** `${X/pat/rep}` and its `//`, `/#`, `/%` forms; an unquoted `&` in rep is the match (bash 5.2). */
function replace(value: string, pattern: string, rep: readonly Piece[], op: string): string {
  const replacement = (match: string): string =>
    rep.map((p) => (p.quoted ? p.text : p.text.replace(/&/g, match))).join('');
  if (pattern === '') {
    if (op === '/#') return replacement('') + value;
    if (op === '/%') return value + replacement('');
    return value;
  }
  const re = patternRegExp(pattern);
  const chars = [...value];
  const n = chars.length;
  const text = (a: number, b: number): string => chars.slice(a, b).join('');
  if (op === '/#') {
    for (let e = n; e >= 0; e--) if (re.test(text(0, e))) return replacement(text(0, e)) + text(e, n);
    return value;
  }
  if (op === '/%') {
    for (let s = 0; s <= n; s++) if (re.test(text(s, n))) return text(0, s) + replacement(text(s, n));
    return value;
  }
  if (n === 0) return re.test('') ? replacement('') : value;
  const sticky = new RegExp(patternSource(pattern), 'uy');
  const variable = /[*[]/.test(pattern);
  let out = '';
  let s = 0;
  let done = false;
  while (s < n) {
    let end = -1;
    if (!done) {
      const rest = text(s, n);
      sticky.lastIndex = 0;
      const m = sticky.exec(rest);
      if (m && m[0].length > 0) {
        end = s + [...m[0]].length;
        if (variable) {
          for (let e = n; e > end; e--) {
            if (re.test(text(s, e))) {
              end = e;
              break;
            }
          }
        }
      }
    }
    if (end > s) {
      out += replacement(text(s, end));
      s = end;
      if (op === '/') done = true;
    } else {
      out += chars[s];
      s++;
    }
  }
  return out;
}

/**
 * The word of `${X:-word}` (or a pattern, or `$((…))`'s text), expanded: quotes removed, with
 * `$…` expansions inside; `quoted` when the whole `${…}` was in double quotes.
 */
export function* expandOperand(raw: string, quoted: boolean, ctx: ExpandContext): Task<Piece[]> {
  const pieces: Piece[] = [];
  const add = (text: string, q: boolean): void => {
    const last = pieces[pieces.length - 1];
    if (last && last.quoted === q) pieces[pieces.length - 1] = { text: last.text + text, quoted: q };
    else if (text !== '' || q) pieces.push({ text, quoted: q });
  };
  let dq = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    const inQuotes = quoted || dq;
    if (ch === '\\') {
      const next = raw[i + 1];
      if (next === undefined) add('\\', inQuotes);
      else if (inQuotes && !'$`"\\\n}'.includes(next)) add(`\\${next}`, true);
      else add(next, true);
      i++;
      continue;
    }
    if (ch === "'" && !inQuotes) {
      const close = raw.indexOf("'", i + 1);
      const end = close < 0 ? raw.length : close;
      add(raw.slice(i + 1, end), true);
      i = end;
      continue;
    }
    if (ch === '"') {
      dq = !dq;
      if (dq) add('', true);
      continue;
    }
    if (ch === '~' && i === 0 && !inQuotes && (raw[1] === undefined || raw[1] === '/')) {
      add(ctx.vars.get('HOME') ?? HOME, true);
      continue;
    }
    if (ch === '$' || ch === '`') {
      const scanned = scanExpansion(raw, i, inQuotes);
      if (scanned && 'error' in scanned) throw new ExpansionError(scanned.error);
      if (scanned) {
        for (const p of yield* expandExpansion(scanned.expansion, ctx)) add(p.text, p.quoted);
        i = scanned.end;
        continue;
      }
    }
    add(ch, inQuotes);
  }
  return pieces;
}

/**
 * One parsed word after expansion: expansions replace their marks; unquoted results are split
 * on blanks into several words (and vanish when empty); in a command's arguments, a word with an
 * unquoted `*`, `?` or `[` becomes the paths it matches, or stays as it is when none does.
 */
export function* expandWord(
  word: string,
  expansions: readonly Expansion[],
  ctx: ExpandContext,
  mode: WordMode,
): Task<string[]> {
  if (!word.includes(EXPANSION_MARK)) {
    if (mode !== 'argv' || !hasGlob(word)) return [unescapeGlob(word)];
    const found = globPaths(word, ctx.files);
    return found.length > 0 ? found : [unescapeGlob(word)];
  }
  const fields: string[] = [];
  let cur = '';
  let keep = false;
  let pending = false;
  const breakField = (): void => {
    if (keep || cur !== '') fields.push(cur);
    cur = '';
    keep = false;
    pending = false;
  };
  const solid = (text: string, quoted: boolean): void => {
    if (pending) breakField();
    cur += text;
    if (quoted || text !== '') keep = true;
  };
  const parts = word.split(EXPANSION_MARK);
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p] as string;
    if (p % 2 === 0) {
      if (part !== '') solid(part, false);
      continue;
    }
    const e = expansions[Number(part)];
    if (!e) continue;
    for (const piece of yield* expandExpansion(e, ctx)) {
      if (piece.quoted) solid(escapeGlob(piece.text), true);
      else if (mode !== 'argv') solid(piece.text, false);
      else {
        piece.text.split(/[ \t\n]+/).forEach((f, idx) => {
          if (idx > 0) pending = true;
          if (f !== '') {
            if (pending) breakField();
            cur += f;
          }
        });
      }
    }
  }
  breakField();
  if (mode !== 'argv') return [unescapeGlob(fields.join(''))];
  const words: string[] = [];
  for (const f of fields) {
    const found = hasGlob(f) ? globPaths(f, ctx.files) : [];
    if (found.length > 0) words.push(...found);
    else words.push(unescapeGlob(f));
  }
  return words;
}
