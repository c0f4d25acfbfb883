import { suspend } from '../sim/kernel/task';
import { EPOCH_UNIX_MS } from '../sim/kernel/time';
import type { Program, ProgramContext } from './program';

/** The terminal width watch lays its header out for (the page's terminal is at least this wide). */
export const WATCH_COLUMNS = 80;
/** The host name the learner's shell runs on, as watch prints it. */
export const SHELL_HOST = 'cplab';
/** ANSI "cursor home, erase screen", what watch does before each refresh. */
const CLEAR = '\x1b[H\x1b[2J';

function noShell(ctx: ProgramContext, tool: string): number {
  ctx.stderr(`${tool}: cannot run commands from here\n`);
  return 1;
}

/** xargs [-n N] [-I R] [-r] [-t] [COMMAND [ARGS...]]: stdin's words become COMMAND's arguments. */
export const xargs: Program = function* (argv, ctx) {
  let maxArgs = 0;
  let replace: string | undefined;
  let noRunIfEmpty = false;
  let trace = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-n' || a === '-I' || a === '-L') {
      const v = argv[++i];
      if (v === undefined) {
        ctx.stderr(
          `xargs: option requires an argument -- '${a[1]}'\nTry 'xargs --help' for more information.\n`,
        );
        return 1;
      }
      if (a === '-I') replace = v;
      else if (!/^\d+$/.test(v) || Number(v) === 0) {
        ctx.stderr(
          `xargs: invalid number "${v}" for -${a[1]} option\nTry 'xargs --help' for more information.\n`,
        );
        return 1;
      } else maxArgs = Number(v);
    } else if (/^-n\d+$/.test(a)) maxArgs = Number(a.slice(2));
    else if (a.startsWith('-I') && a.length > 2) replace = a.slice(2);
    else if (a === '-r' || a === '--no-run-if-empty') noRunIfEmpty = true;
    else if (a === '-t' || a === '--verbose') trace = true;
    else if (a === '--') {
      i++;
      break;
    } else if (a.startsWith('-') && a !== '-') {
      ctx.stderr(
        `xargs: invalid option -- '${a.replace(/^-+/, '')[0]}'\nTry 'xargs --help' for more information.\n`,
      );
      return 1;
    } else break;
  }
  if (!ctx.shell) return noShell(ctx, 'xargs');
  const command = argv.length > i ? argv.slice(i) : ['echo'];
  const items =
    replace !== undefined
      ? ctx.stdin.split('\n').filter((l) => l.trim() !== '')
      : ctx.stdin.split(/\s+/).filter((w) => w !== '');
  const batches: string[][] = [];
  if (replace !== undefined)
    for (const item of items) batches.push(command.map((w) => w.split(replace).join(item)));
  else if (items.length === 0) {
    if (!noRunIfEmpty) batches.push([...command]);
  } else {
    const size = maxArgs > 0 ? maxArgs : items.length;
    for (let k = 0; k < items.length; k += size) batches.push([...command, ...items.slice(k, k + size)]);
  }
  let worst = 0;
  for (const batch of batches) {
    if (trace) ctx.stderr(`${batch.join(' ')}\n`);
    const code = yield* ctx.shell.run(batch, '', ctx);
    if (code === 127) {
      return 127;
    }
    if (code !== 0) worst = 123;
  }
  return worst;
};

/** C's ctime without the newline: "Wed Nov 25 09:00:00 2026" (the lab's clock, UTC). */
export function ctime(atMs: number): string {
  const d = new Date(EPOCH_UNIX_MS + atMs);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** procps watch's header: the interval and command on the left, host and date on the right. */
export function watchHeader(intervalS: number, command: string, atMs: number): string {
  const left = `Every ${intervalS.toFixed(1)}s: ${command}`;
  const right = `${SHELL_HOST}: ${ctime(atMs)}`;
  const gap = Math.max(1, WATCH_COLUMNS - left.length - right.length);
  return `${left}${' '.repeat(gap)}${right}`;
}

/**
 * watch [-n SECONDS] [-t] COMMAND: clears the screen and runs COMMAND (through the shell, so
 * pipes work when quoted) every SECONDS of simulated time, until Ctrl-C.
 */
export const watch: Program = function* (argv, ctx) {
  let interval = 2;
  let title = true;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    let value: string | undefined;
    if (a === '-n' || a === '--interval') value = argv[++i];
    else if (a.startsWith('--interval=')) value = a.slice(11);
    else if (/^-n.+/.test(a)) value = a.slice(2);
    else if (a === '-t' || a === '--no-title') {
      title = false;
      continue;
    } else if (a === '--') {
      i++;
      break;
    } else if (a.startsWith('-')) {
      ctx.stderr(`watch: invalid option -- '${a.replace(/^-+/, '')[0]}'\n${WATCH_USAGE}`);
      return 1;
    } else break;
    if (value === undefined) {
      ctx.stderr(`watch: option requires an argument -- 'n'\n${WATCH_USAGE}`);
      return 1;
    }
    const n = Number(value.replace(',', '.'));
    if (!Number.isFinite(n) || value.trim() === '') {
      ctx.stderr(`watch: failed to parse argument: '${value}'\n`);
      return 1;
    }
    // procps clamps the interval to at least 0.1 s.
    interval = Math.max(0.1, n);
  }
  const command = argv.slice(i).join(' ');
  if (command === '') {
    ctx.stderr(WATCH_USAGE);
    return 1;
  }
  if (!ctx.shell) return noShell(ctx, 'watch');
  const sim = ctx.cluster.sim;
  for (;;) {
    let screen = '';
    const sink = { stdout: (t: string) => void (screen += t), stderr: (t: string) => void (screen += t) };
    const startedMs = sim.nowMs;
    yield* ctx.shell.runLine(command, sink);
    ctx.stdout(`${CLEAR}${title ? `${watchHeader(interval, command, startedMs)}\n\n` : ''}${screen}`);
    yield* suspend<void>((resume) => {
      const timer = sim.schedule(interval * 1000, () => resume());
      return () => timer.cancel();
    });
  }
};

const WATCH_USAGE = `
Usage:
 watch [options] command

Try 'watch --help' for more information.
`;
