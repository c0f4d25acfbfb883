import { type CronJobObject, type JobObject, jobFinished } from '../api/batchTypes';
import {
  type CronSchedule,
  isKnownTimeZone,
  nextActivationInZone,
  parseCron,
  rfc1123zUtc,
  rfc3339InZone,
} from '../api/cron';
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
/** More missed start times than this and the controller warns TooManyMissedTimes (it still starts the latest). */
const MAX_MISSED = 100;

/**
 * mostRecentScheduleTime (cronjob utils.go): the latest schedule time in (earliest, now], found
 * as the controller does, by estimating how many intervals were missed and stepping from just
 * before the last of them; `tooMany` past 100 missed.
 */
export function mostRecentScheduleTime(
  schedule: CronSchedule,
  earliestUnix: number,
  nowUnix: number,
  zone?: string,
): { time?: number; tooMany: boolean } | { error: string } {
  const t1 = nextActivationInZone(schedule, earliestUnix, zone);
  if (t1 === undefined || nowUnix < t1) return { tooMany: false };
  const t2 = nextActivationInZone(schedule, t1, zone);
  if (t2 === undefined || nowUnix < t2) return { time: t1, tooMany: false };
  const interval = Math.round((t2 - t1) / 1000);
  if (interval < 1) return { error: 'time difference between two schedules is less than 1 second' };
  const missed = Math.floor(Math.trunc((nowUnix - t1) / 1000) / interval) + 1;
  let time: number | undefined;
  const from = t1 + (missed - 2) * interval * 1000;
  for (let t = nextActivationInZone(schedule, from, zone); t !== undefined && t <= nowUnix; )
    [time, t] = [t, nextActivationInZone(schedule, t, zone)];
  return { ...(time !== undefined ? { time } : {}), tooMany: missed > MAX_MISSED };
}

/** The Job name of one scheduled run: `<cronjob>-<scheduled time in minutes since the epoch>`. */
export function scheduledJobName(cronJob: string, scheduledUnixMs: number): string {
  return `${cronJob}-${Math.floor(scheduledUnixMs / 60_000)}`;
}

/**
 * The CronJob controller (cronjob_controllerv2): at each schedule time a Job from the job template
 * (owned by the CronJob, annotated with its scheduled time); concurrencyPolicy Forbid skips a run
 * while one is active, Replace deletes the active ones first; finished Jobs beyond the history
 * limits are deleted, oldest first. Times are the simulated clock's; schedules are read in
 * `spec.timeZone` (UTC without one). A suspended CronJob starts nothing; startingDeadlineSeconds
 * drops runs that are too late; over 100 missed runs only the latest starts, with a warning.
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
    const zone = cj.spec.timeZone;
    const nowUnix = EPOCH_UNIX_MS + this.sim.nowMs;
    if (zone !== undefined && !isKnownTimeZone(zone)) {
      this.events.warning(cj, 'UnknownTimeZone', `invalid timeZone: "${zone}": unknown time zone ${zone}`);
    } else if (!cj.spec.suspend) {
      const schedule = parseCron(cj.spec.schedule);
      if ('error' in schedule)
        this.events.warning(
          cj,
          'UnparseableSchedule',
          `unparseable schedule: "${cj.spec.schedule}" : ${schedule.error}`,
        );
      else {
        this.schedule(cj, schedule, nowUnix, active, byName, (t) => {
          lastScheduleTime = t;
        });
        const next = nextActivationInZone(schedule, nowUnix, zone);
        if (next !== undefined) this.queue.add(key, next - nowUnix + REQUEUE_SLACK_MS);
      }
    }
    this.cleanupHistory(cj, owned);
    this.updateStatus(cj, active, lastScheduleTime, lastSuccessfulTime);
  }

  /**
   * syncCronJob's scheduling: the most recent unmet schedule time (after the last one, or within
   * startingDeadlineSeconds) gets its Job unless it is too late, already started, or Forbid finds
   * a run still active; Replace deletes the active runs first.
   */
  private schedule(
    cj: CronJobObject,
    schedule: CronSchedule,
    nowUnix: number,
    active: ObjectReference[],
    byName: ReadonlyMap<string, JobObject>,
    setLastScheduleTime: (t: string) => void,
  ): void {
    const zone = cj.spec.timeZone;
    const deadline = cj.spec.startingDeadlineSeconds;
    let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? rfc3339(0));
    if (deadline !== undefined) earliest = Math.max(earliest, nowUnix - deadline * 1000);
    const recent = mostRecentScheduleTime(schedule, earliest, nowUnix, zone);
    if ('error' in recent) {
      this.events.warning(cj, 'InvalidSchedule', `invalid schedule: ${cj.spec.schedule} : ${recent.error}`);
      return;
    }
    const scheduled = recent.time;
    if (scheduled === undefined) return;
    if (recent.tooMany)
      this.events.warning(
        cj,
        'TooManyMissedTimes',
        'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
      );
    if (deadline !== undefined && scheduled + deadline * 1000 < nowUnix) {
      this.events.warning(
        cj,
        'MissSchedule',
        `Missed scheduled time to start a job: ${rfc1123zUtc(scheduled)}`,
      );
      return;
    }
    const name = scheduledJobName(cj.metadata.name, scheduled);
    const at = rfc3339(scheduled - EPOCH_UNIX_MS);
    if (byName.has(name) || cj.status?.lastScheduleTime === at) {
      setLastScheduleTime(at);
      return;
    }
    const policy = cj.spec.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && active.length > 0) {
      // Not started: it starts late when the active run finishes, unless startingDeadlineSeconds says no.
      this.events.normal(
        cj,
        'JobAlreadyActive',
        'Not starting job because prior execution is running and concurrency policy is Forbid',
      );
      return;
    }
    if (policy === 'Replace')
      for (const ref of active.splice(0)) {
        const job = byName.get(ref.name);
        if (job) this.deleteJob(cj, job, 'SuccessfulDelete', `Deleted job ${ref.name}`);
      }
    this.createJob(cj, this.jobFor(cj, name, scheduled));
    setLastScheduleTime(at);
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
    // In the CronJob's time zone, as Go formats it (RFC 3339 with the zone's offset).
    const scheduledAt = cj.spec.timeZone
      ? rfc3339InZone(scheduledUnixMs, cj.spec.timeZone)
      : rfc3339(scheduledUnixMs - EPOCH_UNIX_MS);
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
