import type { Sim, Timer } from '../kernel/sim';
import { EPOCH_UNIX_MS } from '../kernel/time';
import { ERR_LEASE_NOT_FOUND, LEASE_EXPIRY_CHECK_MS, Lessor } from './lessor';
import {
  MvccStore,
  type RangeResult,
  type StoreSnapshot,
  type TxnRequest,
  type TxnResponse,
} from './mvcc/store';
import { RaftNode } from './raft/raft';
import type { ConfChange, Entry, Message, RaftId, RaftPersisted, Ready, Snapshot } from './raft/types';

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
/** etcd's membership errors, as clients see them (rpctypes). */
export const ERR_MEMBER_NOT_FOUND = 'etcdserver: member not found';
export const ERR_MEMBER_EXISTS = 'etcdserver: member ID already exist';
export const ERR_PEER_URL_EXISTS = 'etcdserver: Peer URLs already exists';
export const ERR_MEMBER_BAD_URLS = 'etcdserver: given member URLs are invalid';
export const ERR_UNHEALTHY = 'etcdserver: unhealthy cluster';
export const ERR_NOT_LEADER = 'etcdserver: not leader';
export const ERR_NOT_ENOUGH_STARTED = 'etcdserver: re-configuration failed due to not enough started members';
/** etcdserver's HealthInterval: a peer counts as connected only after this long. */
export const PEER_HEALTH_INTERVAL_MS = 5000;
/** A member that applied its own removal stops after ten heartbeats (etcd's stopWithDelay). */
export const REMOVED_STOP_DELAY_MS = 10 * ETCD_TICK_MS;

/**
 * One WAL write and fsync on a data-centre SSD (etcd asks for a p99 under 10 ms). While it runs the
 * member's next Ready waits, and proposals arriving meanwhile go to Raft together once it is done:
 * etcd's group commit, which is why a busy cluster sends far fewer Raft messages than it has writes.
 */
export const WAL_FSYNC_MS = 1;

/**
 * etcd's readIndexRetryTime: a ReadIndex not answered by then (lost with a leader change or a
 * partition) is asked again.
 */
export const READ_INDEX_RETRY_MS = 500;

/**
 * What a member proposes through Raft: a write transaction, a compaction, a lease grant or
 * revoke, or its publication.
 */
export type EtcdRequest =
  | {
      readonly kind: 'txn';
      readonly origin: RaftId;
      readonly id: number;
      readonly txn: TxnRequest;
      /** The leases its puts attach keys to, worked out once when proposed (most writes have none). */
      readonly leases?: readonly string[];
    }
  | { readonly kind: 'compact'; readonly origin: RaftId; readonly id: number; readonly revision: number }
  | {
      readonly kind: 'leaseGrant';
      readonly origin: RaftId;
      readonly id: number;
      /** Chosen by the member that took the request (etcd's reqIDGen), 16 hex digits. */
      readonly lease: string;
      readonly ttl: number;
    }
  | {
      readonly kind: 'leaseRevoke';
      readonly origin: RaftId;
      readonly id: number;
      readonly lease: string;
      /**
       * The deletes of the attached keys, worked out by the first member to apply the entry and
       * reused by the others (so they share its outcome, as for any transaction).
       */
      deletes?: TxnRequest;
    }
  | {
      /** A started member publishes its name and client URLs (etcd's publishV3). */
      readonly kind: 'publish';
      readonly origin: RaftId;
      readonly id: number;
      readonly name: string;
      readonly clientURLs: readonly string[];
    };

/** One member as etcd's membership store (RaftCluster) keeps it. An empty name means unstarted. */
export interface MemberRecord {
  readonly id: RaftId;
  /** The 64-bit id etcd prints, as 16 hex digits. */
  readonly hexId: string;
  readonly name: string;
  readonly peerURLs: readonly string[];
  readonly clientURLs: readonly string[];
}

/** The membership as of the applied index: members in the order they joined, and removed ids. */
export interface Membership {
  readonly members: Map<RaftId, MemberRecord>;
  readonly removed: Set<RaftId>;
}

