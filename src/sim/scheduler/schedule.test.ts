import { describe, expect, test } from 'vitest';
import { Rng } from '../kernel/rng';
import { SchedulerCache } from './cache';
import { CONTROL_PLANE_TAINT, DEFAULT_TOLERATIONS, makeNode, makePod } from './fixtures';
import { numFeasibleNodesToFind, schedulePod } from './schedule';
import { cacheWith, trace } from './testing';

describe('FailedScheduling message', () => {
  test('the ha scenario: 2 full workers, 4 tainted control-plane nodes', () => {
    const nodes = [
      ...[1, 2, 3, 4].map((i) => makeNode({ name: `cp-${i}`, taints: [CONTROL_PLANE_TAINT] })),
      makeNode({ name: 'worker-1', cpu: '2' }),
      makeNode({ name: 'worker-2', cpu: '2' }),
    ];
    const r = trace(cacheWith(nodes), makePod({ name: 'big', cpu: '3', tolerations: DEFAULT_TOLERATIONS }));
    expect(r.nodeName).toBeUndefined();
    expect(r.message).toBe(
      '0/6 nodes are available: 2 Insufficient cpu, 4 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. ' +
        'preemption: 0/6 nodes are available: 2 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling.',
    );
    expect(r.attempt.reasons).toEqual([
      { reason: 'Insufficient cpu', count: 2 },
      { reason: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }', count: 4 },
    ]);
  });

  test('mixed reasons: several per node, sorted as strings ("10 …" before "2 …", "T" before "n")', () => {
    const nodes = [
      ...Array.from({ length: 10 }, (_, i) => makeNode({ name: `small-${i}`, cpu: '1' })),
      makeNode({ name: 'cordoned-1', unschedulable: true }),
      makeNode({ name: 'cordoned-2', unschedulable: true }),
      makeNode({ name: 'full', pods: '1', memory: '1Gi' }),
      makeNode({
        name: 'gpu',
        labels: { accel: 'gpu' },
        taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
      }),
      makeNode({
        name: 'dead',
        taints: [
          { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
        ],
      }),
    ];
    const cache = cacheWith(nodes, [makePod({ name: 'x', nodeName: 'full' })]);
    const r = trace(cache, makePod({ name: 'p', cpu: '2', memory: '2Gi', tolerations: DEFAULT_TOLERATIONS }));
    expect(r.message).toBe(
      '0/15 nodes are available: ' +
        '1 Insufficient memory, 1 Too many pods, ' +
        '1 node(s) had untolerated taint {dedicated: gpu}, ' +
        '1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, ' +
        '10 Insufficient cpu, 2 node(s) were unschedulable. ' +
        'preemption: 0/15 nodes are available: 11 No preemption victims found for incoming pod, ' +
        '4 Preemption is not helpful for scheduling.',
    );
  });

  test('preemptionPolicy Never', () => {
    const r = trace(
      cacheWith([makeNode({ name: 'w', cpu: '1' })]),
      makePod({ name: 'p', cpu: '2', preemptionPolicy: 'Never' }),
    );
    expect(r.message).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    );
  });

  test('no nodes at all', () => {
    expect(trace(new SchedulerCache(), makePod({ name: 'p' })).message).toBe(
      'no nodes available to schedule pods',
    );
  });
});

