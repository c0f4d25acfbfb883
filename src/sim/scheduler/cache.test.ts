import { describe, expect, test } from 'vitest';
import { makeNode, makePod } from './fixtures';
import { podInfo } from './podInfo';
import { cacheWith, trace } from './testing';

const GiB = 1024 ** 3;

describe('SchedulerCache', () => {
  test('aggregates per node: requested, non-zero requested, pod count', () => {
    const cache = cacheWith(
      [makeNode({ name: 'n1' })],
      [
        makePod({ name: 'a', cpu: '1500m', memory: '1Gi', nodeName: 'n1' }),
        makePod({ name: 'b', nodeName: 'n1' }),
      ],
    );
    expect(cache.nodeInfo('n1')).toEqual({
      name: 'n1',
      allocatable: { milliCPU: 4000, memory: 8 * GiB, ephemeralStorage: 0, pods: 110 },
      requested: { milliCPU: 1500, memory: GiB, ephemeralStorage: 0 },
      nonZeroRequested: { milliCPU: 1600, memory: GiB + 200 * 1024 * 1024 },
      podCount: 2,
    });
  });

  test('an assumed pod counts at once; the informer’s bound pod confirms it without double counting', () => {
    const cache = cacheWith([makeNode({ name: 'n1' })]);
    const pending = makePod({ name: 'p', cpu: '1', memory: '1Gi' });
    cache.assumePod(pending, 'n1');
    expect(cache.isAssumed(pending)).toBe(true);
    expect(cache.nodeInfo('n1')?.requested.milliCPU).toBe(1000);
    const bound = makePod({ name: 'p', cpu: '1', memory: '1Gi', nodeName: 'n1' });
    cache.addPod(bound);
    expect(cache.isAssumed(bound)).toBe(false);
    expect(cache.nodeInfo('n1')?.requested.milliCPU).toBe(1000);
    expect(cache.nodeInfo('n1')?.podCount).toBe(1);
  });

  test('forgetPod drops an assumed pod; removePod drops a bound one', () => {
    const cache = cacheWith([makeNode({ name: 'n1' })]);
    const p = makePod({ name: 'p', cpu: '1' });
    cache.assumePod(p, 'n1');
    cache.forgetPod(p);
    expect(cache.nodeInfo('n1')?.podCount).toBe(0);
    const q = makePod({ name: 'q', cpu: '1', nodeName: 'n1' });
    cache.addPod(q);
    cache.forgetPod(q); // not assumed: no effect
    expect(cache.nodeInfo('n1')?.podCount).toBe(1);
    cache.removePod(q);
    expect(cache.nodeInfo('n1')?.requested.milliCPU).toBe(0);
  });

  test('updatePod moves the accounting (e.g. labels or requests changed, or the pod was rebound)', () => {
    const cache = cacheWith([makeNode({ name: 'n1' }), makeNode({ name: 'n2' })]);
    const a = makePod({ name: 'p', cpu: '1', nodeName: 'n1' });
    cache.addPod(a);
    cache.updatePod(a, makePod({ name: 'p', cpu: '2', nodeName: 'n2' }));
    expect(cache.nodeInfo('n1')?.podCount).toBe(0);
    expect(cache.nodeInfo('n2')?.requested.milliCPU).toBe(2000);
  });

  test('pods on a removed node stay counted on a placeholder until they go; the node is not schedulable', () => {
    const cache = cacheWith([makeNode({ name: 'n1' }), makeNode({ name: 'n2' })]);
    const p = makePod({ name: 'p', cpu: '1', nodeName: 'n1' });
    cache.addPod(p);
    cache.removeNode('n1');
    expect(cache.numNodes).toBe(1);
    expect(cache.nodeInfo('n1')?.podCount).toBe(1);
    expect(trace(cache, makePod({ name: 'x' })).nodeName).toBe('n2');
    cache.updateNode(makeNode({ name: 'n1' })); // the node comes back: its pod is still there
    expect(cache.nodeInfo('n1')?.requested.milliCPU).toBe(1000);
    cache.removePod(p);
    cache.removeNode('n1');
    expect(cache.nodeInfo('n1')).toBeUndefined();
  });

  test('a pod bound to a node the cache has not seen yet is kept until the node arrives', () => {
    const cache = cacheWith([]);
    cache.addPod(makePod({ name: 'early', cpu: '3', nodeName: 'late' }));
    expect(cache.numNodes).toBe(0);
    cache.updateNode(makeNode({ name: 'late' }));
    expect(trace(cache, makePod({ name: 'p', cpu: '2' })).message).toContain('1 Insufficient cpu');
  });

  test('updateNode reflects new taints, cordon and allocatable', () => {
    const cache = cacheWith([makeNode({ name: 'n1' })]);
    cache.updateNode(makeNode({ name: 'n1', unschedulable: true }));
    expect(trace(cache, makePod({ name: 'p' })).message).toContain('node(s) were unschedulable');
    cache.updateNode(makeNode({ name: 'n1', cpu: '500m' }));
    expect(trace(cache, makePod({ name: 'p', cpu: '1' })).message).toContain('Insufficient cpu');
  });
});

describe('podInfo memo', () => {
  test('keeps one version per pod: a newer object of the same pod replaces the older one', () => {
    const v1 = makePod({ name: 'crash', cpu: '100m', nodeName: 'n1' });
    const v2 = { ...v1, status: { phase: 'Running' } } as typeof v1;
    const first = podInfo(v1);
    expect(podInfo(v1)).toBe(first);
    const second = podInfo(v2);
    expect(second.pod).toBe(v2);
    expect(podInfo(v2)).toBe(second);
    // The old version is no longer held: asked again, it is worked out anew.
    const again = podInfo(v1);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