export function cloneMembership(m: Membership): Membership {
  return { members: new Map(m.members), removed: new Set(m.removed) };
}

/** What a conf-change entry carries for the application (etcd: ConfChange.Context). */
interface ConfChangeContext {
  readonly origin: RaftId;
  readonly requestId: number;
  /** Add: the new member, unstarted. */
  readonly member?: MemberRecord;
  /** Remove: the id the client asked for, even when no member has it. */
  readonly hexId?: string;
}

/** What `member add` / `member remove` answer: the member concerned and the members after the change. */
export interface MembershipChange {
  readonly member: MemberRecord;
  readonly members: readonly MemberRecord[];
}

/** The backend as a snapshot ships it: the keyspace, the membership and the leases. */
interface BackendSnapshot {
  readonly store: StoreSnapshot;
  readonly membership: Membership;
  readonly leases: readonly (readonly [string, number])[];
}

export type EtcdResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** A member's disk: what survives a crash (WAL + snapshot + the backend as of `appliedIndex`). */
export interface EtcdDisk {
  raft: RaftPersisted<EtcdRequest> | undefined;
  readonly store: MvccStore;
  appliedIndex: number;
  nextRequestId: number;
  /** The membership store (etcd keeps it in the backend too), as of `appliedIndex`. */
  membership: Membership;
  /** Indexes of conf-change entries refused when applied, so a restart does not apply them to Raft. */
  readonly refusedConfChanges: Set<number>;
  /** Granted leases and their TTLs in seconds (etcd's "lease" bucket), as of `appliedIndex`. */
  leases: Map<string, number>;
}

/** A fresh data directory; `membership` is the bootstrap cluster (etcd's --initial-cluster). */
export function emptyDisk(membership: Membership = { members: new Map(), removed: new Set() }): EtcdDisk {
  return {
    raft: undefined,
    store: new MvccStore(),
    appliedIndex: 0,
    nextRequestId: 1,
    membership: cloneMembership(membership),
    refusedConfChanges: new Set(),
    leases: new Map(),
  };
}

/** What the member asks of the world around it. */
export interface EtcdMemberHooks {
  readonly onLeaderChange: (member: EtcdMember) => void;
  /** When the peer `id` became reachable (etcd's transport ActiveSince), or undefined when it is not. */
  readonly peerActiveSince?: (id: RaftId) => number | undefined;
  /** This member applied its own removal and stopped (etcd exits: "permanently removed"). */
  readonly onRemoved?: (member: EtcdMember) => void;
  /** This member heard from `id`, which it knows was removed: rafthttp answers it 410 Gone. */
  readonly onRemovedPeerContact?: (id: RaftId) => void;
  /**
   * Runs `op` on the member `to` (the leader) and brings its answer back over the peer network, as
   * a follower forwards lease keep-alives and TimeToLive to the leader; a lost message means no answer.
   */
  readonly forward?: (
    to: RaftId,
    op: (leader: EtcdMember, reply: (r: EtcdResult<unknown>) => void) => void,
    done: (r: EtcdResult<unknown>) => void,
  ) => void;
}

/** How members reach each other: the cluster routes a Raft message over the simulated network. */
export type RaftTransport = (from: RaftId, msg: Message<EtcdRequest>) => void;

interface Pending {
  readonly resolve: (result: EtcdResult<unknown>) => void;
  /** When the request fails with ERR_REQUEST_TIMED_OUT, checked on every tick. */
  readonly deadlineMs: number;
}

