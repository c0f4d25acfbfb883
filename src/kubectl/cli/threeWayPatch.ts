import { isPlainObject } from '../../sim/apiserver/mergePatch';
import {
  DELETE_FROM_PRIMITIVE_LIST,
  DIRECTIVE,
  type FieldMeta,
  type PatchSchema,
  RETAIN_KEYS,
  SET_ELEMENT_ORDER,
} from '../../sim/apiserver/strategicMerge';

/**
 * strategicpatch.CreateThreeWayMergePatch, what client-side `kubectl apply` sends: from the
 * configuration applied last time (`original`, the last-applied-configuration annotation), the
 * new one (`modified`) and the live object (`current`), a strategic merge patch that sets what
 * `modified` says (changes from current, ignoring fields only the live object has) and deletes
 * what was in `original` but is gone from `modified`. `{}` means unchanged.
 */

type Obj = Record<string, unknown>;

interface DiffOptions {
  /** Leave out fields missing from `modified` (the delta pass). */
  readonly ignoreDeletions: boolean;
  /** Leave out changed and added fields (the deletions pass). */
  readonly ignoreChangesAndAdditions: boolean;
  readonly buildRetainKeys?: boolean;
}

export function createThreeWayMergePatch(
  original: Obj,
  modified: Obj,
  current: Obj,
  schema: PatchSchema,
): Obj {
  const delta = diffMaps(current, modified, schema, {
    ignoreDeletions: true,
    ignoreChangesAndAdditions: false,
  });
  const deletions = diffMaps(original, modified, schema, {
    ignoreDeletions: false,
    ignoreChangesAndAdditions: true,
  });
  return mergePatches(deletions, delta, schema);
}

/**
 * strategicpatch.CreateTwoWayMergePatch: what turns `original` into `modified` (changes,
 * additions, `null` for removed fields, `$patch: delete` for removed list items, order
 * directives). What kubectl sends for the verbs that edit an object (set image, taint, rollout
 * pause/resume/restart).
 */
export function createTwoWayMergePatch(original: Obj, modified: Obj, schema: PatchSchema): Obj {
  return diffMaps(original, modified, schema, { ignoreDeletions: false, ignoreChangesAndAdditions: false });
}

function strategies(meta: FieldMeta): string[] {
  return (meta.strategy ?? '').split(',');
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => k in b && same(a[k], b[k]));
  }
  return false;
}

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v;
}

function diffMaps(original: Obj, modified: Obj, schema: PatchSchema, opts: DiffOptions): Obj {
  const patch: Obj = {};
  const retainKeys: string[] = [];
  for (const [key, mod] of Object.entries(modified)) {
    if (mod === undefined) continue;
    if (opts.buildRetainKeys && mod !== null) retainKeys.push(key);
    if (!(key in original) || original[key] === undefined) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = mod;
      continue;
    }
    const orig = original[key];
    if (typeOf(orig) !== typeOf(mod)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = mod;
      continue;
    }
    const { meta, schema: sub } = schema.field(key);
    if (isPlainObject(orig)) {
      const s = strategies(meta);
      if (s.includes('replace')) {
        if (!opts.ignoreChangesAndAdditions) patch[key] = mod;
        continue;
      }
      const value = diffMaps(orig, mod as Obj, sub, { ...opts, buildRetainKeys: s.includes('retainKeys') });
      if (Object.keys(value).length > 0) patch[key] = value;
    } else if (Array.isArray(orig)) {
      const s = strategies(meta);
      if (s.includes('merge'))
        diffList(key, orig, mod as unknown[], meta, sub, patch, opts, s.includes('retainKeys'));
      else if (!opts.ignoreChangesAndAdditions && !same(orig, mod)) patch[key] = mod;
    } else if (!opts.ignoreChangesAndAdditions && !same(orig, mod)) patch[key] = mod;
  }
  if (!opts.ignoreDeletions)
    for (const key of Object.keys(original)) if (!(key in modified)) patch[key] = null;
  if (
    retainKeys.length > 0 &&
    (Object.keys(patch).length > 0 || Object.keys(original).some((k) => !(k in modified)))
  )
    patch[RETAIN_KEYS] = [...retainKeys].sort();
  return patch;
}

