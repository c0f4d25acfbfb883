import type { JsonSchema, OpenApiDocument } from './openapi';

/**
 * kubectl v1.32's `plaintext` explain template (pkg/explain/v2/templates/plaintext.tmpl) over an
 * OpenAPI v3 document, rule for rule: the GROUP/KIND/VERSION header, the field path followed
 * through properties, array items, map values and `allOf`, `FIELD: name <type>` with its ENUM
 * lines, DESCRIPTION wrapped to 76 columns, and FIELDS (or the recursive field tree) in key order,
 * with the template's type guesses (`<Object>`, `<[]Container>`, `<map[string]string>`), `-required-`
 * and `enum:` markers.
 */

export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/** schema.GroupVersionResource.String(): `apps/v1, Resource=deployments`, `/v1, Resource=pods`. */
export function gvrString(gvr: GroupVersionResource): string {
  return `${gvr.group}/${gvr.version}, Resource=${gvr.resource}`;
}

/** The template's `throw`: an error kubectl prints as is, after whatever was already written. */
export class ExplainError extends Error {}

export interface RenderResult {
  /** What the template wrote before it stopped (the header, when a field is missing). */
  readonly out: string;
  readonly error?: string;
}

type Schema = JsonSchema;
type History = ReadonlySet<string>;

const asSchema = (v: unknown): Schema | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Schema) : undefined;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** `additionalProperties` that is a schema (not the boolean form). */
const mapValues = (s: Schema): Schema | undefined => asSchema(s.additionalProperties);
const allOf = (s: Schema): Schema[] => (Array.isArray(s.allOf) ? (s.allOf as Schema[]) : []);
const properties = (s: Schema): Record<string, Schema> | undefined =>
  asSchema(s.properties) as Record<string, Schema> | undefined;

/** Go's sort order for map keys in templates (byte order). */
const sortedKeys = (o: Record<string, unknown>): string[] =>
  Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** `indent`: the pad before the text and after every newline in it. */
export function indent(amount: number, s: string): string {
  const pad = ' '.repeat(amount);
  return pad + s.replaceAll('\n', `\n${pad}`);
}

const isSpace = (c: string): boolean => /\s/.test(c) && c !== '\u00a0';

/** mitchellh/go-wordwrap's WrapString, which the template's `wrap` uses. */
export function wrapString(s: string, lim: number): string {
  let buf = '';
  let current = 0;
  let word = '';
  let space = '';
  for (const c of s) {
    if (c === '\n') {
      if (word.length === 0) {
        if (current + space.length <= lim) buf += space;
      } else {
        buf += space + word;
        word = '';
      }
      space = '';
      buf += c;
      current = 0;
    } else if (isSpace(c)) {
      if (space.length === 0 || word.length > 0) {
        current += space.length + [...word].length;
        buf += space + word;
        space = '';
        word = '';
      }
      space += c;
    } else {
      word += c;
      const wordLen = [...word].length;
      if (current + space.length + wordLen > lim && wordLen < lim) {
        buf += '\n';
        current = 0;
        space = '';
      }
    }
  }
  if (word.length === 0) {
    if (current + space.length <= lim) buf += space;
  } else buf += space + word;
  return buf;
}

class Renderer {
  constructor(
    private readonly doc: OpenApiDocument,
    private readonly recursive: boolean,
  ) {}

  resolveRef(ref: unknown): Schema | undefined {
    const r = str(ref);
    if (!r.startsWith('#/')) return undefined;
    let cur: unknown = this.doc;
    for (const k of r.slice(2).split('/')) {
      if (k === '') continue;
      cur = asSchema(cur)?.[k];
      if (asSchema(cur) === undefined) return undefined;
    }
    return asSchema(cur);
  }

  typeGuess(s: Schema): string {
    const items = asSchema(s.items);
    if (items) return `[]${this.typeGuess(items)}`;
    const values = mapValues(s);
    if (values) return `map[string]${this.typeGuess(values)}`;
    const all = allOf(s);
    if (all.length === 1 && !s.properties) return this.typeGuess(all[0]!);
    const ref = str(s.$ref);
    if (ref) {
      const target = this.resolveRef(ref);
      if (!target?.type || target.type === 'object') {
        const name = ref.split('/').pop() ?? '';
        return name.split('.').pop() || 'Object';
      }
      return str(target.type) || 'Object';
    }
    if (s.type === 'object') return 'Object';
    return str(s.type) || 'Object';
  }

  /** `extractEnum`: ` enum: a, b, c, d, ....` under a listed field, or `ENUM:` lines under FIELD. */
  extractEnum(s: Schema, longView: boolean, limit: number, indentAmount = 0): string {
    if (!Array.isArray(s.enum) || s.enum.length === 0) return '';
    let out = longView ? 'ENUM:' : `\n${' '.repeat(indentAmount)}enum: `;
    for (const [i, e] of s.enum.entries()) {
      if (limit > -1 && i >= limit) {
        out += ', ....';
        break;
      }
      if (i > 0 && !longView) out += ', ';
      else if (longView) out += '\n    ';
      out += e === '' ? '""' : String(e);
    }
    return out;
  }

