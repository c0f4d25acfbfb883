import { HOME } from '../../shell/vfs';
import { matches, parseSelector } from '../../sim/api/labels';
import { apiVersionOf, type ResourceInfo } from '../../sim/api/resources';
import { isPlainObject } from '../../sim/apiserver/mergePatch';
import { isTransportError } from '../../sim/apiserver/request';
import type { Task } from '../../sim/kernel/task';
import { flagBool, flagList, flagString } from '../flags';
import { docsExample } from './docsExamples';
import { SERVER_URL, transportErrorText } from './errors';
import type { Invocation } from './invocation';
import { goQuote, klogErrorLine } from './klog';
import { type DecodedDocument, decodeStream, goJsonCompact } from './manifestDecode';
import { aggregate, urlError, type VisitError } from './visitErrors';

/**
 * cli-runtime's resource Builder over files (`-f FILE|DIR|-|URL`, `-R`), as the verbs that read
 * manifests use it: Unstructured, ContinueOnError, the default namespace filled in (and `-n`
 * enforced), lists flattened. Files come from the lab's filesystem (relative to the shell's
 * folder) and `-f -` from stdin. Errors are collected in the order kubectl meets them.
 */

type Obj = Record<string, unknown>;

/** One object read from a manifest, mapped to its resource. */
export interface ManifestObject {
  /** Where it came from, as kubectl names it: the path as given (or found in a folder), `STDIN`. */
  readonly source: string;
  readonly info: ResourceInfo;
  /** The object as it will be sent (namespace filled in for namespaced kinds). */
  readonly object: Obj;
  readonly name: string;
  /** Set for namespaced kinds. */
  readonly namespace?: string;
}

/**
 * An entry of what a visit yields in order: an object, or the error a visitor helper raised for
 * one (a namespace that does not match `-n`), which ContinueOnError collects alongside the
 * errors of the command's own calls.
 */
export type ManifestEntry = ManifestObject | { readonly kind: 'text'; readonly text: string };

export type ManifestResult =
  | {
      readonly ok: true;
      readonly entries: readonly ManifestEntry[];
      /**
       * What reading met (decoding, validation, mapping), as the aggregate the builder's file
       * visitors return: empty, or one aggregate, which ContinueOnError adds after the rest.
       */
      readonly readErrors: readonly VisitError[];
    }
  /** The builder failed before reading anything (a missing path): nothing was read. */
  | { readonly ok: false; readonly errors: readonly VisitError[] };

export function isObject(e: ManifestEntry): e is ManifestObject {
  return 'info' in e;
}

export interface ManifestOptions {
  /** Client-side schema checks (`--validate` strict or warn): apiVersion and kind must be set. */
  readonly validate: boolean;
}

const EXTENSIONS = ['.json', '.yaml', '.yml'];

/** `-f` values as kubectl's flag holds them, and `-R`. */
export function filenames(inv: Invocation): { paths: readonly string[]; recursive: boolean } {
  return { paths: flagList(inv.flags, 'filename'), recursive: flagBool(inv.flags, 'recursive') };
}

/** cmdutil.GetValidationDirective: `strict`, `warn` or `ignore`, or kubectl's error for another value. */
export function validationDirective(inv: Invocation): 'strict' | 'warn' | 'ignore' | { error: string } {
  const value = flagString(inv.flags, 'validate') ?? 'strict';
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return 'strict';
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return 'ignore';
  if (value === 'strict' || value === 'warn' || value === 'ignore') return value;
  return {
    error: `invalid - validate option ${JSON.stringify(value)}; must be one of: strict (or true), warn, ignore (or false)`,
  };
}

interface Source {
  readonly name: string;
  readonly read: () => { ok: true; text: string } | { ok: false; error: VisitError };
}

/** What a shell would have made of a leading `~` before kubectl saw the path. */
function expandHome(path: string): string {
  return path === '~' ? HOME : path.startsWith('~/') ? HOME + path.slice(1) : path;
}

