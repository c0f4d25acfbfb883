import type { PodObject, ReplicaSetObject } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import { EventRecorder } from '../client/eventRecorder';
import { type Informer, objectKey } from '../client/informer';
import { intern } from '../kernel/intern';
import type { Rng } from '../kernel/rng';
import type { Sim } from '../kernel/sim';
import { rfc3339 } from '../kernel/time';
import { narrate } from '../kernel/trace';
import { WorkQueue } from './workQueue';

/** The most pods one sync creates or deletes (kube-controller-manager's burstReplicas). */
export const BURST_REPLICAS = 500;
/** Retry delay after a failed write. */
const RETRY_MS = 1000;
/** controller.ExpectationsTimeout: expectations not met by then are given up, and the sync acts again. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

export function controllerOf(o: { metadata: PodObject['metadata'] }): string | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller)?.uid;
}

export function isPodActive(p: PodObject): boolean {
  return !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
}

export function isPodReady(p: PodObject): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Deletion order (controller.ActivePods): unscheduled, then pending, then not ready, then newest first. */
function deletionRank(p: PodObject): number[] {
  return [
    p.spec.nodeName ? 1 : 0,
    p.status?.phase === 'Pending' ? 0 : p.status?.phase === 'Unknown' ? 1 : 2,
    isPodReady(p) ? 1 : 0,
    -Date.parse(p.metadata.creationTimestamp ?? '1970-01-01T00:00:00Z'), // newest first
  ];
}

/**
 * The ReplicaSet controller: for each ReplicaSet, count the active pods it controls and create or
 * delete pods until the count is spec.replicas, then report status. Pods it has just created or
 * deleted are "assumed" in its cache so the next sync does not repeat the work.
 */
export class ReplicaSetController {
  private readonly queue: WorkQueue;
  /** Pods per controller uid, with running counts so a sync need not walk them all. */
  private readonly podsByOwner = new Map<string, OwnedPods>();
  private readonly events: EventRecorder;
  /**
   * ControllerExpectations: creations and deletions a sync started and has not yet seen answered.
   * While any are outstanding the ReplicaSet is not managed again, so a burst of pod events cannot
   * start a second burst of writes before the first has landed.
   */
  private readonly expectations = new Map<string, { pending: number; setMs: number }>();

