import { describe, expect, it } from 'vitest';
import type { CronJobObject, JobObject } from '../../src/sim/api/batchTypes';
import { nextActivation, parseCron } from '../../src/sim/api/cron';
import type { PodObject } from '../../src/sim/api/types';
import { EPOCH_UNIX_MS } from '../../src/sim/kernel/time';
import { booted } from './bootedCluster';

function job(
  name: string,
  script: string,
  spec: Partial<JobObject['spec']> = {},
  restart = 'Never',
): JobObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      ...spec,
      template: {
        spec: {
          restartPolicy: restart as 'Never',
          containers: [{ name, image: 'busybox', command: ['sh', '-c', script] }],
        },
      },
    },
  };
}

const cond = (j: JobObject) => (j.status?.conditions ?? []).map((c) => c.type);
const UTC = (s: string) => Date.parse(s);

describe('cron schedules', () => {
  it('parses the standard forms and computes the next activation', () => {
    const every5 = parseCron('*/5 * * * *');
    if ('error' in every5) throw new Error(every5.error);
    expect(nextActivation(every5, UTC('2026-11-25T09:02:10Z'))).toBe(UTC('2026-11-25T09:05:00Z'));
    expect(nextActivation(every5, UTC('2026-11-25T09:05:00Z'))).toBe(UTC('2026-11-25T09:10:00Z'));
    const list = parseCron('0,30 8-10 * * mon-fri');
    if ('error' in list) throw new Error(list.error);
    // 2026-11-27 is a Friday; the next weekday after its last slot is Monday the 30th.
    expect(nextActivation(list, UTC('2026-11-27T10:30:00Z'))).toBe(UTC('2026-11-30T08:00:00Z'));
    expect(nextActivation(list, UTC('2026-11-27T08:10:00Z'))).toBe(UTC('2026-11-27T08:30:00Z'));
    const monthly = parseCron('@monthly');
    if ('error' in monthly) throw new Error(monthly.error);
    expect(nextActivation(monthly, UTC('2026-11-25T09:00:00Z'))).toBe(UTC('2026-12-01T00:00:00Z'));
    // Day of month OR day of week when both are restricted (robfig/cron).
    const either = parseCron('0 0 1 * sun');
    if ('error' in either) throw new Error(either.error);
    expect(nextActivation(either, UTC('2026-11-25T09:00:00Z'))).toBe(UTC('2026-11-29T00:00:00Z'));
  });

  it("rejects bad schedules with robfig/cron's messages", () => {
    expect(parseCron('bad')).toEqual({ error: 'expected exactly 5 fields, found 1: [bad]' });
    expect(parseCron('70 * * * *')).toEqual({ error: 'end of range (70) above maximum (59): 70' });
    expect(parseCron('x * * * *')).toEqual({
      error: 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax',
    });
    expect(parseCron('5-1 * * * *')).toEqual({
      error: 'beginning of range (5) beyond end of range (1): 5-1',
    });
    expect(parseCron('*/0 * * * *')).toEqual({ error: 'step of range should be a positive number: */0' });
    expect(parseCron('@sometimes')).toEqual({ error: 'unrecognized descriptor: @sometimes' });
  });

  it('refuses a CronJob whose schedule does not parse', () => {
    const { call } = booted();
    const res = call({
      verb: 'create',
      resource: 'cronjobs',
      namespace: 'default',
      body: {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'bad' },
        spec: {
          schedule: 'bad',
          jobTemplate: job('x', 'true').spec ? { spec: job('x', 'true').spec } : undefined,
        },
      } as never,
    });
    expect(res.code).toBe(422);
    expect((res.body as { message: string }).message).toBe(
      'CronJob.batch "bad" is invalid: spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]',
    );
  });
});

