import { goQuote, goSharpV, INVALID, type JpValue } from '../jsonpath';
import { goFormatG } from '../yaml';
import { GoInt, kindOf, numberOf, sortedKeys, typeName } from './values';

/**
 * Go's fmt over template values: Sprint, Sprintln and Sprintf with the verbs, flags, widths and
 * precisions people use (`%s %d %v %q %x %e %f %g %t %T %c %U %%`, `%-10s`, `%05d`, `%.2f`,
 * `%*d`, `%[2]s`), maps and slices formatted element by element, and fmt's error forms
 * (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA ...)`, `%!(NOVERB)`).
 */

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

const plain = (): Spec => ({ minus: false, plus: false, sharp: false, space: false, zero: false });

function runeCount(s: string): number {
  return [...s].length;
}

function pad(s: string, spec: Spec, zeroAllowed = true): string {
  const width = spec.width ?? 0;
  const n = runeCount(s);
  if (n >= width) return s;
  const fill = width - n;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero && zeroAllowed) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(fill) + s.slice(sign.length);
  }
  return ' '.repeat(fill) + s;
}

function badVerb(verb: string, v: JpValue): string {
  if (v === null || v === INVALID || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatArg(v, 'v', plain(), 0)})`;
}

function formatInteger(n: number, unsigned: boolean, verb: string, spec: Spec, v: JpValue): string {
  const neg = n < 0 && !unsigned;
  const abs = BigInt(Math.abs(Math.trunc(n)));
  let digits: string;
  let prefix = '';
  switch (verb) {
    case 'v':
    case 'd':
      digits = abs.toString(10);
      break;
    case 'b':
      digits = abs.toString(2);
      if (spec.sharp) prefix = '0b';
      break;
    case 'o':
    case 'O':
      digits = abs.toString(8);
      if (verb === 'O') prefix = '0o';
      else if (spec.sharp && digits !== '0') prefix = '0';
      break;
    case 'x':
    case 'X':
      digits = abs.toString(16);
      if (verb === 'X') digits = digits.toUpperCase();
      if (spec.sharp) prefix = verb === 'x' ? '0x' : '0X';
      break;
    case 'c':
      return pad(String.fromCodePoint(safeRune(n)), spec);
    case 'q':
      return pad(quoteRune(safeRune(n)), spec);
    case 'U': {
      const hex = `U+${abs.toString(16).toUpperCase().padStart(4, '0')}`;
      return pad(spec.sharp ? `${hex} '${String.fromCodePoint(safeRune(n))}'` : hex, spec);
    }
    default:
      return badVerb(verb, v);
  }
  if (spec.prec !== undefined) {
    if (spec.prec === 0 && abs === 0n) digits = '';
    digits = digits.padStart(spec.prec, '0');
  } else if (spec.zero && !spec.minus && spec.width !== undefined) {
    const signWidth = neg || spec.plus || spec.space ? 1 : 0;
    digits = digits.padStart(spec.width - signWidth - prefix.length, '0');
  }
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return pad(sign + prefix + digits, spec, false);
}

function safeRune(n: number): number {
  return n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n < 0xe000) ? n : 0xfffd;
}

/** strconv.QuoteRune. */
function quoteRune(r: number): string {
  const c = String.fromCodePoint(r);
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  return `'${goQuote(c).slice(1, -1)}'`;
}

/** %e with Go's at-least-two-digit exponent. */
function expForm(n: number, prec: number, upper: boolean): string {
  const [m, e] = n.toExponential(Math.min(prec, 100)).split('e') as [string, string];
  const exp = Number(e);
  const text = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return upper ? text.toUpperCase() : text;
}

/** %g with a precision: significant digits, %e past the exponent limit, no trailing zeros. */
function gForm(n: number, prec: number | undefined, upper: boolean): string {
  if (prec === undefined) {
    const text = goFormatG(n);
    return upper ? text.toUpperCase() : text;
  }
  const p = prec === 0 ? 1 : prec;
  const [m, e] = n.toExponential(p - 1).split('e') as [string, string];
  const exp = Number(e);
  const digits = m.replace('-', '').replace('.', '').replace(/0+$/, '') || '0';
  let eprec = p;
  if (eprec > digits.length && digits.length >= exp + 1) eprec = digits.length;
  if (exp < -4 || exp >= eprec) return expForm(n, digits.length - 1, upper);
  return n.toFixed(Math.max(digits.length - (exp + 1), 0));
}

/** %x of a float: Go's hexadecimal mantissa and binary exponent (`0x1.8p+00`). */
function hexFloat(n: number, upper: boolean): string {
  if (n === 0) return upper ? '0X0P+00' : '0x0p+00';
  const neg = n < 0;
  let m = Math.abs(n);
  let exp = Math.floor(Math.log2(m));
  m /= 2 ** exp;
  if (m >= 2) {
    m /= 2;
    exp++;
  }
  let frac = '';
  let rest = m - 1;
  for (let i = 0; i < 13 && rest > 0; i++) {
    rest *= 16;
    const d = Math.floor(rest);
    frac += d.toString(16);
    rest -= d;
  }
  const text = `${neg ? '-' : ''}0x1${frac ? `.${frac}` : ''}p${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return upper ? text.toUpperCase() : text;
}

