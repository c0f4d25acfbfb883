import type { LeaseObject, NodeCondition, NodeObject, PodObject, Taint } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import { EventRecorder } from '../client/eventRecorder';
import type { Informer } from '../client/informer';
import type { Sim } from '../kernel/sim';
import { rfc3339 } from '../kernel/time';

/** kube-controller-manager defaults: --node-monitor-period and --node-monitor-grace-period (50 s since v1.32). */
export const NODE_MONITOR_PERIOD_MS = 5_000;
export const NODE_MONITOR_GRACE_PERIOD_MS = 50_000;

export const UNREACHABLE_TAINT_KEY = 'node.kubernetes.io/unreachable';
export const NODE_STATUS_UNKNOWN_REASON = 'NodeStatusUnknown';
export const NODE_STATUS_UNKNOWN_MESSAGE = 'Kubelet stopped posting node status.';

interface Probe {
  readonly signature: string;
  readonly seenAtMs: number;
}

/**
 * The node lifecycle controller's health pass: every node-monitor period, compare each node's
 * heartbeat (its Lease renewTime, and its Ready condition's heartbeat) with what it saw last; a
 * node silent for longer than the grace period gets its conditions set to Unknown and the
 * `node.kubernetes.io/unreachable` taints (NoSchedule, and NoExecute for eviction). When the
 * kubelet reports Ready again, the taints go. Silence is measured on this controller's own clock
 * from when it last saw a change, as the real controller does, so a new leader gives every node a
 * fresh grace period.
 */
export class NodeLifecycleController {
  private readonly probes = new Map<string, Probe>();
  private running = false;

  private readonly events: EventRecorder;

  constructor(
    private readonly client: ApiClient,
    private readonly sim: Sim,
    /** kube-controller-manager's shared informers: nodes, node Leases (kube-node-lease), pods. */
    private readonly nodes: Informer<NodeObject>,
    private readonly leases: Informer<LeaseObject>,
    private readonly pods: Informer<PodObject>,
  ) {
    this.events = new EventRecorder(client, sim, { component: 'node-controller' });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.probes.clear();
    const loop = (): void => {
      if (!this.running) return;
      this.monitor();
      this.sim.schedule(NODE_MONITOR_PERIOD_MS, loop);
    };
    this.sim.schedule(NODE_MONITOR_PERIOD_MS, loop);
  }

  stop(): void {
    this.running = false;
  }

  /** monitorNodeHealth: every node against its Lease, from the informers' caches (no API reads). */
  private monitor(): void {
    if (!this.nodes.synced || !this.leases.synced) return;
    const silent = new Set<string>();
    for (const node of this.nodes.items.values()) {
      if (this.check(node, this.leases.items.get(`kube-node-lease/${node.metadata.name}`)))
        silent.add(node.metadata.name);
    }
    // One pass over the pods for every node that went silent (a whole zone at once, on `huge`).
    if (silent.size > 0) this.markPodsNotReady(silent, rfc3339(this.sim.nowMs));
  }

  /** Checks one node; true when it just went silent (its pods are then marked not ready). */
  private check(node: NodeObject, lease: LeaseObject | undefined): boolean {
    const name = node.metadata.name;
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    if (!ready) return false; // "Kubelet never posted node status": the startup grace period, not modelled
    const signature = `${lease?.spec.renewTime ?? ''}|${ready.lastHeartbeatTime ?? ''}`;
    const probe = this.probes.get(name);
    if (!probe || probe.signature !== signature)
      this.probes.set(name, { signature, seenAtMs: this.sim.nowMs });
    const silentMs = this.sim.nowMs - (this.probes.get(name) as Probe).seenAtMs;
    const taints = node.spec?.taints ?? [];
    const hasUnreachable = taints.some((t) => t.key === UNREACHABLE_TAINT_KEY);
    let next: readonly Taint[] = taints;

    if (silentMs > NODE_MONITOR_GRACE_PERIOD_MS && ready.status !== 'Unknown') {
      const now = rfc3339(this.sim.nowMs);
      const conditions: NodeCondition[] = (node.status?.conditions ?? []).map((c) => ({
        ...c,
        status: 'Unknown',
        reason: NODE_STATUS_UNKNOWN_REASON,
        message: NODE_STATUS_UNKNOWN_MESSAGE,
        lastTransitionTime: now,
      }));
      const unreachable: Taint[] = [
        { key: UNREACHABLE_TAINT_KEY, effect: 'NoSchedule' },
        { key: UNREACHABLE_TAINT_KEY, effect: 'NoExecute', timeAdded: now },
      ];
      next = withUnschedulableTaint(node, [
        ...taints.filter((t) => t.key !== UNREACHABLE_TAINT_KEY),
        ...unreachable,
      ]);
      this.patch(name, { spec: { taints: next }, status: { conditions } });
      this.events.normal(node, 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      return true;
    }
    if (ready.status === 'True' && hasUnreachable)
      next = taints.filter((t) => t.key !== UNREACHABLE_TAINT_KEY);
    next = withUnschedulableTaint(node, next);
    if (next !== taints) this.patch(name, { spec: { taints: next.length > 0 ? next : null } });
    return false;
  }

  /**
   * MarkPodsNotReady: the pods of a node that went silent get Ready=False, so Services and
   * ReplicaSets stop counting them. Their containers' own status is left as the kubelet last said
   * (kubectl still shows 1/1 Running), as on a real cluster.
   */
  private markPodsNotReady(nodeNames: ReadonlySet<string>, now: string): void {
    for (const pod of this.pods.items.values()) {
      if (!nodeNames.has(pod.spec.nodeName ?? '')) continue;
      const conditions = pod.status?.conditions;
      if (!conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      const next = conditions.map((c) =>
        c.type === 'Ready' ? { ...c, status: 'False' as const, lastTransitionTime: now } : c,
      );
      this.client.request(
        {
          verb: 'patch',
          resource: 'pods',
          namespace: pod.metadata.namespace,
          name: pod.metadata.name,
          patch: { status: { conditions: next } },
        },
        () => {},
      );
    }
  }

  private patch(name: string, patch: unknown): void {
    this.client.request({ verb: 'patch', resource: 'nodes', name, patch }, () => {});
  }
}

/**
 * TaintNodesByCondition: a cordoned node (spec.unschedulable) carries
 * `node.kubernetes.io/unschedulable:NoSchedule`, and loses it when uncordoned.
 */
function withUnschedulableTaint(node: NodeObject, taints: readonly Taint[]): readonly Taint[] {
  const has = taints.some((t) => t.key === UNSCHEDULABLE_TAINT_KEY);
  const wants = node.spec?.unschedulable === true;
  if (wants && !has) return [...taints, { key: UNSCHEDULABLE_TAINT_KEY, effect: 'NoSchedule' }];
  if (!wants && has) return taints.filter((t) => t.key !== UNSCHEDULABLE_TAINT_KEY);
  return taints;
}

const UNSCHEDULABLE_TAINT_KEY = 'node.kubernetes.io/unschedulable';
