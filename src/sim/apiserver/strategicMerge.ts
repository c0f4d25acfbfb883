import { isPlainObject } from './mergePatch';

/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), as apimachinery's
 * strategicpatch applies it on the server: maps merge key by key, `null` deletes, and lists follow
 * the patch metadata of the Go field they sit in: merged by a key (containers by name, ports by
 * containerPort, …), merged as sets (finalizers), or replaced whole (the default: tolerations,
 * taints, args). Directives: `$patch: replace | delete` on a map or a list item,
 * `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>` and `$retainKeys`.
 *
 * The patch metadata lives here too (`schemaForKind`): kubectl's three-way apply patch is computed
 * from the same struct tags (`kubectl/cli/threeWayPatch.ts`).
 */

/** The patch metadata of one field of a Go struct (its `patchStrategy` / `patchMergeKey` tags). */
export interface FieldMeta {
  /** The struct type of the field's value (of each item, for a list); absent for maps and scalars. */
  readonly type?: string;
  /** patchMergeKey: the list merges items with equal values of this key. */
  readonly mergeKey?: string;
  /** patchStrategy: `merge` for a keyed or set-like list, `retainKeys` for a union struct. */
  readonly strategy?: 'merge' | 'retainKeys' | 'merge,retainKeys' | 'replace';
}

type StructMeta = Readonly<Record<string, FieldMeta>>;

const merge = (mergeKey: string, type?: string): FieldMeta => ({
  strategy: 'merge',
  mergeKey,
  ...(type ? { type } : {}),
});

/**
 * The Go types of the kinds this cluster serves, reduced to the fields whose patch metadata
 * matters (k8s.io/api core/v1, apps/v1, meta/v1). Fields not listed are plain: maps merge,
 * lists are replaced.
 */
const TYPES: Readonly<Record<string, StructMeta>> = {
  ObjectMeta: {
    ownerReferences: merge('uid'),
    finalizers: { strategy: 'merge' },
  },
  Pod: { metadata: { type: 'ObjectMeta' }, spec: { type: 'PodSpec' }, status: { type: 'PodStatus' } },
  PodTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'PodSpec' } },
  PodSpec: {
    volumes: { strategy: 'merge,retainKeys', mergeKey: 'name' },
    initContainers: merge('name', 'Container'),
    containers: merge('name', 'Container'),
    ephemeralContainers: merge('name', 'Container'),
    imagePullSecrets: merge('name'),
    hostAliases: merge('ip'),
    topologySpreadConstraints: merge('topologyKey'),
    schedulingGates: merge('name'),
    resourceClaims: { strategy: 'merge,retainKeys', mergeKey: 'name' },
  },
  Container: {
    ports: merge('containerPort'),
    env: merge('name'),
    volumeMounts: merge('mountPath'),
    volumeDevices: merge('devicePath'),
  },
  PodStatus: {
    conditions: merge('type'),
    podIPs: merge('ip'),
    hostIPs: merge('ip'),
    resourceClaimStatuses: { strategy: 'merge,retainKeys', mergeKey: 'name' },
  },
  Deployment: {
    metadata: { type: 'ObjectMeta' },
    spec: { type: 'DeploymentSpec' },
    status: { type: 'DeploymentStatus' },
  },
  DeploymentSpec: {
    template: { type: 'PodTemplateSpec' },
    strategy: { strategy: 'retainKeys' },
  },
  DeploymentStatus: { conditions: merge('type') },
  ReplicaSet: {
    metadata: { type: 'ObjectMeta' },
    spec: { type: 'ReplicaSetSpec' },
    status: { type: 'ReplicaSetStatus' },
  },
  ReplicaSetSpec: { template: { type: 'PodTemplateSpec' } },
  ReplicaSetStatus: { conditions: merge('type') },
  Service: {
    metadata: { type: 'ObjectMeta' },
    spec: { type: 'ServiceSpec' },
    status: { type: 'ServiceStatus' },
  },
  ServiceSpec: { ports: merge('port') },
  ServiceStatus: { conditions: merge('type') },
  Node: { metadata: { type: 'ObjectMeta' }, spec: { type: 'NodeSpec' }, status: { type: 'NodeStatus' } },
  NodeSpec: { podCIDRs: { strategy: 'merge' } },
  NodeStatus: { conditions: merge('type'), addresses: merge('type') },
  Namespace: { metadata: { type: 'ObjectMeta' }, status: { type: 'NamespaceStatus' } },
  NamespaceStatus: { conditions: merge('type') },
  Endpoints: { metadata: { type: 'ObjectMeta' } },
  Event: { metadata: { type: 'ObjectMeta' } },
  Lease: { metadata: { type: 'ObjectMeta' } },
};

/** Where in a kind's Go type a patch is: looks up the metadata of the fields below. */
export class PatchSchema {
  constructor(private readonly type: string | undefined) {}

