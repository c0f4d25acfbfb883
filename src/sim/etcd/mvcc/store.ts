/**
 * etcd's MVCC key-value store, reduced to what the simulation shows: a main revision bumped once
 * per writing transaction, per-key create/mod revisions and version, prefix ranges and watches.
 * Values are immutable JS objects shared with whoever reads them (never copied, never mutated).
 */
export interface KeyValue {
  readonly key: string;
  readonly value: unknown;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly version: number;
}

export type Compare =
  | { readonly key: string; readonly target: 'mod'; readonly equals: number }
  | { readonly key: string; readonly target: 'create'; readonly equals: number };

export type Op =
  | { readonly type: 'put'; readonly key: string; readonly value: unknown }
  | { readonly type: 'delete'; readonly key: string; readonly prefix?: boolean }
  | { readonly type: 'range'; readonly key: string; readonly prefix?: boolean };

export interface TxnRequest {
  readonly compare: readonly Compare[];
  readonly success: readonly Op[];
  readonly failure: readonly Op[];
}

export interface OpResult {
  /** For range ops: the matching keys; for put/delete: the previous values. */
  readonly kvs: readonly KeyValue[];
}

export interface TxnResponse {
  readonly succeeded: boolean;
  readonly revision: number;
  readonly results: readonly OpResult[];
}

export interface RangeResult {
  readonly kvs: readonly KeyValue[];
  readonly count: number;
  readonly revision: number;
}

export interface WatchEvent {
  readonly type: 'PUT' | 'DELETE';
  readonly kv: KeyValue;
  readonly prevKv?: KeyValue;
}

type Watcher = {
  readonly prefix: string;
  readonly fn: (events: readonly WatchEvent[], revision: number) => void;
};

/** The part of the store a snapshot carries (Raft compaction and catch-up). */
export interface StoreSnapshot {
  readonly revision: number;
  readonly kvs: readonly KeyValue[];
}

export class MvccStore {
  /** etcd's revision starts at 1 for an empty store. */
  private rev = 1;
  private readonly kvs = new Map<string, KeyValue>();
  private readonly watchers = new Set<Watcher>();

  get revision(): number {
    return this.rev;
  }

  get keyCount(): number {
    return this.kvs.size;
  }

  range(key: string, prefix = false, limit = 0): RangeResult {
    if (!prefix) {
      const kv = this.kvs.get(key);
      return { kvs: kv ? [kv] : [], count: kv ? 1 : 0, revision: this.rev };
    }
    const matches: KeyValue[] = [];
    for (const [k, kv] of this.kvs) if (k.startsWith(key)) matches.push(kv);
    matches.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const count = matches.length;
    return { kvs: limit > 0 ? matches.slice(0, limit) : matches, count, revision: this.rev };
  }

  txn(req: TxnRequest): TxnResponse {
    const succeeded = req.compare.every((c) => this.compare(c));
    const ops = succeeded ? req.success : req.failure;
    const writes = ops.some(
      (op) => op.type !== 'range' && (op.type === 'put' || this.hasAny(op.key, op.prefix)),
    );
    const nextRev = writes ? this.rev + 1 : this.rev;
    const events: WatchEvent[] = [];
    const results = ops.map((op) => this.applyOp(op, nextRev, events));
    if (writes) this.rev = nextRev;
    if (events.length > 0) this.notify(events);
    return { succeeded, revision: this.rev, results };
  }

  watch(prefix: string, fn: Watcher['fn']): () => void {
    const w: Watcher = { prefix, fn };
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  snapshot(): StoreSnapshot {
    return { revision: this.rev, kvs: [...this.kvs.values()] };
  }

  restore(snap: StoreSnapshot): void {
    this.kvs.clear();
    for (const kv of snap.kvs) this.kvs.set(kv.key, kv);
    this.rev = snap.revision;
  }

  /** An estimate of the backend size in bytes, as `endpoint status` DB SIZE shows. */
  approximateSizeBytes(): number {
    let bytes = 20_480; // an empty bbolt file is 20 kB
    for (const kv of this.kvs.values()) bytes += kv.key.length + 64 + approximateValueBytes(kv.value);
    return bytes;
  }

  private compare(c: Compare): boolean {
    const kv = this.kvs.get(c.key);
    if (c.target === 'mod') return (kv?.modRevision ?? 0) === c.equals;
    return (kv?.createRevision ?? 0) === c.equals;
  }

  private hasAny(key: string, prefix?: boolean): boolean {
    if (!prefix) return this.kvs.has(key);
    for (const k of this.kvs.keys()) if (k.startsWith(key)) return true;
    return false;
  }

  private applyOp(op: Op, rev: number, events: WatchEvent[]): OpResult {
    switch (op.type) {
      case 'range':
        return { kvs: this.range(op.key, op.prefix).kvs };
      case 'put': {
        const prev = this.kvs.get(op.key);
        const createRevision = prev?.createRevision ?? rev;
        const version = (prev?.version ?? 0) + 1;
        // Every member applies the same committed put: the first builds the KeyValue, the others
        // share it (it is immutable), so a key costs one record however many members hold it.
        let kv = appliedPuts.get(op);
        if (!kv || kv.modRevision !== rev || kv.createRevision !== createRevision || kv.version !== version) {
          kv = { key: op.key, value: op.value, createRevision, modRevision: rev, version };
          appliedPuts.set(op, kv);
        }
        this.kvs.set(op.key, kv);
        events.push(prev ? { type: 'PUT', kv, prevKv: prev } : { type: 'PUT', kv });
        return { kvs: prev ? [prev] : [] };
      }
      case 'delete': {
        const gone = this.range(op.key, op.prefix).kvs;
        for (const prev of gone) {
          this.kvs.delete(prev.key);
          const tombstone: KeyValue = {
            key: prev.key,
            value: null,
            createRevision: 0,
            modRevision: rev,
            version: 0,
          };
          events.push({ type: 'DELETE', kv: tombstone, prevKv: prev });
        }
        return { kvs: gone };
      }
    }
  }

  private notify(events: readonly WatchEvent[]): void {
    for (const w of this.watchers) {
      const mine = events.filter((e) => e.kv.key.startsWith(w.prefix));
      if (mine.length > 0) w.fn(mine, this.rev);
    }
  }
}

/** The KeyValue each put op produced, shared by the members that apply the same log entry. */
const appliedPuts = new WeakMap<Op, KeyValue>();

function approximateValueBytes(value: unknown): number {
  if (typeof value === 'string') return value.length;
  return 600; // a typical small Kubernetes object serialized
}
