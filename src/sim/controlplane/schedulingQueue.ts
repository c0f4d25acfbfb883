import type { NodeObject, PodObject } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import { EventRecorder } from '../client/eventRecorder';
import { type Informer, objectKey } from '../client/informer';
import type { Rng } from '../kernel/rng';
import type { Sim } from '../kernel/sim';
import { narrate } from '../kernel/trace';
import { SchedulerCache } from '../scheduler/cache';
import { type SchedulerState, type SchedulingAttempt, schedulePod } from '../scheduler/schedule';
import { summarizeAttempt } from '../snapshot';

/** kube-scheduler's backoff for a pod that did not fit: 1 s, doubling, at most 10 s. */
export const INITIAL_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 10_000;
/** Up to this many nodes every attempt keeps its full per-node record (for `trace scheduling`). */
export const RECORD_ATTEMPTS_UP_TO_NODES = 500;
/** Attempts remembered for tracing. */
const MAX_REMEMBERED_ATTEMPTS = 300;
/** Attempts that keep every evaluated node's filter verdict and scores (`trace scheduling`). */
const MAX_DETAILED_ATTEMPTS = 30;

const isUnscheduled = (p: PodObject): boolean =>
  !p.spec.nodeName &&
  !p.metadata.deletionTimestamp &&
  (p.spec.schedulerName ?? 'default-scheduler') === 'default-scheduler';

const isTerminal = (p: PodObject): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/**
 * The scheduling queue and loop around the pure algorithm (src/sim/scheduler): informers keep the
 * scheduler cache current, each unscheduled pod gets one cycle, a placed pod is assumed on its node
 * at once (so the next pod sees the capacity taken) and then bound through the API; a pod that fits
 * nowhere gets a FailedScheduling event and backs off.
 */
export class SchedulingQueue {
  private readonly active = new Set<string>();
  /** Every pod known to wait for a node (unscheduled), whether or not it is queued right now. */
  private readonly waiting = new Set<string>();
  private readonly backoff = new Map<string, number>();
  private readonly cache = new SchedulerCache();
  private readonly state: SchedulerState = { nextStartNodeIndex: 0 };
  private readonly events: EventRecorder;
  private scheduled = false;
  private running = true;
  /** The last attempt of each pod (namespace/name), for `trace scheduling` and the page. */
  readonly attempts = new Map<string, SchedulingAttempt>();
  /** Keys of the attempts still holding per-node detail, oldest first. */
  private readonly detailed: [string, SchedulingAttempt][] = [];

  constructor(
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly rng: Rng,
    private readonly pods: Informer<PodObject>,
    private readonly nodes: Informer<NodeObject>,
  ) {
    this.events = new EventRecorder(client, sim, { component: 'default-scheduler', eventsApi: true });
    nodes.onChange((event, node) => {
      if (event === 'deleted') this.cache.removeNode(node.metadata.name);
      else this.cache.updateNode(node);
      // A node joining or changing may make waiting pods fit: retry them now (only the waiting
      // ones are kept track of, so a node heartbeat never walks every pod in the cluster).
      for (const key of this.waiting) this.enqueue(key);
    });
    pods.onChange((event, pod, old) => {
      this.track(event, pod, old);
      const key = objectKey(pod);
      if (event !== 'deleted' && isUnscheduled(pod)) {
        this.waiting.add(key);
        this.enqueue(key);
      } else this.waiting.delete(key);
    });
  }

  stop(): void {
    this.running = false;
  }

  /** Keeps the cache's view of bound pods in step with the informer. */
  private track(event: string, pod: PodObject, old: PodObject | undefined): void {
    const wasBound = old?.spec.nodeName && !isTerminal(old) ? old : undefined;
    const isBound = event !== 'deleted' && pod.spec.nodeName && !isTerminal(pod) ? pod : undefined;
    if (wasBound && isBound) this.cache.updatePod(wasBound, isBound);
    else if (isBound) this.cache.addPod(isBound);
    else if (wasBound) this.cache.removePod(wasBound);
    else if (event === 'deleted' && this.cache.isAssumed(pod)) this.cache.forgetPod(pod);
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
    if (!this.running) return;
    if (!this.nodes.synced || !this.pods.synced) {
      this.sim.schedule(INITIAL_BACKOFF_MS, () => this.drain());
      return;
    }
    const keys = [...this.active];
    this.active.clear();
    for (const key of keys) {
      const pod = this.pods.items.get(key);
      if (pod && isUnscheduled(pod) && !this.cache.isAssumed(pod)) this.scheduleOne(key, pod);
    }
  }

  private scheduleOne(key: string, pod: PodObject): void {
    const record = this.cache.numNodes <= RECORD_ATTEMPTS_UP_TO_NODES;
    const result = schedulePod(pod, this.cache, { rng: this.rng, state: this.state, record });
    this.remember(key, result.attempt);
    // The page animates a sample of cycles; the summary is built only while someone traces.
    if (this.sim.trace.enabled) {
      const sample = summarizeAttempt(result.attempt, pod);
      this.sim.trace.emit({ type: 'scheduling.attempted', atMs: this.sim.nowMs, sample });
    }
    const nodeName = result.nodeName;
    if (!nodeName) {
      this.events.warning(pod, 'FailedScheduling', result.message ?? 'no nodes available to schedule pods');
      narrate(
        this.sim.trace,
        this.sim.nowMs,
        `The scheduler found no node for ${pod.metadata.name}: ${result.message ?? 'no nodes'}`,
      );
      const delay = Math.min(MAX_BACKOFF_MS, this.backoff.get(key) ?? INITIAL_BACKOFF_MS);
      this.backoff.set(key, delay * 2);
      this.sim.schedule(delay, () => this.enqueue(key));
      return;
    }
    this.backoff.delete(key);
    this.cache.assumePod(pod, nodeName);
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
          const where = `${pod.metadata.namespace}/${pod.metadata.name}`;
          this.events.normal(pod, 'Scheduled', `Successfully assigned ${where} to ${nodeName}`);
          const a = result.attempt;
          narrate(
            this.sim.trace,
            this.sim.nowMs,
            `The scheduler placed ${pod.metadata.name} on ${nodeName}: ${a.feasibleNodes} of ${a.numAllNodes} nodes passed the filters and ${nodeName} scored highest${a.score !== undefined ? ` (${a.score})` : ''}.`,
          );
        } else {
          // The binding failed: give the capacity back and try again.
          if (this.cache.isAssumed(pod)) this.cache.forgetPod(pod);
          this.sim.schedule(INITIAL_BACKOFF_MS, () => this.enqueue(key));
        }
      },
    );
  }

  private remember(key: string, attempt: SchedulingAttempt): void {
    this.attempts.delete(key);
    this.attempts.set(key, attempt);
    if (this.attempts.size > MAX_REMEMBERED_ATTEMPTS) {
      const oldest = this.attempts.keys().next().value;
      if (oldest !== undefined) this.attempts.delete(oldest);
    }
    // Per-node detail is large (every evaluated node × every score plugin): keep it for the most
    // recent attempts only, and a summary (winner, counts, top nodes) for the older ones.
    if (attempt.nodes) {
      this.detailed.push([key, attempt]);
      if (this.detailed.length > MAX_DETAILED_ATTEMPTS) {
        const [oldKey, old] = this.detailed.shift()!;
        if (this.attempts.get(oldKey) === old) this.attempts.set(oldKey, { ...old, nodes: undefined });
      }
    }
  }
}
