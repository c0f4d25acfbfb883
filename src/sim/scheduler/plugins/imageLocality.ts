/**
 * ImageLocality (score, weight 1): favours nodes that already hold the pod's images, scaled by how
 * widely each image has spread (to avoid piling pods onto the one node that has it):
 *   sum   = Σ over the pod's (init and app) container images present on the node of
 *           int(sizeBytes × numNodesWithImage / totalNodes)
 *   sum   clamped to [23 MiB, 1000 MiB × numContainers]
 *   score = 100 × (sum − 23 MiB) / (1000 MiB × numContainers − 23 MiB)   (integer division)
 * Node images come from node.status.images (or the optional `images` given to updateNode).
 */
import type { CycleContext, ScorePlugin } from '../framework';
import { idiv, MAX_NODE_SCORE } from '../framework';

const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;
const UNIFORM_ZERO = { raw: 0, normalized: 0 } as const;

export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  let s = sumScores;
  if (s < MIN_THRESHOLD) s = MIN_THRESHOLD;
  else if (s > maxThreshold) s = maxThreshold;
  return idiv(MAX_NODE_SCORE * (s - MIN_THRESHOLD), maxThreshold - MIN_THRESHOLD);
}

export class ImageLocality implements ScorePlugin {
  readonly name = 'ImageLocality';
  readonly weight: number;

  constructor(weight = 1) {
    this.weight = weight;
  }

  preScore(): boolean {
    return true;
  }

  /** No node reports any image: every node scores 0. */
  uniformScore(ctx: CycleContext): { raw: number; normalized: number } | undefined {
    return ctx.cache.imageNumNodes.size === 0 || ctx.info.numContainers === 0 ? UNIFORM_ZERO : undefined;
  }

  score(ctx: CycleContext, nodes: Int32Array, count: number, out: Float64Array): void {
    const c = ctx.cache;
    if (c.imageNumNodes.size === 0 || ctx.info.numContainers === 0) {
      out.fill(0, 0, count);
      return;
    }
    const total = ctx.numAllNodes;
    const images = ctx.info.images;
    for (let i = 0; i < count; i++) {
      const held = c.images[nodes[i]!];
      let sum = 0;
      if (held) {
        for (const img of images) {
          const size = held.get(img);
          if (size !== undefined) sum += Math.trunc(size * ((c.imageNumNodes.get(img) ?? 0) / total));
        }
      }
      out[i] = calculatePriority(sum, ctx.info.numContainers);
    }
  }

  normalize(): void {
    // No ScoreExtensions.
  }
}
