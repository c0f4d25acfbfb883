import type { Sim, Timer } from '../kernel/sim';
import {
  MvccStore,
  type RangeResult,
  type StoreSnapshot,
  type TxnRequest,
  type TxnResponse,
} from './mvcc/store';
import { RaftNode } from './raft/raft';
import type { Message, RaftId, RaftPersisted, Ready, Snapshot } from './raft/types';

/** etcd defaults: --heartbeat-interval=100ms, --election-timeout=1000ms (10 ticks). */
export const ETCD_TICK_MS = 100;
export const ETCD_ELECTION_TICKS = 10;
/** etcdserver's request timeout: 5 s + 2 × election timeout. */
export const ETCD_REQUEST_TIMEOUT_MS = 5000 + 2 * ETCD_ELECTION_TICKS * ETCD_TICK_MS;
/** Take a snapshot and compact the Raft log every this many applied entries (etcd: --snapshot-count). */
export const SNAPSHOT_EVERY_ENTRIES = 10_000;
/** Entries kept behind the compaction point so slow followers catch up from the log (etcd: 5000). */
export const SNAPSHOT_CATCH_UP_ENTRIES = 5_000;
/** Most requests one member waits on at once; beyond that it answers "too many requests". */
export const MAX_PENDING_REQUESTS = 100_000;

export const ERR_REQUEST_TIMED_OUT = 'etcdserver: request timed out';
export const ERR_TOO_MANY_REQUESTS = 'etcdserver: too many requests';

/** What a member proposes through Raft: a write transaction or a linearizable read. */
export type EtcdRequest =
  | { readonly kind: 'txn'; readonly origin: RaftId; readonly id: number; readonly txn: TxnRequest }
  | {
      readonly kind: 'read';
      readonly origin: RaftId;
      readonly id: number;
      readonly key: string;
      readonly prefix: boolean;
    }
  | { readonly kind: 'compact'; readonly origin: RaftId; readonly id: number; readonly revision: number };

export type EtcdResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** A member's disk: what survives a crash (WAL + snapshot + the backend as of `appliedIndex`). */
export interface EtcdDisk {
  raft: RaftPersisted<EtcdRequest> | undefined;
  readonly store: MvccStore;
  appliedIndex: number;
  nextRequestId: number;
}

export function emptyDisk(): EtcdDisk {
  return { raft: undefined, store: new MvccStore(), appliedIndex: 0, nextRequestId: 1 };
}

/** How members reach each other: the cluster routes a Raft message over the simulated network. */
export type RaftTransport = (from: RaftId, msg: Message<EtcdRequest>) => void;

interface Pending {
  readonly resolve: (result: EtcdResult<unknown>) => void;
  /** When the request fails with ERR_REQUEST_TIMED_OUT, checked on every tick. */
  readonly deadlineMs: number;
}

/**
 * One etcd member: a Raft node, the MVCC backend, and the server loop between them — tick every
 * 100 ms, persist, send, apply, answer the requests this member proposed. A crash drops the object;
 * a restart builds a new one from the same disk.
 */
export class EtcdMember {
  readonly raft: RaftNode<EtcdRequest>;
  private readonly pending = new Map<number, Pending>();
  /**
   * Proposals made while no leader is known, by request id. etcd's raft node stops taking proposals
   * until it learns a leader (node.run sets propc to nil), so a request waits rather than being lost:
   * it goes through as soon as a leader appears, or fails at its request timeout.
   */
  private readonly held = new Map<number, EtcdRequest>();
  private alive = true;
  private tickTimer: Timer | undefined;
  private lastLead: RaftId;
  private processing = false;
  private processAgain = false;

  constructor(
    readonly id: RaftId,
    readonly name: string,
    peers: readonly RaftId[],
    readonly disk: EtcdDisk,
    private readonly sim: Sim,
    private readonly transport: RaftTransport,
    private readonly onLeaderChange: (member: EtcdMember) => void,
  ) {
    const rng = sim.rng.fork(`etcd-${name}-${disk.nextRequestId}`);
    this.raft = new RaftNode<EtcdRequest>(
      {
        id,
        peers,
        electionTick: ETCD_ELECTION_TICKS,
        heartbeatTick: 1,
        preVote: true,
        checkQuorum: true,
        randInt: (from, to) => rng.int(from, to),
        maxEntriesPerMsg: 256,
        // A follower too far behind gets the backend as it is now: no copy is taken in advance.
        snapshotSource: () => ({ index: this.disk.appliedIndex, data: this.store.snapshot() }),
      },
      disk.raft,
    );
    this.lastLead = this.raft.lead;
    // Members boot at different instants, so their tick phases differ as real timers do.
    this.tickTimer = sim.schedule(rng.int(1, ETCD_TICK_MS), () => this.tick());
  }