/** A linearizable read waiting to be served from this member's store. */
interface Read {
  readonly id: number;
  readonly key: string;
  readonly prefix: boolean;
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
  /** A WAL write is in flight: the next Ready waits for it (see WAL_FSYNC_MS). */
  private syncing = false;
  /** Proposals made while the WAL write runs, proposed as one batch when it ends. */
  private batch: EtcdRequest[] = [];
  /** What the last WAL write held: a Ready that adds entries or changes term or vote needs another. */
  private syncedLastIndex = 0;
  private syncedTerm = 0;
  private syncedVote = 0;
  private publishing = false;
  /**
   * etcd's linearizable read loop: reads arriving while a ReadIndex is out wait for the next one,
   * so one heartbeat round serves them all. `asking` is the batch whose ReadIndex is out.
   */
  private readsToAsk: Read[] = [];
  private asking: { context: number; reads: Read[]; sentMs: number } | undefined;
  /** Batches whose read index is known, waiting for this member to apply up to it. */
  private readsToServe: { index: number; reads: Read[] }[] = [];
  /** When this process started (peers count it as connected only after PEER_HEALTH_INTERVAL_MS). */
  readonly startedMs: number;
  private lessor: Lessor;
  private leading = false;
  /** The low 48 bits of etcd's request id generator: the start time in ms, shifted by 8. */
  private readonly idBase: number;
  private ticksToLeaseCheck = LEASE_EXPIRY_CHECK_MS / ETCD_TICK_MS;

