import { suspend } from '../sim/kernel/task';
import type { Program, ProgramContext } from './program';

/**
 * bash's job control builtins for background jobs (`kubectl proxy &`): `jobs`, `fg`, `wait`, and
 * `kill %N` (a `kill` with a job spec; the lab's `kill node NAME` is the other kind).
 */

function noJobControl(ctx: ProgramContext, name: string): number {
  ctx.stderr(`bash: ${name}: no job control\n`);
  return 1;
}

export const jobs: Program = function* (_argv, ctx) {
  const table = ctx.session.jobs;
  if (!table) return noJobControl(ctx, 'jobs');
  for (const job of table.list()) ctx.stdout(table.line(job));
  return 0;
};

/** `fg [%N]`: the job comes to the foreground; Ctrl-C then stops it. */
export const fg: Program = function* (argv, ctx) {
  const table = ctx.session.jobs;
  if (!table) return noJobControl(ctx, 'fg');
  const spec = argv[0] ?? '%%';
  const job = table.find(spec);
  if (!job) {
    ctx.stderr(
      argv[0] === undefined ? 'bash: fg: current: no such job\n' : `bash: fg: ${spec}: no such job\n`,
    );
    return 1;
  }
  if (job.ended !== undefined) {
    ctx.stderr(`bash: fg: job has terminated\n`);
    return 1;
  }
  ctx.stdout(`${job.command}\n`);
  return yield* table.wait(job.id, true);
};

/** `wait [%N]`: until the job (or every job) ends; its status. */
export const wait: Program = function* (argv, ctx) {
  const table = ctx.session.jobs;
  if (!table) return 0;
  if (argv[0] !== undefined) {
    const job = table.find(argv[0]);
    if (!job) {
      ctx.stderr(`bash: wait: ${argv[0]}: no such job\n`);
      return 127;
    }
    return yield* table.wait(job.id, false);
  }
  let status = 0;
  for (const job of [...table.list()]) status = yield* table.wait(job.id, false);
  return status;
};

/** `kill %N` (or `kill -9 %N`): ends a background job. Anything else is the lab's `kill`. */
export function withJobKill(labKill: Program): Program {
  return function* (argv, ctx) {
    const args = argv.filter((a) => !/^-(\d+|[A-Z]+|s)$/.test(a));
    if (args.length === 0 || !args.every((a) => a.startsWith('%'))) return yield* labKill(argv, ctx);
    const table = ctx.session.jobs;
    if (!table) return noJobControl(ctx, 'kill');
    let status = 0;
    for (const spec of args) {
      const job = table.find(spec);
      if (!job || !table.kill(job.id)) {
        ctx.stderr(`bash: kill: ${spec}: no such job\n`);
        status = 1;
      }
    }
    return status;
  };
}

const SLEEP_UNITS: Readonly<Record<string, number>> = {
  '': 1_000,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `sleep NUMBER[smhd]...`: waits that long in simulated time (GNU sleep adds its arguments up). */
export const sleep: Program = function* (argv, ctx) {
  if (argv.length === 0) {
    ctx.stderr("sleep: missing operand\nTry 'sleep --help' for more information.\n");
    return 1;
  }
  let ms = 0;
  for (const a of argv) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) {
      ctx.stderr(`sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`);
      return 1;
    }
    ms += Number(m[1]) * (SLEEP_UNITS[m[2] as string] as number);
  }
  const sim = ctx.cluster.sim;
  yield* suspend<void>((resume) => {
    const timer = sim.schedule(ms, () => resume());
    return () => timer.cancel();
  });
  return 0;
};
