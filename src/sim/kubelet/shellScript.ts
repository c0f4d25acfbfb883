import { GREP_USAGE, grepText, parseGrep } from '../kernel/grep';
import { KERNEL_VERSION } from './nodeObject';

/**
 * A small POSIX shell, enough to know what a container running `sh -c '...'` prints and when: the
 * scripts people give busybox and alpine (`echo`, `printf`, `date`, `sleep`, variables and
 * `$((arithmetic))`, `while`/`until`/`for`/`if`, `break`, `[ ]`, `$(command)`, `hostname`,
 * `env`). Nothing is stored: the script is interpreted again whenever its output is asked for, on
 * its own clock (whole microseconds since the container started), so the same script started at
 * the same instant always prints the same lines at the same times.
 *
 * An endless `while true` loop whose variables change by the same amount every round can be
 * fast-forwarded (`skipBeforeUs`): rounds that end before that instant are skipped arithmetically
 * instead of run, so asking for the last lines of a container that has looped for days is cheap.
 */

/** What the script writes: text (possibly several lines, or part of one) at a time, or a tick. */
export interface ShellOutput {
  /** Microseconds since the container started. */
  readonly atUs: number;
  /** The text written; '' for a tick (time passed, nothing written). */
  readonly text: string;
}

/** How the script ended: exited with a code, or blocked for good (`sleep infinity`, `tail -f`). */
export type ShellEnd = { readonly exitCode: number; readonly atUs: number } | { readonly blocked: true };

export interface ShellContext {
  /** The container's hostname (the pod name). */
  readonly hostname: string;
  /** The pod's namespace (its service account volume's `namespace` file). */
  readonly namespace?: string;
  /** The environment the container starts with, in order. */
  readonly env: readonly (readonly [string, string])[];
  /** The Unix time in milliseconds of the container's start (for `date`). */
  readonly startUnixMs: number;
  /** A number that varies per container instance ($RANDOM, $$ in logs). */
  readonly key: number;
  /** Skip whole rounds of an endless loop that end before this instant (see above). */
  readonly skipBeforeUs?: number;
  /**
   * Runs a network tool (wget, curl, nslookup) the script calls at `atUs`, on the cluster network:
   * what it printed and its exit code, or undefined when not known (the tool then prints nothing).
   * Without it, network tools print nothing and succeed.
   */
  readonly network?: (argv: readonly string[], atUs: number) => NetworkResult | undefined;
  /**
   * The container's writable layer, when the script runs as time passes: `touch`, `rm`, `mkdir`
   * and redirections into files change it at their instant. Without it they change nothing.
   */
  readonly files?: ContainerFiles;
}

/** A container's files as a script changes them (absolute paths). */
export interface ContainerFiles {
  write(path: string, text: string, append: boolean): void;
  remove(path: string): void;
}

/** What a network tool printed, on each stream, and how it exited. */
export interface NetworkResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** The file of the service account volume that names the pod's namespace. */
export const SERVICE_ACCOUNT_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** How long a network tool runs inside the cluster (a DNS lookup, a small HTTP GET). */
export const NETWORK_CALL_US = 20_000;
const NETWORK_TOOLS = new Set(['wget', 'curl', 'nslookup']);

// Costs of running things, in microseconds (busybox on a modern machine).
const BUILTIN_US = 15;
const FORK_EXEC_US = 1200;
const SUBSHELL_US = 700;
const SHELL_START_US = 1800;

// ---------------------------------------------------------------- parsing

type Part =
  | { readonly t: 'lit'; readonly s: string; readonly q: boolean }
  | { readonly t: 'var'; readonly name: string; readonly q: boolean }
  | { readonly t: 'arith'; readonly expr: string; readonly q: boolean }
  | { readonly t: 'cmd'; readonly script: string; readonly q: boolean };

interface Word {
  readonly parts: readonly Part[];
  /** The word as typed, when it is one plain unquoted literal (reserved words, assignments). */
  readonly plain?: string;
}

type Token = { readonly kind: 'word'; readonly word: Word } | { readonly kind: 'op'; readonly op: string };

const OPERATORS = [
  '&&',
  '||',
  ';;',
  '>>',
  '2>&1',
  '>&2',
  '2>',
  '&>',
  ';',
  '&',
  '|',
  '(',
  ')',
  '<',
  '>',
  '\n',
];

class ParseError extends Error {}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', op });
      i += op.length;
      continue;
    }
    const [word, next] = readWord(src, i);
    out.push({ kind: 'word', word });
    i = next;
  }
  return out;
}

