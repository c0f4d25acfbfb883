/**
 * The scheduling framework's extension points, shaped for speed: one call per plugin per pod per
 * batch of nodes (not one per node), typed arrays in and out, and filter verdicts as small integers
 * that index an interned table of (plugin, reasons, code). kube-scheduler's names and semantics are
 * kept: PreFilter/PreScore may Skip a plugin for the pod, Filter stops at the first failing plugin,
 * NormalizeScore maps a plugin's raw scores to 0..MaxNodeScore before weighting.
 */
import type { SchedulerCache } from './cache';
import type { PodInfo } from './podInfo';

/** framework.MaxNodeScore. */
export const MAX_NODE_SCORE = 100;

/** Status codes a filter can fail with (framework.Code). */
export type FailureCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface FilterFailure {
  readonly id: number;
  readonly plugin: string;
  /** The reasons as they appear in the FailedScheduling message (NodeResourcesFit can give several). */
  readonly reasons: readonly string[];
  /** UnschedulableAndUnresolvable: preemption cannot help on this node. */
  readonly code: FailureCode;
}

const failures: FilterFailure[] = [{ id: 0, plugin: '', reasons: [], code: 'Unschedulable' }];
const failureIds = new Map<string, number>();

/**
 * The id of a (plugin, reasons, code) failure, creating it on first use. Id 0 means "passed".
 * Plugins intern their fixed reasons once at construction and per-taint reasons per node update.
 */
export function failureId(plugin: string, reasons: readonly string[], code: FailureCode): number {
  const key = `${plugin}\u0001${code}\u0001${reasons.join('\u0002')}`;
  let id = failureIds.get(key);
  if (id === undefined) {
    id = failures.length;
    failures.push({ id, plugin, reasons: [...reasons], code });
    failureIds.set(key, id);
  }
  return id;
}

export function failureById(id: number): FilterFailure {
  const f = failures[id];
  if (!f) throw new Error(`unknown filter failure ${id}`);
  return f;
}

/** Per-cycle state shared by the plugins (kube-scheduler's CycleState plus the pod). */
export interface CycleContext {
  readonly cache: SchedulerCache;
  readonly info: PodInfo;
  /** Number of nodes in the snapshot. */
  readonly numAllNodes: number;
}

export interface FilterPlugin {
  readonly name: string;
  /** PreFilter. Returns false to Skip the plugin's Filter for this pod. */
  preFilter(ctx: CycleContext): boolean;
  /**
   * Filter for `nodes[0..count)`: for each i whose `verdicts[i]` is still 0, write 0 (fits) or the
   * failure id. Nodes that an earlier plugin rejected must be left alone.
   */
  filter(ctx: CycleContext, nodes: Int32Array, verdicts: Int32Array, count: number): void;
}

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  /** PreScore over the feasible nodes. Returns false to Skip (the plugin then adds 0 to every node). */
  preScore(ctx: CycleContext, nodes: Int32Array, count: number): boolean;
  /** Raw scores of `nodes[0..count)` into `out`. */
  score(ctx: CycleContext, nodes: Int32Array, count: number, out: Float64Array): void;
  /** NormalizeScore in place (plugins without ScoreExtensions leave the scores as they are). */
  normalize(ctx: CycleContext, nodes: Int32Array, count: number, scores: Float64Array): void;
  /**
   * Optional shortcut, asked after PreScore: the normalised score when it is the same on every
   * feasible node this cycle (e.g. TaintToleration with no PreferNoSchedule taint anywhere: 100),
   * so the framework adds it once instead of scoring node by node. Undefined = score normally.
   */
  uniformScore?(ctx: CycleContext): { readonly raw: number; readonly normalized: number } | undefined;
  /**
   * Optional shortcut: score, normalise and add `weight × normalised score` straight into `totals`
   * (same result as score + normalize + weighting, in fewer passes). Used when no record is kept.
   */
  /**
   * Optional, for plugins without NormalizeScore whose score of a node depends only on that node's
   * aggregates (cache.nodeVersion) and a few numbers about the pod: push those numbers to `out`.
   * The framework then memoises each node's weighted sum of such plugins per (node version, pod
   * numbers) across cycles. Must come with `nodeScore`.
   */
  nodeLocalKey?(ctx: CycleContext, out: number[]): void;
  /** The raw (= final) score of one node slot; see `nodeLocalKey`. */
  nodeScore?(ctx: CycleContext, slot: number): number;
  addWeighted?(
    ctx: CycleContext,
    nodes: Int32Array,
    count: number,
    totals: Float64Array,
    weight: number,
  ): void;
}

/** Go's integer division for non-negative operands kept in doubles. */
export function idiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

/**
 * helper.DefaultNormalizeScore: scale to 0..100 by the maximum (integer division); all 0 stays 0,
 * or becomes 100 when reversed; `reverse` flips high and low.
 */
export function defaultNormalizeScore(scores: Float64Array, count: number, reverse: boolean): void {
  let max = 0;
  for (let i = 0; i < count; i++) if (scores[i]! > max) max = scores[i]!;
  if (max === 0) {
    if (reverse) for (let i = 0; i < count; i++) scores[i] = MAX_NODE_SCORE;
    return;
  }
  for (let i = 0; i < count; i++) {
    const s = Math.trunc((MAX_NODE_SCORE * scores[i]!) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}
