import { schemaForKind } from '../../sim/apiserver/strategicMerge';
import { createTwoWayMergePatch } from './threeWayPatch';

/**
 * The strategic merge patch that turns `before` into `after`, as kubectl computes it with
 * strategicpatch.CreateTwoWayMergePatch for the verbs that edit an object (set image, taint,
 * rollout pause/resume/restart): keyed lists such as containers merge by name with
 * `$setElementOrder`, removed fields are `null`. An empty object means no change. The API server
 * applies it as `application/strategic-merge-patch+json`.
 */
export function createStrategicMergePatch(before: unknown, after: unknown): Record<string, unknown> {
  const a = (before ?? {}) as Record<string, unknown>;
  const b = (after ?? {}) as Record<string, unknown>;
  return createTwoWayMergePatch(a, b, schemaForKind(typeof a.kind === 'string' ? a.kind : ''));
}

/** Whether a patch changes nothing (kubectl skips or reports those: `{}`). */
export function isEmptyPatch(patch: Record<string, unknown>): boolean {
  return Object.keys(patch).length === 0;
}
