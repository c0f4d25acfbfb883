import { goJsonNumber, goJsonString, toGoJson } from './json';
import { goFormatG } from './yaml';

/**
 * kubectl's JSONPath dialect: a port of client-go's `util/jsonpath` (parser.go, jsonpath.go) over
 * unstructured JSON values, as `kubectl get -o jsonpath=...`, `custom-columns` and `--sort-by` use
 * it. Text outside `{}` is copied; inside an action: fields (`.a.b`, `['a']`, `\.` escapes), `*`,
 * `..`, indexes and slices (`[0]`, `[-1:]`, `[0:4:2]`), unions (`[0,2]`), filters
 * (`[?(@.type=="Ready")]`), `range`/`end`, quoted text (`{"\n"}`), numbers and booleans.
 *
 * Go distinguishes values JavaScript does not; the model here keeps what shows in output:
 * integral JSON numbers are int64 and others float64 (as the unstructured decoder reads them), a
 * number literal with a `.` in a template is a float64 (`GoFloat`), a byte of a string (what `*`
 * gives on a string) is a uint8 (`GoByte`), and `INVALID` is reflect's zero Value (what ranging
 * over null yields), printed `<no value>`.
 */

export class GoFloat {
  constructor(readonly value: number) {}
}
export class GoByte {
  constructor(readonly value: number) {}
}
export const INVALID: unique symbol = Symbol('invalid');

/** A value the evaluator handles: JSON data, or one of the Go-only kinds above. */
export type JpValue = unknown;

type Params = [ParamsEntry, ParamsEntry, ParamsEntry];
interface ParamsEntry {
  value: number;
  known: boolean;
  derived: boolean;
}

export type JpNode =
  | { readonly type: 'list'; nodes: JpNode[] }
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'field'; readonly value: string }
  | { readonly type: 'array'; readonly params: Params }
  | {
      readonly type: 'filter';
      readonly left: JpNode & { type: 'list' };
      readonly right: JpNode & { type: 'list' };
      readonly operator: string;
    }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'wildcard' }
  | { readonly type: 'recursive' }
  | { readonly type: 'union'; readonly nodes: (JpNode & { type: 'list' })[] }
  | { readonly type: 'identifier'; readonly name: string };

type ListNode = JpNode & { type: 'list' };

/** An error with client-go's message (what follows `error parsing jsonpath T, ` etc.). */
export class JsonPathError extends Error {}

const EOF = -1;

function newList(): ListNode {
  return { type: 'list', nodes: [] };
}

// ---------------------------------------------------------------- parser (parser.go)

class Parser {
  root: ListNode = newList();
  private input = '';
  private pos = 0;
  private start = 0;
  private width = 0;

  parse(text: string): void {
    this.input = text;
    this.root = newList();
    this.pos = 0;
    this.parseText(this.root);
  }

