import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/sim/cluster/cluster';
import { SCHEDULING_SAMPLE_NODES_MAX, shortFilterReason, takeSnapshot } from '../../src/sim/snapshot';
import { type Frame, LabHost } from '../../src/worker/labHost';

/** A host on a fake wall clock, and a way to run a command to its end collecting every frame. */
function lab(scenario: 'ha' | 'large' = 'ha') {
  let wall = 0;
  const h = new LabHost({ scenario, seed: 3 }, () => wall);
  const frames: Frame[] = [];
  const tick = (n: number) => {
    for (let i = 0; i < n; i++) {
      wall += 50;
      h.tick(50);
      frames.push(h.frame());
    }
  };
  const run = (line: string) => {
    let code: number | undefined;
    h.run(
      line,
      '',
      () => {},
      (c) => void (code = c),
    );
    for (let i = 0; i < 400 && code === undefined; i++) tick(1);
    expect(code).toBe(0);
  };
  h.frame();
  return { h, frames, tick, run };
}

describe('frames for the page', () => {
  it('carry a summary of a scheduling cycle: rejected nodes with their reason, scores, winner', () => {
    const { frames, run, tick } = lab();
    run('kubectl cordon worker-2');
    run('kubectl create deployment web --image=nginx:1.27 --replicas=1');
    tick(20);
    const samples = frames.flatMap((f) => (f.schedulingSample ? [f.schedulingSample] : []));
    expect(samples).toHaveLength(1);
    const s = samples[0]!;
    expect(s.pod).toMatch(/^default\/web-\w+-\w{5}$/);
    expect(s.owner).toMatch(/^ReplicaSet\/web-/);
    expect(s.numAllNodes).toBe(9);
    expect(s.filtered).toContainEqual({
      node: 'worker-2',
      reason: 'unschedulable',
      detail: 'node(s) were unschedulable',
    });
    expect(s.filtered.filter((f) => f.reason === 'untolerated taint').map((f) => f.node)).toEqual([
      'cp-1',
      'cp-2',
      'cp-3',
    ]);
    expect(s.filteredCounts).toEqual(
      expect.arrayContaining([
        { reason: 'untolerated taint', count: 3 },
        { reason: 'unschedulable', count: 1 },
      ]),
    );
    expect(s.scored).toHaveLength(5);
    expect(s.scored[0]!.node).toBe(s.nodeName);
    expect(s.scored[0]!.total).toBe(s.score);
    expect(frames.reduce((n, f) => n + f.schedulingAttempts, 0)).toBe(1);
  });

  it('say what the controllers did to each ReplicaSet, and which pods pull an image', () => {
    const { frames, run, tick } = lab();
    run('kubectl create deployment web --image=nginx:1.27 --replicas=3');
    tick(100);
    const acts = frames.flatMap((f) => f.acts);
    expect(acts.reduce((n, a) => n + a.created, 0)).toBe(3);
    expect(acts.find((a) => a.scaled)?.scaled).toEqual({ from: 0, to: 3 });
    const pulling = frames.flatMap((f) => (f.pulling ? [f.pulling] : []));
    expect(pulling.some((p) => p.length > 0)).toBe(true);
    expect(pulling.at(-1)).toEqual([]);
    frames.length = 0;
    run('kubectl scale deployment web --replicas=1');
    tick(60);
    expect(frames.flatMap((f) => f.acts).reduce((n, a) => n + a.deleted, 0)).toBe(2);
  });

  it('sample a burst: one fresh cycle per frame at most, each listing at most a few nodes', () => {
    const { frames, run, tick } = lab('large');
    run('kubectl create deployment web --image=nginx:1.27 --replicas=60');
    tick(40);
    expect(frames.reduce((n, f) => n + f.schedulingAttempts, 0)).toBeGreaterThanOrEqual(60);
    const samples = frames.flatMap((f) => (f.schedulingSample ? [f.schedulingSample] : []));
    expect(samples.length).toBeLessThan(frames.length);
    for (const s of samples) {
      expect(s.scored.length).toBeLessThanOrEqual(SCHEDULING_SAMPLE_NODES_MAX);
      expect(s.filtered.length).toBeLessThanOrEqual(SCHEDULING_SAMPLE_NODES_MAX);
      expect(s.numAllNodes).toBe(103);
    }
  });

  it('snapshots list Deployments and ReplicaSets with desired and observed counts', () => {
    const { h, run, tick } = lab();
    run('kubectl create deployment web --image=nginx:1.27 --replicas=2');
    tick(120);
    const snap = h.frame(true).snapshot!;
    // kube-system's coredns is listed too; this test is about the user's Deployment.
    expect(snap.deployments.filter((d) => d.namespace === 'default')).toEqual([
      expect.objectContaining({ name: 'web', desired: 2, current: 2, ready: 2, available: 2, revision: '1' }),
    ]);
    expect(snap.replicaSets.filter((r) => r.namespace === 'default')).toEqual([
      expect.objectContaining({
        deployment: 'web',
        desired: 2,
        ready: 2,
        revision: '1',
        images: 'nginx:1.27',
      }),
    ]);
    run('kubectl cordon worker-1');
    tick(2);
    expect(h.frame(true).snapshot!.nodes.find((n) => n.name === 'worker-1')?.schedulingDisabled).toBe(true);
  });

  it('headless runs (no one tracing) build no scheduling summaries', () => {
    const c = new Cluster('ha', 1);
    expect(c.sim.trace.enabled).toBe(false);
    expect(takeSnapshot(c).deployments).toEqual([]);
  });
});

describe('shortFilterReason', () => {
  it.each([
    [['Insufficient cpu'], 'Insufficient cpu'],
    [['Insufficient cpu', 'Insufficient memory'], 'Insufficient cpu, memory'],
    [['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'], 'untolerated taint'],
    [['node(s) were unschedulable'], 'unschedulable'],
    [["node(s) didn't match Pod's node affinity/selector"], 'selector mismatch'],
    [["node(s) didn't match pod anti-affinity rules"], 'pod anti-affinity'],
    [['Too many pods'], 'Too many pods'],
  ])('%j → %s', (reasons, short) => {
    expect(shortFilterReason(reasons)).toBe(short);
  });
});