/** Reads one word starting at `start`: unquoted text, '…', "…", $VAR, ${VAR}, $((…)), $(…), `…`. */
function readWord(src: string, start: number): [Word, number] {
  const parts: Part[] = [];
  let lit = '';
  let quotedLit = '';
  let plain = true;
  let i = start;
  const flush = (): void => {
    if (lit !== '') parts.push({ t: 'lit', s: lit, q: false });
    lit = '';
  };
  const flushQ = (): void => {
    if (quotedLit !== '') parts.push({ t: 'lit', s: quotedLit, q: true });
    quotedLit = '';
  };
  const dollar = (q: boolean): boolean => {
    // At src[i] === '$'
    const next = src[i + 1];
    if (src.startsWith('$((', i)) {
      const end = matching(src, i + 3, '((', '))');
      parts.push({ t: 'arith', expr: src.slice(i + 3, end), q });
      i = end + 2;
      return true;
    }
    if (next === '(') {
      const end = matching(src, i + 2, '(', ')');
      parts.push({ t: 'cmd', script: src.slice(i + 2, end), q });
      i = end + 1;
      return true;
    }
    if (next === '{') {
      const end = src.indexOf('}', i + 2);
      if (end < 0) throw new ParseError('syntax error: bad substitution');
      parts.push({ t: 'var', name: src.slice(i + 2, end), q });
      i = end + 1;
      return true;
    }
    const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!-])/.exec(src.slice(i + 1));
    if (m) {
      parts.push({ t: 'var', name: m[0], q });
      i += 1 + m[0].length;
      return true;
    }
    return false;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (' \t\r\n;&|()<>'.includes(c)) break;
    if (c === "'") {
      flush();
      plain = false;
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new ParseError('syntax error: unterminated quoted string');
      parts.push({ t: 'lit', s: src.slice(i + 1, end), q: true });
      i = end + 1;
      continue;
    }
    if (c === '"') {
      flush();
      plain = false;
      i++;
      for (;;) {
        if (i >= src.length) throw new ParseError('syntax error: unterminated quoted string');
        const d = src[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && '$`"\\\n'.includes(src[i + 1] ?? '')) {
          if (src[i + 1] !== '\n') quotedLit += src[i + 1];
          i += 2;
          continue;
        }
        if (d === '$') {
          flushQ();
          if (dollar(true)) continue;
          quotedLit += '$';
          i++;
          continue;
        }
        if (d === '`') {
          flushQ();
          const end = src.indexOf('`', i + 1);
          if (end < 0) throw new ParseError('syntax error: unterminated quoted string');
          parts.push({ t: 'cmd', script: src.slice(i + 1, end), q: true });
          i = end + 1;
          continue;
        }
        quotedLit += d;
        i++;
      }
      flushQ();
      // An empty "" still makes a word.
      if (parts.length === 0 || parts[parts.length - 1]!.t !== 'lit')
        parts.push({ t: 'lit', s: '', q: true });
      continue;
    }
    if (c === '\\') {
      plain = false;
      flush();
      if (i + 1 < src.length) parts.push({ t: 'lit', s: src[i + 1]!, q: true });
      i += 2;
      continue;
    }
    if (c === '$') {
      flush();
      plain = false;
      if (dollar(false)) continue;
      lit += '$';
      i++;
      continue;
    }
    if (c === '`') {
      flush();
      plain = false;
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new ParseError('syntax error: unterminated quoted string');
      parts.push({ t: 'cmd', script: src.slice(i + 1, end), q: false });
      i = end + 1;
      continue;
    }
    lit += c;
    i++;
  }
  flush();
  const word: Word =
    plain && parts.length === 1 && parts[0]!.t === 'lit'
      ? { parts, plain: (parts[0] as { s: string }).s }
      : { parts };
  return [word, i];
}

