import { type CronJobObject, type JobObject, jobFinished } from '../api/batchTypes';
import { nextActivation, parseCron } from '../api/cron';
import type { ObjectReference } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import { EventRecorder } from '../client/eventRecorder';
import { type Informer, objectKey } from '../client/informer';
import type { Sim } from '../kernel/sim';
import { EPOCH_UNIX_MS, parseSimTime, rfc3339 } from '../kernel/time';
import { narrate } from '../kernel/trace';
import { controllerOf } from './replicaSetController';
import { WorkQueue } from './workQueue';

const RETRY_MS = 1000;
/** The controller looks at a CronJob again a little after its next schedule time. */
const REQUEUE_SLACK_MS = 100;
/** More missed start times than this and the controller only starts the latest (as cronjob_controllerv2). */
const MAX_MISSED = 100;

/** The Job name of one scheduled run: `<cronjob>-<scheduled time in minutes since the epoch>`. */
export function scheduledJobName(cronJob: string, scheduledUnixMs: number): string {
  return `${cronJob}-${Math.floor(scheduledUnixMs / 60_000)}`;
}

/**
 * The CronJob controller (cronjob_controllerv2): at each schedule time a Job from the job template
 * (owned by the CronJob, annotated with its scheduled time); concurrencyPolicy Forbid skips a run
 * while one is active, Replace deletes the active ones first; finished Jobs beyond the history
 * limits are deleted, oldest first. Times are the simulated clock's, schedules in UTC.
 */
export class CronJobController {
  private readonly queue: WorkQueue;
  private readonly events: EventRecorder;