/** A keyed or set-like list: changed items by key, `$patch: delete` items, the order directive. */
function diffList(
  key: string,
  original: unknown[],
  modified: unknown[],
  meta: FieldMeta,
  schema: PatchSchema,
  patch: Obj,
  opts: DiffOptions,
  retainKeys: boolean,
): void {
  const maps = [...original, ...modified].some((x) => isPlainObject(x));
  if (!maps) {
    const added = modified.filter((x) => !original.some((o) => same(o, x)));
    const deleted = original.filter((x) => !modified.some((m) => same(m, x)));
    if (!opts.ignoreChangesAndAdditions && added.length > 0) patch[key] = added;
    if (!opts.ignoreDeletions && deleted.length > 0) patch[`${DELETE_FROM_PRIMITIVE_LIST}${key}`] = deleted;
    if (
      (!opts.ignoreDeletions && deleted.length > 0) ||
      (!opts.ignoreChangesAndAdditions && !same(original, modified))
    )
      patch[`${SET_ELEMENT_ORDER}${key}`] = modified;
    return;
  }
  const mergeKey = meta.mergeKey ?? '';
  const keyOf = (x: unknown): string => String(isPlainObject(x) ? x[mergeKey] : x);
  const items: unknown[] = [];
  const deletions: unknown[] = [];
  for (const mod of modified) {
    if (!isPlainObject(mod)) continue;
    const orig = original.find((o) => isPlainObject(o) && keyOf(o) === keyOf(mod));
    if (orig === undefined) {
      if (!opts.ignoreChangesAndAdditions) items.push(mod);
      continue;
    }
    const value = diffMaps(orig as Obj, mod, schema, { ...opts, buildRetainKeys: retainKeys });
    if (Object.keys(value).length > 0) items.push({ ...value, [mergeKey]: mod[mergeKey] });
  }
  if (!opts.ignoreDeletions)
    for (const orig of original)
      if (isPlainObject(orig) && !modified.some((m) => keyOf(m) === keyOf(orig)))
        deletions.push({ [DIRECTIVE]: 'delete', [mergeKey]: orig[mergeKey] });
  const orderSame =
    original.length === modified.length && original.every((o, i) => keyOf(o) === keyOf(modified[i]));
  const list = [...items, ...deletions];
  if (list.length > 0) patch[key] = list;
  if (
    (!opts.ignoreChangesAndAdditions && (list.length > 0 || !orderSame)) ||
    (!opts.ignoreDeletions && list.length > 0)
  )
    patch[`${SET_ELEMENT_ORDER}${key}`] = modified.map((m) => ({ [mergeKey]: (m as Obj)[mergeKey] }));
}

/**
 * The deletions patch merged with the delta patch (mergeMap over two patches): maps merge, items
 * of keyed lists with the same key merge, other list items add up (the delta's first).
 */
function mergePatches(a: Obj, b: Obj, schema: PatchSchema): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    const { meta, schema: sub } = schema.field(k);
    if (isPlainObject(prev) && isPlainObject(v)) out[k] = mergePatches(prev, v, sub);
    else if (Array.isArray(prev) && Array.isArray(v) && !k.startsWith('$')) {
      const mergeKey = meta.mergeKey ?? '';
      const merged: unknown[] = v.map((item) => {
        if (mergeKey === '' || !isPlainObject(item)) return item;
        const match = prev.find(
          (p) => isPlainObject(p) && p[DIRECTIVE] === undefined && p[mergeKey] === item[mergeKey],
        );
        return match ? mergePatches(match as Obj, item, sub) : item;
      });
      for (const p of prev) {
        const taken =
          mergeKey !== '' && isPlainObject(p) && p[DIRECTIVE] === undefined
            ? v.some((x) => isPlainObject(x) && x[mergeKey] === p[mergeKey])
            : v.some((x) => same(x, p));
        if (!taken) merged.push(p);
      }
      out[k] = merged;
    } else out[k] = v;
  }
  return out;
}
