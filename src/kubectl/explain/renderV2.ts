import type { JsonSchema, OpenApiDocument } from './openapi';
import type { GroupVersionKind } from './schema';

/**
 * `kubectl explain -o plaintext-openapiv2`: the older explain of k8s.io/kubectl/pkg/explain
 * (model_printer.go, fields_printer.go, recursive_fields_printer.go, field_lookup.go,
 * typename.go, formatter.go) over the OpenAPI v2 model of the same schemas. The v2 model is read
 * from our v3 document as kube-openapi's proto package would read the v2 one: a field that points
 * at a type is a reference carrying the field's description, Quantity and IntOrString are strings,
 * an object without properties is a map of arbitrary values (`<map[string]>`), and every other
 * type with properties is a kind, which prints as `<Object>`.
 */

type Node =
  | {
      readonly k: 'kind';
      readonly desc: string;
      readonly props: Readonly<Record<string, JsonSchema>>;
      readonly required: readonly string[];
    }
  | { readonly k: 'array' | 'map'; readonly desc: string; readonly sub: JsonSchema | undefined }
  | { readonly k: 'prim'; readonly desc: string; readonly type: string }
  | { readonly k: 'ref'; readonly desc: string; readonly ref: string }
  | { readonly k: 'arbitrary'; readonly desc: string };

const REF_PREFIX = '#/components/schemas/';

const obj = (v: unknown): JsonSchema | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonSchema) : undefined;
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Go's sort.Strings order. */
const sorted = (keys: string[]): string[] => keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

class Model {
  constructor(private readonly doc: OpenApiDocument) {}

  /** proto.Definitions.ParseSchema over one schema of the document. */
  node(s: JsonSchema | undefined): Node {
    if (!s) return { k: 'arbitrary', desc: '' };
    const desc = text(s.description);
    const all = Array.isArray(s.allOf) ? (s.allOf as JsonSchema[]) : [];
    const ref = text(s.$ref) || (all.length === 1 ? text(all[0]!.$ref) : '');
    if (ref) return { k: 'ref', desc, ref: ref.slice(REF_PREFIX.length) };
    const props = obj(s.properties) as Readonly<Record<string, JsonSchema>> | undefined;
    if (s.type === 'array') return { k: 'array', desc, sub: obj(s.items) };
    if (props) return { k: 'kind', desc, props, required: (s.required as string[] | undefined) ?? [] };
    if (s.type === 'object') return { k: 'map', desc, sub: obj(s.additionalProperties) };
    // Quantity and IntOrString have no type in v3; the v2 document gives them `type: string`.
    return { k: 'prim', desc, type: text(s.type) || 'string' };
  }

  resolve(ref: string): Node {
    return this.node(this.doc.components.schemas[ref]);
  }

  /**
   * The items or values of an array or map. A map without a value schema holds arbitrary values,
   * which proto.parseMap builds from the map's own schema, description included.
   */
  sub(n: Node & { sub: JsonSchema | undefined }): Node {
    return n.sub || n.k === 'array' ? this.node(n.sub) : { k: 'arbitrary', desc: n.desc };
  }

  /** typename.go: `[]`, `map[string]`, `Object` for kinds, the type of primitives. */
  typeName(n: Node): string {
    switch (n.k) {
      case 'array':
        return `[]${this.typeName(this.sub(n))}`;
      case 'map':
        return `map[string]${this.typeName(this.sub(n))}`;
      case 'kind':
        return 'Object';
      case 'prim':
        return n.type;
      case 'ref':
        return this.typeName(this.resolve(n.ref));
      default:
        return '';
    }
  }

  /** field_lookup.go: follows the path; a primitive ends the walk even with path left. */
  lookup(n: Node, path: readonly string[]): Node | { error: string } {
    switch (n.k) {
      case 'array':
      case 'map':
        return path.length === 0 ? n : this.lookup(this.sub(n), path);
      case 'ref':
        return path.length === 0 ? n : this.lookup(this.resolve(n.ref), path);
      case 'kind': {
        if (path.length === 0) return n;
        const field = n.props[path[0]!];
        if (!field) return { error: `field "${path[0]}" does not exist` };
        return this.lookup(this.node(field), path.slice(1));
      }
      default:
        return n;
    }
  }
}

/** formatter.go's wrapString: words joined by single spaces, lines kept for lists and blocks. */
function wrapLines(str: string, wrap: number): string[] {
  const wrapped: string[] = [];
  let words: string[] = [];
  let lastWord = '';
  const flush = (): void => {
    if (words.length > 0) {
      lastWord = '';
      wrapped.push(words.join(' '));
      words = [];
    }
  };
  for (const line of str.split('\n')) {
    if (line.startsWith('    ')) {
      flush();
      wrapped.push(line);
      continue;
    }
    if (wrapped.length > 0 && line.trim().length === 0) {
      flush();
      wrapped.push('');
      continue;
    }
    const trimmed = line.trim();
    if (lastWord.endsWith(':') || trimmed.length === 0 || /^(\d+\.?|-|\*)\s/.test(trimmed)) flush();
    for (const word of line.split(/\s+/).filter((w) => w !== '')) {
      lastWord = word;
      if (words.length > 0 && [...words, word].join(' ').length > wrap) flush();
      words.push(word);
    }
  }
  flush();
  return wrapped;
}

/** formatter.go's Formatter: indentation, and wrapping at 80 columns. */
class Formatter {
  out = '';