/** The index of the `close` that ends a `(`-nesting opened just before `from` (quotes respected). */
function matching(src: string, from: number, open: string, close: string): number {
  let depth = 1;
  let i = from;
  while (i < src.length) {
    const c = src[i]!;
    if (c === "'") {
      const end = src.indexOf("'", i + 1);
      i = end < 0 ? src.length : end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (src.startsWith(close, i) && (close.length === 1 || depth === 1)) {
      depth--;
      if (depth === 0) return i;
      i += close.length;
      continue;
    }
    if (src.startsWith(open, i) || c === '(') {
      depth++;
      i++;
      continue;
    }
    if (c === ')') depth--;
    i++;
  }
  throw new ParseError(`syntax error: missing '${close}'`);
}

type Redirect = { readonly op: string; readonly target?: Word };

type Node =
  | { readonly type: 'list'; readonly items: readonly Node[] }
  | { readonly type: 'andor'; readonly first: Node; readonly rest: readonly { op: string; node: Node }[] }
  | { readonly type: 'pipeline'; readonly bang: boolean; readonly cmds: readonly Node[] }
  | {
      readonly type: 'simple';
      readonly assigns: readonly { name: string; value: Word }[];
      readonly words: readonly Word[];
      readonly redirects: readonly Redirect[];
    }
  | { readonly type: 'while'; readonly until: boolean; readonly cond: Node; readonly body: Node }
  | {
      readonly type: 'for';
      readonly name: string;
      readonly words: readonly Word[] | null;
      readonly body: Node;
    }
  | { readonly type: 'if'; readonly branches: readonly { cond: Node; body: Node }[]; readonly orElse?: Node }
  | { readonly type: 'group'; readonly body: Node; readonly redirects: readonly Redirect[] };

class Parser {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  parseProgram(): Node {
    const list = this.parseList([]);
    if (this.pos < this.tokens.length) throw new ParseError(`syntax error: unexpected "${this.describe()}"`);
    return list;
  }

  private describe(): string {
    const t = this.tokens[this.pos];
    if (!t) return 'end of file';
    return t.kind === 'op' ? (t.op === '\n' ? 'newline' : t.op) : (t.word.plain ?? 'word');
  }

  private peekWord(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.kind === 'word' ? t.word.plain : undefined;
  }

  private peekOp(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.kind === 'op' ? t.op : undefined;
  }

  private skipNewlines(): void {
    while (this.peekOp() === '\n') this.pos++;
  }

  private expectWord(w: string): void {
    this.skipNewlines();
    if (this.peekWord() !== w)
      throw new ParseError(`syntax error: unexpected "${this.describe()}" (expecting "${w}")`);
    this.pos++;
  }

  /** A list up to one of the `stop` reserved words (or `)` / the end). */
  private parseList(stop: readonly string[]): Node {
    const items: Node[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.pos >= this.tokens.length) break;
      const w = this.peekWord();
      if (w !== undefined && stop.includes(w)) break;
      if (this.peekOp() === ')') break;
      items.push(this.parseAndOr());
      const op = this.peekOp();
      if (op === ';' || op === '&' || op === '\n') this.pos++;
      else break;
    }
    return { type: 'list', items };
  }

  private parseAndOr(): Node {
    const first = this.parsePipeline();
    const rest: { op: string; node: Node }[] = [];
    for (;;) {
      const op = this.peekOp();
      if (op !== '&&' && op !== '||') break;
      this.pos++;
      this.skipNewlines();
      rest.push({ op, node: this.parsePipeline() });
    }
    return rest.length === 0 ? first : { type: 'andor', first, rest };
  }

  private parsePipeline(): Node {
    let bang = false;
    if (this.peekWord() === '!') {
      bang = true;
      this.pos++;
    }
    const cmds = [this.parseCommand()];
    while (this.peekOp() === '|') {
      this.pos++;
      this.skipNewlines();
      cmds.push(this.parseCommand());
    }
    return cmds.length === 1 && !bang ? cmds[0]! : { type: 'pipeline', bang, cmds };
  }

  private parseCommand(): Node {
    const w = this.peekWord();
    if (w === 'while' || w === 'until') {
      this.pos++;
      const cond = this.parseList(['do']);
      this.expectWord('do');
      const body = this.parseList(['done']);
      this.expectWord('done');
      return { type: 'while', until: w === 'until', cond, body };
    }
    if (w === 'for') {
      this.pos++;
      const name = this.peekWord();
      if (!name) throw new ParseError('syntax error: bad for loop variable');
      this.pos++;
      let words: Word[] | null = null;
      this.skipNewlines();
      if (this.peekWord() === 'in') {
        this.pos++;
        words = [];
        for (;;) {
          const t = this.tokens[this.pos];
          if (t?.kind !== 'word') break;
          words.push(t.word);
          this.pos++;
        }
      }
      if (this.peekOp() === ';' || this.peekOp() === '\n') this.pos++;
      this.expectWord('do');
      const body = this.parseList(['done']);
      this.expectWord('done');
      return { type: 'for', name, words, body };
    }
    if (w === 'if') {
      this.pos++;
      const branches: { cond: Node; body: Node }[] = [];
      let orElse: Node | undefined;
      for (;;) {
        const cond = this.parseList(['then']);
        this.expectWord('then');
        const body = this.parseList(['elif', 'else', 'fi']);
        branches.push({ cond, body });
        this.skipNewlines();
        const next = this.peekWord();
        this.pos++;
        if (next === 'elif') continue;
        if (next === 'else') {
          orElse = this.parseList(['fi']);
          this.expectWord('fi');
        } else if (next !== 'fi') throw new ParseError('syntax error: expecting "fi"');
        break;
      }
      return { type: 'if', branches, ...(orElse ? { orElse } : {}) };
    }
    if (w === '{') {
      this.pos++;
      const body = this.parseList(['}']);
      this.expectWord('}');
      return { type: 'group', body, redirects: this.parseRedirects() };
    }
    if (this.peekOp() === '(') {
      this.pos++;
      const body = this.parseList([]);
      if (this.peekOp() !== ')') throw new ParseError('syntax error: missing ")"');
      this.pos++;
      return { type: 'group', body, redirects: this.parseRedirects() };
    }
    return this.parseSimple();
  }

  private parseRedirects(): Redirect[] {
    const out: Redirect[] = [];
    for (;;) {
      const op = this.peekOp();
      if (op === '2>&1' || op === '>&2') {
        out.push({ op });
        this.pos++;
        continue;
      }
      if (op === '>' || op === '>>' || op === '<' || op === '2>' || op === '&>') {
        this.pos++;
        const t = this.tokens[this.pos];
        if (t?.kind !== 'word') throw new ParseError('syntax error: unexpected redirection');
        out.push({ op, target: t.word });
        this.pos++;
        continue;
      }
      return out;
    }
  }

  private parseSimple(): Node {
    const assigns: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const r = this.parseRedirects();
      redirects.push(...r);
      const t = this.tokens[this.pos];
      if (t?.kind !== 'word') break;
      const first = t.word.parts[0];
      const m =
        words.length === 0 && first?.t === 'lit' && !first.q
          ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.s)
          : null;
      if (m) {
        const rest = first?.t === 'lit' ? first.s.slice(m[0].length) : '';
        const value: Word = {
          parts: [
            ...(rest !== '' ? [{ t: 'lit' as const, s: rest, q: false }] : []),
            ...t.word.parts.slice(1),
          ],
        };
        assigns.push({ name: m[1]!, value });
      } else words.push(t.word);
      this.pos++;
    }
    if (words.length === 0 && assigns.length === 0 && redirects.length === 0)
      throw new ParseError(`syntax error: unexpected "${this.describe()}"`);
    return { type: 'simple', assigns, words, redirects };
  }
}

/** Parses a script, or returns sh's error message for it. */
export function parseScript(script: string): Node | { error: string } {
  try {
    return new Parser(tokenize(script)).parseProgram();
  } catch (e) {
    if (e instanceof ParseError) return { error: e.message };
    throw e;
  }
}

// ---------------------------------------------------------------- running

type Control = 'break' | 'continue' | 'exit' | 'blocked' | undefined;

interface State {
  readonly ctx: ShellContext;
  readonly vars: Map<string, string>;
  t: number;
  status: number;
  control: Control;
  /** Output is being captured ($(...)) or discarded (`> /dev/null`), not written to the log. */
  capture: string[] | undefined;
  /** Scripts of `$(…)` and `sh -c` already parsed (a loop runs the same ones again and again). */
  readonly parsed: Map<string, Node | { error: string }>;
  /** Where the running command's stderr goes: the log (past pipes and `$(…)`), stdout, or nowhere. */
  errTo: 'log' | 'out' | 'discard';
}

type Run = Generator<ShellOutput, void, void>;

/**
 * Runs `argv` as a container's process: `sh -c SCRIPT` (or bash/ash), or a single command. Yields
 * what it writes, in time order, and returns how it ended.
 */
