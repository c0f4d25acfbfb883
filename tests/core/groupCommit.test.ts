import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/kernel/trace';
import { booted } from './bootedCluster';

type Flight = Extract<TraceEvent, { type: 'raft.messageSent' }>;

/** A burst of writes through the API, with every Raft message the members send meanwhile. */
function burst(writes: number) {
  const { c } = booted(3);
  c.sim.trace.enabled = true;
  c.sim.trace.drain();
  const client = c.outsideClient();
  let answered = 0;
  const codes: number[] = [];
  for (let i = 0; i < writes; i++) {
    client.request(
      {
        verb: 'create',
        resource: 'configmaps',
        namespace: 'default',
        body: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `burst-${i}` },
          data: { i: String(i) },
        } as never,
      },
      (res) => {
        answered++;
        if (!('transport' in res)) codes.push(res.code);
      },
    );
  }
  c.sim.runUntilDone(() => answered === writes, c.sim.nowMs + 5_000);
  const flights = c.sim.trace.drain().filter((e): e is Flight => e.type === 'raft.messageSent');
  return { c, codes, flights };
}

describe('etcd group commit and ordered links', () => {
  it('replicates a burst of 200 writes in far fewer appends than writes, and commits them all', () => {
    const { codes, flights } = burst(200);
    expect(codes).toHaveLength(200);
    expect(codes.every((code) => code === 201)).toBe(true);
    const appends = flights.filter((f) => f.kind === 'MsgApp');
    const carried = appends.reduce((n, f) => n + f.entries, 0);
    // Each follower receives every entry (the writes and the namespace checks' reads)…
    expect(carried).toBeGreaterThanOrEqual(2 * 200);
    // …batched: proposals made during a WAL write go together, and an append waiting in a Ready
    // takes the next ones along.
    expect(appends.length).toBeLessThan(200 / 2);
  });

  it('never makes a follower refuse an append: links deliver in order', () => {
    const { flights } = burst(200);
    const sent = flights.filter((f) => f.kind === 'MsgApp' && !f.dropped);
    // On one link, every message arrives after the previous one.
    const lastArrival = new Map<string, number>();
    for (const f of sent) {
      const link = `${f.from}>${f.to}`;
      expect(f.recvMs).toBeGreaterThanOrEqual(lastArrival.get(link) ?? 0);
      lastArrival.set(link, f.recvMs);
    }
  });
});