  get store(): MvccStore {
    return this.disk.store;
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** The host died: stop ticking, fail nothing (clients see their own timeouts). */
  stop(): void {
    this.alive = false;
    this.tickTimer?.cancel();
    this.pending.clear();
    this.held.clear();
  }

  receive(msg: Message<EtcdRequest>): void {
    if (!this.alive) return;
    this.raft.step(msg);
    this.processReady();
  }

  /** A linearizable write: resolves once applied on this member, or fails after the request timeout. */
  txn(txn: TxnRequest, resolve: (r: EtcdResult<TxnResponse>) => void): void {
    const id = this.disk.nextRequestId++;
    this.propose({ kind: 'txn', origin: this.id, id, txn }, resolve as Pending['resolve']);
  }

  /** A linearizable read, ordered through the Raft log so it sees every write committed before it. */
  rangeLinearizable(key: string, prefix: boolean, resolve: (r: EtcdResult<RangeResult>) => void): void {
    const id = this.disk.nextRequestId++;
    this.propose({ kind: 'read', origin: this.id, id, key, prefix }, resolve as Pending['resolve']);
  }

  /** etcd's Compact, through Raft so every member forgets the same history. */
  compact(revision: number, resolve: (r: EtcdResult<{ revision: number }>) => void): void {
    const id = this.disk.nextRequestId++;
    this.propose({ kind: 'compact', origin: this.id, id, revision }, resolve as Pending['resolve']);
  }

  /** A serializable read: this member's local state, possibly stale, served even without quorum. */
  rangeSerializable(key: string, prefix: boolean): RangeResult {
    return this.store.range(key, prefix);
  }

  /** Whether this member currently knows a leader (what /readyz and `endpoint health` ask). */
  hasLeader(): boolean {
    return this.alive && this.raft.lead !== 0;
  }

  private propose(req: EtcdRequest, resolve: Pending['resolve']): void {
    if (this.pending.size >= MAX_PENDING_REQUESTS) {
      resolve({ ok: false, error: ERR_TOO_MANY_REQUESTS });
      return;
    }
    // No timer per request: thousands of writes a second would each leave a closure in the event
    // queue for 7 s. Deadlines are checked on the member's 100 ms tick instead (pending is in
    // request order, so the expired ones are at the front).
    this.pending.set(req.id, { resolve, deadlineMs: this.sim.nowMs + ETCD_REQUEST_TIMEOUT_MS });
    // A dropped proposal (no leader known) is not an immediate error in etcd: it waits for a leader.
    // (Before, it was dropped for good, so a request made during an election always timed out.)
    if (!this.raft.propose(req)) this.held.set(req.id, req);
    this.processReady();
  }

  private tick(): void {
    if (!this.alive) return;
    this.expireRequests();
    this.raft.tick();
    this.processReady();
    this.tickTimer = this.sim.schedule(ETCD_TICK_MS, () => this.tick());
  }

  private processReady(): void {
    // Answers are delivered while applying, and a caller may propose again from its callback: that
    // nested call only marks more work, so Ready/advance pairs never interleave and the stack stays
    // flat however many requests chain.
    if (this.processing) {
      this.processAgain = true;
      return;
    }
    this.processing = true;
    try {
      do {
        this.processAgain = false;
        this.processOnce();
      } while (this.processAgain && this.alive);
    } finally {
      this.processing = false;
    }
  }

  private processOnce(): void {
    this.drainReady();
    if (this.raft.lead !== this.lastLead) {
      this.lastLead = this.raft.lead;
      this.onLeaderChange(this);
    }
    if (this.alive && this.held.size > 0 && this.raft.lead !== 0) {
      const waiting = [...this.held.values()];
      this.held.clear();
      for (const req of waiting) if (!this.raft.propose(req)) this.held.set(req.id, req);
      this.drainReady();
    }
    this.maybeCompact();
  }

  private drainReady(): void {
    while (this.alive && this.raft.hasReady()) {
      const rd = this.raft.ready();
      if (rd.snapshot) this.installSnapshot(rd.snapshot);
      for (const msg of rd.messages) this.transport(this.id, msg);
      this.apply(rd);
      this.raft.advance();
      this.disk.raft = this.raft.persisted();
    }
  }

  private apply(rd: Ready<EtcdRequest>): void {
    for (const entry of rd.committedEntries) {
      if (entry.index <= this.disk.appliedIndex) continue;
      this.disk.appliedIndex = entry.index;
      const req = entry.data;
      if (req === null) continue;
      if (req.kind === 'txn') {
        const res = this.store.txn(req.txn);
        if (req.origin === this.id) this.answer(req.id, { ok: true, value: res });
      } else if (req.kind === 'compact') {
        const res = this.store.compact(req.revision);
        if (req.origin === this.id)
          this.answer(req.id, res.ok ? { ok: true, value: { revision: this.store.revision } } : res);
      } else if (req.origin === this.id) {
        this.answer(req.id, { ok: true, value: this.store.range(req.key, req.prefix) });
      }
    }
  }

  private answer(id: number, result: EtcdResult<unknown>): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.resolve(result);
  }

  private expireRequests(): void {
    for (const [id, p] of this.pending) {
      if (p.deadlineMs > this.sim.nowMs) break;
      this.pending.delete(id);
      this.held.delete(id);
      p.resolve({ ok: false, error: ERR_REQUEST_TIMED_OUT });
    }
  }

  private installSnapshot(snap: Snapshot): void {
    this.store.restore(snap.data as StoreSnapshot);
    this.disk.appliedIndex = snap.index;
  }

  private maybeCompact(): void {
    // As etcd: every SNAPSHOT_EVERY_ENTRIES applied entries, compact the log, keeping
    // SNAPSHOT_CATCH_UP_ENTRIES so a follower a little behind catches up from the log instead of
    // needing a whole snapshot. The backend is the snapshot (it survives a crash, as bbolt does);
    // a copy of it is made only when a follower needs one (snapshotSource).
    const applied = Math.min(this.disk.appliedIndex, this.raft.appliedIndex);
    if (applied - this.raft.firstIndex >= SNAPSHOT_EVERY_ENTRIES + SNAPSHOT_CATCH_UP_ENTRIES) {
      this.raft.compact(applied - SNAPSHOT_CATCH_UP_ENTRIES, null);
    }
  }
}
