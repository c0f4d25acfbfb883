import { describe, expect, it } from 'vitest';
import {
  EVENT_TTL_S,
  LEASE_MAX_OBJECT_COUNT,
  LEASE_REUSE_DURATION_S,
} from '../../src/sim/apiserver/leaseManager';
import type { Cluster } from '../../src/sim/cluster/cluster';
import { LEASE_REVOKE_RETRY_MS, Lessor, MIN_LEASE_TTL_S } from '../../src/sim/etcd/lessor';
import type { EtcdMember, EtcdResult } from '../../src/sim/etcd/member';
import { MvccStore, type Op } from '../../src/sim/etcd/mvcc/store';
import { booted } from './bootedCluster';

const put = (key: string, lease?: string): Op => ({ type: 'put', key, value: key, lease });
const txn = (s: MvccStore, ...ops: Op[]) => s.txn({ compare: [], success: ops, failure: [] });

describe('keys attached to leases in the MVCC store', () => {
  it('lists the keys a lease holds now: re-attached, moved or deleted keys follow', () => {
    const s = new MvccStore();
    txn(s, put('/b', 'L1'), put('/a', 'L1'), put('/c', 'L1'));
    txn(s, put('/a', 'L1')); // attached again: listed once
    txn(s, put('/b', 'L2')); // moved to another lease
    txn(s, put('/c')); // a put without a lease detaches
    expect(s.leaseKeys('L1')).toEqual(['/a']);
    expect(s.leaseKeys('L2')).toEqual(['/b']);
    expect(s.get('/b')?.lease).toBe('L2');
    expect(s.get('/c')?.lease).toBeUndefined();
    txn(s, { type: 'delete', key: '/a' });
    expect(s.leaseKeys('L1')).toEqual([]);
  });

  it('a store restored from a snapshot into a keyspace of its own indexes the leases again', () => {
    const a = new MvccStore();
    txn(a, put('/x', 'L'), put('/y', 'L'));
    const { keyspace: _shared, ...copy } = a.snapshot();
    const b = new MvccStore();
    b.restore(copy);
    expect(b.leaseKeys('L')).toEqual(['/x', '/y']);
  });
});

describe('the lessor', () => {
  it('grants at least the minimum TTL, refuses a second grant of an id and absurd TTLs', () => {
    const l = new Lessor(new Map());
    expect(l.grant('a', 1, 0)).toEqual({ ok: true, ttl: MIN_LEASE_TTL_S });
    expect(l.grant('a', 60, 0)).toEqual({ ok: false, error: 'etcdserver: lease already exists' });
    expect(l.grant('b', 9_000_000_001, 0)).toEqual({ ok: false, error: 'etcdserver: too large lease TTL' });
    expect(l.ids()).toEqual(['a']);
  });

  it('expires leases only as primary; a promotion gives every lease its TTL again plus the extension', () => {
    const l = new Lessor(new Map());
    l.grant('a', 10, 0);
    expect(l.expired(60_000)).toEqual([]); // a follower holds leases forever
    l.promote(60_000, 1000);
    expect(l.timeToLive('a', 60_000)).toEqual({ granted: 10, remaining: 11 });
    expect(l.expired(70_999)).toEqual([]);
    expect(l.renew('a', 70_000)).toBe(10); // renewed: now expires at 80 s
    expect(l.expired(79_999)).toEqual([]);
    expect(l.expired(80_000)).toEqual(['a']);
    // The revoke is asked once, then again only after the retry interval.
    expect(l.expired(80_500)).toEqual([]);
    expect(l.expired(80_000 + LEASE_REVOKE_RETRY_MS)).toEqual(['a']);
    expect(l.renew('a', 90_000)).toBeUndefined(); // expired: a keep-alive cannot save it
    l.demote();
    expect(l.expired(1e9)).toEqual([]);
  });
});

/** Runs one lease request on `member` to completion. */
function request<T>(c: Cluster, call: (reply: (r: EtcdResult<T>) => void) => void): EtcdResult<T> {
  let out: EtcdResult<T> | undefined;
  call((r) => {
    out = r;
  });
  c.sim.runUntilDone(() => out !== undefined, c.sim.nowMs + 10_000);
  return out as EtcdResult<T>;
}

function leader(c: Cluster): EtcdMember {
  const m = c
    .controlPlanes()
    .map((h) => c.etcdMember(h.name))
    .find((x) => x?.raft.state === 'StateLeader');
  if (!m) throw new Error('no etcd leader');
  return m;
}