/** Go's filepath.Match for one path element: `*`, `?`, `[...]`, `\` escapes. */
function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new Error('syntax error in pattern');
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('^')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else re += c.replace(/[.+^${}()|\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** filepath.Glob over the lab's filesystem; the matches keep the pattern's own form (relative stays relative). */
function glob(inv: Invocation, pattern: string): string[] {
  const fs = inv.ctx.session.files;
  const absolute = pattern.startsWith('/');
  let found: string[] = [absolute ? '/' : ''];
  for (const part of pattern.split('/').filter((p) => p !== '')) {
    const next: string[] = [];
    for (const base of found) {
      if (!/[*?[\\]/.test(part)) {
        const p = base === '' ? part : base.endsWith('/') ? base + part : `${base}/${part}`;
        if (fs.isDir(p) || fs.readFile(p).ok) next.push(p);
        continue;
      }
      const listing = fs.list(base === '' ? '.' : base);
      if (!listing.ok) continue;
      const re = globToRegExp(part);
      for (const e of listing.value) {
        if (!re.test(e.name)) continue;
        next.push(base === '' ? e.name : base.endsWith('/') ? base + e.name : `${base}/${e.name}`);
      }
    }
    found = next;
  }
  return found.filter((f) => f !== '' && f !== '/').sort();
}

/** Go's filepath.Clean: `.` and `..` resolved lexically, repeated slashes collapsed. */
function cleanPath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !absolute) out.push(part);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined === '' ? '.' : joined;
}

/** filepath.Walk from `root`: files in lexical order, sub-folders only with -R. */
function walk(inv: Invocation, root: string, recursive: boolean): string[] {
  const fs = inv.ctx.session.files;
  const out: string[] = [];
  const visit = (dir: string, top: boolean): void => {
    if (!top && !recursive) return;
    const listing = fs.list(dir);
    if (!listing.ok) return;
    for (const e of listing.value) {
      const path = cleanPath(`${dir}/${e.name}`);
      if (e.dir) visit(path, false);
      else if (EXTENSIONS.some((x) => e.name.endsWith(x))) out.push(path);
    }
  };
  visit(root, true);
  return out;
}

/** FilenameParam: the sources of every `-f`, or the builder's errors (nothing is read then). */
function expandSources(
  inv: Invocation,
  paths: readonly string[],
  recursive: boolean,
): { sources: Source[]; errors: string[] } {
  const fs = inv.ctx.session.files;
  const sources: Source[] = [];
  const errors: string[] = [];
  for (const given of paths) {
    if (given === '-') {
      sources.push({ name: 'STDIN', read: () => ({ ok: true, text: inv.ctx.stdin }) });
      continue;
    }
    if (given.startsWith('http://') || given.startsWith('https://')) {
      const example = docsExample(given);
      sources.push({
        name: given,
        read: () =>
          example !== undefined ? { ok: true, text: example } : { ok: false, error: urlError(given) },
      });
      continue;
    }
    const path = expandHome(given);
    let matched: string[];
    if (fs.isDir(path) || fs.readFile(path).ok) matched = [path];
    else {
      try {
        matched = glob(inv, path);
      } catch {
        errors.push(`pattern ${JSON.stringify(path)} is not valid: syntax error in pattern`);
        continue;
      }
      if (matched.length === 0) {
        errors.push(`the path ${JSON.stringify(path)} does not exist`);
        continue;
      }
    }
    for (const p of matched) {
      if (!fs.isDir(p)) {
        sources.push({ name: p, read: () => readText(inv, p) });
        continue;
      }
      for (const f of walk(inv, p, recursive)) sources.push({ name: f, read: () => readText(inv, f) });
    }
  }
  if (sources.length === 0 && errors.length === 0)
    errors.push(
      `error reading [${paths.map(expandHome).join(' ')}]: recognized file extensions are [${EXTENSIONS.join(' ')}]`,
    );
  return { sources, errors };
}

function readText(
  inv: Invocation,
  path: string,
): { ok: true; text: string } | { ok: false; error: VisitError } {
  const r = inv.ctx.session.files.readFile(path);
  return r.ok
    ? { ok: true, text: r.value }
    : { ok: false, error: { kind: 'text', text: `open ${path}: no such file or directory` } };
}

/** What the validator says about a document before anything else (ParamVerifyingSchema). */
function kindErrors(value: unknown): string[] {
  if (!isPlainObject(value)) return ['invalid object to validate'];
  const errors: string[] = [];
  const apiVersion = value.apiVersion;
  if (apiVersion === undefined || apiVersion === null) errors.push('apiVersion not set');
  else if (typeof apiVersion !== 'string') errors.push("apiVersion isn't string type");
  else if (apiVersion.split('/').length > 2) errors.push(`unexpected GroupVersion string: ${apiVersion}`);
  const kind = value.kind;
  if (kind === undefined || kind === null) errors.push('kind not set');
  else if (typeof kind !== 'string') errors.push("kind isn't string type");
  return errors;
}

/** Go's name for a JSON value's type in an UnmarshalTypeError. */
function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

/**
 * metadataValidatingDecoder: the document must unmarshal into TypeMeta and ObjectMeta, or kubectl
 * reports the first field that does not (fields in the document's key order, which is sorted).
 */
function metadataError(value: Obj): string | undefined {
  const typeErr = (field: string, v: unknown, type: string): string =>
    `json: cannot unmarshal ${jsonType(v)} into Go struct field ${field} of type ${type}`;
  for (const key of Object.keys(value).sort()) {
    const v = value[key];
    if (v === null) continue;
    if ((key === 'apiVersion' || key === 'kind') && typeof v !== 'string')
      return typeErr(`metadataOnlyObject.${key}`, v, 'string');
    if (key !== 'metadata') continue;
    if (!isPlainObject(v)) return typeErr('metadataOnlyObject.metadata', v, 'v1.ObjectMeta');
    for (const field of Object.keys(v).sort()) {
      const f = v[field];
      const at = `ObjectMeta.metadata.${field}`;
      if (f === null) continue;
      if (['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion'].includes(field)) {
        if (typeof f !== 'string') return typeErr(at, f, 'string');
      } else if (field === 'labels' || field === 'annotations') {
        if (!isPlainObject(f)) return typeErr(at, f, 'map[string]string');
        for (const k of Object.keys(f).sort())
          if (f[k] !== null && typeof f[k] !== 'string') return typeErr(at, f[k], 'string');
      } else if (field === 'finalizers') {
        if (!Array.isArray(f)) return typeErr(at, f, '[]string');
        for (const x of f) if (x !== null && typeof x !== 'string') return typeErr(at, x, 'string');
      } else if (field === 'generation' || field === 'deletionGracePeriodSeconds') {
        if (typeof f !== 'number' || !Number.isInteger(f)) return typeErr(at, f, 'int64');
      }
    }
  }
  return undefined;
}

/** `kind: List` (or any kind ending in List) with items: flattened into its items. */
function isList(value: Obj): boolean {
  return typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items);
}

