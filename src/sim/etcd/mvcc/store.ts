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
  /**
   * The lease the key is attached to (16 hex digits, as etcdctl prints lease ids), or undefined.
   * Always present, undefined when none, so every record has the same shape.
   */
  readonly lease: string | undefined;
}

export type Compare =
  | { readonly key: string; readonly target: 'mod'; readonly equals: number }
  | { readonly key: string; readonly target: 'create'; readonly equals: number }
  | { readonly key: string; readonly target: 'version'; readonly equals: number };

export type Op =
  | {
      readonly type: 'put';
      readonly key: string;
      readonly value: unknown;
      /**
       * What readers get for the value written at `revision`. etcd holds bytes that the API server
       * decodes on every read; the simulation decodes each version once, as it is applied, and
       * every member, watcher and cache shares that one object (it carries its resourceVersion).
       */
      readonly decode?: (value: unknown, revision: number) => unknown;
      /** Attaches the key to this lease (detaching it from any other): revoking it deletes the key. */
      readonly lease?: string;
    }
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
  /** The keyspace the sender's store reads from: a member restoring this snapshot shares it. */
  readonly keyspace?: Keyspace;
}

/** etcd's errors for a read at a revision it no longer (or does not yet) hold. */
export const ERR_COMPACTED = 'etcdserver: mvcc: required revision has been compacted';
export const ERR_FUTURE_REV = 'etcdserver: mvcc: required revision is a future revision';

export type RangeAtResult = { ok: true; value: RangeResult } | { ok: false; error: string };

/** What applying one transaction did: every member that applies it after the first reuses it. */
interface Outcome {
  /** The keyspace it was computed on: a store reading another one computes it anew. */
  readonly keyspace: Keyspace;
  readonly response: TxnResponse;
  readonly events: readonly WatchEvent[];
  /**
   * The sharing stores that have not applied it yet. At 0 the request lets go of it: the entry
   * stays in the Raft log until the next compaction, and its answer and events (which hold the
   * superseded versions) need not stay with it.
   */
  remaining: number;
}

/**
 * Where a request keeps its outcome: on the request itself (the Raft entry every member applies),
 * under a symbol JSON and key listings never see. A WeakMap would do, at a cost to every GC.
 */
const OUTCOME = Symbol('outcome');
type Applied = TxnRequest & { [OUTCOME]?: Outcome };

/**
 * The versions of every key: the current ones, and the superseded versions and tombstones since
 * the last compaction. Every member of an etcd cluster applies the same log, so they hold the same
 * keyspace at the revisions they reached: the simulation keeps one and lets each member's store
 * read it as of its own revision (a member behind, e.g. cut off by a partition, reads the past).
 * A transaction is computed once, by the first member to apply it, and reused by the others.
 */
class Keyspace {
  /** The newest revision any store applied. etcd's revision starts at 1 for an empty store. */
  rev = 1;
  readonly kvs = new Map<string, KeyValue>();
  /** Per key, superseded versions and tombstones, oldest first; the current version is in `kvs`. */
  readonly history = new Map<string, KeyValue[]>();
  /** Nothing at or before this revision is kept beyond what it sees (the oldest compaction of the stores). */
  compactRev = 0;
  pastCount = 0;
  readonly stores = new Set<MvccStore>();
  /** Keys deleted whose past is still kept (absent from `kvs`, present in `history`). */
  readonly deleted = new Set<string>();
  /**
   * Per lease, the keys attached to it since it was granted, in order: a key attached again or
   * moved to another lease stays listed (a list costs a pointer per write, a set three), so
   * readers keep only the keys whose current version still names the lease.
   */
  readonly leaseKeys = new Map<string, string[]>();

  /** The keys `lease` holds now, sorted (etcd revokes them in this order, in one transaction). */
  attachedKeys(lease: string, rev: number): string[] {
    const keys = new Set<string>();
    for (const k of this.leaseKeys.get(lease) ?? []) {
      const kv = rev === this.rev ? this.kvs.get(k) : this.versionAt(k, rev);
      if (kv?.lease === lease && kv.version > 0) keys.add(k);
    }
    return [...keys].sort();
  }

