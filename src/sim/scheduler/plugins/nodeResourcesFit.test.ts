import { describe, expect, test } from 'vitest';
import { makeNode, makePod } from '../fixtures';
import { cacheWith, nodeRecord, pluginScore, trace } from '../testing';
import { leastRequestedScore } from './nodeResourcesFit';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

describe('NodeResourcesFit filter', () => {
  test('fits exactly up to allocatable, then reports each shortfall', () => {
    const cache = cacheWith(
      [makeNode({ name: 'n1', cpu: '2', memory: '4Gi', pods: '3' })],
      [
        makePod({ name: 'a', cpu: '1500m', memory: '3Gi', nodeName: 'n1' }),
        makePod({ name: 'b', cpu: '0', memory: '0', nodeName: 'n1' }),
      ],
    );
    // 500m and 1Gi left, 1 pod slot left: a pod asking exactly that fits.
    expect(trace(cache, makePod({ name: 'fit', cpu: '500m', memory: '1Gi' })).nodeName).toBe('n1');
    const r = trace(cache, makePod({ name: 'big', cpu: '501m', memory: '1025Mi' }));
    expect(r.nodeName).toBeUndefined();
    expect(nodeRecord(r, 'n1').filter).toEqual({
      plugin: 'NodeResourcesFit',
      reasons: ['Insufficient cpu', 'Insufficient memory'],
      code: 'Unschedulable',
    });
  });

  test('pod count: pods on the node + 1 must not exceed allocatable pods', () => {
    const cache = cacheWith(
      [makeNode({ name: 'n1', pods: '2' })],
      [makePod({ name: 'a', nodeName: 'n1' }), makePod({ name: 'b', nodeName: 'n1' })],
    );
    const r = trace(cache, makePod({ name: 'c', cpu: '100m' }));
    expect(nodeRecord(r, 'n1').filter?.reasons).toEqual(['Too many pods']);
  });

  test('the filter uses actual requests: a pod without requests fits a full node', () => {
    const cache = cacheWith(
      [makeNode({ name: 'n1', cpu: '1', memory: '1Gi' })],
      [makePod({ name: 'a', cpu: '1', memory: '1Gi', nodeName: 'n1' })],
    );
    expect(trace(cache, makePod({ name: 'besteffort' })).nodeName).toBe('n1');
  });
});

describe('NodeResourcesFit score: LeastAllocated, cpu and memory weight 1', () => {
  test('leastRequestedScore = (capacity − requested) × 100 / capacity, integer division', () => {
    expect(leastRequestedScore(2000, 4000)).toBe(50);
    expect(leastRequestedScore(3 * GiB, 8 * GiB)).toBe(62); // 62.5
    expect(leastRequestedScore(5000, 4000)).toBe(0);
    expect(leastRequestedScore(0, 0)).toBe(0);
  });

  test('node 4 CPU / 8Gi with 1.5 CPU and 2Gi requested, pod 500m / 1Gi → 56', () => {
    // cpu:    (4000 − (1500 + 500)) × 100 / 4000 = 50
    // memory: (8Gi − (2Gi + 1Gi)) × 100 / 8Gi   = 62.5 → 62
    // score = (50 + 62) / 2 = 56
    const cache = cacheWith(
      [makeNode({ name: 'n1', cpu: '4', memory: '8Gi' }), makeNode({ name: 'n2', cpu: '4', memory: '8Gi' })],
      [makePod({ name: 'a', cpu: '1500m', memory: '2Gi', nodeName: 'n1' })],
    );
    const r = trace(cache, makePod({ name: 'p', cpu: '500m', memory: '1Gi' }));
    expect(pluginScore(r, 'n1', 'NodeResourcesFit')).toEqual({
      raw: 56,
      normalized: 56,
      weighted: 56,
      ran: true,
    });
    // Empty node: cpu (4000 − 500)/4000 = 87.5 → 87; memory 7/8 = 87.5 → 87; (87 + 87)/2 = 87.
    expect(pluginScore(r, 'n2', 'NodeResourcesFit').raw).toBe(87);
  });

  test('containers without requests count as 100m / 200Mi (non-zero requests)', () => {
    // Node n1 holds a pod requesting 1500m cpu and no memory → 200Mi counted.
    // Pod 500m / 1Gi: cpu (4000 − 2000)/4000 = 50;
    // memory (8192Mi − (200Mi + 1024Mi)) × 100 / 8192Mi = 85.06 → 85; (50 + 85) / 2 = 67.
    const cache = cacheWith(
      [makeNode({ name: 'n1' }), makeNode({ name: 'n2' })],
      [makePod({ name: 'a', cpu: '1500m', nodeName: 'n1' })],
    );
    const r = trace(cache, makePod({ name: 'p', cpu: '500m', memory: '1Gi' }));
    expect(pluginScore(r, 'n1', 'NodeResourcesFit').raw).toBe(67);
    // A best-effort incoming pod counts as 100m / 200Mi too: on the empty node
    // cpu 3900/4000 = 97.5 → 97, memory (8192 − 200)/8192 = 97.56 → 97 → 97.
    const be = trace(cache, makePod({ name: 'be' }));
    expect(pluginScore(be, 'n2', 'NodeResourcesFit').raw).toBe(97);
  });

  test('real node allocatable (3500m, 7934550Ki)', () => {
    // cpu: (3500 − 250) × 100 / 3500 = 92.857 → 92
    // memory: 7934550Ki = 8124979200 B; (8124979200 − 268435456) × 100 / 8124979200 = 96.69 → 96
    // (92 + 96) / 2 = 94
    const cache = cacheWith([
      makeNode({ name: 'n1', cpu: '3500m', memory: '7934550Ki' }),
      makeNode({ name: 'n2', cpu: '3500m', memory: '7934550Ki' }),
    ]);
    const r = trace(cache, makePod({ name: 'p', cpu: '250m', memory: '256Mi' }));
    expect(pluginScore(r, 'n1', 'NodeResourcesFit').raw).toBe(94);
    expect(256 * MiB).toBe(268435456);
  });
});
