import { describe, expect, it } from 'vitest';
import type { SchedulingSample } from '../../src/sim/snapshot';
import { MARK_BURST_MS, MARK_MS, mergeMarks } from '../../src/store/labStore';
import {
  AnimationClock,
  MAX_STEP_MS,
  SCHEDULING_ANIMATION_MS,
  SCHEDULING_LINGER_MS,
  SchedulingAnimator,
  schedulingDurationMs,
  schedulingStage,
} from '../../src/store/schedulingAnimator';

const sample = (pod: string, nodeName?: string): SchedulingSample => ({
  pod: `default/${pod}`,
  owner: 'ReplicaSet/web-5c94f75b5d',
  numAllNodes: 9,
  evaluatedNodes: 9,
  feasibleNodes: nodeName ? 5 : 0,
  ...(nodeName ? { nodeName, score: 697 } : { message: '0/9 nodes are available' }),
  filtered: [
    { node: 'cp-1', reason: 'untolerated taint', detail: 'node(s) had untolerated taint' },
    { node: 'worker-2', reason: 'unschedulable', detail: 'node(s) were unschedulable' },
  ],
  filteredCounts: [
    { reason: 'untolerated taint', count: 1 },
    { reason: 'unschedulable', count: 1 },
  ],
  scored: nodeName ? [{ node: nodeName, total: 697 }] : [],
});

describe('AnimationClock', () => {
  it('follows wall time while the simulation runs and stands still while it is paused', () => {
    const c = new AnimationClock();
    c.sync(1000, true);
    expect(c.sync(1100, true)).toBe(100);
    expect(c.sync(1500, false)).toBe(100);
    expect(c.sync(1550, true)).toBe(150);
  });

  it('never jumps by more than a step (a hidden tab resumes where it stopped)', () => {
    const c = new AnimationClock();
    c.sync(0, true);
    expect(c.sync(60_000, true)).toBe(MAX_STEP_MS);
  });
});

describe('SchedulingAnimator', () => {
  it('animates one cycle at a time: cycles offered meanwhile are counted, not queued', () => {
    const a = new SchedulingAnimator();
    const first = a.offer(sample('web-a', 'worker-1'), 50, 0, 1);
    expect(first?.sample.pod).toBe('default/web-a');
    expect(first?.others).toBe(49);
    const busy = a.offer(sample('web-b', 'worker-2'), 3, 500, 1);
    expect(busy?.sample.pod).toBe('default/web-a');
    expect(busy?.others).toBe(52);
    // Once it is over (marks faded too), the next fresh cycle is animated.
    const later = SCHEDULING_ANIMATION_MS + SCHEDULING_LINGER_MS + 1;
    expect(a.offer(undefined, 0, later, 1)?.sample.pod).toBe('default/web-a');
    expect(a.offer(sample('web-c', 'worker-3'), 1, later + 50, 1)?.sample.pod).toBe('default/web-c');
  });

  it('drops an animation the cluster has left far behind (time skipped by advance)', () => {
    const a = new SchedulingAnimator();
    a.offer(sample('web-a', 'worker-1'), 1, 0, 1, { nowMs: 30_000, sampleAtMs: 30_000 });
    expect(a.offer(undefined, 0, 100, 1, { nowMs: 31_000, sampleAtMs: 0 })?.sample.pod).toBe('default/web-a');
    const next = a.offer(sample('web-b', 'worker-2'), 1, 200, 1, { nowMs: 50_000, sampleAtMs: 50_000 });
    expect(next?.sample.pod).toBe('default/web-b');
  });

  it('keeps a pace a person can follow at 1× and shortens it on a fast clock', () => {
    expect(schedulingDurationMs(1)).toBe(SCHEDULING_ANIMATION_MS);
    expect(schedulingDurationMs(4)).toBe(SCHEDULING_ANIMATION_MS / 2);
    expect(schedulingDurationMs(100)).toBeGreaterThanOrEqual(SCHEDULING_ANIMATION_MS * 0.3);
    expect(schedulingDurationMs(Number.NaN)).toBe(SCHEDULING_ANIMATION_MS);
  });
});

