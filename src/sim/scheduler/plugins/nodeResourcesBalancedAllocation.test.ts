import { describe, expect, test } from 'vitest';
import { makeNode, makePod } from '../fixtures';
import { cacheWith, pluginScore, trace } from '../testing';
import { balancedScore } from './nodeResourcesBalancedAllocation';

describe('NodeResourcesBalancedAllocation', () => {
  test('score = int((1 − |f_cpu − f_mem| / 2) × 100) with actual requests', () => {
    // node 4 CPU / 8Gi, 1.5 CPU and 0 memory requested; pod 500m / 1Gi
    // f_cpu = 2000/4000 = 0.5, f_mem = 1Gi/8Gi = 0.125, std = 0.1875 → 81.25 → 81
    const cache = cacheWith(
      [makeNode({ name: 'n1' }), makeNode({ name: 'n2' })],
      [makePod({ name: 'a', cpu: '1500m', memory: '0', nodeName: 'n1' })],
    );
    const r = trace(cache, makePod({ name: 'p', cpu: '500m', memory: '1Gi' }));
    expect(pluginScore(r, 'n1', 'NodeResourcesBalancedAllocation')).toEqual({
      raw: 81,
      normalized: 81,
      weighted: 81,
      ran: true,
    });
    // empty node: f_cpu = 0.125, f_mem = 0.125 → perfectly balanced → 100
    expect(pluginScore(r, 'n2', 'NodeResourcesBalancedAllocation').raw).toBe(100);
  });

  test('no 100m/200Mi defaults: a pod without memory request leaves memory at its actual use', () => {
    // existing pod requests cpu only; incoming 1 CPU, no memory: f_cpu = 2.5/4 = 0.625, f_mem = 0
    // std = 0.3125 → 68.75 → 68
    const cache = cacheWith(
      [makeNode({ name: 'n1' }), makeNode({ name: 'n2' })],
      [makePod({ name: 'a', cpu: '1500m', nodeName: 'n1' })],
    );
    const r = trace(cache, makePod({ name: 'p', cpu: '1' }));
    expect(pluginScore(r, 'n1', 'NodeResourcesBalancedAllocation').raw).toBe(68);
  });

  test('fractions cap at 1 and a resource with allocatable 0 is left out', () => {
    expect(balancedScore(6000, 4000, 0, 8)).toBe(50); // f = (1, 0) → std 0.5
    expect(balancedScore(1000, 4000, 5, 0)).toBe(100); // only cpu counted → std 0
  });
});
