/**
 * The lexer of Go's text/template (parse/lex.go) with the default `{{ }}` delimiters: text,
 * actions, `{{-`/`-}}` trim markers, comments, and the tokens inside an action. Errors become an
 * `error` token carrying Go's message, as the real lexer emits them, and lexing stops there.
 */

export type TokenType =
  | 'error'
  | 'eof'
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'assign'
  | 'declare'
  | 'pipe'
  | 'char'
  | 'charConstant'
  | 'string'
  | 'rawString'
  | 'number'
  | 'bool'
  | 'field'
  | 'variable'
  | 'identifier'
  | 'leftParen'
  | 'rightParen'
  | 'dot'
  | 'keyword';

export interface Token {
  readonly type: TokenType;
  readonly val: string;
  /** Index of the token in the template text (UTF-16 units). */
  readonly pos: number;
  readonly line: number;
}

export const KEYWORDS = new Set([
  'block',
  'break',
  'continue',
  'define',
  'else',
  'end',
  'if',
  'range',
  'nil',
  'template',
  'with',
]);

const LEFT = '{{';
const RIGHT = '}}';

export function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

export function isAlphaNumeric(c: string | undefined): boolean {
  return c !== undefined && (c === '_' || /[\p{L}\p{Nd}]/u.test(c));
}

