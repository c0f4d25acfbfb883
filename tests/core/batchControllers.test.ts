import { describe, expect, it } from 'vitest';
import type { CronJobObject, JobObject } from '../../src/sim/api/batchTypes';
import {
  isKnownTimeZone,
  nextActivation,
  nextActivationInZone,
  parseCron,
  rfc1123zUtc,
  rfc3339InZone,
} from '../../src/sim/api/cron';
import type { PodObject } from '../../src/sim/api/types';
import { mostRecentScheduleTime } from '../../src/sim/controlplane/cronJobController';
import { firstPendingIndexes, formatIndexes, parseIndexes } from '../../src/sim/controlplane/jobIndexes';
import { EPOCH_UNIX_MS } from '../../src/sim/kernel/time';
import { booted } from './bootedCluster';

/**
 * Job and CronJob behaviours of kube-controller-manager v1.32 that the first batch tests leave
 * out: activeDeadlineSeconds, Indexed completion, ttlSecondsAfterFinished, suspend, and CronJob
 * time zones, suspend, startingDeadlineSeconds, missed runs and concurrency policies. All on a
 * booted `ha` cluster with the real default timings.
 */

type Cluster = ReturnType<typeof booted>;

function job(name: string, script: string, spec: Partial<JobObject['spec']> = {}): JobObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      ...spec,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name, image: 'busybox', command: ['sh', '-c', script] }],
        },
      },
    },
  };
}

function cronJob(name: string, schedule: string, spec: Partial<CronJobObject['spec']> = {}): CronJobObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: { schedule, jobTemplate: { spec: job(name, 'echo tick').spec }, ...spec },
  };
}

