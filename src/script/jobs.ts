import type { Job, JobControl, ShellOutputLike } from '../shell/program';
import { spawn, suspend, type Task, type TaskHandle } from '../sim/kernel/task';

/** A handle for a job whose task has not been spawned yet. */
const DONE: TaskHandle = { done: true, cancel: () => {} };

/** bash's first job pid here: any number will do, as long as it is the same every run. */
const FIRST_PID = 4242;

interface RunningJob extends Job {
  ended: number | 'killed' | undefined;
  handle: TaskHandle;
  readonly waiters: ((status: number) => void)[];
  /** Whether bash already said it ended (`[1]+  Done …`). */
  reported: boolean;
}

/**
 * The shell's background jobs (`cmd &`): each runs as a task of its own while simulated time
 * passes, its output going where the line's went. When one ends, bash tells at the next prompt
 * (`[1]+  Done                    kubectl proxy`); `jobs`, `fg`, `kill %N` and `wait` act on them.
 */
export class JobTable implements JobControl {
  private readonly jobs: RunningJob[] = [];
  private nextPid = FIRST_PID;

  start(command: string, task: Task<number>, out: ShellOutputLike): void {
    const id = (this.jobs[this.jobs.length - 1]?.id ?? 0) + 1;
    const pid = this.nextPid++;
    out.stderr(`[${id}] ${pid}\n`);
    const job: RunningJob = {
      id,
      pid,
      command,
      ended: undefined,
      reported: false,
      waiters: [],
      handle: DONE,
    };
    this.jobs.push(job);
    // A job may end at once (`false &`): the record exists before its task first runs.
    job.handle = spawn(task, (outcome) => {
      if (job.ended === undefined) job.ended = outcome.ok ? outcome.value : 'killed';
      const status = typeof job.ended === 'number' ? job.ended : 143;
      for (const w of job.waiters.splice(0)) w(status);
    });
  }

  list(): readonly Job[] {
    return this.jobs;
  }

  find(spec: string): Job | undefined {
    const live = this.jobs;
    if (spec === '%%' || spec === '%+' || spec === '%' || spec === '') return live[live.length - 1];
    if (spec === '%-') return live[live.length - 2];
    const n = Number(spec.replace(/^%/, ''));
    return live.find((j) => j.id === n);
  }

  kill(id: number): boolean {
    const job = this.jobs.find((j) => j.id === id);
    if (!job || job.ended !== undefined) return false;
    job.ended = 'killed';
    job.handle.cancel();
    return true;
  }

  *wait(id: number, killOnCancel: boolean): Task<number> {
    const job = this.jobs.find((j) => j.id === id);
    if (!job) return 127;
    if (job.ended !== undefined) {
      job.reported = true;
      this.forget();
      return typeof job.ended === 'number' ? job.ended : 143;
    }
    const status = yield* suspend<number>((resume) => {
      job.waiters.push(resume);
      return () => {
        if (killOnCancel) this.kill(id);
      };
    });
    job.reported = true;
    this.forget();
    return status;
  }

  /**
   * The lines bash prints before the next prompt for jobs that ended since, then forgets them:
   * `[1]+  Done                    sleep 1`, `[2]-  Exit 3 …`, `[3]   Terminated …`.
   */
  notices(): string {
    let text = '';
    for (const job of this.jobs) {
      if (job.ended === undefined || job.reported) continue;
      job.reported = true;
      text += `${this.label(job)}${jobState(job).padEnd(24)}${job.command}\n`;
    }
    this.forget();
    return text;
  }

  /** What `jobs` prints for one job. */
  line(job: Job): string {
    const running = job.ended === undefined;
    return `${this.label(job)}${jobState(job).padEnd(24)}${job.command}${running ? ' &' : ''}\n`;
  }

  /** Ctrl-C of the page never reaches background jobs; a new scenario ends them all. */
  killAll(): void {
    for (const job of this.jobs) this.kill(job.id);
    this.jobs.length = 0;
  }

  private label(job: Job): string {
    const n = this.jobs.length;
    const mark = job === this.jobs[n - 1] ? '+' : job === this.jobs[n - 2] ? '-' : ' ';
    return `[${job.id}]${mark}  `;
  }

  private forget(): void {
    for (let i = this.jobs.length - 1; i >= 0; i--) {
      const job = this.jobs[i] as RunningJob;
      if (job.ended !== undefined && job.reported) this.jobs.splice(i, 1);
    }
  }
}

function jobState(job: Job): string {
  if (job.ended === undefined) return 'Running';
  if (job.ended === 'killed') return 'Terminated';
  return job.ended === 0 ? 'Done' : `Exit ${job.ended}`;
}
