import { Rng } from '../../../kernel/rng';
import { RaftNode } from '../raft';
import { type Entry, type Message, NONE, type RaftId, type RaftPersisted } from '../types';

/**
 * Helpers for driving one `RaftNode` by hand, after the helpers of etcd-io/raft's
 * raft_paper_test.go (newTestRaft, readMessages, acceptAndReply, commitNoopEntry). The node's
 * private transitions (becomeFollower, becomeCandidate, becomeLeader) are reached only through its
 * public surface: messages, ticks and `campaign()`.
 */

export interface TestRaftOptions<D> {
  readonly electionTick?: number;
  readonly heartbeatTick?: number;
  readonly preVote?: boolean;
  readonly checkQuorum?: boolean;
  readonly maxEntriesPerMsg?: number;
  readonly seed?: number;
  /** Starting state, as if restarted from this disk (etcd tests: storage.Append + loadState). */
  readonly persisted?: RaftPersisted<D>;
}

/** A node `id` in a cluster of `peers` (a number n means members 1..n). */
export function newTestRaft<D = string>(
  id: RaftId,
  peers: readonly RaftId[] | number,
  opts: TestRaftOptions<D> = {},
): RaftNode<D> {
  const rng = new Rng(opts.seed ?? id);
  return new RaftNode<D>(
    {
      id,
      peers: typeof peers === 'number' ? idsBySize(peers) : peers,
      electionTick: opts.electionTick ?? 10,
      heartbeatTick: opts.heartbeatTick ?? 1,
      preVote: opts.preVote ?? false,
      checkQuorum: opts.checkQuorum ?? false,
      randInt: (from, to) => rng.int(from, to),
      ...(opts.maxEntriesPerMsg !== undefined ? { maxEntriesPerMsg: opts.maxEntriesPerMsg } : {}),
    },
    opts.persisted,
  );
}

export function idsBySize(size: number): RaftId[] {
  return Array.from({ length: size }, (_, i) => i + 1);
}

/** A persisted state with a log of the given `(term, index)` entries (data null), like storage.Append. */
export function persistedLog<D = string>(
  entries: readonly { term: number; index: number; data?: D | null }[],
  hardState: { term?: number; vote?: RaftId; commit?: number } = {},
): RaftPersisted<D> {
  return {
    hardState: { term: hardState.term ?? 0, vote: hardState.vote ?? NONE, commit: hardState.commit ?? 0 },
    entries: entries.map((e) => ({ term: e.term, index: e.index, data: e.data ?? null })),
  };
}

/** A log whose entry at index i has term `terms[i-1]`. */
export function logOfTerms(terms: readonly number[]): Entry<never>[] {
  return terms.map((term, i) => ({ term, index: i + 1, data: null }));
}

/** A message with every field defaulted, as etcd's tests write `pb.Message{...}`. */
export function msg<D = string>(m: Partial<Message<D>> & Pick<Message<D>, 'type'>): Message<D> {
  return {
    from: NONE,
    to: NONE,
    term: 0,
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    ...m,
    context: m.context ?? 0,
  };
}

/** Drains the node's Ready (as a host would after persisting and applying) and returns the messages. */
export function readMessages<D>(r: RaftNode<D>): Message<D>[] {
  const out: Message<D>[] = [];
  while (r.hasReady()) {
    const rd = r.ready();
    out.push(...rd.messages);
    r.advance();
  }
  return out;
}

/** Drains the node's Ready and returns the committed entries it hands to the application. */
export function readCommitted<D>(r: RaftNode<D>): Entry<D>[] {
  const out: Entry<D>[] = [];
  while (r.hasReady()) {
    const rd = r.ready();
    out.push(...rd.committedEntries);
    r.advance();
  }
  return out;
}

/** The follower's acceptance of a MsgApp: a MsgAppResp up to the last entry it carried. */
export function acceptAndReply<D>(m: Message<D>): Message<D> {
  if (m.type !== 'MsgApp') throw new Error(`acceptAndReply: ${m.type} is not MsgApp`);
  return msg<D>({
    type: 'MsgAppResp',
    from: m.to,
    to: m.from,
    term: m.term,
    index: m.index + m.entries.length,
  });
}

/** Moves a follower (or anyone) to `term` with `lead` as its leader, as by a heartbeat of that leader. */
export function becomeFollower<D>(r: RaftNode<D>, term: number, lead: RaftId): void {
  if (lead === NONE) {
    // Any message of a higher term that is not from a leader resets to follower with no leader.
    r.step(msg<D>({ type: 'MsgHeartbeatResp', from: otherPeer(r), to: r.id, term }));
  } else {
    r.step(msg<D>({ type: 'MsgHeartbeat', from: lead, to: r.id, term }));
  }
  readMessages(r);
}

/** Campaigns (no pre-vote) and returns the MsgVote requests; the node is then candidate at term+1. */
export function becomeCandidate<D>(r: RaftNode<D>): Message<D>[] {
  r.campaign();
  return readMessages(r);
}

/** Campaigns and wins with granted votes from a majority; drains the Ready (the first MsgApps). */
export function becomeLeader<D>(r: RaftNode<D>, peers: readonly RaftId[] | number): Message<D>[] {
  const ids = typeof peers === 'number' ? idsBySize(peers) : peers;
  r.campaign();
  readMessages(r);
  for (const p of ids) {
    if (r.state === 'StateLeader') break;
    if (p === r.id) continue;
    r.step(msg<D>({ type: 'MsgVoteResp', from: p, to: r.id, term: r.term }));
  }
  if (r.state !== 'StateLeader') throw new Error(`becomeLeader: node ${r.id} did not win (${r.state})`);
  return readMessages(r);
}

/**
 * Every follower acknowledges everything the leader sends until it sends no more MsgApps, so the
 * leader's no-op (and anything before it) is committed and every follower is in StateReplicate.
 * `msgs` are the MsgApps already taken from the leader (e.g. by `becomeLeader`).
 */
export function commitNoopEntry<D>(r: RaftNode<D>, msgs: readonly Message<D>[]): void {
  let pending = msgs.filter((m) => m.type === 'MsgApp');
  while (pending.length > 0) {
    for (const m of pending) r.step(acceptAndReply(m));
    pending = readMessages(r).filter((m) => m.type === 'MsgApp' && m.entries.length > 0);
  }
  readMessages(r);
}

function otherPeer<D>(r: RaftNode<D>): RaftId {
  return r.id === 1 ? 2 : 1;
}