describe('leases in an etcd cluster', () => {
  it('a key put with a lease is deleted by every member when the lease expires, not before', () => {
    const { c } = booted(2);
    const follower =
      c.etcdMember('cp-1')!.raft.state === 'StateLeader' ? c.etcdMember('cp-2')! : c.etcdMember('cp-1')!;
    const grant = request<{ id: string; ttl: number }>(c, (reply) => follower.leaseGrant(5, reply));
    expect(grant.ok).toBe(true);
    const id = grant.ok ? grant.value.id : '';
    expect(id).toMatch(/^[0-7][0-9a-f]{15}$/);
    const put1 = request(c, (reply) =>
      follower.txn(
        { compare: [], success: [{ type: 'put', key: '/k', value: 'v', lease: id }], failure: [] },
        reply,
      ),
    );
    expect(put1.ok).toBe(true);
    // Keep-alives from a follower are forwarded to the leader, which renews the lease.
    c.sim.runUntil(c.sim.nowMs + 4000);
    expect(request<{ ttl: number }>(c, (reply) => follower.leaseKeepAlive(id, reply))).toEqual({
      ok: true,
      value: { ttl: 5 },
    });
    c.sim.runUntil(c.sim.nowMs + 4000);
    for (const h of c.controlPlanes()) expect(c.etcdMember(h.name)?.store.get('/k')?.value).toBe('v');
    c.sim.runUntil(c.sim.nowMs + 2000);
    for (const h of c.controlPlanes()) {
      expect(c.etcdMember(h.name)?.store.get('/k')).toBeUndefined();
      expect(c.etcdMember(h.name)?.leaseList()).not.toContain(id);
    }
    const gone = request<{ remaining: number }>(c, (reply) => follower.leaseTimeToLive(id, reply as never));
    expect(gone).toMatchObject({ ok: true, value: { granted: 0, remaining: -1 } });
    const late = request(c, (reply) =>
      follower.txn(
        { compare: [], success: [{ type: 'put', key: '/k', value: 'v', lease: id }], failure: [] },
        reply,
      ),
    );
    expect(late).toEqual({ ok: false, error: 'etcdserver: requested lease not found' });
  });

  it('a new leader gives leases their full TTL again: a leader crash never expires one early', () => {
    const { c } = booted(3);
    const old = leader(c);
    const grant = request<{ id: string; ttl: number }>(c, (reply) => old.leaseGrant(10, reply));
    const id = grant.ok ? grant.value.id : '';
    request(c, (reply) =>
      old.txn(
        { compare: [], success: [{ type: 'put', key: '/k', value: 'v', lease: id }], failure: [] },
        reply,
      ),
    );
    c.sim.runUntil(c.sim.nowMs + 8000);
    const oldHost = c.controlPlanes().find((h) => c.etcdMember(h.name) === old)!.name;
    c.killHost(oldHost);
    c.sim.runUntil(c.sim.nowMs + 5000); // past the old expiry; a new leader was elected meanwhile
    const next = leader(c);
    expect(next).not.toBe(old);
    expect(next.store.get('/k')?.value).toBe('v');
    c.sim.runUntil(c.sim.nowMs + 10_000);
    expect(next.store.get('/k')).toBeUndefined();
  });
});

describe("Events live --event-ttl (1 h) through the API server's leases", () => {
  it('shares one lease among many Events, and etcd deletes them an hour after their last write', () => {
    const { c, call, list } = booted(4);
    const member = c.etcdMember('cp-1')!;
    const eventKeys = () => member.store.range('/registry/events/', true).kvs;
    const boot = eventKeys();
    expect(boot.length).toBeGreaterThan(20);
    expect(boot.every((kv) => kv.lease !== undefined)).toBe(true);
    // Three API servers, each with its lease manager: a handful of leases for dozens of Events.
    const leases = new Set(boot.map((kv) => kv.lease));
    expect(leases.size).toBeLessThanOrEqual(3);
    expect(member.leaseList().length).toBe(leases.size);
    for (const id of leases) {
      const t = request<{ granted: number }>(c, (reply) => member.leaseTimeToLive(id!, reply as never));
      expect(t).toMatchObject({ ok: true, value: { granted: EVENT_TTL_S + LEASE_REUSE_DURATION_S } });
    }
    call({
      verb: 'create',
      resource: 'deployments',
      namespace: 'default',
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx' }] },
          },
        },
      } as never,
    });
    c.sim.runUntil(c.sim.nowMs + 30_000);
    expect(list('events').length).toBeGreaterThan(5);
    c.sim.runUntil(c.sim.nowMs + EVENT_TTL_S * 1000 - 60_000);
    expect(list('events').length).toBeGreaterThan(5);
    c.sim.runUntil(c.sim.nowMs + 3 * LEASE_REUSE_DURATION_S * 1000);
    expect(list('events')).toEqual([]);
    expect(eventKeys()).toEqual([]);
  });

  it('asks etcd for a new lease after a thousand objects', () => {
    const { c } = booted(6);
    const member = c.etcdMember('cp-1')!;
    const before = new Set(member.leaseList());
    // More Events than one lease holds, written through one API server in a burst.
    const client = c.localClient(c.host('cp-1')!);
    let done = 0;
    const n = LEASE_MAX_OBJECT_COUNT + 50;
    for (let i = 0; i < n; i++) {
      client.request(
        {
          verb: 'create',
          resource: 'events',
          namespace: 'default',
          body: {
            apiVersion: 'v1',
            kind: 'Event',
            metadata: { name: `burst.${i}` },
            involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' },
            reason: 'Test',
            message: `event ${i}`,
          } as never,
        },
        () => done++,
      );
    }
    c.sim.runUntilDone(() => done === n, c.sim.nowMs + 60_000);
    expect(done).toBe(n);
    const used = new Set(
      member.store.range('/registry/events/default/burst.', true).kvs.map((kv) => kv.lease),
    );
    // The lease cp-1's API server already had (if not full) and one new one; none over a thousand.
    expect(used.size).toBe(2);
    expect([...used].filter((id) => !before.has(id!)).length).toBeGreaterThanOrEqual(1);
    for (const id of used)
      expect(member.store.leaseKeys(id!).length).toBeLessThanOrEqual(LEASE_MAX_OBJECT_COUNT);
  });
});
