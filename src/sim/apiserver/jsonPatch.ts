import { isPlainObject } from './mergePatch';

/**
 * RFC 6902 JSON patch (`application/json-patch+json`): add, remove, replace, move, copy and test,
 * with JSON pointers (RFC 6901: `~1` is `/`, `~0` is `~`, `-` appends to a list). Failures carry
 * the messages of evanphx/json-patch, which kube-apiserver uses.
 */
export interface JsonPatchOperation {
  readonly op: string;
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

export class JsonPatchError extends Error {}

type Container = Record<string, unknown> | unknown[];

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new JsonPatchError(`invalid path: ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The container holding the last token of `path`, and that token. */
function locate(doc: unknown, path: string, op: string): { parent: Container; key: string } {
  const tokens = parsePointer(path);
  const key = tokens.pop();
  if (key === undefined)
    throw new JsonPatchError(`${op} operation does not apply: doc is missing path: ${path}`);
  let node: unknown = doc;
  for (const t of tokens) {
    if (Array.isArray(node)) {
      const i = Number(t);
      if (!/^\d+$/.test(t) || i >= node.length)
        throw new JsonPatchError(
          `${op} operation does not apply: doc is missing path: "${path}": missing value`,
        );
      node = node[i];
    } else if (isPlainObject(node) && t in node) node = node[t];
    else
      throw new JsonPatchError(
        `${op} operation does not apply: doc is missing path: "${path}": missing value`,
      );
  }
  if (!Array.isArray(node) && !isPlainObject(node))
    throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  return { parent: node, key };
}

function get(doc: unknown, path: string, op: string): unknown {
  if (path === '') return doc;
  const { parent, key } = locate(doc, path, op);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!/^\d+$/.test(key) || i >= parent.length)
      throw new JsonPatchError(
        `${op} operation does not apply: doc is missing path: "${path}": missing value`,
      );
    return parent[i];
  }
  if (!(key in parent))
    throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  return parent[key];
}

function add(doc: unknown, path: string, value: unknown): unknown {
  if (path === '') return value;
  const { parent, key } = locate(doc, path, 'add');
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!(key === '-' || /^\d+$/.test(key)) || i > parent.length)
      throw new JsonPatchError(`Unable to access invalid index: ${key}: invalid index referenced`);
    parent.splice(i, 0, value);
  } else parent[key] = value;
  return doc;
}

function remove(doc: unknown, path: string, op = 'remove'): unknown {
  const { parent, key } = locate(doc, path, op);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!/^\d+$/.test(key) || i >= parent.length)
      throw new JsonPatchError(`Unable to remove nonexistent key: ${key}: missing value`);
    parent.splice(i, 1);
  } else {
    if (!(key in parent)) throw new JsonPatchError(`Unable to remove nonexistent key: ${key}: missing value`);
    delete parent[key];
  }
  return doc;
}

/** Applies `ops` to a copy of `doc`. */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw new JsonPatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out: unknown = JSON.parse(JSON.stringify(doc));
  for (const raw of ops) {
    if (!isPlainObject(raw)) throw new JsonPatchError('invalid operation');
    const op = raw as unknown as JsonPatchOperation;
    const copy = (v: unknown): unknown => (v === undefined ? null : JSON.parse(JSON.stringify(v)));
    switch (op.op) {
      case 'add':
        out = add(out, op.path, copy(op.value));
        break;
      case 'remove':
        out = remove(out, op.path);
        break;
      case 'replace': {
        if (op.path === '') {
          out = copy(op.value);
          break;
        }
        get(out, op.path, 'replace');
        const { parent, key } = locate(out, op.path, 'replace');
        if (Array.isArray(parent)) parent[Number(key)] = copy(op.value);
        else parent[key] = copy(op.value);
        break;
      }
      case 'move': {
        const value = get(out, op.from ?? '', 'move');
        out = remove(out, op.from ?? '', 'move');
        out = add(out, op.path, value);
        break;
      }
      case 'copy':
        out = add(out, op.path, copy(get(out, op.from ?? '', 'copy')));
        break;
      case 'test': {
        const actual = get(out, op.path, 'test');
        if (JSON.stringify(canonical(actual)) !== JSON.stringify(canonical(op.value)))
          throw new JsonPatchError(`testing value ${op.path} failed: test failed`);
        break;
      }
      default:
        throw new JsonPatchError(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return out;
}

/** Key order does not matter when testing equality. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (!isPlainObject(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, canonical(v[k])]),
  );
}
