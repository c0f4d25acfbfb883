import type { Task } from '../sim/kernel/task';
import { type CommandList, EXPANSION_MARK, type Expansion, parseCommandLine } from './parse';
import type { Program, ProgramContext, SessionControl, ShellAccess } from './program';

/** Where a command line's output goes: the terminal, a transcript, or a pipe's buffer. */
export interface ShellOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  /** A person's terminal (the page), not a transcript or a capture: `ls` prints columns there. */
  readonly terminal?: boolean;
}

export type ProgramTable = ReadonlyMap<string, Program>;

/** Builds the context one program runs in, given its stdin and where its output goes. */
export type ContextFactory = (stdin: string, out: ShellOutput) => ProgramContext;

/** bash's status for a command it cannot find. */
export const COMMAND_NOT_FOUND = 127;

/** Shell variables of sessions that do not keep their own (headless runs). */
const fallbackEnv = new WeakMap<SessionControl, Map<string, string>>();

export function envOf(session: SessionControl): Map<string, string> {
  if (session.env) return session.env;
  let env = fallbackEnv.get(session);
  if (!env) {
    env = new Map();
    fallbackEnv.set(session, env);
  }
  return env;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/**
 * Runs a parsed command line: pipelines joined by `&&`, `||` and `;`. A pipeline's commands run
 * one after another, each reading the previous one's stdout (our programs print and exit, so this
 * is what a shell's concurrent pipe would show). The status is the last command's, as in bash.
 * Words are expanded just before their command runs, so `POD=$(...); kubectl describe $POD` works.
 */
export function* runCommandList(
  list: CommandList,
  heredoc: string,
  programs: ProgramTable,
  makeContext: ContextFactory,
  out: ShellOutput,
): Task<number> {
  let status = 0;
  const session = makeContext('', out).session;
  const files = session.files;
  const env = envOf(session);
  const shell: ShellAccess = {
    run: (argv, stdin, sink) => runOne(argv, programs, { ...makeContext(stdin, sink), shell }, sink),
    *runLine(line, sink) {
      const parsed = parseCommandLine(line);
      if (!parsed.ok) {
        sink.stderr(`${parsed.error}\n`);
        return 2;
      }
      return yield* runCommandList(parsed.list, '', programs, makeContext, sink);
    },
  };
  const expansions = list.expansions ?? [];
  for (let i = 0; i < list.pipelines.length; i++) {
    const connector = i === 0 ? ';' : list.connectors[i - 1];
    if ((connector === '&&' && status !== 0) || (connector === '||' && status === 0)) continue;
    const pipeline = list.pipelines[i];
    if (!pipeline) continue;
    let stdin = i === 0 ? heredoc : '';
    if (pipeline.input !== undefined) {
      const read = files.readFile(pipeline.input);
      if (!read.ok) {
        out.stderr(`bash: ${read.error}\n`);
        status = 1;
        continue;
      }
      stdin = read.value;
    }
    const commands = pipeline.commands;
    for (let k = 0; k < commands.length; k++) {
      const raw = commands[k] as readonly string[];
      const last = k === commands.length - 1;
      let captured = '';
      const toTerminal = last && !pipeline.redirect;
      const sink: ShellOutput = toTerminal
        ? out
        : { stdout: (t) => void (captured += t), stderr: out.stderr };
      // Leading NAME=value words: alone they set shell variables; before a command they are
      // that command's environment, which our programs do not read.
      let a = 0;
      const assignments: [string, string][] = [];
      for (; a < raw.length && ASSIGNMENT.test(raw[a] as string); a++) {
        const m = ASSIGNMENT.exec(raw[a] as string) as RegExpExecArray;
        const value = yield* expandWord(m[2] as string, expansions, env, shell, out, status, false);
        assignments.push([m[1] as string, value.join(' ')]);
      }
      if (a === raw.length) {
        for (const [name, value] of assignments) env.set(name, value);
        status = 0;
      } else {
        const argv: string[] = [];
        for (const word of raw.slice(a)) {
          argv.push(...(yield* expandWord(word, expansions, env, shell, out, status, true)));
        }
        const stdoutIsTerminal = toTerminal && out.terminal === true;
        status = yield* runOne(
          argv,
          programs,
          { ...makeContext(stdin, sink), shell, stdoutIsTerminal },
          sink,
          env,
        );
      }
      stdin = captured;
      if (last && pipeline.redirect) {
        const written = files.writeFile(pipeline.redirect.path, captured, pipeline.redirect.append);
        if (!written.ok) {
          out.stderr(`bash: ${written.error}\n`);
          status = 1;
        }
      }
    }
  }
  return status;
}

/**
 * One word after expansion: variables and command output replace their marks; unquoted results
 * are split on blanks into several words (and vanish when empty), as bash does.
 */
function* expandWord(
  word: string,
  expansions: readonly Expansion[],
  env: ReadonlyMap<string, string>,
  shell: ShellAccess,
  out: ShellOutput,
  lastStatus: number,
  split: boolean,
): Task<string[]> {
  if (!word.includes(EXPANSION_MARK)) return [word];
  const parts = word.split(EXPANSION_MARK);
  const words: string[] = [''];
  let solid = false; // whether the word has text that keeps it even if expansions are empty
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p] as string;
    if (p % 2 === 0) {
      if (part !== '') solid = true;
      words[words.length - 1] += part;
      continue;
    }
    const e = expansions[Number(part)];
    if (!e) continue;
    let value: string;
    if (e.kind === 'var') value = e.name === '?' ? String(lastStatus) : (env.get(e.name) ?? '');
    else {
      let captured = '';
      yield* shell.runLine(e.line, { stdout: (t) => void (captured += t), stderr: out.stderr });
      value = captured.replace(/\n+$/, '');
    }
    if (!split || e.quoted) {
      if (e.quoted) solid = true;
      words[words.length - 1] += value;
      continue;
    }
    const fields = value.split(/[ \t\n]+/);
    fields.forEach((f, idx) => {
      if (idx === 0) words[words.length - 1] += f;
      else words.push(f);
    });
  }
  return split && !solid ? words.filter((w) => w !== '') : words;
}

function* runOne(
  argv: readonly string[],
  programs: ProgramTable,
  ctx: ProgramContext,
  out: ShellOutput,
  env?: Map<string, string>,
): Task<number> {
  const [name, ...args] = argv;
  if (name === undefined) return 0;
  if (name === 'export' && env) {
    for (const a of args) {
      const m = ASSIGNMENT.exec(a);
      if (m) env.set(m[1] as string, m[2] as string);
      else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(a)) {
        out.stderr(`bash: export: \`${a}': not a valid identifier\n`);
        return 1;
      }
    }
    if (args.length === 0) for (const [k, v] of env) ctx.stdout(`declare -x ${k}="${v}"\n`);
    return 0;
  }
  if (name === 'unset' && env) {
    for (const a of args) env.delete(a);
    return 0;
  }
  const program = programs.get(name);
  if (!program) {
    out.stderr(`bash: ${name}: command not found\n`);
    return COMMAND_NOT_FOUND;
  }
  return yield* program(args, ctx);
}
