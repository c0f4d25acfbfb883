import { Rng } from '../../../kernel/rng';
import { RaftNode } from '../raft';
import type { ConfChange, Message, MessageType, RaftConfig, RaftId, RaftPersisted, Snapshot } from '../types';

/**
 * A deterministic in-memory cluster for testing `RaftNode`, after etcd-io/raft's `network` in
 * raft_test.go. There is no clock and no latency: the test decides when every member ticks and
 * when (and in which order) every in-flight message is delivered, dropped or duplicated. The only
 * randomness is a seeded `Rng`, so a run is reproducible from its seed and its action list.
 *
 * Each member is driven like `EtcdMember` drives it: after every tick or step the host drains
 * `ready()` (install a snapshot, queue the messages, apply the committed entries), calls
 * `advance()`, stores `persisted()` as the member's disk, and only then considers compacting. A
 * crash drops the `RaftNode` object and keeps the disk; a restart builds a new node from it.
 *
 * The harness also watches the safety properties of Raft (§5.2 of the paper, Figure 3) and throws
 * a `RaftSafetyViolation` the moment one breaks:
 *   - Election Safety: at most one leader per term.
 *   - Leader Completeness: a leader of term T holds every entry committed in a term below T (the
 *     harness sees a leader commit whenever it drains that leader's Ready, and remembers, for each
 *     index, the entry and the lowest term in which a leader committed it).
 *   - Committed entries never change: a leader commits the same entry at an index as every
 *     leader before it, and members apply exactly that entry.
 *   - State Machine Safety: every member applies the same entry at a given index, in index order,
 *     with no gaps (each member's applied sequence is a prefix of one common sequence).
 * Log Matching can be checked on demand with `checkLogMatching()`.
 */

/** An entry as the test application applied it. */
export interface AppliedEntry<D> {
  readonly index: number;
  readonly term: number;
  readonly data: D | null;
}

/** A safety property of Raft was broken; the message says which and where. */
export class RaftSafetyViolation extends Error {
  override name = 'RaftSafetyViolation';
}

export interface NetworkOptions<D> {
  /** Member ids; defaults to 1..size. */
  readonly ids?: readonly RaftId[];
  /** Number of members when `ids` is not given (default 3). */
  readonly size?: number;
  /** Seeds every member's election-timeout stream and the network's drop decisions (default 1). */
  readonly seed?: number;
  readonly preVote?: boolean;
  readonly checkQuorum?: boolean;
  readonly electionTick?: number;
  readonly heartbeatTick?: number;
  readonly maxEntriesPerMsg?: number;
  /**
   * Compact a member's log at its applied index once that many applied entries sit in it, the
   * way `EtcdMember` does every 10,000 (default: never compact on its own).
   */
  readonly compactEvery?: number;
  /** Starting disks for some members, e.g. to give them particular logs (Figure 7). */
  readonly initial?: ReadonlyMap<RaftId, RaftPersisted<D>>;
  /** Members that start crashed (their messages are dropped until `restart`). */
  readonly down?: readonly RaftId[];
}

interface Member<D> {
  readonly id: RaftId;
  readonly config: RaftConfig;
  node: RaftNode<D> | undefined;
  /** What survives a crash: the last `persisted()` the host stored. */
  disk: RaftPersisted<D> | undefined;
  /** The test application's state: every entry applied so far, in order (index i at [i-1]). */
  app: AppliedEntry<D>[];
}

/** The test application's snapshot: the applied sequence up to the snapshot's index. */
type AppSnapshot<D> = readonly AppliedEntry<D>[];

const DEFAULT_MAX_DELIVERIES = 1_000_000;

export class RaftNetwork<D> {
  /** Every member ever started here, including those added later by `addMember`. */
  get ids(): readonly RaftId[] {
    return this.memberIds;
  }
  private readonly memberIds: RaftId[];
  /** The bootstrap configuration, which a member added later starts from too. */
  private readonly bootstrapIds: readonly RaftId[];
  private readonly baseConfig: Omit<RaftConfig, 'id' | 'randInt' | 'peers'>;
  /** Messages sent and not yet delivered or dropped, oldest first. */
  readonly inflight: Message<D>[] = [];
  /** Every term that had a leader, and who it was. */
  readonly leaders = new Map<number, RaftId>();
  /** Messages delivered so far. */
  delivered = 0;
  /** Snapshots installed by followers' applications so far (to tell that a test exercised them). */
  snapshotsInstalled = 0;

