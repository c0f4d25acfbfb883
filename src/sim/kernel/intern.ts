/**
 * Interning of strings that thousands of objects repeat (image references, event messages and
 * reasons): one flat copy shared by all, instead of one rope per object. Bounded: two generations
 * of at most LIMIT entries, so a stream of unique strings cannot grow it. Results are equal strings
 * either way, so this changes memory only, never behaviour.
 */
const LIMIT = 4096;
let current = new Map<string, string>();
let previous = new Map<string, string>();

export function intern(text: string): string {
  let shared = current.get(text);
  if (shared !== undefined) return shared;
  shared = previous.get(text) ?? flat(text);
  if (current.size >= LIMIT) {
    previous = current;
    current = new Map();
  }
  current.set(text, shared);
  return shared;
}

/** A flat copy: V8 keeps concatenations as ropes of pieces, which cost more than the characters. */
function flat(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}

/**
 * Hash-consing of immutable records that many objects repeat (a pod condition, a waiting container
 * status): one copy per distinct key, bounded like `intern` (two generations of at most `limit`).
 * Callers build the key from every field, so a shared record is equal to the one it replaces.
 */
export class SharedRecords<T, K = string> {
  private current = new Map<K, T>();
  private previous = new Map<K, T>();

  constructor(private readonly limit = LIMIT) {}

  /** The record for `key`, or undefined; call `add` with a fresh one then. */
  get(key: K): T | undefined {
    const hit = this.current.get(key);
    if (hit !== undefined) return hit;
    const old = this.previous.get(key);
    if (old !== undefined) this.add(key, old);
    return old;
  }

  add(key: K, record: T): T {
    if (this.current.size >= this.limit) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, record);
    return record;
  }
}
