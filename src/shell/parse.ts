import { parse as shellParse } from 'shell-quote';

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
}

export type ParseResult = { ok: true; list: CommandList } | { ok: false; error: string };

const syntaxError = (token: string): ParseResult => ({
  ok: false,
  error: `bash: syntax error near unexpected token \`${token}'`,
});

/**
 * Parses one command line the way a shell would, for the subset tutorials use: words and quotes,
 * pipes, `&&`, `||`, `;`, comments and a trailing heredoc. Variables are left as written (there
 * is no environment yet). Tokenizing is shell-quote's; the grammar checks are ours.
 */
export function parseCommandLine(line: string): ParseResult {
  const unbalanced = unbalancedQuote(line);
  if (unbalanced)
    return { ok: false, error: `bash: unexpected EOF while looking for matching \`${unbalanced}'` };
  const tokens = shellParse(line, (name) => `$${name}`);

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
  return { ok: true, list: { pipelines, connectors, ...(heredocDelimiter ? { heredocDelimiter } : {}) } };
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
