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
  | { readonly key: string; readonly target: 'create'; readonly equals: number }
  | { readonly key: string; readonly target: 'version'; readonly equals: number };

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
  /** Superseded versions and tombstones kept since the last compaction, per key. */
  readonly history?: readonly (readonly [string, readonly KeyValue[]])[];
  readonly compactRevision?: number;
}

/** etcd's errors for a read at a revision it no longer (or does not yet) hold. */
export const ERR_COMPACTED = 'etcdserver: mvcc: required revision has been compacted';
export const ERR_FUTURE_REV = 'etcdserver: mvcc: required revision is a future revision';

export type RangeAtResult = { ok: true; value: RangeResult } | { ok: false; error: string };

export class MvccStore {
  /** etcd's revision starts at 1 for an empty store. */
  private rev = 1;
  private readonly kvs = new Map<string, KeyValue>();
  private readonly watchers = new Set<Watcher>();
  /**
   * MVCC history: for each key, its superseded versions and tombstones (oldest first) since the
   * last compaction; the current version lives in `kvs`. Compaction drops what no revision at or
   * after the compaction point can see, so memory stays bounded by the writes between compactions.
   */
  private readonly history = new Map<string, KeyValue[]>();
  private compactRev = 0;
  private pastCount = 0;

  get compactRevision(): number {
    return this.compactRev;
  }

  get revision(): number {
    return this.rev;
  }

  get keyCount(): number {
    return this.kvs.size;
  }