  private consumeText(): string {
    const value = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return value;
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos)!;
    this.width = r > 0xffff ? 2 : 1;
    this.pos += this.width;
    return r;
  }

  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  private rest(): string {
    return this.input.slice(this.pos);
  }

  private parseText(cur: ListNode): void {
    for (;;) {
      if (this.rest().startsWith('{')) {
        if (this.pos > this.start) cur.nodes.push({ type: 'text', text: this.consumeText() });
        this.parseLeftDelim(cur);
        return;
      }
      if (this.next() === EOF) break;
    }
    if (this.pos > this.start) cur.nodes.push({ type: 'text', text: this.consumeText() });
  }

  private parseLeftDelim(cur: ListNode): void {
    this.pos += 1;
    this.consumeText();
    const node = newList();
    cur.nodes.push(node);
    this.parseInsideAction(node);
  }

  // The Go parser recurses once per token; a loop keeps long templates off the JS stack.
  private parseInsideAction(cur: ListNode): void {
    for (;;) {
      const rest = this.rest();
      if (rest.startsWith('}')) {
        this.pos += 1;
        this.consumeText();
        this.parseText(this.root);
        return;
      }
      if (rest.startsWith('[?(')) {
        this.parseFilter(cur);
        continue;
      }
      if (rest.startsWith('..')) {
        this.parseRecursive(cur);
        continue;
      }
      const r = this.next();
      if (r === EOF || isEndOfLine(r)) throw new JsonPathError('unclosed action');
      if (r === 0x20 || r === 0x40 /* @ */ || r === 0x24 /* $ */) this.consumeText();
      else if (r === 0x5b /* [ */) this.parseArray(cur);
      else if (r === 0x22 || r === 0x27) this.parseQuote(cur, r);
      else if (r === 0x2e /* . */) this.parseField(cur);
      else if (r === 0x2b || r === 0x2d || isDigit(r)) {
        this.backup();
        this.parseNumber(cur);
      } else if (isAlphaNumeric(r)) {
        this.backup();
        this.parseIdentifier(cur);
      } else throw new JsonPathError(`unrecognized character in action: ${goSharpU(r)}`);
    }
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (value === 'true' || value === 'false') cur.nodes.push({ type: 'bool', value: value === 'true' });
    else cur.nodes.push({ type: 'identifier', name: value });
  }

  private parseRecursive(cur: ListNode): void {
    const last = cur.nodes[cur.nodes.length - 1];
    if (last?.type === 'recursive') throw new JsonPathError('invalid multiple recursive descent');
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ type: 'recursive' });
    if (isAlphaNumeric(this.peek())) this.parseField(cur);
  }

  private parseNumber(cur: ListNode): void {
    let r = this.peek();
    if (r === 0x2b || r === 0x2d) this.next();
    for (;;) {
      r = this.next();
      if (r !== 0x2e && !isDigit(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (/^[+-]?\d+$/.test(value) && Math.abs(Number(value)) < 2 ** 63) {
      cur.nodes.push({ type: 'int', value: Number(value) });
      return;
    }
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) {
      cur.nodes.push({ type: 'float', value: Number(value) });
      return;
    }
    throw new JsonPathError(`cannot parse number ${value}`);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathError('unterminated array');
      if (r === 0x5d) break;
    }
    let text = this.consumeText();
    text = text.slice(1, -1);
    if (text === '*') text = ':';
    const strs = text.split(',');
    if (strs.length > 1) {
      const union: ListNode[] = [];
      for (const s of strs) union.push(parseAction(`[${s.replace(/^ +| +$/g, '')}]`));
      cur.nodes.push({ type: 'union', nodes: union });
      return;
    }
    const dict = /^'([^']*)'$/.exec(text);
    if (dict) {
      for (const node of parseAction(`.${dict[1]}`).nodes) cur.nodes.push(node);
      return;
    }
    const slice = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
    if (!slice) throw new JsonPathError(`invalid array index ${text}`);
    const value = [slice[1] ?? '', slice[2] ?? '', slice[3] ?? ''];
    const params: Params = [
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
    ];
    for (let i = 0; i < 3; i++) {
      let v = value[i]!;
      if (v !== '') {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === '') params[i]!.known = false;
        else {
          params[i]!.known = true;
          const n = goAtoi(v);
          if (n === undefined) throw new JsonPathError(`array index ${v} is not a number`);
          params[i]!.value = n;
        }
      } else if (i === 1) {
        params[1] = { known: true, value: params[0].value + 1, derived: true };
      }
    }
    cur.nodes.push({ type: 'array', params });
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = 0;
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathError('unterminated filter');
      if (r === 0x22 || r === 0x27) {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === 0x29 && begin === end) break;
    }
    if (this.next() !== 0x5d) throw new JsonPathError('unclosed array expect ]');
    let text = this.consumeText();
    text = text.slice(0, -2);
    // v1.32's operators (no `=~`: a `~` fails to parse on the right-hand side).
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(text);
    if (!m) {
      cur.nodes.push({ type: 'filter', left: parseAction(text), right: newList(), operator: 'exists' });
    } else {
      const left = parseAction(m[1]!);
      const right = parseAction(m[3]!);
      cur.nodes.push({ type: 'filter', left, right, operator: m[2]! });
    }
  }

  private parseQuote(cur: ListNode, end: number): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathError('unterminated quoted string');
      if (r === end && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consumeText();
    const s = unquoteExtend(value);
    if (s === undefined) throw new JsonPathError(`unquote string ${value} error invalid syntax`);
    cur.nodes.push({ type: 'text', text: s });
  }

  private parseField(cur: ListNode): void {
    this.consumeText();
    while (this.advance()) {
      /* scan */
    }
    const value = this.consumeText();
    if (value === '*') cur.nodes.push({ type: 'wildcard' });
    else cur.nodes.push({ type: 'field', value: value.replaceAll('\\', '') });
  }

  private advance(): boolean {
    const r = this.next();
    if (r === 0x5c) this.next();
    else if (isTerminator(r)) {
      this.backup();
      return false;
    }
    return true;
  }
}

/** parseAction: the text as one action (`{text}`), its list. */
function parseAction(text: string): ListNode {
  const p = new Parser();
  p.parse(`{${text}}`);
  return p.root.nodes[0] as ListNode;
}

