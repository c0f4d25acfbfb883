/**
 * `-o yaml` as kubectl prints it. kubectl marshals through sigs.k8s.io/yaml: the object goes to
 * JSON, is read back as generic YAML data and emitted by go-yaml v2. This is a port of the parts of
 * that emitter JSON-shaped data reaches:
 *
 * - mapping keys in go-yaml's "natural" order (digit runs compared as numbers, non-letters first);
 * - block style everywhere, sequences inside mappings not indented (`key:\n- item`), empty
 *   collections as `{}` / `[]`;
 * - strings plain when they read back as strings; double-quoted when YAML 1.1 would read them as
 *   something else (`"1"`, `"true"`, `"2026-11-25T09:00:00Z"`, `""`); single-quoted when they
 *   contain indicators (`'a: b'`); literal blocks (`|`, `|-`) for multi-line text;
 * - long plain and quoted scalars folded at a space once the line passes 80 columns.
 */
export function toYaml(value: unknown): string {
  const e = new Emitter();
  e.node(value, { mapping: false, sequence: false, simpleKey: false });
  e.documentEnd();
  return e.out;
}

/** go-yaml's preferred line width: plain and quoted scalars fold at spaces past this column. */
const BEST_WIDTH = 80;
const BEST_INDENT = 2;

interface NodeContext {
  readonly mapping: boolean;
  readonly sequence: boolean;
  readonly simpleKey: boolean;
}

type Style = 'plain' | 'single' | 'double' | 'literal';

class Emitter {
  out = '';
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent = -1;
  private readonly indents: number[] = [];
  private openEnded = false;

  node(value: unknown, ctx: NodeContext): void {
    if (Array.isArray(value)) {
      if (value.length === 0) this.emptyFlow('[', ']');
      else this.blockSequence(value, ctx);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      if (entries.length === 0) this.emptyFlow('{', '}');
      else this.blockMapping(entries, ctx);
    } else {
      this.scalar(value, ctx);
    }
  }

  documentEnd(): void {
    if (this.openEnded) {
      // go-yaml closes a document whose last scalar kept its trailing newlines ("|+").
      this.writeIndent();
      this.put('...');
    }
    this.writeIndent();
  }

  private emptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.writeIndicator(close, false, false, false);
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  private blockMapping(entries: [string, unknown][], _ctx: NodeContext): void {
    entries.sort(([a], [b]) => (keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0));
    this.increaseIndent(false, false);
    for (const [k, v] of entries) {
      this.writeIndent();
      this.node(k, { mapping: true, sequence: false, simpleKey: true });
      this.writeIndicator(':', false, false, false);
      this.node(v, { mapping: true, sequence: false, simpleKey: false });
    }
    this.popIndent();
  }