describe('tie-breaking (selectHost reservoir sampling)', () => {
  const identical = () => cacheWith(Array.from({ length: 4 }, (_, i) => makeNode({ name: `w${i}` })));
  const pick = (cache: SchedulerCache, rng: Rng) =>
    schedulePod(makePod({ name: 'p', cpu: '100m' }), cache, { rng, state: { nextStartNodeIndex: 0 } })
      .nodeName!;

  test('same seed ⇒ same choices; another seed ⇒ another sequence', () => {
    const run = (seed: number) => {
      const cache = identical();
      const rng = new Rng(seed);
      return Array.from({ length: 40 }, () => pick(cache, rng));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  test('every tied node is chosen about equally often', () => {
    const cache = identical();
    const rng = new Rng(42);
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const n = pick(cache, rng);
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['w0', 'w1', 'w2', 'w3']);
    for (const c of counts.values()) expect(c).toBeGreaterThan(850);
  });

  test('no tie: the best node wins without drawing from the RNG', () => {
    const cache = cacheWith([makeNode({ name: 'big', cpu: '8' }), makeNode({ name: 'small', cpu: '2' })]);
    const rng = new Rng(1);
    const before = new Rng(1).int(0, 1 << 30);
    expect(pick(cache, rng)).toBe('big');
    expect(rng.int(0, 1 << 30)).toBe(before);
  });
});

describe('percentageOfNodesToScore and round-robin sampling', () => {
  test.each([
    [undefined, 50, 50], // fewer than 100 nodes: all
    [undefined, 100, 100], // 50 % of 100 = 50 → at least 100
    [undefined, 1000, 420], // 50 − 1000/125 = 42 %
    [undefined, 5000, 500], // 50 − 40 = 10 %
    [undefined, 6000, 300], // 50 − 48 = 2 % → floor of 5 %
    [0, 15000, 750],
    [30, 1000, 300],
    [30, 200, 100], // 60 → minimum 100
    [100, 5000, 5000],
  ])('percentage %s of %d nodes → %d', (pct, n, want) => expect(numFeasibleNodesToFind(pct, n)).toBe(want));

  const bigCluster = (n: number, cordonEvery = 0) =>
    cacheWith(
      Array.from({ length: n }, (_, i) =>
        makeNode({
          name: `w${i}`,
          zone: `zone-${'abc'[i % 3]}`,
          unschedulable: cordonEvery > 0 && i % cordonEvery === 0,
        }),
      ),
    );

  test('1000 nodes: 420 evaluated per cycle, the next cycle starts where this one stopped', () => {
    const cache = bigCluster(1000);
    const state = { nextStartNodeIndex: 0 };
    const rng = new Rng(1);
    const r1 = schedulePod(makePod({ name: 'p1' }), cache, { rng, state, record: true });
    expect(r1.attempt).toMatchObject({
      numAllNodes: 1000,
      numFeasibleNodesToFind: 420,
      evaluatedNodes: 420,
      feasibleNodes: 420,
    });
    expect(state.nextStartNodeIndex).toBe(420);
    const order = cache.nodeOrder();
    const r2 = schedulePod(makePod({ name: 'p2' }), cache, { rng, state, record: true });
    expect(r2.attempt.nodes?.[0]?.node).toBe(cache.names[order[420]!]);
    expect(state.nextStartNodeIndex).toBe(840);
    schedulePod(makePod({ name: 'p3' }), cache, { rng, state });
    expect(state.nextStartNodeIndex).toBe((840 + 420) % 1000);
  });

  test('filtered nodes do not count towards the target: more nodes are evaluated', () => {
    // Every 10th node cordoned: 420 feasible nodes need 466 or 467 visited.
    const cache = bigCluster(1000, 10);
    const state = { nextStartNodeIndex: 0 };
    const r = schedulePod(makePod({ name: 'p' }), cache, { rng: new Rng(1), state, record: true });
    expect(r.attempt.feasibleNodes).toBe(420);
    const failed = r.attempt.nodes!.filter((n) => n.filter !== null).length;
    expect(r.attempt.evaluatedNodes).toBe(420 + failed);
    expect(r.attempt.nodes?.length).toBe(r.attempt.evaluatedNodes);
    expect(failed).toBeGreaterThanOrEqual(46);
    expect(state.nextStartNodeIndex).toBe(r.attempt.evaluatedNodes);
  });

  test('5000 nodes: 500 scored (10 %); 100 % scores all', () => {
    const cache = bigCluster(5000);
    const rng = new Rng(1);
    const a = schedulePod(makePod({ name: 'p' }), cache, { rng, state: { nextStartNodeIndex: 0 } });
    expect(a.attempt.feasibleNodes).toBe(500);
    const b = schedulePod(makePod({ name: 'p' }), cache, {
      rng,
      state: { nextStartNodeIndex: 0 },
      percentageOfNodesToScore: 100,
    });
    expect(b.attempt.feasibleNodes).toBe(5000);
  });

  test('the record option changes nothing but the record', () => {
    const run = (record: boolean) => {
      const cache = bigCluster(300);
      const rng = new Rng(3);
      const state = { nextStartNodeIndex: 0 };
      const out: string[] = [];
      for (let i = 0; i < 50; i++) {
        const pod = makePod({ name: `p${i}`, cpu: '500m', memory: '512Mi' });
        const r = schedulePod(pod, cache, { rng, state, record });
        out.push(r.nodeName!);
        cache.assumePod(pod, r.nodeName!);
      }
      return out;
    };
    expect(run(true)).toEqual(run(false));
  });

  test('a single feasible node is chosen without scoring', () => {
    const cache = cacheWith([
      makeNode({ name: 'only' }),
      makeNode({ name: 'cordoned', unschedulable: true }),
    ]);
    const r = trace(cache, makePod({ name: 'p' }));
    expect(r.attempt).toMatchObject({ nodeName: 'only', feasibleNodes: 1, scored: false });
  });
});

describe('node order (nodeTree): zones interleaved', () => {
  test('zone-a[0], zone-b[0], zone-c[0], zone-a[1], …, in the order zones first appeared', () => {
    const cache = cacheWith([
      makeNode({ name: 'a1', zone: 'a' }),
      makeNode({ name: 'a2', zone: 'a' }),
      makeNode({ name: 'a3', zone: 'a' }),
      makeNode({ name: 'b1', zone: 'b' }),
      makeNode({ name: 'c1', zone: 'c' }),
      makeNode({ name: 'c2', zone: 'c' }),
    ]);
    const names = () => [...cache.nodeOrder()].map((s) => cache.names[s]);
    expect(names()).toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
    cache.removeNode('b1');
    expect(names()).toEqual(['a1', 'c1', 'a2', 'c2', 'a3']);
  });
});
