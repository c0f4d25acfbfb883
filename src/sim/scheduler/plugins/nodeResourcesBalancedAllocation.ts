/**
 * NodeResourcesBalancedAllocation (score, weight 1): favours nodes whose cpu and memory would be
 * used in equal proportion after placing the pod. With actual requests (no 100m/200Mi defaults):
 *   f_r   = min(1, (requested_r + pod_r) / alloc_r)   for r in {cpu, memory} with alloc_r > 0
 *   std   = |f_cpu − f_memory| / 2                     (two resources; 0 with fewer)
 *   score = int((1 − std) × 100)                       (so 50..100)
 * (v1.32: best-effort pods are scored too; v1.33 made PreScore Skip them.)
 */
import type { CycleContext, ScorePlugin } from '../framework';
import { MAX_NODE_SCORE } from '../framework';

/** balancedResourceScorer for cpu and memory. */
export function balancedScore(reqCPU: number, allocCPU: number, reqMem: number, allocMem: number): number {
  let f0 = -1;
  let f1 = -1;
  if (allocCPU !== 0) f0 = Math.min(1, reqCPU / allocCPU);
  if (allocMem !== 0) {
    const f = Math.min(1, reqMem / allocMem);
    if (f0 < 0) f0 = f;
    else f1 = f;
  }
  const std = f1 < 0 ? 0 : Math.abs((f0 - f1) / 2);
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export class NodeResourcesBalancedAllocation implements ScorePlugin {
  readonly name = 'NodeResourcesBalancedAllocation';
  readonly weight: number;

  constructor(weight = 1) {
    this.weight = weight;
  }

  preScore(): boolean {
    return true;
  }

  score(ctx: CycleContext, nodes: Int32Array, count: number, out: Float64Array): void {
    for (let i = 0; i < count; i++) out[i] = this.nodeScore(ctx, nodes[i]!);
  }

  nodeLocalKey(ctx: CycleContext, out: number[]): void {
    out.push(ctx.info.milliCPU, ctx.info.memory);
  }

  nodeScore(ctx: CycleContext, n: number): number {
    const c = ctx.cache;
    return balancedScore(
      c.reqMilliCPU[n]! + ctx.info.milliCPU,
      c.allocMilliCPU[n]!,
      c.reqMemory[n]! + ctx.info.memory,
      c.allocMemory[n]!,
    );
  }

  normalize(): void {
    // No ScoreExtensions.
  }
}