describe('schedulingStage', () => {
  const anim = {
    id: 1,
    sample: sample('web-a', 'worker-5'),
    startMs: 1000,
    durationMs: 1000,
    others: 0,
    simAtMs: 0,
  };

  it('takes the pod from the queue, marks rejected nodes, scores, picks, then flies', () => {
    expect(schedulingStage(anim, 1050)).toMatchObject({ step: 'queue', filteredShown: 0, flight: 0 });
    expect(schedulingStage(anim, 1300)).toMatchObject({ step: 'filter', scoredShown: 0, winnerShown: false });
    expect(schedulingStage(anim, 1300)!.filteredShown).toBeGreaterThan(0);
    expect(schedulingStage(anim, 1500)).toMatchObject({ step: 'score', filteredShown: 2 });
    const bind = schedulingStage(anim, 1800)!;
    expect(bind).toMatchObject({ step: 'bind', winnerShown: true });
    expect(bind.flight).toBeGreaterThan(0);
    expect(bind.flight).toBeLessThan(1);
    expect(schedulingStage(anim, 2050)).toMatchObject({ step: 'done', flight: 1 });
    expect(schedulingStage(anim, 2050)!.opacity).toBeLessThan(1);
    expect(schedulingStage(anim, 3000)).toBeUndefined();
  });

  it('a pod no node fits stays in the scheduler', () => {
    const failed = { ...anim, sample: sample('web-b') };
    expect(schedulingStage(failed, 1900)).toMatchObject({ step: 'score', winnerShown: false, flight: 0 });
  });

  it('with reduced motion everything is shown at once and nothing moves', () => {
    expect(schedulingStage(anim, 1010, true)).toMatchObject({
      filteredShown: 2,
      scoredShown: 1,
      winnerShown: true,
      flight: 1,
    });
  });
});

describe('mergeMarks', () => {
  const act = (created: number, deleted: number, scaled?: { from: number; to: number }, atMs = 0) => ({
    namespace: 'default',
    replicaSet: 'web-5c94f75b5d',
    created,
    deleted,
    ...(scaled ? { scaled } : {}),
    atMs,
  });

  it('adds up a burst of acts on one ReplicaSet, keeping the scale change', () => {
    let marks = mergeMarks([], [act(0, 0, { from: 0, to: 6 })], 0);
    marks = mergeMarks(marks, [act(2, 0)], 10);
    marks = mergeMarks(marks, [act(4, 0)], 40);
    expect(marks).toEqual([
      {
        key: 'default/web-5c94f75b5d',
        created: 6,
        deleted: 0,
        scaled: { from: 0, to: 6, atMs: 0 },
        atMs: 40,
        simAtMs: 0,
      },
    ]);
  });

  it('shows a scale change for MARK_MS after it happened, not longer, whatever follows', () => {
    let marks = mergeMarks([], [act(0, 0, { from: 0, to: 2 })], 0);
    marks = mergeMarks(marks, [act(3, 0)], MARK_MS - 10);
    expect(marks[0]?.scaled).toEqual({ from: 0, to: 2, atMs: 0 });
    marks = mergeMarks(marks, [], MARK_MS);
    expect(marks[0]).toEqual({
      key: 'default/web-5c94f75b5d',
      created: 3,
      deleted: 0,
      atMs: MARK_MS - 10,
      simAtMs: 0,
    });
    marks = mergeMarks(marks, [act(0, 0, { from: 2, to: 5 })], MARK_MS + 10);
    expect(marks[0]?.scaled).toEqual({ from: 2, to: 5, atMs: MARK_MS + 10 });
  });

  it('starts a new count after a pause, and forgets marks after MARK_MS', () => {
    let marks = mergeMarks([], [act(3, 0)], 0);
    marks = mergeMarks(marks, [act(0, 1)], MARK_BURST_MS + 1);
    expect(marks[0]).toMatchObject({ created: 0, deleted: 1 });
    expect(mergeMarks(marks, [], MARK_BURST_MS + 1 + MARK_MS)).toEqual([]);
    // Unchanged marks keep their identity (no re-render).
    expect(mergeMarks(marks, [], MARK_BURST_MS + 2)).toBe(marks);
  });

  it('ages with simulated time too: after `advance`, old acts are history', () => {
    const marks = mergeMarks([], [act(3, 0, undefined, 10_000)], 0, { nowMs: 10_000, speed: 1 });
    expect(mergeMarks(marks, [], 100, { nowMs: 12_000, speed: 1 })).toBe(marks);
    expect(mergeMarks(marks, [], 200, { nowMs: 10_000 + MARK_MS, speed: 1 })).toEqual([]);
    // At 10× the same simulated age is only 0.4 s of watching.
    expect(mergeMarks(marks, [], 200, { nowMs: 10_000 + MARK_MS, speed: 10 })).toBe(marks);
  });
});