  private readonly members = new Map<RaftId, Member<D>>();
  private readonly rng: Rng;
  private readonly compactEvery: number;
  /** The one sequence every member's applied entries must be a prefix of. */
  private readonly committedSeq: AppliedEntry<D>[] = [];
  /** Per index (at [index]): the entry a leader committed there, and the lowest such leader's term. */
  private readonly commits: ({ term: number; data: D | null; commitTerm: number } | undefined)[] = [];
  /** Per leader term: the highest commit index seen on that leader so far. */
  private readonly commitSeen = new Map<number, number>();
  /** Links that drop everything, as "from->to". */
  private readonly cutLinks = new Set<string>();
  private readonly ignoredTypes = new Set<MessageType>();
  private dropRate = 0;

  constructor(opts: NetworkOptions<D> = {}) {
    const size = opts.size ?? 3;
    this.bootstrapIds = opts.ids ?? Array.from({ length: size }, (_, i) => i + 1);
    this.memberIds = this.bootstrapIds.slice();
    this.rng = new Rng(opts.seed ?? 1);
    this.compactEvery = opts.compactEvery ?? Number.POSITIVE_INFINITY;
    this.baseConfig = {
      electionTick: opts.electionTick ?? 10,
      heartbeatTick: opts.heartbeatTick ?? 1,
      preVote: opts.preVote ?? false,
      checkQuorum: opts.checkQuorum ?? false,
      ...(opts.maxEntriesPerMsg !== undefined ? { maxEntriesPerMsg: opts.maxEntriesPerMsg } : {}),
    };
    for (const id of this.bootstrapIds) {
      const m = this.createMember(id, opts.initial?.get(id));
      if (!opts.down?.includes(id)) this.boot(m);
    }
  }

  private createMember(id: RaftId, disk: RaftPersisted<D> | undefined): Member<D> {
    const rng = this.rng.fork(`raft-${id}`);
    const config: RaftConfig = {
      ...this.baseConfig,
      id,
      peers: this.bootstrapIds,
      randInt: (from, to) => rng.int(from, to),
    };
    const m: Member<D> = { id, config, node: undefined, disk, app: [] };
    this.members.set(id, m);
    return m;
  }

  /**
   * Starts a new, empty member `id` (after its ConfChangeAddNode was proposed, as etcd's member add
   * comes before the new etcd starts). It knows only the bootstrap configuration and catches up
   * from the leader's log or a snapshot, learning the configuration as it applies.
   */
  addMember(id: RaftId): void {
    if (this.members.has(id)) throw new Error(`network: member ${id} exists`);
    this.memberIds.push(id);
    this.boot(this.createMember(id, undefined));
  }

  // ---- members ----

  /** The live node `id`; throws when it is crashed. */
  node(id: RaftId): RaftNode<D> {
    const n = this.member(id).node;
    if (!n) throw new Error(`network: member ${id} is down`);
    return n;
  }

  isUp(id: RaftId): boolean {
    return this.member(id).node !== undefined;
  }

  upIds(): RaftId[] {
    return this.ids.filter((id) => this.isUp(id));
  }

  /** The live member that is leader in the highest term, if any. */
  leader(): RaftId | undefined {
    let best: RaftNode<D> | undefined;
    for (const id of this.ids) {
      const n = this.member(id).node;
      if (n?.state === 'StateLeader' && (!best || n.term > best.term)) best = n;
    }
    return best?.id;
  }

  /** The entries member `id`'s application has applied, in order. */
  applied(id: RaftId): readonly AppliedEntry<D>[] {
    return this.member(id).app;
  }

  /** The longest sequence applied anywhere: every member's applied sequence is a prefix of it. */
  committed(): readonly AppliedEntry<D>[] {
    return this.committedSeq;
  }

  /** The stored disk of member `id` (what a restart would load). */
  disk(id: RaftId): RaftPersisted<D> | undefined {
    return this.member(id).disk;
  }

  /** The member stops: its node is dropped mid-flight, its disk stays. */
  crash(id: RaftId): void {
    this.member(id).node = undefined;
  }

  /** The member boots again from its disk; its application reloads the disk's snapshot. */
  restart(id: RaftId): void {
    const m = this.member(id);
    if (m.node) throw new Error(`network: member ${id} is already up`);
    this.boot(m);
  }

