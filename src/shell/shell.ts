import type { Task } from '../sim/kernel/task';
import { type ExpandContext, ExpansionError, expandWord, type ShellVars } from './expand';
import { type CommandList, parseCommandLine } from './parse';
import type { Program, ProgramContext, SessionControl, ShellAccess } from './program';
import { HOME } from './vfs';

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

/** The variables a login shell starts with, all exported. */
const LOGIN_ENV: readonly (readonly [string, string])[] = [
  ['HOME', HOME],
  ['USER', 'learner'],
  ['SHELL', '/bin/bash'],
  ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
];

export function envOf(session: SessionControl): Map<string, string> {
  if (session.env) return session.env;
  let env = fallbackEnv.get(session);
  if (!env) {
    env = new Map(LOGIN_ENV);
    fallbackEnv.set(session, env);
  }
  return env;
}

/** What the shell remembers between lines besides its variables: `$?` and which names are exported. */
interface ShellState {
  lastStatus: number;
  readonly exported: Set<string>;
}

const shellStates = new WeakMap<SessionControl, ShellState>();

function stateOf(session: SessionControl): ShellState {
  let state = shellStates.get(session);
  if (!state) {
    state = { lastStatus: 0, exported: new Set(LOGIN_ENV.map(([k]) => k)) };
    shellStates.set(session, state);
  }
  return state;
}

/** The environment a command gets: the exported variables, then its own `NAME=value` prefix. */
function commandEnv(
  env: ReadonlyMap<string, string>,
  exported: ReadonlySet<string>,
  prefix: ReadonlyMap<string, string>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of env) if (exported.has(k) && !prefix.has(k)) out.set(k, v);
  for (const [k, v] of prefix) out.set(k, v);
  return out;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/**
 * Runs a parsed command line: pipelines joined by `&&`, `||` and `;`. A pipeline's commands run
 * one after another, each reading the previous one's stdout (our programs print and exit, so this
 * is what a shell's concurrent pipe would show). The status is the last command's, as in bash.
 * Words are expanded just before their command runs, so `POD=$(...); kubectl describe $POD` works.
 * An expansion that fails (`${X:?}`, `$((1/0))`, a bad substitution) stops the line with status 1,
 * as an interactive bash does.
 */
