import type { JobObject } from '../api/batchTypes';
import type { ApiClient } from '../client/apiClient';
import { type Informer, objectKey } from '../client/informer';
import type { Sim } from '../kernel/sim';
import { parseSimTime } from '../kernel/time';
import { narrate } from '../kernel/trace';
import { WorkQueue } from './workQueue';

const RETRY_MS = 1000;

/** needsCleanup: a TTL is set and the Job is finished; the finish time is its Complete/Failed condition's. */
function finishedAt(job: JobObject): number | undefined {
  if (job.spec.ttlSecondsAfterFinished === undefined) return undefined;
  for (const c of job.status?.conditions ?? [])
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True' && c.lastTransitionTime)
      return parseSimTime(c.lastTransitionTime);
  return undefined;
}

/**
 * The TTL-after-finished controller (pkg/controller/ttlafterfinished): a finished Job with
 * `spec.ttlSecondsAfterFinished` is deleted that many seconds after its Complete or Failed
 * condition's lastTransitionTime, after a fresh GET confirms the TTL (it may have changed). It
 * records no Events. The real controller deletes with propagationPolicy Foreground; this API
 * server knows only background deletion, so the garbage collector removes the pods right after
 * the Job.
 */
export class TtlAfterFinishedController {
  private readonly queue: WorkQueue;
  /** When each Job key is due, so a burst of updates schedules one wake-up. */
  private readonly timers = new Map<string, number>();

  constructor(
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly jobs: Informer<JobObject>,
  ) {
    this.queue = new WorkQueue(sim, (key) => this.process(key));
    jobs.onChange((event, job) => {
      if (event !== 'deleted' && !job.metadata.deletionTimestamp && finishedAt(job) !== undefined)
        this.queue.add(objectKey(job));
    });
  }

  stop(): void {
    this.queue.stop();
  }

  /** processJob: waits for the TTL, then checks a fresh copy before deleting. */
  private process(key: string): void {
    const job = this.jobs.items.get(key);
    if (!job || this.remaining(key, job) !== 0) return;
    const ns = job.metadata.namespace;
    this.client.request({ verb: 'get', resource: 'jobs', namespace: ns, name: job.metadata.name }, (res) => {
      if ('transport' in res) return this.queue.add(key, RETRY_MS);
      if (res.code === 404) return;
      if (res.code >= 300) return this.queue.add(key, RETRY_MS);
      const fresh = res.body as JobObject;
      if (fresh.metadata.uid !== job.metadata.uid || this.remaining(key, fresh) !== 0) return;
      narrate(
        this.sim.trace,
        this.sim.nowMs,
        `The TTL-after-finished controller deleted ${fresh.metadata.name}: finished ${fresh.spec.ttlSecondsAfterFinished}s ago.`,
      );
      this.client.request(
        { verb: 'delete', resource: 'jobs', namespace: ns, name: fresh.metadata.name },
        (del) => {
          if ('transport' in del || (del.code >= 300 && del.code !== 404)) this.queue.add(key, RETRY_MS);
        },
      );
    });
  }

  /**
   * 0 when the Job's TTL has expired; otherwise undefined (no cleanup due, or a sync is scheduled
   * for when it expires).
   */
  private remaining(key: string, job: JobObject): 0 | undefined {
    if (job.metadata.deletionTimestamp) return undefined;
    const finish = finishedAt(job);
    if (finish === undefined) return undefined;
    const expireAt = finish + (job.spec.ttlSecondsAfterFinished ?? 0) * 1000;
    if (expireAt <= this.sim.nowMs) return 0;
    const due = this.timers.get(key);
    if (due === undefined || due <= this.sim.nowMs || due > expireAt) {
      this.timers.set(key, expireAt);
      this.sim.schedule(expireAt - this.sim.nowMs, () => {
        if (this.timers.get(key) === expireAt) this.timers.delete(key);
        this.queue.add(key);
      });
    }
    return undefined;
  }
}
