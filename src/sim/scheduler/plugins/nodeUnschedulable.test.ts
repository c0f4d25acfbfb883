import { describe, expect, test } from 'vitest';
import { makeNode, makePod } from '../fixtures';
import { cacheWith, nodeRecord, trace } from '../testing';

describe('NodeUnschedulable', () => {
  test('a cordoned node takes no pods, unless the pod tolerates node.kubernetes.io/unschedulable', () => {
    const cache = cacheWith([makeNode({ name: 'w1', unschedulable: true }), makeNode({ name: 'w2' })]);
    const r = trace(cache, makePod({ name: 'p' }));
    expect(r.nodeName).toBe('w2');
    expect(nodeRecord(r, 'w1').filter).toEqual({
      plugin: 'NodeUnschedulable',
      reasons: ['node(s) were unschedulable'],
      code: 'UnschedulableAndUnresolvable',
    });
    const ds = makePod({
      name: 'ds',
      tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(trace(cache, ds).attempt.feasibleNodes).toBe(2);
  });
});

describe('NodeName', () => {
  test('a pod naming its node fits only that node', () => {
    const cache = cacheWith([makeNode({ name: 'w1' }), makeNode({ name: 'w2' })]);
    const r = trace(cache, makePod({ name: 'p', nodeName: 'w2' }));
    expect(r.nodeName).toBe('w2');
    expect(nodeRecord(r, 'w1').filter?.reasons).toEqual(["node(s) didn't match the requested node name"]);
  });
});
