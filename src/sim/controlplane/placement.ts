import type { NodeObject, PodObject, Taint, Toleration } from '../api/types';
import type { Rng } from '../kernel/rng';

/** The outcome of one scheduling attempt. */
export interface Placement {
  readonly nodeName?: string;
  /** Why no node fits, in kube-scheduler's FailedScheduling shape. */
  readonly message?: string;
}

function tolerates(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some(
    (t) =>
      (t.effect === undefined || t.effect === taint.effect) &&
      (t.operator === 'Exists'
        ? t.key === undefined || t.key === taint.key
        : t.key === taint.key && (t.value ?? '') === (taint.value ?? '')),
  );
}

function ready(n: NodeObject): boolean {
  return n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * Interim placement while the full plugin framework lands: filter on schedulability, taints and
 * the pod limit, then prefer the node with the fewest pods, ties broken by the seeded RNG.
 */
export function placePod(
  pod: PodObject,
  nodes: Iterable<NodeObject>,
  pods: Iterable<PodObject>,
  rng: Rng,
): Placement {
  const counts = new Map<string, number>();
  for (const p of pods)
    if (p.spec.nodeName) counts.set(p.spec.nodeName, (counts.get(p.spec.nodeName) ?? 0) + 1);
  const reasons = new Map<string, number>();
  const note = (r: string): void => void reasons.set(r, (reasons.get(r) ?? 0) + 1);
  let best: string[] = [];
  let bestCount = Number.POSITIVE_INFINITY;
  let total = 0;
  for (const n of nodes) {
    total++;
    const untolerated = (n.spec?.taints ?? []).find(
      (t) => t.effect !== 'PreferNoSchedule' && !tolerates(pod.spec.tolerations, t),
    );
    if (n.spec?.unschedulable) note('node(s) were unschedulable');
    else if (untolerated)
      note(`node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`);
    else if (!ready(n)) note('node(s) were not ready');
    else if ((counts.get(n.metadata.name) ?? 0) >= Number(n.status?.allocatable?.pods ?? 110))
      note('Too many pods');
    else {
      const c = counts.get(n.metadata.name) ?? 0;
      if (c < bestCount) {
        bestCount = c;
        best = [n.metadata.name];
      } else if (c === bestCount) best.push(n.metadata.name);
    }
  }
  if (best.length > 0) return { nodeName: best[rng.int(0, best.length - 1)] };
  const parts = [...reasons].sort(([a], [b]) => (a < b ? -1 : 1)).map(([r, n]) => `${n} ${r}`);
  return {
    message: `0/${total} nodes are available: ${parts.join(', ')}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`,
  };
}
