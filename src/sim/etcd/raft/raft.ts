import { EMPTY_SNAPSHOT, NO_ENTRIES, RaftLog } from './log';
import { Progress } from './progress';
import { committedIndex, voteResult } from './quorum';
import { type PendingRead, ReadOnlyQueue } from './readOnly';
import {
  type ConfChange,
  type Entry,
  type HardState,
  type Message,
  type MessageType,
  NONE,
  type RaftConfig,
  type RaftId,
  type RaftPersisted,
  type RaftStateType,
  type ReadState,
  type Ready,
  type Snapshot,
} from './types';

const DEFAULT_MAX_ENTRIES_PER_MSG = 256;

/** Fields a message needs beyond its type and addressee; everything else defaults to empty. */
type MessageFields<D> = Partial<Omit<Message<D>, 'type' | 'to' | 'from'>>;

/**
 * One Raft participant, shaped after etcd-io/raft's `raft` struct: a pure state machine driven by
 * `tick()` and `step(msg)`, which queues outgoing messages and newly committed entries for the host
 * to collect with `ready()`. It never touches a clock, a network or a disk; the etcd member does.
 *
 * Implements leader election with randomized timeouts, pre-vote, check-quorum leases, log
 * replication with fast backtracking, commitment by majority of the current term, snapshots
 * for followers that fell behind a compaction, and single-server membership changes (conf-change
 * entries that take effect when applied, one pending at a time, as etcd-io/raft does them).
 */
export class RaftNode<D> {
  readonly id: RaftId;
  /** The current configuration: every voter, in the order they joined. */
  private voterIds: RaftId[];
  /**
   * The configuration after each applied conf change, oldest first, starting at the snapshot: a
   * compaction at index i must record the voters as of i, which may be older than the current ones.
   */
  private confHistory: { index: number; voters: readonly RaftId[] }[];
  /** A leader accepts no conf change while one at or below this index is not applied yet. */
  private pendingConfIndex = 0;
  private readonly config: RaftConfig;
  private readonly maxEntriesPerMsg: number;
  private readonly log: RaftLog<D>;

  private stateType: RaftStateType = 'StateFollower';
  private currentTerm = 0;
  private votedFor: RaftId = NONE;
  private leader: RaftId = NONE;
  private applied: number;

  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;
  private readonly votes = new Map<RaftId, boolean>();
  private readonly prs = new Map<RaftId, Progress>();

  private msgs: Message<D>[] = [];
  /** Reads confirmed since the last Ready. */
  private readStates: ReadState[] = [];
  /** A leader's reads waiting for a quorum to answer the heartbeat they ride on. */
  private readonly readOnly = new ReadOnlyQueue();
  /** Reads a new leader got before it committed an entry of its term: its commit index may be stale. */
  private pendingReadIndex: Message<D>[] = [];
  private pendingSnapshot: Snapshot | undefined;
  private lastHardState: HardState;
  /** The last `persisted()` record, handed out again while nothing in it changed. */
  private lastPersisted: RaftPersisted<D> | undefined;
  /** What the last `ready()` handed out, so that `advance()` acknowledges exactly that and no more. */
  private readyApplied = 0;
  private readyHardState: HardState | undefined;
  private readySnapshot: Snapshot | undefined;
  private readonly matchScratch: number[] = [];

  constructor(config: RaftConfig, persisted?: RaftPersisted<D>) {
    this.id = config.id;
    this.config = config;
    this.maxEntriesPerMsg = config.maxEntriesPerMsg ?? DEFAULT_MAX_ENTRIES_PER_MSG;
    const snapshot = persisted?.snapshot ?? EMPTY_SNAPSHOT;
    // As etcd-io/raft restarts: the configuration of the snapshot; the application re-applies the
    // conf changes after it as the node hands the committed entries out again.
    this.voterIds = (snapshot.voters ?? config.peers).slice();
    this.confHistory = [{ index: snapshot.index, voters: this.voterIds.slice() }];
    this.log = new RaftLog<D>(snapshot, persisted?.entries ?? [], persisted?.hardState.commit ?? 0);
    this.applied = snapshot.index;
    const hs = persisted?.hardState;
    this.becomeFollower(hs?.term ?? 0, NONE);
    this.votedFor = hs?.vote ?? NONE;
    this.lastHardState = this.hardState();
  }