export function* runShell(
  argv: readonly string[],
  ctx: ShellContext,
): Generator<ShellOutput, ShellEnd, void> {
  const vars = new Map<string, string>(ctx.env.map(([k, v]) => [k, v]));
  const st: State = {
    ctx,
    vars,
    t: SHELL_START_US,
    status: 0,
    control: undefined,
    capture: undefined,
    parsed: new Map(),
    errTo: 'log',
  };
  const shell = /^(?:\/bin\/|\/usr\/bin\/)?(?:sh|ash|bash|dash)$/.test(argv[0] ?? '');
  if (shell && argv[1] === '-c') {
    const script = argv[2] ?? '';
    const node = parseScript(script);
    if ('error' in node) {
      yield { atUs: st.t, text: `${argv[0]}: ${node.error}\n` };
      return { exitCode: 2, atUs: st.t };
    }
    yield* exec(node, st);
  } else if (shell && argv.length === 1) {
    // A shell with nothing to read (no TTY, stdin closed): it exits at once.
    return { exitCode: 0, atUs: st.t };
  } else {
    st.t = 0;
    yield* command(argv, st, []);
  }
  if (st.control === 'blocked') return { blocked: true };
  return { exitCode: st.status, atUs: st.t };
}

function* write(st: State, text: string): Run {
  if (text === '') return;
  if (st.capture) st.capture.push(text);
  else yield { atUs: st.t, text };
}

function* exec(node: Node, st: State): Run {
  switch (node.type) {
    case 'list':
      for (const item of node.items) {
        yield* exec(item, st);
        if (st.control) return;
      }
      return;
    case 'andor': {
      yield* exec(node.first, st);
      for (const { op, node: next } of node.rest) {
        if (st.control) return;
        if ((op === '&&') === (st.status === 0)) yield* exec(next, st);
      }
      return;
    }
    case 'pipeline': {
      // Each command's output feeds the next; only what the last one writes reaches the log.
      let input: string | undefined;
      for (let i = 0; i < node.cmds.length; i++) {
        const last = i === node.cmds.length - 1;
        const saved = st.capture;
        const buffer: string[] = [];
        if (!last) st.capture = buffer;
        st.vars.set('\u0000stdin', input ?? '');
        yield* exec(node.cmds[i]!, st);
        st.vars.delete('\u0000stdin');
        st.capture = saved;
        input = buffer.join('');
        if (st.control) return;
      }
      if (node.bang) st.status = st.status === 0 ? 1 : 0;
      return;
    }
    case 'group': {
      const discard = discards(node.redirects, st);
      const saved = st.capture;
      if (discard) st.capture = [];
      yield* exec(node.body, st);
      st.capture = saved;
      return;
    }
    case 'if': {
      for (const b of node.branches) {
        yield* exec(b.cond, st);
        if (st.control) return;
        if (st.status === 0) {
          yield* exec(b.body, st);
          return;
        }
      }
      if (node.orElse) yield* exec(node.orElse, st);
      else st.status = 0;
      return;
    }
    case 'for': {
      const items = node.words === null ? [] : yield* expandWords(node.words, st);
      for (const item of items) {
        st.vars.set(node.name, item);
        yield* exec(node.body, st);
        yield { atUs: st.t, text: '' };
        if (st.control === 'break') {
          st.control = undefined;
          break;
        }
        if (st.control === 'continue') st.control = undefined;
        if (st.control) return;
      }
      return;
    }
    case 'while':
      yield* whileLoop(node, st);
      return;
    case 'simple': {
      const words = yield* expandWords(node.words, st);
      if (words.length === 0) {
        for (const a of node.assigns) st.vars.set(a.name, (yield* expandWord(a.value, st)).join(''));
        st.t += BUILTIN_US;
        st.status = 0;
        return;
      }
      const local: [string, string][] = [];
      for (const a of node.assigns) local.push([a.name, (yield* expandWord(a.value, st)).join('')]);
      const discard = discards(node.redirects, st);
      const saved = st.capture;
      const savedErr = st.errTo;
      st.errTo = stderrTo(node.redirects, discard);
      const written: string[] = [];
      if (discard) st.capture = written;
      yield* command(words, st, local);
      st.capture = saved;
      st.errTo = savedErr;
      const into = st.ctx.files ? fileTarget(node.redirects) : undefined;
      if (into && st.ctx.files) {
        const path = (yield* expandWord(into.target, st)).join('');
        // The file changes at this instant: a runner that follows the clock waits for it.
        yield { atUs: st.t, text: '' };
        st.ctx.files.write(absolutePath(path), written.join(''), into.append);
      }
      return;
    }
  }
}

/** Where a command's stderr goes, given its redirections (and whether they discard its stdout). */
function stderrTo(redirects: readonly Redirect[], stdoutDiscarded: boolean): State['errTo'] {
  let to: State['errTo'] = 'log';
  for (const r of redirects) {
    if (r.op === '2>' || r.op === '&>') to = 'discard';
    else if (r.op === '2>&1') to = stdoutDiscarded ? 'discard' : 'out';
  }
  return to;
}