export function* runCommandList(
  list: CommandList,
  heredoc: string,
  programs: ProgramTable,
  makeContext: ContextFactory,
  out: ShellOutput,
  /** A background job's pipeline: its status is not `$?` (bash keeps it for `wait`). */
  background = false,
): Task<number> {
  const session = makeContext('', out).session;
  const files = session.files;
  const env = envOf(session);
  const state = stateOf(session);
  let status = 0;
  // `$?` is the previous line's status until a command of this one has run.
  let ran = false;
  const shell: ShellAccess = {
    run: (argv, stdin, sink, cmdEnv) =>
      runOne(
        argv,
        programs,
        { ...makeContext(stdin, sink), shell, ...(cmdEnv ? { env: cmdEnv } : {}) },
        sink,
      ),
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
  const expandContext = (vars: ShellVars): ExpandContext => ({
    vars,
    files,
    shell,
    stderr: out.stderr,
    status: ran ? status : state.lastStatus,
  });
  try {
    status = yield* runPipelines();
  } catch (e) {
    if (!(e instanceof ExpansionError)) throw e;
    out.stderr(`${e.message}\n`);
    status = 1;
    ran = true;
  }
  if (ran && !background) state.lastStatus = status;
  return status;

  function* runPipelines(): Task<number> {
    for (let i = 0; i < list.pipelines.length; i++) {
      const connector = i === 0 ? ';' : list.connectors[i - 1];
      if ((connector === '&&' && status !== 0) || (connector === '||' && status === 0)) continue;
      const pipeline = list.pipelines[i];
      if (!pipeline) continue;
      if (pipeline.background && session.startJob) {
        // `cmd &`: the job runs on its own as simulated time passes; the line goes on at once.
        const { background: _bg, ...foreground } = pipeline;
        const input = i === 0 ? heredoc : '';
        session.startJob(
          pipeline.text ?? '',
          (sink) =>
            runCommandList(
              { ...list, pipelines: [foreground], connectors: [] },
              input,
              programs,
              makeContext,
              sink,
              true,
            ),
          out,
        );
        status = 0;
        ran = true;
        continue;
      }
      let stdin = i === 0 ? heredoc : '';
      if (pipeline.input !== undefined) {
        const [path = ''] = yield* expandWord(pipeline.input, expansions, expandContext(env), 'redirect');
        const read = files.readFile(path);
        if (!read.ok) {
          out.stderr(`bash: ${read.error}\n`);
          status = 1;
          ran = true;
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
        // Leading NAME=value words: alone they set shell variables, one after another; before a
        // command they are only that command's environment (expanded after its words, as bash).
        let a = 0;
        while (a < raw.length && ASSIGNMENT.test(raw[a] as string)) a++;
        if (a === raw.length) {
          const ctx = expandContext(env);
          for (const word of raw) {
            const m = ASSIGNMENT.exec(word) as RegExpExecArray;
            const [value = ''] = yield* expandWord(m[2] as string, expansions, ctx, 'assign');
            env.set(m[1] as string, value);
          }
          status = ctx.substStatus ?? 0;
        } else {
          const argv: string[] = [];
          const ctx = expandContext(env);
          for (const word of raw.slice(a)) argv.push(...(yield* expandWord(word, expansions, ctx, 'argv')));
          const prefix = new Map<string, string>();
          const overlay: ShellVars = {
            get: (name) => prefix.get(name) ?? env.get(name),
            set: (name, value) => prefix.set(name, value),
          };
          for (const word of raw.slice(0, a)) {
            const m = ASSIGNMENT.exec(word) as RegExpExecArray;
            const [value = ''] = yield* expandWord(
              m[2] as string,
              expansions,
              expandContext(overlay),
              'assign',
            );
            prefix.set(m[1] as string, value);
          }
          const stdoutIsTerminal = toTerminal && out.terminal === true;
          status = yield* runOne(
            argv,
            programs,
            {
              ...makeContext(stdin, sink),
              shell,
              stdoutIsTerminal,
              env: commandEnv(env, state.exported, prefix),
            },
            sink,
            env,
            state.exported,
          );
        }
        ran = true;
        stdin = captured;
        if (last && pipeline.redirect) {
          const [path = ''] = yield* expandWord(
            pipeline.redirect.path,
            expansions,
            expandContext(env),
            'redirect',
          );
          const written = files.writeFile(path, captured, pipeline.redirect.append);
          if (!written.ok) {
            out.stderr(`bash: ${written.error}\n`);
            status = 1;
          }
        }
      }
    }
    return status;
  }
}

function* runOne(
  argv: readonly string[],
  programs: ProgramTable,
  ctx: ProgramContext,
  out: ShellOutput,
  env?: Map<string, string>,
  exported?: Set<string>,
): Task<number> {
  const [name, ...args] = argv;
  if (name === undefined) return 0;
  if (name === 'export' && env) {
    let code = 0;
    for (const a of args) {
      const m = ASSIGNMENT.exec(a);
      const key = m ? (m[1] as string) : a;
      if (!m && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(a)) {
        out.stderr(`bash: export: \`${a}': not a valid identifier\n`);
        code = 1;
        continue;
      }
      if (m) env.set(key, m[2] as string);
      exported?.add(key);
    }
    if (args.length === 0) {
      for (const k of [...env.keys()].sort()) {
        if (exported && !exported.has(k)) continue;
        ctx.stdout(`declare -x ${k}="${(env.get(k) as string).replace(/["\\$`]/g, '\\$&')}"\n`);
      }
    }
    return code;
  }
  if (name === 'unset' && env) {
    for (const a of args) {
      env.delete(a);
      exported?.delete(a);
    }
    return 0;
  }
  const program = programs.get(name);
  if (!program) {
    out.stderr(`bash: ${name}: command not found\n`);
    return COMMAND_NOT_FOUND;
  }
  return yield* program(args, ctx);
}
