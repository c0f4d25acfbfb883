import type { NodeObject, PodObject, Taint, Toleration } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import { EventRecorder } from '../client/eventRecorder';
import type { Informer } from '../client/informer';
import type { Sim } from '../kernel/sim';
import { parseSimTime } from '../kernel/time';
import { toleratesTaint } from '../scheduler/taints';

/** How often the controller re-checks tainted nodes (it also reacts to node changes at once). */
export const EVICTION_CHECK_MS = 1_000;

function tolerationFor(tolerations: readonly Toleration[] | undefined, taint: Taint): Toleration | undefined {
  return (tolerations ?? []).find((t) => toleratesTaint(t, taint));
}

/**
 * The taint eviction controller (formerly the NoExecute taint manager): pods on a node with a
 * NoExecute taint they do not tolerate are deleted at once; pods that tolerate it for
 * tolerationSeconds (300 s by default, added by admission) are deleted when that runs out. On an
 * unreachable node the deletion cannot complete, so the pods stay Terminating there while their
 * ReplicaSet starts replacements elsewhere.
 */
export class TaintEvictionController {
  private running = false;
  private readonly evicted = new Set<string>();

  private readonly events: EventRecorder;

  constructor(
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly nodes: Informer<NodeObject>,
    private readonly pods: Informer<PodObject>,
  ) {
    this.events = new EventRecorder(client, sim, { component: 'taint-eviction-controller' });
    nodes.onChange(() => this.running && this.sim.schedule(0, () => this.check()));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = (): void => {
      if (!this.running) return;
      this.check();
      this.sim.schedule(EVICTION_CHECK_MS, loop);
    };
    this.sim.schedule(EVICTION_CHECK_MS, loop);
  }

  stop(): void {
    this.running = false;
  }

  private check(): void {
    if (!this.running || !this.pods.synced) return;
    const tainted = new Map<string, Taint[]>();
    for (const n of this.nodes.items.values()) {
      const noExecute = (n.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
      if (noExecute.length > 0) tainted.set(n.metadata.name, noExecute);
    }
    if (tainted.size === 0) return;
    for (const pod of this.pods.items.values()) {
      const taints = pod.spec.nodeName ? tainted.get(pod.spec.nodeName) : undefined;
      if (!taints || pod.metadata.deletionTimestamp || this.evicted.has(pod.metadata.uid ?? '')) continue;
      let evictAtMs = Number.POSITIVE_INFINITY;
      for (const taint of taints) {
        const t = tolerationFor(pod.spec.tolerations, taint);
        const added = taint.timeAdded ? parseSimTime(taint.timeAdded) : this.sim.nowMs;
        if (!t) evictAtMs = Math.min(evictAtMs, this.sim.nowMs);
        else if (t.tolerationSeconds !== undefined)
          evictAtMs = Math.min(evictAtMs, added + Math.max(0, t.tolerationSeconds) * 1000);
      }
      if (evictAtMs <= this.sim.nowMs) this.evict(pod, taints[0] as Taint);
    }
  }

  private evict(pod: PodObject, taint: Taint): void {
    this.evicted.add(pod.metadata.uid ?? '');
    this.sim.trace.emit({
      type: 'narration',
      text: `The taint eviction controller deleted pod ${pod.metadata.name}: ${pod.spec.nodeName} has taint ${taint.key}:${taint.effect} and the pod's toleration ran out.`,
      atMs: this.sim.nowMs,
    });
    this.events.normal(
      pod,
      'TaintManagerEviction',
      `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`,
    );
    this.client.request(
      { verb: 'delete', resource: 'pods', namespace: pod.metadata.namespace, name: pod.metadata.name },
      () => {},
    );
  }
}
