/**
 * Types of the Raft state machine, shaped after etcd-io/raft (raftpb): messages in, messages and
 * committed entries out. Time is counted in ticks supplied by the host (1 tick = etcd's 100 ms
 * heartbeat interval; the election timeout is 10 ticks).
 */

/** A member id. etcd uses random 64-bit ids; we use small positive integers. 0 means "none". */
export type RaftId = number;
export const NONE: RaftId = 0;

export type RaftStateType = 'StateFollower' | 'StateCandidate' | 'StateLeader' | 'StatePreCandidate';

export type MessageType =
  | 'MsgHup' // local: start an election
  | 'MsgBeat' // local: leader should broadcast heartbeats
  | 'MsgProp' // a proposal (local or forwarded from a follower to the leader)
  | 'MsgApp' // AppendEntries
  | 'MsgAppResp'
  | 'MsgVote' // RequestVote
  | 'MsgVoteResp'
  | 'MsgPreVote'
  | 'MsgPreVoteResp'
  | 'MsgSnap' // InstallSnapshot, for a follower that needs compacted entries
  | 'MsgHeartbeat'
  | 'MsgHeartbeatResp'
  | 'MsgReadIndex' // a linearizable read asks the leader for its commit index (local, or forwarded)
  | 'MsgReadIndexResp'; // the leader's answer to a follower, once a quorum confirmed its leadership

/** etcd-io/raft's single-server membership changes (raftpb.ConfChangeType, without learners). */
export type ConfChangeType = 'ConfChangeAddNode' | 'ConfChangeRemoveNode';

/**
 * A configuration change, carried by a log entry. It takes effect on each member when that member
 * applies the entry (the application calls `applyConfChange`), not when it is appended.
 */
export interface ConfChange {
  readonly type: ConfChangeType;
  readonly nodeId: RaftId;
  /** Opaque to Raft; etcd puts the member's name and peer URLs here. */
  readonly context?: unknown;
}

/**
 * One log entry. `data === null` is an empty entry (the no-op a new leader appends), unless
 * `confChange` is set (etcd's EntryConfChange).
 */
export interface Entry<D = unknown> {
  readonly term: number;
  readonly index: number;
  readonly data: D | null;
  readonly confChange?: ConfChange;
}

/** The application's state as of `index`, shipped to followers that fell behind a compaction. */
export interface Snapshot {
  readonly index: number;
  readonly term: number;
  readonly data: unknown;
  /** The voters as of `index` (etcd's ConfState); absent means the bootstrap `peers`. */
  readonly voters?: readonly RaftId[];
}

export interface Message<D = unknown> {
  readonly type: MessageType;
  readonly from: RaftId;
  readonly to: RaftId;
  readonly term: number;
  /** MsgApp: term of the entry before `entries`; MsgVote: candidate's last log term. */
  readonly logTerm: number;
  /** MsgApp: index of the entry before `entries`; MsgVote: candidate's last index; MsgAppResp: last index. */
  readonly index: number;
  readonly entries: readonly Entry<D>[];
  readonly commit: number;
  readonly reject: boolean;
  readonly rejectHint: number;
  readonly snapshot?: Snapshot;
  /**
   * The read request a MsgReadIndex(Resp) is about, and the newest one a leader's heartbeat (and
   * its response) confirms leadership for; 0 for none. etcd-io/raft carries it as bytes.
   */
  readonly context: number;
}

/** A read the leader confirmed: it may be served once the member applied `index` (etcd's ReadState). */
export interface ReadState {
  readonly index: number;
  readonly context: number;
}

/** What must survive a crash (etcd writes it to the WAL before sending messages). */
export interface HardState {
  readonly term: number;
  readonly vote: RaftId;
  readonly commit: number;
}

/** Everything the host must act on after stepping/ticking: persist, send, apply. */
export interface Ready<D = unknown> {
  readonly hardState: HardState;
  readonly messages: readonly Message<D>[];
  readonly committedEntries: readonly Entry<D>[];
  /** Set when a snapshot was received and must be installed by the application before applying entries. */
  readonly snapshot?: Snapshot;
  /** Reads whose index is now known, in the order they were confirmed. */
  readonly readStates: readonly ReadState[];
}

/** How a member is configured; etcd's raft.Config, reduced to what the simulation varies. */
export interface RaftConfig {
  readonly id: RaftId;
  /**
   * The voters at bootstrap (the configuration before the first log entry). A member that joins
   * later gets the same list, without itself, and learns the rest by applying the log or a snapshot.
   */
  readonly peers: readonly RaftId[];
  /** Ticks without hearing from a leader before campaigning (etcd: 10). */
  readonly electionTick: number;
  /** Ticks between a leader's heartbeats (etcd: 1). */
  readonly heartbeatTick: number;
  /** Run a pre-vote round before bumping the term (etcd 3.5 server default: true). */
  readonly preVote: boolean;
  /** A leader steps down when it has not heard from a quorum for an election timeout. */
  readonly checkQuorum: boolean;
  /** Seeded integer in [fromInclusive, toInclusive]; the only randomness the core uses. */
  readonly randInt: (fromInclusive: number, toInclusive: number) => number;
  /** Cap on entries in one MsgApp, so a lagging follower is fed in bounded batches. */
  readonly maxEntriesPerMsg?: number;
  /**
   * The application's state as of what it has applied, taken when a follower needs a snapshot
   * (etcd sends its latest). Without it the leader sends the snapshot its log was compacted at.
   */
  readonly snapshotSource?: () => { readonly index: number; readonly data: unknown };
}

/** What survives a crash: the HardState, the log after the snapshot, and the snapshot itself. */
export interface RaftPersisted<D = unknown> {
  readonly hardState: HardState;
  readonly entries: readonly Entry<D>[];
  readonly snapshot?: Snapshot;
}

/** How the leader is replicating to one follower (etcd's tracker.StateType). */
export type ProgressStateType = 'StateProbe' | 'StateReplicate' | 'StateSnapshot';
