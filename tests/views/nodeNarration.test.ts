import { describe, expect, it } from 'vitest';
import { NODE_MONITOR_GRACE_PERIOD_MS } from '../../src/sim/controlplane/nodeLifecycle';
import type { TraceEvent } from '../../src/sim/kernel/trace';
import type { NodeSnapshot, NodeTaintSnapshot } from '../../src/sim/snapshot';
import { taintBadge, taintWords } from '../../src/views/topology/taintBadge';
import { LabHost } from '../../src/worker/labHost';
import { type NodeFacts, NodeNarrator, names, ownerPrefix } from '../../src/worker/nodeNarration';

const UNREACHABLE = 'node.kubernetes.io/unreachable';

function node(
  name: string,
  taints: NodeTaintSnapshot[] = [],
  extra: Partial<NodeSnapshot> = {},
): NodeSnapshot {
  return {
    name,
    role: 'worker',
    zone: name === 'worker-3' ? 'zone-c' : 'zone-b',
    ip: '10.0.0.1',
    up: true,
    ready: 'Ready',
    schedulingDisabled: false,
    taints,
    ...extra,
  };
}

const unreachable: NodeTaintSnapshot[] = [
  { key: UNREACHABLE, effect: 'NoSchedule' },
  { key: UNREACHABLE, effect: 'NoExecute' },
];

function event(reason: string, object: string, atMs: number, message = ''): TraceEvent {
  return {
    type: 'k8s.event',
    atMs,
    eventType: 'Normal',
    reason,
    object,
    namespace: object.startsWith('node/') ? undefined : 'default',
    message,
    component: 'test',
    count: 1,
  };
}

const facts: NodeFacts = {
  lastHeartbeatMs: () => 1_000,
  noExecuteAddedMs: () => 60_000,
  podNode: () => 'worker-2',
  evictionPlan: () => ({ now: 0, after: new Map([[300, 4]]), never: 1 }),
};

