import { beforeAll, describe, expect, it } from 'vitest';
import type { LeaseObject, NodeObject } from '../../src/sim/api/types';
import { Cluster } from '../../src/sim/cluster/cluster';
import { EPOCH_UNIX_MS } from '../../src/sim/kernel/time';
import {
  microTime,
  NODE_LEASE_DURATION_SECONDS,
  NODE_LEASE_RENEW_INTERVAL_MS,
  NODE_STATUS_REPORT_FREQUENCY_MS,
} from '../../src/sim/kubelet/kubelet';
import { takeSnapshot } from '../../src/sim/snapshot';

/** Reads straight from a member's store: what etcd holds, without going through the API. */
function stored<T>(c: Cluster, key: string): T | undefined {
  const leader = takeSnapshot(c).etcd.leader ?? 'cp-1';
  return c.etcdMember(leader)?.store.range(key).kvs[0]?.value as T | undefined;
}
const lease = (c: Cluster, node: string) =>
  stored<LeaseObject>(c, `/registry/leases/kube-node-lease/${node}`);
const node = (c: Cluster, name: string) => stored<NodeObject>(c, `/registry/minions/${name}`);
const wallMs = (t: string) => Date.parse(t) - EPOCH_UNIX_MS;

describe('kubelet', () => {
  let c: Cluster;
  beforeAll(() => {
    c = new Cluster('ha', 1);
    c.sim.runUntil(30_000);
  });

  it('registers all 9 nodes, and every one is Ready', () => {
    const snap = takeSnapshot(c);
    expect(snap.nodes).toHaveLength(9);
    expect(snap.nodes.filter((n) => n.ready === 'Ready').map((n) => n.name)).toEqual([...c.hosts.keys()]);
  });

  it('reports the four node conditions, Ready with the kubelet’s reason and message', () => {
    const n = node(c, 'worker-1')!;
    expect(n.status.conditions.map((x) => [x.type, x.status])).toEqual([
      ['MemoryPressure', 'False'],
      ['DiskPressure', 'False'],
      ['PIDPressure', 'False'],
      ['Ready', 'True'],
    ]);
    expect(n.status.conditions.find((x) => x.type === 'Ready')).toMatchObject({
      reason: 'KubeletReady',
      message: 'kubelet is posting ready status',
    });
  });

  it('registers with the zone label, and the control-plane role and taint on control planes', () => {
    const cp = node(c, 'cp-2')!;
    expect(cp.metadata.labels).toMatchObject({
      'topology.kubernetes.io/zone': 'zone-b',
      'kubernetes.io/hostname': 'cp-2',
      'node-role.kubernetes.io/control-plane': '',
    });
    expect(cp.spec.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    const w = node(c, 'worker-1')!;
    expect(w.spec.taints).toBeUndefined();
    expect(w.metadata.labels?.['node-role.kubernetes.io/control-plane']).toBeUndefined();
  });

  it('holds a Lease per node in kube-node-lease, owned by its Node', () => {
    for (const name of c.hosts.keys()) {
      const l = lease(c, name);
      expect(l?.spec).toMatchObject({
        holderIdentity: name,
        leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS,
      });
      expect(l?.metadata.ownerReferences).toEqual([
        { apiVersion: 'v1', kind: 'Node', name, uid: node(c, name)!.metadata.uid },
      ]);
    }
  });

  it('renews its Lease every 10 s', () => {
    expect(NODE_LEASE_RENEW_INTERVAL_MS).toBe(10_000);
    const seen: string[] = [];
    for (let t = c.sim.nowMs; t < 75_000; t += 500) {
      c.sim.runUntil(t);
      const r = lease(c, 'worker-4')!.spec.renewTime!;
      if (seen.at(-1) !== r) seen.push(r);
    }
    expect(seen.length).toBeGreaterThanOrEqual(4);
    const times = seen.map(wallMs);
    for (let i = 2; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThan(9_900);
      expect(times[i]! - times[i - 1]!).toBeLessThan(10_100);
    }
  });

  it('writes renewTime as a MicroTime (RFC 3339 with microseconds)', () => {
    expect(lease(c, 'cp-1')!.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(microTime(1234.5678)).toBe('2026-11-25T09:00:01.234567Z');
  });

  it('posts node status at least every 5 minutes even when nothing changed', () => {
    c.sim.runUntil(c.sim.nowMs + NODE_STATUS_REPORT_FREQUENCY_MS + 30_000);
    const ready = node(c, 'worker-2')!.status.conditions.find((x) => x.type === 'Ready')!;
    const age = c.sim.nowMs - wallMs(ready.lastHeartbeatTime);
    expect(age).toBeLessThanOrEqual(NODE_STATUS_REPORT_FREQUENCY_MS + 10_000);
    // The condition never changed, so its transition time is still the registration time.
    expect(wallMs(ready.lastTransitionTime)).toBeLessThan(30_000);
  });
});

describe('kubelet and host faults', () => {
  it('a dead node’s Lease stops moving; after a restart it is renewed again', () => {
    const c = new Cluster('ha', 2);
    c.sim.runUntil(30_000);
    c.killHost('worker-3');
    c.sim.runUntil(31_000);
    const frozen = lease(c, 'worker-3')!.spec.renewTime;
    c.sim.runUntil(60_000);
    expect(lease(c, 'worker-3')!.spec.renewTime).toBe(frozen);
    expect(lease(c, 'worker-2')!.spec.renewTime).not.toBe(frozen);
    c.startHost('worker-3');
    c.sim.runUntil(75_000);
    const renewed = lease(c, 'worker-3')!.spec.renewTime!;
    expect(wallMs(renewed)).toBeGreaterThan(60_000);
  });

  it('a kubelet keeps trying while etcd has no quorum and renews once it is back', () => {
    const c = new Cluster('ha', 3);
    c.sim.runUntil(30_000);
    c.killHost('cp-1');
    c.killHost('cp-2');
    c.sim.runUntil(90_000);
    c.startHost('cp-1');
    c.sim.runUntil(120_000);
    const renewed = lease(c, 'worker-1')!.spec.renewTime!;
    expect(wallMs(renewed)).toBeGreaterThan(100_000);
  });

  it('a kubelet whose Node was deleted registers it again, and still renews its Lease once per 10 s', () => {
    const c = new Cluster('ha', 4);
    c.sim.runUntil(30_000);
    let deleted = false;
    c.outsideClient().request({ verb: 'delete', resource: 'nodes', name: 'worker-1' }, (o) => {
      deleted = !('transport' in o) && o.code === 200;
    });
    c.sim.runUntilDone(() => deleted, 40_000);
    expect(deleted).toBe(true);
    c.sim.runUntil(60_000);
    expect(node(c, 'worker-1')).toBeDefined();
    let leaseWrites = 0;
    c.etcdMember('cp-1')!.store.watch('/registry/leases/kube-node-lease/worker-1', (events) => {
      leaseWrites += events.length;
    });
    c.sim.runUntil(120_000);
    expect(leaseWrites).toBe(6);
  });

  it('every node registers and turns Ready in the large preset too', () => {
    const c = new Cluster('large', 1);
    c.sim.runUntil(15_000);
    const snap = takeSnapshot(c);
    expect(snap.nodes).toHaveLength(103);
    expect(snap.nodes.every((n) => n.ready === 'Ready')).toBe(true);
  });
});
