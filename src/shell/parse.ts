import { type ParseEntry, parse as shellParse } from 'shell-quote';
import { escapeGlob, unescapeGlob } from './glob';

/** How one pipeline is joined to the next: `a && b`, `a || b`, `a ; b`. */
export type Connector = '&&' | '||' | ';';

/** `a | b | c`: each command is an argv; the first reads the heredoc when the line has one. */
export interface Pipeline {
  readonly commands: readonly (readonly string[])[];
  /** `> FILE` / `>> FILE`: the last command's stdout goes to a file instead. */
  readonly redirect?: { readonly path: string; readonly append: boolean };
  /** `< FILE`: the first command reads this file. */
  readonly input?: string;
  /** `a | b &`: run as a background job; the line goes on at once. */
  readonly background?: true;
  /** The pipeline as typed (what `jobs` lists). */
  readonly text?: string;
}

export interface CommandList {
  readonly pipelines: readonly Pipeline[];
  /** connectors[i] joins pipelines[i] and pipelines[i + 1]. */
  readonly connectors: readonly Connector[];
  /** Set when the line ends in `<<EOF`: the lines up to the delimiter become the first command's stdin. */
  readonly heredocDelimiter?: string;
  /**
   * `$VAR`, `${VAR}`, `$(command)` and backquotes, expanded when the command runs (a variable set
   * earlier on the line is seen). Words hold them as EXPANSION_MARK + index + EXPANSION_MARK.
   */
  readonly expansions?: readonly Expansion[];
}

export type Expansion =
  | { readonly kind: 'var'; readonly name: string; readonly quoted: boolean }
  | { readonly kind: 'subst'; readonly line: string; readonly quoted: boolean }
  /** `${NAME<op>word}`; `replacement` is `${X/pat/rep}`'s rep or `${X:offset:length}`'s length. */
  | {
      readonly kind: 'param';
      readonly name: string;
      readonly op: ParamOp;
      readonly word: string;
      readonly replacement?: string;
      /** The whole `${…}` as written, for error messages. */
      readonly text: string;
      readonly quoted: boolean;
    }
  | { readonly kind: 'arith'; readonly expr: string; readonly quoted: boolean }
  /** `~` at the start of a word (or after `=` / `:` in an assignment): $HOME. */
  | { readonly kind: 'tilde'; readonly quoted: boolean }
  /** A `${…}` bash cannot read: `bash: ${…}: bad substitution` when the command runs, as bash. */
  | { readonly kind: 'bad'; readonly text: string; readonly quoted: boolean };

export type ParamOp =
  | '-'
  | ':-'
  | '='
  | ':='
  | '+'
  | ':+'
  | '?'
  | ':?'
  | '#'
  | '##'
  | '%'
  | '%%'
  | '/'
  | '//'
  | '/#'
  | '/%'
  | '^'
  | '^^'
  | ','
  | ',,'
  | 'length'
  | 'substring'
  | 'indirect';

/** Brackets an expansion's index inside a word (a control character no one types). */
export const EXPANSION_MARK = '\u0001';

const NAME = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?#@*])$/;
const PARAM_OPS: readonly ParamOp[] = [
  ':-',
  ':=',
  ':+',
  ':?',
  '-',
  '=',
  '+',
  '?',
  '##',
  '#',
  '%%',
  '%',
  '^^',
  '^',
  ',,',
  ',',
];

/** Reads the inside of `${…}` (`text` is the whole of it). */
function parseParam(body: string, text: string, quoted: boolean): Expansion {
  const bad: Expansion = { kind: 'bad', text, quoted };
  if (body.startsWith('#') && body.length > 1) {
    const name = body.slice(1);
    return NAME.test(name) ? { kind: 'param', name, op: 'length', word: '', text, quoted } : bad;
  }
  if (body.startsWith('!')) {
    const name = body.slice(1);
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
      ? { kind: 'param', name, op: 'indirect', word: '', text, quoted }
      : bad;
  }
  const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?#@*])/.exec(body);
  if (!m) return bad;
  const name = m[0];
  const rest = body.slice(name.length);
  if (rest === '') return { kind: 'var', name, quoted };
  const op = PARAM_OPS.find((o) => rest.startsWith(o));
  if (op) return { kind: 'param', name, op, word: rest.slice(op.length), text, quoted };
  if (rest.startsWith('/')) {
    let r = rest.slice(1);
    let slashOp: ParamOp = '/';
    if (r.startsWith('/')) slashOp = '//';
    else if (r.startsWith('#')) slashOp = '/#';
    else if (r.startsWith('%')) slashOp = '/%';
    if (slashOp !== '/') r = r.slice(1);
    const cut = topLevelIndex(r, '/');
    return {
      kind: 'param',
      name,
      op: slashOp,
      word: cut < 0 ? r : r.slice(0, cut),
      ...(cut < 0 ? {} : { replacement: r.slice(cut + 1) }),
      text,
      quoted,
    };
  }
  if (rest.startsWith(':') && rest.length > 1) {
    const r = rest.slice(1);
    const cut = topLevelIndex(r, ':');
    return {
      kind: 'param',
      name,
      op: 'substring',
      word: cut < 0 ? r : r.slice(0, cut),
      ...(cut < 0 ? {} : { replacement: r.slice(cut + 1) }),
      text,
      quoted,
    };
  }
  return bad;
}

