import type { NodeObject, PodObject } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import { EventRecorder } from '../client/eventRecorder';
import { type Informer, objectKey } from '../client/informer';
import type { Rng } from '../kernel/rng';
import type { Sim } from '../kernel/sim';
import { type Placement, placePod } from './placement';

/** kube-scheduler's backoff for a pod that did not fit: 1 s, doubling, at most 10 s. */
export const INITIAL_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 10_000;

const isUnscheduled = (p: PodObject): boolean =>
  !p.spec.nodeName &&
  !p.metadata.deletionTimestamp &&
  (p.spec.schedulerName ?? 'default-scheduler') === 'default-scheduler';

/**
 * The scheduling queue and loop: unscheduled pods wait here; each is placed by the algorithm
 * against the scheduler's view of nodes and pods, assumed on its node at once (so the next pod
 * sees the capacity taken), then bound through the API. Pods that fit nowhere back off and retry.
 */
export class SchedulingQueue {
  private readonly active = new Set<string>();
  private readonly backoff = new Map<string, number>();
  private scheduled = false;
  private running = true;
  /** The outcome of each pod's last attempt, for `trace scheduling` and the page. */
  readonly lastAttempt = new Map<string, Placement>();
  private readonly events: EventRecorder;

  constructor(
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly rng: Rng,
    private readonly pods: Informer<PodObject>,
    private readonly nodes: Informer<NodeObject>,
  ) {
    this.events = new EventRecorder(client, sim, { component: 'default-scheduler' });
    pods.onChange((event, pod) => {
      if (event !== 'deleted' && isUnscheduled(pod)) this.enqueue(objectKey(pod));
    });
    // A node joining or changing may make waiting pods fit: retry them all now.
    nodes.onChange(() => {
      for (const p of pods.items.values()) if (isUnscheduled(p)) this.enqueue(objectKey(p));
    });
  }

  stop(): void {
    this.running = false;
  }

  private enqueue(key: string): void {
    if (!this.running) return;
    this.active.add(key);
    if (!this.scheduled) {
      this.scheduled = true;
      this.sim.schedule(0, () => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    if (!this.running || !this.nodes.synced || !this.pods.synced) {
      if (this.running) this.sim.schedule(INITIAL_BACKOFF_MS, () => this.drain());
      return;
    }
    const keys = [...this.active];
    this.active.clear();
    for (const key of keys) {
      const pod = this.pods.items.get(key);
      if (pod && isUnscheduled(pod)) this.scheduleOne(key, pod);
    }
  }

  private scheduleOne(key: string, pod: PodObject): void {
    const placement = placePod(pod, this.nodes.items.values(), this.pods.items.values(), this.rng);
    this.lastAttempt.set(key, placement);
    const nodeName = placement.nodeName;
    if (!nodeName) {
      this.events.warning(
        pod,
        'FailedScheduling',
        placement.message ?? 'no nodes available to schedule pods',
      );
      const delay = Math.min(MAX_BACKOFF_MS, this.backoff.get(key) ?? INITIAL_BACKOFF_MS);
      this.backoff.set(key, delay * 2);
      this.sim.schedule(delay, () => this.enqueue(key));
      return;
    }
    this.backoff.delete(key);
    // Assume: count the pod on its node before the binding lands.
    this.pods.assume({ ...pod, spec: { ...pod.spec, nodeName } });
    this.client.request(
      {
        verb: 'create',
        resource: 'pods',
        subresource: 'binding',
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
        body: {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace },
          target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
        } as never,
      },
      (res) => {
        if (!('transport' in res) && res.code < 300) {
          this.events.normal(
            pod,
            'Scheduled',
            `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`,
          );
        } else {
          // Forget the assumption and try again.
          this.pods.assume({ ...pod, metadata: { ...pod.metadata } });
          this.sim.schedule(INITIAL_BACKOFF_MS, () => this.enqueue(key));
        }
      },
    );
  }
}
