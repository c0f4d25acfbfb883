/** Taint/toleration matching as core/v1 helpers define it (Toleration.ToleratesTaint). */
import type { Taint, Toleration } from '../api/types';

/**
 * A toleration tolerates a taint when the effects match (an empty toleration effect matches all),
 * the keys match (an empty key matches all keys; only valid with Exists), and either the operator is
 * Exists or (Equal, the default) the values are equal.
 */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') return true;
  if (op === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

export function tolerationsTolerateTaint(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** The filter's reason text: `node(s) had untolerated taint {key: value}` (the space is always there). */
export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
