import { goQuote } from '../jsonpath';
import { lex, type Token } from './lex';
import type { ArgNode, CommandNode, Node, NumberNode, PipeNode } from './nodes';

/**
 * The parser of Go's text/template (parse/parse.go): actions, pipelines, control structures
 * (`if`/`else if`/`with`/`else with`/`range`/`break`/`continue`), variables with their scopes,
 * `define`/`template`/`block`, and the parse errors as Go words them
 * (`template: output:1: unexpected EOF`).
 */

export class TemplateParseError extends Error {}

export interface ParsedTemplate {
  /** The template text (error positions are computed from it). */
  readonly text: string;
  /** The templates by name: the main one and every `define`d or `block` one. */
  readonly templates: ReadonlyMap<string, Node[]>;
}

type Marker = { readonly type: 'end' | 'else'; readonly pos: number };

function isMarker(n: Node | Marker): n is Marker {
  return n.type === 'end' || n.type === 'else';
}

/** Functions a template may call: text/template's builtins and the two kubectl adds. */
export const FUNCTION_NAMES = new Set([
  'and',
  'call',
  'html',
  'index',
  'slice',
  'js',
  'len',
  'not',
  'or',
  'print',
  'printf',
  'println',
  'urlquery',
  'eq',
  'ge',
  'gt',
  'le',
  'lt',
  'ne',
  'exists',
  'base64decode',
]);

export function parseTemplate(name: string, text: string): ParsedTemplate {
  const p = new Parser(name, text);
  p.parseAll();
  return { text, templates: p.templates };
}

/** item.String(): how an unexpected token is named in an error. */
function tokenString(t: Token): string {
  if (t.type === 'eof') return 'EOF';
  if (t.type === 'error') return t.val;
  if (t.type === 'keyword' || t.type === 'dot') return `<${t.val}>`;
  const runes = [...t.val];
  if (runes.length > 10) return `${goQuote(runes.slice(0, 10).join(''))}...`;
  return goQuote(t.val);
}

function isKeyword(t: Token, word: string): boolean {
  return t.type === 'keyword' && t.val === word;
}

class Parser {
  readonly templates = new Map<string, Node[]>();
  private readonly tokens: Token[];
  private i = 0;
  private lexed = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;

  constructor(
    private readonly name: string,
    text: string,
  ) {
    this.tokens = lex(text);
  }