describe('Job controller', () => {
  it('runs a pod to completion: Complete, completionTime, pod Succeeded', () => {
    const { call, list, get, advance } = booted();
    expect(
      call({ verb: 'create', resource: 'jobs', namespace: 'default', body: job('ok', 'echo hi') }).code,
    ).toBe(201);
    advance(20_000);
    const j = get<JobObject>('jobs', 'ok');
    expect(cond(j)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(j.status?.succeeded).toBe(1);
    expect(j.status?.completionTime).toBeDefined();
    const pods = list<PodObject>('pods').filter((p) => p.metadata.labels?.['job-name'] === 'ok');
    expect(pods.map((p) => p.status?.phase)).toEqual(['Succeeded']);
    expect(pods[0]?.status?.containerStatuses?.[0]?.state.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
  });

  it('fails after backoffLimit failures, with growing back-off between pods', () => {
    const { call, list, get, advance, c } = booted();
    call({
      verb: 'create',
      resource: 'jobs',
      namespace: 'default',
      body: job('bad', 'exit 3', { backoffLimit: 2 }),
    });
    advance(5_000);
    expect(list<PodObject>('pods').filter((p) => p.metadata.labels?.['job-name'] === 'bad')).toHaveLength(1);
    advance(120_000);
    const j = get<JobObject>('jobs', 'bad');
    expect(cond(j)).toEqual(['FailureTarget', 'Failed']);
    expect(j.status?.failed).toBe(3);
    const pods = list<PodObject>('pods').filter((p) => p.metadata.labels?.['job-name'] === 'bad');
    expect(pods.map((p) => p.status?.phase)).toEqual(['Failed', 'Failed', 'Failed']);
    const starts = pods
      .map((p) => Date.parse(p.metadata.creationTimestamp!) - EPOCH_UNIX_MS)
      .sort((a, b) => a - b);
    // 10 s after the first failure, then 20 s after the second.
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(10_000);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(20_000);
    expect(c.sim.nowMs).toBeGreaterThan(0);
  });

  it('keeps `parallelism` pods running until `completions` succeeded', () => {
    const { call, list, get, advance } = booted();
    call({
      verb: 'create',
      resource: 'jobs',
      namespace: 'default',
      body: job('par', 'sleep 10', { completions: 4, parallelism: 2 }),
    });
    advance(8_000);
    const running = () =>
      list<PodObject>('pods').filter(
        (p) => p.metadata.labels?.['job-name'] === 'par' && p.status?.phase !== 'Succeeded',
      );
    expect(running()).toHaveLength(2);
    expect(get<JobObject>('jobs', 'par').status?.active).toBe(2);
    advance(60_000);
    const j = get<JobObject>('jobs', 'par');
    expect(j.status?.succeeded).toBe(4);
    expect(cond(j)).toContain('Complete');
    expect(list<PodObject>('pods').filter((p) => p.metadata.labels?.['job-name'] === 'par')).toHaveLength(4);
  });
});

describe('CronJob controller', () => {
  it('creates <name>-<minutes> Jobs on schedule and keeps the history limits', () => {
    const { call, list, get, advance, c } = booted();
    const template = job('x', 'echo tick', {}, 'OnFailure');
    const cj: CronJobObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick', namespace: 'default' },
      spec: { schedule: '*/1 * * * *', successfulJobsHistoryLimit: 2, jobTemplate: { spec: template.spec } },
    };
    expect(call({ verb: 'create', resource: 'cronjobs', namespace: 'default', body: cj }).code).toBe(201);
    // To the middle of a minute, five minutes on.
    const unix = EPOCH_UNIX_MS + c.sim.nowMs;
    advance(5 * 60_000 + ((90_000 - (unix % 60_000)) % 60_000));
    const jobs = list<JobObject>('jobs').map((j) => j.metadata.name);
    const nowMin = Math.floor((EPOCH_UNIX_MS + c.sim.nowMs) / 60_000);
    expect(jobs).toEqual([`tick-${nowMin - 1}`, `tick-${nowMin}`]);
    const latest = get<JobObject>('jobs', `tick-${nowMin}`);
    expect(latest.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(
      new Date(nowMin * 60_000).toISOString().replace('.000', ''),
    );
    const status = get<CronJobObject>('cronjobs', 'tick').status;
    expect(status?.lastScheduleTime).toBe(new Date(nowMin * 60_000).toISOString().replace('.000', ''));
    expect(status?.lastSuccessfulTime).toBeDefined();
  });
});
