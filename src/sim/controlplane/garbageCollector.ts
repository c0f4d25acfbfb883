import type { KubeObject } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import type { Informer } from '../client/informer';
import type { Sim } from '../kernel/sim';

/** How often the collector looks for dependents whose owner is gone. */
export const GC_SWEEP_MS = 5_000;

interface Kind {
  readonly resource: string;
  readonly informer: Informer<KubeObject>;
}

/**
 * The garbage collector, background propagation: an object whose owners (by ownerReference uid)
 * no longer exist is deleted, so deleting a Deployment removes its ReplicaSets and then their
 * pods. Each sweep works from the informers' caches, as the real graph builder does.
 */
export class GarbageCollector {
  private running = false;

  constructor(
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly kinds: readonly Kind[],
  ) {
    // A deletion may orphan dependents: sweep soon, once for a whole burst of deletions.
    for (const k of kinds) k.informer.onChange((event) => event === 'deleted' && this.sweepSoon());
  }

  private sweepScheduled = false;

  private sweepSoon(): void {
    if (this.sweepScheduled) return;
    this.sweepScheduled = true;
    this.sim.schedule(0, () => {
      this.sweepScheduled = false;
      this.sweep();
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = (): void => {
      if (!this.running) return;
      this.sweep();
      this.sim.schedule(GC_SWEEP_MS, loop);
    };
    this.sim.schedule(GC_SWEEP_MS, loop);
  }

  stop(): void {
    this.running = false;
  }

  private sweep(): void {
    if (!this.running || !this.kinds.every((k) => k.informer.synced)) return;
    const live = new Set<string>();
    for (const k of this.kinds)
      for (const o of k.informer.items.values()) if (o.metadata.uid) live.add(o.metadata.uid);
    for (const k of this.kinds) {
      for (const o of k.informer.items.values()) {
        const owners = o.metadata.ownerReferences ?? [];
        const tracked = owners.filter((r) => this.kinds.some((kind) => kindOf(kind) === r.kind));
        if (tracked.length === 0 || o.metadata.deletionTimestamp) continue;
        if (tracked.every((r) => !live.has(r.uid))) this.delete(k.resource, o);
      }
    }
  }

  private delete(resource: string, o: KubeObject): void {
    this.client.request(
      { verb: 'delete', resource, namespace: o.metadata.namespace, name: o.metadata.name },
      () => {},
    );
  }
}

function kindOf(k: Kind): string {
  if (k.resource === 'jobs') return 'Job';
  if (k.resource === 'cronjobs') return 'CronJob';
  if (k.resource === 'daemonsets') return 'DaemonSet';
  return k.resource === 'deployments' ? 'Deployment' : k.resource === 'replicasets' ? 'ReplicaSet' : 'Pod';
}