  // ---- links ----

  /** Drops every message between `a` and `b`, both ways. */
  cut(a: RaftId, b: RaftId): void {
    this.cutLinks.add(`${a}->${b}`);
    this.cutLinks.add(`${b}->${a}`);
  }

  /** Cuts `id` off from every other member. */
  isolate(id: RaftId): void {
    for (const other of this.ids) if (other !== id) this.cut(id, other);
  }

  /** Splits the members into groups that only reach members of their own group. */
  partition(...groups: readonly (readonly RaftId[])[]): void {
    this.heal();
    const groupOf = new Map<RaftId, number>();
    groups.forEach((g, i) => {
      for (const id of g) groupOf.set(id, i);
    });
    for (const a of this.ids) {
      for (const b of this.ids) {
        if (a !== b && groupOf.get(a) !== groupOf.get(b)) this.cutLinks.add(`${a}->${b}`);
      }
    }
  }

  /** Restores every link (crashed members stay down) and stops ignoring message types. */
  heal(): void {
    this.cutLinks.clear();
    this.ignoredTypes.clear();
  }

  /** Drops every message of `type` until `heal()`. */
  ignore(type: MessageType): void {
    this.ignoredTypes.add(type);
  }

  /** Drops each delivered message with probability `p` (drawn from the seeded RNG). */
  setDropRate(p: number): void {
    this.dropRate = p;
  }

  canReach(from: RaftId, to: RaftId): boolean {
    return !this.cutLinks.has(`${from}->${to}`);
  }

  // ---- driving ----

  /** One tick on member `id` (ignored when it is down). */
  tick(id: RaftId): void {
    const n = this.member(id).node;
    if (!n) return;
    n.tick();
    this.flush(id);
  }

  /** `times` rounds of one tick on every live member; messages stay in flight. */
  tickAll(times = 1): void {
    for (let t = 0; t < times; t++) for (const id of this.ids) this.tick(id);
  }

  /** `times` rounds of: tick every live member, then deliver everything in flight. */
  run(times = 1): void {
    for (let t = 0; t < times; t++) {
      this.tickAll();
      this.stabilize();
    }
  }

  campaign(id: RaftId): void {
    this.node(id).campaign();
    this.flush(id);
  }

  /** Proposes a membership change on member `id`; false when it was dropped. */
  proposeConfChange(id: RaftId, cc: ConfChange): boolean {
    const ok = this.node(id).proposeConfChange(cc);
    this.flush(id);
    return ok;
  }

  /** Proposes on member `id`; false when the proposal was dropped (no leader known). */
  propose(id: RaftId, data: D): boolean {
    const ok = this.node(id).propose(data);
    this.flush(id);
    return ok;
  }

  /** Compacts member `id`'s log at its applied index, snapshotting its application. */
  compact(id: RaftId): void {
    const m = this.member(id);
    if (m.node) this.compactMember(m);
  }

  /** Queues messages as if sent (e.g. a forged vote), then delivers everything, like etcd's `network.send`. */
  send(...msgs: Message<D>[]): void {
    this.inflight.push(...msgs);
    this.stabilize();
  }

  /** Delivers (or drops, per links and drop rate) the in-flight message at position `i`. */
  deliverAt(i: number): void {
    const [m] = this.inflight.splice(i, 1);
    if (!m) return;
    const target = this.members.get(m.to);
    if (!target?.node) return;
    if (!this.canReach(m.from, m.to) || this.ignoredTypes.has(m.type)) return;
    if (this.dropRate > 0 && this.rng.float() < this.dropRate) return;
    this.delivered++;
    target.node.step(m);
    this.flush(m.to);
  }

  /** Removes the in-flight message at position `i` without delivering it. */
  dropAt(i: number): void {
    this.inflight.splice(i, 1);
  }

  /** Sends the in-flight message at position `i` a second time (it stays queued, and a copy is appended). */
  duplicateAt(i: number): void {
    const m = this.inflight[i];
    if (m) this.inflight.push(m);
  }

  /** Drops every message in flight (e.g. to forget what was sent across a partition). */
  dropAll(): void {
    this.inflight.length = 0;
  }

