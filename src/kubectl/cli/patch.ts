import { isPlainObject } from '../../sim/apiserver/mergePatch';

/**
 * The JSON merge patch that turns `before` into `after` (jsonpatch.CreateMergePatch): changed and
 * added fields, `null` for removed ones, nested objects diffed, everything else (lists included)
 * replaced whole. An empty object means no change.
 *
 * kubectl sends strategic merge patches (set image, taint, cordon, rollout pause/resume/restart)
 * and a JSON patch (rollout undo); the simulated API server takes JSON merge patches, which give
 * the same result for what these commands change when lists are sent whole.
 */
export function createMergePatch(before: unknown, after: unknown): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const a = isPlainObject(before) ? before : {};
  const b = isPlainObject(after) ? after : {};
  for (const k of Object.keys(a))
    if (!(k in b) || b[k] === undefined) if (a[k] !== undefined) patch[k] = null;
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    const old = a[k];
    if (isPlainObject(old) && isPlainObject(v)) {
      const sub = createMergePatch(old, v);
      if (Object.keys(sub).length > 0) patch[k] = sub;
    } else if (JSON.stringify(old) !== JSON.stringify(v)) patch[k] = v;
  }
  return patch;
}

/** Whether a patch changes nothing (kubectl skips or reports those: `{}`). */
export function isEmptyPatch(patch: Record<string, unknown>): boolean {
  return Object.keys(patch).length === 0;
}
