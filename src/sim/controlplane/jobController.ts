import { type JobCondition, type JobObject, type JobStatus, jobFinished } from '../api/batchTypes';
import type { PodObject } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import { EventRecorder } from '../client/eventRecorder';
import { type Informer, objectKey } from '../client/informer';
import type { Rng } from '../kernel/rng';
import type { Sim } from '../kernel/sim';
import { parseSimTime, rfc3339 } from '../kernel/time';
import { narrate } from '../kernel/trace';
import { controllerOf, isPodReady } from './replicaSetController';
import { WorkQueue } from './workQueue';

/** The job controller's pod-failure back-off: 10 s, doubling per failure, capped at 6 minutes. */
export const JOB_BACKOFF_INITIAL_MS = 10_000;
export const JOB_BACKOFF_MAX_MS = 360_000;
const RETRY_MS = 1000;

const COMPLETIONS_REACHED = 'Reached expected number of succeeded pods';
const BACKOFF_LIMIT_EXCEEDED = 'Job has reached the specified backoff limit';

/**
 * The Job controller (pkg/controller/job), NonIndexed completion: keeps up to `parallelism` pods
 * running until `completions` of them have succeeded, replacing failed ones after a back-off,
 * and gives up once more than `backoffLimit` have failed (or, with restartPolicy OnFailure, the
 * containers have restarted that often). Finished Jobs get SuccessCriteriaMet + Complete (with
 * completionTime) or FailureTarget + Failed, as kube-controller-manager v1.32 writes them.
 */
export class JobController {
  private readonly queue: WorkQueue;
  private readonly events: EventRecorder;
  /** Pod keys per controlling Job uid. */
  private readonly podsByOwner = new Map<string, Set<string>>();
  /** Pod creations in flight per Job key: no new ones until they are answered. */
  private readonly creating = new Map<string, number>();

  constructor(
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly rng: Rng,
    private readonly jobs: Informer<JobObject>,
    private readonly pods: Informer<PodObject>,
  ) {
    this.queue = new WorkQueue(sim, (key) => this.sync(key));
    this.events = new EventRecorder(client, sim, { component: 'job-controller' });
    jobs.onChange((_e, job) => this.queue.add(objectKey(job)));
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
    const pods = this.ownedPods(job);
    const terminal = (p: PodObject): boolean =>
      p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
    const active = pods.filter((p) => !terminal(p) && !p.metadata.deletionTimestamp);
    const terminating = pods.filter((p) => !terminal(p) && p.metadata.deletionTimestamp).length;
    const failedPods = pods.filter((p) => p.status?.phase === 'Failed');
    const succeeded = Math.max(
      job.status?.succeeded ?? 0,
      pods.filter((p) => p.status?.phase === 'Succeeded').length,
    );
    const failed = Math.max(job.status?.failed ?? 0, failedPods.length);
    const now = rfc3339(this.sim.nowMs);
    const spec = job.spec;
    const completions = spec.completions;
    const parallelism = spec.parallelism ?? 1;
    const backoffLimit = spec.backoffLimit ?? 6;
    const status: Mutable<JobStatus> = {
      ...(job.status?.conditions ? { conditions: job.status.conditions } : {}),
      startTime: job.status?.startTime ?? now,
    };
    const restarts = active.reduce(
      (n, p) => n + (p.status?.containerStatuses ?? []).reduce((m, c) => m + c.restartCount, 0),
      0,
    );
    const onFailure = spec.template.spec.restartPolicy === 'OnFailure';
    const exceeded =
      failed > backoffLimit || (onFailure && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit));
    const done = completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0;
    let activeCount = active.length;
    if (exceeded) {
      for (const p of active) this.deletePod(job, p);
      activeCount = 0;
      status.conditions = [
        ...(status.conditions ?? []),
        this.condition('FailureTarget', 'BackoffLimitExceeded', BACKOFF_LIMIT_EXCEEDED, now),
        this.condition('Failed', 'BackoffLimitExceeded', BACKOFF_LIMIT_EXCEEDED, now),
      ];
      this.events.warning(job, 'BackoffLimitExceeded', BACKOFF_LIMIT_EXCEEDED);
      narrate(
        this.sim.trace,
        this.sim.nowMs,
        `The Job controller gave up on ${job.metadata.name}: ${failed} pods failed.`,
      );
    } else if (done) {
      for (const p of active) this.deletePod(job, p);
      activeCount = 0;
      status.conditions = [
        ...(status.conditions ?? []),
        this.condition('SuccessCriteriaMet', 'CompletionsReached', COMPLETIONS_REACHED, now),
        this.condition('Complete', 'CompletionsReached', COMPLETIONS_REACHED, now),
      ];
      status.completionTime = now;
      this.events.normal(job, 'Completed', 'Job completed');
      narrate(this.sim.trace, this.sim.nowMs, `The Job controller saw ${job.metadata.name} complete.`);
    } else if (!spec.suspend) {
      const want = Math.max(0, Math.min(parallelism, (completions ?? 1) - succeeded));
      const diff = want - active.length;
      if (diff > 0 && !(this.creating.get(key) ?? 0)) {
        const wait = this.backoffRemaining(failedPods, failed);
        if (wait > 0) this.queue.add(key, wait);
        else {
          for (let i = 0; i < diff; i++) this.createPod(job, key);
          activeCount += diff;
        }
      } else if (diff < 0) {
        for (const p of active.slice(diff)) this.deletePod(job, p);
        activeCount = want;
      }
    }
    if (activeCount > 0) status.active = activeCount;
    if (failed > 0) status.failed = failed;
    status.ready = active.filter(isPodReady).length;
    if (succeeded > 0) status.succeeded = succeeded;
    status.terminating = terminating;
    status.uncountedTerminatedPods = {};
    this.updateStatus(job, status);
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

  private createPod(job: JobObject, key: string): void {
    const ns = job.metadata.namespace;
    let name = `${job.metadata.name}-${this.rng.suffix(5)}`;
    while (this.pods.items.has(`${ns}/${name}`)) name = `${job.metadata.name}-${this.rng.suffix(5)}`;
    const template = job.spec.template;
    const pod: PodObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        generateName: `${job.metadata.name}-`,
        namespace: ns,
        ...(template.metadata?.labels ? { labels: template.metadata.labels } : {}),
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
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
      spec: template.spec,
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
    this.client.request(
      {
        verb: 'update',
        resource: 'jobs',
        namespace: job.metadata.namespace,
        name: job.metadata.name,
        body: { ...job, status },
      },
      (res) => {
        if ('transport' in res || res.code >= 300) this.queue.add(objectKey(job), RETRY_MS);
        else this.jobs.assume(res.body as JobObject);
      },
    );
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