  /** The metadata of field `key` and the schema of its value (of its items, for a list). */
  field(key: string): { readonly meta: FieldMeta; readonly schema: PatchSchema } {
    const meta = (this.type ? TYPES[this.type]?.[key] : undefined) ?? {};
    return { meta, schema: new PatchSchema(meta.type) };
  }
}

/** The patch schema of a kind (Deployment, Pod…); unknown kinds get plain JSON-like merging. */
export function schemaForKind(kind: string): PatchSchema {
  return new PatchSchema(TYPES[kind] ? kind : undefined);
}

export const DIRECTIVE = '$patch';
export const RETAIN_KEYS = '$retainKeys';
export const SET_ELEMENT_ORDER = '$setElementOrder/';
export const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

/** A patch the server cannot apply; the API server answers 400 BadRequest with this message. */
export class PatchError extends Error {}

type Obj = Record<string, unknown>;

function mergesList(meta: FieldMeta): boolean {
  return (meta.strategy ?? '').split(',').includes('merge');
}

/** Applies a strategic merge patch to `original` (not modified); throws PatchError on a bad patch. */
export function strategicMergePatch(original: unknown, patch: unknown, schema: PatchSchema): unknown {
  if (!isPlainObject(patch)) throw new PatchError('invalid JSON document');
  return mergeMap(isPlainObject(original) ? clone(original) : {}, clone(patch), schema);
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function mergeMap(original: Obj, patch: Obj, schema: PatchSchema): Obj {
  if (DIRECTIVE in patch) {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') {
      const { [DIRECTIVE]: _d, ...rest } = patch;
      return stripDirectives(rest) as Obj;
    }
    if (directive === 'delete') return {};
    throw new PatchError(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
  }
  // $retainKeys: fields of the original not listed are cleared (a union such as a deployment
  // strategy switching from RollingUpdate to Recreate).
  if (RETAIN_KEYS in patch) {
    const keep = patch[RETAIN_KEYS];
    delete patch[RETAIN_KEYS];
    if (!Array.isArray(keep)) throw new PatchError('invalid patch: $retainKeys must be a list of strings');
    for (const k of Object.keys(original)) if (!keep.includes(k)) delete original[k];
  }
  // Lists with an order directive: merged, then ordered as the patch says.
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const name = key.slice(SET_ELEMENT_ORDER.length);
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw new PatchError(`invalid patch: ${key} must be a list`);
    const { meta, schema: sub } = schema.field(name);
    const inOriginal = Array.isArray(original[name]);
    const inPatch = Array.isArray(patch[name]);
    if (!inOriginal && !inPatch) continue;
    let merged: unknown[];
    if (inOriginal && !inPatch) merged = original[name] as unknown[];
    else if (!inOriginal) merged = stripDirectives(patch[name]) as unknown[];
    else
      merged = mergesList(meta)
        ? mergeSlice(original[name] as unknown[], patch[name] as unknown[], sub, meta.mergeKey ?? '', false)
        : (patch[name] as unknown[]);
    const keyOf = itemKey(meta.mergeKey ?? '');
    const ordered = new Set(order.map(keyOf));
    const patchItems = merged.filter((x) => ordered.has(keyOf(x)));
    const serverOnly = merged.filter((x) => !ordered.has(keyOf(x)));
    original[name] = normalizeElementOrder(
      patchItems,
      serverOnly,
      order,
      inOriginal ? (original[name] as unknown[]) : [],
      keyOf,
    );
    delete patch[name];
  }
  const deleteLists: [string, unknown][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      deleteLists.push([key.slice(DELETE_FROM_PRIMITIVE_LIST.length), value]);
      continue;
    }
    if (value === null) {
      delete original[key];
      continue;
    }
    const current = original[key];
    if (current === undefined || kindOf(current) !== kindOf(value)) {
      original[key] = stripDirectives(value);
      continue;
    }
    const { meta, schema: sub } = schema.field(key);
    if (isPlainObject(current)) {
      original[key] =
        meta.strategy === 'replace' ? stripDirectives(value) : mergeMap(current, value as Obj, sub);
    } else if (Array.isArray(current)) {
      original[key] = mergesList(meta)
        ? mergeSlice(current, value as unknown[], sub, meta.mergeKey ?? '', false)
        : stripDirectives(value);
    } else original[key] = value;
  }
  for (const [key, value] of deleteLists) {
    const current = original[key];
    if (!Array.isArray(current)) continue;
    if (!Array.isArray(value)) throw new PatchError(`invalid patch: ${DELETE_FROM_PRIMITIVE_LIST}${key}`);
    original[key] = current.filter((x) => !value.some((d) => sameScalar(d, x)));
  }
  return original;
}

function kindOf(v: unknown): string {
  return Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v;
}

