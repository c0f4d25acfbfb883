import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/sim/cluster/cluster';
import { SNAPSHOT_CATCH_UP_ENTRIES, SNAPSHOT_EVERY_ENTRIES } from '../../src/sim/etcd/member';

/**
 * A member down while the others write more than the log keeps comes back through a snapshot of
 * the leader's backend, taken when it is needed, and ends up with the same keys and revision.
 */
describe('etcd: a member that missed more than the log keeps', () => {
  it('catches up through a snapshot and holds exactly what the others hold', () => {
    const c = new Cluster('ha', 1);
    c.sim.runUntil(30_000);
    const names = c.controlPlanes().map((h) => h.name);
    const leaderName = names.find((n) => c.etcdMember(n)?.raft.state === 'StateLeader')!;
    const down = names.find((n) => n !== leaderName)!;
    // What an API server on that host watches: it must see every key the snapshot brings.
    const seenByWatcher = new Set<string>();
    c.etcdMember(down)!.store.watch('/test/', (events) => {
      for (const e of events) if (e.type === 'PUT') seenByWatcher.add(e.kv.key);
    });
    c.killHost(down);
    const lagging = c.etcdMember(down)?.raft.lastIndex ?? 0;

    const writes = SNAPSHOT_EVERY_ENTRIES + SNAPSHOT_CATCH_UP_ENTRIES + 2_000;
    let acked = 0;
    for (let i = 0; i < writes; i++) {
      c.etcdMember(leaderName)!.txn(
        { compare: [], success: [{ type: 'put', key: `/test/k${i}`, value: i }], failure: [] },
        (r) => {
          if (r.ok) acked++;
        },
      );
      if (i % 500 === 499) c.sim.runUntil(c.sim.nowMs + 50);
    }
    c.sim.runUntilDone(() => acked === writes, c.sim.nowMs + 60_000);
    expect(acked).toBe(writes);
    const leader = c.etcdMember(leaderName)!;
    expect(leader.raft.firstIndex).toBeGreaterThan(lagging + 1); // only a snapshot can catch it up

    c.startHost(down);
    c.sim.runUntil(c.sim.nowMs + 15_000);
    const back = c.etcdMember(down)!;
    expect(back.store.revision).toBe(leader.store.revision);
    const keys = (m: typeof leader) =>
      m.store.range('/test/', true).kvs.map((kv) => [kv.key, kv.value, kv.modRevision]);
    expect(keys(back)).toEqual(keys(leader));
    expect(back.store.range('/test/', true).count).toBe(writes);
    expect(seenByWatcher.size).toBe(writes);
  });
});