  description(s: Schema): string {
    const resolved = this.resolveRef(s.$ref) ?? s;
    let out = resolved.description ? `${str(resolved.description)}\n` : '';
    for (const a of allOf(resolved)) out += this.description(a);
    const items = asSchema(resolved.items);
    if (items) out += this.description(items);
    const values = mapValues(resolved);
    if (values) out += this.description(values);
    return out;
  }

  fieldDetail(name: string, parent: Schema, short: boolean, level: number): string {
    const amount = level * 2;
    const field = properties(parent)![name]!;
    let out = `${indent(amount, name)}\t<${this.typeGuess(field)}>`;
    if (Array.isArray(parent.required) && parent.required.includes(name)) out += ' -required-';
    out += this.extractEnum(field, false, 4, amount);
    out += '\n';
    if (!short) {
      const text = str(field.description) || '<no description>';
      out += `${indent(amount + 2, wrapString(text, 78 - amount))}\n\n`;
    }
    return out;
  }

  fieldList(s: Schema, level: number, history: History): string {
    const ref = str(s.$ref);
    if (ref && history.has(ref)) return '';
    const next = new Set(history).add(ref);
    const resolved = this.resolveRef(ref) ?? s;
    let out = '';
    const props = properties(resolved);
    if (props)
      for (const k of sortedKeys(props)) {
        out += this.fieldDetail(k, resolved, this.recursive, level);
        if (this.recursive) out += this.fieldList(props[k]!, level + 1, next);
      }
    for (const a of allOf(resolved)) out += this.fieldList(a, level, next);
    const items = asSchema(resolved.items);
    if (items) out += this.fieldList(items, level, next);
    const values = mapValues(resolved);
    if (values) out += this.fieldList(values, level, next);
    return out;
  }

  output(s: Schema, fieldPath: readonly string[], history: History): string {
    const ref = str(s.$ref);
    const next = new Set(history).add(ref);
    const resolved = this.resolveRef(ref) ?? s;
    if (fieldPath.length === 0) {
      let out = `DESCRIPTION:\n${indent(4, wrapString(this.description(resolved) || '<empty>', 76))}\n`;
      const fields = this.fieldList(resolved, 1, new Set());
      if (fields) out += `FIELDS:\n${fields}`;
      return out;
    }
    if (ref && history.has(ref)) return '';
    const [first, ...rest] = fieldPath as [string, ...string[]];
    const sub = properties(resolved)?.[first];
    if (sub) {
      let out = '';
      if (rest.length === 0)
        out += `FIELD: ${first} <${this.typeGuess(sub)}>\n${this.extractEnum(sub, true, -1)}\n\n`;
      return out + this.output(sub, rest, new Set());
    }
    const items = asSchema(resolved.items);
    if (items) return this.output(items, fieldPath, next);
    const values = mapValues(resolved);
    if (values) return this.output(values, fieldPath, next);
    for (const a of allOf(resolved)) {
      const out = this.output(a, fieldPath, next);
      if (out) return out;
    }
    return '';
  }
}

/** Go's `%v` of a map[string]any: `map[group:apps kind:Deployment version:v1]`. */
function goMap(m: Schema): string {
  return `map[${sortedKeys(m)
    .map((k) => `${k}:${String(m[k])}`)
    .join(' ')}]`;
}

/**
 * Renders `kubectl explain` for a resource of a group version's document. The GVK is looked up
 * from the resource's operations, as the template does, then its component schema.
 */
export function renderExplain(
  doc: OpenApiDocument,
  gvr: GroupVersionResource,
  fieldPath: readonly string[],
  recursive: boolean,
): RenderResult {
  const prefix = gvr.group === '' ? '/api' : `/apis/${gvr.group}`;
  const base = `${prefix}/${gvr.version}`;
  const searchPaths = [
    `${base}/${gvr.resource}`,
    `${base}/${gvr.resource}/{name}`,
    `${base}/namespaces/{namespace}/${gvr.resource}`,
    `${base}/namespaces/{namespace}/${gvr.resource}/{name}`,
  ];
  let gvk: Schema | undefined;
  for (const p of searchPaths) {
    const element = asSchema(doc.paths[p]);
    if (!element) continue;
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      gvk = asSchema(asSchema(element[method])?.['x-kubernetes-group-version-kind']);
      if (gvk) break;
    }
    if (gvk) break;
  }
  if (!gvk) return { out: '', error: `error: GVR (${gvrString(gvr)}) not found in OpenAPI schema` };
  let out = '';
  if (gvk.group) out += `GROUP:      ${str(gvk.group)}\n`;
  out += `KIND:       ${str(gvk.kind)}\n`;
  out += `VERSION:    ${str(gvk.version)}\n\n`;
  const r = new Renderer(doc, recursive);
  for (const schema of Object.values(doc.components.schemas)) {
    const kinds = schema['x-kubernetes-group-version-kind'];
    if (!Array.isArray(kinds)) continue;
    const match = kinds.some(
      (k: Schema) => k.group === gvk.group && k.version === gvk.version && k.kind === gvk.kind,
    );
    if (!match) continue;
    const body = r.output(schema, fieldPath, new Set());
    if (!body) return { out, error: `error: field "${fieldPath[fieldPath.length - 1]}" does not exist` };
    return { out: `${out + body}\n` };
  }
  return { out, error: `error: GVK ${goMap(gvk)} not found in OpenAPI schema` };
}
