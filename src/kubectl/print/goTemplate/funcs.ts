import { GoByte, goStringLess, INVALID, type JpValue } from '../jsonpath';
import { sprint, sprintf, sprintln } from './fmt';
import { byteLength, GoInt, kindOf, numberOf, sortedKeys, truth, typeName } from './values';

/**
 * text/template's builtin functions and the two kubectl's go-template printer adds (`exists`,
 * `base64decode`). A function fails by throwing `FuncError`; the executor reports it as
 * `error calling NAME: MESSAGE`.
 */

export class FuncError extends Error {}

/** How an argument reaches a parameter: as reflect.Value, as interface{}, or as a string. */
export type ParamType = 'value' | 'any' | 'string';

export interface Signature {
  readonly fixed: readonly ParamType[];
  readonly variadic?: ParamType;
}

export const SIGNATURES: Readonly<Record<string, Signature>> = {
  and: { fixed: ['value'], variadic: 'value' },
  or: { fixed: ['value'], variadic: 'value' },
  not: { fixed: ['value'] },
  call: { fixed: ['value'], variadic: 'value' },
  html: { fixed: [], variadic: 'any' },
  js: { fixed: [], variadic: 'any' },
  urlquery: { fixed: [], variadic: 'any' },
  print: { fixed: [], variadic: 'any' },
  println: { fixed: [], variadic: 'any' },
  printf: { fixed: ['string'], variadic: 'any' },
  index: { fixed: ['value'], variadic: 'value' },
  slice: { fixed: ['value'], variadic: 'value' },
  len: { fixed: ['value'] },
  eq: { fixed: ['value'], variadic: 'value' },
  ne: { fixed: ['value', 'value'] },
  lt: { fixed: ['value', 'value'] },
  le: { fixed: ['value', 'value'] },
  gt: { fixed: ['value', 'value'] },
  ge: { fixed: ['value', 'value'] },
  exists: { fixed: ['any'], variadic: 'any' },
  base64decode: { fixed: ['string'] },
};

/** indirectInterface: a nil interface is no value at all. */
const unwrapNil = (v: JpValue): JpValue => (v === null ? INVALID : v);

function indexArg(index: JpValue, cap: number): number {
  const k = kindOf(unwrapNil(index));
  if (k === 'invalid') throw new FuncError('cannot index slice/array with nil');
  if (k !== 'int' && k !== 'uint')
    throw new FuncError(`cannot index slice/array with type ${typeName(index)}`);
  const x = numberOf(index);
  if (x < 0 || x > cap) throw new FuncError(`index out of range: ${x}`);
  return x;
}

function index(item: JpValue, ...indexes: JpValue[]): JpValue {
  let cur = unwrapNil(item);
  if (cur === INVALID) throw new FuncError('index of untyped nil');
  for (const raw of indexes) {
    const idx = unwrapNil(raw);
    if (cur === null) throw new FuncError('index of nil pointer');
    const k = kindOf(cur);
    if (k === 'slice' || k === 'string') {
      const bytes = k === 'string' ? Buffer.from(cur as string, 'utf8') : undefined;
      const len = bytes ? bytes.length : (cur as JpValue[]).length;
      const x = indexArg(idx, len);
      if (x === len) throw new FuncError(`reflect: ${k} index out of range`);
      cur = bytes ? new GoByte(bytes[x]!) : (cur as JpValue[])[x];
    } else if (k === 'map') {
      if (idx === INVALID) throw new FuncError('value is nil; should be of type string');
      if (typeof idx !== 'string') throw new FuncError(`value has type ${typeName(idx)}; should be string`);
      const m = cur as Record<string, JpValue>;
      cur = Object.hasOwn(m, idx) && m[idx] !== undefined ? m[idx] : null;
    } else throw new FuncError(`can't index item of type ${typeName(cur)}`);
  }
  return cur;
}

