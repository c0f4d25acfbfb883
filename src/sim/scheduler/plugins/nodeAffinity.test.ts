import { describe, expect, test } from 'vitest';
import type { Affinity } from '../../api/types';
import { makeNode, makePod } from '../fixtures';
import { cacheWith, nodeRecord, normalized, raw, trace } from '../testing';

const nodes = [
  makeNode({ name: 'a-ssd', zone: 'a', labels: { disk: 'ssd', gen: '5' } }),
  makeNode({ name: 'a-hdd', zone: 'a', labels: { disk: 'hdd', gen: '3' } }),
  makeNode({ name: 'b-ssd', zone: 'b', labels: { disk: 'ssd' } }),
  makeNode({ name: 'b-none', zone: 'b' }),
];
const names = nodes.map((n) => n.metadata.name);
const feasible = (r: ReturnType<typeof trace>) =>
  r.attempt.nodes
    ?.filter((n) => n.filter === null)
    .map((n) => n.node)
    .sort();

describe('NodeAffinity filter', () => {
  test('nodeSelector: every pair must match', () => {
    const r = trace(
      cacheWith(nodes),
      makePod({ name: 'p', nodeSelector: { disk: 'ssd', 'topology.kubernetes.io/zone': 'b' } }),
    );
    expect(feasible(r)).toEqual(['b-ssd']);
    expect(nodeRecord(r, 'a-ssd').filter).toEqual({
      plugin: 'NodeAffinity',
      reasons: ["node(s) didn't match Pod's node affinity/selector"],
      code: 'UnschedulableAndUnresolvable',
    });
  });

  test('required terms are ORed, expressions within a term ANDed; NotIn/DoesNotExist match a missing label', () => {
    const affinity: Affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: 'disk', operator: 'In', values: ['ssd'] },
                { key: 'gen', operator: 'Gt', values: ['4'] },
              ],
            },
            { matchExpressions: [{ key: 'disk', operator: 'DoesNotExist' }] },
          ],
        },
      },
    };
    expect(feasible(trace(cacheWith(nodes), makePod({ name: 'p', affinity })))).toEqual(['a-ssd', 'b-none']);
    const notIn: Affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['hdd'] }] }],
        },
      },
    };
    expect(feasible(trace(cacheWith(nodes), makePod({ name: 'p', affinity: notIn })))).toEqual([
      'a-ssd',
      'b-none',
      'b-ssd',
    ]);
  });

  test('an empty term matches no node', () => {
    const affinity: Affinity = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } },
    };
    expect(trace(cacheWith(nodes), makePod({ name: 'p', affinity })).message).toBe(
      "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector. " +
        'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
    );
  });
});

describe('NodeAffinity score (weight 2)', () => {
  test('raw = Σ weights of matching preferred terms; normalised 100 × raw / max', () => {
    // zone=a (10) and disk=ssd (30): a-ssd 40, a-hdd 10, b-ssd 30, b-none 0
    // → 100, 100×10/40 = 25, 100×30/40 = 75, 0
    const affinity: Affinity = {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 10,
            preference: {
              matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }],
            },
          },
          {
            weight: 30,
            preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] },
          },
        ],
      },
    };
    const r = trace(cacheWith(nodes), makePod({ name: 'p', affinity }));
    expect(raw(r, 'NodeAffinity', names)).toEqual([40, 10, 30, 0]);
    expect(normalized(r, 'NodeAffinity', names)).toEqual([100, 25, 75, 0]);
    expect(nodeRecord(r, 'b-ssd').scores?.find((s) => s.plugin === 'NodeAffinity')?.weighted).toBe(150);
  });

  test('no preferred terms: skipped, 0 everywhere', () => {
    const r = trace(cacheWith(nodes), makePod({ name: 'p' }));
    expect(normalized(r, 'NodeAffinity', names)).toEqual([0, 0, 0, 0]);
  });
});
