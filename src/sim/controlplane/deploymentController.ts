import { podTemplateHash } from '../api/podTemplateHash';
import type { DeploymentCondition, DeploymentObject, ReplicaSetObject } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import { EventRecorder } from '../client/eventRecorder';
import { type Informer, objectKey } from '../client/informer';
import type { Sim } from '../kernel/sim';
import { rfc3339 } from '../kernel/time';
import { narrate } from '../kernel/trace';
import { controllerOf } from './replicaSetController';
import { WorkQueue } from './workQueue';

const RETRY_MS = 1000;
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const HASH_LABEL = 'pod-template-hash';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** intstr.GetScaledValueFromIntOrPercent: "25%" of `total`, rounded up for surge and down for unavailable. */
export function resolveIntOrPercent(
  v: number | string | undefined,
  total: number,
  roundUp: boolean,
  fallback: string,
): number {
  const value = v ?? fallback;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** maxSurge and maxUnavailable for a rolling update; both zero would stall, so unavailable becomes 1. */
export function rollingLimits(d: DeploymentObject): { maxSurge: number; maxUnavailable: number } {
  const replicas = d.spec.replicas ?? 1;
  const ru = d.spec.strategy?.rollingUpdate;
  const maxSurge = resolveIntOrPercent(ru?.maxSurge, replicas, true, '25%');
  let maxUnavailable = resolveIntOrPercent(ru?.maxUnavailable, replicas, false, '25%');
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

const specReplicas = (rs: ReplicaSetObject): number => rs.spec.replicas ?? 0;
const available = (rs: ReplicaSetObject): number => rs.status?.availableReplicas ?? 0;

/**
 * How many replicas the new ReplicaSet should have now (deployment util NewRSNewReplicas): grow it
 * as far as the surge allows, never past the desired count.
 */
export function newReplicaSetReplicas(
  desired: number,
  maxSurge: number,
  newReplicas: number,
  allReplicas: number,
): number {
  if (newReplicas >= desired) return desired;
  const room = desired + maxSurge - allReplicas;
  if (room <= 0) return newReplicas;
  return newReplicas + Math.min(room, desired - newReplicas);
}

/**
 * How many old replicas may be removed now (reconcileOldReplicaSets): keep at least
 * desired - maxUnavailable available, counting the new ReplicaSet's unavailable pods against it.
 */
export function oldReplicasToScaleDown(
  desired: number,
  maxUnavailable: number,
  allReplicas: number,
  newReplicas: number,
  newAvailable: number,
): number {
  const minAvailable = desired - maxUnavailable;
  const newUnavailable = newReplicas - newAvailable;
  return Math.max(0, allReplicas - minAvailable - newUnavailable);
}

/**
 * The Deployment controller with the RollingUpdate strategy: one ReplicaSet per pod template
 * (named after its pod-template-hash), the new one scaled up within maxSurge while old ones scale
 * down within maxUnavailable, revisions in annotations, and the status kubectl rollout reads.
 */
export class DeploymentController {
  private readonly queue: WorkQueue;
  private readonly events: EventRecorder;

  constructor(
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly deployments: Informer<DeploymentObject>,
    private readonly replicaSets: Informer<ReplicaSetObject>,
  ) {
    this.queue = new WorkQueue(sim, (key) => this.sync(key));
    this.events = new EventRecorder(client, sim, { component: 'deployment-controller' });
    deployments.onChange((_e, d) => this.queue.add(objectKey(d)));
    replicaSets.onChange((_e, rs) => {
      const owner = rs.metadata.ownerReferences?.find((r) => r.kind === 'Deployment' && r.controller);
      if (owner && controllerOf(rs)) this.queue.add(`${rs.metadata.namespace}/${owner.name}`);
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private owned(d: DeploymentObject): ReplicaSetObject[] {
    const out: ReplicaSetObject[] = [];
    for (const rs of this.replicaSets.items.values()) {
      if (rs.metadata.namespace === d.metadata.namespace && controllerOf(rs) === d.metadata.uid) out.push(rs);
    }
    return out.sort((a, b) => revisionOf(a) - revisionOf(b));
  }

  private sync(key: string): void {
    const d = this.deployments.items.get(key);
    if (!d || !this.replicaSets.synced || d.metadata.deletionTimestamp) return;
    const hash = podTemplateHash(d.spec.template);
    const all = this.owned(d);
    const newRS = all.find((rs) => rs.metadata.labels?.[HASH_LABEL] === hash);
    const olds = all.filter((rs) => rs !== newRS);
    const desired = d.spec.replicas ?? 1;
    const { maxSurge, maxUnavailable } = rollingLimits(d);
    const total = all.reduce((n, rs) => n + specReplicas(rs), 0);

    if (d.spec.paused) return this.updateStatus(d, newRS, all);
    if (!newRS) {
      const replicas = newReplicaSetReplicas(desired, maxSurge, 0, total);
      this.createReplicaSet(d, hash, replicas, Math.max(0, ...all.map(revisionOf)) + 1);
      return;
    }
    if (revisionOf(newRS) < Math.max(0, ...olds.map(revisionOf))) {
      // A rollback to an old template: it becomes the newest revision again, and so does the Deployment.
      const revision = Math.max(0, ...olds.map(revisionOf)) + 1;
      this.scale(d, newRS, specReplicas(newRS), revision);
      this.annotateRevision(d, revision);
      return;
    }
    const target = newReplicaSetReplicas(desired, maxSurge, specReplicas(newRS), total);
    if (target !== specReplicas(newRS)) {
      this.scale(d, newRS, target);
      return;
    }
    let budget = oldReplicasToScaleDown(
      desired,
      maxUnavailable,
      total,
      specReplicas(newRS),
      available(newRS),
    );
    for (const rs of olds) {
      if (budget <= 0) break;
      const cut = Math.min(budget, specReplicas(rs));
      if (cut > 0) {
        this.scale(d, rs, specReplicas(rs) - cut);
        budget -= cut;
      }
    }
    this.cleanup(d, olds);
    this.updateStatus(d, newRS, all);
  }

  private createReplicaSet(d: DeploymentObject, hash: string, replicas: number, revision: number): void {
    const labels = { ...d.spec.template.metadata?.labels, [HASH_LABEL]: hash };
    const rs: ReplicaSetObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas ?? 1),
          'deployment.kubernetes.io/max-replicas': String((d.spec.replicas ?? 1) + rollingLimits(d).maxSurge),
          [REVISION_ANNOTATION]: String(revision),
          // The change cause travels with the revision, for `kubectl rollout history`.
          ...(d.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION]
            ? { [CHANGE_CAUSE_ANNOTATION]: d.metadata.annotations[CHANGE_CAUSE_ANNOTATION] }
            : {}),
        },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: d.metadata.name,
            uid: d.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas,
        selector: {
          ...d.spec.selector,
          matchLabels: { ...d.spec.selector.matchLabels, [HASH_LABEL]: hash },
        },
        template: { ...d.spec.template, metadata: { ...d.spec.template.metadata, labels } },
      },
    };
    this.client.request(
      { verb: 'create', resource: 'replicasets', namespace: d.metadata.namespace, body: rs },
      (res) => {
        if (!('transport' in res) && res.code === 201) {
          this.replicaSets.assume(res.body as ReplicaSetObject);
          if (replicas > 0) {
            this.events.normal(
              d,
              'ScalingReplicaSet',
              `Scaled up replica set ${rs.metadata.name} from 0 to ${replicas}`,
            );
            narrate(
              this.sim.trace,
              this.sim.nowMs,
              `The Deployment controller created ReplicaSet ${rs.metadata.name} for ${d.metadata.name} and scaled it to ${replicas}.`,
            );
          }
        } else this.queue.add(objectKey(d), RETRY_MS);
      },
    );
    this.annotateRevision(d, revision);
  }

  private annotateRevision(d: DeploymentObject, revision: number): void {
    if (d.metadata.annotations?.[REVISION_ANNOTATION] === String(revision)) return;
    this.client.request(
      {
        verb: 'patch',
        resource: 'deployments',
        namespace: d.metadata.namespace,
        name: d.metadata.name,
        patch: { metadata: { annotations: { [REVISION_ANNOTATION]: String(revision) } } },
      },
      () => {},
    );
  }

  private scale(d: DeploymentObject, rs: ReplicaSetObject, replicas: number, revision?: number): void {
    const from = specReplicas(rs);
    const annotations = revision
      ? { ...rs.metadata.annotations, [REVISION_ANNOTATION]: String(revision) }
      : rs.metadata.annotations;
    const next: ReplicaSetObject = {
      ...rs,
      metadata: { ...rs.metadata, annotations },
      spec: { ...rs.spec, replicas },
    };
    const owner = rs.metadata.ownerReferences?.find((r) => r.kind === 'Deployment');
    // Nothing is assumed before the write lands: the ReplicaSet controller reads the same cache,
    // and must not act on a scale the API server may yet refuse (a status write can win the race).
    this.client.request(
      {
        verb: 'update',
        resource: 'replicasets',
        namespace: rs.metadata.namespace,
        name: rs.metadata.name,
        body: next,
      },
      (res) => {
        if ('transport' in res || res.code >= 300) {
          // The write failed (a conflict, most often): the next sync tries again.
          if (owner) this.queue.add(`${rs.metadata.namespace}/${owner.name}`, RETRY_MS);
        } else {
          this.replicaSets.assume(res.body as ReplicaSetObject);
          if (replicas !== from) {
            const dir = replicas > from ? 'up' : 'down';
            this.events.normal(
              d,
              'ScalingReplicaSet',
              `Scaled ${dir} replica set ${rs.metadata.name} from ${from} to ${replicas}`,
            );
            narrate(
              this.sim.trace,
              this.sim.nowMs,
              `The Deployment controller scaled ${rs.metadata.name} ${dir} from ${from} to ${replicas} (rolling out ${d.metadata.name}).`,
            );
          }
        }
      },
    );
  }

  /** revisionHistoryLimit: old ReplicaSets scaled to zero beyond the limit are deleted, oldest first. */
  private cleanup(d: DeploymentObject, olds: readonly ReplicaSetObject[]): void {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const idle = olds.filter((rs) => specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0);
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      this.client.request(
        { verb: 'delete', resource: 'replicasets', namespace: rs.metadata.namespace, name: rs.metadata.name },
        () => {},
      );
    }
  }

  /** When each Deployment last made progress (its updated or available count changed). */
  private readonly lastProgress = new Map<string, { signature: string; atMs: number }>();

  /**
   * The Progressing condition: paused, complete, still progressing, or stuck for longer than
   * spec.progressDeadlineSeconds (600 s by default) — the condition `kubectl rollout status` ends on.
   */
  private progressingCondition(
    d: DeploymentObject,
    rsName: string,
    complete: boolean,
    updated: number,
    availableNow: number,
  ): { status: DeploymentCondition['status']; reason: string; message: string } {
    if (d.spec.paused)
      return { status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' };
    if (complete) {
      return {
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${rsName}" has successfully progressed.`,
      };
    }
    const key = objectKey(d);
    const signature = `${rsName}|${updated}|${availableNow}`;
    const last = this.lastProgress.get(key);
    const deadlineMs = (d.spec.progressDeadlineSeconds ?? 600) * 1000;
    if (!last || last.signature !== signature) {
      this.lastProgress.set(key, { signature, atMs: this.sim.nowMs });
      // Look again once the deadline has passed, in case nothing else happens meanwhile.
      this.queue.add(key, deadlineMs + 1000);
    }
    const stuckMs = this.sim.nowMs - (this.lastProgress.get(key)?.atMs ?? this.sim.nowMs);
    if (stuckMs > deadlineMs) {
      return {
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: `ReplicaSet "${rsName}" has timed out progressing.`,
      };
    }
    return { status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` };
  }

  private updateStatus(
    d: DeploymentObject,
    newRS: ReplicaSetObject | undefined,
    all: readonly ReplicaSetObject[],
  ): void {
    const desired = d.spec.replicas ?? 1;
    const sum = (f: (rs: ReplicaSetObject) => number): number => all.reduce((n, rs) => n + f(rs), 0);
    const availableReplicas = sum(available);
    const updatedReplicas = newRS?.status?.replicas ?? 0;
    const replicas = sum((rs) => rs.status?.replicas ?? 0);
    const now = rfc3339(this.sim.nowMs);
    const { maxUnavailable } = rollingLimits(d);
    const isAvailable = availableReplicas >= desired - maxUnavailable;
    const complete =
      newRS !== undefined &&
      updatedReplicas === desired &&
      replicas === desired &&
      availableReplicas === desired;
    const rsName = newRS?.metadata.name ?? '';
    const progressing = this.progressingCondition(d, rsName, complete, updatedReplicas, availableReplicas);
    const conditions: DeploymentCondition[] = [
      condition(
        d,
        'Available',
        isAvailable ? 'True' : 'False',
        isAvailable ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
        isAvailable
          ? 'Deployment has minimum availability.'
          : 'Deployment does not have minimum availability.',
        now,
      ),
      condition(d, 'Progressing', progressing.status, progressing.reason, progressing.message, now),
    ];
    const status: DeploymentObject['status'] = {
      observedGeneration: d.metadata.generation ?? 1,
      replicas,
      updatedReplicas,
      readyReplicas: sum((rs) => rs.status?.readyReplicas ?? 0),
      availableReplicas,
      ...(desired - availableReplicas > 0 ? { unavailableReplicas: desired - availableReplicas } : {}),
      conditions,
    };
    if (JSON.stringify(status) === JSON.stringify(d.status)) return;
    this.client.request(
      {
        verb: 'update',
        resource: 'deployments',
        subresource: 'status',
        namespace: d.metadata.namespace,
        name: d.metadata.name,
        body: { ...d, status },
      },
      (res) => {
        if ('transport' in res || res.code >= 300) this.queue.add(objectKey(d), RETRY_MS);
      },
    );
  }
}

function revisionOf(rs: ReplicaSetObject): number {
  return Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
}

/** A condition keeps its lastTransitionTime while its status does not change. */
function condition(
  d: DeploymentObject,
  type: DeploymentCondition['type'],
  status: DeploymentCondition['status'],
  reason: string,
  message: string,
  now: string,
): DeploymentCondition {
  const prev = d.status?.conditions?.find((c) => c.type === type);
  const same = prev && prev.status === status && prev.reason === reason && prev.message === message;
  return {
    type,
    status,
    lastUpdateTime: same ? prev.lastUpdateTime : now,
    lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : now,
    reason,
    message,
  };
}
