/**
 * NodeAffinity.
 * Filter: spec.nodeSelector (every pair) AND requiredDuringSchedulingIgnoredDuringExecution (any
 * term; requirements inside a term ANDed): `node(s) didn't match Pod's node affinity/selector`.
 * Score (weight 2): raw = sum of the weights of the preferred terms the node matches; normalised
 * with DefaultNormalizeScore (100 × raw / max).
 */
import {
  type CycleContext,
  defaultNormalizeScore,
  type FilterPlugin,
  failureId,
  type ScorePlugin,
} from '../framework';

export const ERR_REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

export class NodeAffinity implements FilterPlugin, ScorePlugin {
  readonly name = 'NodeAffinity';
  readonly weight: number;
  private readonly failure = failureId(this.name, [ERR_REASON_NODE_AFFINITY], 'UnschedulableAndUnresolvable');

  constructor(weight = 2) {
    this.weight = weight;
  }

  preFilter(ctx: CycleContext): boolean {
    return ctx.info.requiredNodeAffinity !== null;
  }

  filter(ctx: CycleContext, nodes: Int32Array, verdicts: Int32Array, count: number): void {
    const req = ctx.info.requiredNodeAffinity!;
    const { labels, names } = ctx.cache;
    for (let i = 0; i < count; i++)
      if (verdicts[i] === 0 && !req.matches(labels[nodes[i]!], names[nodes[i]!])) verdicts[i] = this.failure;
  }

  preScore(ctx: CycleContext): boolean {
    return ctx.info.preferredNodeAffinity.length > 0;
  }

  score(ctx: CycleContext, nodes: Int32Array, count: number, out: Float64Array): void {
    const terms = ctx.info.preferredNodeAffinity;
    const labels = ctx.cache.labels;
    for (let i = 0; i < count; i++) {
      const l = labels[nodes[i]!];
      let s = 0;
      for (const t of terms) if (t.term.matches(l)) s += t.weight;
      out[i] = s;
    }
  }

  normalize(_ctx: CycleContext, _nodes: Int32Array, count: number, scores: Float64Array): void {
    defaultNormalizeScore(scores, count, false);
  }
}
