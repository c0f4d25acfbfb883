import { type JobCondition, type JobObject, type JobStatus, jobFinished } from '../api/batchTypes';
import type { PodObject, PodSpec } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import { EventRecorder } from '../client/eventRecorder';
import { type Informer, objectKey } from '../client/informer';
import type { Rng } from '../kernel/rng';
import type { Sim } from '../kernel/sim';
import { parseSimTime, rfc3339 } from '../kernel/time';
import { narrate } from '../kernel/trace';
import {
  completionIndexOf,
  firstPendingIndexes,
  formatIndexes,
  JOB_COMPLETION_INDEX,
  JOB_COMPLETION_INDEX_ENV,
  parseIndexes,
} from './jobIndexes';
import { controllerOf, isPodReady } from './replicaSetController';
import { WorkQueue } from './workQueue';

/** The job controller's pod-failure back-off: 10 s, doubling per failure, capped at 6 minutes. */
export const JOB_BACKOFF_INITIAL_MS = 10_000;
export const JOB_BACKOFF_MAX_MS = 360_000;
const RETRY_MS = 1000;

const COMPLETIONS_REACHED = 'Reached expected number of succeeded pods';
const BACKOFF_LIMIT_EXCEEDED = 'Job has reached the specified backoff limit';
const DEADLINE_EXCEEDED = 'Job was active longer than specified deadline';

/**
 * The Job controller (pkg/controller/job): keeps up to `parallelism` pods running until
 * `completions` of them have succeeded, replacing failed ones after a back-off, and gives up once
 * more than `backoffLimit` have failed (or, with restartPolicy OnFailure, the containers have
 * restarted that often) or the Job has been active for `activeDeadlineSeconds`. Indexed Jobs give
 * each pod a completion index (annotation, label, hostname, JOB_COMPLETION_INDEX) and count
 * completions per index (`status.completedIndexes`). A suspended Job deletes its pods (condition
 * Suspended); a resumed one starts its clock again. Finished Jobs get SuccessCriteriaMet + Complete
 * (with completionTime), or FailureTarget at once and Failed when no pod is left terminating, as
 * kube-controller-manager v1.32 writes them.
 */
export class JobController {
  private readonly queue: WorkQueue;
  private readonly events: EventRecorder;
  /** Pod keys per controlling Job uid. */
  private readonly podsByOwner = new Map<string, Set<string>>();
  /** Pod creations in flight per Job key: no new ones until they are answered. */
  private readonly creating = new Map<string, number>();
  /** When each Job key is due for its activeDeadlineSeconds sync. */
  private readonly timers = new Map<string, number>();
  /**
   * Condition changes in flight per Job key: a sync waits for the answer (the real controller's
   * sync is one synchronous pass per key), so a Job is not failed, completed or suspended twice;
   * keys asked for meanwhile sync after it.
   */
  private readonly updating = new Set<string>();
  private readonly dirty = new Set<string>();
  /** Per Job uid, the pods deleted because the Job failed: counted as failed (their finalizer's count). */
  private readonly failedOnFinish = new Map<string, Set<string>>();

