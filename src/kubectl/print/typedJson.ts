/**
 * JSON of a typed Go object: fields in the order the Go struct declares them (json.Marshal of a
 * struct), not sorted as for unstructured maps. `kubectl create namespace -o json` prints the
 * typed Namespace it built or got back, so its keys come out as kind, apiVersion, metadata, ...
 */
import { toGoJson } from './json';

/** ObjectMeta's fields in the order Go marshals them. */
export const METADATA_FIELD_ORDER: readonly string[] = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/** Field order of the structs kubectl prints typed. Keys not listed keep their order after these. */
const ORDERS: Record<string, readonly string[]> = {
  object: ['kind', 'apiVersion', 'metadata', 'spec', 'status'],
  metadata: METADATA_FIELD_ORDER,
};

/** Reorders an object's keys as Go would marshal the typed struct, then prints it as `-o json` does. */
export function typedJson(obj: Record<string, unknown>): string {
  return `${toGoJson(typedOrder(obj), '    ', false)}\n`;
}

/** An object with its keys in the order Go marshals the typed struct. */
export function typedOrder(obj: Record<string, unknown>): Record<string, unknown> {
  const ordered = order(obj, ORDERS.object!);
  const meta = ordered.metadata;
  if (meta && typeof meta === 'object') {
    const m = { ...(meta as Record<string, unknown>) };
    // labels and annotations are Go maps, whose keys encoding/json sorts.
    for (const k of ['labels', 'annotations']) {
      if (m[k] && typeof m[k] === 'object') m[k] = sortedMap(m[k] as Record<string, unknown>);
    }
    ordered.metadata = order(m, ORDERS.metadata!);
    if (!('creationTimestamp' in (ordered.metadata as object))) {
      // A zero metav1.Time marshals as null.
      ordered.metadata = order(
        { ...(ordered.metadata as object), creationTimestamp: null },
        ORDERS.metadata!,
      );
    }
  }
  return ordered;
}

function order(obj: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in obj) out[k] = obj[k];
  for (const [k, v] of Object.entries(obj)) if (!(k in out)) out[k] = v;
  return out;
}

function sortedMap(m: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k];
  return out;
}
