/**
 * NodeResourcesFit.
 * Filter: the pod fits when pods on the node + 1 ≤ allocatable pods, and each resource the pod
 * requests (cpu, memory, ephemeral-storage; actual requests, no defaults) fits in allocatable −
 * requested. Every shortfall is a reason: `Too many pods`, `Insufficient cpu`, `Insufficient memory`,
 * `Insufficient ephemeral-storage` (code Unschedulable: preemption might free room; v1.32
 * behaviour — from v1.34 a request larger than the whole node is UnschedulableAndUnresolvable).
 * Score (weight 1), strategy LeastAllocated with cpu and memory weighted 1 each:
 *   requested_r = node's non-zero requests + the pod's non-zero request (100m / 200Mi defaults)
 *   score_r     = (alloc_r − requested_r) × 100 / alloc_r   (0 if alloc_r is 0 or requested_r > alloc_r)
 *   score       = Σ score_r × w_r / Σ w_r                    (integer divisions)
 */
import {
  type CycleContext,
  type FilterPlugin,
  failureId,
  idiv,
  MAX_NODE_SCORE,
  type ScorePlugin,
} from '../framework';

const NAME = 'NodeResourcesFit';
const TOO_MANY_PODS = 1;
const CPU = 2;
const MEMORY = 4;
const EPHEMERAL = 8;

/** leastRequestedScore: the share of the resource left free, 0..100. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return idiv((capacity - requested) * MAX_NODE_SCORE, capacity);
}

export class NodeResourcesFit implements FilterPlugin, ScorePlugin {
  readonly name = NAME;
  readonly weight: number;
  /** Failure id per bitmask of shortfalls. */
  private readonly failures: number[] = [];

  constructor(
    weight = 1,
    readonly cpuWeight = 1,
    readonly memoryWeight = 1,
  ) {
    this.weight = weight;
    for (let mask = 1; mask < 16; mask++) {
      const reasons: string[] = [];
      if (mask & TOO_MANY_PODS) reasons.push('Too many pods');
      if (mask & CPU) reasons.push('Insufficient cpu');
      if (mask & MEMORY) reasons.push('Insufficient memory');
      if (mask & EPHEMERAL) reasons.push('Insufficient ephemeral-storage');
      this.failures[mask] = failureId(NAME, reasons, 'Unschedulable');
    }
  }

  preFilter(): boolean {
    return true;
  }

  filter(ctx: CycleContext, nodes: Int32Array, verdicts: Int32Array, count: number): void {
    const c = ctx.cache;
    const { milliCPU, memory, ephemeralStorage } = ctx.info;
    const allocEph = c.allocEphemeral;
    const reqEph = c.reqEphemeral;
    const anyRequest = milliCPU > 0 || memory > 0 || ephemeralStorage > 0;
    const podCount = c.podCount;
    const allowed = c.allowedPods;
    const allocCPU = c.allocMilliCPU;
    const reqCPU = c.reqMilliCPU;
    const allocMem = c.allocMemory;
    const reqMem = c.reqMemory;
    for (let i = 0; i < count; i++) {
      if (verdicts[i] !== 0) continue;
      const n = nodes[i]!;
      let mask = 0;
      if (podCount[n]! + 1 > allowed[n]!) mask |= TOO_MANY_PODS;
      if (anyRequest) {
        if (milliCPU > 0 && milliCPU > allocCPU[n]! - reqCPU[n]!) mask |= CPU;
        if (memory > 0 && memory > allocMem[n]! - reqMem[n]!) mask |= MEMORY;
        if (ephemeralStorage > 0 && ephemeralStorage > allocEph[n]! - reqEph[n]!) mask |= EPHEMERAL;
      }
      if (mask !== 0) verdicts[i] = this.failures[mask]!;
    }
  }

  preScore(): boolean {
    return true;
  }

  score(ctx: CycleContext, nodes: Int32Array, count: number, out: Float64Array): void {
    for (let i = 0; i < count; i++) out[i] = this.nodeScore(ctx, nodes[i]!);
  }

  nodeLocalKey(ctx: CycleContext, out: number[]): void {
    out.push(ctx.info.nonZeroMilliCPU, ctx.info.nonZeroMemory);
  }

  /** LeastAllocated of one node. */
  nodeScore(ctx: CycleContext, n: number): number {
    const c = ctx.cache;
    const allocCPU = c.allocMilliCPU[n]!;
    const allocMem = c.allocMemory[n]!;
    let sum = 0;
    let weights = 0;
    if (allocCPU !== 0) {
      sum += leastRequestedScore(c.nonZeroMilliCPU[n]! + ctx.info.nonZeroMilliCPU, allocCPU) * this.cpuWeight;
      weights += this.cpuWeight;
    }
    if (allocMem !== 0) {
      sum += leastRequestedScore(c.nonZeroMemory[n]! + ctx.info.nonZeroMemory, allocMem) * this.memoryWeight;
      weights += this.memoryWeight;
    }
    return weights === 0 ? 0 : Math.trunc(sum / weights);
  }

  normalize(): void {
    // NodeResourcesFit has no ScoreExtensions: scores are already 0..100.
  }
}
