import { describe, expect, it } from 'vitest';
import { LabHost } from '../../src/worker/labHost';

function host() {
  let wall = 0;
  const h = new LabHost({ scenario: 'ha', seed: 2 }, () => wall);
  return { h, advanceWall: (ms: number) => (wall += ms) };
}

function runToEnd(h: LabHost, line: string): { out: string; code: number | undefined } {
  const r = { out: '', code: undefined as number | undefined };
  h.run(
    line,
    '',
    (_s, t) => void (r.out += t),
    (c) => void (r.code = c),
  );
  for (let i = 0; i < 400 && r.code === undefined; i++) h.tick(50);
  return r;
}

describe('LabHost', () => {
  it('advances simulated time by wall time times the speed', () => {
    const { h } = host();
    const t0 = h.session.cluster.sim.nowMs;
    h.tick(100);
    expect(h.session.cluster.sim.nowMs - t0).toBe(100);
    h.session.setSpeed(10);
    h.tick(100);
    expect(h.session.cluster.sim.nowMs - t0).toBe(1100);
  });

  it('a paused clock stands still, unless a command is waiting on it', () => {
    const { h } = host();
    h.session.setPaused(true);
    const t0 = h.session.cluster.sim.nowMs;
    h.tick(1000);
    expect(h.session.cluster.sim.nowMs).toBe(t0);
    const r = runToEnd(h, 'advance 2s');
    expect(r.code).toBe(0);
    expect(h.session.cluster.sim.nowMs - t0).toBeGreaterThanOrEqual(2000);
  });

  it('quick commands answer within the head start, before any tick', () => {
    const { h } = host();
    let out = '';
    let code: number | undefined;
    h.run(
      'kubectl get nodes',
      '',
      (_s, t) => void (out += t),
      (c) => void (code = c),
    );
    expect(code).toBe(0);
    expect(out).toMatch(/^NAME\s+STATUS/);
  });

  it('advance fast-forwards instead of waiting in wall time', () => {
    const { h } = host();
    const t0 = h.session.cluster.sim.nowMs;
    const r = runToEnd(h, 'advance 5m');
    expect(r.code).toBe(0);
    expect(h.session.cluster.sim.nowMs - t0).toBeGreaterThanOrEqual(300_000);
  });

  it('frames carry Raft traffic and narrate a crash and an election', () => {
    const { h } = host();
    h.tick(500);
    expect(h.frame().flights.length).toBeGreaterThan(0);
    const leader = h.frame(true).snapshot!.etcd.leader!;
    runToEnd(h, `kill node ${leader}`);
    for (let i = 0; i < 60; i++) h.tick(50);
    const frame = h.frame();
    expect(frame.snapshot?.etcd.leader).not.toBe(leader);
    expect(frame.snapshot?.etcd.quorum).toBe(true);
  });

  it('big clusters get a fresh picture at most twice a second, events every frame', () => {
    let wall = 0;
    const h = new LabHost({ scenario: 'large', seed: 1 }, () => wall);
    expect(h.frame().snapshot).toBeDefined();
    wall += 50;
    expect(h.frame().snapshot).toBeUndefined();
    expect(h.frame(true).snapshot).toBeDefined();
    wall += 600;
    expect(h.frame().snapshot).toBeDefined();
  });

  it('cancel stops a running command', () => {
    const { h } = host();
    let code: number | undefined;
    const id = h.run(
      'advance 1h',
      '',
      () => {},
      (c) => void (code = c),
    );
    expect(typeof id).toBe('number');
    h.cancel(id as number);
    expect(code).toBe(130);
  });
});