/**
 * Reads the manifests `-f` names and maps every object. Discovery (and, with validation, the
 * OpenAPI document kubectl fetches first) goes to the server once per document, as kubectl's
 * uncached lookups do while the server is unreachable.
 */
export function* readManifests(inv: Invocation, opts: ManifestOptions): Task<ManifestResult> {
  const { paths, recursive } = filenames(inv);
  const { sources, errors: builderErrors } = expandSources(inv, paths, recursive);
  if (builderErrors.length > 0)
    return { ok: false, errors: [aggregate(builderErrors.map((text) => ({ kind: 'text' as const, text })))] };
  const selectorText = flagString(inv.flags, 'selector') ?? '';
  const selector = parseSelector(selectorText);
  if (!selector.ok)
    return {
      ok: false,
      errors: [
        {
          kind: 'text',
          text: `the provided selector ${JSON.stringify(selectorText)} is not valid: ${selector.error}`,
        },
      ],
    };
  const entries: ManifestEntry[] = [];
  const errors: VisitError[] = [];
  let resources: readonly ResourceInfo[] | undefined;

  /** One discovery request: the resources, or the error text of a server that cannot be reached. */
  function* discovery(): Task<readonly ResourceInfo[] | { transport: string; status?: string }> {
    if (resources) return resources;
    const outcome = yield* inv.ctx.client.call({ verb: 'discovery', resource: '' });
    if (isTransportError(outcome)) return { transport: transportErrorText(outcome) };
    if (outcome.code >= 300) {
      const message = (outcome.body as { message?: string } | undefined)?.message ?? '';
      return { transport: '', status: message };
    }
    resources = outcome.body as readonly ResourceInfo[];
    return resources;
  }

  /** The object mapped (and namespaced), or its error. */
  function* visitObject(
    source: string,
    value: Obj,
    raw: string,
    listItem = false,
  ): Task<ManifestEntry | { readonly read: VisitError } | undefined> {
    const fail = (text: string) => ({ read: { kind: 'text' as const, text } });
    if (typeof value.kind !== 'string' || value.kind === '')
      return fail(`unable to decode ${JSON.stringify(source)}: Object 'Kind' is missing in '${raw}'`);
    const metaError = metadataError(value);
    if (metaError) return fail(`unable to decode ${JSON.stringify(source)}: ${metaError}`);
    const metadata = isPlainObject(value.metadata) ? value.metadata : {};
    const name = typeof metadata.name === 'string' ? metadata.name : '';
    const objNamespace = typeof metadata.namespace === 'string' ? metadata.namespace : '';
    const found = yield* discovery();
    if (!Array.isArray(found)) {
      const why = found as { transport: string; status?: string };
      if (why.status !== undefined)
        return fail(`unable to recognize ${JSON.stringify(source)}: ${why.status}`);
      inv.err(
        klogErrorLine(
          inv.ctx.cluster.sim.nowMs,
          'memcache.go:265',
          `"Unhandled Error" err=${goQuote(`couldn't get current server API group list: Get "${SERVER_URL}/api?timeout=32s": ${why.transport}`)}`,
        ),
      );
      return fail(
        `unable to recognize ${JSON.stringify(source)}: Get "${SERVER_URL}/api?timeout=32s": ${why.transport}`,
      );
    }
    const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
    const info = (found as readonly ResourceInfo[]).find(
      (r) => r.kind === value.kind && apiVersionOf(r) === apiVersion,
    );
    if (!info && listItem)
      return fail(
        `unable to recognize no matches for kind ${JSON.stringify(value.kind)} in version ${JSON.stringify(apiVersion)}`,
      );
    if (!info)
      return fail(
        `resource mapping not found for name: ${JSON.stringify(name)} namespace: ${JSON.stringify(objNamespace)} from ${JSON.stringify(source)}: no matches for kind ${JSON.stringify(value.kind)} in version ${JSON.stringify(apiVersion)}\nensure CRDs are installed first`,
      );
    // The label selector filters before the namespace helpers run.
    const labels = isPlainObject(metadata.labels) ? (metadata.labels as Record<string, string>) : undefined;
    if (!matches(selector.ok ? selector.selector : [], labels)) return undefined;
    const object: Obj = JSON.parse(JSON.stringify(value));
    let namespace: string | undefined;
    if (info.namespaced) {
      namespace = objNamespace;
      if (namespace === '') {
        namespace = inv.namespace;
        object.metadata = { ...(isPlainObject(object.metadata) ? object.metadata : {}), namespace };
      } else if (inv.explicitNamespace && namespace !== inv.namespace)
        return {
          kind: 'text',
          text: `the namespace from the provided object ${JSON.stringify(namespace)} does not match the namespace ${JSON.stringify(inv.namespace)}. You must pass '--namespace=${namespace}' to perform this operation.`,
        };
    } else if (isPlainObject(object.metadata) && 'namespace' in object.metadata) {
      const { namespace: _ns, ...rest } = object.metadata;
      object.metadata = rest;
    }
    return {
      source,
      info,
      object,
      name,
      ...(namespace !== undefined ? { namespace } : {}),
    };
  }

  for (const source of sources) {
    const read = source.read();
    if (!read.ok) {
      errors.push(read.error);
      continue;
    }
    const decoded = decodeStream(read.text);
    const documents: DecodedDocument[] = [...decoded.documents];
    let stop: string | undefined = decoded.ok ? undefined : `error parsing ${source.name}: ${decoded.error}`;
    for (let d = 0; d < documents.length; d++) {
      const { value, raw } = documents[d]!;
      if (opts.validate) {
        const problems = kindErrors(value);
        let why: string | undefined;
        if (problems.length > 0) why = problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`;
        else {
          // kubectl fetches the server's OpenAPI document to decide who validates.
          const found = yield* discovery();
          if (!Array.isArray(found)) {
            const f = found as { transport: string; status?: string };
            why =
              f.status !== undefined
                ? f.status
                : `failed to download openapi: Get "${SERVER_URL}/openapi/v2?timeout=32s": ${f.transport}`;
          }
        }
        if (why !== undefined) {
          // A document that fails validation ends its file.
          stop = `error validating ${JSON.stringify(source.name)}: error validating data: ${why}; if you choose to ignore these errors, turn validation off with --validate=false`;
          break;
        }
      }
      if (!isPlainObject(value)) {
        errors.push({
          kind: 'text',
          text: `unable to decode ${JSON.stringify(source.name)}: json: cannot unmarshal ${jsonType(value)} into Go value of type map[string]interface {}`,
        });
        continue;
      }
      if (isList(value)) {
        const itemErrors: VisitError[] = [];
        for (const item of value.items as unknown[]) {
          if (!isPlainObject(item)) {
            itemErrors.push({
              kind: 'text',
              text: `unable to decode ${JSON.stringify(source.name)}: invalid list item`,
            });
            continue;
          }
          const r = yield* visitObject(source.name, item, goJsonCompact(item), true);
          if (r === undefined) continue;
          if ('read' in r) itemErrors.push(r.read);
          else entries.push(r);
        }
        if (itemErrors.length > 0) errors.push(aggregate(itemErrors));
        continue;
      }
      const r = yield* visitObject(source.name, value, raw);
      if (r === undefined) continue;
      if ('read' in r) errors.push(r.read);
      else entries.push(r);
    }
    if (stop !== undefined) errors.push({ kind: 'text', text: stop });
  }
  return { ok: true, entries, readErrors: errors.length > 0 ? [aggregate(errors)] : [] };
}

/** `Resource: "apps/v1, Resource=deployments", GroupVersionKind: "apps/v1, Kind=Deployment"\nName: "web", Namespace: "default"`. */
export function infoString(o: ManifestObject): string {
  const gv = o.info.group === '' ? `/${o.info.version}` : `${o.info.group}/${o.info.version}`;
  return `Resource: "${gv}, Resource=${o.info.resource}", GroupVersionKind: "${gv}, Kind=${o.info.kind}"\nName: ${JSON.stringify(o.name)}, Namespace: ${JSON.stringify(o.namespace ?? '')}`;
}

/** The URL of an object (or of its collection, without `name`), as client-go builds it. */
export function objectUrl(o: ManifestObject, withName = true): string {
  const base =
    o.info.group === ''
      ? `${SERVER_URL}/api/${o.info.version}`
      : `${SERVER_URL}/apis/${o.info.group}/${o.info.version}`;
  const ns = o.namespace !== undefined ? `/namespaces/${o.namespace}` : '';
  return `${base}${ns}/${o.info.resource}${withName ? `/${o.name}` : ''}`;
}
