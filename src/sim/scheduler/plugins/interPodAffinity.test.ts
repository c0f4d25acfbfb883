import { describe, expect, test } from 'vitest';
import type { Affinity } from '../../api/types';
import { makeNode, makePod } from '../fixtures';
import { cacheWith, nodeRecord, normalized, raw, trace } from '../testing';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const nodes = [
  makeNode({ name: 'a1', zone: 'a' }),
  makeNode({ name: 'a2', zone: 'a' }),
  makeNode({ name: 'b1', zone: 'b' }),
  makeNode({ name: 'c1', zone: 'c' }),
];
const names = ['a1', 'a2', 'b1', 'c1'];
const pod = (name: string, labels: Record<string, string>, nodeName?: string, affinity?: Affinity) =>
  makePod({ name, labels, ...(nodeName ? { nodeName } : {}), ...(affinity ? { affinity } : {}) });
const feasible = (r: ReturnType<typeof trace>) =>
  r.attempt.nodes
    ?.filter((n) => n.filter === null)
    .map((n) => n.node)
    .sort();

describe('InterPodAffinity filter', () => {
  test('required anti-affinity on hostname keeps replicas apart', () => {
    const anti: Affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: HOST },
        ],
      },
    };
    const cache = cacheWith(nodes, [
      pod('w1', { app: 'web' }, 'a1', anti),
      pod('w2', { app: 'web' }, 'b1', anti),
    ]);
    const r = trace(cache, pod('w3', { app: 'web' }, undefined, anti));
    expect(feasible(r)).toEqual(['a2', 'c1']);
    // The incoming pod's own rule fails first on a1.
    expect(nodeRecord(r, 'a1').filter).toEqual({
      plugin: 'InterPodAffinity',
      reasons: ["node(s) didn't match pod anti-affinity rules"],
      code: 'Unschedulable',
    });
  });

  test("existing pods' anti-affinity repels a pod that has no rules of its own", () => {
    const anti: Affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'batch' } }, topologyKey: ZONE },
        ],
      },
    };
    const cache = cacheWith(nodes, [pod('db', { app: 'db' }, 'a1', anti)]);
    const r = trace(cache, pod('job', { app: 'batch' }));
    expect(feasible(r)).toEqual(['b1', 'c1']);
    expect(nodeRecord(r, 'a2').filter?.reasons).toEqual([
      "node(s) didn't satisfy existing pods anti-affinity rules",
    ]);
    // A pod that the term does not select is unaffected.
    expect(feasible(trace(cache, pod('web', { app: 'web' })))).toEqual(names);
  });

  test('required affinity: only domains with a matching pod; the first pod of a self-affine group may go anywhere', () => {
    const aff: Affinity = {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: ZONE },
        ],
      },
    };
    const withCache = cacheWith(nodes, [pod('c', { app: 'cache' }, 'b1')]);
    const r = trace(withCache, pod('web', { app: 'web' }, undefined, aff));
    expect(feasible(r)).toEqual(['b1']);
    expect(nodeRecord(r, 'a1').filter).toEqual({
      plugin: 'InterPodAffinity',
      reasons: ["node(s) didn't match pod affinity rules"],
      code: 'UnschedulableAndUnresolvable',
    });
    // No cache pod anywhere: a web pod fails everywhere, but a cache pod (matching its own term) fits.
    const empty = cacheWith(nodes);
    expect(trace(empty, pod('web', { app: 'web' }, undefined, aff)).attempt.feasibleNodes).toBe(0);
    expect(trace(empty, pod('c0', { app: 'cache' }, undefined, aff)).attempt.feasibleNodes).toBe(4);
  });

  test('affinity terms look in the pod’s namespace unless namespaces are listed', () => {
    const aff = (namespaces?: string[]): Affinity => ({
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: { matchLabels: { app: 'cache' } },
            topologyKey: ZONE,
            ...(namespaces ? { namespaces } : {}),
          },
        ],
      },
    });
    const cache = cacheWith(nodes, [
      makePod({ name: 'c', namespace: 'infra', labels: { app: 'cache' }, nodeName: 'c1' }),
    ]);
    expect(trace(cache, pod('web', { app: 'web' }, undefined, aff())).attempt.feasibleNodes).toBe(0);
    expect(feasible(trace(cache, pod('web', { app: 'web' }, undefined, aff(['infra']))))).toEqual(['c1']);
  });
});

describe('InterPodAffinity score (weight 2)', () => {
  test('preferred affinity: + weight per matching pod in the domain; normalised (raw − min) × 100 / (max − min)', () => {
    // weight 50 towards app=cache by zone; cache pods: 2 in zone a, 1 in zone b
    // raw: a1 100, a2 100, b1 50, c1 0 → 100, 100, 50, 0
    const aff: Affinity = {
      podAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 50,
            podAffinityTerm: { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: ZONE },
          },
        ],
      },
    };
    const cache = cacheWith(nodes, [
      pod('c1', { app: 'cache' }, 'a1'),
      pod('c2', { app: 'cache' }, 'a2'),
      pod('c3', { app: 'cache' }, 'b1'),
    ]);
    const r = trace(cache, pod('web', { app: 'web' }, undefined, aff));
    expect(raw(r, 'InterPodAffinity', names)).toEqual([100, 100, 50, 0]);
    expect(normalized(r, 'InterPodAffinity', names)).toEqual([100, 100, 50, 0]);
  });

  test('preferred anti-affinity: − weight; the minimum may be negative', () => {
    // weight 20 away from app=web by hostname; one web pod on b1 → raw −20 on b1, 0 elsewhere
    // min −20, max 0 → b1 0, others 100 × 20 / 20 = 100
    const anti: Affinity = {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 20,
            podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: HOST },
          },
        ],
      },
    };
    const cache = cacheWith(nodes, [pod('w1', { app: 'web' }, 'b1')]);
    const r = trace(cache, pod('w2', { app: 'web' }, undefined, anti));
    expect(raw(r, 'InterPodAffinity', names)).toEqual([0, 0, -20, 0]);
    expect(normalized(r, 'InterPodAffinity', names)).toEqual([100, 100, 0, 100]);
  });

  test("existing pods' terms count symmetrically (required affinity with hardPodAffinityWeight 1)", () => {
    // An existing pod on c1 requires affinity to app=web in its zone: a web pod gains 1 in zone c.
    const aff: Affinity = {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: ZONE },
        ],
      },
    };
    const cache = cacheWith(nodes, [pod('sidecar', { app: 'proxy' }, 'c1', aff)]);
    const r = trace(cache, pod('web', { app: 'web' }));
    expect(raw(r, 'InterPodAffinity', names)).toEqual([0, 0, 0, 1]);
    expect(normalized(r, 'InterPodAffinity', names)).toEqual([0, 0, 0, 100]);
  });

  test('nothing to count: skipped (0 on every node)', () => {
    const r = trace(cacheWith(nodes), pod('web', { app: 'web' }));
    expect(r.attempt.nodes?.[0]?.scores?.find((s) => s.plugin === 'InterPodAffinity')?.ran).toBe(false);
  });
});
