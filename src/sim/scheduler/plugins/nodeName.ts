/** NodeName (filter): a pod that names its node (spec.nodeName) fits only that node. */
import { type CycleContext, type FilterPlugin, failureId } from '../framework';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export class NodeName implements FilterPlugin {
  readonly name = 'NodeName';
  private readonly failure = failureId(this.name, [ERR_REASON_NODE_NAME], 'UnschedulableAndUnresolvable');

  preFilter(ctx: CycleContext): boolean {
    return !!ctx.info.pod.spec.nodeName;
  }

  filter(ctx: CycleContext, nodes: Int32Array, verdicts: Int32Array, count: number): void {
    const want = ctx.info.pod.spec.nodeName;
    const names = ctx.cache.names;
    for (let i = 0; i < count; i++)
      if (verdicts[i] === 0 && names[nodes[i]!] !== want) verdicts[i] = this.failure;
  }
}