  private blockSequence(items: unknown[], ctx: NodeContext): void {
    this.increaseIndent(false, ctx.mapping && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, { mapping: false, sequence: true, simpleKey: false });
    }
    this.popIndent();
  }

  private scalar(value: unknown, ctx: NodeContext): void {
    let text: string;
    let style: Style;
    if (typeof value === 'string') {
      text = value;
      style = selectStyle(value, ctx.simpleKey);
    } else {
      text = scalarText(value);
      style = 'plain';
    }
    this.increaseIndent(true, false);
    const allowBreaks = !ctx.simpleKey;
    switch (style) {
      case 'plain':
        this.writePlain(text, allowBreaks);
        break;
      case 'single':
        this.writeSingleQuoted(text, allowBreaks);
        break;
      case 'double':
        this.writeDoubleQuoted(text, allowBreaks);
        break;
      default:
        this.writeLiteral(text);
    }
    this.popIndent();
  }

  // ---- low-level writing (libyaml's emitter helpers) ----

  private put(s: string): void {
    this.out += s;
    for (const _ of s) this.column++;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace))
      this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(
    indicator: string,
    needWhitespace: boolean,
    isWhitespace: boolean,
    isIndention: boolean,
  ): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
    this.openEnded = false;
  }

  private writePlain(value: string, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    const chars = [...value];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') this.writeIndent();
        else this.put(ch);
        spaces = true;
      } else {
        this.put(ch);
        spaces = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(value: string, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    const chars = [...value];
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      if (ch === ' ') {
        if (
          allowBreaks &&
          !spaces &&
          this.column > BEST_WIDTH &&
          i > 0 &&
          i < chars.length - 1 &&
          chars[i + 1] !== ' '
        )
          this.writeIndent();
        else this.put(ch);
        spaces = true;
      } else if (isBreak(ch)) {
        if (!breaks && ch === '\n') this.putBreak();
        this.putBreak();
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (ch === "'") this.put("'");
        this.put(ch);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(value: string, allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    const chars = [...value];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      const c = ch.codePointAt(0)!;
      if (!isPrintable(c) || c === 0xfeff || isBreak(ch) || ch === '"' || ch === '\\') {
        this.put(`\\${doubleQuotedEscape(c)}`);
        spaces = false;
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.writeIndent();
          if (chars[i + 1] === ' ') this.put('\\');
        } else this.put(ch);
        spaces = true;
      } else {
        this.put(ch);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(value: string): void {
    this.writeIndicator('|', true, false, false);
    const chars = [...value];
    // Block scalar hints: an indentation indicator when the text starts with a space or break, and
    // the chomping indicator from its trailing breaks.
    if (chars[0] === ' ' || isBreak(chars[0] ?? '')) this.put(String(BEST_INDENT));
    this.openEnded = false;
    const last = chars.length - 1;
    if (chars.length === 0 || !isBreak(chars[last]!)) this.put('-');
    else if (last === 0 || isBreak(chars[last - 1]!)) {
      this.put('+');
      this.openEnded = true;
    }
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const ch of chars) {
      if (isBreak(ch)) {
        this.putBreak();
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(ch);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return goFloatG(value);
  return String(value);
}

/**
 * go-yaml's number text: integers in decimal, other floats as strconv.FormatFloat(f, 'g', -1, 64),
 * whose shortest form switches to an exponent (two digits at least) below 1e-4 and from 1e6.
 */
export function goFloatG(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Number.POSITIVE_INFINITY) return '.inf';
  if (n === Number.NEGATIVE_INFINITY) return '-.inf';
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  return goFormatG(n);
}

/** strconv 'g' with the shortest precision (what Go's %v prints for a float64). */
export function goFormatG(n: number): string {
  const [mantissa = '0', expText = '0'] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const abs = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
  }
  // In this range JavaScript's shortest decimal form is Go's %f form.
  return String(n);
}

// ---- scalar analysis (yaml_emitter_analyze_scalar and yaml_emitter_select_scalar_style) ----

function selectStyle(s: string, simpleKey: boolean): Style {
  // encoder.stringv: literal for multi-line text, plain if the text reads back as a string,
  // double-quoted otherwise.
  let style: Style = s.includes('\n') ? 'literal' : resolvesToString(s) ? 'plain' : 'double';
  const a = analyze(s);
  if (simpleKey && a.multiline) style = 'double';
  if (style === 'plain') {
    if (!a.blockPlainAllowed) style = 'single';
    if (s.length === 0 && simpleKey) style = 'single';
  }
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  return style;
}

interface Analysis {
  readonly multiline: boolean;
  readonly blockPlainAllowed: boolean;
  readonly singleQuotedAllowed: boolean;
  readonly blockAllowed: boolean;
}

function analyze(value: string): Analysis {
  if (value.length === 0) {
    return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  const chars = [...value];
  let blockIndicators = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let lineBreaks = false;
  let specialCharacters = false;
  if (value.startsWith('---') || value.startsWith('...')) blockIndicators = true;
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const next = chars[i + 1];
    const followedByWhitespace = next === undefined || next === ' ' || next === '\t' || isBreak(next);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      else if ((ch === '?' || ch === ':') && followedByWhitespace) blockIndicators = true;
      else if (ch === '-' && followedByWhitespace) blockIndicators = true;
    } else if (ch === ':' && followedByWhitespace) blockIndicators = true;
    else if (ch === '#' && precededByWhitespace) blockIndicators = true;

    if (!isPrintable(ch.codePointAt(0)!)) specialCharacters = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(ch)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = ch === ' ' || ch === '\t' || isBreak(ch);
  }
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
    blockAllowed = false;
  }
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

function isBreak(ch: string): boolean {
  return ch === '\n' || ch === '\r' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029';
}

function isPrintable(c: number): boolean {
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    c === 0x85 ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

function doubleQuotedEscape(c: number): string {
  const named: Record<number, string> = {
    0: '0',
    7: 'a',
    8: 'b',
    9: 't',
    10: 'n',
    11: 'v',
    12: 'f',
    13: 'r',
    27: 'e',
    34: '"',
    92: '\\',
    133: 'N',
    160: '_',
    8232: 'L',
    8233: 'P',
  };
  const n = named[c];
  if (n !== undefined) return n;
  const hex = c.toString(16).toUpperCase();
  if (c <= 0xff) return `x${hex.padStart(2, '0')}`;
  if (c <= 0xffff) return `u${hex.padStart(4, '0')}`;
  return `U${hex.padStart(8, '0')}`;
}

// ---- go-yaml v2's resolve(): would this plain text read back as a string? ----

const BOOL_OR_NULL = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'true',
  'True',
  'TRUE',
  'on',
  'On',
  'ON',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
  '',
  '~',
  'null',
  'Null',
  'NULL',
  '.nan',
  '.NaN',
  '.NAN',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

export function resolvesToString(s: string): boolean {
  if (BASE60_FLOAT.test(s)) return false;
  if (BOOL_OR_NULL.has(s)) return false;
  const first = s[0];
  if (first === '.') return !isGoFloat(s);
  if (first === undefined || !/[-+0-9]/.test(first)) return true;
  if (isTimestamp(s)) return false;
  const plain = s.replaceAll('_', '');
  if (isGoInt(plain)) return false;
  if (YAML_STYLE_FLOAT.test(plain)) return false;
  if (/^-?0b[01]+$/.test(plain)) return false;
  return true;
}

/** strconv.ParseInt/ParseUint with base 0 (sign, 0x / 0o / 0b / leading-0 octal). */
function isGoInt(s: string): boolean {
  const m = s.match(/^[+-]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/);
  if (!m) return false;
  // Values beyond 64 bits fail both ParseInt and ParseUint; they are then tried as floats, which
  // the caller does too, so the verdict is the same either way for decimal digits.
  return true;
}

function isGoFloat(s: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) || /^[+-]?(inf|infinity|nan)$/i.test(s);
}

function isTimestamp(s: string): boolean {
  const m = s.match(
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/,
  );
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return false;
  const daysIn = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysIn) return false;
  const hour = Number(m[4] ?? m[7] ?? 0);
  const minute = Number(m[5] ?? m[8] ?? 0);
  const second = Number(m[6] ?? m[9] ?? 0);
  return hour < 24 && minute < 60 && second < 60;
}

// ---- go-yaml v2's keyList.Less: natural order for map keys ----

export function keyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + Number(ar[ai]);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

function isLetter(ch: string): boolean {
  return /\p{L}/u.test(ch);
}

function isDigit(ch: string): boolean {
  return /\p{Nd}/u.test(ch);
}