function formatFloat(n: number, verb: string, spec: Spec, v: JpValue): string {
  let text: string;
  if (!Number.isFinite(n)) text = Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  else
    switch (verb) {
      case 'v':
      case 'g':
      case 'G':
        text = gForm(n, spec.prec, verb === 'G');
        break;
      case 'e':
      case 'E':
        text = expForm(n, spec.prec ?? 6, verb === 'E');
        break;
      case 'f':
      case 'F':
        text = n.toFixed(spec.prec ?? 6);
        break;
      case 'x':
      case 'X':
        text = hexFloat(n, verb === 'X');
        break;
      default:
        return badVerb(verb, v);
    }
  if (!text.startsWith('-') && !text.startsWith('+')) {
    if (spec.plus) text = `+${text}`;
    else if (spec.space) text = ` ${text}`;
  }
  return pad(text, spec, Number.isFinite(n));
}

function formatString(s: string, verb: string, spec: Spec, v: JpValue): string {
  switch (verb) {
    case 'v':
    case 's':
      return pad(spec.prec !== undefined ? [...s].slice(0, spec.prec).join('') : s, spec);
    case 'q':
      if (spec.sharp && canBackquote(s)) return pad(`\`${s}\``, spec);
      return pad(goQuote(spec.prec !== undefined ? [...s].slice(0, spec.prec).join('') : s), spec);
    case 'x':
    case 'X': {
      let bytes = [...Buffer.from(s, 'utf8')];
      if (spec.prec !== undefined) bytes = bytes.slice(0, spec.prec);
      const hex = bytes.map((b) => {
        const h = b.toString(16).padStart(2, '0');
        return verb === 'X' ? h.toUpperCase() : h;
      });
      const prefix = spec.sharp ? (verb === 'x' ? '0x' : '0X') : '';
      const text = spec.space ? hex.map((h) => prefix + h).join(' ') : prefix + hex.join('');
      return pad(text, spec);
    }
    default:
      return badVerb(verb, v);
  }
}

/** strconv.CanBackquote: no backquote and no control character but tab. */
function canBackquote(s: string): boolean {
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (c === '`' || code === 0x7f || (code < 0x20 && c !== '\t')) return false;
  }
  return true;
}

/** printArg / printValue: one operand with a verb. `depth` > 0 inside maps and slices. */
function formatArg(v: JpValue, verb: string, spec: Spec, depth: number): string {
  if (verb === 'T') return pad(typeName(v), spec);
  const kind = kindOf(v);
  if (kind === 'invalid' || kind === 'nil') {
    if (depth > 0 || verb === 'v') return pad('<nil>', spec);
    return badVerb(verb, v);
  }
  if (spec.sharp && verb === 'v') return goSharpV(v instanceof GoInt ? v.value : v);
  switch (kind) {
    case 'bool':
      return verb === 't' || verb === 'v' ? pad(String(v), spec) : badVerb(verb, v);
    case 'int':
      return formatInteger(numberOf(v), false, verb, spec, v);
    case 'uint':
      return formatInteger(numberOf(v), true, verb, spec, v);
    case 'float':
      return formatFloat(numberOf(v), verb, spec, v);
    case 'string':
      return formatString(v as string, verb, spec, v);
    case 'slice':
      return `[${(v as JpValue[]).map((e) => formatArg(e, verb, spec, depth + 1)).join(' ')}]`;
    default: {
      const m = v as Record<string, JpValue>;
      const pairs = sortedKeys(m).map(
        (k) => `${formatArg(k, verb, spec, depth + 1)}:${formatArg(m[k], verb, spec, depth + 1)}`,
      );
      return `map[${pairs.join(' ')}]`;
    }
  }
}

