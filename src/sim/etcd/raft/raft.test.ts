import { describe, expect, it } from 'vitest';
import { RaftNode } from './raft';
import {
  acceptAndReply,
  becomeFollower,
  becomeLeader,
  commitNoopEntry,
  msg,
  newTestRaft,
  persistedLog,
  readMessages,
} from './testing/helpers';
import type { Entry, Snapshot } from './types';

/**
 * Tests beyond the paper's, for the host contract (Ready/advance, persisted/restart, compaction)
 * and snapshot handling, several after etcd-io/raft's raft_test.go. Each one pins a bug that was
 * found in this implementation.
 */

describe('snapshots on the follower', () => {
  it('TestRestoreIgnoreSnapshot: a snapshot the follower already holds only moves commit, and is acked at its index', () => {
    // The follower holds (1,t1) (2,t1) (3,t1) with commit 1. Entries 2 and 3 are not committed and
    // may differ from the leader's: only the snapshot's own entry is known to match.
    const r = newTestRaft(1, 2, {
      persisted: persistedLog(
        [
          { term: 1, index: 1 },
          { term: 1, index: 2 },
          { term: 1, index: 3 },
        ],
        { term: 2, commit: 1 },
      ),
    });
    becomeFollower(r, 2, 2);

    // A snapshot at the commit index is ignored.
    r.step(msg({ type: 'MsgSnap', from: 2, to: 1, term: 2, snapshot: { index: 1, term: 1, data: 's1' } }));
    expect(r.commitIndex).toBe(1);
    expect(readMessages(r).map((m) => [m.type, m.index])).toEqual([['MsgAppResp', 1]]);

    // A snapshot of an entry it holds fast-forwards commit and keeps the log...
    r.step(msg({ type: 'MsgSnap', from: 2, to: 1, term: 2, snapshot: { index: 2, term: 1, data: 's2' } }));
    expect(r.commitIndex).toBe(2);
    expect(r.lastIndex).toBe(3);
    // ...but must not claim a match past the snapshot: entry 3 was never checked against the
    // leader's log. Acking 3 would let the leader count this member for index 3 and then tell it
    // to commit its own, possibly different, entry 3.
    expect(readMessages(r).map((m) => [m.type, m.index, m.reject])).toEqual([['MsgAppResp', 2, false]]);
  });

  it('hands out the entries appended after a snapshot install, when both arrive before the next Ready', () => {
    const r = newTestRaft(1, 2);
    becomeFollower(r, 1, 2);
    r.step(
      msg({
        type: 'MsgApp',
        from: 2,
        to: 1,
        term: 1,
        entries: [1, 2, 3, 4, 5, 6, 7, 8].map((index) => ({ term: 1, index, data: `e${index}` })),
        commit: 8,
      }),
    );
    readMessages(r); // entries 1..8 applied

    const snap: Snapshot = { index: 10, term: 1, data: 'state@10' };
    r.step(msg({ type: 'MsgSnap', from: 2, to: 1, term: 1, snapshot: snap }));
    const tail: Entry<string>[] = [11, 12, 13, 14, 15].map((index) => ({
      term: 1,
      index,
      data: `e${index}`,
    }));
    r.step(
      msg({ type: 'MsgApp', from: 2, to: 1, term: 1, index: 10, logTerm: 1, entries: tail, commit: 15 }),
    );

    const rd = r.ready();
    expect(rd.snapshot).toEqual(snap);
    // Everything after the snapshot, not a tail picked by a negative array offset.
    expect(rd.committedEntries.map((e) => e.index)).toEqual([11, 12, 13, 14, 15]);
    r.advance();
    expect(r.appliedIndex).toBe(15);
    expect(r.hasReady()).toBe(false);
  });
});

describe('the Ready / advance contract', () => {
  it('advance() acknowledges only what its ready() handed out; entries committed in between come next', () => {
    const r = newTestRaft(1, 3);
    commitNoopEntry(r, becomeLeader(r, 3));
    r.propose('a');
    const apps = readMessages(r);

    const rd = r.ready();
    expect(rd.committedEntries).toEqual([]);
    // The host, before calling advance(), delivers an ack that commits 'a'.
    for (const m of apps) r.step(acceptAndReply(m));
    r.advance();

    expect(r.hasReady()).toBe(true);
    const next = r.ready();
    expect(next.committedEntries.map((e) => e.data)).toEqual(['a']);
    r.advance();
    expect(r.appliedIndex).toBe(r.commitIndex);
  });

  it('a hard-state change made between ready() and advance() is still reported', () => {
    const r = newTestRaft(1, 3);
    const rd = r.ready();
    expect(rd.hardState).toEqual({ term: 0, vote: 0, commit: 0 });
    // A newer term learned from a message that needs no answer: nothing to send, but term 5 must
    // reach the disk, or a restart could vote again in term 5.
    r.step(msg({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: 5 }));
    r.advance();
    expect(r.hasReady()).toBe(true);
    expect(r.ready().hardState).toEqual({ term: 5, vote: 0, commit: 0 });
  });
});

describe('persisted() and restart', () => {
  it('a disk view taken before a compaction still restarts (a crash right after compacting)', () => {
    const r = newTestRaft(1, 1);
    r.campaign(); // single member: leader at once
    for (let i = 0; i < 10; i++) r.propose(`e${i}`);
    readMessages(r);
    const disk = r.persisted(); // what EtcdMember stores after its last Ready

    r.compact(6, 'state@6'); // then it compacts, and crashes before the next Ready

    const restarted = new RaftNode<string>(
      {
        id: 1,
        peers: [1],
        electionTick: 10,
        heartbeatTick: 1,
        preVote: false,
        checkQuorum: false,
        randInt: (a) => a,
      },
      disk,
    );
    expect(restarted.lastIndex).toBe(11);
    expect(restarted.commitIndex).toBe(11);
    expect(restarted.entryAt(7)?.data).toBe('e5');
  });

  it('restarts with its term, vote, log and commit, as a follower that knows no leader', () => {
    const r = newTestRaft(1, 3);
    commitNoopEntry(r, becomeLeader(r, 3));
    r.propose('a');
    for (const m of readMessages(r)) r.step(acceptAndReply(m));
    readMessages(r);

    const restarted = newTestRaft<string>(1, 3, { persisted: r.persisted() });
    expect(restarted.state).toBe('StateFollower');
    expect(restarted.lead).toBe(0);
    expect(restarted.term).toBe(r.term);
    expect(restarted.vote).toBe(1);
    expect(restarted.lastIndex).toBe(r.lastIndex);
    expect(restarted.commitIndex).toBe(r.commitIndex);
    // Nothing is applied yet after a restart without a snapshot: every committed entry comes again.
    expect(restarted.ready().committedEntries.map((e) => e.data)).toEqual([null, 'a']);
  });
});
