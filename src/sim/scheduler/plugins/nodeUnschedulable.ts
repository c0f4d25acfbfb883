/**
 * NodeUnschedulable (filter): a cordoned node (spec.unschedulable) takes no new pods unless the
 * pod tolerates the `node.kubernetes.io/unschedulable:NoSchedule` taint.
 */
import { type CycleContext, type FilterPlugin, failureId } from '../framework';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

export class NodeUnschedulable implements FilterPlugin {
  readonly name = 'NodeUnschedulable';
  private readonly failure = failureId(this.name, [ERR_REASON_UNSCHEDULABLE], 'UnschedulableAndUnresolvable');

  preFilter(ctx: CycleContext): boolean {
    return ctx.cache.numUnschedulable > 0 && !ctx.info.toleratesUnschedulable;
  }

  filter(ctx: CycleContext, nodes: Int32Array, verdicts: Int32Array, count: number): void {
    const u = ctx.cache.unschedulable;
    for (let i = 0; i < count; i++) if (verdicts[i] === 0 && u[nodes[i]!] === 1) verdicts[i] = this.failure;
  }
}
