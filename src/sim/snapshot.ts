import type { NodeObject, PodObject } from './api/types';
import type { Cluster } from './cluster/cluster';
import type { MvccStore } from './etcd/mvcc/store';
import type { RaftStateType } from './etcd/raft/types';

/**
 * What the page (and `window.cplab.state()`) sees of the core: plain data, cheap to post from the
 * worker, never a live object. Views read only this and trace events.
 */
export interface ClusterSnapshot {
  readonly timeMs: number;
  readonly scenario: string;
  readonly zones: readonly ZoneSnapshot[];
  /** Active network cuts: each is a set of zones isolated from the rest. */
  readonly cuts: readonly (readonly string[])[];
  readonly nodes: readonly NodeSnapshot[];
  readonly pods: readonly PodSnapshot[];
  readonly etcd: EtcdSnapshot;
  /** Every pod in etcd; `pods` lists at most MAX_SNAPSHOT_PODS of them. */
  readonly podCount: number;
  /** API servers the load balancer currently considers ready. */
  readonly apiServersReady: readonly string[];
}

export interface ZoneSnapshot {
  readonly name: string;
  /** Every host in the zone is down. */
  readonly down: boolean;
  /** The zone is on the far side of a network cut from the majority of zones. */
  readonly cut: boolean;
}

export type NodeReadiness = 'Ready' | 'NotReady' | 'Unknown';

export interface NodeSnapshot {
  readonly name: string;
  readonly role: 'control-plane' | 'worker';
  readonly zone: string;
  readonly ip: string;
  /** The host is running (not killed). */
  readonly up: boolean;
  /** STATUS as `kubectl get nodes` would print it from etcd's state; Unknown if never registered. */
  readonly ready: NodeReadiness;
  readonly components?: ControlPlaneComponents;
}

export interface ControlPlaneComponents {
  readonly apiserver: 'ready' | 'unready' | 'down';
  readonly etcd: 'leader' | 'follower' | 'candidate' | 'down';
  /** The active (Lease-holding) instance is the leader; the others stand by. */
  readonly scheduler: 'leader' | 'standby' | 'down';
  readonly controllerManager: 'leader' | 'standby' | 'down';
}

export interface PodSnapshot {
  readonly namespace: string;
  readonly name: string;
  readonly node: string | null;
  readonly phase: string;
  /** STATUS as `kubectl get pods` shows it (Running, ContainerCreating, Terminating, …). */
  readonly status: string;
  /** The controlling owner, `ReplicaSet/web-7c5ddbdf54`, for colouring pods by workload. */
  readonly owner: string | null;
  readonly ready: boolean;
}

/** Pods beyond this many are counted, not listed, in a snapshot (the page draws counts instead). */
export const MAX_SNAPSHOT_PODS = 5000;

export interface EtcdMemberSnapshot {
  readonly name: string;
  readonly id: string;
  readonly up: boolean;
  readonly role: 'leader' | 'follower' | 'candidate' | 'pre-candidate' | 'down';
  readonly term: number;
  readonly commitIndex: number;
  readonly appliedIndex: number;
}

export interface EtcdSnapshot {
  readonly members: readonly EtcdMemberSnapshot[];
  readonly leader: string | null;
  /** A leader exists and reaches a majority of running members: writes can commit. */
  readonly quorum: boolean;
  readonly term: number;
  readonly revision: number;
}

const ROLE: Record<RaftStateType, EtcdMemberSnapshot['role']> = {
  StateLeader: 'leader',
  StateFollower: 'follower',
  StateCandidate: 'candidate',
  StatePreCandidate: 'pre-candidate',
};