function isTerminator(r: number): boolean {
  if (r === 0x20 || r === 0x09 || isEndOfLine(r)) return true;
  return r === EOF || '.,[]$@{}'.includes(String.fromCodePoint(r));
}
function isEndOfLine(r: number): boolean {
  return r === 0x0d || r === 0x0a;
}
function isDigit(r: number): boolean {
  return r >= 0 && /\p{Nd}/u.test(String.fromCodePoint(r));
}
function isAlphaNumeric(r: number): boolean {
  return r === 0x5f || (r >= 0 && /[\p{L}\p{Nd}]/u.test(String.fromCodePoint(r)));
}

/** strconv.Atoi on what the slice regexp lets through (`-?\d*`). */
function goAtoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Math.abs(n) < 2 ** 63 ? n : undefined;
}

/** Go's %#U: `U+0041 'A'`, without the character when it is not printable. */
function goSharpU(r: number): string {
  const hex = `U+${r.toString(16).toUpperCase().padStart(4, '0')}`;
  const ch = String.fromCodePoint(r);
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]|\u0020/u.test(ch) ? `${hex} '${ch}'` : hex;
}

/** client-go's UnquoteExtend: strconv.Unquote that also takes single-quoted strings. */
function unquoteExtend(s: string): string | undefined {
  if (s.length < 2) return undefined;
  const quote = s[0]!;
  if (quote !== s[s.length - 1] || (quote !== '"' && quote !== "'")) return undefined;
  const body = s.slice(1, -1);
  if (!body.includes('\\') && !body.includes(quote)) return body;
  let out = '';
  const bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length) out += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  for (let i = 0; i < body.length; ) {
    const c = body[i]!;
    if (c === quote) return undefined;
    if (c !== '\\') {
      flush();
      const cp = body.codePointAt(i)!;
      out += String.fromCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '\\': '\\',
    };
    if (e in simple) {
      flush();
      out += simple[e];
      i += 2;
    } else if (e === quote) {
      flush();
      out += e;
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + n);
      if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
      const v = Number.parseInt(hex, 16);
      if (e === 'x') bytes.push(v);
      else {
        if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return undefined;
        flush();
        out += String.fromCodePoint(v);
      }
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      const v = Number.parseInt(oct, 8);
      if (v > 255) return undefined;
      bytes.push(v);
      i += 4;
    } else return undefined;
  }
  flush();
  return out;
}

/** Parses a template as jsonpath.Parse does; throws JsonPathError with client-go's message. */
export function parseJsonPath(text: string): ListNode {
  const p = new Parser();
  p.parse(text);
  return p.root;
}

// ---------------------------------------------------------------- evaluator (jsonpath.go)

function isMap(v: JpValue): v is Record<string, JpValue> {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof GoFloat) &&
    !(v instanceof GoByte)
  );
}

/** reflect's Type for a value: what error messages name. */
export function goTypeName(v: JpValue): string {
  if (v === INVALID) return '<invalid reflect.Value>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return isInt64(v) ? 'int64' : 'float64';
  if (v instanceof GoFloat) return 'float64';
  if (v instanceof GoByte) return 'uint8';
  if (Array.isArray(v)) return '[]interface {}';
  if (v === null) return 'interface {}';
  return 'map[string]interface {}';
}

