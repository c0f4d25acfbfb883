import { describe, expect, it } from 'vitest';
import type { LeaseObject, NodeObject } from '../../src/sim/api/types';
import { Cluster } from '../../src/sim/cluster/cluster';
import { LEASE_DURATION_MS, RETRY_PERIOD_MS } from '../../src/sim/controlplane/leaderElector';
import {
  NODE_MONITOR_GRACE_PERIOD_MS,
  NODE_MONITOR_PERIOD_MS,
  NODE_STATUS_UNKNOWN_MESSAGE,
} from '../../src/sim/controlplane/nodeLifecycle';
import { NODE_LEASE_RENEW_INTERVAL_MS } from '../../src/sim/kubelet/kubelet';
import { takeSnapshot } from '../../src/sim/snapshot';
import { warmUp } from '../../src/sim/warmUp';

function booted(seed = 1): Cluster {
  const c = new Cluster('ha', seed);
  warmUp(c);
  return c;
}

function stored<T>(c: Cluster, key: string): T | undefined {
  for (const h of c.controlPlanes()) {
    const v = c.etcdMember(h.name)?.store.range(key).kvs[0]?.value;
    if (v) return v as T;
  }
  return undefined;
}

const leaders = (c: Cluster, component: 'kube-scheduler' | 'kube-controller-manager') =>
  c
    .controlPlanes()
    .filter((h) => c.leadsComponent(component, h.name))
    .map((h) => h.name);

describe('leader election for kube-scheduler and kube-controller-manager', () => {
  it('exactly one instance of each leads, holding its Lease in kube-system', () => {
    const c = booted();
    for (const component of ['kube-scheduler', 'kube-controller-manager'] as const) {
      const lead = leaders(c, component);
      expect(lead).toHaveLength(1);
      const lease = stored<LeaseObject>(c, `/registry/leases/kube-system/${component}`);
      expect(lease?.spec.holderIdentity).toMatch(new RegExp(`^${lead[0]}_[0-9a-f-]{36}$`));
      expect(lease?.spec.leaseDurationSeconds).toBe(15);
    }
  });

  it('a standby takes over after the lease expires when the leader dies', () => {
    const c = booted(4);
    const [old] = leaders(c, 'kube-controller-manager');
    c.killHost(old!);
    const killedAt = c.sim.nowMs;
    c.sim.runUntilDone(() => leaders(c, 'kube-controller-manager').length === 1, killedAt + 60_000);
    const took = c.sim.nowMs - killedAt;
    expect(leaders(c, 'kube-controller-manager')[0]).not.toBe(old);
    // Not before the lease could have expired, and within one more retry period after it.
    expect(took).toBeGreaterThan(LEASE_DURATION_MS - 2 * RETRY_PERIOD_MS);
    expect(took).toBeLessThan(LEASE_DURATION_MS + NODE_LEASE_RENEW_INTERVAL_MS);
    const lease = stored<LeaseObject>(c, '/registry/leases/kube-system/kube-controller-manager');
    expect(lease?.spec.leaseTransitions).toBeGreaterThanOrEqual(1);
  });
});

describe('node lifecycle controller', () => {
  it('marks a silent node NotReady with unreachable taints after the grace period, and clears them on return', () => {
    const c = booted(2);
    c.killHost('worker-2');
    const killedAt = c.sim.nowMs;
    const notReady = () => takeSnapshot(c).nodes.find((n) => n.name === 'worker-2')?.ready === 'NotReady';
    c.sim.runUntil(killedAt + NODE_MONITOR_GRACE_PERIOD_MS - NODE_LEASE_RENEW_INTERVAL_MS);
    expect(notReady()).toBe(false);
    c.sim.runUntilDone(notReady, killedAt + NODE_MONITOR_GRACE_PERIOD_MS + 2 * NODE_MONITOR_PERIOD_MS + 1000);
    expect(notReady()).toBe(true);
    c.sim.runUntil(c.sim.nowMs + 100); // every member applies the write, not only the fastest
    const node = stored<NodeObject>(c, '/registry/minions/worker-2')!;
    const ready = node.status.conditions.find((x) => x.type === 'Ready')!;
    expect(ready).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: NODE_STATUS_UNKNOWN_MESSAGE,
    });
    expect(node.spec.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);

    c.startHost('worker-2');
    c.sim.runUntil(c.sim.nowMs + 30_000);
    const back = stored<NodeObject>(c, '/registry/minions/worker-2')!;
    expect(back.status.conditions.find((x) => x.type === 'Ready')?.status).toBe('True');
    expect(back.spec.taints ?? []).toEqual([]);
  });

  it('leaves healthy nodes alone', () => {
    const c = booted(3);
    c.sim.runUntil(c.sim.nowMs + 5 * 60_000);
    expect(takeSnapshot(c).nodes.every((n) => n.ready === 'Ready')).toBe(true);
  });
});