  /** Delivers in-flight messages oldest first, including the ones they trigger, until none is left. */
  stabilize(maxDeliveries = DEFAULT_MAX_DELIVERIES): void {
    let n = 0;
    while (this.inflight.length > 0) {
      if (++n > maxDeliveries) throw new Error(`network: no quiescence after ${maxDeliveries} deliveries`);
      this.deliverAt(0);
    }
  }

  /** Takes (and removes) the in-flight messages, e.g. to inspect what a step sent. */
  takeMessages(filter?: (m: Message<D>) => boolean): Message<D>[] {
    const taken: Message<D>[] = [];
    for (let i = 0; i < this.inflight.length; ) {
      const m = this.inflight[i] as Message<D>;
      if (!filter || filter(m)) {
        taken.push(m);
        this.inflight.splice(i, 1);
      } else i++;
    }
    return taken;
  }

  // ---- checks ----

  /**
   * Log Matching (§5.3): if two live logs hold an entry with the same index and term, they are
   * identical in every entry up to it (where both still hold entries, i.e. above both snapshots).
   */
  checkLogMatching(): void {
    const up = this.upIds().map((id) => this.node(id));
    for (let a = 0; a < up.length; a++) {
      for (let b = a + 1; b < up.length; b++) {
        const x = up[a] as RaftNode<D>;
        const y = up[b] as RaftNode<D>;
        const lo = Math.max(x.firstIndex, y.firstIndex);
        let hi = Math.min(x.lastIndex, y.lastIndex);
        while (hi >= lo && x.termAt(hi) !== y.termAt(hi)) hi--;
        for (let i = lo; i <= hi; i++) {
          const ex = x.entryAt(i);
          const ey = y.entryAt(i);
          if (!ex || !ey || ex.term !== ey.term || !Object.is(ex.data, ey.data)) {
            throw new RaftSafetyViolation(
              `log matching: members ${x.id} and ${y.id} agree at index ${hi} (term ${x.termAt(hi)}) ` +
                `but differ at index ${i}: ${show(ex)} vs ${show(ey)}`,
            );
          }
        }
      }
    }
  }

  // ---- internals ----

  private member(id: RaftId): Member<D> {
    const m = this.members.get(id);
    if (!m) throw new Error(`network: no member ${id}`);
    return m;
  }

  private boot(m: Member<D>): void {
    m.node = new RaftNode<D>(m.config, m.disk);
    // The application restarts from the snapshot on disk; the node re-delivers the rest.
    m.app = appFromSnapshot<D>(m.disk?.snapshot);
    this.checkAppAgainstCommitted(m);
    this.observe(m.id);
  }

  /** Drains one member's Ready the way `EtcdMember.processReady` does. */
  private flush(id: RaftId): void {
    const m = this.member(id);
    const n = m.node;
    if (!n) return;
    this.observe(id);
    while (n.hasReady()) {
      const rd = n.ready();
      if (rd.snapshot) {
        this.snapshotsInstalled++;
        m.app = appFromSnapshot<D>(rd.snapshot);
        this.checkAppAgainstCommitted(m);
      }
      for (const msg of rd.messages) {
        if (msg.from !== id) throw new Error(`network: member ${id} sent a message from ${msg.from}`);
        this.inflight.push(msg);
      }
      for (const e of rd.committedEntries) {
        this.apply(m, { index: e.index, term: e.term, data: e.data });
        // As etcd does while applying: the configuration changes at this entry.
        if (e.confChange) n.applyConfChange(e);
      }
      n.advance();
      m.disk = n.persisted();
    }
    if (m.app.length - (n.firstIndex - 1) >= this.compactEvery) this.compactMember(m);
  }

  private compactMember(m: Member<D>): void {
    const n = m.node as RaftNode<D>;
    const at = Math.min(n.appliedIndex, m.app.length);
    if (at < n.firstIndex) return;
    // Deliberately no `m.disk = n.persisted()` here: like EtcdMember, the disk is only refreshed on
    // the next Ready, so a crash right after a compaction restarts from the pre-compaction view.
    n.compact(at, m.app.slice(0, at) satisfies AppSnapshot<D>);
  }