function sortedKeys(m: Record<string, JpValue>): string[] {
  return Object.keys(m)
    .filter((k) => m[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The children `*` and `..` visit: map values (sorted by key), list items, a string's bytes. */
function children(v: JpValue): JpValue[] {
  if (Array.isArray(v)) return [...v];
  if (typeof v === 'string') return [...Buffer.from(v, 'utf8')].map((b) => new GoByte(b));
  if (isMap(v)) return sortedKeys(v).map((k) => v[k]);
  return [];
}

export class JsonPath {
  private root: ListNode | undefined;
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private lastEndNode: JpNode | undefined;
  allowMissingKeys = false;
  outputJson = false;

  constructor(private readonly name: string) {}

  /** jsonpath.Parse; throws JsonPathError. */
  parse(text: string): void {
    this.root = undefined;
    this.root = parseJsonPath(text);
  }

  /** Execute: the printed results; throws JsonPathError. */
  execute(data: JpValue): string {
    let out = '';
    for (const results of this.findResults(data)) out += this.printResults(results);
    return out;
  }

  findResults(data: JpValue): JpValue[][] {
    if (!this.root) throw new JsonPathError(`${this.name} is an incomplete jsonpath template`);
    const cur: JpValue[] = [data === null || data === undefined ? INVALID : data];
    const nodes = this.root.nodes;
    const fullResult: JpValue[][] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const results = this.walk(cur, node);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEndNode = node;
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        if (results.length > 0) {
          for (const value of results) {
            this.root.nodes = nodes.slice(i + 1);
            fullResult.push(...this.findResults(value));
          }
        } else {
          this.root.nodes = nodes.slice(i + 1);
          this.findResults(null);
        }
        this.inRange--;
        for (let k = i + 1; k < nodes.length; k++) {
          if (nodes[k] === this.lastEndNode) {
            i = k;
            break;
          }
        }
        continue;
      }
      fullResult.push(results);
    }
    return fullResult;
  }

  /** PrintResults: maps and lists as compact JSON, the rest as Go's %v, separated by spaces. */
  printResults(results: readonly JpValue[]): string {
    if (this.outputJson) return `${toGoJson(results.map(toPlain))}\n`;
    return results.map((r) => (Array.isArray(r) || isMap(r) ? compactJson(r) : goPrint(r))).join(' ');
  }

  private walk(value: JpValue[], node: JpNode): JpValue[] {
    switch (node.type) {
      case 'list':
        return this.evalList(value, node);
      case 'text':
        return [node.text];
      case 'field':
        return this.evalField(value, node.value);
      case 'array':
        return this.evalArray(value, node.params);
      case 'filter':
        return this.evalFilter(value, node);
      case 'int':
        return value.map(() => node.value);
      case 'float':
        return value.map(() => new GoFloat(node.value));
      case 'bool':
        return value.map(() => node.value);
      case 'wildcard':
        return value.flatMap((v) => (v === null ? [] : children(v)));
      case 'recursive':
        return this.evalRecursive(value);
      case 'union':
        return node.nodes.flatMap((l) => this.evalList(value, l));
      case 'identifier':
        return this.evalIdentifier(value, node.name);
    }
  }

  private evalList(value: JpValue[], node: ListNode): JpValue[] {
    let cur = value;
    for (const n of node.nodes) cur = this.walk(cur, n);
    return cur;
  }

  private evalIdentifier(input: JpValue[], name: string): JpValue[] {
    if (name === 'range') {
      this.beginRange++;
      return input;
    }
    if (name === 'end') {
      if (this.inRange > 0) {
        this.endRange++;
        return [];
      }
      throw new JsonPathError('not in range, nothing to end');
    }
    throw new JsonPathError(`unrecognized identifier ${name}`);
  }

  private evalArray(input: JpValue[], params: Params): JpValue[] {
    const result: JpValue[] = [];
    for (const value of input) {
      if (value === null) continue;
      if (!Array.isArray(value)) {
        if (value === INVALID) throw new JsonPathError('reflect: call of reflect.Value.Type on zero Value');
        throw new JsonPathError(`${goTypeName(value)} is not array or slice`);
      }
      const len = value.length;
      let start = params[0].known ? params[0].value : 0;
      if (start < 0) start += len;
      let stop = params[1].known ? params[1].value : len;
      if (stop < 0 || (stop === 0 && params[1].derived)) stop += len;
      if (stop === start) return result;
      if (start >= len || start < 0)
        throw new JsonPathError(`array index out of bounds: index ${start}, length ${len}`);
      if (stop > len || stop < 0)
        throw new JsonPathError(`array index out of bounds: index ${stop - 1}, length ${len}`);
      if (start > stop)
        throw new JsonPathError(`starting index ${start} is greater than ending index ${stop}`);
      let step = 1;
      if (params[2].known) {
        if (params[2].value <= 0) throw new JsonPathError('step must be > 0');
        step = params[2].value;
      }
      for (let i = start; i < stop; i += step) result.push(value[i]);
    }
    return result;
  }

  private evalField(input: JpValue[], name: string): JpValue[] {
    const results: JpValue[] = [];
    for (const value of input) {
      if (value === null) continue;
      if (isMap(value) && Object.hasOwn(value, name) && value[name] !== undefined) results.push(value[name]);
    }
    if (results.length === 0 && input.length > 0 && !this.allowMissingKeys)
      throw new JsonPathError(`${name} is not found`);
    return results;
  }

  private evalRecursive(input: JpValue[]): JpValue[] {
    const result: JpValue[] = [];
    for (const value of input) {
      if (value === null) continue;
      const kids = children(value);
      if (kids.length !== 0) {
        result.push(value);
        result.push(...this.evalRecursive(kids));
      }
    }
    return result;
  }

  private evalFilter(input: JpValue[], node: JpNode & { type: 'filter' }): JpValue[] {
    const results: JpValue[] = [];
    for (const value of input) {
      if (!Array.isArray(value))
        throw new JsonPathError(
          `${value === INVALID ? '<invalid reflect.Value>' : goPrint(value)} is not array or slice and cannot be filtered`,
        );
      for (const item of value) {
        const temp = [item];
        let lefts: JpValue[];
        try {
          lefts = this.evalList(temp, node.left);
        } catch (e) {
          if (node.operator === 'exists') continue;
          throw e;
        }
        if (node.operator === 'exists') {
          if (lefts.length > 0) results.push(item);
          continue;
        }
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time');
        const rights = this.evalList(temp, node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JsonPathError('can only compare one element at a time');
        if (compare(node.operator, lefts[0], rights[0])) results.push(item);
      }
    }
    return results;
  }
}

// ---- the comparisons of text/template's funcs.go (eq, ne, lt, le, gt, ge)

type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'string';

function basicKind(v: JpValue): BasicKind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return isInt64(v) ? 'int' : 'float';
  if (v instanceof GoFloat) return 'float';
  if (v instanceof GoByte) return 'uint';
  throw new JsonPathError('invalid type for comparison');
}

function num(v: JpValue): number {
  return v instanceof GoFloat || v instanceof GoByte ? v.value : (v as number);
}

function equal(a: JpValue, b: JpValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) {
    if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) return num(a) === num(b);
    throw new JsonPathError('incompatible types for comparison');
  }
  if (k1 === 'bool' || k1 === 'string') return a === b;
  return num(a) === num(b);
}