const UTC = (s: string) => Date.parse(s);
const conditions = (j: JobObject) =>
  (j.status?.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason ?? ''}`);
const podsOf = (k: Cluster, jobName: string) =>
  k.list<PodObject>('pods').filter((p) => p.metadata.labels?.['job-name'] === jobName);
const events = (k: Cluster, name: string) =>
  k
    .list<{ involvedObject: { name: string }; reason: string; message: string; type: string }>('events')
    .filter((e) => e.involvedObject.name === name)
    .map((e) => `${e.type} ${e.reason}: ${e.message}`);
/** The STATUS cell of `kubectl get jobs` (the server-side Table). */
const printedStatus = (k: Cluster, name: string) => {
  const table = k.call({ verb: 'get', resource: 'jobs', namespace: 'default', name, asTable: true }).body as {
    rows: { cells: (string | number)[] }[];
  };
  return table.rows[0]?.cells[1];
};
const create = (k: Cluster, resource: string, body: JobObject | CronJobObject) =>
  k.call({ verb: 'create', resource, namespace: 'default', body });
const patch = (k: Cluster, resource: string, name: string, p: unknown) =>
  k.call({ verb: 'patch', resource, namespace: 'default', name, patch: p });
/** Advances to `s` seconds past the next whole minute (in simulated Unix time). */
const toSecondOfMinute = (k: Cluster, s: number) => {
  const unix = EPOCH_UNIX_MS + k.c.sim.nowMs;
  k.advance((((s * 1000 - (unix % 60_000)) % 60_000) + 60_000) % 60_000 || 60_000);
};

describe('cron schedules in a time zone', () => {
  it('knows IANA names as Go does, case and all', () => {
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('America/New_York')).toBe(true);
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
    expect(isKnownTimeZone('europe/berlin')).toBe(false);
  });

  it("reads the schedule on the zone's wall clock, across daylight saving", () => {
    const nine = parseCron('0 9 * * *');
    if ('error' in nine) throw new Error(nine.error);
    // 09:00 in Berlin is 08:00Z in winter (CET) and 07:00Z in summer (CEST).
    expect(nextActivationInZone(nine, UTC('2026-11-25T09:02:10Z'), 'Europe/Berlin')).toBe(
      UTC('2026-11-26T08:00:00Z'),
    );
    expect(nextActivationInZone(nine, UTC('2026-07-01T00:00:00Z'), 'Europe/Berlin')).toBe(
      UTC('2026-07-01T07:00:00Z'),
    );
    // Asia/Kolkata is +05:30: every hour there is half past in UTC.
    const hourly = parseCron('0 * * * *');
    if ('error' in hourly) throw new Error(hourly.error);
    expect(nextActivationInZone(hourly, UTC('2026-11-25T09:00:30Z'), 'Asia/Kolkata')).toBe(
      UTC('2026-11-25T09:30:00Z'),
    );
    // 02:30 does not exist in New York on 2026-03-08 (clocks jump from 02:00 to 03:00): skipped.
    const twoThirty = parseCron('30 2 * * *');
    if ('error' in twoThirty) throw new Error(twoThirty.error);
    expect(nextActivationInZone(twoThirty, UTC('2026-03-07T08:00:00Z'), 'America/New_York')).toBe(
      UTC('2026-03-09T06:30:00Z'),
    );
    // Without a zone, the UTC path.
    expect(nextActivationInZone(nine, UTC('2026-11-25T09:02:10Z'), undefined)).toBe(
      nextActivation(nine, UTC('2026-11-25T09:02:10Z')),
    );
  });

  it('formats times as Go does', () => {
    expect(rfc3339InZone(UTC('2026-11-25T09:30:00Z'), 'Asia/Kolkata')).toBe('2026-11-25T15:00:00+05:30');
    expect(rfc3339InZone(UTC('2026-11-25T09:30:00Z'), 'America/New_York')).toBe('2026-11-25T04:30:00-05:00');
    expect(rfc3339InZone(UTC('2026-11-25T09:30:00Z'), 'Europe/London')).toBe('2026-11-25T09:30:00Z');
    expect(rfc1123zUtc(UTC('2026-11-25T09:05:00Z'))).toBe('Wed, 25 Nov 2026 09:05:00 +0000');
  });

  it('finds the most recent missed time and counts more than 100 as too many', () => {
    const every = parseCron('*/1 * * * *');
    if ('error' in every) throw new Error(every.error);
    const from = UTC('2026-11-25T09:00:00Z');
    expect(mostRecentScheduleTime(every, from, from + 30_000)).toEqual({ tooMany: false });
    expect(mostRecentScheduleTime(every, from, from + 90_000)).toEqual({
      time: from + 60_000,
      tooMany: false,
    });
    expect(mostRecentScheduleTime(every, from, from + 100 * 60_000 + 5_000)).toEqual({
      time: from + 100 * 60_000,
      tooMany: false,
    });
    expect(mostRecentScheduleTime(every, from, from + 101 * 60_000 + 5_000)).toEqual({
      time: from + 101 * 60_000,
      tooMany: true,
    });
  });
});

describe('completion indexes', () => {
  it('writes intervals as orderedIntervals.String does', () => {
    expect(formatIndexes([0, 1, 2, 4])).toBe('0-2,4');
    expect(formatIndexes([3, 4])).toBe('3,4');
    expect(formatIndexes([7, 1, 5, 6, 2])).toBe('1,2,5-7');
    expect(formatIndexes([])).toBe('');
    expect([...parseIndexes('0-2,4,6,7', 7)]).toEqual([0, 1, 2, 4, 6]);
    expect(firstPendingIndexes(2, 5, new Set([0, 2]))).toEqual([1, 3]);
  });
});

describe('Job activeDeadlineSeconds', () => {
  it('deletes the running pods, sets FailureTarget, then Failed DeadlineExceeded', () => {
    const k = booted();
    expect(create(k, 'jobs', job('slow', 'sleep 300', { activeDeadlineSeconds: 10 })).code).toBe(201);
    k.advance(8_000);
    expect(podsOf(k, 'slow').map((p) => p.status?.phase)).toEqual(['Running']);
    expect(printedStatus(k, 'slow')).toBe('Running');
    // Just past the deadline: FailureTarget first, while the pod terminates.
    let j = k.get<JobObject>('jobs', 'slow');
    while (!j.status?.conditions) {
      k.advance(100);
      j = k.get<JobObject>('jobs', 'slow');
    }
    expect(Date.parse(j.status?.conditions?.[0]?.lastTransitionTime ?? '')).toBe(
      Date.parse(j.status?.startTime ?? '') + 10_000,
    );
    expect(conditions(j)).toEqual(['FailureTarget=True:DeadlineExceeded']);
    expect(j.status?.conditions?.[0]?.message).toBe('Job was active longer than specified deadline');
    expect(j.status?.active).toBeUndefined();
    expect(j.status?.terminating).toBe(1);
    expect(printedStatus(k, 'slow')).toBe('FailureTarget');
    // Its `sleep` ignores SIGTERM as PID 1: it is killed when the 30 s grace period ends.
    k.advance(31_000);
    j = k.get<JobObject>('jobs', 'slow');
    expect(conditions(j)).toEqual(['FailureTarget=True:DeadlineExceeded', 'Failed=True:DeadlineExceeded']);
    expect(j.status?.failed).toBe(1);
    expect(j.status?.terminating).toBe(0);
    expect(j.status?.completionTime).toBeUndefined();
    expect(podsOf(k, 'slow')).toHaveLength(0);
    expect(printedStatus(k, 'slow')).toBe('Failed');
    expect(events(k, 'slow')).toContain(
      'Warning DeadlineExceeded: Job was active longer than specified deadline',
    );
  });
});

describe('Indexed Jobs', () => {
  it('gives each pod its index and counts completions per index', () => {
    const k = booted();
    expect(
      create(
        k,
        'jobs',
        job('idx', 'echo $JOB_COMPLETION_INDEX; sleep 5', {
          completionMode: 'Indexed',
          completions: 3,
          parallelism: 2,
        }),
      ).code,
    ).toBe(201);
    k.advance(3_000);
    const first = podsOf(k, 'idx').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    expect(first.map((p) => p.metadata.name.replace(/-[a-z0-9]{5}$/, ''))).toEqual(['idx-0', 'idx-1']);
    const pod = first[0] as PodObject;
    expect(pod.metadata.generateName).toBe('idx-0-');
    expect(pod.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).toBe('0');
    expect(pod.metadata.labels?.['batch.kubernetes.io/job-completion-index']).toBe('0');
    const spec = pod.spec as PodObject['spec'] & {
      hostname?: string;
      containers: { env?: unknown[] }[];
    };
    expect(spec.hostname).toBe('idx-0');
    expect(spec.containers[0]?.env).toEqual([
      {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } },
      },
    ]);
    // The first two indexes finish together; index 2 runs next.
    k.advance(8_000);
    let j = k.get<JobObject>('jobs', 'idx');
    expect(j.status?.completedIndexes).toBe('0,1');
    expect(j.status?.succeeded).toBe(2);
    expect(podsOf(k, 'idx').some((p) => p.metadata.name.startsWith('idx-2-'))).toBe(true);
    k.advance(20_000);
    j = k.get<JobObject>('jobs', 'idx');
    expect(j.status?.completedIndexes).toBe('0-2');
    expect(j.status?.succeeded).toBe(3);
    expect(conditions(j)).toContain('Complete=True:CompletionsReached');
    expect(podsOf(k, 'idx')).toHaveLength(3);
  });

  it('is refused without completions', () => {
    const k = booted();
    const res = create(k, 'jobs', job('nocount', 'true', { completionMode: 'Indexed' }));
    expect(res.code).toBe(422);
    expect((res.body as { message: string }).message).toBe(
      'Job.batch "nocount" is invalid: spec.completions: Required value: when completion mode is Indexed',
    );
  });
});

describe('ttlSecondsAfterFinished', () => {
  it('deletes the finished Job after the TTL, and the garbage collector its pods', () => {
    const k = booted();
    create(k, 'jobs', job('brief', 'echo done', { ttlSecondsAfterFinished: 30 }));
    k.advance(15_000);
    const j = k.get<JobObject>('jobs', 'brief');
    expect(conditions(j)).toContain('Complete=True:CompletionsReached');
    const finished = Date.parse(
      j.status?.conditions?.find((c) => c.type === 'Complete')?.lastTransitionTime ?? '',
    );
    expect(podsOf(k, 'brief')).toHaveLength(1);
    // Still there just before the TTL runs out.
    k.advance(finished + 29_000 - (EPOCH_UNIX_MS + k.c.sim.nowMs));
    expect(k.list<JobObject>('jobs').map((x) => x.metadata.name)).toEqual(['brief']);
    k.advance(3_000);
    expect(k.list<JobObject>('jobs')).toHaveLength(0);
    k.advance(10_000);
    expect(podsOf(k, 'brief')).toHaveLength(0);
  });

  it('leaves Jobs without a TTL alone', () => {
    const k = booted();
    create(k, 'jobs', job('keep', 'echo done'));
    k.advance(120_000);
    expect(k.list<JobObject>('jobs').map((x) => x.metadata.name)).toEqual(['keep']);
  });
});

describe('Job suspend', () => {
  it('starts nothing while suspended, runs on resume, deletes its pods when suspended again', () => {
    const k = booted();
    create(k, 'jobs', job('held', 'sleep 60', { suspend: true, activeDeadlineSeconds: 100 }));
    k.advance(5_000);
    let j = k.get<JobObject>('jobs', 'held');
    expect(podsOf(k, 'held')).toHaveLength(0);
    expect(conditions(j)).toEqual(['Suspended=True:JobSuspended']);
    expect(j.status?.conditions?.[0]?.message).toBe('Job suspended');
    expect(j.status?.startTime).toBeUndefined();
    expect(printedStatus(k, 'held')).toBe('Suspended');
    expect(events(k, 'held')).toEqual(['Normal Suspended: Job suspended']);
    // Suspended time does not count against activeDeadlineSeconds.
    k.advance(120_000);
    expect(patch(k, 'jobs', 'held', { spec: { suspend: false } }).code).toBe(200);
    k.advance(5_000);
    j = k.get<JobObject>('jobs', 'held');
    expect(conditions(j)).toEqual(['Suspended=False:JobResumed']);
    expect(j.status?.startTime).toBeDefined();
    expect(j.status?.active).toBe(1);
    expect(printedStatus(k, 'held')).toBe('Running');
    expect(podsOf(k, 'held').map((p) => p.status?.phase)).toEqual(['Running']);
    patch(k, 'jobs', 'held', { spec: { suspend: true } });
    k.advance(31_000);
    j = k.get<JobObject>('jobs', 'held');
    expect(conditions(j)).toEqual(['Suspended=True:JobSuspended']);
    expect(j.status?.active).toBeUndefined();
    expect(j.status?.failed).toBeUndefined();
    expect(podsOf(k, 'held')).toHaveLength(0);
    // The second Suspended event is aggregated into the first (count 2), as client-go does.
    expect(events(k, 'held').filter((e) => !e.includes('SuccessfulCreate'))).toEqual([
      'Normal Suspended: Job suspended',
      'Normal Resumed: Job resumed',
      expect.stringMatching(/^Normal SuccessfulDelete: Deleted pod: held-/),
    ]);
  });
});

describe('CronJob time zones', () => {
  it('refuses an unknown zone with the API server wording', () => {
    const k = booted();
    const res = create(k, 'cronjobs', cronJob('mars', '0 * * * *', { timeZone: 'Mars/Olympus' }));
    expect(res.code).toBe(422);
    expect((res.body as { message: string }).message).toBe(
      'CronJob.batch "mars" is invalid: spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
    );
    const local = create(k, 'cronjobs', cronJob('local', '0 * * * *', { timeZone: 'Local' }));
    expect((local.body as { message: string }).message).toBe(
      'CronJob.batch "local" is invalid: spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
    );
  });

  it('schedules on the zone wall clock and stamps the Job in that zone', () => {
    const k = booted();
    expect(create(k, 'cronjobs', cronJob('kolkata', '0 * * * *', { timeZone: 'Asia/Kolkata' })).code).toBe(
      201,
    );
    // The first run is at 15:00 in Kolkata, 09:30Z.
    k.advance(UTC('2026-11-25T09:30:10Z') - (EPOCH_UNIX_MS + k.c.sim.nowMs));
    const jobs = k.list<JobObject>('jobs');
    const minute = UTC('2026-11-25T09:30:00Z') / 60_000;
    expect(jobs.map((x) => x.metadata.name)).toEqual([`kolkata-${minute}`]);
    expect(jobs[0]?.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(
      '2026-11-25T15:00:00+05:30',
    );
    const cj = k.get<CronJobObject>('cronjobs', 'kolkata');
    expect(cj.status?.lastScheduleTime).toBe('2026-11-25T09:30:00Z');
    const table = k.call({
      verb: 'get',
      resource: 'cronjobs',
      namespace: 'default',
      name: 'kolkata',
      asTable: true,
    }).body as { rows: { cells: (string | number)[] }[] };
    expect(table.rows[0]?.cells.slice(1, 4)).toEqual(['0 * * * *', 'Asia/Kolkata', 'false']);
  });
});

describe('CronJob suspend and startingDeadlineSeconds', () => {
  it('starts nothing while suspended; on resume the missed run starts unless past the deadline', () => {
    const k = booted();
    create(k, 'cronjobs', cronJob('late', '*/1 * * * *', { suspend: true }));
    create(k, 'cronjobs', cronJob('strict', '*/1 * * * *', { suspend: true, startingDeadlineSeconds: 30 }));
    k.advance(180_000);
    expect(k.list<JobObject>('jobs')).toHaveLength(0);
    expect(k.get<CronJobObject>('cronjobs', 'late').status?.lastScheduleTime).toBeUndefined();
    toSecondOfMinute(k, 40);
    patch(k, 'cronjobs', 'late', { spec: { suspend: false } });
    patch(k, 'cronjobs', 'strict', { spec: { suspend: false } });
    k.advance(5_000);
    const minute = Math.floor((EPOCH_UNIX_MS + k.c.sim.nowMs) / 60_000);
    // `late` starts the run of this minute 45 s late; `strict` may not start it past 30 s.
    expect(k.list<JobObject>('jobs').map((x) => x.metadata.name)).toEqual([`late-${minute}`]);
    // At the next minute both run on time.
    toSecondOfMinute(k, 5);
    expect(
      k
        .list<JobObject>('jobs')
        .map((x) => x.metadata.name)
        .sort(),
    ).toEqual([`late-${minute}`, `late-${minute + 1}`, `strict-${minute + 1}`]);
  });

  it('warns of more than 100 missed start times and starts only the latest', () => {
    const k = booted();
    create(k, 'cronjobs', cronJob('backlog', '*/1 * * * *', { suspend: true }));
    k.advance(102 * 60_000);
    toSecondOfMinute(k, 20);
    patch(k, 'cronjobs', 'backlog', { spec: { suspend: false } });
    k.advance(5_000);
    const minute = Math.floor((EPOCH_UNIX_MS + k.c.sim.nowMs) / 60_000);
    expect(k.list<JobObject>('jobs').map((x) => x.metadata.name)).toEqual([`backlog-${minute}`]);
    expect(events(k, 'backlog')).toContain(
      'Warning TooManyMissedTimes: too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
    );
  });
});

describe('CronJob concurrencyPolicy', () => {
  it('Forbid skips a run while one is active; Replace deletes the active run', () => {
    const k = booted();
    const long = { spec: job('x', 'sleep 100').spec };
    create(
      k,
      'cronjobs',
      cronJob('forbid', '*/1 * * * *', { concurrencyPolicy: 'Forbid', jobTemplate: long }),
    );
    create(
      k,
      'cronjobs',
      cronJob('replace', '*/1 * * * *', { concurrencyPolicy: 'Replace', jobTemplate: long }),
    );
    toSecondOfMinute(k, 10);
    const first = Math.floor((EPOCH_UNIX_MS + k.c.sim.nowMs) / 60_000);
    toSecondOfMinute(k, 10);
    const names = k
      .list<JobObject>('jobs')
      .filter((x) => !x.metadata.deletionTimestamp)
      .map((x) => x.metadata.name)
      .sort();
    expect(names).toEqual([`forbid-${first}`, `replace-${first + 1}`]);
    expect(events(k, 'forbid')).toContain(
      'Normal JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid',
    );
    expect(events(k, 'replace')).toContain(`Normal SuccessfulDelete: Deleted job replace-${first}`);
    expect(k.get<CronJobObject>('cronjobs', 'forbid').status?.active?.map((r) => r.name)).toEqual([
      `forbid-${first}`,
    ]);
  });
});