  /** The current version of one key, without building a range result. */
  get(key: string): KeyValue | undefined {
    return this.kvs.get(key);
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

  /** A range as of revision `rev` (etcd's RangeRequest.revision); 0 or the current revision reads now. */
  rangeAt(key: string, prefix: boolean, rev: number, limit = 0): RangeAtResult {
    if (rev <= 0 || rev === this.rev) return { ok: true, value: this.range(key, prefix, limit) };
    if (rev > this.rev) return { ok: false, error: ERR_FUTURE_REV };
    if (rev < this.compactRev) return { ok: false, error: ERR_COMPACTED };
    const visible = (k: string): KeyValue | undefined => {
      const cur = this.kvs.get(k);
      let found: KeyValue | undefined = cur && cur.modRevision <= rev ? cur : undefined;
      if (!found) {
        const past = this.history.get(k) ?? [];
        for (let i = past.length - 1; i >= 0; i--) {
          const kv = past[i] as KeyValue;
          if (kv.modRevision <= rev) {
            found = kv;
            break;
          }
        }
      }
      return found && found.version > 0 ? found : undefined;
    };
    const matches: KeyValue[] = [];
    if (!prefix) {
      const kv = visible(key);
      if (kv) matches.push(kv);
    } else {
      const keys = new Set<string>();
      for (const k of this.kvs.keys()) if (k.startsWith(key)) keys.add(k);
      for (const k of this.history.keys()) if (k.startsWith(key)) keys.add(k);
      for (const k of keys) {
        const kv = visible(k);
        if (kv) matches.push(kv);
      }
      matches.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }
    const count = matches.length;
    return {
      ok: true,
      value: { kvs: limit > 0 ? matches.slice(0, limit) : matches, count, revision: this.rev },
    };
  }

  /**
   * etcd's Compact: forget every version not visible at `rev` or later. Fails as etcd does for a
   * revision already compacted or not yet written.
   */
  compact(rev: number): { ok: true } | { ok: false; error: string } {
    if (rev <= this.compactRev) return { ok: false, error: ERR_COMPACTED };
    if (rev > this.rev) return { ok: false, error: ERR_FUTURE_REV };
    this.compactRev = rev;
    for (const [k, past] of this.history) {
      const cur = this.kvs.get(k);
      // The newest record at or before `rev` is what `rev` sees; a current version at or before
      // `rev` hides every past one.
      let keepFrom = past.length;
      if (!cur || cur.modRevision > rev) {
        for (let i = past.length - 1; i >= 0; i--) {
          if ((past[i] as KeyValue).modRevision <= rev) {
            keepFrom = (past[i] as KeyValue).version > 0 ? i : i + 1;
            break;
          }
          keepFrom = i;
        }
      }
      if (keepFrom >= past.length) this.history.delete(k);
      else if (keepFrom > 0) this.history.set(k, past.slice(keepFrom));
    }
    this.pastCount = 0;
    for (const past of this.history.values()) this.pastCount += past.length;
    return { ok: true };
  }

  /** Superseded versions held for `--rev` reads (what the next compaction frees). */
  get historySize(): number {
    return this.pastCount;
  }

  txn(req: TxnRequest): TxnResponse {
    // Plain loops: this runs for every write on every member, and closures add up.
    let succeeded = true;
    for (const c of req.compare) {
      if (!this.compare(c)) {
        succeeded = false;
        break;
      }
    }
    const ops = succeeded ? req.success : req.failure;
    let writes = false;
    for (const op of ops) {
      if (op.type === 'put' || (op.type === 'delete' && this.hasAny(op.key, op.prefix))) {
        writes = true;
        break;
      }
    }
    const nextRev = writes ? this.rev + 1 : this.rev;
    const events: WatchEvent[] = [];
    const results: OpResult[] = [];
    for (const op of ops) results.push(this.applyOp(op, nextRev, events));
    if (writes) this.rev = nextRev;
    // A safety net for huge clusters between the API server's compactions: past versions are
    // kept in memory (etcd keeps them on disk), so beyond a bound the older half goes early.
    if (this.pastCount > MAX_HISTORY_RECORDS) this.compact(Math.floor((this.compactRev + this.rev) / 2));
    if (events.length > 0) this.notify(events);
    return { succeeded, revision: this.rev, results };
  }

  watch(prefix: string, fn: Watcher['fn']): () => void {
    const w: Watcher = { prefix, fn };
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  snapshot(): StoreSnapshot {
    return {
      revision: this.rev,
      kvs: [...this.kvs.values()],
      history: [...this.history].map(([k, past]) => [k, past.slice()] as const),
      compactRevision: this.compactRev,
    };
  }

  /**
   * Replaces the state with a snapshot from the leader. Watchers are told what changed between the
   * two states, as etcd's unsynced watchers catch up from the backend after a restore: without it an
   * API server watching this member would silently miss those writes and its informers go stale.
   */
  restore(snap: StoreSnapshot): void {
    const before = new Map(this.kvs);
    this.kvs.clear();
    for (const kv of snap.kvs) this.kvs.set(kv.key, kv);
    this.rev = snap.revision;
    const events: WatchEvent[] = [];
    for (const [key, prev] of before) {
      if (this.kvs.has(key)) continue;
      const tombstone: KeyValue = {
        key,
        value: null,
        createRevision: 0,
        modRevision: snap.revision,
        version: 0,
      };
      events.push({ type: 'DELETE', kv: tombstone, prevKv: prev });
    }
    for (const kv of snap.kvs) {
      const prev = before.get(kv.key);
      if (prev === kv || (prev && prev.modRevision === kv.modRevision)) continue;
      events.push(prev ? { type: 'PUT', kv, prevKv: prev } : { type: 'PUT', kv });
    }
    events.sort((a, b) => a.kv.modRevision - b.kv.modRevision);
    this.history.clear();
    for (const [k, past] of snap.history ?? []) this.history.set(k, past.slice());
    this.compactRev = snap.compactRevision ?? 0;
    this.pastCount = 0;
    for (const past of this.history.values()) this.pastCount += past.length;
    if (events.length > 0) this.notify(events);
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
    if (c.target === 'version') return (kv?.version ?? 0) === c.equals;
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
        if (prev) this.remember(prev);
        events.push(prev ? { type: 'PUT', kv, prevKv: prev } : { type: 'PUT', kv });
        return prev ? { kvs: [prev] } : NOTHING_REPLACED;
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
          this.remember(prev);
          this.remember(tombstone);
          events.push({ type: 'DELETE', kv: tombstone, prevKv: prev });
        }
        return { kvs: gone };
      }
    }
  }

  private remember(kv: KeyValue): void {
    const past = this.history.get(kv.key);
    if (!past) this.history.set(kv.key, [kv]);
    // A short history (a pod's few versions) is copied at its exact size: push would give every
    // key's array 17 slots, on each member.
    else if (past.length < EXACT_HISTORY_UP_TO) this.history.set(kv.key, past.concat([kv]));
    else past.push(kv);
    this.pastCount++;
  }

  private notify(events: readonly WatchEvent[]): void {
    // Most transactions write one key: hand the same list to every watcher it matches, and build
    // a filtered one only when a watcher sees part of a multi-key transaction.
    for (const w of this.watchers) {
      let matching = 0;
      for (const e of events) if (e.kv.key.startsWith(w.prefix)) matching++;
      if (matching === 0) continue;
      w.fn(
        matching === events.length ? events : events.filter((e) => e.kv.key.startsWith(w.prefix)),
        this.rev,
      );
    }
  }
}

/** Histories up to this long grow by copying, not by push (see remember). */
const EXACT_HISTORY_UP_TO = 8;

/** Most past versions a store keeps in memory before compacting early (see txn). */
export const MAX_HISTORY_RECORDS = 200_000;

/** The result of a put that replaced nothing (shared: results are read-only). */
const NOTHING_REPLACED: OpResult = Object.freeze({ kvs: Object.freeze([]) as readonly KeyValue[] });

/** The KeyValue each put op produced, shared by the members that apply the same log entry. */
const appliedPuts = new WeakMap<Op, KeyValue>();

function approximateValueBytes(value: unknown): number {
  if (typeof value === 'string') return value.length;
  return 600; // a typical small Kubernetes object serialized
}