describe('NodeNarrator', () => {
  it('tells NotReady with the real grace period and the silence measured from the Lease', () => {
    const n = new NodeNarrator(facts);
    n.take(event('NodeNotReady', 'node/worker-2', 60_000, 'Node worker-2 status is now: NodeNotReady'));
    const [line] = n.flush(60_000);
    expect(line?.text).toContain('The node controller marked worker-2 NotReady');
    expect(line?.text).toContain('no heartbeat for 59s');
    expect(line?.text).toContain(`node-monitor-grace-period: ${NODE_MONITOR_GRACE_PERIOD_MS / 1000}s`);
  });

  it('tells taints added and removed between snapshots, grouped over nodes, with the eviction plan', () => {
    const n = new NodeNarrator(facts);
    n.observe([node('worker-2'), node('worker-3')], 0);
    expect(n.flush(0)).toEqual([]); // the first snapshot is only remembered
    n.take(event('NodeNotReady', 'node/worker-2', 60_000));
    n.observe([node('worker-2', unreachable, { up: false, ready: 'NotReady' }), node('worker-3')], 61_000);
    const lines = n.flush(61_000).map((l) => l.text);
    expect(lines[0]).toMatch(/^The node controller marked worker-2 NotReady/);
    expect(lines[1]).toContain(`The node controller tainted worker-2 ${UNREACHABLE} (NoSchedule, NoExecute)`);
    expect(lines[1]).toContain('4 pods tolerate it for 300s, evicted at 09:06:00');
    expect(lines[1]).toContain('1 pod tolerates it indefinitely');

    n.observe([node('worker-2'), node('worker-3', [{ key: 'dedicated', effect: 'NoSchedule' }])], 500_000);
    const after = n.flush(500_000).map((l) => l.text);
    expect(after).toContain(
      `The node controller removed the taint ${UNREACHABLE} (NoSchedule, NoExecute) from worker-2: it is Ready, and the scheduler may place pods there again.`,
    );
    expect(after).toContain('worker-2 is Ready again: its kubelet posts status to the API server.');
    expect(after.some((l) => l.startsWith('worker-3 was tainted dedicated (NoSchedule)'))).toBe(true);
  });

  it('tells a cordon and an uncordon', () => {
    const n = new NodeNarrator(facts);
    n.observe([node('worker-1')], 0);
    n.observe([node('worker-1', [], { schedulingDisabled: true })], 1000);
    expect(n.flush(1000)[0]?.text).toMatch(/^worker-1 is cordoned \(spec\.unschedulable\)/);
    n.observe([node('worker-1')], 2000);
    expect(n.flush(2000)[0]?.text).toMatch(/^worker-1 is uncordoned/);
  });

  it('folds a burst of evictions into one line per node, and their replacements into another', () => {
    const n = new NodeNarrator(facts);
    n.observe([node('worker-2'), node('worker-3')], 0);
    const pods = ['web-7c5d-aaaaa', 'web-7c5d-bbbbb', 'web-7c5d-ccccc', 'api-55f-ddddd'];
    for (const pod of pods) {
      const traced: TraceEvent = {
        type: 'narration',
        atMs: 360_000,
        text: `The taint eviction controller deleted pod ${pod}: worker-2 has taint ${UNREACHABLE}:NoExecute and the pod's toleration ran out.`,
      };
      expect(n.take(traced)).toBe(true); // the per-pod line is folded
      n.take(event('TaintManagerEviction', `pod/${pod}`, 360_000, `Marking for deletion Pod default/${pod}`));
    }
    for (const [rs, created] of [
      ['web-7c5d', 2],
      ['api-55f', 1],
    ] as const) {
      const line: TraceEvent = {
        type: 'narration',
        atMs: 360_050,
        text: `The ReplicaSet controller saw 0 of ${created} pods for ${rs} and created ${created}.`,
      };
      expect(n.take(line)).toBe(true);
    }
    // Replacements: the Scheduled Event counts; the scheduler's own line about the pod is folded.
    for (const [i, pod] of ['web-7c5d-xxxxx', 'web-7c5d-yyyyy', 'api-55f-zzzzz'].entries()) {
      n.take(
        event('Scheduled', `pod/${pod}`, 360_100 + i, `Successfully assigned default/${pod} to worker-3`),
      );
      const placed: TraceEvent = {
        type: 'narration',
        atMs: 360_100,
        text: `The scheduler placed ${pod} on worker-3: 4 of 6 nodes passed the filters and worker-3 scored highest (180).`,
      };
      expect(n.take(placed)).toBe(true);
    }
    const other: TraceEvent = {
      type: 'narration',
      atMs: 360_200,
      text: 'The scheduler placed db-0 on worker-1: …',
    };
    expect(n.take(other)).toBe(false);
    const lines = n.flush(360_200).map((l) => l.text);
    // One line for the burst and its replacements (four lines would push it out of sight).
    expect(lines).toEqual([
      `The taint eviction controller evicted 4 pods from worker-2 (web-7c5d-aaaaa, web-7c5d-bbbbb, web-7c5d-ccccc and 1 more): they tolerated ${UNREACHABLE}:NoExecute for 300s. They stay there as Terminating (worker-2 cannot confirm the deletion); the ReplicaSet controller created 3 replacements and the scheduler placed them on worker-3 (zone-c).`,
    ]);
    // Replacements scheduled in a later frame get their own line.
    n.take(
      event(
        'Scheduled',
        'pod/api-55f-wwwww',
        361_000,
        'Successfully assigned default/api-55f-wwwww to worker-1',
      ),
    );
    expect(n.flush(361_000).map((l) => l.text)).toEqual([
      'The scheduler placed 1 replacement for a pod evicted from worker-2 on worker-1.',
    ]);
  });

  it('lists a few names and counts the rest', () => {
    expect(names(['a'])).toBe('a');
    expect(names(['a', 'b'])).toBe('a and b');
    expect(names(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
    expect(ownerPrefix('web-7c5ddbdf54-x2x9q')).toBe('web-7c5ddbdf54');
  });
});

describe('taint badge', () => {
  it('fits the strongest taint into the tile, and says all in full', () => {
    const n = node('worker-2', unreachable);
    expect(taintBadge(n, 200)?.text).toBe('⊘ unreachable:NoExecute');
    expect(taintBadge(n, 96)?.text).toBe('⊘ unreachable');
    expect(taintBadge(n, 96)?.glyph).toBe('⊗');
    expect(taintBadge(n, 30)?.text).toBe('⊘ 1');
    expect(taintBadge(n, 96)?.full).toBe(`${UNREACHABLE}:NoSchedule, ${UNREACHABLE}:NoExecute`);
    expect(taintBadge(node('worker-1'), 96)).toBeUndefined();
    const cordoned = node('worker-1', [{ key: 'dedicated', effect: 'NoSchedule' }], {
      schedulingDisabled: true,
    });
    expect(taintBadge(cordoned, 200)?.text).toBe('⊘ dedicated:NoSchedule +1');
    expect(taintWords(cordoned)).toBe('dedicated:NoSchedule, cordoned (spec.unschedulable)');
  });
});

describe('LabHost narrates a node failure', () => {
  it('NotReady, the unreachable taints, then one eviction line and the replacements', () => {
    let wall = 0;
    const h = new LabHost({ scenario: 'ha', seed: 2 }, () => wall);
    const lines: string[] = [];
    const run = (line: string) => {
      let done = false;
      h.run(
        line,
        '',
        () => {},
        () => void (done = true),
      );
      for (let i = 0; i < 4000 && !done; i++) {
        wall += 50;
        h.tick(50);
        for (const x of h.frame().happenings) lines.push(x.text);
      }
    };
    run('kubectl create deployment web --image=nginx --replicas=6');
    run('advance 20s');
    run('kill node worker-2');
    run('advance 90s');
    const snap = h.frame(true).snapshot!;
    expect(snap.nodes.find((n) => n.name === 'worker-2')?.taints).toEqual(unreachable);
    expect(snap.nodes.find((n) => n.name === 'cp-1')?.taints).toEqual([
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ]);
    expect(
      lines.some((l) => l.startsWith('The node controller marked worker-2 NotReady: no heartbeat for')),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith(`The node controller tainted worker-2 ${UNREACHABLE}`))).toBe(true);
    run('advance 6m');
    const evictions = lines.filter((l) => l.startsWith('The taint eviction controller'));
    expect(evictions.some((l) => l.includes(`tolerated ${UNREACHABLE}:NoExecute for 300s`))).toBe(true);
    expect(lines.some((l) => l.startsWith('The taint eviction controller deleted pod'))).toBe(false);
    expect(evictions.some((l) => /the scheduler placed (it|them)(:.*)? on worker-\d/.test(l))).toBe(true);
  });
});