function sameScalar(a: unknown, b: unknown): boolean {
  return a === b;
}

/** The identity of a list item: its merge key's value (maps) or the value itself (scalars). */
function itemKey(mergeKey: string): (x: unknown) => string {
  return (x) => (mergeKey !== '' && isPlainObject(x) ? JSON.stringify(x[mergeKey]) : JSON.stringify(x));
}

function mergeSlice(
  original: unknown[],
  patch: unknown[],
  schema: PatchSchema,
  mergeKey: string,
  isDeleteList: boolean,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const maps = [...original, ...patch].some((x) => isPlainObject(x));
  if (!maps) {
    if (isDeleteList) return original.filter((x) => !patch.some((d) => sameScalar(d, x)));
    const seen = new Set<string>();
    const merged = [...original, ...patch].filter((x) => {
      const k = JSON.stringify(x);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    return enforceOrder(merged, patch, original, itemKey(''));
  }
  if (mergeKey === '') throw new PatchError('cannot merge lists without merge key');
  let base = [...original];
  const items: Obj[] = [];
  let replace = false;
  for (const p of patch) {
    if (!isPlainObject(p)) throw new PatchError(`invalid patch: list items must all be maps`);
    const directive = p[DIRECTIVE];
    if (directive === undefined) {
      items.push(p);
      continue;
    }
    if (directive === 'delete') {
      if (!(mergeKey in p))
        throw new PatchError(`map: ${goMap(p)} does not contain declared merge key: ${mergeKey}`);
      base = base.filter((x) => !(isPlainObject(x) && x[mergeKey] === p[mergeKey]));
    } else if (directive === 'replace') replace = true;
    else if (directive === 'merge')
      throw new PatchError('merging lists cannot yet be specified in the patch');
    else throw new PatchError(`Unknown patch type: ${String(directive)} in map: ${goMap(p)}`);
  }
  if (replace) return items.map((x) => stripDirectives(x));
  for (const item of items) {
    if (!(mergeKey in item))
      throw new PatchError(`map: ${goMap(item)} does not contain declared merge key: ${mergeKey}`);
    const i = base.findIndex((x) => isPlainObject(x) && x[mergeKey] === item[mergeKey]);
    if (i >= 0) base[i] = mergeMap(base[i] as Obj, item, schema);
    else base.push(stripDirectives(item));
  }
  return enforceOrder(base, items, original, itemKey(mergeKey));
}

/** Patch items in the patch's order, items only the server has placed where they were. */
function enforceOrder(
  merged: unknown[],
  patch: unknown[],
  original: unknown[],
  keyOf: (x: unknown) => string,
): unknown[] {
  const inPatch = new Set(patch.map(keyOf));
  return normalizeElementOrder(
    merged.filter((x) => inPatch.has(keyOf(x))),
    merged.filter((x) => !inPatch.has(keyOf(x))),
    patch,
    original,
    keyOf,
  );
}

/**
 * strategicpatch's normalizeElementOrder: `patchItems` sorted by `patchOrder`, `serverOnly` by
 * `serverOrder`, then interleaved so that server-only items keep their place relative to the
 * items around them in the live list.
 */
function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  keyOf: (x: unknown) => string,
): unknown[] {
  const indexIn = (list: readonly unknown[]) => {
    const idx = new Map<string, number>();
    list.forEach((x, i) => {
      if (!idx.has(keyOf(x))) idx.set(keyOf(x), i);
    });
    return (x: unknown): number => idx.get(keyOf(x)) ?? -1;
  };
  const sortBy = (items: unknown[], order: readonly unknown[]): unknown[] => {
    const at = indexIn(order);
    // Items not in the order keep their relative place after the ordered ones.
    return items
      .map((x, i) => ({ x, i, o: at(x) }))
      .sort((a, b) => (a.o >= 0 && b.o >= 0 ? a.o - b.o : a.o >= 0 ? -1 : b.o >= 0 ? 1 : a.i - b.i))
      .map((e) => e.x);
  };
  const right = sortBy(patchItems, patchOrder);
  const left = sortBy(serverOnly, serverOrder);
  const serverAt = indexIn(serverOrder);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = serverAt(left[i]);
      const ri = serverAt(right[j]);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** A patch value taken as it is (no live value to merge with): directives removed. */
function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v))
    return v.filter((x) => !(isPlainObject(x) && x[DIRECTIVE] === 'delete')).map(stripDirectives);
  if (!isPlainObject(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$') || x === null) continue;
    out[k] = stripDirectives(x);
  }
  return out;
}

/** Go's %v of a map[string]interface{} (keys sorted): `map[name:web]`. */
function goMap(m: Obj): string {
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${k}:${isPlainObject(m[k]) ? goMap(m[k] as Obj) : String(m[k])}`);
  return `map[${entries.join(' ')}]`;
}