  write(indent: number, s: string): void {
    this.out += s === '' ? '\n' : `${' '.repeat(indent)}${s}\n`;
  }

  writeWrapped(indent: number, s: string): void {
    for (const line of wrapLines(s, 80 - indent)) this.write(indent, line);
  }
}

const FIELD_INDENT = 3;
const DESCRIPTION_INDENT = 5;

class Printer {
  private readonly f = new Formatter();
  private readonly descriptions: string[] = [];
  private type = '';

  constructor(
    private readonly m: Model,
    private readonly name: string,
    private readonly gvk: GroupVersionKind,
    private readonly recursive: boolean,
  ) {}

  print(n: Node): string {
    this.visit(n);
    return this.f.out;
  }

  private kindAndVersion(): void {
    this.f.write(0, `KIND:     ${this.gvk.kind}`);
    const gv = this.gvk.group === '' ? this.gvk.version : `${this.gvk.group}/${this.gvk.version}`;
    this.f.write(0, `VERSION:  ${gv}\n`);
  }

  private description(n: Node): void {
    this.f.write(0, 'DESCRIPTION:');
    let empty = true;
    for (const [i, desc] of [...this.descriptions, n.desc].entries()) {
      if (desc === '') continue;
      empty = false;
      if (i !== 0) this.f.write(0, '');
      this.f.writeWrapped(DESCRIPTION_INDENT, desc);
    }
    if (empty) this.f.writeWrapped(DESCRIPTION_INDENT, '<empty>');
  }

  private visit(n: Node): void {
    switch (n.k) {
      case 'array':
      case 'map':
        this.descriptions.push(n.desc);
        if (this.type === '') this.type = this.m.typeName(n);
        this.visit(this.m.sub(n));
        return;
      case 'ref':
        this.descriptions.push(n.desc);
        this.visit(this.m.resolve(n.ref));
        return;
      case 'kind':
        this.kindAndVersion();
        if (this.type === '') this.type = 'Object';
        if (this.name !== '') this.f.write(0, `RESOURCE: ${this.name} <${this.type}>\n`);
        this.description(n);
        this.f.write(0, '\nFIELDS:');
        if (this.recursive) this.recursiveFields(n, FIELD_INDENT, new Set());
        else this.fields(n);
        return;
      case 'prim':
        this.kindAndVersion();
        if (this.type === '') this.type = n.type;
        this.f.write(0, `FIELD:    ${this.name} <${this.type}>\n`);
        this.description(n);
        return;
      default:
        this.kindAndVersion();
        this.description(n);
    }
  }

  /** fields_printer.go: each field with its type, `-required-` and description. */
  private fields(k: Node & { k: 'kind' }): void {
    for (const key of sorted(Object.keys(k.props))) {
      const field = this.m.node(k.props[key]);
      const required = k.required.includes(key) ? ' -required-' : '';
      this.f.write(FIELD_INDENT, `${key}\t<${this.m.typeName(field)}>${required}`);
      this.f.writeWrapped(FIELD_INDENT + 2, field.desc);
      this.f.write(0, '');
    }
  }

  /** recursive_fields_printer.go: the field tree, 3 columns a level, each type once per branch. */
  private recursiveFields(n: Node, indent: number, visited: Set<string>): void {
    switch (n.k) {
      case 'array':
      case 'map':
        this.recursiveFields(this.m.sub(n), indent, visited);
        return;
      case 'ref':
        if (visited.has(n.ref)) return;
        visited.add(n.ref);
        this.recursiveFields(this.m.resolve(n.ref), indent, visited);
        visited.delete(n.ref);
        return;
      case 'kind':
        for (const key of sorted(Object.keys(n.props))) {
          const field = this.m.node(n.props[key]);
          this.f.write(indent, `${key}\t<${this.m.typeName(field)}>`);
          this.recursiveFields(field, indent + FIELD_INDENT, visited);
        }
        return;
      default:
    }
  }
}

/** GroupVersionKind.String(), as `%q` quotes it: `"apps/v1, Kind=Deployment"`. */
export function gvkString(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}, Kind=${gvk.kind}`;
}

/**
 * ExplainOptions.renderOpenAPIV2 and explain.PrintModelDescription: the kind's definition is
 * looked up by its group-version-kind, the path followed, and the model printed. The document must
 * hold the definitions (any group version's document does); errors are returned, not printed.
 */
export function renderExplainV2(
  doc: OpenApiDocument | undefined,
  gvk: GroupVersionKind,
  fieldPath: readonly string[],
  recursive: boolean,
): { out: string } | { error: string } {
  const notFound = { error: `couldn't find resource for "${gvkString(gvk)}"` };
  if (!doc) return notFound;
  const entry = Object.entries(doc.components.schemas).find(([, s]) => {
    const kinds = s['x-kubernetes-group-version-kind'];
    return (
      Array.isArray(kinds) &&
      kinds.some((k: JsonSchema) => k.group === gvk.group && k.version === gvk.version && k.kind === gvk.kind)
    );
  });
  if (!entry) return notFound;
  const m = new Model(doc);
  const found = m.lookup(m.node(entry[1]), fieldPath);
  if ('error' in found) return found;
  const name = fieldPath.length > 0 ? fieldPath[fieldPath.length - 1]! : '';
  return { out: new Printer(m, name, gvk, recursive).print(found) };
}
