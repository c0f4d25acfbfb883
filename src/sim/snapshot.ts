import type { DeploymentObject, NodeObject, PodObject, ReplicaSetObject, Taint } from './api/types';
import type { Cluster } from './cluster/cluster';
import type { MvccStore } from './etcd/mvcc/store';
import type { RaftStateType } from './etcd/raft/types';
import type { SchedulingSample } from './kernel/trace';
import type { SchedulingAttempt } from './scheduler/schedule';

export type { SchedulingSample } from './kernel/trace';

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
  /** Deployments (at most MAX_SNAPSHOT_WORKLOADS), for the reconciliation view. */
  readonly deployments: readonly DeploymentSnapshot[];
  /** ReplicaSets (at most MAX_SNAPSHOT_WORKLOADS). */
  readonly replicaSets: readonly ReplicaSetSnapshot[];
}

/** Desired against observed, as `kubectl get deploy` shows it (spec.replicas and status counts). */
export interface DeploymentSnapshot {
  readonly namespace: string;
  readonly name: string;
  /** spec.replicas */
  readonly desired: number;
  /** status.updatedReplicas: pods of the newest template (UP-TO-DATE). */
  readonly updated: number;
  /** status.replicas: pods of every ReplicaSet of the Deployment. */
  readonly current: number;
  readonly ready: number;
  readonly available: number;
  /** The `deployment.kubernetes.io/revision` annotation. */
  readonly revision: string;
  readonly paused: boolean;
  /** The controller has seen the latest spec (status.observedGeneration ≥ metadata.generation). */
  readonly observed: boolean;
  /** The reason of a failed Progressing or Available condition (`ProgressDeadlineExceeded`), if any. */
  readonly problem?: string;
}

/** As `kubectl get rs -o wide` shows it. */
export interface ReplicaSetSnapshot {
  readonly namespace: string;
  readonly name: string;
  /** The Deployment that controls it, if any. */
  readonly deployment: string | null;
  readonly desired: number;
  readonly current: number;
  readonly ready: number;
  readonly available: number;
  readonly revision: string;
  /** The pod template's images, comma-separated. */
  readonly images: string;
}

/** Deployments and ReplicaSets beyond this many are left out of a snapshot. */
export const MAX_SNAPSHOT_WORKLOADS = 100;

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
  /** Cordoned (spec.unschedulable): `kubectl get nodes` adds SchedulingDisabled. */
  readonly schedulingDisabled: boolean;
  /** spec.taints, key and effect only (values are left out), in the node's order. */
  readonly taints: readonly NodeTaintSnapshot[];
  readonly components?: ControlPlaneComponents;
}

/** A node taint as the picture shows it: `node.kubernetes.io/unreachable` and `NoExecute`. */
export interface NodeTaintSnapshot {
  readonly key: string;
  readonly effect: Taint['effect'];
}

const NO_TAINTS: readonly NodeTaintSnapshot[] = [];

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
  const members = cluster.etcdHosts().map((h): EtcdMemberSnapshot => {
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
    const base = {
      name: h.name,
      role: h.spec.role,
      zone: h.zone,
      ip: h.spec.ip,
      up: h.up,
      ready,
      schedulingDisabled: node?.spec?.unschedulable === true,
      taints: node?.spec?.taints?.length
        ? node.spec.taints.map((t) => ({ key: t.key, effect: t.effect }))
        : NO_TAINTS,
    };
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
    ...workloadSnapshots(store),
  };
}

/** A leader has quorum when it is connected to a majority of running members (itself included). */
export function hasQuorum(cluster: Cluster, leaderName: string): boolean {
  const cps = cluster.etcdHosts();
  const leader = cluster.host(leaderName)!;
  const reachable = cps.filter(
    (h) => h.up && cluster.etcdMember(h.name) && cluster.network.connected(leader, h),
  ).length;
  return reachable >= Math.floor(cps.length / 2) + 1;
}

