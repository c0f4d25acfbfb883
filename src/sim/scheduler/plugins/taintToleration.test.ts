import { describe, expect, test } from 'vitest';
import { CONTROL_PLANE_TAINT, DEFAULT_TOLERATIONS, makeNode, makePod } from '../fixtures';
import { toleratesTaint } from '../taints';
import { cacheWith, nodeRecord, normalized, raw, trace } from '../testing';

describe('toleratesTaint (core/v1 helper semantics)', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
  test.each([
    [{ key: 'dedicated', operator: 'Equal' as const, value: 'gpu', effect: 'NoSchedule' as const }, true],
    [{ key: 'dedicated', value: 'gpu' }, true], // empty effect matches every effect; Equal is the default
    [{ key: 'dedicated', operator: 'Exists' as const }, true],
    [{ operator: 'Exists' as const }, true], // empty key + Exists tolerates everything
    [{ key: 'dedicated', value: 'cpu' }, false],
    [{ key: 'dedicated', operator: 'Exists' as const, effect: 'NoExecute' as const }, false],
    [{ key: 'other', operator: 'Exists' as const }, false],
  ])('%j → %s', (t, want) => expect(toleratesTaint(t, taint)).toBe(want));
});

describe('TaintToleration filter', () => {
  test('untolerated NoSchedule taint, with the space after the colon for an empty value', () => {
    const cache = cacheWith([
      makeNode({ name: 'cp-1', taints: [CONTROL_PLANE_TAINT] }),
      makeNode({ name: 'gpu', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
    ]);
    const r = trace(cache, makePod({ name: 'p', tolerations: DEFAULT_TOLERATIONS }));
    expect(nodeRecord(r, 'cp-1').filter).toEqual({
      plugin: 'TaintToleration',
      reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
      code: 'UnschedulableAndUnresolvable',
    });
    expect(nodeRecord(r, 'gpu').filter?.reasons).toEqual(['node(s) had untolerated taint {dedicated: gpu}']);
  });

  test('unreachable node: the NoExecute toleration (300s) does not tolerate the NoSchedule taint', () => {
    const node = makeNode({
      name: 'w1',
      taints: [
        { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
      ],
    });
    const r = trace(cacheWith([node]), makePod({ name: 'p', tolerations: DEFAULT_TOLERATIONS }));
    expect(r.message).toBe(
      '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. ' +
        'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
  });

  test('a matching toleration lets the pod in; PreferNoSchedule never filters', () => {
    const cache = cacheWith([
      makeNode({ name: 'cp-1', taints: [CONTROL_PLANE_TAINT, { key: 'soft', effect: 'PreferNoSchedule' }] }),
    ]);
    const pod = makePod({
      name: 'p',
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }],
    });
    expect(trace(cache, pod).nodeName).toBe('cp-1');
  });
});

describe('TaintToleration score (weight 3)', () => {
  const soft = (key: string) => ({ key, effect: 'PreferNoSchedule' as const });
  const nodes = [
    makeNode({ name: 'clean' }),
    makeNode({ name: 'one', taints: [soft('x')] }),
    makeNode({ name: 'two', taints: [soft('x'), soft('y')] }),
  ];

  test('raw = intolerable PreferNoSchedule taints; normalised reversed: 100 − 100 × raw / max', () => {
    // raw 0, 1, 2 → max 2 → 100 − 0, 100 − 50, 100 − 100
    const r = trace(cacheWith(nodes), makePod({ name: 'p' }));
    expect(raw(r, 'TaintToleration', ['clean', 'one', 'two'])).toEqual([0, 1, 2]);
    expect(normalized(r, 'TaintToleration', ['clean', 'one', 'two'])).toEqual([100, 50, 0]);
    expect(nodeRecord(r, 'one').scores?.find((s) => s.plugin === 'TaintToleration')?.weighted).toBe(150);
  });

  test('only tolerations with effect PreferNoSchedule or empty count', () => {
    // Tolerating y (PreferNoSchedule) → 'two' has raw 1; the NoSchedule toleration of x does not count.
    const pod = makePod({
      name: 'p',
      tolerations: [
        { key: 'y', operator: 'Exists', effect: 'PreferNoSchedule' },
        { key: 'x', operator: 'Exists', effect: 'NoSchedule' },
      ],
    });
    const r = trace(cacheWith(nodes), pod);
    expect(raw(r, 'TaintToleration', ['clean', 'one', 'two'])).toEqual([0, 1, 1]);
    expect(normalized(r, 'TaintToleration', ['clean', 'one', 'two'])).toEqual([100, 0, 0]);
  });

  test('no PreferNoSchedule taints anywhere: every node gets 100 (× 3 = 300)', () => {
    const r = trace(cacheWith([makeNode({ name: 'a' }), makeNode({ name: 'b' })]), makePod({ name: 'p' }));
    expect(normalized(r, 'TaintToleration', ['a', 'b'])).toEqual([100, 100]);
  });
});
