import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/sim/cluster/cluster';
import type { EtcdMember, EtcdResult } from '../../src/sim/etcd/member';
import { ERR_REQUEST_TIMED_OUT, ETCD_REQUEST_TIMEOUT_MS } from '../../src/sim/etcd/member';
import type { RangeResult, TxnResponse } from '../../src/sim/etcd/mvcc/store';
import { takeSnapshot } from '../../src/sim/snapshot';

/**
 * etcd's linearizable reads (ReadIndex, served by the member asked once it applied the leader's
 * commit index) on a booted `ha` cluster: they see every write committed before them, cost no log
 * entry, and a member cut off from the quorum cannot serve one.
 */
function boot(): Cluster {
  const c = new Cluster('ha', 1);
  c.sim.runUntil(30_000);
  return c;
}

function put(c: Cluster, m: EtcdMember, key: string, value: string): TxnResponse {
  let res: EtcdResult<TxnResponse> | undefined;
  m.txn({ compare: [], success: [{ type: 'put', key, value }], failure: [] }, (r) => {
    res = r;
  });
  c.sim.runUntilDone(() => res !== undefined, c.sim.nowMs + 10_000);
  if (!res?.ok) throw new Error(`put failed: ${JSON.stringify(res)}`);
  return res.value;
}

/** Starts a read; returns a getter for its result (undefined while unanswered). */
function read(m: EtcdMember, key: string): () => EtcdResult<RangeResult> | undefined {
  let res: EtcdResult<RangeResult> | undefined;
  m.rangeLinearizable(key, false, (r) => {
    res = r;
  });
  return () => res;
}

const followersOf = (c: Cluster): EtcdMember[] => {
  const leader = takeSnapshot(c).etcd.leader;
  return c
    .controlPlanes()
    .filter((h) => h.name !== leader)
    .map((h) => c.etcdMember(h.name)!);
};

describe('linearizable reads (ReadIndex)', () => {
  it('on a follower, see a write the leader committed an instant before, before the follower applied it', () => {
    const c = boot();
    const leader = c.etcdMember(takeSnapshot(c).etcd.leader!)!;
    const [follower] = followersOf(c);
    let written = false;
    leader.txn({ compare: [], success: [{ type: 'put', key: '/k', value: 'v1' }], failure: [] }, () => {
      written = true;
    });
    c.sim.runUntilDone(() => written, c.sim.nowMs + 5000);
    // The leader answered; the follower has not applied the entry yet, so a serializable read
    // misses it. A linearizable one waits for it.
    expect(follower!.rangeSerializable('/k', false).kvs).toEqual([]);
    const got = read(follower!, '/k');
    c.sim.runUntilDone(() => got() !== undefined, c.sim.nowMs + 5000);
    expect(got()).toMatchObject({ ok: true });
    const res = got();
    expect(res?.ok && res.value.kvs[0]?.value).toBe('v1');
  });

  it('add nothing to the Raft log', () => {
    const c = boot();
    const member = followersOf(c)[0]!;
    put(c, member, '/k', 'v');
    c.sim.runUntil(c.sim.nowMs + 1000);
    const before = member.raft.lastIndex;
    const reads = Array.from({ length: 20 }, () => read(member, '/k'));
    c.sim.runUntilDone(() => reads.every((r) => r() !== undefined), c.sim.nowMs + 5000);
    expect(reads.every((r) => r()?.ok)).toBe(true);
    expect(member.raft.lastIndex).toBe(before);
  });

  it('cannot be served by a member cut off from the quorum, even one that still believes it leads', () => {
    const c = boot();
    const leaderName = takeSnapshot(c).etcd.leader!;
    const leader = c.etcdMember(leaderName)!;
    const zone = c.host(leaderName)!.zone!;
    c.partition([zone]);
    // Ask at once, before check-quorum makes it step down.
    const got = read(leader, '/registry/namespaces/default');
    c.sim.runUntil(c.sim.nowMs + ETCD_REQUEST_TIMEOUT_MS + 1000);
    expect(got()).toEqual({ ok: false, error: ERR_REQUEST_TIMED_OUT });
  });

  it('a read asked while the leader is lost is served once a new leader answers', () => {
    const c = boot();
    const leaderName = takeSnapshot(c).etcd.leader!;
    const follower = followersOf(c)[0]!;
    put(c, follower, '/k', 'before');
    c.killHost(leaderName);
    const got = read(follower, '/k');
    c.sim.runUntilDone(() => got() !== undefined, c.sim.nowMs + ETCD_REQUEST_TIMEOUT_MS);
    const res = got();
    expect(res?.ok && res.value.kvs[0]?.value).toBe('before');
  });
});