export function takeSnapshot(cluster: Cluster): ClusterSnapshot {
  const members = cluster.controlPlanes().map((h): EtcdMemberSnapshot => {
    const m = cluster.etcdMember(h.name);
    return {
      name: h.name,
      id: memberHexId(cluster, h.name),
      up: !!m,
      role: m ? ROLE[m.raft.state] : 'down',
      term: m?.raft.term ?? 0,
      commitIndex: m?.raft.commitIndex ?? 0,
      appliedIndex: m?.disk.appliedIndex ?? 0,
    };
  });
  const leaderHost = cluster
    .controlPlanes()
    .find((h) => cluster.etcdMember(h.name)?.raft.state === 'StateLeader' && hasQuorum(cluster, h.name));
  const anyLeader =
    leaderHost ??
    cluster.controlPlanes().find((h) => cluster.etcdMember(h.name)?.raft.state === 'StateLeader');
  // The freshest store answers "what does etcd say": the member that applied the most.
  let freshest = cluster.controlPlanes()[0]!.name;
  let applied = -1;
  for (const h of cluster.controlPlanes()) {
    const a = cluster.etcdMember(h.name)?.disk.appliedIndex ?? -1;
    if (a > applied) {
      applied = a;
      freshest = h.name;
    }
  }
  const store = cluster.etcdMember(freshest)?.store;
  const healthy = new Set(cluster.lb.healthyHosts());
  const nodes = [...cluster.hosts.values()].map((h): NodeSnapshot => {
    const kv = store?.range(`/registry/minions/${h.name}`).kvs[0];
    const node = kv?.value as NodeObject | undefined;
    const cond = node?.status?.conditions?.find((c) => c.type === 'Ready');
    const ready: NodeReadiness = !cond ? 'Unknown' : cond.status === 'True' ? 'Ready' : 'NotReady';
    const base = { name: h.name, role: h.spec.role, zone: h.zone, ip: h.spec.ip, up: h.up, ready };
    if (!h.isControlPlane) return base;
    const m = cluster.etcdMember(h.name);
    const etcdRole = !m
      ? 'down'
      : m.raft.state === 'StateLeader'
        ? 'leader'
        : m.raft.state === 'StateFollower'
          ? 'follower'
          : 'candidate';
    return {
      ...base,
      components: {
        apiserver: !h.up ? 'down' : healthy.has(h.name) ? 'ready' : 'unready',
        etcd: etcdRole,
        scheduler: !h.up ? 'down' : cluster.leadsComponent('kube-scheduler', h.name) ? 'leader' : 'standby',
        controllerManager: !h.up
          ? 'down'
          : cluster.leadsComponent('kube-controller-manager', h.name)
            ? 'leader'
            : 'standby',
      },
    };
  });
  const cuts = cluster.network.activeCuts();
  const zones = cluster.spec.zones.map((z) => ({
    name: z,
    down: [...cluster.hosts.values()].filter((h) => h.zone === z).every((h) => !h.up),
    cut: cuts.some((c) => c.includes(z)),
  }));
  return {
    timeMs: cluster.sim.nowMs,
    scenario: cluster.spec.name,
    zones,
    cuts,
    nodes,
    ...podSnapshots(store),
    etcd: {
      members,
      leader: anyLeader?.name ?? null,
      quorum: !!leaderHost,
      term: Math.max(0, ...members.map((m) => m.term)),
      revision: store?.revision ?? 0,
    },
    apiServersReady: [...healthy].sort(),
  };
}

/** A leader has quorum when it is connected to a majority of running members (itself included). */
export function hasQuorum(cluster: Cluster, leaderName: string): boolean {
  const cps = cluster.controlPlanes();
  const leader = cluster.host(leaderName)!;
  const reachable = cps.filter(
    (h) => h.up && cluster.etcdMember(h.name) && cluster.network.connected(leader, h),
  ).length;
  return reachable >= Math.floor(cps.length / 2) + 1;
}

/** etcd shows members by 16-hex-digit ids; ours are derived from the member name, stable per cluster. */
export function memberHexId(cluster: Cluster, hostName: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ (cluster.memberId(hostName) ?? 0);
  for (let i = 0; i < hostName.length; i++) {
    h1 = Math.imul(h1 ^ hostName.charCodeAt(i), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ hostName.charCodeAt(i), 0x5bd1e995) >>> 0;
  }
  return (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).slice(0, 16);
}

function podSnapshots(store: MvccStore | undefined): { pods: PodSnapshot[]; podCount: number } {
  if (!store) return { pods: [], podCount: 0 };
  const range = store.range('/registry/pods/', true, MAX_SNAPSHOT_PODS);
  const pods = range.kvs.map((kv): PodSnapshot => {
    const p = kv.value as PodObject;
    const owner = p.metadata.ownerReferences?.find((r) => r.controller);
    return {
      namespace: p.metadata.namespace ?? 'default',
      name: p.metadata.name,
      node: p.spec.nodeName ?? null,
      phase: p.status?.phase ?? 'Pending',
      status: podStatusText(p),
      owner: owner ? `${owner.kind}/${owner.name}` : null,
      ready: p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    };
  });
  return { pods, podCount: range.count };
}

/** A short form of kubectl's STATUS column: the waiting or terminated reason, else the phase. */
export function podStatusText(p: PodObject): string {
  if (p.metadata.deletionTimestamp) return 'Terminating';
  for (const c of p.status?.containerStatuses ?? []) {
    if (c.state.waiting?.reason) return c.state.waiting.reason;
    if (c.state.terminated?.reason) return c.state.terminated.reason;
  }
  return p.status?.phase ?? 'Pending';
}