function slice(item: JpValue, ...indexes: JpValue[]): JpValue {
  const cur = unwrapNil(item);
  if (cur === INVALID) throw new FuncError('slice of untyped nil');
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  const k = kindOf(cur);
  let len: number;
  if (k === 'string') {
    if (indexes.length === 3) throw new FuncError('cannot 3-index slice a string');
    len = byteLength(cur as string);
  } else if (k === 'slice') len = (cur as JpValue[]).length;
  else throw new FuncError(`can't slice item of type ${typeName(cur)}`);
  const idx = [0, len, len];
  indexes.forEach((x, i) => {
    idx[i] = indexArg(x, len);
  });
  if (idx[0]! > idx[1]!) throw new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!)
    throw new FuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (k === 'string')
    return Buffer.from(cur as string, 'utf8')
      .subarray(idx[0], idx[1])
      .toString('utf8');
  return (cur as JpValue[]).slice(idx[0], idx[1]);
}

function length(item: JpValue): JpValue {
  if (item === null) throw new FuncError('len of nil pointer');
  switch (kindOf(item)) {
    case 'invalid':
      throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
    case 'string':
      return new GoInt(byteLength(item as string));
    case 'slice':
      return new GoInt((item as JpValue[]).length);
    case 'map':
      return new GoInt(sortedKeys(item as Record<string, JpValue>).length);
    default:
      throw new FuncError(`len of type ${typeName(item)}`);
  }
}

type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'string' | 'invalid';

function basicKind(v: JpValue): BasicKind {
  const k = kindOf(v);
  return k === 'bool' || k === 'int' || k === 'uint' || k === 'float' || k === 'string' ? k : 'invalid';
}

const BAD_COMPARISON = 'incompatible types for comparison';
const BAD_COMPARISON_TYPE = 'invalid type for comparison';

function eq(arg1: JpValue, ...rest: JpValue[]): boolean {
  const a = unwrapNil(arg1);
  if (rest.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const raw of rest) {
    const b = unwrapNil(raw);
    const k2 = basicKind(b);
    let same = false;
    if (k1 !== k2) {
      if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int'))
        same = numberOf(a) === numberOf(b);
      else if (a !== INVALID && b !== INVALID) throw new FuncError(BAD_COMPARISON);
    } else if (k1 !== 'invalid') {
      same = k1 === 'bool' || k1 === 'string' ? a === b : numberOf(a) === numberOf(b);
    } else if (a === INVALID || b === INVALID) {
      same = a === b;
    } else if (kindOf(a) === kindOf(b)) {
      throw new FuncError(`non-comparable type ${sprintf('%s', [b])}: ${typeName(b)}`);
    } else {
      throw new FuncError(
        `non-comparable types ${sprintf('%s', [a])}: ${typeName(a)}, ${typeName(b)}: ${sprint([b])}`,
      );
    }
    if (same) return true;
  }
  return false;
}

function lt(arg1: JpValue, arg2: JpValue): boolean {
  const a = unwrapNil(arg1);
  const b = unwrapNil(arg2);
  const k1 = basicKind(a);
  if (k1 === 'invalid') throw new FuncError(BAD_COMPARISON_TYPE);
  const k2 = basicKind(b);
  if (k2 === 'invalid') throw new FuncError(BAD_COMPARISON_TYPE);
  if (k1 !== k2) {
    if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) return numberOf(a) < numberOf(b);
    throw new FuncError(BAD_COMPARISON);
  }
  if (k1 === 'bool') throw new FuncError(BAD_COMPARISON_TYPE);
  if (k1 === 'string') return goStringLess(a as string, b as string);
  return numberOf(a) < numberOf(b);
}

/** evalArgs of html/js/urlquery: one string as is, otherwise Sprint with `<no value>` for nil. */
function escaperInput(args: JpValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === null || a === INVALID ? '<no value>' : a)));
}

