/** Small helpers for the scheduler's tests: build a cache, run a recorded cycle, read scores. */
import type { NodeObject, PodObject } from '../api/types';
import { Rng } from '../kernel/rng';
import { SchedulerCache } from './cache';
import { type NodeAttempt, type ScheduleResult, schedulePod } from './schedule';

export function cacheWith(nodes: readonly NodeObject[], pods: readonly PodObject[] = []): SchedulerCache {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.updateNode(n);
  for (const p of pods) cache.addPod(p);
  return cache;
}

/** One cycle over every node (percentageOfNodesToScore 100), with the per-node record. */
export function trace(cache: SchedulerCache, pod: PodObject, seed = 1): ScheduleResult {
  return schedulePod(pod, cache, {
    rng: new Rng(seed),
    state: { nextStartNodeIndex: 0 },
    percentageOfNodesToScore: 100,
    record: true,
  });
}

export function nodeRecord(r: ScheduleResult, node: string): NodeAttempt {
  const n = r.attempt.nodes?.find((x) => x.node === node);
  if (!n) throw new Error(`node ${node} not in the attempt`);
  return n;
}

/** { raw, normalized, weighted } of one plugin on one node. */
export function pluginScore(
  r: ScheduleResult,
  node: string,
  plugin: string,
): { raw: number; normalized: number; weighted: number; ran: boolean } {
  const s = nodeRecord(r, node).scores?.find((x) => x.plugin === plugin);
  if (!s) throw new Error(`no ${plugin} score for ${node}`);
  return { raw: s.raw, normalized: s.normalized, weighted: s.weighted, ran: s.ran };
}

/** Normalised scores of one plugin for the given nodes. */
export function normalized(r: ScheduleResult, plugin: string, nodes: readonly string[]): number[] {
  return nodes.map((n) => pluginScore(r, n, plugin).normalized);
}

export function raw(r: ScheduleResult, plugin: string, nodes: readonly string[]): number[] {
  return nodes.map((n) => pluginScore(r, n, plugin).raw);
}