/** fmt.Sprint of one value (%v). */
export function sprintValue(v: JpValue): string {
  return formatArg(v, 'v', plain(), 0);
}

/** fmt.Sprint: spaces between operands when neither is a string. */
export function sprint(args: readonly JpValue[]): string {
  let out = '';
  let prevString = false;
  args.forEach((a, i) => {
    const isString = typeof a === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += sprintValue(a);
    prevString = isString;
  });
  return out;
}

/** fmt.Sprintln: operands always separated by spaces, then a newline. */
export function sprintln(args: readonly JpValue[]): string {
  return `${args.map(sprintValue).join(' ')}\n`;
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly JpValue[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  const chars = [...format];
  let i = 0;
  const intArg = (): number | undefined => {
    if (argNum >= args.length) return undefined;
    const a = args[argNum++];
    const k = kindOf(a);
    return k === 'int' || k === 'uint' ? numberOf(a) : undefined;
  };
  const argIndex = (): boolean => {
    // `[n]` picks operand n (1-based) for what follows.
    if (chars[i] !== '[') return true;
    reordered = true;
    const close = chars.indexOf(']', i);
    const n = close < 0 ? Number.NaN : Number(chars.slice(i + 1, close).join(''));
    if (
      close < 0 ||
      !Number.isInteger(n) ||
      n < 1 ||
      n > args.length ||
      chars.slice(i + 1, close).length === 0
    ) {
      i = close < 0 ? chars.length : close + 1;
      return false;
    }
    argNum = n - 1;
    i = close + 1;
    return true;
  };
  while (i < chars.length) {
    const c = chars[i]!;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    const spec = plain();
    flags: for (; i < chars.length; i++) {
      switch (chars[i]) {
        case '#':
          spec.sharp = true;
          break;
        case '0':
          spec.zero = !spec.minus;
          break;
        case '+':
          spec.plus = true;
          break;
        case '-':
          spec.minus = true;
          spec.zero = false;
          break;
        case ' ':
          spec.space = true;
          break;
        default:
          break flags;
      }
    }
    let goodIndex = argIndex();
    if (chars[i] === '*') {
      i++;
      const w = intArg();
      if (w === undefined) out += '%!(BADWIDTH)';
      else {
        spec.width = Math.abs(w);
        if (w < 0) {
          spec.minus = true;
          spec.zero = false;
        }
      }
      goodIndex = argIndex() && goodIndex;
    } else {
      let digits = '';
      while (i < chars.length && /[0-9]/.test(chars[i]!)) digits += chars[i++];
      if (digits !== '') spec.width = Number(digits);
    }
    if (chars[i] === '.') {
      i++;
      goodIndex = argIndex() && goodIndex;
      if (chars[i] === '*') {
        i++;
        const p = intArg();
        if (p === undefined || p < 0) out += '%!(BADPREC)';
        else spec.prec = p;
        goodIndex = argIndex() && goodIndex;
      } else {
        let digits = '';
        while (i < chars.length && /[0-9]/.test(chars[i]!)) digits += chars[i++];
        spec.prec = digits === '' ? 0 : Number(digits);
      }
    }
    goodIndex = argIndex() && goodIndex;
    if (i >= chars.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = chars[i++]!;
    if (verb === '%') out += '%';
    else if (!goodIndex) out += `%!${verb}(BADINDEX)`;
    else if (argNum >= args.length) out += `%!${verb}(MISSING)`;
    else {
      if (verb === 'v' && spec.plus) spec.plus = false;
      out += formatArg(args[argNum], verb, spec, 0);
      argNum++;
    }
  }
  if (!reordered && argNum < args.length) {
    const extra = args
      .slice(argNum)
      .map((a) => (a === null || a === INVALID ? '<nil>' : `${typeName(a)}=${sprintValue(a)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}