/** The file stdout is redirected into (`> /tmp/x`, `>> log`), if any: not /dev/null and the like. */
function fileTarget(redirects: readonly Redirect[]): { target: Word; append: boolean } | undefined {
  let found: { target: Word; append: boolean } | undefined;
  for (const r of redirects) {
    if ((r.op === '>' || r.op === '>>') && r.target && !/^\/dev\//.test(r.target.plain ?? ''))
      found = { target: r.target, append: r.op === '>>' };
  }
  return found;
}

/** A path as the container's shell (cwd /) resolves it. */
function absolutePath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

/** Whether the redirections send stdout somewhere other than the container's log. */
function discards(redirects: readonly Redirect[], _st: State): boolean {
  return redirects.some(
    (r) => (r.op === '>' || r.op === '>>' || r.op === '&>') && r.target?.plain !== '/dev/stdout',
  );
}

function* whileLoop(node: Extract<Node, { type: 'while' }>, st: State): Run {
  const forever = !node.until && isAlwaysTrue(node.cond) && !hasEscape(node.body);
  let probe: { t: number; vars: Map<string, string> }[] = [];
  for (;;) {
    if (
      forever &&
      st.ctx.skipBeforeUs !== undefined &&
      st.capture === undefined &&
      st.t < st.ctx.skipBeforeUs
    ) {
      probe.push({ t: st.t, vars: new Map(st.vars) });
      if (probe.length === 3) {
        const jumped = fastForward(probe, st);
        probe = jumped ? [] : probe.slice(1);
        if (jumped) probe.push({ t: st.t, vars: new Map(st.vars) });
      }
    }
    yield* exec(node.cond, st);
    if (st.control) return;
    if ((st.status === 0) === node.until) break;
    yield* exec(node.body, st);
    // A tick per round, so a reader can stop even when the loop prints nothing.
    yield { atUs: st.t, text: '' };
    if (st.control === 'break') {
      st.control = undefined;
      break;
    }
    if (st.control === 'continue') st.control = undefined;
    if (st.control) return;
    st.t += BUILTIN_US;
  }
  st.status = 0;
}

/**
 * Given the state at the start of three consecutive rounds, jumps over whole rounds up to
 * `skipBeforeUs` if every round takes the same time and changes each numeric variable by the same
 * amount (and the others not at all). Returns whether it jumped.
 */
function fastForward(probe: readonly { t: number; vars: Map<string, string> }[], st: State): boolean {
  const [a, b, c] = probe as [(typeof probe)[0], (typeof probe)[0], (typeof probe)[0]];
  const period = b.t - a.t;
  if (period <= 0 || c.t - b.t !== period) return false;
  const deltas = new Map<string, number>();
  for (const [k, vb] of b.vars) {
    const va = a.vars.get(k);
    const vc = c.vars.get(k);
    if (va === vb && vb === vc) continue;
    if (va === undefined || vc === undefined) return false;
    if (!/^-?\d+$/.test(va) || !/^-?\d+$/.test(vb) || !/^-?\d+$/.test(vc)) return false;
    const d = Number(vb) - Number(va);
    if (Number(vc) - Number(vb) !== d) return false;
    deltas.set(k, d);
  }
  if (a.vars.size !== c.vars.size) return false;
  const rounds = Math.floor((st.ctx.skipBeforeUs! - st.t) / period) - 1;
  if (rounds < 1) return false;
  st.t += rounds * period;
  for (const [k, d] of deltas) st.vars.set(k, String(Number(st.vars.get(k)) + d * rounds));
  return true;
}

function isAlwaysTrue(cond: Node): boolean {
  if (cond.type !== 'list' || cond.items.length !== 1) return false;
  const c = cond.items[0]!;
  if (c.type !== 'simple' || c.words.length === 0 || c.assigns.length > 0) return false;
  const words = c.words.map((w) => w.plain);
  return (
    (words.length === 1 && (words[0] === 'true' || words[0] === ':')) ||
    (words[0] === '[' && words.length === 3 && words[1] !== undefined && words[1] !== '' && words[2] === ']')
  );
}

/** Whether a loop body may leave the loop (break, exit, return) or read the clock into a variable. */
function hasEscape(node: Node): boolean {
  switch (node.type) {
    case 'list':
      return node.items.some(hasEscape);
    case 'andor':
      return hasEscape(node.first) || node.rest.some((r) => hasEscape(r.node));
    case 'pipeline':
      return node.cmds.some(hasEscape);
    case 'group':
      return hasEscape(node.body);
    case 'if':
      return (
        node.branches.some((b) => hasEscape(b.cond) || hasEscape(b.body)) ||
        (!!node.orElse && hasEscape(node.orElse))
      );
    case 'for':
    case 'while':
      return hasEscape(node.body);
    case 'simple':
      return (
        node.words.some((w) => w.plain === 'break' || w.plain === 'exit' || w.plain === 'return') ||
        // A variable assigned from a command ($(date +%s)) changes by what the clock says, not by a constant.
        node.assigns.some((a) => a.value.parts.some((p) => p.t === 'cmd'))
      );
  }
}

function* expandWords(words: readonly Word[], st: State): Generator<ShellOutput, string[], void> {
  const out: string[] = [];
  for (const w of words) out.push(...(yield* expandWord(w, st)));
  return out;
}

/** Expands one word into fields: unquoted expansions are split on whitespace. */
function* expandWord(word: Word, st: State): Generator<ShellOutput, string[], void> {
  const fields: string[] = [];
  let current = '';
  let started = false;
  for (const p of word.parts) {
    let value: string;
    switch (p.t) {
      case 'lit':
        current += p.s;
        started = true;
        continue;
      case 'var':
        value = variable(p.name, st);
        break;
      case 'arith':
        value = String(
          arith(
            p.expr.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*|[?#$])\}?/g, (_, n: string) => variable(n, st)),
            st,
          ),
        );
        break;
      case 'cmd':
        value = yield* substitute(p.script, st);
        break;
    }
    if (p.q) {
      current += value;
      started = true;
      continue;
    }
    const pieces = value.split(/[ \t\n]+/);
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) {
        if (started || current !== '') fields.push(current);
        current = '';
        started = false;
      }
      if (pieces[i] !== '') {
        current += pieces[i];
        started = true;
      }
    }
  }
  if (started) fields.push(current);
  return fields;
}