  private token(at: number): Token {
    return this.tokens[Math.min(at, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.token(this.i);
    this.lexed = Math.max(this.lexed, this.i);
    if (this.i < this.tokens.length - 1) this.i++;
    else this.i = this.tokens.length;
    return t;
  }
  private backup(): void {
    this.i--;
  }
  private peek(): Token {
    const t = this.next();
    this.backup();
    return t;
  }
  private nextNonSpace(): Token {
    let t = this.next();
    while (t.type === 'space') t = this.next();
    return t;
  }
  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  private errorf(message: string): never {
    throw new TemplateParseError(`template: ${this.name}:${this.token(this.lexed).line}: ${message}`);
  }
  private unexpected(t: Token, context: string): never {
    if (t.type === 'error') this.errorf(t.val);
    this.errorf(`unexpected ${tokenString(t)} in ${context}`);
  }
  private expect(type: Token['type'], context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }

  parseAll(): void {
    const root: Node[] = [];
    this.templates.set(this.name, root);
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const at = this.i;
        this.next();
        if (isKeyword(this.nextNonSpace(), 'define')) {
          this.parseDefinition();
          continue;
        }
        this.i = at;
      }
      const n = this.textOrAction();
      if (isMarker(n)) this.errorf(`unexpected {{${n.type}}}`);
      else root.push(n);
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameToken = this.nextNonSpace();
    if (nameToken.type !== 'string' && nameToken.type !== 'rawString') this.unexpected(nameToken, context);
    const name = this.unquote(nameToken.val);
    this.expect('rightDelim', context);
    const saved = this.vars;
    this.vars = ['$'];
    const [list, end] = this.itemList();
    this.vars = saved;
    if (end.type !== 'end') this.errorf(`unexpected {{${end.type}}} in ${context}`);
    this.templates.set(name, list);
  }

  private itemList(): [Node[], Marker] {
    const list: Node[] = [];
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if (isMarker(n)) return [list, n];
      list.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node | Marker {
    const t = this.nextNonSpace();
    if (t.type === 'text') return { type: 'text', pos: t.pos, text: t.val };
    if (t.type === 'leftDelim') return this.action();
    this.unexpected(t, 'input');
  }

  private action(): Node | Marker {
    const t = this.nextNonSpace();
    if (t.type === 'keyword') {
      switch (t.val) {
        case 'block':
          return this.blockControl();
        case 'break':
        case 'continue':
          return this.loopControl(t);
        case 'else':
          return this.elseControl();
        case 'end':
          return { type: 'end', pos: this.expect('rightDelim', 'end').pos };
        case 'if':
        case 'range':
        case 'with':
          return this.control(t.val);
        case 'template':
          return this.templateControl();
      }
    }
    this.backup();
    const first = this.peek();
    return { type: 'action', pos: first.pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  private loopControl(t: Token): Node {
    const word = t.val as 'break' | 'continue';
    const close = this.nextNonSpace();
    if (close.type !== 'rightDelim') this.unexpected(close, `{{${word}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${word}}} outside {{range}}`);
    return { type: word, pos: t.pos };
  }

  private elseControl(): Marker {
    const peek = this.peekNonSpace();
    if (isKeyword(peek, 'if') || isKeyword(peek, 'with')) return { type: 'else', pos: peek.pos };
    return { type: 'else', pos: this.expect('rightDelim', 'else').pos };
  }

  private control(context: 'if' | 'range' | 'with'): Node {
    const mark = this.vars.length;
    const pipe = this.pipeline(context, 'rightDelim');
    if (context === 'range') this.rangeDepth++;
    const [list, next] = this.itemList();
    if (context === 'range') this.rangeDepth--;
    let elseList: Node[] | undefined;
    if (next.type === 'else') {
      const chained = context !== 'range' && isKeyword(this.peek(), context);
      if (chained) {
        // `{{else if}}`/`{{else with}}`: a nested control that shares this one's {{end}}.
        this.next();
        elseList = [this.control(context)];
      } else {
        const [rest, end] = this.itemList();
        if (end.type !== 'end') this.errorf(`expected end; found {{${end.type}}}`);
        elseList = rest;
      }
    }
    this.vars.length = mark;
    return { type: context, pos: pipe.pos, pipe, list, ...(elseList ? { elseList } : {}) };
  }

  private templateName(t: Token, context: string): string {
    if (t.type !== 'string' && t.type !== 'rawString') this.unexpected(t, context);
    return this.unquote(t.val);
  }

  private templateControl(): Node {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: t.pos, name, ...(pipe ? { pipe } : {}) };
  }

  private blockControl(): Node {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    const pipe = this.pipeline(context, 'rightDelim');
    const saved = this.vars;
    this.vars = ['$'];
    const [list, end] = this.itemList();
    this.vars = saved;
    if (end.type !== 'end') this.errorf(`unexpected {{${end.type}}} in ${context}`);
    this.templates.set(name, list);
    return { type: 'template', pos: t.pos, name, pipe };
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const pipe: PipeNode = {
      type: 'pipe',
      pos: this.peekNonSpace().pos,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      const at = this.i;
      this.nextNonSpace();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push({ pos: v.pos, name: v.val });
        this.vars.push(v.val);
        break;
      }
      if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push({ pos: v.pos, name: v.val });
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = this.peekNonSpace().type;
          if (t === 'variable' || t === 'rightDelim' || t === 'rightParen') continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      }
      this.i = at;
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.type) {
        case 'bool':
        case 'charConstant':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          continue;
        case 'keyword':
          if (t.val === 'nil') {
            this.backup();
            pipe.cmds.push(this.command());
            continue;
          }
      }
      this.unexpected(t, context);
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      if (['bool', 'dot', 'nil', 'number', 'string'].includes(c.args[0]!.type))
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.backup();
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().type !== 'field') return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    switch (node.type) {
      case 'field':
        return { type: 'field', pos, idents: [...node.idents, ...fields] };
      case 'variable':
        return { type: 'variable', pos, idents: [...node.idents, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf(`unexpected . after term ${goQuote(argStringShort(node))}`);
    }
    return { type: 'chain', pos, node, fields };
  }

  private term(): ArgNode | undefined {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'identifier':
        if (!FUNCTION_NAMES.has(t.val)) this.errorf(`function ${goQuote(t.val)} not defined`);
        return { type: 'identifier', pos: t.pos, name: t.val };
      case 'dot':
        return { type: 'dot', pos: t.pos };
      case 'variable': {
        const idents = t.val.split('.');
        if (!this.vars.includes(idents[0]!)) this.errorf(`undefined variable ${goQuote(idents[0]!)}`);
        return { type: 'variable', pos: t.pos, idents };
      }
      case 'field':
        return { type: 'field', pos: t.pos, idents: [t.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'charConstant':
      case 'number':
        return this.number(t);
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        return { type: 'string', pos: t.pos, quoted: t.val, text: this.unquote(t.val) };
      case 'keyword':
        if (t.val === 'nil') return { type: 'nil', pos: t.pos };
    }
    this.backup();
    return undefined;
  }

  private number(t: Token): NumberNode {
    if (t.type === 'charConstant') {
      const rune = this.unquote(t.val);
      return { type: 'number', pos: t.pos, text: t.val, kind: 'int', value: rune.codePointAt(0) ?? 0 };
    }
    const parsed = parseGoNumber(t.val);
    if (parsed === undefined) this.errorf(`illegal number syntax: ${goQuote(t.val)}`);
    return { type: 'number', pos: t.pos, text: t.val, ...parsed };
  }

  private unquote(quoted: string): string {
    const s = goUnquote(quoted);
    if (s === undefined) this.errorf('invalid syntax');
    return s;
  }
}

function argStringShort(n: ArgNode): string {
  if (n.type === 'string') return n.quoted;
  if (n.type === 'number') return n.text;
  if (n.type === 'bool') return String(n.value);
  if (n.type === 'dot') return '.';
  return 'nil';
}

/**
 * A number constant as idealConstant reads it: an int unless written with `.`, an exponent or a
 * `p` (hex integers and runes stay ints); undefined when Go could not parse it.
 */
export function parseGoNumber(text: string): { kind: 'int' | 'float'; value: number } | undefined {
  const t = text.startsWith('+') ? text.slice(1) : text;
  const neg = t.startsWith('-');
  const body = (neg ? t.slice(1) : t).toLowerCase();
  const sign = neg ? -1 : 1;
  const intForms: [RegExp, number][] = [
    [/^0x[0-9a-f_]+$/, 16],
    [/^0o[0-7_]+$/, 8],
    [/^0b[01_]+$/, 2],
    [/^0[0-7_]+$/, 8],
    [/^[0-9][0-9_]*$/, 10],
  ];
  for (const [re, base] of intForms) {
    if (!re.test(body)) continue;
    const digits = (base === 10 ? body : body.replace(/^0[xob]?/, '')).replace(/_/g, '');
    if (digits === '' && base !== 8) return undefined;
    return { kind: 'int', value: sign * (digits === '' ? 0 : Number.parseInt(digits, base)) };
  }
  if (/^(\d[\d_]*)?(\.[\d_]*)?(e[+-]?\d[\d_]*)?$/.test(body) && /\d/.test(body)) {
    const value = sign * Number(body.replace(/_/g, ''));
    if (Number.isNaN(value)) return undefined;
    return { kind: /[.e]/.test(body) ? 'float' : 'int', value };
  }
  return undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** strconv.Unquote of a Go string, raw string or rune literal; undefined for invalid syntax. */
export function goUnquote(quoted: string): string | undefined {
  const q = quoted[0];
  if (quoted.length < 2 || quoted[quoted.length - 1] !== q) return undefined;
  const body = quoted.slice(1, -1);
  if (q === '`') return body.includes('`') ? undefined : body.replace(/\r/g, '');
  if (q !== '"' && q !== "'") return undefined;
  let out = '';
  const bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) out += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === q || c === '\n') return undefined;
    if (c !== '\\') {
      flush();
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return undefined;
    if (e in SIMPLE_ESCAPES) {
      if ((e === "'" && q === '"') || (e === '"' && q === "'")) return undefined;
      flush();
      out += SIMPLE_ESCAPES[e];
      continue;
    }
    const hex = (n: number): number | undefined => {
      const h = body.slice(i + 1, i + 1 + n);
      if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) return undefined;
      i += n;
      return Number.parseInt(h, 16);
    };
    if (e === 'x') {
      const b = hex(2);
      if (b === undefined) return undefined;
      bytes.push(b);
    } else if (e === 'u' || e === 'U') {
      const r = hex(e === 'u' ? 4 : 8);
      if (r === undefined || r > 0x10ffff || (r >= 0xd800 && r < 0xe000)) return undefined;
      flush();
      out += String.fromCodePoint(r);
    } else if (e >= '0' && e <= '7') {
      const o = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o) || Number.parseInt(o, 8) > 255) return undefined;
      i += 2;
      bytes.push(Number.parseInt(o, 8));
    } else return undefined;
  }
  flush();
  if (q === "'" && [...out].length !== 1) return undefined;
  return out;
}