  /** Rebuilds `leaseKeys` from the current versions (a keyspace built from a copy or a snapshot). */
  indexLeases(): void {
    this.leaseKeys.clear();
    for (const kv of this.kvs.values()) if (kv.lease !== undefined) this.attach(kv.key, kv.lease);
  }

  attach(key: string, lease: string): void {
    const keys = this.leaseKeys.get(lease);
    if (keys) keys.push(key);
    else this.leaseKeys.set(lease, [key]);
  }

  /** The version of `key` visible at `rev` (a tombstone stays visible as such: version 0). */
  versionAt(key: string, rev: number): KeyValue | undefined {
    const cur = this.kvs.get(key);
    if (cur && cur.modRevision <= rev) return cur;
    const past = this.history.get(key);
    if (!past) return undefined;
    for (let i = past.length - 1; i >= 0; i--) {
      const kv = past[i] as KeyValue;
      if (kv.modRevision <= rev) return kv;
    }
    return undefined;
  }

  /** Live keys at `rev` under `prefix` (or just `key`), sorted. */
  collect(key: string, prefix: boolean, rev: number): KeyValue[] {
    const matches: KeyValue[] = [];
    if (rev === this.rev) {
      if (!prefix) {
        const kv = this.kvs.get(key);
        if (kv) matches.push(kv);
        return matches;
      }
      for (const [k, kv] of this.kvs) if (k.startsWith(key)) matches.push(kv);
    } else if (!prefix) {
      const kv = this.versionAt(key, rev);
      if (kv && kv.version > 0) matches.push(kv);
      return matches;
    } else {
      // Keys alive now (most unchanged since `rev`), then keys deleted since that had a past.
      for (const [k, cur] of this.kvs) {
        if (!k.startsWith(key)) continue;
        const kv = cur.modRevision <= rev ? cur : this.versionAt(k, rev);
        if (kv && kv.version > 0) matches.push(kv);
      }
      for (const k of this.deleted) {
        if (!k.startsWith(key)) continue;
        const kv = this.versionAt(k, rev);
        if (kv && kv.version > 0) matches.push(kv);
      }
    }
    matches.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return matches;
  }

  /** Forgets every version no revision at or after `rev` can see. */
  compact(rev: number): void {
    if (rev <= this.compactRev) return;
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
      if (keepFrom >= past.length) {
        this.history.delete(k);
        this.deleted.delete(k);
      } else if (keepFrom > 0) this.history.set(k, past.slice(keepFrom));
    }
    this.pastCount = 0;
    for (const past of this.history.values()) this.pastCount += past.length;
  }

  /** Compacts as far as every store sharing the keyspace allows (the oldest compaction and revision). */
  compactShared(): void {
    let rev = Number.POSITIVE_INFINITY;
    for (const s of this.stores) rev = Math.min(rev, s.compactRevision, s.revision);
    if (Number.isFinite(rev)) this.compact(rev);
  }

  /** Installs a key's past (a keyspace built from a snapshot or a copy); `kvs` must be filled first. */
  addPast(key: string, past: KeyValue[]): void {
    this.history.set(key, past);
    this.pastCount += past.length;
    if (!this.kvs.has(key)) this.deleted.add(key);
  }

  remember(kv: KeyValue): void {
    const past = this.history.get(kv.key);
    if (!past) this.history.set(kv.key, [kv]);
    // A short history (a pod's few versions) is copied at its exact size: push would give every
    // key's array 17 slots.
    else if (past.length < EXACT_HISTORY_UP_TO) this.history.set(kv.key, past.concat([kv]));
    else past.push(kv);
    this.pastCount++;
  }
}

export class MvccStore {
  /** This store's keyspace: its own, or the one the members of its cluster share. */
  private ks = new Keyspace();
  /** The revision this store reached (the keyspace may be ahead, if another member applied more). */
  private rev = 1;
  private compactRev = 0;
  private readonly watchers = new Set<Watcher>();