  get state(): RaftStateType {
    return this.stateType;
  }
  get term(): number {
    return this.currentTerm;
  }
  get lead(): RaftId {
    return this.leader;
  }
  get vote(): RaftId {
    return this.votedFor;
  }
  get commitIndex(): number {
    return this.log.committed;
  }
  get appliedIndex(): number {
    return this.applied;
  }
  get lastIndex(): number {
    return this.log.lastIndex();
  }
  get firstIndex(): number {
    return this.log.firstIndex();
  }

  /** The term of the entry at `index` (-1 when compacted or absent), for tests and the inspector. */
  termAt(index: number): number {
    return this.log.term(index);
  }

  /** The entry at `index`, when still held in the log. */
  entryAt(index: number): Entry<D> | undefined {
    return this.log.entry(index);
  }

  /** The current voters (this node may not be one: it was removed, or has not applied its own addition). */
  get voters(): readonly RaftId[] {
    return this.voterIds;
  }

  /** Whether this node may campaign: it is a voter in its current configuration (etcd: promotable). */
  get isVoter(): boolean {
    return this.voterIds.includes(this.id);
  }

  /** The leader's replication state per follower; empty unless this node leads. */
  progress(): ReadonlyMap<RaftId, { match: number; next: number; state: string }> {
    return this.stateType === 'StateLeader' ? this.prs : new Map();
  }

  // ---- driving the state machine ----

  /** One logical clock tick (etcd: every heartbeat interval, 100 ms). */
  tick(): void {
    if (this.stateType === 'StateLeader') this.tickHeartbeat();
    else this.tickElection();
  }

  /** Starts an election now, as if the election timeout had fired. */
  campaign(): void {
    this.step(this.local('MsgHup'));
  }

  /** Proposes `data` for the log. False when it was dropped (no leader known). */
  propose(data: D): boolean {
    const entry: Entry<D> = { term: 0, index: 0, data };
    return this.step(this.local('MsgProp', { entries: [entry] }));
  }

  /**
   * Asks for a linearizable read (etcd's ReadIndex): once the leader has confirmed its leadership
   * with a quorum, a ReadState with `context` and the index to wait for comes out of `ready()`.
   * False when dropped (no leader known); the host retries, as etcd's read loop does.
   */
  readIndex(context: number): boolean {
    return this.step(this.local('MsgReadIndex', { context }));
  }

  /** Proposes several entries in one MsgProp, so a leader replicates them in one append per follower. */
  proposeAll(data: readonly D[]): boolean {
    const entries = data.map((d): Entry<D> => ({ term: 0, index: 0, data: d }));
    return this.step(this.local('MsgProp', { entries }));
  }

  /**
   * Proposes a membership change. Like any proposal it may be dropped (false); a leader that still
   * has an unapplied conf change in its log turns it into an empty entry, as etcd-io/raft does.
   */
  proposeConfChange(confChange: ConfChange): boolean {
    const entry: Entry<D> = { term: 0, index: 0, data: null, confChange };
    return this.step(this.local('MsgProp', { entries: [entry] }));
  }

  /**
   * The application applies the conf change of committed `entry` (etcd: ApplyConfChange). The new
   * configuration counts from now on: for commitment, elections and check-quorum. A leader that
   * removed itself steps down; one that did not sends appends to the new configuration at once,
   * since a smaller quorum may commit more and a new member needs its first probe.
   */
  applyConfChange(entry: Entry<D>): readonly RaftId[] {
    const cc = entry.confChange;
    if (!cc) throw new Error(`raft: entry ${entry.index} is not a conf change`);
    const id = cc.nodeId;
    if (cc.type === 'ConfChangeAddNode') {
      if (id !== NONE && !this.voterIds.includes(id)) {
        this.voterIds.push(id);
        // etcd-io/raft: a new voter starts probing at the last index and counts as recently
        // active, so check-quorum does not fire before it had a chance to answer.
        const pr = new Progress(Math.max(this.log.lastIndex(), 1));
        pr.recentActive = true;
        this.prs.set(id, pr);
      }
    } else if (this.voterIds.includes(id) && this.voterIds.length > 1) {
      // Removing the last voter would leave a configuration nobody can commit in; etcd refuses it.
      this.voterIds = this.voterIds.filter((v) => v !== id);
      this.prs.delete(id);
      this.votes.delete(id);
    }
    this.confHistory.push({ index: entry.index, voters: this.voterIds.slice() });
    if (this.stateType === 'StateLeader') {
      if (!this.isVoter) {
        // Tell the remaining voters what is committed (the removal included), then stop leading.
        this.broadcastAppend();
        this.becomeFollower(this.currentTerm, NONE);
      } else if (this.maybeCommit()) {
        this.broadcastAppend();
      } else {
        for (const [to, pr] of this.prs) if (to !== this.id) this.sendAppend(to, pr, false);
      }
    }
    return this.voterIds;
  }

