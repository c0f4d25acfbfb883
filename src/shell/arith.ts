/**
 * bash's arithmetic (`$((…))`, `${X:offset:length}`): 64-bit signed integers that wrap, C's
 * operators and precedence, variables by name (unset or empty is 0; a value that is not a number
 * is evaluated as an expression itself), and expr.c's error messages, `bash: EXPR: MESSAGE (error
 * token is "REST")`, where REST is the text from the token bash was looking at.
 */

export class ArithError extends Error {}

export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

/** bash gives up on `a=a; $((a))` at 1024 levels; a lower bound keeps JavaScript's stack safe. */
const MAX_DEPTH = 100;

type Tok =
  | { t: 'num'; v: bigint }
  | { t: 'id'; name: string }
  | { t: 'op'; op: string }
  /** A character that is no operator: "operand expected" or "invalid arithmetic operator". */
  | { t: 'bad' }
  | { t: 'eof' };

const OPS = [
  '<<=',
  '>>=',
  '**',
  '++',
  '--',
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '<<',
  '>>',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '=',
  '!',
  '~',
  '&',
  '|',
  '^',
  '?',
  ':',
  '(',
  ')',
  ',',
];

/** Evaluates one expression; throws ArithError with bash's message. */
export function evalArith(expression: string, vars: ArithVars, depth = 0): bigint {
  return new Evaluator(expression, vars, depth).run();
}

/** The integer a shell string holds, as bash's arithmetic reads it. */
export function formatArith(v: bigint): string {
  return v.toString();
}

class Evaluator {
  private pos = 0;
  /** Where the last token started (bash's lasttp): error messages quote the text from there. */
  private lastStart = 0;
  private tok: Tok = { t: 'eof' };
  private tokStart = 0;
  /** Inside the branch of `&&`, `||` or `?:` that is not taken: parse, do not evaluate. */
  private noeval = 0;
  private parens = 0;

  constructor(
    private readonly expr: string,
    private readonly vars: ArithVars,
    private readonly depth: number,
  ) {}

  run(): bigint {
    if (this.depth > MAX_DEPTH) this.fail('expression recursion level exceeded');
    this.next();
    if (this.tok.t === 'eof') return 0n;
    const v = this.comma();
    if (this.tok.t === 'bad') this.fail('syntax error: invalid arithmetic operator');
    if (!this.atEof()) this.fail('syntax error in expression');
    return v;
  }

  private fail(message: string, tokenAt = this.lastStart, expr = this.expr): never {
    const shown = expr.replace(/^[ \t\n]+/, '');
    throw new ArithError(`${shown}: ${message} (error token is "${expr.slice(tokenAt)}")`);
  }