function variable(name: string, st: State): string {
  switch (name) {
    case '?':
      return String(st.status);
    case '$':
      return '1';
    case '#':
      return '0';
    case 'RANDOM':
      return String(randomAt(st) % 32768);
    case 'HOSTNAME':
      return st.vars.get('HOSTNAME') ?? st.ctx.hostname;
    default: {
      // ${x:-default} and friends, the common forms.
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(:?[-=+?])(.*)$/.exec(name);
      if (m) {
        const v = st.vars.get(m[1]!);
        const unset = v === undefined || (m[2]!.startsWith(':') && v === '');
        const op = m[2]!.replace(':', '');
        if (op === '-' || op === '=') {
          if (unset && op === '=') st.vars.set(m[1]!, m[3]!);
          return unset ? m[3]! : v!;
        }
        if (op === '+') return unset ? '' : m[3]!;
        return v ?? '';
      }
      if (name.startsWith('#')) return String((st.vars.get(name.slice(1)) ?? '').length);
      return st.vars.get(name) ?? '';
    }
  }
}

function randomAt(st: State): number {
  let h = (st.ctx.key ^ Math.imul(st.t | 0, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}

/** `$(script)`: runs in a subshell; its output (trailing newlines removed) is the value. */
function parseCached(script: string, st: State): Node | { error: string } {
  let node = st.parsed.get(script);
  if (!node) st.parsed.set(script, (node = parseScript(script)));
  return node;
}

function* substitute(script: string, st: State): Generator<ShellOutput, string, void> {
  const node = parseCached(script, st);
  st.t += SUBSHELL_US;
  if ('error' in node) return '';
  const saved = st.capture;
  const buffer: string[] = [];
  st.capture = buffer;
  const control = st.control;
  yield* exec(node, st);
  st.capture = saved;
  if (st.control === 'exit' || st.control === 'break' || st.control === 'continue') st.control = control;
  return buffer.join('').replace(/\n+$/, '');
}

// ---------------------------------------------------------------- arithmetic

function arith(expr: string, st: State): number {
  const tokens =
    expr.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*|<=|>=|==|!=|&&|\|\||<<|>>|[-+*/%()<>!~^&|]/g) ?? [];
  let i = 0;
  const value = (name: string): number => {
    const v = Number(st.vars.get(name) ?? 0);
    return Number.isFinite(v) ? Math.trunc(v) : 0;
  };
  const primary = (): number => {
    const t = tokens[i++];
    if (t === undefined) return 0;
    if (t === '(') {
      const v = orExpr();
      i++;
      return v;
    }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '!') return primary() === 0 ? 1 : 0;
    if (/^\d+$/.test(t)) return Number(t);
    return value(t);
  };
  const binary =
    (next: () => number, ops: Record<string, (a: number, b: number) => number>) => (): number => {
      let v = next();
      while (tokens[i] !== undefined && ops[tokens[i]!]) {
        const op = ops[tokens[i++]!]!;
        v = op(v, next());
      }
      return v;
    };
  const div = (a: number, b: number): number => (b === 0 ? 0 : Math.trunc(a / b));
  const mod = (a: number, b: number): number => (b === 0 ? 0 : a % b);
  const mul = binary(primary, { '*': (a, b) => a * b, '/': div, '%': mod });
  const add = binary(mul, { '+': (a, b) => a + b, '-': (a, b) => a - b });
  const cmp = binary(add, {
    '<': (a, b) => +(a < b),
    '>': (a, b) => +(a > b),
    '<=': (a, b) => +(a <= b),
    '>=': (a, b) => +(a >= b),
  });
  const eq = binary(cmp, { '==': (a, b) => +(a === b), '!=': (a, b) => +(a !== b) });
  const and = binary(eq, { '&&': (a, b) => +(a !== 0 && b !== 0) });
  const orExpr = binary(and, { '||': (a, b) => +(a !== 0 || b !== 0) });
  return orExpr();
}

// ---------------------------------------------------------------- commands

/** Commands a busybox image has that print nothing here (their effect is outside the log). */
const SILENT = new Set([
  'cd',
  'export',
  'set',
  'unset',
  'trap',
  'wait',
  'umask',
  'ulimit',
  'mkdir',
  'rm',
  'touch',
  'cp',
  'mv',
  'chmod',
  'chown',
  'ln',
  'sync',
  'read',
  'exec',
  'shift',
  'local',
  'readonly',
  'kill',
  'nc',
  'httpd',
]);

/** Commands that exist but talk to the network or files this simulation does not have. */
const UNSIMULATED = new Set([
  'wget',
  'curl',
  'nslookup',
  'ping',
  'ls',
  'ps',
  'top',
  'df',
  'free',
  'awk',
  'sed',
  'find',
]);