  private apply(m: Member<D>, e: AppliedEntry<D>): void {
    if (e.index !== m.app.length + 1) {
      throw new RaftSafetyViolation(
        `state machine safety: member ${m.id} applied index ${e.index} after ${m.app.length} (gap or repeat)`,
      );
    }
    this.checkCommitted(m.id, e);
    const c = this.commits[e.index];
    if (c && (c.term !== e.term || !Object.is(c.data, e.data))) {
      throw new RaftSafetyViolation(
        `state machine safety: member ${m.id} applied ${show(e)}, but a leader of term ${c.commitTerm} ` +
          `committed ${show({ index: e.index, ...c })} there`,
      );
    }
    m.app.push(e);
  }

  private checkAppAgainstCommitted(m: Member<D>): void {
    m.app.forEach((e, i) => {
      if (e.index !== i + 1)
        throw new RaftSafetyViolation(`member ${m.id}: snapshot holds a gap at ${i + 1}`);
      this.checkCommitted(m.id, e);
    });
  }

  private checkCommitted(id: RaftId, e: AppliedEntry<D>): void {
    const known = this.committedSeq[e.index - 1];
    if (known === undefined) {
      if (e.index !== this.committedSeq.length + 1) {
        throw new RaftSafetyViolation(`member ${id} applied index ${e.index} beyond the known sequence`);
      }
      this.committedSeq.push(e);
    } else if (known.term !== e.term || !Object.is(known.data, e.data)) {
      throw new RaftSafetyViolation(
        `state machine safety: member ${id} applied ${show(e)} at index ${e.index}, ` +
          `but ${show(known)} was applied there before`,
      );
    }
  }

  /**
   * Election Safety, Leader Completeness and the stability of committed entries, checked after
   * every step of a member (a role change or a commit happens inside one step).
   */
  private observe(id: RaftId): void {
    const n = this.member(id).node;
    if (n?.state !== 'StateLeader') return;
    const prev = this.leaders.get(n.term);
    if (prev !== undefined && prev !== n.id) {
      throw new RaftSafetyViolation(`election safety: members ${prev} and ${n.id} both led term ${n.term}`);
    }
    if (prev === undefined) {
      this.leaders.set(n.term, n.id);
      this.checkLeaderCompleteness(n);
    }
    this.recordCommits(n);
  }

  /** A new leader of term T must hold every entry a leader of a term below T committed. */
  private checkLeaderCompleteness(n: RaftNode<D>): void {
    for (let i = n.firstIndex; i < this.commits.length; i++) {
      const c = this.commits[i];
      if (!c || c.commitTerm >= n.term) continue;
      const mine = n.entryAt(i);
      if (!mine || mine.term !== c.term || !Object.is(mine.data, c.data)) {
        throw new RaftSafetyViolation(
          `leader completeness: member ${n.id} leads term ${n.term} without ${show({ index: i, ...c })}, ` +
            `committed in term ${c.commitTerm} (has ${show(mine)})`,
        );
      }
    }
  }

  /** Notes what leader `n` has committed since last seen, checking it against earlier commits. */
  private recordCommits(n: RaftNode<D>): void {
    const seen = this.commitSeen.get(n.term) ?? 0;
    for (let i = Math.max(seen + 1, n.firstIndex); i <= n.commitIndex; i++) {
      const e = n.entryAt(i) as { term: number; data: D | null };
      const c = this.commits[i];
      if (!c) {
        this.commits[i] = { term: e.term, data: e.data, commitTerm: n.term };
      } else if (c.term !== e.term || !Object.is(c.data, e.data)) {
        throw new RaftSafetyViolation(
          `committed entry changed: member ${n.id}, leader of term ${n.term}, committed ` +
            `${show({ index: i, ...e })} where term ${c.commitTerm} committed ${show({ index: i, ...c })}`,
        );
      } else {
        c.commitTerm = Math.min(c.commitTerm, n.term);
      }
    }
    if (n.commitIndex > seen) this.commitSeen.set(n.term, n.commitIndex);
  }
}

function appFromSnapshot<D>(snap: Snapshot | undefined): AppliedEntry<D>[] {
  if (!snap || snap.index === 0) return [];
  const data = snap.data as AppSnapshot<D>;
  if (!Array.isArray(data) || data.length !== snap.index) {
    throw new RaftSafetyViolation(`snapshot at ${snap.index} does not hold the state up to it`);
  }
  return data.slice();
}

function show(e: { index: number; term: number; data: unknown } | undefined): string {
  return e ? `{index ${e.index}, term ${e.term}, data ${JSON.stringify(e.data)}}` : 'nothing';
}