/** The first `ch` in `text` outside quotes, escapes and nested `$(…)`/`${…}`; -1 if none. */
function topLevelIndex(text: string, ch: string): number {
  let quote: string | undefined;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '\\') i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '$' && (text[i + 1] === '{' || text[i + 1] === '(')) {
      depth++;
      i++;
    } else if ((c === '}' || c === ')') && depth > 0) depth--;
    else if (c === ch && depth === 0) return i;
  }
  return -1;
}

/** The index of the `}` closing a `${` whose body starts at `from`; -1 if none. */
function matchingBrace(line: string, from: number, quoted: boolean): number {
  let depth = 1;
  let dq = false;
  for (let i = from; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\') i++;
    else if (ch === "'" && !quoted && !dq) {
      const close = line.indexOf("'", i + 1);
      if (close < 0) return -1;
      i = close;
    } else if (ch === '"') dq = !dq;
    else if (ch === '$' && line[i + 1] === '(') {
      const close = matchingParen(line, i + 2);
      if (close < 0) return -1;
      i = close;
    } else if (ch === '$' && line[i + 1] === '{') {
      depth++;
      i++;
    } else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * The expansion that starts at `line[i]` (a `$` or a backquote): `$NAME`, `${…}`, `$(…)`,
 * `$((…))`, `` `…` ``, with the index of its last character; an error for an unterminated one;
 * undefined when the `$` is only a dollar sign.
 */
export function scanExpansion(
  line: string,
  i: number,
  quoted: boolean,
): { expansion: Expansion; end: number } | { error: string } | undefined {
  if (line[i] === '`') {
    const end = line.indexOf('`', i + 1);
    if (end < 0) return { error: "bash: unexpected EOF while looking for matching ``'" };
    return { expansion: { kind: 'subst', line: line.slice(i + 1, end), quoted }, end };
  }
  if (line[i] !== '$') return undefined;
  if (line[i + 1] === '(') {
    if (line[i + 2] === '(') {
      const inner = matchingParen(line, i + 3);
      if (inner >= 0 && line[inner + 1] === ')')
        return { expansion: { kind: 'arith', expr: line.slice(i + 3, inner), quoted }, end: inner + 1 };
    }
    const end = matchingParen(line, i + 2);
    if (end < 0) return { error: "bash: unexpected EOF while looking for matching `)'" };
    return { expansion: { kind: 'subst', line: line.slice(i + 2, end), quoted }, end };
  }
  if (line[i + 1] === '{') {
    const end = matchingBrace(line, i + 2, quoted);
    if (end < 0) return { error: `bash: ${/^\$\{[^}]*/.exec(line.slice(i))?.[0] ?? '${'}: bad substitution` };
    return { expansion: parseParam(line.slice(i + 2, end), line.slice(i, end + 1), quoted), end };
  }
  const m = /^\$([A-Za-z_][A-Za-z0-9_]*|[0-9?#@*])/.exec(line.slice(i, i + 256));
  if (m) return { expansion: { kind: 'var', name: m[1] as string, quoted }, end: i + m[0].length - 1 };
  return undefined;
}

/**
 * Finds the expansions outside single quotes and replaces each with `${__cplabN}`, which
 * shell-quote hands back to us; a quoted or escaped `*`, `?` or `[` becomes glob.ts's literal
 * mark, so that only the unquoted ones are patterns. An error for an unterminated expansion.
 */
function prescan(line: string): { line: string; expansions: Expansion[] } | { error: string } {
  const expansions: Expansion[] = [];
  let out = '';
  let quote: string | undefined;
  let wordStart = 0;
  const token = (e: Expansion): string => `\${__cplab${expansions.push(e) - 1}}`;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      out += quote === "'" ? escapeGlob(ch) : ch;
      continue;
    }
    if (ch === '\\') {
      const next = line[i + 1] ?? '';
      if (/^[*?[]$/.test(next)) out += quote === '"' ? `\\\\${escapeGlob(next)}` : escapeGlob(next);
      else out += ch + next;
      i++;
      continue;
    }
    if (ch === '#' && quote === undefined && (i === 0 || /\s/.test(line[i - 1] ?? ''))) {
      out += line.slice(i);
      break;
    }
    if (quote === undefined && /[\s|&;<>()]/.test(ch)) wordStart = i + 1;
    if (ch === "'" && quote === undefined) quote = "'";
    else if (ch === '"') quote = quote === '"' ? undefined : '"';
    const quoted = quote === '"';
    if (ch === '~' && quote === undefined && isTildePrefix(line, wordStart, i)) {
      out += token({ kind: 'tilde', quoted: true });
      continue;
    }
    if (ch === '$' || ch === '`') {
      const scanned = scanExpansion(line, i, quoted);
      if (scanned && 'error' in scanned) return scanned;
      if (scanned) {
        out += token(scanned.expansion);
        i = scanned.end;
        continue;
      }
    }
    out += quote === '"' ? escapeGlob(ch) : ch;
  }
  return { line: out, expansions };
}

/** A `~` that bash expands: a word's first character, or just after `=` or `:` in NAME=value. */
function isTildePrefix(line: string, wordStart: number, i: number): boolean {
  const before = line.slice(wordStart, i);
  const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/.test(before) && /[=:]$/.test(before);
  if (before !== '' && !assignment) return false;
  const next = line[i + 1];
  return next === undefined || /[/\s|&;<>()]/.test(next) || (assignment && next === ':');
}

/** The index of the `)` closing a `$(` whose body starts at `from`, skipping quotes; -1 if none. */
function matchingParen(line: string, from: number): number {
  let depth = 1;
  let quote: string | undefined;
  for (let i = from; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"') i++;
      continue;
    }
    if (ch === '\\') i++;
    else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

export type ParseResult = { ok: true; list: CommandList } | { ok: false; error: string };

const syntaxError = (token: string): ParseResult => ({
  ok: false,
  error: `bash: syntax error near unexpected token \`${token}'`,
});

/**
 * Parses one command line the way a shell would, for the subset tutorials use: words and quotes,
 * pipes, `&&`, `||`, `;`, comments and a trailing heredoc. `$VAR`, `${…}`, `$(...)`, `$((…))` and
 * `~` are marked here and expanded, with pathname expansion, when the command runs (shell.ts). Tokenizing is shell-quote's; the grammar checks are ours.
 */
export function parseCommandLine(line: string): ParseResult {
  const unbalanced = unbalancedQuote(line);
  if (unbalanced)
    return { ok: false, error: `bash: unexpected EOF while looking for matching \`${unbalanced}'` };
  const scanned = prescan(line);
  if ('error' in scanned) return { ok: false, error: scanned.error };
  const { expansions } = scanned;
  let tokens: (ParseEntry | string)[];
  try {
    tokens = shellParse(scanned.line, (name) =>
      name.startsWith('__cplab') ? `${EXPANSION_MARK}${name.slice(7)}${EXPANSION_MARK}` : `$${name}`,
    );
  } catch {
    // shell-quote throws on `${` without a closing brace; bash says the same thing this way.
    const bad = /\$\{[^}]*\}?/.exec(scanned.line)?.[0] ?? '${';
    return { ok: false, error: `bash: ${bad}: bad substitution` };
  }

  const pipelines: Pipeline[] = [];
  const connectors: Connector[] = [];
  let commands: string[][] = [];
  let argv: string[] = [];
  let redirect: Pipeline['redirect'];
  let input: string | undefined;
  const finish = (): Pipeline => {
    const p: Pipeline = {
      commands,
      ...(redirect ? { redirect } : {}),
      ...(input !== undefined ? { input } : {}),
    };
    redirect = undefined;
    input = undefined;
    return p;
  };
  let heredocDelimiter: string | undefined;

  const endCommand = (token: string): ParseResult | undefined => {
    if (argv.length === 0) return syntaxError(token);
    commands.push(argv);
    argv = [];
    return undefined;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (typeof t === 'string') {
      argv.push(t);
      continue;
    }
    if (t === undefined || 'comment' in t) break;
    if (t.op === 'glob') {
      // Matched against the lab's filesystem when the command runs (shell.ts).
      argv.push((t as { pattern: string }).pattern);
      continue;
    }
    switch (t.op) {
      case '|': {
        const err = endCommand('|');
        if (err) return err;
        break;
      }
      case '&&':
      case '||':
      case ';': {
        if (argv.length === 0 && commands.length === 0 && t.op === ';' && pipelines.length > 0) {
          return syntaxError(';');
        }
        const err = endCommand(t.op);
        if (err) return err;
        pipelines.push(finish());
        commands = [];
        connectors.push(t.op);
        break;
      }
      case '<<': {
        const delim = tokens[i + 1];
        if (typeof delim !== 'string' || pipelines.length > 0 || commands.length > 0) {
          return { ok: false, error: 'cplab: a heredoc (<<EOF) must feed the first command of the line' };
        }
        if (heredocDelimiter !== undefined) return syntaxError('<<');
        heredocDelimiter = unescapeGlob(delim).replace(/^-/, '');
        i++;
        break;
      }
      case '>':
      case '>>':
      case '<': {
        const next = tokens[i + 1];
        const target =
          next !== undefined && typeof next === 'object' && 'op' in next && next.op === 'glob'
            ? (next as { pattern: string }).pattern
            : next;
        if (typeof target !== 'string') return syntaxError(next === undefined ? 'newline' : t.op);
        if (t.op === '<') input = target;
        else redirect = { path: target, append: t.op === '>>' };
        i++;
        break;
      }
      case '>&':
      case '<(':
        return { ok: false, error: `cplab: redirection (${t.op}) is not supported yet; use a pipe instead` };
      case '&': {
        const err = endCommand('&');
        if (err) return err;
        pipelines.push({ ...finish(), background: true, text: jobText(commands, expansions) });
        commands = [];
        connectors.push(';');
        break;
      }
      default:
        return { ok: false, error: `cplab: the shell operator ${t.op} is not supported` };
    }
  }
  if (argv.length > 0) commands.push(argv);
  else if (commands.length > 0)
    return { ok: false, error: "bash: syntax error: unexpected end of file after `|'" };
  if (commands.length > 0) pipelines.push(finish());
  else if (connectors.length > 0) {
    // A trailing `;` is fine in bash; a trailing `&&` or `||` asks for more input.
    const last = connectors[connectors.length - 1];
    if (last === ';') connectors.pop();
    else return { ok: false, error: `bash: syntax error: unexpected end of file after \`${last}'` };
  }
  return {
    ok: true,
    list: {
      pipelines,
      connectors,
      ...(heredocDelimiter ? { heredocDelimiter } : {}),
      ...(expansions.length > 0 ? { expansions } : {}),
    },
  };
}

const MARKED_EXPANSION = new RegExp(`${EXPANSION_MARK}(\\d+)${EXPANSION_MARK}`, 'g');

/** How `jobs` shows a background pipeline: its words as typed, quoted where they need it. */
function jobText(commands: readonly (readonly string[])[], expansions: readonly Expansion[]): string {
  const source = (e: Expansion | undefined): string => {
    if (!e) return '';
    if (e.kind === 'var') return `$${e.name}`;
    if (e.kind === 'subst') return `$(${e.line})`;
    if (e.kind === 'arith') return `$((${e.expr}))`;
    if (e.kind === 'tilde') return '~';
    return e.text;
  };
  const word = (w: string): string => {
    const plain = unescapeGlob(w);
    const shown = plain.replace(MARKED_EXPANSION, (_, i) => source(expansions[Number(i)]));
    return /^[A-Za-z0-9_@%+=:,./~${}()-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, "'\\''")}'`;
  };
  return commands.map((argv) => argv.map(word).join(' ')).join(' | ');
}

/** The quote character left open at the end of `line`, if any. */
function unbalancedQuote(line: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote === undefined) {
      if (ch === '\\') i++;
      else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) return undefined;
    } else if (quote === '"' && ch === '\\') i++;
    else if (ch === quote) quote = undefined;
  }
  return quote;
}