/** fmt's %#U: `U+007D '}'`. */
export function goRuneU(c: string): string {
  const code = c.codePointAt(0)!;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

function leftTrimMarker(s: string, at: number): boolean {
  return s[at] === '-' && isSpace(s[at + 1]);
}

function rightTrimMarker(s: string, at: number): boolean {
  return isSpace(s[at]) && s[at + 1] === '-' && s.startsWith(RIGHT, at + 2);
}

/** Tokens of `text` up to and including the first `error` or the `eof`. */
export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let start = 0;
  let parenDepth = 0;
  const EOF = undefined;

  const next = (): string | undefined => {
    if (pos >= text.length) {
      pos = text.length + 1;
      return EOF;
    }
    const c = String.fromCodePoint(text.codePointAt(pos)!);
    pos += c.length;
    return c;
  };
  const backup = (): void => {
    if (pos > text.length) {
      pos = text.length;
      return;
    }
    const prev = text.codePointAt(pos - 2);
    const width = prev !== undefined && prev > 0xffff ? 2 : 1;
    pos -= width;
  };
  const peek = (): string | undefined => {
    const c = next();
    if (c !== EOF) backup();
    else pos = text.length;
    return c;
  };
  const emit = (type: TokenType, val = text.slice(start, pos)): void => {
    tokens.push({ type, val, pos: start, line: lineAt(text, start) });
    start = pos;
  };
  const ignore = (): void => {
    start = pos;
  };
  /** Moves over delimiters and markers already recognised. */
  const skip = (n: number): void => {
    pos += n;
  };
  const error = (message: string): false => {
    tokens.push({ type: 'error', val: message, pos: start, line: lineAt(text, start) });
    return false;
  };
  const atTerminator = (): boolean => {
    const c = peek();
    if (c === EOF || isSpace(c)) return true;
    if ('.,|:)('.includes(c)) return true;
    return text.startsWith(RIGHT, pos);
  };
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (rightTrimMarker(text, pos)) return { delim: true, trim: true };
    if (text.startsWith(RIGHT, pos)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  };
  const accept = (valid: string): boolean => {
    const c = next();
    if (c !== EOF && valid.includes(c)) return true;
    backup();
    return false;
  };
  const acceptRun = (valid: string): void => {
    for (;;) {
      const c = next();
      if (c === EOF || !valid.includes(c)) break;
    }
    backup();
  };

  // Each state returns the next one, or undefined when lexing is over.
  type State = () => State | undefined;

  const lexText: State = () => {
    const x = text.indexOf(LEFT, pos);
    if (x < 0) {
      pos = text.length;
      if (pos > start) emit('text');
      emit('eof', '');
      return undefined;
    }
    let end = x;
    if (leftTrimMarker(text, x + LEFT.length)) while (end > start && isSpace(text[end - 1])) end--;
    pos = end;
    if (pos > start) emit('text');
    pos = x;
    ignore();
    return lexLeftDelim;
  };

  const lexLeftDelim: State = () => {
    skip(LEFT.length);
    const trim = leftTrimMarker(text, pos);
    const after = trim ? 2 : 0;
    if (text.startsWith('/*', pos + after)) {
      skip(after);
      ignore();
      return lexComment;
    }
    emit('leftDelim');
    skip(after);
    ignore();
    parenDepth = 0;
    return lexInsideAction;
  };

  const lexComment: State = () => {
    skip(2);
    const x = text.indexOf('*/', pos);
    if (x < 0) return error('unclosed comment') || undefined;
    pos = x + 2;
    const { delim, trim } = atRightDelim();
    if (!delim) return error('comment ends before closing delimiter') || undefined;
    if (trim) skip(2);
    skip(RIGHT.length);
    if (trim) while (isSpace(text[pos])) skip(1);
    ignore();
    return lexText;
  };

  const lexRightDelim = (trim: boolean): State => {
    if (trim) {
      skip(2);
      ignore();
    }
    skip(RIGHT.length);
    emit('rightDelim');
    if (trim) {
      while (isSpace(text[pos])) skip(1);
      ignore();
    }
    return lexText;
  };

  const lexSpace: State = () => {
    let spaces = 0;
    while (isSpace(peek())) {
      next();
      spaces++;
    }
    // A space may begin a trim-marked right delimiter (` -}}`).
    if (rightTrimMarker(text, pos - 1)) {
      backup();
      if (spaces === 1) return lexRightDelim(true);
    }
    emit('space');
    return lexInsideAction;
  };

  const lexQuoted = (close: string, message: string, type: TokenType): State | undefined => {
    for (;;) {
      const c = next();
      if (c === '\\') {
        const d = next();
        if (d !== EOF && d !== '\n') continue;
        return error(message) || undefined;
      }
      if (c === EOF || c === '\n') return error(message) || undefined;
      if (c === close) break;
    }
    emit(type);
    return lexInsideAction;
  };

  const lexRawQuote: State = () => {
    for (;;) {
      const c = next();
      if (c === EOF) return error('unterminated raw quoted string') || undefined;
      if (c === '`') break;
    }
    emit('rawString');
    return lexInsideAction;
  };

  const lexFieldOrVariable = (type: 'field' | 'variable'): State | undefined => {
    if (atTerminator()) {
      emit(type === 'variable' ? 'variable' : 'dot');
      return lexInsideAction;
    }
    let c: string | undefined;
    for (;;) {
      c = next();
      if (!isAlphaNumeric(c)) {
        backup();
        break;
      }
    }
    if (!atTerminator()) return error(`bad character ${goRuneU(peek() ?? '')}`) || undefined;
    emit(type);
    return lexInsideAction;
  };

  const scanNumber = (): boolean => {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (isAlphaNumeric(peek())) {
      next();
      return false;
    }
    return true;
  };

  const lexNumber: State = () => {
    if (!scanNumber())
      return error(`bad number syntax: ${JSON.stringify(text.slice(start, pos))}`) || undefined;
    emit('number');
    return lexInsideAction;
  };

  const lexIdentifier: State = () => {
    for (;;) {
      const c = next();
      if (!isAlphaNumeric(c)) {
        backup();
        break;
      }
    }
    if (!atTerminator()) return error(`bad character ${goRuneU(peek() ?? '')}`) || undefined;
    const word = text.slice(start, pos);
    if (KEYWORDS.has(word)) emit('keyword');
    else if (word === 'true' || word === 'false') emit('bool');
    else emit('identifier');
    return lexInsideAction;
  };

  const lexInsideAction: State = () => {
    const { delim, trim } = atRightDelim();
    if (delim) {
      if (parenDepth === 0) return lexRightDelim(trim);
      return error('unclosed left paren') || undefined;
    }
    const c = next();
    if (c === EOF) return error('unclosed action') || undefined;
    if (isSpace(c)) {
      backup();
      return lexSpace;
    }
    switch (c) {
      case '=':
        emit('assign');
        return lexInsideAction;
      case ':':
        if (next() !== '=') return error('expected :=') || undefined;
        emit('declare');
        return lexInsideAction;
      case '|':
        emit('pipe');
        return lexInsideAction;
      case '"':
        return lexQuoted('"', 'unterminated quoted string', 'string');
      case '`':
        return lexRawQuote;
      case '$':
        return lexFieldOrVariable('variable');
      case "'":
        return lexQuoted("'", 'unterminated character constant', 'charConstant');
      case '.': {
        const d = text[pos];
        if (d === undefined || d < '0' || d > '9') return lexFieldOrVariable('field');
        backup();
        return lexNumber;
      }
      case '(':
        emit('leftParen');
        parenDepth++;
        return lexInsideAction;
      case ')':
        parenDepth--;
        if (parenDepth < 0) return error('unexpected right paren') || undefined;
        emit('rightParen');
        return lexInsideAction;
    }
    if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
      backup();
      return lexNumber;
    }
    if (isAlphaNumeric(c)) {
      backup();
      return lexIdentifier;
    }
    const code = c.codePointAt(0)!;
    if (code < 0x7f && code >= 0x20) {
      emit('char');
      return lexInsideAction;
    }
    return error(`unrecognized character in action: ${goRuneU(c)}`) || undefined;
  };

  let state: State | undefined = lexText;
  while (state) state = state();
  return tokens;
}

/** The 1-based line of a position. */
export function lineAt(text: string, pos: number): number {
  let n = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text[i] === '\n') n++;
  return n;
}
