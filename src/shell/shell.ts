import type { Task } from '../sim/kernel/task';
import type { CommandList } from './parse';
import type { Program, ProgramContext } from './program';

/** Where a command line's output goes: the terminal, a transcript, or a pipe's buffer. */
export interface ShellOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export type ProgramTable = ReadonlyMap<string, Program>;

/** Builds the context one program runs in, given its stdin and where its output goes. */
export type ContextFactory = (stdin: string, out: ShellOutput) => ProgramContext;

/** bash's status for a command it cannot find. */
export const COMMAND_NOT_FOUND = 127;

/**
 * Runs a parsed command line: pipelines joined by `&&`, `||` and `;`. A pipeline's commands run
 * one after another, each reading the previous one's stdout (our programs print and exit, so this
 * is what a shell's concurrent pipe would show). The status is the last command's, as in bash.
 */
export function* runCommandList(
  list: CommandList,
  heredoc: string,
  programs: ProgramTable,
  makeContext: ContextFactory,
  out: ShellOutput,
): Task<number> {
  let status = 0;
  const files = makeContext('', out).session.files;
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
      const argv = commands[k] as readonly string[];
      const last = k === commands.length - 1;
      let captured = '';
      const toTerminal = last && !pipeline.redirect;
      const sink: ShellOutput = toTerminal
        ? out
        : { stdout: (t) => void (captured += t), stderr: out.stderr };
      status = yield* runOne(argv, programs, makeContext(stdin, sink), sink);
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

function* runOne(
  argv: readonly string[],
  programs: ProgramTable,
  ctx: ProgramContext,
  out: ShellOutput,
): Task<number> {
  const [name, ...args] = argv;
  if (name === undefined) return 0;
  const program = programs.get(name);
  if (!program) {
    out.stderr(`bash: ${name}: command not found\n`);
    return COMMAND_NOT_FOUND;
  }
  return yield* program(args, ctx);
}