  constructor(
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly cronJobs: Informer<CronJobObject>,
    private readonly jobs: Informer<JobObject>,
  ) {
    this.queue = new WorkQueue(sim, (key) => this.sync(key));
    this.events = new EventRecorder(client, sim, { component: 'cronjob-controller' });
    cronJobs.onChange((e, cj) => e !== 'deleted' && this.queue.add(objectKey(cj)));
    jobs.onChange((_e, job) => {
      const ref = job.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'CronJob');
      if (ref) this.queue.add(`${job.metadata.namespace}/${ref.name}`);
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private sync(key: string): void {
    const cj = this.cronJobs.items.get(key);
    if (!cj || !this.jobs.synced || cj.metadata.deletionTimestamp) return;
    const owned = [...this.jobs.items.values()].filter(
      (j) => j.metadata.namespace === cj.metadata.namespace && controllerOf(j) === cj.metadata.uid,
    );
    const byName = new Map(owned.map((j) => [j.metadata.name, j]));
    // Active list: drop Jobs that finished (recording the last success) or are gone.
    let lastSuccessfulTime = cj.status?.lastSuccessfulTime;
    for (const ref of cj.status?.active ?? []) {
      const job = byName.get(ref.name);
      const finished = job && jobFinished(job);
      if (!job || !finished) continue;
      this.events.normal(
        cj,
        'SawCompletedJob',
        `Saw completed job: ${job.metadata.name}, condition: ${finished}`,
      );
      if (finished === 'Complete' && job.status?.completionTime)
        lastSuccessfulTime = job.status.completionTime;
    }
    // Jobs it owns that have not finished (once their creation has been answered).
    const active: ObjectReference[] = owned
      .filter((j) => j.metadata.uid && !jobFinished(j) && !j.metadata.deletionTimestamp)
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
      .map((j) => cj.status?.active?.find((r) => r.uid === j.metadata.uid) ?? refOf(j));
    let lastScheduleTime = cj.status?.lastScheduleTime;
    const schedule = parseCron(cj.spec.schedule);
    const nowUnix = EPOCH_UNIX_MS + this.sim.nowMs;
    if (!('error' in schedule)) {
      const since = Date.parse(lastScheduleTime ?? cj.metadata.creationTimestamp ?? rfc3339(0));
      let scheduled: number | undefined;
      let t = nextActivation(schedule, since);
      for (let n = 0; t !== undefined && t <= nowUnix && n <= MAX_MISSED; n++) {
        scheduled = t;
        t = nextActivation(schedule, t);
      }
      if (scheduled !== undefined && !cj.spec.suspend) {
        const name = scheduledJobName(cj.metadata.name, scheduled);
        const policy = cj.spec.concurrencyPolicy ?? 'Allow';
        if (byName.has(name)) lastScheduleTime = rfc3339(scheduled - EPOCH_UNIX_MS);
        else if (policy === 'Forbid' && active.length > 0) {
          // Skipped: looked at again at the next schedule time.
        } else {
          if (policy === 'Replace')
            for (const ref of active.splice(0)) {
              const job = byName.get(ref.name);
              if (job) this.deleteJob(cj, job, 'SuccessfulDelete', `Deleted job ${ref.name}`);
            }
          this.createJob(cj, this.jobFor(cj, name, scheduled));
          lastScheduleTime = rfc3339(scheduled - EPOCH_UNIX_MS);
        }
      }
      const next = nextActivation(schedule, nowUnix);
      if (next !== undefined) this.queue.add(key, next - nowUnix + REQUEUE_SLACK_MS);
    }
    this.cleanupHistory(cj, owned);
    this.updateStatus(cj, active, lastScheduleTime, lastSuccessfulTime);
  }

  /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit. */
  private cleanupHistory(cj: CronJobObject, owned: readonly JobObject[]): void {
    const startOf = (j: JobObject): number =>
      parseSimTime(j.status?.startTime ?? j.metadata.creationTimestamp ?? '');
    for (const [kind, limit] of [
      ['Complete', cj.spec.successfulJobsHistoryLimit ?? 3],
      ['Failed', cj.spec.failedJobsHistoryLimit ?? 1],
    ] as const) {
      const finished = owned
        .filter((j) => jobFinished(j) === kind && !j.metadata.deletionTimestamp)
        .sort((a, b) => startOf(a) - startOf(b));
      for (const job of finished.slice(0, Math.max(0, finished.length - limit)))
        this.deleteJob(cj, job, 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    }
  }

  /** getJobFromTemplate2: the template's labels and annotations, plus the scheduled time. */
  private jobFor(cj: CronJobObject, name: string, scheduledUnixMs: number): JobObject {
    const meta = cj.spec.jobTemplate.metadata;
    const scheduledAt = rfc3339(scheduledUnixMs - EPOCH_UNIX_MS);
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cj.metadata.namespace,
        ...(meta?.labels ? { labels: meta.labels } : {}),
        annotations: { ...meta?.annotations, 'batch.kubernetes.io/cronjob-scheduled-timestamp': scheduledAt },
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            name: cj.metadata.name,
            uid: cj.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: cj.spec.jobTemplate.spec,
    };
  }

  private createJob(cj: CronJobObject, job: JobObject): void {
    narrate(
      this.sim.trace,
      this.sim.nowMs,
      `The CronJob controller started ${job.metadata.name} for ${cj.metadata.name}.`,
    );
    this.jobs.assume(job);
    this.client.request(
      { verb: 'create', resource: 'jobs', namespace: cj.metadata.namespace, body: job },
      (res) => {
        if (!('transport' in res) && res.code === 201) {
          this.jobs.assume(res.body as JobObject);
          this.events.normal(cj, 'SuccessfulCreate', `Created job ${job.metadata.name}`);
        } else {
          this.jobs.items.delete(objectKey(job));
          this.queue.add(objectKey(cj), RETRY_MS);
        }
      },
    );
  }

  private deleteJob(cj: CronJobObject, job: JobObject, reason: string, message: string): void {
    this.jobs.assume({ ...job, metadata: { ...job.metadata, deletionTimestamp: rfc3339(this.sim.nowMs) } });
    this.events.normal(cj, reason, message);
    this.client.request(
      {
        verb: 'delete',
        resource: 'jobs',
        namespace: job.metadata.namespace,
        name: job.metadata.name,
      },
      () => {},
    );
  }

  private updateStatus(
    cj: CronJobObject,
    active: readonly ObjectReference[],
    lastScheduleTime: string | undefined,
    lastSuccessfulTime: string | undefined,
  ): void {
    const status = {
      ...(active.length > 0 ? { active } : {}),
      ...(lastScheduleTime ? { lastScheduleTime } : {}),
      ...(lastSuccessfulTime ? { lastSuccessfulTime } : {}),
    };
    if (JSON.stringify(cj.status ?? {}) === JSON.stringify(status)) return;
    this.client.request(
      {
        verb: 'update',
        resource: 'cronjobs',
        namespace: cj.metadata.namespace,
        name: cj.metadata.name,
        body: { ...cj, status },
      },
      (res) => {
        if ('transport' in res || res.code >= 300) this.queue.add(objectKey(cj), RETRY_MS);
        else this.cronJobs.assume(res.body as CronJobObject);
      },
    );
  }
}

function refOf(job: JobObject): ObjectReference {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    name: job.metadata.name,
    namespace: job.metadata.namespace,
    ...(job.metadata.resourceVersion ? { resourceVersion: job.metadata.resourceVersion } : {}),
    uid: job.metadata.uid ?? '',
  } as ObjectReference;
}