  constructor(
    readonly id: RaftId,
    readonly name: string,
    /** The bootstrap voters (a member joining later gets them too; see RaftConfig.peers). */
    peers: readonly RaftId[],
    readonly disk: EtcdDisk,
    private readonly sim: Sim,
    private readonly transport: RaftTransport,
    private readonly hooks: EtcdMemberHooks,
    /** The client URLs this member publishes once started. */
    private readonly clientURLs: readonly string[] = [],
  ) {
    this.startedMs = sim.nowMs;
    this.lessor = new Lessor(disk.leases);
    this.idBase = ((EPOCH_UNIX_MS + sim.nowMs) % 2 ** 40) * 256;
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
        snapshotSource: () => ({
          index: this.disk.appliedIndex,
          data: {
            store: this.store.snapshot(),
            membership: cloneMembership(this.disk.membership),
            leases: [...this.disk.leases],
          } satisfies BackendSnapshot,
        }),
      },
      disk.raft,
    );
    this.lastLead = this.raft.lead;
    // Re-apply what was committed before a restart now, so the configuration (conf changes after
    // the last compaction) is current before the first message is stepped.
    this.drainReady();
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
    this.batch = [];
    this.readsToAsk = [];
    this.asking = undefined;
    this.readsToServe = [];
  }

  receive(msg: Message<EtcdRequest>): void {
    if (!this.alive) return;
    if (this.disk.membership.removed.has(msg.from)) {
      this.hooks.onRemovedPeerContact?.(msg.from);
      return;
    }
    if (
      msg.type === 'MsgProp' &&
      this.syncing &&
      this.raft.state === 'StateLeader' &&
      !msg.entries.some((e) => e.confChange)
    ) {
      // Proposals forwarded by followers join this leader's next batch, as its own do.
      for (const e of msg.entries) if (e.data) this.batch.push(e.data);
      return;
    }
    this.raft.step(msg);
    this.processReady();
  }

  /** A linearizable write: resolves once applied on this member, or fails after the request timeout. */
  txn(txn: TxnRequest, resolve: (r: EtcdResult<TxnResponse>) => void): void {
    const id = this.disk.nextRequestId++;
    const leases = leasesOf(txn);
    this.propose(
      leases ? { kind: 'txn', origin: this.id, id, txn, leases } : { kind: 'txn', origin: this.id, id, txn },
      resolve as Pending['resolve'],
    );
  }

  /**
   * A linearizable read (etcd's ReadIndex): the leader confirms with a quorum that it still leads
   * and gives its commit index; this member serves the read from its own store once it has applied
   * that far. It sees every write committed before it, and adds nothing to the Raft log.
   */
  rangeLinearizable(key: string, prefix: boolean, resolve: (r: EtcdResult<RangeResult>) => void): void {
    const id = this.disk.nextRequestId++;
    if (!this.track(id, resolve as Pending['resolve'])) return;
    this.readsToAsk.push({ id, key, prefix });
    if (!this.asking) this.askReadIndex();
  }

  /** Sends the waiting reads' ReadIndex (again, after READ_INDEX_RETRY_MS without an answer). */
  private askReadIndex(): void {
    if (!this.asking) {
      if (this.readsToAsk.length === 0) return;
      this.asking = { context: 0, reads: this.readsToAsk, sentMs: 0 };
      this.readsToAsk = [];
    }
    // A new context each time: an answer to an earlier ask of the same batch is simply ignored.
    this.asking.context = this.disk.nextRequestId++;
    this.asking.sentMs = this.sim.nowMs;
    this.raft.readIndex(this.asking.context);
    this.processReady();
  }

  /** Serves the batches whose read index this member has applied (reads timed out meanwhile are gone). */
  private serveReads(): void {
    while (this.readsToServe.length > 0 && (this.readsToServe[0]?.index ?? 0) <= this.disk.appliedIndex) {
      const batch = this.readsToServe.shift()!;
      for (const r of batch.reads) this.answer(r.id, { ok: true, value: this.store.range(r.key, r.prefix) });
    }
  }

  /** etcd's Compact, through Raft so every member forgets the same history. */
  compact(revision: number, resolve: (r: EtcdResult<{ revision: number }>) => void): void {
    const id = this.disk.nextRequestId++;
    this.propose({ kind: 'compact', origin: this.id, id, revision }, resolve as Pending['resolve']);
  }

  /**
   * LeaseGrant, through Raft: the id comes from this member's request id generator (its member
   * id's low 16 bits, then the start time and a count), as etcd picks one when the client gives none.
   */
  leaseGrant(ttl: number, resolve: (r: EtcdResult<{ id: string; ttl: number }>) => void): void {
    const id = this.disk.nextRequestId++;
    const hexId = this.disk.membership.members.get(this.id)?.hexId ?? this.id.toString(16);
    const prefix = (Number.parseInt(hexId.slice(-4), 16) & 0x7fff).toString(16).padStart(4, '0');
    const lease = prefix + ((this.idBase + id) % 2 ** 48).toString(16).padStart(12, '0');
    this.propose({ kind: 'leaseGrant', origin: this.id, id, lease, ttl }, resolve as Pending['resolve']);
  }

  /** LeaseRevoke, through Raft: the lease goes, and its keys with it, in one revision. */
  leaseRevoke(lease: string, resolve: (r: EtcdResult<{ revision: number }>) => void): void {
    const id = this.disk.nextRequestId++;
    this.propose({ kind: 'leaseRevoke', origin: this.id, id, lease }, resolve as Pending['resolve']);
  }

  /** LeaseKeepAlive: the leader renews the lease for its TTL (a follower forwards it there). */
  leaseKeepAlive(lease: string, resolve: (r: EtcdResult<{ ttl: number }>) => void): void {
    this.onLeader(resolve as Pending['resolve'], (leader) => {
      const ttl = leader.lessor.renew(lease, leader.sim.nowMs);
      return ttl === undefined ? { ok: false, error: ERR_LEASE_NOT_FOUND } : { ok: true, value: { ttl } };
    });
  }

  /**
   * LeaseTimeToLive, answered by the leader: granted TTL, whole seconds left and the attached keys;
   * a lease that is gone answers TTL -1 (etcdctl prints "already expired").
   */
  leaseTimeToLive(
    lease: string,
    resolve: (r: EtcdResult<{ granted: number; remaining: number; keys: string[] }>) => void,
  ): void {
    this.onLeader(resolve as Pending['resolve'], (leader) => {
      const t = leader.lessor.timeToLive(lease, leader.sim.nowMs);
      if (!t) return { ok: true, value: { granted: 0, remaining: -1, keys: [] } };
      return { ok: true, value: { ...t, keys: leader.store.leaseKeys(lease) } };
    });
  }

  /** LeaseLeases: the leases this member knows, served locally. */
  leaseList(): string[] {
    return this.lessor.ids();
  }

  /** Runs a lease request on the leader: here, or forwarded to it; it fails at the request timeout. */
  private onLeader(resolve: Pending['resolve'], op: (leader: EtcdMember) => EtcdResult<unknown>): void {
    const id = this.disk.nextRequestId++;
    if (!this.track(id, resolve)) return;
    if (this.raft.state === 'StateLeader') return this.answer(id, op(this));
    const lead = this.raft.lead;
    if (lead === 0 || !this.hooks.forward) return;
    this.hooks.forward(
      lead,
      (leader, reply) =>
        reply(leader.raft.state === 'StateLeader' ? op(leader) : { ok: false, error: ERR_NOT_LEADER }),
      (r) => this.answer(id, r),
    );
  }

  /** The members as this member knows them (etcd's MemberList, served locally). */
  members(): MemberRecord[] {
    return [...this.disk.membership.members.values()];
  }

  /**
   * etcd's MemberAdd: checked as etcd's --strict-reconfig-check does (a quorum of started members
   * after the change; this member connected to every voter for a while), then proposed as a
   * ConfChangeAddNode whose validity every member checks again when applying it.
   */
  addMember(peerURLs: readonly string[], resolve: (r: EtcdResult<MembershipChange>) => void): void {
    if (peerURLs.length === 0 || !peerURLs.every(validPeerURL))
      return resolve({ ok: false, error: ERR_MEMBER_BAD_URLS });
    const voters = this.members();
    const started = voters.filter((m) => m.name !== '').length;
    const after = voters.length + 1;
    const readyToAdd = (started === 1 && after === 2) || started >= Math.floor(after / 2) + 1;
    if (!readyToAdd) return resolve({ ok: false, error: ERR_NOT_ENOUGH_STARTED });
    if (this.connectedPeers(voters) < voters.length) return resolve({ ok: false, error: ERR_UNHEALTHY });
    const { members, removed } = this.disk.membership;
    const newId = Math.max(0, ...members.keys(), ...removed) + 1;
    const member: MemberRecord = {
      id: newId,
      hexId: memberHexIdFor(peerURLs, this.sim.nowMs),
      name: '',
      peerURLs: peerURLs.slice(),
      clientURLs: [],
    };
    this.proposeConfChange({ type: 'ConfChangeAddNode', nodeId: newId }, { member }, resolve);
  }

  /** etcd's MemberRemove, by the hex id the client gave (an unknown one fails when applied). */
  removeMember(hexId: string, resolve: (r: EtcdResult<MembershipChange>) => void): void {
    const voters = this.members();
    const target = voters.find((m) => m.hexId === hexId);
    if (target) {
      const others = voters.filter((m) => m.id !== target.id);
      const started = others.filter((m) => m.name !== '').length;
      if (started < Math.floor(others.length / 2) + 1)
        return resolve({ ok: false, error: ERR_NOT_ENOUGH_STARTED });
      // A member that is down is not part of the active quorum: removing it is always safe.
      const targetActive = target.id === this.id || this.peerActive(target.id);
      if (targetActive && this.connectedPeers(voters) - 1 < 1 + Math.floor((voters.length - 1) / 2))
        return resolve({ ok: false, error: ERR_UNHEALTHY });
    }
    this.proposeConfChange({ type: 'ConfChangeRemoveNode', nodeId: target?.id ?? 0 }, { hexId }, resolve);
  }

  /** A serializable read: this member's local state, possibly stale, served even without quorum. */
  rangeSerializable(key: string, prefix: boolean): RangeResult {
    return this.store.range(key, prefix);
  }

  /** Whether this member currently knows a leader (what /readyz and `endpoint health` ask). */
  hasLeader(): boolean {
    return this.alive && this.raft.lead !== 0;
  }

  /** Voters this member has been connected to for PEER_HEALTH_INTERVAL_MS, itself included. */
  private connectedPeers(voters: readonly MemberRecord[]): number {
    return voters.filter((m) => m.id === this.id || this.peerActive(m.id, PEER_HEALTH_INTERVAL_MS)).length;
  }

  private peerActive(id: RaftId, forMs = 0): boolean {
    const since = this.hooks.peerActiveSince?.(id);
    return since !== undefined && since <= this.sim.nowMs - forMs;
  }

  private proposeConfChange(
    cc: Omit<ConfChange, 'context'>,
    context: Omit<ConfChangeContext, 'origin' | 'requestId'>,
    resolve: (r: EtcdResult<MembershipChange>) => void,
  ): void {
    const requestId = this.disk.nextRequestId++;
    if (!this.track(requestId, resolve as Pending['resolve'])) return;
    const full: ConfChange = { ...cc, context: { ...context, origin: this.id, requestId } };
    // Without a known leader the proposal is dropped and the request waits out its timeout.
    this.raft.proposeConfChange(full);
    this.processReady();
  }

  /** Once started, a member that the cluster lists without a name publishes it (etcd: publishV3). */
  private maybePublish(): void {
    if (this.publishing || this.raft.lead === 0) return;
    const mine = this.disk.membership.members.get(this.id);
    if (!mine || (mine.name === this.name && mine.clientURLs.length === this.clientURLs.length)) return;
    this.publishing = true;
    const id = this.disk.nextRequestId++;
    const req: EtcdRequest = {
      kind: 'publish',
      origin: this.id,
      id,
      name: this.name,
      clientURLs: this.clientURLs,
    };
    this.propose(req, () => {
      this.publishing = false; // on a timeout, the next leader change or tick tries again
    });
  }

  /**
   * Waits for request `id`'s answer, or its timeout; false (and refused) when too many wait. No
   * timer per request: thousands of writes a second would each leave a closure in the event queue
   * for 7 s. Deadlines are checked on the member's 100 ms tick instead (pending is in request
   * order, so the expired ones are at the front).
   */
  private track(id: number, resolve: Pending['resolve']): boolean {
    if (this.pending.size >= MAX_PENDING_REQUESTS) {
      resolve({ ok: false, error: ERR_TOO_MANY_REQUESTS });
      return false;
    }
    this.pending.set(id, { resolve, deadlineMs: this.sim.nowMs + ETCD_REQUEST_TIMEOUT_MS });
    return true;
  }

  private propose(req: EtcdRequest, resolve: Pending['resolve']): void {
    if (!this.track(req.id, resolve)) return;
    if (this.syncing) {
      this.batch.push(req);
      return;
    }
    // A dropped proposal (no leader known) is not an immediate error in etcd: it waits for a leader.
    // (Before, it was dropped for good, so a request made during an election always timed out.)
    if (!this.raft.propose(req)) this.held.set(req.id, req);
    this.processReady();
  }

  /** The WAL write finished: propose what queued up meanwhile, as one batch, and carry on. */
  private synced(): void {
    this.syncing = false;
    if (!this.alive) return;
    if (this.batch.length > 0) {
      const batch = this.batch;
      this.batch = [];
      // Without a leader, this member's own requests wait for one; forwarded ones are dropped
      // (their members time them out, as etcd's do).
      if (!this.raft.proposeAll(batch))
        for (const req of batch) if (req.origin === this.id) this.held.set(req.id, req);
    }
    this.processReady();
  }

  private tick(): void {
    if (!this.alive) return;
    this.expireRequests();
    this.maybePublish();
    if (--this.ticksToLeaseCheck <= 0) {
      this.ticksToLeaseCheck = LEASE_EXPIRY_CHECK_MS / ETCD_TICK_MS;
      this.revokeExpiredLeases();
    }
    if (this.asking && this.sim.nowMs - this.asking.sentMs >= READ_INDEX_RETRY_MS) this.askReadIndex();
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
    const leading = this.alive && this.raft.state === 'StateLeader';
    if (leading !== this.leading) {
      this.leading = leading;
      if (leading) this.lessor.promote(this.sim.nowMs, ETCD_ELECTION_TICKS * ETCD_TICK_MS);
      else this.lessor.demote();
    }
    if (this.raft.lead !== this.lastLead) {
      this.lastLead = this.raft.lead;
      this.hooks.onLeaderChange(this);
      // A ReadIndex out to the old leader is lost with it: ask the new one now.
      if (this.asking && this.raft.lead !== 0) this.askReadIndex();
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
    while (this.alive && !this.syncing && this.raft.hasReady()) {
      const rd = this.raft.ready();
      if (rd.snapshot) this.installSnapshot(rd.snapshot);
      for (const msg of rd.messages) this.transport(this.id, msg);
      for (const rs of rd.readStates) this.readIndexKnown(rs.context, rs.index);
      this.apply(rd);
      if (this.readsToServe.length > 0) this.serveReads();
      this.raft.advance();
      this.disk.raft = this.raft.persisted();
      this.maybeSync();
    }
  }

  /** The leader answered the ReadIndex of the batch out: it waits to be served; the next batch asks. */
  private readIndexKnown(context: number, index: number): void {
    if (!this.asking || this.asking.context !== context) return;
    this.readsToServe.push({ index, reads: this.asking.reads });
    this.asking = undefined;
    if (this.readsToAsk.length > 0) this.askReadIndex();
  }

  /** Starts a WAL write when the Ready just handled added entries or changed term or vote. */
  private maybeSync(): void {
    const raft = this.raft;
    if (
      raft.lastIndex === this.syncedLastIndex &&
      raft.term === this.syncedTerm &&
      raft.vote === this.syncedVote
    )
      return;
    this.syncedLastIndex = raft.lastIndex;
    this.syncedTerm = raft.term;
    this.syncedVote = raft.vote;
    this.syncing = true;
    this.sim.schedule(WAL_FSYNC_MS, () => this.synced());
  }

  private apply(rd: Ready<EtcdRequest>): void {
    for (const entry of rd.committedEntries) {
      if (entry.confChange) {
        this.applyConfChange(entry);
        continue;
      }
      if (entry.index <= this.disk.appliedIndex) continue;
      this.disk.appliedIndex = entry.index;
      const req = entry.data;
      if (req === null) continue;
      if (req.kind === 'publish') {
        const m = this.disk.membership.members.get(req.origin);
        if (m)
          this.disk.membership.members.set(req.origin, { ...m, name: req.name, clientURLs: req.clientURLs });
        continue;
      }
      if (req.kind === 'txn') {
        // etcd refuses a put to a lease that does not exist, and writes nothing.
        if (req.leases && !req.leases.every((lease) => this.lessor.has(lease))) {
          if (req.origin === this.id) this.answer(req.id, { ok: false, error: ERR_LEASE_NOT_FOUND });
          continue;
        }
        const res = this.store.txn(req.txn);
        if (req.origin === this.id) this.answer(req.id, { ok: true, value: res });
      } else if (req.kind === 'leaseGrant') {
        const res = this.lessor.grant(req.lease, req.ttl, this.sim.nowMs);
        if (req.origin === this.id)
          this.answer(req.id, res.ok ? { ok: true, value: { id: req.lease, ttl: res.ttl } } : res);
      } else if (req.kind === 'leaseRevoke') {
        if (!this.lessor.has(req.lease)) {
          if (req.origin === this.id) this.answer(req.id, { ok: false, error: ERR_LEASE_NOT_FOUND });
          continue;
        }
        req.deletes ??= {
          compare: [],
          success: this.store.leaseKeys(req.lease).map((key) => ({ type: 'delete', key })),
          failure: [],
        };
        const res = this.store.txn(req.deletes);
        this.store.forgetLease(req.lease);
        this.lessor.revoke(req.lease);
        if (req.origin === this.id) this.answer(req.id, { ok: true, value: { revision: res.revision } });
      } else if (req.kind === 'compact') {
        const res = this.store.compact(req.revision);
        if (req.origin === this.id)
          this.answer(req.id, res.ok ? { ok: true, value: { revision: this.store.revision } } : res);
      }
    }
  }

  /**
   * Every member checks a conf change against its membership as of this entry (etcd's
   * ValidateConfigurationChange), so all agree; a refused one changes neither the membership nor
   * the Raft configuration. After a restart the Raft configuration is rebuilt from the snapshot, so
   * entries the backend already holds still reach Raft, but not the membership store again.
   */
  private applyConfChange(entry: Entry<EtcdRequest>): void {
    const cc = entry.confChange as ConfChange;
    const ctx = cc.context as ConfChangeContext;
    if (entry.index <= this.disk.appliedIndex) {
      // Replayed after a restart: the backend has it; Raft's configuration needs it again.
      if (!this.disk.refusedConfChanges.has(entry.index)) this.raft.applyConfChange(entry);
      return;
    }
    const { members, removed } = this.disk.membership;
    let error: string | undefined;
    if (cc.type === 'ConfChangeAddNode') {
      const urls = ctx.member?.peerURLs ?? [];
      if (removed.has(cc.nodeId)) error = ERR_MEMBER_NOT_FOUND;
      else if (members.has(cc.nodeId)) error = ERR_MEMBER_EXISTS;
      else if ([...members.values()].some((m) => m.peerURLs.some((u) => urls.includes(u))))
        error = ERR_PEER_URL_EXISTS;
    } else if (!members.has(cc.nodeId)) {
      error = ERR_MEMBER_NOT_FOUND;
    }
    this.disk.appliedIndex = entry.index;
    if (error === undefined) {
      const member =
        cc.type === 'ConfChangeAddNode'
          ? (ctx.member as MemberRecord)
          : (members.get(cc.nodeId) as MemberRecord);
      if (cc.type === 'ConfChangeAddNode') members.set(cc.nodeId, member);
      else {
        members.delete(cc.nodeId);
        removed.add(cc.nodeId);
      }
      this.raft.applyConfChange(entry);
      if (ctx.origin === this.id)
        this.answer(ctx.requestId, { ok: true, value: { member, members: this.members() } });
      if (cc.type === 'ConfChangeRemoveNode' && cc.nodeId === this.id) this.stopRemoved();
    } else {
      this.disk.refusedConfChanges.add(entry.index);
      if (ctx.origin === this.id) this.answer(ctx.requestId, { ok: false, error });
    }
  }

  /** Applied its own removal: keep serving a moment so the commit reaches the others, then exit. */
  private stopRemoved(): void {
    this.sim.schedule(REMOVED_STOP_DELAY_MS, () => {
      if (!this.alive) return;
      this.stop();
      this.hooks.onRemoved?.(this);
    });
  }

  /** A peer told this member it was removed (it missed the commit of its own removal). */
  removedByPeers(): void {
    if (!this.alive) return;
    this.stop();
    this.hooks.onRemoved?.(this);
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
    const backend = snap.data as BackendSnapshot;
    this.store.restore(backend.store);
    this.disk.membership = cloneMembership(backend.membership);
    this.disk.leases = new Map(backend.leases);
    this.lessor = new Lessor(this.disk.leases);
    if (this.leading) this.lessor.promote(this.sim.nowMs, ETCD_ELECTION_TICKS * ETCD_TICK_MS);
    this.disk.appliedIndex = snap.index;
  }

  /** The leader proposes the revoke of every lease that expired (again if one got lost). */
  private revokeExpiredLeases(): void {
    for (const lease of this.lessor.expired(this.sim.nowMs)) {
      const id = this.disk.nextRequestId++;
      this.propose({ kind: 'leaseRevoke', origin: this.id, id, lease }, () => {});
    }
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

/** The leases a transaction's puts attach keys to, if any. */
function leasesOf(txn: TxnRequest): string[] | undefined {
  let leases: string[] | undefined;
  for (const op of txn.success)
    if (op.type === 'put' && op.lease !== undefined) (leases ??= []).push(op.lease);
  for (const op of txn.failure)
    if (op.type === 'put' && op.lease !== undefined) (leases ??= []).push(op.lease);
  return leases;
}

/** etcd's types.NewURLs, as MemberAdd checks peer URLs: http(s)://host:port and nothing more. */
function validPeerURL(u: string): boolean {
  return /^(https?|unixs?):\/\/[^/:\s]+:\d+$/.test(u);
}

/**
 * A new member's id: etcd hashes the peer URLs, the cluster name and the time (computeMemberId);
 * here the simulated time, so it is the same on every run.
 */
export function memberHexIdFor(peerURLs: readonly string[], nowMs: number): string {
  const text = `${[...peerURLs].sort().join('')}etcd-cluster${nowMs}`;
  let h1 = 0x9e3779b9;
  let h2 = 0x85ebca6b;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  // etcd's ids are never 0 and print as 16 digits when the top nibble is set, as most are.
  return ((h1 | 0x10000000) >>> 0).toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}