  constructor(
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly rng: Rng,
    private readonly replicaSets: Informer<ReplicaSetObject>,
    private readonly pods: Informer<PodObject>,
  ) {
    this.queue = new WorkQueue(sim, (key) => this.sync(key));
    this.events = new EventRecorder(client, sim, { component: 'replicaset-controller' });
    replicaSets.onChange((_e, rs) => this.queue.add(objectKey(rs)));
    pods.onChange((event, pod, old) => {
      this.index(event === 'deleted' ? undefined : pod, old);
      const owner = controllerOf(pod);
      const rs = owner && this.ownerKey(pod, owner);
      if (rs) this.queue.add(rs);
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private ownerKey(pod: PodObject, uid: string): string | undefined {
    const name = pod.metadata.ownerReferences?.find((r) => r.uid === uid)?.name;
    return name ? `${pod.metadata.namespace}/${name}` : undefined;
  }

  /** Keeps podsByOwner current: `old` is the version indexed before (the informer hands it back). */
  private index(pod: PodObject | undefined, old: PodObject | undefined): void {
    const oldOwner = old && controllerOf(old);
    if (old && oldOwner) {
      const owned = this.podsByOwner.get(oldOwner);
      if (owned?.keys.delete(objectKey(old))) count(owned, old, -1);
    }
    const owner = pod && controllerOf(pod);
    if (pod && owner) {
      let owned = this.podsByOwner.get(owner);
      if (!owned) this.podsByOwner.set(owner, (owned = { keys: new Set(), active: 0, ready: 0 }));
      if (!owned.keys.has(objectKey(pod))) {
        owned.keys.add(objectKey(pod));
        count(owned, pod, 1);
      }
    }
  }

  private activePods(owned: OwnedPods): PodObject[] {
    const out: PodObject[] = [];
    for (const k of owned.keys) {
      const p = this.pods.items.get(k);
      if (p && isPodActive(p)) out.push(p);
    }
    return out;
  }

  private sync(key: string): void {
    const rs = this.replicaSets.items.get(key);
    if (!rs || !this.pods.synced || rs.metadata.deletionTimestamp) return;
    const owned = this.podsByOwner.get(rs.metadata.uid ?? '') ?? EMPTY;
    const want = rs.spec.replicas ?? 1;
    // Status reports the pods seen before this sync acted, as calculateStatus does.
    const { active, ready } = owned;
    const diff = want - active;
    if (diff !== 0 && !this.expectationsMet(key)) {
      this.updateStatus(rs, active, ready);
      return;
    }
    if (diff > 0) {
      const n = Math.min(diff, BURST_REPLICAS);
      narrate(
        this.sim.trace,
        this.sim.nowMs,
        `The ReplicaSet controller saw ${active} of ${want} pods for ${rs.metadata.name} and created ${n}.`,
      );
      this.expect(key, n);
      this.slowStartCreate(rs, key, n, 1);
    } else if (diff < 0) {
      const victims = this.activePods(owned).sort((a, b) => compareRanks(deletionRank(a), deletionRank(b)));
      const n = Math.min(-diff, BURST_REPLICAS);
      narrate(
        this.sim.trace,
        this.sim.nowMs,
        `The ReplicaSet controller saw ${active} of ${want} pods for ${rs.metadata.name} and deleted ${n}.`,
      );
      this.expect(key, n);
      for (const p of victims.slice(0, n)) this.deletePod(p, rs, () => this.observed(key, 1));
    }
    this.updateStatus(rs, active, ready);
  }

  private expect(key: string, count: number): void {
    this.expectations.set(key, { pending: count, setMs: this.sim.nowMs });
  }

  private observed(key: string, count: number): void {
    const e = this.expectations.get(key);
    if (!e) return;
    e.pending -= count;
    if (e.pending <= 0) {
      this.expectations.delete(key);
      this.queue.add(key);
    }
  }

  private expectationsMet(key: string): boolean {
    const e = this.expectations.get(key);
    if (!e) return true;
    if (this.sim.nowMs - e.setMs < EXPECTATIONS_TIMEOUT_MS) return false;
    this.expectations.delete(key);
    return true;
  }

  /**
   * controller.slowStartBatch: create 1 pod, then 2, 4, 8… each batch once the previous one has
   * been answered, stopping at the first failure, so a broken template costs one failed request
   * rather than hundreds.
   */
  private slowStartCreate(rs: ReplicaSetObject, key: string, remaining: number, batch: number): void {
    const size = Math.min(batch, remaining);
    let answered = 0;
    let failed = false;
    for (let i = 0; i < size; i++) {
      this.createPod(rs, (ok) => {
        this.observed(key, 1);
        if (!ok) failed = true;
        if (++answered < size) return;
        const left = remaining - size;
        if (left === 0) return;
        if (failed)
          this.observed(key, left); // the rest are not attempted
        else this.slowStartCreate(rs, key, left, size * 2);
      });
    }
  }

  private createPod(rs: ReplicaSetObject, done: (ok: boolean) => void): void {
    // The API server retries a generated name that is taken (RetryGenerateName, GA in 1.32).
    let name = `${rs.metadata.name}-${this.rng.suffix(5)}`;
    while (this.pods.items.has(`${rs.metadata.namespace}/${name}`))
      name = `${rs.metadata.name}-${this.rng.suffix(5)}`;
    const pod: PodObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        generateName: intern(`${rs.metadata.name}-`),
        namespace: rs.metadata.namespace,
        labels: rs.spec.template.metadata?.labels,
        ...(rs.spec.template.metadata?.annotations
          ? { annotations: rs.spec.template.metadata.annotations }
          : {}),
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: rs.metadata.name,
            uid: rs.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: rs.spec.template.spec,
    };
    this.pods.assume(pod);
    this.client.request(
      { verb: 'create', resource: 'pods', namespace: rs.metadata.namespace, body: pod },
      (res) => {
        if (!('transport' in res) && res.code === 201) {
          this.pods.assume(res.body as PodObject);
          this.events.normal(rs, 'SuccessfulCreate', `Created pod: ${name}`);
          done(true);
        } else {
          // The create failed: forget the assumed pod and try again later.
          this.pods.items.delete(objectKey(pod));
          this.index(undefined, pod);
          this.queue.add(objectKey(rs), RETRY_MS);
          done(false);
        }
      },
    );
  }

  private deletePod(pod: PodObject, rs: ReplicaSetObject, done: () => void): void {
    this.events.normal(rs, 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    const now = rfc3339(this.sim.nowMs); // marks it terminating in our cache until the watch says so
    this.pods.assume({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: now } });
    this.client.request(
      { verb: 'delete', resource: 'pods', namespace: pod.metadata.namespace, name: pod.metadata.name },
      () => done(),
    );
  }

  private updateStatus(rs: ReplicaSetObject, active: number, ready: number): void {
    const status = {
      replicas: active,
      fullyLabeledReplicas: active,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    const cur = rs.status;
    if (
      cur &&
      cur.replicas === status.replicas &&
      cur.readyReplicas === status.readyReplicas &&
      cur.availableReplicas === status.availableReplicas &&
      cur.observedGeneration === status.observedGeneration
    ) {
      return;
    }
    const next: ReplicaSetObject = { ...rs, status };
    this.client.request(
      {
        verb: 'update',
        resource: 'replicasets',
        subresource: 'status',
        namespace: rs.metadata.namespace,
        name: rs.metadata.name,
        body: next,
      },
      (res) => {
        if ('transport' in res || res.code >= 300) this.queue.add(objectKey(rs), RETRY_MS);
        else this.replicaSets.assume(res.body as ReplicaSetObject);
      },
    );
  }
}

/** The pods a ReplicaSet controls, and how many of them are active and ready. */
interface OwnedPods {
  readonly keys: Set<string>;
  active: number;
  ready: number;
}

const EMPTY: OwnedPods = { keys: new Set(), active: 0, ready: 0 };

function count(owned: OwnedPods, pod: PodObject, sign: 1 | -1): void {
  if (!isPodActive(pod)) return;
  owned.active += sign;
  if (isPodReady(pod)) owned.ready += sign;
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}