  constructor() {
    this.ks.stores.add(this);
  }

  get compactRevision(): number {
    return this.compactRev;
  }

  get revision(): number {
    return this.rev;
  }

  get keyCount(): number {
    if (this.rev === this.ks.rev) return this.ks.kvs.size;
    return this.ks.collect('', true, this.rev).length;
  }

  /**
   * Another store reads this one's keyspace from now on, at this store's revision: for the members
   * a cluster bootstraps with, which apply the same log from the same empty state.
   */
  share(other: MvccStore): void {
    other.attach(this.ks, this.rev, this.compactRev);
  }

  /** The keys attached to `lease` as of this store's revision, sorted. */
  leaseKeys(lease: string): string[] {
    return this.ks.attachedKeys(lease, this.rev);
  }

  /** Forgets the keys listed under a revoked lease (their versions are deleted or moved on). */
  forgetLease(lease: string): void {
    this.ks.leaseKeys.delete(lease);
  }

  /** The current version of one key, without building a range result. */
  get(key: string): KeyValue | undefined {
    if (this.rev === this.ks.rev) return this.ks.kvs.get(key);
    const kv = this.ks.versionAt(key, this.rev);
    return kv && kv.version > 0 ? kv : undefined;
  }

  range(key: string, prefix = false, limit = 0): RangeResult {
    const matches = this.ks.collect(key, prefix, this.rev);
    const count = matches.length;
    return { kvs: limit > 0 && count > limit ? matches.slice(0, limit) : matches, count, revision: this.rev };
  }

