import type { Cluster } from '../sim/cluster/cluster';
import { spawn } from '../sim/kernel/task';
import { LAB_FILES } from './examples';
import type { Program, ProgramContext, SessionControl } from './program';
import { VirtualFs } from './vfs';

/** The longest a command may run in simulated time before a headless run gives up on it. */
export const COMMAND_LIMIT_MS = 10 * 60 * 1000;

export interface ProgramRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved in the order they were written, as a terminal shows them. */
  readonly output: string;
}

/** A SessionControl for runs without a page: remembers speed and pause, cannot reset. */
export function headlessSession(namespace = 'default'): SessionControl {
  return {
    resetScenario() {
      throw new Error('this run cannot change scenario');
    },
    setSpeed(factor) {
      this.speed = factor;
    },
    setPaused(paused) {
      this.paused = paused;
    },
    fastForward() {},
    files: new VirtualFs(LAB_FILES),
    speed: 1,
    paused: false,
    namespace,
  } as SessionControl & { speed: number; paused: boolean };
}

/**
 * Runs one program to completion as fast as the simulation allows: simulated time advances only
 * as far as the program waits. Used by scripts, the CLI and tests.
 */
export function runProgram(
  cluster: Cluster,
  program: Program,
  argv: readonly string[],
  opts: { stdin?: string; session?: SessionControl; limitMs?: number } = {},
): ProgramRun {
  let stdout = '';
  let stderr = '';
  let output = '';
  const ctx: ProgramContext = {
    cluster,
    client: cluster.outsideClient(),
    stdin: opts.stdin ?? '',
    stdout(text) {
      stdout += text;
      output += text;
    },
    stderr(text) {
      stderr += text;
      output += text;
    },
    session: opts.session ?? headlessSession(),
  };
  let code: number | undefined;
  spawn(program(argv, ctx), (outcome) => {
    if (outcome.ok) code = outcome.value;
    else {
      ctx.stderr(
        `error: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}\n`,
      );
      code = 1;
    }
  });
  const sim = cluster.sim;
  if (!sim.runUntilDone(() => code !== undefined, sim.nowMs + (opts.limitMs ?? COMMAND_LIMIT_MS))) {
    ctx.stderr('error: timed out waiting for the command to finish\n');
    code = 1;
  }
  return { code: code ?? 1, stdout, stderr, output };
}