  constructor(
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly rng: Rng,
    private readonly jobs: Informer<JobObject>,
    private readonly pods: Informer<PodObject>,
  ) {
    this.queue = new WorkQueue(sim, (key) => this.sync(key));
    this.events = new EventRecorder(client, sim, { component: 'job-controller' });
    jobs.onChange((e, job) => {
      if (e === 'deleted') this.failedOnFinish.delete(job.metadata.uid ?? '');
      this.queue.add(objectKey(job));
    });
    pods.onChange((event, pod, old) => {
      if (old) this.podsByOwner.get(controllerOf(old) ?? '')?.delete(objectKey(old));
      const ref = pod.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Job');
      if (!ref) return;
      if (event !== 'deleted') {
        let set = this.podsByOwner.get(ref.uid);
        if (!set) this.podsByOwner.set(ref.uid, (set = new Set()));
        set.add(objectKey(pod));
      }
      this.queue.add(`${pod.metadata.namespace}/${ref.name}`);
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private ownedPods(job: JobObject): PodObject[] {
    const out: PodObject[] = [];
    for (const k of this.podsByOwner.get(job.metadata.uid ?? '') ?? []) {
      const p = this.pods.items.get(k);
      if (p && controllerOf(p) === job.metadata.uid) out.push(p);
    }
    return out;
  }

  private sync(key: string): void {
    const job = this.jobs.items.get(key);
    if (!job || !this.pods.synced || job.metadata.deletionTimestamp || jobFinished(job)) return;
    if (this.updating.has(key)) {
      this.dirty.add(key);
      return;
    }
    const spec = job.spec;
    const indexed = spec.completionMode === 'Indexed';
    const completions = spec.completions;
    const terminal = (p: PodObject): boolean =>
      p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
    // An Indexed Job tracks only the pods whose index is valid (getValidPodsWithFilter).
    const validIndex = (p: PodObject): boolean => {
      if (!indexed) return true;
      const ix = completionIndexOf(p);
      return ix >= 0 && ix < (completions ?? 0);
    };
    const pods = this.ownedPods(job);
    const active = pods.filter((p) => !terminal(p) && !p.metadata.deletionTimestamp);
    const terminating = pods.filter((p) => !terminal(p) && p.metadata.deletionTimestamp).length;
    const failedPods = pods.filter((p) => p.status?.phase === 'Failed' && validIndex(p));
    let succeeded: number;
    let succeededIndexes: Set<number> | undefined;
    if (indexed) {
      succeededIndexes = parseIndexes(job.status?.completedIndexes, completions ?? 0);
      for (const p of pods)
        if (p.status?.phase === 'Succeeded' && validIndex(p)) succeededIndexes.add(completionIndexOf(p));
      succeeded = succeededIndexes.size;
    } else {
      succeeded = Math.max(
        job.status?.succeeded ?? 0,
        pods.filter((p) => p.status?.phase === 'Succeeded').length,
      );
    }
    const deletedOnFailure = this.failedOnFinish.get(job.metadata.uid ?? '') ?? new Set<string>();
    const countFailed = (): number => {
      let n = deletedOnFailure.size;
      for (const p of failedPods) if (!deletedOnFailure.has(p.metadata.uid ?? '')) n++;
      return Math.max(job.status?.failed ?? 0, n);
    };
    const nowMs = this.sim.nowMs;
    const now = rfc3339(nowMs);
    const backoffLimit = spec.backoffLimit ?? 6;
    const suspended = spec.suspend === true;
    let conditions: JobCondition[] = [...(job.status?.conditions ?? [])];
    // Set on first start only, never while suspended (a resume sets it again).
    let startTime = job.status?.startTime ?? (suspended ? undefined : now);
    const restarts = active.reduce(
      (n, p) => n + (p.status?.containerStatuses ?? []).reduce((m, c) => m + c.restartCount, 0),
      0,
    );
    const onFailure = spec.template.spec.restartPolicy === 'OnFailure';
    // The reason the Job is failing: a FailureTarget already written, the back-off limit, the deadline.
    let failure: { reason: string; message: string } | undefined;
    let failed = countFailed();
    const target = conditions.find((c) => c.type === 'FailureTarget' && c.status === 'True');
    if (target) failure = { reason: target.reason ?? '', message: target.message ?? '' };
    else if (
      failed > backoffLimit ||
      (onFailure && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit))
    )
      failure = { reason: 'BackoffLimitExceeded', message: BACKOFF_LIMIT_EXCEEDED };
    else if (spec.activeDeadlineSeconds !== undefined && startTime && !suspended) {
      const left = parseSimTime(startTime) + spec.activeDeadlineSeconds * 1000 - nowMs;
      if (left <= 0) failure = { reason: 'DeadlineExceeded', message: DEADLINE_EXCEEDED };
      else this.syncAt(key, nowMs + left);
    }
    const done = completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0;
    let activeCount = active.length;
    let terminatingCount = terminating;
    let completionTime: string | undefined;
    if (failure) {
      // Running pods are deleted and, the Job being finished, counted as failed; the Failed
      // condition follows the interim FailureTarget once no pod is terminating.
      for (const p of active) {
        this.deletePod(job, p);
        deletedOnFailure.add(p.metadata.uid ?? '');
      }
      if (deletedOnFailure.size > 0) this.failedOnFinish.set(job.metadata.uid ?? '', deletedOnFailure);
      failed = countFailed();
      activeCount = 0;
      terminatingCount += active.length;
      if (!target) conditions.push(this.condition('FailureTarget', failure.reason, failure.message, now));
      if (terminatingCount === 0) {
        conditions.push(this.condition('Failed', failure.reason, failure.message, now));
        this.events.warning(job, failure.reason, failure.message);
        narrate(
          this.sim.trace,
          nowMs,
          failure.reason === 'DeadlineExceeded'
            ? `The Job controller failed ${job.metadata.name}: it ran longer than activeDeadlineSeconds (${spec.activeDeadlineSeconds}s).`
            : `The Job controller gave up on ${job.metadata.name}: ${failed} pods failed.`,
        );
      }
    } else if (done) {
      for (const p of active) this.deletePod(job, p);
      activeCount = 0;
      conditions.push(
        this.condition('SuccessCriteriaMet', 'CompletionsReached', COMPLETIONS_REACHED, now),
        this.condition('Complete', 'CompletionsReached', COMPLETIONS_REACHED, now),
      );
      completionTime = now;
      this.events.normal(job, 'Completed', 'Job completed');
      narrate(this.sim.trace, nowMs, `The Job controller saw ${job.metadata.name} complete.`);
    } else if (suspended) {
      // A suspended Job keeps no pods running; their deletion does not count as a failure.
      for (const p of active) this.deletePod(job, p);
      terminatingCount += active.length;
      activeCount = 0;
      const changed = ensureCondition(conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
      if (changed) {
        conditions = changed;
        this.events.normal(job, 'Suspended', 'Job suspended');
        narrate(this.sim.trace, nowMs, `The Job controller suspended ${job.metadata.name}.`);
      }
    } else {
      const changed = ensureCondition(conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
      if (changed) {
        conditions = changed;
        this.events.normal(job, 'Resumed', 'Job resumed');
        // activeDeadlineSeconds counts from the resume.
        startTime = now;
        if (spec.activeDeadlineSeconds !== undefined)
          this.syncAt(key, nowMs + spec.activeDeadlineSeconds * 1000);
      }
      activeCount = this.manage(job, key, active, failedPods, failed, succeeded, succeededIndexes);
    }
    const status: Mutable<JobStatus> = {
      ...(conditions.length > 0 ? { conditions } : {}),
      ...(startTime ? { startTime } : {}),
      ...(completionTime ? { completionTime } : {}),
    };
    if (activeCount > 0) status.active = activeCount;
    if (failed > 0) status.failed = failed;
    status.ready = activeCount === 0 ? 0 : active.filter(isPodReady).length;
    if (succeeded > 0) status.succeeded = succeeded;
    if (succeededIndexes && succeededIndexes.size > 0)
      status.completedIndexes = formatIndexes(succeededIndexes);
    status.terminating = terminatingCount;
    status.uncountedTerminatedPods = {};
    this.updateStatus(job, status);
  }

  /**
   * manageJob: creates pods up to min(parallelism, remaining completions) after the failure
   * back-off, or deletes the surplus; an Indexed Job gives each new pod the first pending index
   * and removes pods that repeat an index. Returns the active count it leaves.
   */
  private manage(
    job: JobObject,
    key: string,
    active: readonly PodObject[],
    failedPods: readonly PodObject[],
    failed: number,
    succeeded: number,
    succeededIndexes: Set<number> | undefined,
  ): number {
    const spec = job.spec;
    const parallelism = spec.parallelism ?? 1;
    const want = Math.max(0, Math.min(parallelism, (spec.completions ?? 1) - succeeded));
    let live = active;
    if (succeededIndexes) {
      // Duplicated, out-of-range or missing indexes are removed first (appendDuplicatedIndexPodsForRemoval).
      const seen = new Set<number>();
      const remove: PodObject[] = [];
      const keep: PodObject[] = [];
      for (const p of [...active].sort((a, b) => completionIndexOf(a) - completionIndexOf(b))) {
        const ix = completionIndexOf(p);
        if (ix < 0 || ix >= (spec.completions ?? 0) || seen.has(ix)) remove.push(p);
        else {
          seen.add(ix);
          keep.push(p);
        }
      }
      if (remove.length > 0) {
        for (const p of remove) this.deletePod(job, p);
        return keep.length;
      }
      live = keep;
    }
    const diff = want - live.length;
    if (diff > 0 && !(this.creating.get(key) ?? 0)) {
      const wait = this.backoffRemaining(failedPods, failed);
      if (wait > 0) {
        this.queue.add(key, wait);
        return live.length;
      }
      if (succeededIndexes) {
        const taken = new Set(succeededIndexes);
        for (const p of live) taken.add(completionIndexOf(p));
        const indexes = firstPendingIndexes(diff, spec.completions ?? 0, taken);
        for (const ix of indexes) this.createPod(job, key, ix);
        return live.length + indexes.length;
      }
      for (let i = 0; i < diff; i++) this.createPod(job, key);
      return live.length + diff;
    }
    if (diff < 0) {
      for (const p of live.slice(diff)) this.deletePod(job, p);
      return want;
    }
    return live.length;
  }

  /** Syncs the Job again at `atMs` (activeDeadlineSeconds), once per instant however often asked. */
  private syncAt(key: string, atMs: number): void {
    const at = this.timers.get(key);
    if (at !== undefined && at > this.sim.nowMs && at <= atMs) return;
    this.timers.set(key, atMs);
    this.sim.schedule(Math.max(0, atMs - this.sim.nowMs), () => {
      if (this.timers.get(key) === atMs) this.timers.delete(key);
      this.queue.add(key);
    });
  }

  /** How long until a replacement may be created after the latest failure (backoffRecord). */
  private backoffRemaining(failedPods: readonly PodObject[], failures: number): number {
    if (failures === 0) return 0;
    let last = Number.NEGATIVE_INFINITY;
    for (const p of failedPods)
      for (const c of p.status?.containerStatuses ?? []) {
        const at = parseSimTime(c.state.terminated?.finishedAt ?? '');
        if (at > last) last = at;
      }
    if (last === Number.NEGATIVE_INFINITY) return 0;
    const backoff = Math.min(JOB_BACKOFF_MAX_MS, JOB_BACKOFF_INITIAL_MS * 2 ** (failures - 1));
    return Math.max(0, last + backoff - this.sim.nowMs);
  }

  private condition(type: JobCondition['type'], reason: string, message: string, now: string): JobCondition {
    return { type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason, message };
  }

  private createPod(job: JobObject, key: string, index?: number): void {
    const ns = job.metadata.namespace;
    // An Indexed Job's pods are generated as `<job>-<index>-<suffix>`.
    const prefix = index === undefined ? `${job.metadata.name}-` : `${job.metadata.name}-${index}-`;
    let name = `${prefix}${this.rng.suffix(5)}`;
    while (this.pods.items.has(`${ns}/${name}`)) name = `${prefix}${this.rng.suffix(5)}`;
    const template = job.spec.template;
    const labels =
      index === undefined
        ? template.metadata?.labels
        : { ...template.metadata?.labels, [JOB_COMPLETION_INDEX]: String(index) };
    const annotations =
      index === undefined
        ? template.metadata?.annotations
        : { ...template.metadata?.annotations, [JOB_COMPLETION_INDEX]: String(index) };
    const pod: PodObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        generateName: prefix,
        namespace: ns,
        ...(labels ? { labels } : {}),
        ...(annotations ? { annotations } : {}),
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            name: job.metadata.name,
            uid: job.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec:
        index === undefined ? template.spec : indexedPodSpec(template.spec, `${job.metadata.name}-${index}`),
    };
    this.creating.set(key, (this.creating.get(key) ?? 0) + 1);
    this.pods.assume(pod);
    this.client.request({ verb: 'create', resource: 'pods', namespace: ns, body: pod }, (res) => {
      this.creating.set(key, (this.creating.get(key) ?? 1) - 1);
      if (!('transport' in res) && res.code === 201) {
        this.pods.assume(res.body as PodObject);
        this.events.normal(job, 'SuccessfulCreate', `Created pod: ${name}`);
      } else {
        this.pods.items.delete(objectKey(pod));
        this.podsByOwner.get(job.metadata.uid ?? '')?.delete(objectKey(pod));
        this.queue.add(key, RETRY_MS);
      }
    });
  }

  private deletePod(job: JobObject, pod: PodObject): void {
    this.pods.assume({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: rfc3339(this.sim.nowMs) } });
    this.events.normal(job, 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    this.client.request(
      { verb: 'delete', resource: 'pods', namespace: pod.metadata.namespace, name: pod.metadata.name },
      () => {},
    );
  }

  private updateStatus(job: JobObject, status: JobStatus): void {
    if (JSON.stringify(job.status ?? {}) === JSON.stringify(status)) return;
    const key = objectKey(job);
    if (JSON.stringify(job.status?.conditions ?? []) !== JSON.stringify(status.conditions ?? []))
      this.updating.add(key);
    this.client.request(
      {
        verb: 'update',
        resource: 'jobs',
        namespace: job.metadata.namespace,
        name: job.metadata.name,
        body: { ...job, status },
      },
      (res) => {
        this.updating.delete(key);
        if ('transport' in res || res.code >= 300) this.queue.add(key, RETRY_MS);
        else this.jobs.assume(res.body as JobObject);
        if (this.dirty.delete(key)) this.queue.add(key);
      },
    );
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * ensureJobConditionStatus: sets the condition of that type (new times) when its status, reason
 * or message differ; a False condition is never added where there was none. The new list, or
 * undefined when nothing changed.
 */
function ensureCondition(
  list: readonly JobCondition[],
  type: JobCondition['type'],
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: string,
): JobCondition[] | undefined {
  const next: JobCondition = { type, status, lastProbeTime: now, lastTransitionTime: now, reason, message };
  const i = list.findIndex((c) => c.type === type);
  if (i < 0) return status === 'False' ? undefined : [...list, next];
  const c = list[i] as JobCondition;
  if (c.status === status && c.reason === reason && c.message === message) return undefined;
  return list.map((x, j) => (j === i ? next : x));
}

type EnvVar = { name: string; value?: string; valueFrom?: { fieldRef: { fieldPath: string } } };

/**
 * The pod spec of one index: hostname `<job>-<index>` and, in every container that does not set
 * it, JOB_COMPLETION_INDEX from the index label (addCompletionIndexEnvVariables, PodIndexLabel on).
 */
function indexedPodSpec(spec: PodSpec, hostname: string): PodSpec {
  const withEnv = <C extends { env?: readonly EnvVar[] }>(c: C): C =>
    (c.env ?? []).some((e) => e.name === JOB_COMPLETION_INDEX_ENV)
      ? c
      : {
          ...c,
          env: [
            ...(c.env ?? []),
            {
              name: JOB_COMPLETION_INDEX_ENV,
              valueFrom: { fieldRef: { fieldPath: `metadata.labels['${JOB_COMPLETION_INDEX}']` } },
            },
          ],
        };
  const s = spec as PodSpec & { initContainers?: readonly { env?: readonly EnvVar[] }[]; hostname?: string };
  return {
    ...s,
    ...(s.initContainers ? { initContainers: s.initContainers.map(withEnv) } : {}),
    containers: s.containers.map((c) => withEnv(c as typeof c & { env?: readonly EnvVar[] })),
    hostname,
  } as PodSpec;
}
