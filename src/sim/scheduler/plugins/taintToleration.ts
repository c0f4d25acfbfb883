/**
 * TaintToleration.
 * Filter: the node's first NoSchedule/NoExecute taint (in node order) that no toleration tolerates
 * rejects it: `node(s) had untolerated taint {key: value}` (UnschedulableAndUnresolvable).
 * Score (weight 3): raw = number of PreferNoSchedule taints not tolerated by the pod's tolerations
 * whose effect is PreferNoSchedule or empty; normalised with DefaultNormalizeScore reversed, so the
 * node with the most intolerable taints gets 0 and nodes with none get 100.
 */
import type { Taint, Toleration } from '../../api/types';
import {
  type CycleContext,
  defaultNormalizeScore,
  type FilterPlugin,
  failureId,
  type ScorePlugin,
} from '../framework';
import { tolerationsTolerateTaint, untoleratedTaintReason } from '../taints';

const NAME = 'TaintToleration';
const taintFailures = new WeakMap<Taint, number>();
const UNIFORM_CLEAN = { raw: 0, normalized: 100 } as const;

function taintFailure(t: Taint): number {
  let id = taintFailures.get(t);
  if (id === undefined) {
    id = failureId(NAME, [untoleratedTaintReason(t)], 'UnschedulableAndUnresolvable');
    taintFailures.set(t, id);
  }
  return id;
}

export class TaintToleration implements FilterPlugin, ScorePlugin {
  readonly name = NAME;
  readonly weight: number;
  private preferTolerations: readonly Toleration[] = [];

  constructor(weight = 3) {
    this.weight = weight;
  }

  preFilter(ctx: CycleContext): boolean {
    return ctx.cache.numNodesWithHardTaints > 0;
  }

  filter(ctx: CycleContext, nodes: Int32Array, verdicts: Int32Array, count: number): void {
    const hard = ctx.cache.hardTaints;
    const tol = ctx.info.tolerations;
    for (let i = 0; i < count; i++) {
      if (verdicts[i] !== 0) continue;
      const taints = hard[nodes[i]!];
      if (!taints) continue;
      for (const t of taints) {
        if (!tolerationsTolerateTaint(tol, t)) {
          verdicts[i] = taintFailure(t);
          break;
        }
      }
    }
  }

  preScore(ctx: CycleContext): boolean {
    this.preferTolerations =
      ctx.cache.numNodesWithPreferNoSchedule === 0
        ? []
        : ctx.info.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    return true;
  }

  /** No PreferNoSchedule taint on any node: raw 0 everywhere, normalised (reversed) to 100. */
  uniformScore(ctx: CycleContext): { raw: number; normalized: number } | undefined {
    return ctx.cache.numNodesWithPreferNoSchedule === 0 ? UNIFORM_CLEAN : undefined;
  }

  score(ctx: CycleContext, nodes: Int32Array, count: number, out: Float64Array): void {
    const prefer = ctx.cache.preferTaints;
    const none = ctx.cache.numNodesWithPreferNoSchedule === 0;
    for (let i = 0; i < count; i++) {
      let n = 0;
      const taints = none ? null : prefer[nodes[i]!];
      if (taints) for (const t of taints) if (!tolerationsTolerateTaint(this.preferTolerations, t)) n++;
      out[i] = n;
    }
  }

  normalize(_ctx: CycleContext, _nodes: Int32Array, count: number, scores: Float64Array): void {
    defaultNormalizeScore(scores, count, true);
  }
}
