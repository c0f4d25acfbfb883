import { describe, expect, test } from 'vitest';
import type { TopologySpreadConstraint } from '../../api/types';
import { makeNode, makePod } from '../fixtures';
import { cacheWith, nodeRecord, normalized, pluginScore, raw, trace } from '../testing';
import { topologyNormalizingWeight } from './podTopologySpread';

// Zones a (a1, a2), b (b1), c (c1). ReplicaSet web has 2 pods on a1, 1 on a2, 1 on b1.
const nodes = [
  makeNode({ name: 'a1', zone: 'a' }),
  makeNode({ name: 'a2', zone: 'a' }),
  makeNode({ name: 'b1', zone: 'b' }),
  makeNode({ name: 'c1', zone: 'c' }),
];
const web = (name: string, nodeName?: string, extra: Parameters<typeof makePod>[0] | object = {}) =>
  makePod({
    name,
    labels: { app: 'web' },
    replicaSet: 'web-7c5ddbdf54',
    cpu: '100m',
    memory: '128Mi',
    ...(nodeName ? { nodeName } : {}),
    ...extra,
  });
const existing = [web('w1', 'a1'), web('w2', 'a1'), web('w3', 'a2'), web('w4', 'b1')];
const names = ['a1', 'a2', 'b1', 'c1'];

describe('PodTopologySpread score: system default constraints', () => {
  test('hostname maxSkew 3 and zone maxSkew 5 for a ReplicaSet pod, with real numbers', () => {
    // 4 feasible nodes → hostname weight ln(4 + 2) = 1.7918; 3 zones → zone weight ln(3 + 2) = 1.6094
    // zone counts a = 3, b = 1, c = 0; (maxSkew − 1) adds 2 (hostname) + 4 (zone)
    // a1: 2×1.7918 + 2 + 3×1.6094 + 4 = 14.41 → 14
    // a2: 1×1.7918 + 2 + 3×1.6094 + 4 = 12.62 → 13
    // b1: 1×1.7918 + 2 + 1×1.6094 + 4 =  9.40 →  9
    // c1: 0        + 2 + 0        + 4 =  6
    // normalise 100 × (max + min − raw) / max = 100 × (20 − raw) / 14 → 42, 50, 78, 100
    expect(topologyNormalizingWeight(4)).toBeCloseTo(1.7918, 4);
    expect(topologyNormalizingWeight(3)).toBeCloseTo(1.6094, 4);
    const r = trace(cacheWith(nodes, existing), web('new'));
    expect(raw(r, 'PodTopologySpread', names)).toEqual([14, 13, 9, 6]);
    expect(normalized(r, 'PodTopologySpread', names)).toEqual([42, 50, 78, 100]);
    expect(pluginScore(r, 'c1', 'PodTopologySpread').weighted).toBe(200);
    expect(r.nodeName).toBe('c1');
  });

  test('no defaults for a bare pod (no owning ReplicaSet/StatefulSet/RC): skipped', () => {
    const r = trace(cacheWith(nodes, existing), makePod({ name: 'bare', labels: { app: 'web' } }));
    expect(pluginScore(r, 'a1', 'PodTopologySpread')).toEqual({
      raw: 0,
      normalized: 0,
      weighted: 0,
      ran: false,
    });
  });

  test('only non-terminating pods in the same namespace count', () => {
    const others = [web('t1', 'c1', { deleting: true }), web('o1', 'c1', { namespace: 'other' })];
    const r = trace(cacheWith(nodes, [...existing, ...others]), web('new'));
    expect(raw(r, 'PodTopologySpread', names)).toEqual([14, 13, 9, 6]);
  });
});

describe('PodTopologySpread score: explicit ScheduleAnyway constraint', () => {
  test('nodes without the key are ignored (score 0); the rest normalised among themselves', () => {
    const all = [...nodes, makeNode({ name: 'nozone' })];
    const constraint: TopologySpreadConstraint = {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { app: 'web' } },
    };
    // 3 zones among the 4 non-ignored feasible nodes → weight ln 5; maxSkew − 1 = 0
    // a: 3 × 1.6094 = 4.83 → 5; b: 1.61 → 2; c: 0 → max 5, min 0 → 100 × (5 − raw) / 5
    const r = trace(
      cacheWith(all, existing),
      web('new', undefined, { topologySpreadConstraints: [constraint] }),
    );
    expect(raw(r, 'PodTopologySpread', [...names, 'nozone'])).toEqual([5, 5, 2, 0, 0]);
    expect(normalized(r, 'PodTopologySpread', [...names, 'nozone'])).toEqual([0, 0, 60, 100, 0]);
  });
});

describe('PodTopologySpread filter: DoNotSchedule', () => {
  const zoneHard = (maxSkew: number): TopologySpreadConstraint => ({
    maxSkew,
    topologyKey: 'topology.kubernetes.io/zone',
    whenUnsatisfiable: 'DoNotSchedule',
    labelSelector: { matchLabels: { app: 'web' } },
  });

  test('skew = count in the node’s zone + 1 (self-match) − min over zones must be ≤ maxSkew', () => {
    // zones a = 3, b = 1, c = 0 → min 0; maxSkew 1: a 3+1 > 1, b 1+1 > 1, c 0+1 ≤ 1
    const r = trace(
      cacheWith(nodes, existing),
      web('new', undefined, { topologySpreadConstraints: [zoneHard(1)] }),
    );
    expect(r.nodeName).toBe('c1');
    expect(nodeRecord(r, 'b1').filter).toEqual({
      plugin: 'PodTopologySpread',
      reasons: ["node(s) didn't match pod topology spread constraints"],
      code: 'Unschedulable',
    });
    // maxSkew 2: b (1 + 1 − 0 = 2) is allowed too
    const r2 = trace(
      cacheWith(nodes, existing),
      web('new', undefined, { topologySpreadConstraints: [zoneHard(2)] }),
    );
    expect(
      r2.attempt.nodes
        ?.filter((n) => n.filter === null)
        .map((n) => n.node)
        .sort(),
    ).toEqual(['b1', 'c1']);
  });

  test('a node without the topology key fails with "(missing required label)"', () => {
    const r = trace(
      cacheWith([...nodes, makeNode({ name: 'nozone' })], existing),
      web('new', undefined, { topologySpreadConstraints: [zoneHard(5)] }),
    );
    expect(nodeRecord(r, 'nozone').filter).toEqual({
      plugin: 'PodTopologySpread',
      reasons: ["node(s) didn't match pod topology spread constraints (missing required label)"],
      code: 'UnschedulableAndUnresolvable',
    });
  });

  test('domains are taken from nodes passing the pod’s node affinity (zone c excluded → min is 1)', () => {
    // Pod selects zones a and b only: min over {a: 3, b: 1} = 1; maxSkew 1 → b: 1 + 1 − 1 = 1 fits, a: 3 fails
    const pod = web('new', undefined, {
      topologySpreadConstraints: [zoneHard(1)],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a', 'b'] },
                ],
              },
            ],
          },
        },
      },
    });
    expect(trace(cacheWith(nodes, existing), pod).nodeName).toBe('b1');
  });
});