function htmlEscape(s: string): string {
  return s.replace(/[&'<>"\0]/g, (c) =>
    c === '&'
      ? '&amp;'
      : c === "'"
        ? '&#39;'
        : c === '<'
          ? '&lt;'
          : c === '>'
            ? '&gt;'
            : c === '"'
              ? '&#34;'
              : '\uFFFD',
  );
}

function jsEscape(s: string): string {
  let out = '';
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (c === '\\') out += '\\\\';
    else if (c === "'") out += "\\'";
    else if (c === '"') out += '\\"';
    else if (c === '<' || c === '>' || c === '&' || c === '=' || code < 0x20)
      out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (code < 0x80 || /[\p{L}\p{M}\p{N}\p{P}\p{S}\u0020]/u.test(c)) out += c;
    else out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** url.QueryEscape. */
function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** kubectl's exists: whether `index` could walk these keys and indexes to a non-nil value. */
function exists(item: JpValue, ...indices: JpValue[]): boolean {
  let v = item;
  for (const i of indices) {
    if (v === null || v === INVALID) return false;
    const k = kindOf(v);
    if (k === 'slice' || k === 'string') {
      const ik = kindOf(i);
      if (ik !== 'int' && ik !== 'uint') return false;
      const x = numberOf(i);
      const bytes = k === 'string' ? Buffer.from(v as string, 'utf8') : undefined;
      const len = bytes ? bytes.length : (v as JpValue[]).length;
      if (x < 0 || x >= len) return false;
      v = bytes ? new GoByte(bytes[x]!) : (v as JpValue[])[x];
    } else if (k === 'map') {
      if (i !== null && typeof i !== 'string') return false;
      const m = v as Record<string, JpValue>;
      const key = i ?? '';
      v = Object.hasOwn(m, key) && m[key] !== undefined ? m[key] : null;
    } else return false;
  }
  return v !== null && v !== INVALID;
}

const BASE64 = /[A-Za-z0-9+/]/;

/** base64.StdEncoding.DecodeString, with its CorruptInputError offsets. */
function base64decode(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  const corrupt = (at: number): never => {
    throw new FuncError(`base64 decode failed: illegal base64 data at input byte ${at}`);
  };
  const out: number[] = [];
  let si = 0;
  const skipNewlines = (): void => {
    while (si < bytes.length && (bytes[si] === 0x0a || bytes[si] === 0x0d)) si++;
  };
  while (si < bytes.length) {
    const quantum: number[] = [];
    let padded = false;
    for (let j = 0; j < 4; j++) {
      skipNewlines();
      if (si === bytes.length) {
        if (j === 0) return Buffer.from(out).toString('utf8');
        corrupt(si - j);
      }
      const c = String.fromCharCode(bytes[si]!);
      si++;
      if (c === '=') {
        if (j < 2) corrupt(si - 1);
        if (j === 2) {
          skipNewlines();
          if (si === bytes.length) corrupt(bytes.length);
          if (bytes[si] !== 0x3d) corrupt(si - 1);
          si++;
        }
        skipNewlines();
        if (si < bytes.length) corrupt(si);
        padded = true;
        break;
      }
      if (!BASE64.test(c)) corrupt(si - 1);
      quantum.push('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.indexOf(c));
    }
    const [a = 0, b = 0, c = 0, d = 0] = quantum;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    const full = [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
    out.push(...full.slice(0, quantum.length - 1));
    if (padded) break;
  }
  return Buffer.from(out).toString('utf8');
}

export const FUNCS: Readonly<Record<string, (...args: JpValue[]) => JpValue>> = {
  not: (v) => !truth(v),
  call: (fn) => {
    if (fn === null || fn === INVALID) throw new FuncError('call of nil');
    throw new FuncError(`non-function of type ${typeName(fn)}`);
  },
  html: (...a) => htmlEscape(escaperInput(a)),
  js: (...a) => jsEscape(escaperInput(a)),
  urlquery: (...a) => queryEscape(escaperInput(a)),
  print: (...a) => sprint(a),
  println: (...a) => sprintln(a),
  printf: (format, ...a) => sprintf(format as string, a),
  index,
  slice,
  len: length,
  eq,
  ne: (a, b) => !eq(a, b),
  lt,
  le: (a, b) => lt(a, b) || eq(a, b),
  gt: (a, b) => !(lt(a, b) || eq(a, b)),
  ge: (a, b) => !lt(a, b),
  exists,
  base64decode: (s) => base64decode(s as string),
};
