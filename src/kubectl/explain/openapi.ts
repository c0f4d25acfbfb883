import { type FieldDoc, type FieldType, type GroupVersionKind, TYPES, type TypeDoc } from './schema';

/**
 * The lab's schema table as the OpenAPI v3 documents a v1.32 API server publishes at
 * /openapi/v3/<group-version>: `components.schemas` keyed by Go type name, object references
 * wrapped in `allOf` (as the server does to attach a description), arrays with `items`, maps with
 * `additionalProperties`. `kubectl explain` renders these documents (render.ts), and the
 * compare-with-real-kubectl tool can serve them to a real kubectl.
 */

export type JsonSchema = { readonly [key: string]: unknown };

export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, unknown>>;
  readonly components: { readonly schemas: Readonly<Record<string, JsonSchema>> };
}

const REF_PREFIX = '#/components/schemas/';

function typeSchema(t: FieldType, wrapRef: boolean): Record<string, unknown> {
  if ('prim' in t) return { type: t.prim };
  if ('ref' in t) return wrapRef ? { allOf: [{ $ref: REF_PREFIX + t.ref }] } : { $ref: REF_PREFIX + t.ref };
  if ('array' in t)
    return { type: 'array', items: { ...typeSchema(t.array, true), default: defaultOf(t.array) } };
  return { type: 'object', additionalProperties: { ...typeSchema(t.map, false), default: defaultOf(t.map) } };
}

function defaultOf(t: FieldType): unknown {
  if ('prim' in t) return t.prim === 'string' ? '' : t.prim === 'boolean' ? false : 0;
  return {};
}

function fieldSchema(f: FieldDoc): JsonSchema {
  return {
    ...typeSchema(f.type, true),
    description: f.description,
    ...(f.enum ? { enum: [...f.enum] } : {}),
  };
}

function componentSchema(doc: TypeDoc): JsonSchema {
  if (doc.primitive === 'object') return { description: doc.description, type: 'object' };
  if (doc.primitive) return { type: doc.primitive, format: 'date-time', description: doc.description };
  if (!doc.fields) return { description: doc.description };
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, f] of Object.entries(doc.fields)) {
    properties[name] = fieldSchema(f);
    if (f.required) required.push(name);
  }
  return {
    description: doc.description,
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
    ...(doc.gvk ? { 'x-kubernetes-group-version-kind': [{ ...doc.gvk }] } : {}),
  };
}

/** `api/v1`, `apis/apps/v1`: the path of a group version under /openapi/v3. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** The kinds the table documents, with the resource (plural) and scope a server serves them under. */
export interface DocumentedResource {
  readonly gvk: GroupVersionKind;
  readonly resource: string;
  readonly namespaced: boolean;
}

/** The group versions the table documents (`api/v1`, `apis/apps/v1`, …). */
export function documentedGroupVersions(): string[] {
  const out = new Set<string>();
  for (const doc of Object.values(TYPES))
    if (doc.gvk) out.add(groupVersionPath(doc.gvk.group, doc.gvk.version));
  return [...out];
}

/**
 * The document of one group version: a GET operation per served resource (carrying its
 * group-version-kind, which explain looks up) and every component schema, as real servers ship
 * the shared types in each document. Undefined for a group version the table does not document.
 */
export function openApiDocument(
  path: string,
  resources: readonly DocumentedResource[],
): OpenApiDocument | undefined {
  if (!documentedGroupVersions().includes(path)) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of resources) {
    if (groupVersionPath(r.gvk.group, r.gvk.version) !== path) continue;
    if (!Object.values(TYPES).some((d) => d.gvk?.kind === r.gvk.kind && d.gvk.group === r.gvk.group))
      continue;
    const url = `/${path}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}/{name}`;
    paths[url] = { get: { 'x-kubernetes-group-version-kind': { ...r.gvk } } };
  }
  const schemas: Record<string, JsonSchema> = {};
  for (const [id, doc] of Object.entries(TYPES)) schemas[id] = componentSchema(doc);
  return { paths, components: { schemas } };
}