/** etcd shows members by 16-hex-digit ids; ours are derived from the member name, stable per cluster. */
export function memberHexId(cluster: Cluster, hostName: string): string {
  const joined = cluster.recordedMemberHexId(hostName);
  if (joined !== undefined) return joined;
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

const REVISION = 'deployment.kubernetes.io/revision';

function workloadSnapshots(store: MvccStore | undefined): {
  deployments: DeploymentSnapshot[];
  replicaSets: ReplicaSetSnapshot[];
} {
  if (!store) return { deployments: [], replicaSets: [] };
  const deployments = store
    .range('/registry/deployments/', true, MAX_SNAPSHOT_WORKLOADS)
    .kvs.map((kv): DeploymentSnapshot => {
      const d = kv.value as DeploymentObject;
      const st = d.status;
      const problem = st?.conditions?.find(
        (c) => (c.type === 'Progressing' || c.type === 'ReplicaFailure') && c.status !== 'True',
      );
      return {
        namespace: d.metadata.namespace ?? 'default',
        name: d.metadata.name,
        desired: d.spec.replicas ?? 1,
        updated: st?.updatedReplicas ?? 0,
        current: st?.replicas ?? 0,
        ready: st?.readyReplicas ?? 0,
        available: st?.availableReplicas ?? 0,
        revision: d.metadata.annotations?.[REVISION] ?? '',
        paused: d.spec.paused === true,
        observed: (st?.observedGeneration ?? 0) >= (d.metadata.generation ?? 1),
        ...(problem ? { problem: problem.reason } : {}),
      };
    });
  const replicaSets = store
    .range('/registry/replicasets/', true, MAX_SNAPSHOT_WORKLOADS)
    .kvs.map((kv): ReplicaSetSnapshot => {
      const rs = kv.value as ReplicaSetObject;
      const owner = rs.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Deployment');
      return {
        namespace: rs.metadata.namespace ?? 'default',
        name: rs.metadata.name,
        deployment: owner?.name ?? null,
        desired: rs.spec.replicas ?? 1,
        current: rs.status?.replicas ?? 0,
        ready: rs.status?.readyReplicas ?? 0,
        available: rs.status?.availableReplicas ?? 0,
        revision: rs.metadata.annotations?.[REVISION] ?? '',
        images: rs.spec.template.spec.containers.map((c) => c.image).join(','),
      };
    });
  return { deployments, replicaSets };
}

/** Nodes of each kind (rejected, best-scored) a scheduling sample lists at most. */
export const SCHEDULING_SAMPLE_NODES_MAX = 24;

/**
 * The few words a node mark can hold for a filter's reason, from the FailedScheduling wording:
 * `node(s) had untolerated taint {k: v}` → `untolerated taint`, `Insufficient cpu` stays.
 */
export function shortFilterReason(reasons: readonly string[]): string {
  const insufficient = reasons.filter((r) => r.startsWith('Insufficient '));
  if (insufficient.length > 0) return `Insufficient ${insufficient.map((r) => r.slice(13)).join(', ')}`;
  const r = reasons[0] ?? '';
  if (r.startsWith('node(s) had untolerated taint')) return 'untolerated taint';
  if (r === 'node(s) were unschedulable') return 'unschedulable';
  if (r.includes('node affinity/selector')) return 'selector mismatch';
  if (r.includes('topology spread')) return 'topology spread';
  if (r.includes('existing pods anti-affinity')) return 'existing anti-affinity';
  if (r.includes('pod anti-affinity')) return 'pod anti-affinity';
  if (r.includes('pod affinity')) return 'pod affinity';
  if (r.includes('requested node name')) return 'nodeName mismatch';
  const plain = r.replace(/^node\(s\) /, '');
  return plain.length > 24 ? `${plain.slice(0, 23)}…` : plain;
}

/**
 * A scheduling cycle in a form cheap to post to the page: the counts, the winner, the first
 * rejected nodes with their reasons and the best-scored nodes, each list capped. Without the
 * per-node record (clusters over 500 nodes) it says what the cycle itself kept: counts and the
 * failure histogram.
 */
export function summarizeAttempt(attempt: SchedulingAttempt, pod: PodObject): SchedulingSample {
  const ownerRef = pod.metadata.ownerReferences?.find((r) => r.controller);
  const counts = new Map<string, number>();
  const filtered: { node: string; reason: string; detail: string }[] = [];
  let scored: { node: string; total: number }[] = [];
  if (attempt.nodes) {
    for (const n of attempt.nodes) {
      if (n.filter) {
        const reason = shortFilterReason(n.filter.reasons);
        counts.set(reason, (counts.get(reason) ?? 0) + 1);
        if (filtered.length < SCHEDULING_SAMPLE_NODES_MAX)
          filtered.push({ node: n.node, reason, detail: n.filter.reasons.join('; ') });
      } else if (n.total !== undefined || n.node === attempt.nodeName) {
        scored.push({ node: n.node, total: n.total ?? attempt.score ?? 0 });
      }
    }
    // Best first; the winner first among equals (ties were broken at random by the scheduler).
    scored.sort(
      (a, b) =>
        b.total - a.total || Number(b.node === attempt.nodeName) - Number(a.node === attempt.nodeName),
    );
    scored = scored.slice(0, SCHEDULING_SAMPLE_NODES_MAX);
  } else {
    for (const r of attempt.reasons ?? []) {
      const reason = shortFilterReason([r.reason]);
      counts.set(reason, (counts.get(reason) ?? 0) + r.count);
    }
    const rejected = attempt.evaluatedNodes - attempt.feasibleNodes;
    if (!attempt.reasons && rejected > 0) counts.set('rejected by a filter', rejected);
    scored = attempt.topNodes
      ? [...attempt.topNodes]
      : attempt.nodeName
        ? [{ node: attempt.nodeName, total: attempt.score ?? 0 }]
        : [];
  }
  return {
    pod: attempt.pod,
    owner: ownerRef ? `${ownerRef.kind}/${ownerRef.name}` : null,
    numAllNodes: attempt.numAllNodes,
    evaluatedNodes: attempt.evaluatedNodes,
    feasibleNodes: attempt.feasibleNodes,
    ...(attempt.nodeName ? { nodeName: attempt.nodeName, score: attempt.score ?? 0 } : {}),
    ...(attempt.message ? { message: attempt.message } : {}),
    filtered,
    filteredCounts: [...counts].map(([reason, count]) => ({ reason, count })),
    scored,
  };
}
