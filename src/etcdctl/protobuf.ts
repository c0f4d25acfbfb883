import { fromStorage } from '../sim/apiserver/eventStorage';

/**
 * What kube-apiserver really writes under /registry: `k8s\0` followed by a protobuf
 * runtime.Unknown (1: TypeMeta{1: apiVersion, 2: kind}, 2: raw object, 3: contentEncoding,
 * 4: contentType). The simulated API server keeps objects as JS values, so the raw object here is
 * a generic protobuf encoding of them: fields numbered in order, strings and nested messages
 * length-delimited, integers as varints, maps as repeated {1: key, 2: value} entries. The bytes
 * are not Kubernetes' exact field numbers, but they look and read as they do: `k8s`, the type,
 * then names, labels and images between binary lengths and tags.
 */

const MAGIC = [0x6b, 0x38, 0x73, 0x00];
/** Fields that are map<string,string> (or map<string,Quantity>) in the Kubernetes protobuf schema. */
const MAP_FIELDS = new Set([
  'labels',
  'annotations',
  'nodeSelector',
  'matchLabels',
  'limits',
  'requests',
  'capacity',
  'allocatable',
  'data',
  'stringData',
  'selector',
]);

const utf8 = new TextEncoder();

function varint(out: number[], n: number): void {
  let v = Math.max(0, Math.floor(n));
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function bytesField(out: number[], field: number, bytes: ArrayLike<number>): void {
  varint(out, (field << 3) | 2);
  varint(out, bytes.length);
  for (let i = 0; i < bytes.length; i++) out.push(bytes[i] as number);
}

function encodeValue(out: number[], field: number, name: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const v of value) encodeValue(out, field, name, v);
    return;
  }
  switch (typeof value) {
    case 'string':
      bytesField(out, field, utf8.encode(value));
      return;
    case 'boolean':
      varint(out, field << 3);
      varint(out, value ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= 0) {
        varint(out, field << 3);
        varint(out, value);
      } else bytesField(out, field, utf8.encode(String(value)));
      return;
    case 'object': {
      const obj = value as Record<string, unknown>;
      if (MAP_FIELDS.has(name) && Object.values(obj).every((v) => typeof v !== 'object')) {
        for (const [k, v] of Object.entries(obj)) {
          const entry: number[] = [];
          bytesField(entry, 1, utf8.encode(k));
          bytesField(entry, 2, utf8.encode(String(v)));
          bytesField(out, field, entry);
        }
        return;
      }
      bytesField(out, field, encodeMessage(obj));
      return;
    }
    default:
      return;
  }
}

function encodeMessage(obj: Record<string, unknown>): number[] {
  const out: number[] = [];
  let field = 0;
  for (const [k, v] of Object.entries(obj)) encodeValue(out, ++field, k, v);
  return out;
}

/** The bytes etcd holds for a stored value: user strings as UTF-8, API objects as k8s protobuf. */
export function storedBytes(stored: unknown): Uint8Array {
  // An Event the API server stored compactly is the full object on the wire, as etcd holds it.
  const value = fromStorage(stored);
  if (typeof value === 'string') return utf8.encode(value);
  if (value === null || value === undefined) return new Uint8Array();
  if (typeof value !== 'object') return utf8.encode(String(value));
  const { apiVersion, kind, ...rest } = value as Record<string, unknown>;
  // The API server clears resourceVersion before storing (the revision is etcd's own).
  const metadata = rest.metadata as Record<string, unknown> | undefined;
  if (metadata && typeof metadata === 'object' && 'resourceVersion' in metadata) {
    const { resourceVersion: _rv, ...meta } = metadata;
    rest.metadata = meta;
  }
  const typeMeta: number[] = [];
  if (typeof apiVersion === 'string') bytesField(typeMeta, 1, utf8.encode(apiVersion));
  if (typeof kind === 'string') bytesField(typeMeta, 2, utf8.encode(kind));
  const unknown: number[] = [];
  bytesField(unknown, 1, typeMeta);
  bytesField(unknown, 2, encodeMessage(rest));
  bytesField(unknown, 3, []);
  bytesField(unknown, 4, []);
  return Uint8Array.from([...MAGIC, ...unknown]);
}

/**
 * The bytes as a terminal shows them when etcdctl writes them raw: printable text and newlines
 * stay, other control bytes are invisible, and bytes that are not valid UTF-8 show as U+FFFD.
 */
export function terminalText(bytes: Uint8Array): string {
  const kept: number[] = [];
  for (const b of bytes) if (b === 0x0a || b === 0x09 || (b >= 0x20 && b !== 0x7f)) kept.push(b);
  return new TextDecoder('utf-8').decode(Uint8Array.from(kept));
}

export function base64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}