function* command(argv: readonly string[], st: State, local: readonly [string, string][]): Run {
  const [name = '', ...args] = argv;
  const base = name.replace(/^\/(?:usr\/)?s?bin\//, '');
  st.status = 0;
  switch (base) {
    case ':':
    case 'true':
      st.t += BUILTIN_US;
      return;
    case 'false':
      st.t += BUILTIN_US;
      st.status = 1;
      return;
    case 'break':
      st.control = 'break';
      return;
    case 'continue':
      st.control = 'continue';
      return;
    case 'exit':
    case 'return':
      st.status = Number(args[0] ?? st.status) & 255;
      st.control = 'exit';
      return;
    case 'echo': {
      st.t += BUILTIN_US;
      let rest = args;
      let newline = true;
      let escapes = false;
      while (rest[0] !== undefined && /^-[neE]+$/.test(rest[0])) {
        if (rest[0].includes('n')) newline = false;
        if (rest[0].includes('e')) escapes = true;
        rest = rest.slice(1);
      }
      let text = rest.join(' ');
      if (escapes) text = echoEscapes(text);
      yield* write(st, newline ? `${text}\n` : text);
      return;
    }
    case 'printf': {
      st.t += BUILTIN_US;
      yield* write(st, printf(args[0] ?? '', args.slice(1)));
      return;
    }
    case 'sleep': {
      const seconds = args.reduce((sum, a) => sum + sleepSeconds(a), 0);
      if (!Number.isFinite(seconds)) {
        st.control = 'blocked';
        return;
      }
      st.t += FORK_EXEC_US + Math.round(seconds * 1_000_000);
      yield { atUs: st.t, text: '' };
      return;
    }
    case 'tail':
    case 'head': {
      if (base === 'tail' && (args.includes('-f') || args.includes('-F'))) {
        st.control = 'blocked';
        return;
      }
      st.t += FORK_EXEC_US;
      const n =
        Number(
          /^-n?(\d+)$/.exec(args.find((a) => /^-n?\d+$/.test(a)) ?? '')?.[1] ??
            args[args.indexOf('-n') + 1] ??
            10,
        ) || 10;
      const input = (st.vars.get('\u0000stdin') ?? '').split('\n');
      if (input[input.length - 1] === '') input.pop();
      const picked = base === 'head' ? input.slice(0, n) : input.slice(-n);
      yield* write(st, picked.map((l) => `${l}\n`).join(''));
      return;
    }
    case 'grep': {
      st.t += FORK_EXEC_US;
      const o = parseGrep(args);
      const r =
        'error' in o
          ? { error: `${o.error}\n${GREP_USAGE}` }
          : o.file !== undefined
            ? { error: `grep: ${o.file}: No such file or directory\n` }
            : grepText(o, st.vars.get('\u0000stdin') ?? '');
      if ('error' in r) {
        // Its complaint goes to stderr: the log, unless redirected.
        const text = r.error.endsWith('\n') ? r.error : `${r.error}\n`;
        if (st.errTo === 'out') yield* write(st, text);
        else if (st.errTo === 'log') yield { atUs: st.t, text };
        st.status = 2;
        return;
      }
      yield* write(st, r.stdout);
      st.status = r.code;
      return;
    }
    case 'wc': {
      st.t += FORK_EXEC_US;
      const input = st.vars.get('\u0000stdin') ?? '';
      const count = input.split('\n').length - 1;
      yield* write(
        st,
        args.includes('-l')
          ? `${count}\n`
          : `${String(count).padStart(7)}${String(input.split(/\s+/).filter(Boolean).length).padStart(8)}${String(input.length).padStart(8)}\n`,
      );
      return;
    }
    case 'date':
      st.t += FORK_EXEC_US;
      yield* write(st, `${formatDate(args, st)}\n`);
      return;
    case 'hostname':
      st.t += FORK_EXEC_US;
      yield* write(st, `${st.ctx.hostname}\n`);
      return;
    case 'env':
    case 'printenv': {
      st.t += FORK_EXEC_US;
      const all = new Map([...st.vars].filter(([k]) => !k.startsWith('\u0000')));
      for (const [k, v] of local) all.set(k, v);
      if (base === 'printenv' && args.length > 0) {
        const found = args.filter((a) => all.has(a));
        yield* write(st, found.map((a) => `${all.get(a)}\n`).join(''));
        st.status = found.length === args.length ? 0 : 1;
        return;
      }
      yield* write(st, [...all].map(([k, v]) => `${k}=${v}\n`).join(''));
      return;
    }
    case 'cat': {
      st.t += FORK_EXEC_US;
      if (args.length === 0) {
        yield* write(st, st.vars.get('\u0000stdin') ?? '');
        return;
      }
      for (const f of args) {
        const text =
          f === '/etc/hostname'
            ? `${st.ctx.hostname}\n`
            : f === SERVICE_ACCOUNT_NAMESPACE_FILE
              ? (st.ctx.namespace ?? 'default')
              : undefined;
        if (text !== undefined) yield* write(st, text);
        else {
          yield { atUs: st.t, text: `cat: can't open '${f}': No such file or directory\n` };
          st.status = 1;
        }
      }
      return;
    }
    case 'tee':
      st.t += FORK_EXEC_US;
      yield* write(st, st.vars.get('\u0000stdin') ?? '');
      return;
    case 'seq': {
      st.t += FORK_EXEC_US;
      const nums = args.map(Number);
      const [from, step, to] =
        nums.length === 1
          ? [1, 1, nums[0]!]
          : nums.length === 2
            ? [nums[0]!, 1, nums[1]!]
            : [nums[0]!, nums[1]!, nums[2]!];
      const out: string[] = [];
      if (step !== 0 && [from, step, to].every(Number.isFinite))
        for (let n = from; step > 0 ? n <= to : n >= to; n += step) {
          out.push(`${n}\n`);
          if (out.length > 100_000) break;
        }
      yield* write(st, out.join(''));
      return;
    }
    case 'expr': {
      st.t += FORK_EXEC_US;
      const v = arith(args.join(' ').replaceAll('\\*', '*'), st);
      yield* write(st, `${v}\n`);
      st.status = v === 0 ? 1 : 0;
      return;
    }
    case '[':
    case 'test': {
      st.t += BUILTIN_US;
      const operands = base === '[' ? args.slice(0, -1) : args;
      st.status = testExpr(operands) ? 0 : 1;
      return;
    }
    case 'uname':
      st.t += FORK_EXEC_US;
      yield* write(
        st,
        args.includes('-a')
          ? `Linux ${st.ctx.hostname} ${KERNEL_VERSION} #45-Ubuntu SMP PREEMPT_DYNAMIC x86_64 GNU/Linux\n`
          : 'Linux\n',
      );
      return;
    case 'whoami':
      st.t += FORK_EXEC_US;
      yield* write(st, 'root\n');
      return;
    case 'pwd':
      st.t += BUILTIN_US;
      yield* write(st, '/\n');
      return;
    case 'sh':
    case 'ash':
    case 'bash':
      if (args[0] === '-c') {
        st.t += FORK_EXEC_US;
        const node = parseCached(args[1] ?? '', st);
        if (!('error' in node)) yield* exec(node, st);
        if (st.control === 'exit') st.control = undefined;
      }
      return;
    case 'touch':
    case 'rm':
    case 'mkdir':
      st.t += BUILTIN_US;
      if (st.ctx.files) {
        yield { atUs: st.t, text: '' };
        for (const a of args) {
          if (a.startsWith('-')) continue;
          const path = absolutePath(a);
          if (base === 'touch') st.ctx.files.write(path, '', true);
          else if (base === 'rm') st.ctx.files.remove(path);
          else st.ctx.files.write(`${path.replace(/\/+$/, '')}/`, '', true);
        }
      }
      return;
    default:
      if (SILENT.has(base)) {
        st.t += BUILTIN_US;
        return;
      }
      st.t += FORK_EXEC_US;
      if (NETWORK_TOOLS.has(base) && st.ctx.network) {
        // The instant of the call, first: a runner that follows the clock waits for it to come.
        yield { atUs: st.t, text: '' };
        const r = st.ctx.network([base, ...args], st.t);
        st.t += NETWORK_CALL_US;
        if (r) {
          if (st.errTo === 'out') yield* write(st, r.stdout + r.stderr);
          else {
            yield* write(st, r.stdout);
            if (st.errTo === 'log' && r.stderr !== '') yield { atUs: st.t, text: r.stderr };
          }
          st.status = r.exitCode;
        }
        return;
      }
      if (UNSIMULATED.has(base)) return;
      yield { atUs: st.t, text: `sh: ${name}: not found\n` };
      st.status = 127;
  }
}

function sleepSeconds(arg: string): number {
  if (arg === 'infinity' || arg === 'inf') return Number.POSITIVE_INFINITY;
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
  if (!m) return 0;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

function testExpr(args: readonly string[]): boolean {
  if (args.length === 0) return false;
  if (args[0] === '!') return !testExpr(args.slice(1));
  if (args.length === 1) return args[0] !== '';
  if (args.length === 2) {
    if (args[0] === '-z') return args[1] === '';
    if (args[0] === '-n') return args[1] !== '';
    if (args[0] === '-f' || args[0] === '-e' || args[0] === '-d')
      return args[1] === '/' || args[1] === '/tmp';
    return false;
  }
  const [a = '', op, b = ''] = args;
  const n = (s: string): number => Number(s) || 0;
  switch (op) {
    case '=':
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '-eq':
      return n(a) === n(b);
    case '-ne':
      return n(a) !== n(b);
    case '-lt':
      return n(a) < n(b);
    case '-le':
      return n(a) <= n(b);
    case '-gt':
      return n(a) > n(b);
    case '-ge':
      return n(a) >= n(b);
    default:
      return false;
  }
}

function echoEscapes(text: string): string {
  return text.replace(/\\([ntr\\]|0[0-7]{0,3})/g, (_, c: string) =>
    c === 'n'
      ? '\n'
      : c === 't'
        ? '\t'
        : c === 'r'
          ? '\r'
          : c === '\\'
            ? '\\'
            : String.fromCharCode(Number.parseInt(c, 8)),
  );
}

/** printf FORMAT ARGS: %s %d %i %x %c %%, with the escapes, the format reused for extra arguments. */
export function printf(format: string, args: readonly string[]): string {
  let out = '';
  let k = 0;
  do {
    let used = 0;
    out += echoEscapes(format).replace(/%(-?\d*)([sdixc%])/g, (_, width: string, conv: string) => {
      if (conv === '%') return '%';
      const a = args[k++] ?? '';
      used++;
      let v =
        conv === 's' || conv === 'c'
          ? conv === 'c'
            ? a.slice(0, 1)
            : a
          : String(Math.trunc(Number(a) || 0));
      if (conv === 'x') v = (Math.trunc(Number(a) || 0) >>> 0).toString(16);
      const w = Math.abs(Number(width) || 0);
      return width.startsWith('-') ? v.padEnd(w) : v.padStart(w);
    });
    if (used === 0) break;
  } while (k < args.length);
  return out;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** busybox `date` (the container's clock is UTC): the default format, or `+FORMAT`. */
function formatDate(args: readonly string[], st: State): string {
  const unixMs = st.ctx.startUnixMs + st.t / 1000;
  const format = args.find((a) => a.startsWith('+'))?.slice(1) ?? '%a %b %e %H:%M:%S %Z %Y';
  return strftime(format, unixMs);
}

/** C strftime for a UTC instant, the conversions busybox scripts use. */
export function strftime(format: string, unixMs: number): string {
  const d = new Date(Math.floor(unixMs));
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return format.replace(/%([a-zA-Z%])/g, (all, c: string) => {
    switch (c) {
      case 'a':
        return DAYS[d.getUTCDay()]!;
      case 'b':
      case 'h':
        return MONTHS[d.getUTCMonth()]!;
      case 'd':
        return p2(d.getUTCDate());
      case 'e':
        return String(d.getUTCDate()).padStart(2, ' ');
      case 'H':
        return p2(d.getUTCHours());
      case 'M':
        return p2(d.getUTCMinutes());
      case 'S':
        return p2(d.getUTCSeconds());
      case 'Y':
        return String(d.getUTCFullYear());
      case 'y':
        return p2(d.getUTCFullYear() % 100);
      case 'm':
        return p2(d.getUTCMonth() + 1);
      case 'j':
        return String(
          Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1,
        ).padStart(3, '0');
      case 'Z':
        return 'UTC';
      case 'z':
        return '+0000';
      case 's':
        return String(Math.floor(unixMs / 1000));
      case 'N':
        return String(Math.floor((unixMs % 1000) * 1_000_000)).padStart(9, '0');
      case 'T':
        return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
      case 'F':
        return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
      case 'D':
        return `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${p2(d.getUTCFullYear() % 100)}`;
      case 'R':
        return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case '%':
        return '%';
      default:
        return all;
    }
  });
}