  private next(): void {
    let i = this.pos;
    while (i < this.expr.length && /[ \t\n\r]/.test(this.expr[i] as string)) i++;
    if (i >= this.expr.length) {
      this.pos = i;
      this.tok = { t: 'eof' };
      return;
    }
    this.lastStart = i;
    this.tokStart = i;
    const rest = this.expr.slice(i);
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (id) {
      this.pos = i + id[0].length;
      this.tok = { t: 'id', name: id[0] };
      return;
    }
    const num = /^[0-9][A-Za-z0-9_@#]*/.exec(rest);
    if (num) {
      this.pos = i + num[0].length;
      this.tok = { t: 'num', v: this.number(num[0]) };
      return;
    }
    const op = OPS.find((o) => rest.startsWith(o));
    this.pos = i + (op?.length ?? 1);
    this.tok = op ? { t: 'op', op } : { t: 'bad' };
  }

  /** strtoimax with bash's bases: 0x1f, 017, 2#101, 64#_; digits beyond the base are an error. */
  private number(text: string): bigint {
    let base = 10;
    let digits = text;
    const hash = text.indexOf('#');
    if (hash >= 0) {
      base = Number(text.slice(0, hash));
      digits = text.slice(hash + 1);
      if (!/^[0-9]+$/.test(text.slice(0, hash)) || base < 2 || base > 64)
        this.fail('invalid arithmetic base');
      if (digits === '') this.fail('invalid integer constant');
    } else if (/^0[xX]/.test(text)) {
      base = 16;
      digits = text.slice(2);
    } else if (text.startsWith('0') && text.length > 1) {
      base = 8;
      digits = text.slice(1);
    }
    let v = 0n;
    for (const ch of digits) {
      let d: number;
      if (ch >= '0' && ch <= '9') d = ch.charCodeAt(0) - 48;
      else if (ch >= 'a' && ch <= 'z') d = ch.charCodeAt(0) - 97 + 10;
      else if (ch >= 'A' && ch <= 'Z') d = ch.charCodeAt(0) - 65 + (base <= 36 ? 10 : 36);
      else if (ch === '@') d = 62;
      else if (ch === '_') d = 63;
      else d = 99;
      // bash quotes the constant alone here: `08: value too great for base (error token is "08")`.
      if (d >= base) this.fail('value too great for base', 0, text);
      v = wrap(v * BigInt(base) + BigInt(d));
    }
    return v;
  }

  /** Read through a method: TypeScript would keep `tok` narrowed across `next()`. */
  private atEof(): boolean {
    return this.tok.t === 'eof';
  }

  private isOp(...ops: string[]): string | undefined {
    return this.tok.t === 'op' && ops.includes(this.tok.op) ? this.tok.op : undefined;
  }

  private comma(): bigint {
    let v = this.assign();
    while (this.isOp(',')) {
      this.next();
      v = this.assign();
    }
    return v;
  }

  private assign(): bigint {
    if (this.tok.t === 'id') {
      // Look ahead for NAME = …, NAME += …: anything else rewinds.
      const save = { pos: this.pos, tok: this.tok, lastStart: this.lastStart, tokStart: this.tokStart };
      const name = this.tok.name;
      this.next();
      const op = this.isOp('=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '|=', '^=');
      if (op) {
        const opEnd = this.pos;
        this.next();
        const rhs = this.assign();
        if (this.noeval) return rhs;
        const value = op === '=' ? rhs : this.binary(op.slice(0, -1), this.variable(name), rhs, opEnd);
        this.vars.set(name, formatArith(value));
        return value;
      }
      Object.assign(this, save);
    }
    const v = this.cond();
    if (this.isOp('=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '|=', '^='))
      this.fail('attempted assignment to non-variable');
    return v;
  }

  private cond(): bigint {
    const c = this.binaryLevel(0);
    if (!this.isOp('?')) return c;
    this.next();
    if (this.atEof()) this.fail('expression expected');
    if (c === 0n) this.noeval++;
    const a = this.comma();
    if (c === 0n) this.noeval--;
    if (!this.isOp(':')) this.fail("`:' expected for conditional expression");
    this.next();
    if (this.atEof()) this.fail('expression expected');
    if (c !== 0n) this.noeval++;
    const b = this.cond();
    if (c !== 0n) this.noeval--;
    return c !== 0n ? a : b;
  }

  private static readonly LEVELS: readonly (readonly string[])[] = [
    ['||'],
    ['&&'],
    ['|'],
    ['^'],
    ['&'],
    ['==', '!='],
    ['<', '>', '<=', '>='],
    ['<<', '>>'],
    ['+', '-'],
    ['*', '/', '%'],
  ];

  private binaryLevel(level: number): bigint {
    const ops = Evaluator.LEVELS[level];
    if (!ops) return this.power();
    let v = this.binaryLevel(level + 1);
    for (let op = this.isOp(...ops); op; op = this.isOp(...ops)) {
      const opEnd = this.pos;
      this.next();
      const short = (op === '&&' && v === 0n) || (op === '||' && v !== 0n);
      if (short) this.noeval++;
      const rhs = this.binaryLevel(level + 1);
      if (short) this.noeval--;
      if (op === '&&') v = v !== 0n && rhs !== 0n ? 1n : 0n;
      else if (op === '||') v = v !== 0n || rhs !== 0n ? 1n : 0n;
      else v = this.binary(op, v, rhs, opEnd);
    }
    return v;
  }

  private binary(op: string, a: bigint, b: bigint, opEnd: number): bigint {
    if (this.noeval) return 0n;
    switch (op) {
      case '+':
        return wrap(a + b);
      case '-':
        return wrap(a - b);
      case '*':
        return wrap(a * b);
      case '/':
      case '%': {
        if (b === 0n) {
          let at = opEnd;
          while (at < this.expr.length && /[ \t\n]/.test(this.expr[at] as string)) at++;
          this.fail('division by 0', at);
        }
        return wrap(op === '/' ? a / b : a % b);
      }
      case '<<':
        return wrap(a << (b & 63n));
      case '>>':
        return wrap(a >> (b & 63n));
      case '&':
        return a & b;
      case '|':
        return a | b;
      case '^':
        return a ^ b;
      case '==':
        return a === b ? 1n : 0n;
      case '!=':
        return a !== b ? 1n : 0n;
      case '<':
        return a < b ? 1n : 0n;
      case '>':
        return a > b ? 1n : 0n;
      case '<=':
        return a <= b ? 1n : 0n;
      case '>=':
        return a >= b ? 1n : 0n;
      default:
        return 0n;
    }
  }

  private power(): bigint {
    const base = this.unary();
    if (!this.isOp('**')) return base;
    this.next();
    const exp = this.power();
    if (this.noeval) return 0n;
    if (exp < 0n) this.fail('exponent less than 0');
    let result = 1n;
    let b = base;
    let e = exp;
    while (e > 0n) {
      if (e & 1n) result = wrap(result * b);
      b = wrap(b * b);
      e >>= 1n;
    }
    return result;
  }

  private unary(): bigint {
    const op = this.isOp('!', '~', '-', '+', '++', '--');
    if (!op) return this.primary();
    this.next();
    if (op === '++' || op === '--') {
      if (this.tok.t !== 'id') this.fail('syntax error: operand expected');
      const name = this.tok.name;
      this.next();
      if (this.noeval) return 0n;
      const v = wrap(this.variable(name) + (op === '++' ? 1n : -1n));
      this.vars.set(name, formatArith(v));
      return v;
    }
    const v = this.unary();
    if (op === '!') return v === 0n ? 1n : 0n;
    if (op === '~') return ~v;
    return op === '-' ? wrap(-v) : v;
  }

  private primary(): bigint {
    const tok = this.tok;
    if (tok.t === 'num') {
      this.next();
      return tok.v;
    }
    if (tok.t === 'id') {
      this.next();
      const post = this.isOp('++', '--');
      if (post) {
        this.next();
        if (this.noeval) return 0n;
        const v = this.variable(tok.name);
        this.vars.set(tok.name, formatArith(wrap(v + (post === '++' ? 1n : -1n))));
        return v;
      }
      return this.noeval ? 0n : this.variable(tok.name);
    }
    if (this.isOp('(')) {
      if (++this.parens > 200) this.fail('expression recursion level exceeded');
      this.next();
      const v = this.comma();
      if (!this.isOp(')')) this.fail("missing `)'");
      this.parens--;
      this.next();
      return v;
    }
    this.fail('syntax error: operand expected');
  }

  /** A variable's value: unset or empty is 0; anything else is an expression of its own. */
  private variable(name: string): bigint {
    const value = this.vars.get(name);
    if (value === undefined || value === '') return 0n;
    if (/^-?[0-9]+$/.test(value.trim()) && !/^-?0[0-9]/.test(value.trim())) return wrap(BigInt(value.trim()));
    return evalArith(value, this.vars, this.depth + 1);
  }
}