  /** A range as of revision `rev` (etcd's RangeRequest.revision); 0 or the current revision reads now. */
  rangeAt(key: string, prefix: boolean, rev: number, limit = 0): RangeAtResult {
    if (rev <= 0 || rev === this.rev) return { ok: true, value: this.range(key, prefix, limit) };
    if (rev > this.rev) return { ok: false, error: ERR_FUTURE_REV };
    if (rev < this.compactRev) return { ok: false, error: ERR_COMPACTED };
    const matches = this.ks.collect(key, prefix, rev);
    const count = matches.length;
    return {
      ok: true,
      value: {
        kvs: limit > 0 && count > limit ? matches.slice(0, limit) : matches,
        count,
        revision: this.rev,
      },
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
    this.ks.compactShared();
    return { ok: true };
  }

  /** Superseded versions held for `--rev` reads (what the next compaction frees). */
  get historySize(): number {
    return this.ks.pastCount;
  }

  txn(req: TxnRequest): TxnResponse {
    const done = (req as Applied)[OUTCOME];
    if (done && done.keyspace === this.ks) {
      // Another member applied this entry first: same state before it, so the same outcome.
      if (--done.remaining <= 0) (req as Applied)[OUTCOME] = undefined;
      this.rev = done.response.revision;
      if (done.events.length > 0) this.notify(done.events);
      return done.response;
    }
    // Behind the keyspace with an entry nobody applied: this store has diverged (only a test does
    // that to a store); it goes on alone.
    if (this.rev !== this.ks.rev) this.detach();
    const ks = this.ks;
    // Plain loops: this runs for every write, and closures add up.
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
    const nextRev = writes ? ks.rev + 1 : ks.rev;
    const events: WatchEvent[] = [];
    const results: OpResult[] = [];
    for (const op of ops) results.push(this.applyOp(op, nextRev, events));
    ks.rev = nextRev;
    this.rev = nextRev;
    const response: TxnResponse = { succeeded, revision: nextRev, results };
    if (ks.stores.size > 1)
      (req as Applied)[OUTCOME] = { keyspace: ks, response, events, remaining: ks.stores.size - 1 };
    // A safety net for huge clusters between the API server's compactions: past versions are
    // kept in memory (etcd keeps them on disk), so beyond a bound the older half goes early. A
    // store far behind (a member down for long) would hold it back: it gets a copy of its own.
    if (ks.pastCount > MAX_HISTORY_RECORDS) {
      const target = Math.floor((this.compactRev + this.rev) / 2);
      for (const s of [...ks.stores]) {
        if (s.rev < target) s.detach();
        else s.compactRev = Math.max(s.compactRev, target);
      }
      ks.compactShared();
    }
    if (events.length > 0) this.notify(events);
    return response;
  }

  watch(prefix: string, fn: Watcher['fn']): () => void {
    const w: Watcher = { prefix, fn };
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  snapshot(): StoreSnapshot {
    const history: [string, KeyValue[]][] = [];
    for (const [k, past] of this.ks.history) {
      const seen = past.filter((kv) => kv.modRevision <= this.rev);
      const cur = this.ks.kvs.get(k);
      if (cur && cur.modRevision <= this.rev) {
        // Current at this revision: every past record is history.
      } else if (seen.length > 0 && (seen[seen.length - 1] as KeyValue).version > 0) {
        // The last record at this revision is the live version, not history.
        seen.pop();
      }
      if (seen.length > 0) history.push([k, seen]);
    }
    return {
      revision: this.rev,
      kvs: this.ks.collect('', true, this.rev),
      history,
      compactRevision: this.compactRev,
      keyspace: this.ks,
    };
  }

  /**
   * Replaces the state with a snapshot from the leader. Watchers are told what changed between the
   * two states, as etcd's unsynced watchers catch up from the backend after a restore: without it an
   * API server watching this member would silently miss those writes and its informers go stale.
   * The store then reads the leader's keyspace, unless that keyspace forgot the snapshot's revision.
   */
  restore(snap: StoreSnapshot): void {
    const before = new Map<string, KeyValue>();
    for (const kv of this.ks.collect('', true, this.rev)) before.set(kv.key, kv);
    const shared = snap.keyspace;
    if (shared === this.ks && snap.revision >= this.rev) {
      // Already reading that keyspace, from further back: move up to the snapshot.
      this.rev = snap.revision;
      this.compactRev = Math.max(this.compactRev, snap.compactRevision ?? 0);
    } else if (shared && shared !== this.ks && shared.compactRev <= snap.revision) {
      this.attach(shared, snap.revision, snap.compactRevision ?? 0);
    } else {
      this.leave();
      const ks = new Keyspace();
      for (const kv of snap.kvs) ks.kvs.set(kv.key, kv);
      for (const [k, past] of snap.history ?? []) ks.addPast(k, past.slice());
      ks.rev = snap.revision;
      ks.compactRev = snap.compactRevision ?? 0;
      ks.indexLeases();
      ks.stores.add(this);
      this.ks = ks;
      this.rev = snap.revision;
      this.compactRev = snap.compactRevision ?? 0;
    }
    const events: WatchEvent[] = [];
    const after = new Map<string, KeyValue>();
    for (const kv of snap.kvs) after.set(kv.key, kv);
    for (const [key, prev] of before) {
      if (after.has(key)) continue;
      const tombstone: KeyValue = {
        key,
        value: null,
        createRevision: 0,
        modRevision: snap.revision,
        version: 0,
        lease: undefined,
      };
      events.push({ type: 'DELETE', kv: tombstone, prevKv: prev });
    }
    for (const kv of snap.kvs) {
      const prev = before.get(kv.key);
      if (prev === kv || (prev && prev.modRevision === kv.modRevision)) continue;
      events.push(prev ? { type: 'PUT', kv, prevKv: prev } : { type: 'PUT', kv });
    }
    events.sort((a, b) => a.kv.modRevision - b.kv.modRevision);
    if (events.length > 0) this.notify(events);
  }

  /** An estimate of the backend size in bytes, as `endpoint status` DB SIZE shows. */
  approximateSizeBytes(): number {
    let bytes = 20_480; // an empty bbolt file is 20 kB
    for (const kv of this.ks.collect('', true, this.rev))
      bytes += kv.key.length + 64 + approximateValueBytes(kv.value);
    return bytes;
  }

  /** Reads `ks` from now on, as of `rev`. */
  private attach(ks: Keyspace, rev: number, compactRev: number): void {
    this.leave();
    this.ks = ks;
    this.rev = rev;
    this.compactRev = compactRev;
    ks.stores.add(this);
  }

  /** Stops sharing: the others may compact further. */
  private leave(): void {
    const ks = this.ks;
    ks.stores.delete(this);
    if (ks.stores.size > 0) ks.compactShared();
  }

  /** Takes a keyspace of its own, holding what this store sees now. */
  private detach(): void {
    if (this.ks.stores.size === 1) return;
    const old = this.ks;
    const ks = new Keyspace();
    for (const kv of old.collect('', true, this.rev)) ks.kvs.set(kv.key, kv);
    for (const [k, past] of old.history) {
      const cur = ks.kvs.get(k);
      const seen = past.filter((kv) => kv.modRevision <= this.rev && kv !== cur);
      if (seen.length > 0) ks.addPast(k, seen);
    }
    ks.rev = this.rev;
    ks.compactRev = this.compactRev;
    ks.indexLeases();
    this.leave();
    ks.stores.add(this);
    this.ks = ks;
  }

  private compare(c: Compare): boolean {
    const kv = this.ks.kvs.get(c.key);
    if (c.target === 'mod') return (kv?.modRevision ?? 0) === c.equals;
    if (c.target === 'version') return (kv?.version ?? 0) === c.equals;
    return (kv?.createRevision ?? 0) === c.equals;
  }

  private hasAny(key: string, prefix?: boolean): boolean {
    if (!prefix) return this.ks.kvs.has(key);
    for (const k of this.ks.kvs.keys()) if (k.startsWith(key)) return true;
    return false;
  }

  private applyOp(op: Op, rev: number, events: WatchEvent[]): OpResult {
    const ks = this.ks;
    switch (op.type) {
      case 'range':
        return { kvs: this.range(op.key, op.prefix).kvs };
      case 'put': {
        const prev = ks.kvs.get(op.key);
        const createRevision = prev?.createRevision ?? rev;
        const version = (prev?.version ?? 0) + 1;
        const value = op.decode ? op.decode(op.value, rev) : op.value;
        const lease = op.lease;
        const kv: KeyValue = { key: op.key, value, createRevision, modRevision: rev, version, lease };
        ks.kvs.set(op.key, kv);
        if (lease !== undefined) ks.attach(op.key, lease);
        if (!prev) ks.deleted.delete(op.key);
        if (prev) ks.remember(prev);
        events.push(prev ? { type: 'PUT', kv, prevKv: prev } : { type: 'PUT', kv });
        return prev ? { kvs: [prev] } : NOTHING_REPLACED;
      }
      case 'delete': {
        const gone = this.range(op.key, op.prefix).kvs;
        for (const prev of gone) {
          ks.kvs.delete(prev.key);
          ks.deleted.add(prev.key);
          const tombstone: KeyValue = {
            key: prev.key,
            value: null,
            createRevision: 0,
            modRevision: rev,
            version: 0,
            lease: undefined,
          };
          ks.remember(prev);
          ks.remember(tombstone);
          events.push({ type: 'DELETE', kv: tombstone, prevKv: prev });
        }
        return { kvs: gone };
      }
    }
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

/**
 * Most past versions a keyspace keeps in memory before compacting early (see txn). etcd keeps
 * them on disk until the API server's compaction (every 5 minutes); here they cost heap, so on
 * `huge` (about 600 writes a second at rest, thousands while reconciling) `--rev` reads reach
 * back a minute or so, and the smaller presets keep their full 5 minutes.
 */
export const MAX_HISTORY_RECORDS = 50_000;

/** The result of a put that replaced nothing (shared: results are read-only). */
const NOTHING_REPLACED: OpResult = Object.freeze({ kvs: Object.freeze([]) as readonly KeyValue[] });

function approximateValueBytes(value: unknown): number {
  if (typeof value === 'string') return value.length;
  return 600; // a typical small Kubernetes object serialized
}
