import { type ParseEntry, parse as shellParse } from 'shell-quote';

/** How one pipeline is joined to the next: `a && b`, `a || b`, `a ; b`. */
export type Connector = '&&' | '||' | ';';

/** `a | b | c`: each command is an argv; the first reads the heredoc when the line has one. */
export interface Pipeline {
  readonly commands: readonly (readonly string[])[];
  /** `> FILE` / `>> FILE`: the last command's stdout goes to a file instead. */
  readonly redirect?: { readonly path: string; readonly append: boolean };
  /** `< FILE`: the first command reads this file. */
  readonly input?: string;
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
  | { readonly kind: 'subst'; readonly line: string; readonly quoted: boolean };

/** Brackets an expansion's index inside a word (a control character no one types). */
export const EXPANSION_MARK = '\u0001';

/**
 * Finds the expansions outside single quotes and replaces each with `${__cplabN}`, which
 * shell-quote hands back to us; returns undefined on an unterminated `$(`.
 */
function prescan(line: string): { line: string; expansions: Expansion[] } | { error: string } {
  const expansions: Expansion[] = [];
  let out = '';
  let quote: string | undefined;
  const token = (e: Expansion): string => `\${__cplab${expansions.push(e) - 1}}`;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      out += ch;
      continue;
    }
    if (ch === '\\') {
      out += ch + (line[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '#' && quote === undefined && (i === 0 || /\s/.test(line[i - 1] ?? ''))) {
      out += line.slice(i);
      break;
    }
    if (ch === "'" && quote === undefined) quote = "'";
    else if (ch === '"') quote = quote === '"' ? undefined : '"';
    const quoted = quote === '"';
    if (ch === '$' && line[i + 1] === '(' && line[i + 2] !== '(') {
      const end = matchingParen(line, i + 2);
      if (end < 0) return { error: "bash: unexpected EOF while looking for matching `)'" };
      out += token({ kind: 'subst', line: line.slice(i + 2, end), quoted });
      i = end;
      continue;
    }
    if (ch === '`') {
      const end = line.indexOf('`', i + 1);
      if (end < 0) return { error: "bash: unexpected EOF while looking for matching ``'" };
      out += token({ kind: 'subst', line: line.slice(i + 1, end), quoted });
      i = end;
      continue;
    }
    if (ch === '$') {
      const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*|\?))/.exec(line.slice(i));
      if (m) {
        out += token({ kind: 'var', name: (m[1] ?? m[2]) as string, quoted });
        i += m[0].length - 1;
        continue;
      }
    }
    out += ch;
  }
  return { line: out, expansions };
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
 * pipes, `&&`, `||`, `;`, comments and a trailing heredoc. `$VAR` and `$(...)` are marked here
 * and expanded when the command runs (shell.ts). Tokenizing is shell-quote's; the grammar checks are ours.
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
      // No filesystem to expand against: a pattern stays a literal word, as bash does with no match.
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
        heredocDelimiter = delim.replace(/^-/, '');
        i++;
        break;
      }
      case '>':
      case '>>':
      case '<': {
        const target = tokens[i + 1];
        if (typeof target !== 'string') return syntaxError(tokens[i + 1] === undefined ? 'newline' : t.op);
        if (t.op === '<') input = target;
        else redirect = { path: target, append: t.op === '>>' };
        i++;
        break;
      }
      case '>&':
      case '<(':
        return { ok: false, error: `cplab: redirection (${t.op}) is not supported yet; use a pipe instead` };
      case '&':
        return { ok: false, error: 'cplab: background jobs (&) are not supported' };
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