function less(a: JpValue, b: JpValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) {
    if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) return num(a) < num(b);
    throw new JsonPathError('incompatible types for comparison');
  }
  if (k1 === 'bool') throw new JsonPathError('invalid type for comparison');
  if (k1 === 'string') return goStringLess(a as string, b as string);
  return num(a) < num(b);
}

function compare(op: string, a: JpValue, b: JpValue): boolean {
  switch (op) {
    case '<':
      return less(a, b);
    case '>':
      return !(less(a, b) || equal(a, b));
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '<=':
      return less(a, b) || equal(a, b);
    case '>=':
      return !less(a, b);
    default:
      throw new JsonPathError(`unrecognized filter operator ${op}`);
  }
}

/** Go compares strings by their UTF-8 bytes. */
export function goStringLess(a: string, b: string): boolean {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')) < 0;
}

// ---- printing

function toPlain(v: JpValue): unknown {
  if (v === INVALID) return null;
  if (v instanceof GoFloat || v instanceof GoByte) return v.value;
  return v;
}

/** json.Marshal of an unstructured value: compact, keys sorted, HTML characters escaped. */
export function compactJson(v: JpValue): string {
  if (v === null || v === undefined || v === INVALID) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number') return goJsonNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof GoFloat || v instanceof GoByte) return goJsonNumber(v.value);
  if (Array.isArray(v)) return `[${v.map(compactJson).join(',')}]`;
  const m = v as Record<string, JpValue>;
  return `{${sortedKeys(m)
    .map((k) => `${goJsonString(k)}:${compactJson(m[k])}`)
    .join(',')}}`;
}

/** Whether the unstructured decoder reads this JSON number as an int64 (else float64). */
function isInt64(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63;
}

function goFloatText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  return goFormatG(n);
}

/** fmt.Sprint / %v of a value: `<nil>`, maps as `map[k:v]`, lists as `[a b]`. */
export function goPrint(v: JpValue): string {
  if (v === INVALID) return '<no value>';
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return isInt64(v) ? BigInt(v).toString() : goFloatText(v);
  if (v instanceof GoFloat) return goFloatText(v.value);
  if (v instanceof GoByte) return String(v.value);
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  const m = v as Record<string, JpValue>;
  return `map[${sortedKeys(m)
    .map((k) => `${k}:${goPrint(m[k])}`)
    .join(' ')}]`;
}

/** Go's %#v of an unstructured value, as kubectl shows the object in a jsonpath execution error. */
export function goSharpV(v: JpValue, inInterface = false): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return isInt64(v) ? BigInt(v).toString() : goFloatText(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map((x) => goSharpV(x, true)).join(', ')}}`;
  void inInterface;
  const m = v as Record<string, JpValue>;
  return `map[string]interface {}{${sortedKeys(m)
    .map((k) => `${goQuote(k)}:${goSharpV(m[k], true)}`)
    .join(', ')}}`;
}

/** strconv.Quote: Go string syntax with escapes for what is not printable. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (/[\p{L}\p{M}\p{N}\p{P}\p{S}\u0020]/u.test(ch)) out += ch;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}