  /** Feeds one message in. Returns false when a proposal had to be dropped. */
  step(m: Message<D>): boolean {
    if (m.term > this.currentTerm) {
      if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
        // Check-quorum leases: while we hear from a live leader, disruptive candidates are ignored.
        const inLease =
          this.config.checkQuorum && this.leader !== NONE && this.electionElapsed < this.config.electionTick;
        if (inLease) return true;
      }
      if (m.type === 'MsgPreVote' || (m.type === 'MsgPreVoteResp' && !m.reject)) {
        // A pre-vote never changes terms: the candidate only learns whether it could win.
      } else if (m.type === 'MsgApp' || m.type === 'MsgHeartbeat' || m.type === 'MsgSnap') {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, NONE);
      }
    } else if (m.term < this.currentTerm && m.term !== 0) {
      if (
        (this.config.checkQuorum || this.config.preVote) &&
        (m.type === 'MsgHeartbeat' || m.type === 'MsgApp')
      ) {
        // A stale leader (e.g. back from a partition) learns the new term from our answer and steps down.
        this.send(m.from, 'MsgAppResp');
      } else if (m.type === 'MsgPreVote') {
        this.send(m.from, 'MsgPreVoteResp', { reject: true });
      }
      return true;
    }

    switch (m.type) {
      case 'MsgHup':
        // A member outside the configuration (removed, or not yet applying its own addition) never
        // campaigns, nor does one about to apply a conf change that may change who votes.
        if (this.stateType !== 'StateLeader' && this.isVoter && !this.hasUnappliedConfChange())
          this.startElection(this.config.preVote ? 'pre' : 'real');
        return true;
      case 'MsgVote':
      case 'MsgPreVote':
        this.handleVoteRequest(m);
        return true;
      default:
        break;
    }
    switch (this.stateType) {
      case 'StateLeader':
        return this.stepLeader(m);
      case 'StateFollower':
        return this.stepFollower(m);
      default:
        return this.stepCandidate(m);
    }
  }

  hasReady(): boolean {
    return (
      this.msgs.length > 0 ||
      this.readStates.length > 0 ||
      this.log.committed > this.applied ||
      this.pendingSnapshot !== undefined ||
      !this.hardStateIs(this.lastHardState)
    );
  }

  /** Collects what the host must persist, send and apply; call `advance()` once done. */
  ready(): Ready<D> {
    // After a snapshot install, entries up to the snapshot are gone and the snapshot stands for
    // them: hand out only what follows it (etcd: nextCommittedEnts starts at max(applied+1,
    // firstIndex)). Starting below firstIndex would give `slice` a negative offset, which counts
    // from the end and silently skips committed entries.
    const lo = Math.max(this.applied + 1, this.log.firstIndex());
    // A member drains a Ready after every step: share what did not change (hard state, no
    // messages, no entries) rather than allocate it each time.
    const rd: Ready<D> = {
      hardState: this.hardStateIs(this.lastHardState) ? this.lastHardState : this.hardState(),
      messages: this.msgs.length > 0 ? this.msgs : NO_MESSAGES,
      committedEntries:
        lo > this.log.committed
          ? NO_ENTRIES
          : this.log.slice(lo, this.log.committed + 1, Number.POSITIVE_INFINITY),
      ...(this.pendingSnapshot ? { snapshot: this.pendingSnapshot } : {}),
      readStates: this.readStates.length > 0 ? this.readStates : NO_READ_STATES,
    };
    if (this.msgs.length > 0) this.msgs = [];
    if (this.readStates.length > 0) this.readStates = [];
    this.readyApplied = this.log.committed;
    this.readyHardState = rd.hardState;
    this.readySnapshot = this.pendingSnapshot;
    return rd;
  }

  /**
   * Acknowledges the last `ready()`: its entries are applied and its state persisted. Only what
   * that Ready carried counts (etcd's Advance(rd)): entries committed, a hard state changed or a
   * snapshot received by a step between `ready()` and `advance()` stay pending for the next Ready.
   */
  advance(): void {
    if (this.readySnapshot) {
      this.applied = Math.max(this.applied, this.readySnapshot.index);
      if (this.pendingSnapshot === this.readySnapshot) this.pendingSnapshot = undefined;
    }
    this.applied = Math.max(this.applied, this.readyApplied);
    if (this.readyHardState) this.lastHardState = this.readyHardState;
    this.readySnapshot = undefined;
    this.readyHardState = undefined;
  }

  private snapshotToSend(): Snapshot {
    const source = this.config.snapshotSource;
    if (!source) return this.log.snapshot;
    const { index, data } = source();
    // The source is the application as of what it applied, and so is the configuration.
    return { index, term: this.log.term(index), data, voters: this.voterIds.slice() };
  }

  /** Compacts the log through `index`, which the application has snapshotted as `data`. */
  compact(index: number, data: unknown): void {
    if (index > this.applied) throw new Error(`raft: compact ${index} is past applied ${this.applied}`);
    let at = 0;
    while (at + 1 < this.confHistory.length && (this.confHistory[at + 1]?.index ?? 0) <= index) at++;
    this.confHistory = this.confHistory.slice(at);
    this.log.compact(index, data, this.confHistory[0]?.voters);
  }

  /** What must survive a crash. The simulation treats memory as fsynced, so this is a view, not a copy. */
  persisted(): RaftPersisted<D> {
    const last = this.lastPersisted;
    const entries = this.log.entriesView();
    // The same state as last time (the common case after a step): the same immutable record.
    if (
      last &&
      this.hardStateIs(last.hardState) &&
      last.entries === entries &&
      last.snapshot === this.log.snapshot
    )
      return last;
    const hardState = this.hardStateIs(this.lastHardState) ? this.lastHardState : this.hardState();
    this.lastPersisted = { hardState, entries, snapshot: this.log.snapshot };
    return this.lastPersisted;
  }

  hardState(): HardState {
    return { term: this.currentTerm, vote: this.votedFor, commit: this.log.committed };
  }

  /** Whether the current hard state equals `hs` (without building one). */
  private hardStateIs(hs: HardState): boolean {
    return hs.term === this.currentTerm && hs.vote === this.votedFor && hs.commit === this.log.committed;
  }

  // ---- roles ----

  private reset(term: number): void {
    if (term !== this.currentTerm) {
      this.currentTerm = term;
      this.votedFor = NONE;
    }
    this.leader = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout =
      this.config.electionTick + this.config.randInt(0, this.config.electionTick - 1);
    this.votes.clear();
    this.prs.clear();
    // Reads waiting on this role's heartbeats are dropped; their members ask again.
    this.readOnly.clear();
    this.pendingReadIndex = [];
    const last = this.log.lastIndex();
    for (const p of this.voterIds) {
      const pr = new Progress(last + 1);
      if (p === this.id) pr.match = last;
      this.prs.set(p, pr);
    }
  }

  private becomeFollower(term: number, lead: RaftId): void {
    this.reset(term);
    this.stateType = 'StateFollower';
    this.leader = lead;
  }

  private becomePreCandidate(): void {
    // Unlike a real candidacy this touches neither term nor vote, so a node that cannot win disturbs nobody.
    this.stateType = 'StatePreCandidate';
    this.votes.clear();
    this.leader = NONE;
  }

  private becomeCandidate(): void {
    this.reset(this.currentTerm + 1);
    this.votedFor = this.id;
    this.stateType = 'StateCandidate';
  }

  private becomeLeader(): void {
    this.reset(this.currentTerm);
    this.stateType = 'StateLeader';
    this.leader = this.id;
    // Entries of earlier leaders may hold a conf change not applied yet: wait for them to apply.
    this.pendingConfIndex = this.log.lastIndex();
    const self = this.prs.get(this.id) as Progress;
    self.becomeReplicate();
    self.recentActive = true;
    // A new leader commits an empty entry of its own term, which commits everything before it (§5.4.2).
    this.appendEntries([{ term: 0, index: 0, data: null }]);
  }

  private startElection(kind: 'pre' | 'real'): void {
    if (kind === 'pre') this.becomePreCandidate();
    else this.becomeCandidate();
    const type: MessageType = kind === 'pre' ? 'MsgPreVote' : 'MsgVote';
    const term = kind === 'pre' ? this.currentTerm + 1 : this.currentTerm;
    if (this.poll(this.id, true) === 'VoteWon') {
      // A single-member cluster wins at once.
      if (kind === 'pre') this.startElection('real');
      else this.becomeLeader();
      return;
    }
    for (const p of this.voterIds) {
      if (p === this.id) continue;
      this.send(p, type, { term, index: this.log.lastIndex(), logTerm: this.log.lastTerm() });
    }
  }

  /** Whether a committed entry not applied yet changes the configuration (etcd will not campaign then). */
  private hasUnappliedConfChange(): boolean {
    const lo = Math.max(this.applied + 1, this.log.firstIndex());
    for (let i = lo; i <= this.log.committed; i++) if (this.log.entry(i)?.confChange) return true;
    return false;
  }

  private poll(from: RaftId, granted: boolean): ReturnType<typeof voteResult> {
    if (!this.votes.has(from)) this.votes.set(from, granted);
    let yes = 0;
    let no = 0;
    // Only voters of the current configuration count (a removed member may still answer).
    for (const [id, v] of this.votes) if (this.voterIds.includes(id)) v ? yes++ : no++;
    return voteResult(this.voterIds.length, yes, no);
  }

  private handleVoteRequest(m: Message<D>): void {
    const isPre = m.type === 'MsgPreVote';
    const respType: MessageType = isPre ? 'MsgPreVoteResp' : 'MsgVoteResp';
    const canVote =
      this.votedFor === m.from ||
      (this.votedFor === NONE && this.leader === NONE) ||
      (isPre && m.term > this.currentTerm);
    if (canVote && this.log.isUpToDate(m.index, m.logTerm)) {
      // Answer in the term of the request, so a pre-candidate can count it (§9.6 of the thesis).
      this.send(m.from, respType, { term: m.term });
      if (!isPre) {
        this.electionElapsed = 0;
        this.votedFor = m.from;
      }
    } else {
      this.send(m.from, respType, { reject: true });
    }
  }

  // ---- ticks ----

  private tickElection(): void {
    this.electionElapsed++;
    if (this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.step(this.local('MsgHup'));
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.config.electionTick) {
      this.electionElapsed = 0;
      if (this.config.checkQuorum && !this.quorumActive()) {
        // Cut off from a majority: stop claiming leadership so clients go elsewhere.
        this.becomeFollower(this.currentTerm, NONE);
        return;
      }
    }
    for (const [id, pr] of this.prs) {
      if (
        id !== this.id &&
        pr.state === 'StateSnapshot' &&
        ++pr.snapshotWaitTicks > this.config.electionTick
      ) {
        pr.becomeProbe(); // the snapshot was probably lost; probe again
      }
    }
    if (this.heartbeatElapsed >= this.config.heartbeatTick) {
      this.heartbeatElapsed = 0;
      this.broadcastHeartbeat();
    }
  }

  private quorumActive(): boolean {
    let active = 0;
    for (const [id, pr] of this.prs) {
      if (id === this.id || pr.recentActive) active++;
      if (id !== this.id) pr.recentActive = false;
    }
    return voteResult(this.voterIds.length, active, 0) === 'VoteWon';
  }

  // ---- per-role message handling ----

  private stepLeader(m: Message<D>): boolean {
    if (m.type === 'MsgBeat') {
      this.broadcastHeartbeat();
      return true;
    }
    if (m.type === 'MsgProp') {
      // A leader that removed itself takes no more proposals (it is about to step down anyway).
      if (!this.prs.has(this.id)) return false;
      this.appendEntries(this.gateConfChanges(m.entries));
      this.broadcastAppend();
      return true;
    }
    if (m.type === 'MsgReadIndex') {
      if (this.voterIds.length === 1 && this.isVoter) this.answerRead(m, this.log.committed);
      else if (!this.committedEntryInCurrentTerm()) this.pendingReadIndex.push(m);
      else this.confirmRead(m);
      return true;
    }
    const pr = this.prs.get(m.from);
    if (!pr) return true;
    if (m.type === 'MsgAppResp') {
      pr.recentActive = true;
      this.handleAppendResponse(m, pr);
    } else if (m.type === 'MsgHeartbeatResp') {
      pr.recentActive = true;
      pr.probeSent = false;
      if (pr.match < this.log.lastIndex()) this.sendAppend(m.from, pr);
      if (m.context !== 0) this.readAcknowledged(m.context, m.from);
    }
    return true;
  }

  // ---- linearizable reads (ReadOnlySafe) ----

  /** Whether this leader's commit index is known current: it committed an entry of its own term. */
  private committedEntryInCurrentTerm(): boolean {
    return this.log.term(this.log.committed) === this.currentTerm;
  }

  /** Queues a read at the commit index and asks the followers, by heartbeat, to confirm leadership. */
  private confirmRead(m: Message<D>): void {
    this.readOnly.add({ index: this.log.committed, from: m.from, context: m.context });
    this.readAcknowledged(m.context, this.id);
    this.broadcastHeartbeat(m.context);
  }

  private readAcknowledged(context: number, from: RaftId): void {
    const acks = this.readOnly.ack(context, from);
    if (!acks) return;
    let voters = 0;
    for (const id of acks) if (this.voterIds.includes(id)) voters++;
    if (voteResult(this.voterIds.length, voters, 0) !== 'VoteWon') return;
    for (const read of this.readOnly.release(context)) this.answerRead(read, read.index);
  }

  /** A confirmed read: a ReadState for a local reader, a MsgReadIndexResp for a follower's. */
  private answerRead(read: PendingRead | Message<D>, index: number): void {
    if (read.from === this.id || read.from === NONE) this.readStates.push({ index, context: read.context });
    else this.send(read.from, 'MsgReadIndexResp', { index, context: read.context });
  }

  /** The reads a new leader held back, now that it committed an entry of its term. */
  private releasePendingReads(): void {
    if (this.pendingReadIndex.length === 0 || !this.committedEntryInCurrentTerm()) return;
    const held = this.pendingReadIndex;
    this.pendingReadIndex = [];
    for (const m of held) this.confirmRead(m);
  }

  private handleAppendResponse(m: Message<D>, pr: Progress): void {
    if (m.reject) {
      // Fast backtracking: skip straight past the follower's divergent terms.
      const hint = m.logTerm > 0 ? this.log.findConflictByTerm(m.rejectHint, m.logTerm) : m.rejectHint;
      if (pr.maybeDecrTo(m.index, hint)) {
        if (pr.state === 'StateReplicate') pr.becomeProbe();
        this.sendAppend(m.from, pr);
      }
      return;
    }
    const wasPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.index)) return;
    if (pr.state === 'StateProbe') pr.becomeReplicate();
    else if (pr.state === 'StateSnapshot' && pr.match >= pr.pendingSnapshot) {
      pr.becomeProbe();
      pr.becomeReplicate();
    }
    if (this.maybeCommit()) {
      this.broadcastAppend();
      this.releasePendingReads();
    } else if (wasPaused) this.sendAppend(m.from, pr);
    // Keep feeding a follower that is catching up, one bounded batch per acknowledgement.
    while (pr.next <= this.log.lastIndex() && this.sendAppend(m.from, pr, false)) {
      if (pr.state !== 'StateReplicate') break;
    }
  }

  private stepFollower(m: Message<D>): boolean {
    switch (m.type) {
      case 'MsgProp':
        if (this.leader === NONE) return false;
        this.msgs.push({ ...m, to: this.leader, from: this.id, term: 0 });
        return true;
      case 'MsgReadIndex':
        if (this.leader === NONE) return false;
        this.msgs.push({ ...m, to: this.leader, from: this.id, term: 0 });
        return true;
      case 'MsgReadIndexResp':
        this.readStates.push({ index: m.index, context: m.context });
        return true;
      case 'MsgApp':
        this.electionElapsed = 0;
        this.leader = m.from;
        this.handleAppendEntries(m);
        return true;
      case 'MsgHeartbeat':
        this.electionElapsed = 0;
        this.leader = m.from;
        this.handleHeartbeat(m);
        return true;
      case 'MsgSnap':
        this.electionElapsed = 0;
        this.leader = m.from;
        this.handleSnapshot(m);
        return true;
      default:
        return true;
    }
  }

  private stepCandidate(m: Message<D>): boolean {
    const isPre = this.stateType === 'StatePreCandidate';
    switch (m.type) {
      case 'MsgProp':
      case 'MsgReadIndex':
        return false;
      case 'MsgApp':
        this.becomeFollower(m.term, m.from);
        this.handleAppendEntries(m);
        return true;
      case 'MsgHeartbeat':
        this.becomeFollower(m.term, m.from);
        this.handleHeartbeat(m);
        return true;
      case 'MsgSnap':
        this.becomeFollower(m.term, m.from);
        this.handleSnapshot(m);
        return true;
      case 'MsgPreVoteResp':
      case 'MsgVoteResp': {
        if ((m.type === 'MsgPreVoteResp') !== isPre) return true;
        const result = this.poll(m.from, !m.reject);
        if (result === 'VoteWon') {
          if (isPre) this.startElection('real');
          else {
            this.becomeLeader();
            this.broadcastAppend();
          }
        } else if (result === 'VoteLost') {
          this.becomeFollower(this.currentTerm, NONE);
        }
        return true;
      }
      default:
        return true;
    }
  }

  private handleAppendEntries(m: Message<D>): void {
    if (m.index < this.log.committed) {
      this.send(m.from, 'MsgAppResp', { index: this.log.committed });
      return;
    }
    const lastNew = this.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (lastNew >= 0) {
      this.send(m.from, 'MsgAppResp', { index: lastNew });
      return;
    }
    const hintIndex = this.log.findConflictByTerm(Math.min(m.index, this.log.lastIndex()), m.logTerm);
    this.send(m.from, 'MsgAppResp', {
      index: m.index,
      reject: true,
      rejectHint: hintIndex,
      logTerm: Math.max(this.log.term(hintIndex), 0),
    });
  }

  private handleHeartbeat(m: Message<D>): void {
    this.log.commitTo(Math.min(m.commit, this.log.lastIndex()));
    this.send(m.from, 'MsgHeartbeatResp', { context: m.context });
  }

  private handleSnapshot(m: Message<D>): void {
    const snap = m.snapshot;
    if (!snap) return;
    if (snap.index <= this.log.committed) {
      this.send(m.from, 'MsgAppResp', { index: this.log.committed });
      return;
    }
    if (this.log.matchTerm(snap.index, snap.term)) {
      // We already hold the snapshot's last entry: just move commit forward. Acknowledge only up to
      // the snapshot (etcd answers with `committed` here): entries after it were never checked
      // against the leader's log and may be a divergent tail from an older term. Acking lastIndex
      // would let the leader count us for entries we do not have, and its next heartbeat would make
      // us commit that tail.
      this.log.commitTo(snap.index);
      this.send(m.from, 'MsgAppResp', { index: this.log.committed });
      return;
    }
    this.log.restore(snap);
    // The snapshot's configuration replaces ours, as etcd-io/raft's restore does.
    this.voterIds = (snap.voters ?? this.config.peers).slice();
    this.confHistory = [{ index: snap.index, voters: this.voterIds.slice() }];
    this.prs.clear();
    for (const p of this.voterIds) this.prs.set(p, new Progress(snap.index + 1));
    this.pendingSnapshot = snap;
    this.send(m.from, 'MsgAppResp', { index: this.log.lastIndex() });
  }

  // ---- leader replication ----

  /**
   * One conf change at a time: while the last one is not applied, another becomes an empty entry
   * (the proposer's request then times out, as in etcd).
   */
  private gateConfChanges(entries: readonly Entry<D>[]): readonly Entry<D>[] {
    if (!entries.some((e) => e.confChange)) return entries;
    const last = this.log.lastIndex();
    return entries.map((e, i) => {
      if (!e.confChange) return e;
      if (this.pendingConfIndex > this.applied) return { term: 0, index: 0, data: null };
      this.pendingConfIndex = last + i + 1;
      return e;
    });
  }

  private appendEntries(entries: readonly Entry<D>[]): void {
    let index = this.log.lastIndex();
    const stamped = entries.map(
      (e): Entry<D> =>
        e.confChange
          ? { term: this.currentTerm, index: ++index, data: e.data, confChange: e.confChange }
          : { term: this.currentTerm, index: ++index, data: e.data },
    );
    this.log.append(stamped);
    const self = this.prs.get(this.id) as Progress;
    self.maybeUpdate(this.log.lastIndex());
    this.maybeCommit();
  }

  /** Commits the highest index stored on a majority, if it is of the current term. */
  private maybeCommit(): boolean {
    const scratch = this.matchScratch;
    scratch.length = 0;
    for (const pr of this.prs.values()) scratch.push(pr.match);
    return this.log.maybeCommit(committedIndex(scratch), this.currentTerm);
  }

  private broadcastAppend(): void {
    for (const [id, pr] of this.prs) if (id !== this.id) this.sendAppend(id, pr);
  }

  /** Heartbeats carry the newest read waiting, so routine ones confirm reads too (etcd does the same). */
  private broadcastHeartbeat(context = this.readOnly.lastContext()): void {
    for (const [id, pr] of this.prs) {
      if (id === this.id) continue;
      this.send(id, 'MsgHeartbeat', { commit: Math.min(pr.match, this.log.committed), context });
    }
  }

  /** Sends the next batch to `to`, or a snapshot if what it needs was compacted away. */
  private sendAppend(to: RaftId, pr: Progress, sendIfEmpty = true): boolean {
    if (pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    if (prevTerm < 0) {
      if (!pr.recentActive) return false;
      const snapshot = this.snapshotToSend();
      this.send(to, 'MsgSnap', { snapshot });
      pr.becomeSnapshot(snapshot.index);
      return true;
    }
    const entries = this.log.slice(pr.next, this.log.lastIndex() + 1, this.maxEntriesPerMsg);
    if (entries.length === 0 && !sendIfEmpty) return false;
    if (!this.mergeAppend(to, prevIndex, entries))
      this.send(to, 'MsgApp', { index: prevIndex, logTerm: prevTerm, entries, commit: this.log.committed });
    if (pr.state === 'StateReplicate') {
      const last = entries[entries.length - 1];
      if (last) pr.next = last.index + 1;
    } else {
      pr.probeSent = true;
    }
    return true;
  }

  /**
   * Folds an append into the one already waiting for `to` in this Ready, when it continues it: the
   * follower gets one message with every entry and the latest commit index, not one per proposal
   * or commit step. Nothing was sent yet, so this changes no outcome, only the message count.
   */
  private mergeAppend(to: RaftId, prevIndex: number, entries: readonly Entry<D>[]): boolean {
    for (let i = this.msgs.length - 1; i >= 0; i--) {
      const m = this.msgs[i]!;
      if (m.to !== to) continue;
      if (m.type !== 'MsgApp' || m.term !== this.currentTerm) return false;
      if (m.index + m.entries.length !== prevIndex) return false;
      if (m.entries.length + entries.length > this.maxEntriesPerMsg) return false;
      this.msgs[i] = {
        ...m,
        entries: entries.length === 0 ? m.entries : m.entries.concat(entries),
        commit: this.log.committed,
      };
      return true;
    }
    return false;
  }

  // ---- messages ----

  private local(type: MessageType, fields: MessageFields<D> = NO_FIELDS): Message<D> {
    return this.message(type, this.id, fields, 0, true);
  }

  private send(to: RaftId, type: MessageType, fields: MessageFields<D> = NO_FIELDS): void {
    // `term` is passed apart rather than spread into a copy of `fields` (one object less per message).
    this.msgs.push(this.message(type, to, fields, this.currentTerm, false));
  }

  /** A message with `fields`; its term is `term` when forced, else fields.term if present, else `term`. */
  private message(
    type: MessageType,
    to: RaftId,
    f: MessageFields<D>,
    term: number,
    forceTerm: boolean,
  ): Message<D> {
    return {
      type,
      from: this.id,
      to,
      term: forceTerm ? term : 'term' in f ? (f.term ?? 0) : term,
      logTerm: f.logTerm ?? 0,
      index: f.index ?? 0,
      entries: f.entries ?? NO_ENTRIES,
      commit: f.commit ?? 0,
      reject: f.reject ?? false,
      rejectHint: f.rejectHint ?? 0,
      context: f.context ?? 0,
      ...(f.snapshot ? { snapshot: f.snapshot } : {}),
    };
  }
}

/** The fields of a message that has none beyond its type (never mutated). */
const NO_FIELDS = Object.freeze({});

/** The shared empty message list of a Ready (read-only: the host only iterates it). */
const NO_MESSAGES: readonly never[] = Object.freeze([]);
const NO_READ_STATES: readonly never[] = Object.freeze([]);
