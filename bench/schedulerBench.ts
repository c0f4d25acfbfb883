/**
 * Scheduler micro-benchmark (performance-targets.md S3): schedule `pods` pods onto `nodes` workers
 * spread over zones, one cycle per pod followed by assumePod, as kube-scheduler's loop does, and
 * report pods per wall second. The caller supplies the wall clock (`now`, a wall-clock reading):
 * the simulation core never reads one itself.
 *
 * Pod objects are built before timing starts (they arrive from the informer already built); their
 * parsing (requests, selectors) is inside the timing, as it is in a real cycle.
 */
import type { PodObject } from '../src/sim/api/types';
import { Rng } from '../src/sim/kernel/rng';
import { SchedulerCache } from '../src/sim/scheduler/cache';
import { makeNode, makePod } from '../src/sim/scheduler/fixtures';
import { schedulePod } from '../src/sim/scheduler/schedule';

export interface SchedulerBenchOptions {
  readonly nodes: number;
  readonly pods: number;
  /** Wall clock in milliseconds. */
  readonly now: () => number;
  readonly zones?: number;
  /** Worker allocatable (default 4 CPU / 8Gi / 110 pods). */
  readonly nodeCpu?: string;
  readonly nodeMemory?: string;
  /** Pod requests (default 100m / 128Mi). */
  readonly podCpu?: string;
  readonly podMemory?: string;
  /**
   * Pods per ReplicaSet. 0 (default): bare pods, no default topology spreading. N > 0: pods owned
   * by ReplicaSets of N replicas, so PodTopologySpread's system defaults (hostname + zone) score them.
   */
  readonly podsPerReplicaSet?: number;
  /** Fraction (0..1) of ReplicaSets whose pods carry required hostname anti-affinity. */
  readonly antiAffinityFraction?: number;
  /** 0 / absent = adaptive; 100 = full scan ("explain every node" mode). */
  readonly percentageOfNodesToScore?: number;
  /** Build the per-node attempt record for every pod. */
  readonly record?: boolean;
  readonly seed?: number;
}

export interface SchedulerBenchResult {
  readonly nodes: number;
  readonly pods: number;
  readonly scheduled: number;
  readonly unschedulable: number;
  readonly wallMs: number;
  readonly podsPerSecond: number;
  /** Mean nodes filtered per cycle. */
  readonly meanEvaluatedNodes: number;
}

/** Builds the cluster and the pending pods (untimed). */
export function benchSetup(o: SchedulerBenchOptions): { cache: SchedulerCache; pods: PodObject[] } {
  const zones = o.zones ?? 3;
  const cache = new SchedulerCache();
  for (let i = 0; i < o.nodes; i++) {
    cache.updateNode(
      makeNode({
        name: `worker-${i + 1}`,
        zone: `zone-${String.fromCharCode(97 + (i % zones))}`,
        cpu: o.nodeCpu ?? '4',
        memory: o.nodeMemory ?? '8Gi',
      }),
    );
  }
  const perRs = o.podsPerReplicaSet ?? 0;
  const antiEvery = o.antiAffinityFraction ? Math.max(1, Math.round(1 / o.antiAffinityFraction)) : 0;
  const pods: PodObject[] = [];
  for (let i = 0; i < o.pods; i++) {
    const rs = perRs > 0 ? Math.floor(i / perRs) : -1;
    const app = rs >= 0 ? `app-${rs}` : 'bare';
    const anti = rs >= 0 && antiEvery > 0 && rs % antiEvery === 0;
    pods.push(
      makePod({
        name: rs >= 0 ? `${app}-${i}` : `pod-${i}`,
        labels: { app, ...(rs >= 0 ? { 'pod-template-hash': `h${rs}` } : {}) },
        ...(rs >= 0 ? { replicaSet: `${app}-h${rs}` } : {}),
        cpu: o.podCpu ?? '100m',
        memory: o.podMemory ?? '128Mi',
        ...(anti
          ? {
              affinity: {
                podAntiAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: [
                    { labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' },
                  ],
                },
              },
            }
          : {}),
      }),
    );
  }
  return { cache, pods };
}

/** Runs the benchmark once and returns pods scheduled per wall second. */
export function benchScheduler(o: SchedulerBenchOptions): SchedulerBenchResult {
  const { cache, pods } = benchSetup(o);
  const rng = new Rng(o.seed ?? 1);
  const state = { nextStartNodeIndex: 0 };
  const opts = {
    rng,
    state,
    percentageOfNodesToScore: o.percentageOfNodesToScore ?? 0,
    record: o.record ?? false,
  };
  let scheduled = 0;
  let evaluated = 0;
  const t0 = o.now();
  for (const pod of pods) {
    const r = schedulePod(pod, cache, opts);
    evaluated += r.attempt.evaluatedNodes;
    if (r.nodeName !== undefined) {
      cache.assumePod(pod, r.nodeName);
      scheduled++;
    }
  }
  const wallMs = o.now() - t0;
  return {
    nodes: o.nodes,
    pods: pods.length,
    scheduled,
    unschedulable: pods.length - scheduled,
    wallMs,
    podsPerSecond: (pods.length / wallMs) * 1000,
    meanEvaluatedNodes: evaluated / pods.length,
  };
}
