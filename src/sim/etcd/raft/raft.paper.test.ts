import { describe, expect, it } from 'vitest';
import type { RaftNode } from './raft';
import {
  acceptAndReply,
  becomeCandidate,
  becomeFollower,
  becomeLeader,
  commitNoopEntry,
  idsBySize,
  logOfTerms,
  msg,
  newTestRaft,
  persistedLog,
  readCommitted,
  readMessages,
} from './testing/helpers';
import { RaftNetwork } from './testing/network';
import { type Entry, type Message, NONE, type RaftId, type RaftStateType } from './types';

/**
 * The tests of etcd-io/raft's raft_paper_test.go, one `it` per top-level Go test and named after it
 * (reference/kubernetes-facts.md §5.1), each checking the property of the Raft paper section in its
 * title. Tables are etcd's. Where etcd pokes private state (becomeCandidate, loadState, storage) we
 * reach the same state through the node's public surface: messages, ticks, `campaign()` and a
 * persisted state to start from.
 */

/** The fields of a message a test cares about, so expectations read like etcd's `pb.Message{...}`. */
function brief(m: Message<string>) {
  return {
    type: m.type,
    from: m.from,
    to: m.to,
    term: m.term,
    logTerm: m.logTerm,
    index: m.index,
    commit: m.commit,
    reject: m.reject,
    rejectHint: m.rejectHint,
    entries: m.entries.map((e) => ({ term: e.term, index: e.index, data: e.data })),
  };
}

const byTo = (a: Message<string>, b: Message<string>) => a.to - b.to;

/** The whole log of a node as (index, term, data), from its first held index. */
function logOf(r: RaftNode<string>): Entry<string>[] {
  const out: Entry<string>[] = [];
  for (let i = r.firstIndex; i <= r.lastIndex; i++) {
    const e = r.entryAt(i) as Entry<string>;
    out.push({ index: e.index, term: e.term, data: e.data });
  }
  return out;
}

describe('raft paper §5.1: terms', () => {
  // etcd testUpdateTermFromMessage: a message with a higher term moves any role to follower at that term.
  function testUpdateTermFromMessage(state: RaftStateType) {
    const r = newTestRaft(1, 3);
    if (state === 'StateFollower') becomeFollower(r, 1, 2);
    else if (state === 'StateCandidate') becomeCandidate(r);
    else becomeLeader(r, 3);
    expect(r.state).toBe(state);
    expect(r.term).toBe(1);

    r.step(msg({ type: 'MsgApp', from: 2, to: 1, term: 2 }));

    expect(r.term).toBe(2);
    expect(r.state).toBe('StateFollower');
    expect(r.lead).toBe(2);
  }

  it('TestFollowerUpdateTermFromMessage', () => testUpdateTermFromMessage('StateFollower'));
  it('TestCandidateUpdateTermFromMessage', () => testUpdateTermFromMessage('StateCandidate'));
  it('TestLeaderUpdateTermFromMessage', () => testUpdateTermFromMessage('StateLeader'));

  it('TestRejectStaleTermMessage', () => {
    // etcd ignores a stale message before its step function runs: nothing changes and nothing is sent.
    const stale: Message<string>[] = [
      msg({ type: 'MsgApp', from: 2, to: 1, term: 1, entries: [{ term: 1, index: 2, data: 'x' }] }),
      msg({ type: 'MsgHeartbeat', from: 2, to: 1, term: 1, commit: 1 }),
      msg({ type: 'MsgVote', from: 2, to: 1, term: 1, index: 9, logTerm: 9 }),
      msg({ type: 'MsgVoteResp', from: 2, to: 1, term: 1 }),
      msg({ type: 'MsgSnap', from: 2, to: 1, term: 1, snapshot: { index: 5, term: 1, data: null } }),
    ];
    for (const m of stale) {
      const r = newTestRaft(1, 3, { persisted: persistedLog([{ term: 1, index: 1 }], { term: 2 }) });
      r.step(m);
      expect(r.term, m.type).toBe(2);
      expect(r.state, m.type).toBe('StateFollower');
      expect(r.lead, m.type).toBe(NONE);
      expect(r.vote, m.type).toBe(NONE);
      expect(r.lastIndex, m.type).toBe(1);
      expect(r.commitIndex, m.type).toBe(0);
      expect(readMessages(r), m.type).toEqual([]);
    }
  });

  it('TestRejectStaleTermMessage: with check-quorum a stale leader is told the newer term instead', () => {
    const r = newTestRaft(1, 3, { checkQuorum: true, persisted: persistedLog([], { term: 2 }) });
    r.step(msg({ type: 'MsgApp', from: 2, to: 1, term: 1, entries: [{ term: 1, index: 1, data: 'x' }] }));
    expect(r.lastIndex).toBe(0);
    expect(readMessages(r).map(brief)).toEqual([brief(msg({ type: 'MsgAppResp', from: 1, to: 2, term: 2 }))]);
  });
});

describe('raft paper §5.2: leader election', () => {
  it('TestStartAsFollower', () => {
    const r = newTestRaft(1, 3);
    expect(r.state).toBe('StateFollower');
    expect(r.term).toBe(0);
    expect(r.lead).toBe(NONE);
    expect(r.vote).toBe(NONE);
  });

  it('TestLeaderBcastBeat', () => {
    const hi = 1; // heartbeat interval
    const r = newTestRaft(1, 3, { heartbeatTick: hi });
    becomeLeader(r, 3);
    for (let i = 0; i < 10; i++) r.propose(`e${i}`);
    readMessages(r);

    for (let i = 0; i < hi; i++) r.tick();

    // No entries, index 0, logTerm 0, and commit 0 (nothing is known to be on any follower yet).
    expect(readMessages(r).sort(byTo).map(brief)).toEqual([
      brief(msg({ type: 'MsgHeartbeat', from: 1, to: 2, term: 1 })),
      brief(msg({ type: 'MsgHeartbeat', from: 1, to: 3, term: 1 })),
    ]);
  });

  // etcd testNonleaderStartElection.
  function testNonleaderStartElection(state: 'StateFollower' | 'StateCandidate') {
    const et = 10;
    const r = newTestRaft(1, 3, { electionTick: et });
    if (state === 'StateFollower') becomeFollower(r, 1, 2);
    else becomeCandidate(r);
    expect(r.term).toBe(1);

    // 2·et − 1 ticks: past any randomized timeout in [et, 2·et), too few for a second one.
    for (let i = 1; i < 2 * et; i++) r.tick();

    expect(r.term).toBe(2);
    expect(r.state).toBe('StateCandidate');
    expect(r.vote).toBe(1);
    expect(readMessages(r).sort(byTo).map(brief)).toEqual([
      brief(msg({ type: 'MsgVote', from: 1, to: 2, term: 2, logTerm: 0, index: 0 })),
      brief(msg({ type: 'MsgVote', from: 1, to: 3, term: 2, logTerm: 0, index: 0 })),
    ]);
  }

  it('TestFollowerStartElection', () => testNonleaderStartElection('StateFollower'));
  it('TestCandidateStartNewElection', () => testNonleaderStartElection('StateCandidate'));

  it('TestLeaderElectionInOneRoundRPC', () => {
    const cases: { size: number; votes: [RaftId, boolean][]; state: RaftStateType }[] = [
      // win the election when receiving votes from a majority of the servers
      { size: 1, votes: [], state: 'StateLeader' },
      {
        size: 3,
        votes: [
          [2, true],
          [3, true],
        ],
        state: 'StateLeader',
      },
      { size: 3, votes: [[2, true]], state: 'StateLeader' },
      {
        size: 5,
        votes: [
          [2, true],
          [3, true],
          [4, true],
          [5, true],
        ],
        state: 'StateLeader',
      },
      {
        size: 5,
        votes: [
          [2, true],
          [3, true],
          [4, true],
        ],
        state: 'StateLeader',
      },
      {
        size: 5,
        votes: [
          [2, true],
          [3, true],
        ],
        state: 'StateLeader',
      },
      // return to follower state if it receives a vote denial from a majority
      {
        size: 3,
        votes: [
          [2, false],
          [3, false],
        ],
        state: 'StateFollower',
      },
      {
        size: 5,
        votes: [
          [2, false],
          [3, false],
          [4, false],
          [5, false],
        ],
        state: 'StateFollower',
      },
      {
        size: 5,
        votes: [
          [2, true],
          [3, false],
          [4, false],
          [5, false],
        ],
        state: 'StateFollower',
      },
      // stay in candidate if it does not obtain the majority
      { size: 3, votes: [], state: 'StateCandidate' },
      { size: 5, votes: [[2, true]], state: 'StateCandidate' },
      {
        size: 5,
        votes: [
          [2, false],
          [3, false],
        ],
        state: 'StateCandidate',
      },
      { size: 5, votes: [], state: 'StateCandidate' },
    ];
    for (const [i, c] of cases.entries()) {
      const r = newTestRaft(1, c.size);
      r.campaign();
      readMessages(r);
      for (const [from, granted] of c.votes) {
        r.step(msg({ type: 'MsgVoteResp', from, to: 1, term: r.term, reject: !granted }));
      }
      expect(r.state, `case ${i}`).toBe(c.state);
      expect(r.term, `case ${i}`).toBe(1);
    }
  });

  it('TestFollowerVote', () => {
    const cases: { vote: RaftId; nvote: RaftId; wreject: boolean }[] = [
      { vote: NONE, nvote: 2, wreject: false },
      { vote: NONE, nvote: 3, wreject: false },
      { vote: 2, nvote: 2, wreject: false },
      { vote: 3, nvote: 3, wreject: false },
      { vote: 2, nvote: 3, wreject: true },
      { vote: 3, nvote: 2, wreject: true },
    ];
    for (const c of cases) {
      const r = newTestRaft(1, 3, { persisted: persistedLog([], { term: 1, vote: c.vote }) });
      r.step(msg({ type: 'MsgVote', from: c.nvote, to: 1, term: 1 }));
      expect(readMessages(r).map(brief), JSON.stringify(c)).toEqual([
        brief(msg({ type: 'MsgVoteResp', from: 1, to: c.nvote, term: 1, reject: c.wreject })),
      ]);
      expect(r.vote).toBe(c.wreject ? c.vote : c.nvote);
    }
  });

  it('TestCandidateFallback', () => {
    for (const term of [1, 2]) {
      const r = newTestRaft(1, 3);
      becomeCandidate(r);
      expect(r.state).toBe('StateCandidate');
      expect(r.term).toBe(1);

      r.step(msg({ type: 'MsgApp', from: 2, to: 1, term }));

      expect(r.state, `term ${term}`).toBe('StateFollower');
      expect(r.term, `term ${term}`).toBe(term);
      expect(r.lead, `term ${term}`).toBe(2);
    }
  });

  // etcd testNonleaderElectionTimeoutRandomized: over many rounds every timeout in [et, 2·et) occurs.
  function testNonleaderElectionTimeoutRandomized(state: 'StateFollower' | 'StateCandidate') {
    const et = 10;
    const r = newTestRaft(1, 3, { electionTick: et });
    const timeouts = new Set<number>();
    for (let round = 0; round < 50 * et; round++) {
      if (state === 'StateFollower') becomeFollower(r, r.term + 1, 2);
      else becomeCandidate(r);
      let time = 0;
      while (readMessages(r).length === 0) {
        r.tick();
        time++;
      }
      timeouts.add(time);
    }
    const want = Array.from({ length: et }, (_, i) => et + i);
    expect([...timeouts].sort((a, b) => a - b)).toEqual(want);
  }

  it('TestFollowerElectionTimeoutRandomized', () => testNonleaderElectionTimeoutRandomized('StateFollower'));
  it('TestCandidateElectionTimeoutRandomized', () =>
    testNonleaderElectionTimeoutRandomized('StateCandidate'));

  // etcd testNonleadersElectionTimeoutNonconflict: split votes are rare because timeouts rarely coincide.
  function testNonleadersElectionTimeoutNonconflict(state: 'StateFollower' | 'StateCandidate') {
    const et = 10;
    const size = 5;
    const ids = idsBySize(size);
    // Each member has its own seeded stream, as each etcd member has its own random source.
    const rs = ids.map((id) => newTestRaft(id, ids, { electionTick: et, seed: 1000 + id }));
    let conflicts = 0;
    for (let round = 0; round < 1000; round++) {
      for (const r of rs) {
        if (state === 'StateFollower') becomeFollower(r, r.term + 1, NONE);
        else becomeCandidate(r);
      }
      let timeoutNum = 0;
      while (timeoutNum === 0) {
        for (const r of rs) {
          r.tick();
          if (readMessages(r).length > 0) timeoutNum++;
        }
      }
      // several members timed out on the same tick
      if (timeoutNum > 1) conflicts++;
    }
    expect(conflicts / 1000).toBeLessThanOrEqual(0.3);
  }

  it('TestFollowersElectionTimeoutNonconflict', () =>
    testNonleadersElectionTimeoutNonconflict('StateFollower'));
  it('TestCandidatesElectionTimeoutNonconflict', () =>
    testNonleadersElectionTimeoutNonconflict('StateCandidate'));
});

describe('raft paper §5.3: log replication', () => {
  it('TestLeaderStartReplication', () => {
    const r = newTestRaft(1, 3);
    commitNoopEntry(r, becomeLeader(r, 3));
    const li = r.lastIndex;

    r.propose('some data');

    expect(r.lastIndex).toBe(li + 1);
    expect(r.commitIndex).toBe(li);
    const wents = [{ index: li + 1, term: 1, data: 'some data' }];
    expect(readMessages(r).sort(byTo).map(brief)).toEqual([
      brief(
        msg({ type: 'MsgApp', from: 1, to: 2, term: 1, index: li, logTerm: 1, entries: wents, commit: li }),
      ),
      brief(
        msg({ type: 'MsgApp', from: 1, to: 3, term: 1, index: li, logTerm: 1, entries: wents, commit: li }),
      ),
    ]);
  });

  it('TestLeaderCommitEntry', () => {
    const r = newTestRaft(1, 3);
    commitNoopEntry(r, becomeLeader(r, 3));
    const li = r.lastIndex;
    r.propose('some data');

    for (const m of readMessages(r)) r.step(acceptAndReply(m));

    expect(r.commitIndex).toBe(li + 1);
    const rd = r.ready();
    expect(rd.committedEntries).toEqual([{ index: li + 1, term: 1, data: 'some data' }]);
    // The new commit index goes out to every follower in the next MsgApps.
    const sent = rd.messages.slice().sort(byTo);
    expect(sent.map((m) => [m.to, m.type, m.commit])).toEqual([
      [2, 'MsgApp', li + 1],
      [3, 'MsgApp', li + 1],
    ]);
  });

  it('TestLeaderAcknowledgeCommit', () => {
    const cases: { size: number; acceptors: RaftId[]; wack: boolean }[] = [
      { size: 1, acceptors: [], wack: true },
      { size: 3, acceptors: [], wack: false },
      { size: 3, acceptors: [2], wack: true },
      { size: 3, acceptors: [2, 3], wack: true },
      { size: 5, acceptors: [], wack: false },
      { size: 5, acceptors: [2], wack: false },
      { size: 5, acceptors: [2, 3], wack: true },
      { size: 5, acceptors: [2, 3, 4], wack: true },
      { size: 5, acceptors: [2, 3, 4, 5], wack: true },
    ];
    for (const c of cases) {
      const r = newTestRaft(1, c.size);
      commitNoopEntry(r, becomeLeader(r, c.size));
      const li = r.lastIndex;
      r.propose('some data');
      for (const m of readMessages(r)) {
        if (c.acceptors.includes(m.to)) r.step(acceptAndReply(m));
      }
      expect(r.commitIndex > li, JSON.stringify(c)).toBe(c.wack);
    }
  });

  it('TestLeaderCommitPrecedingEntries', () => {
    const cases: { term: number; index: number }[][] = [
      [],
      [{ term: 2, index: 1 }],
      [
        { term: 1, index: 1 },
        { term: 2, index: 2 },
      ],
      [{ term: 1, index: 1 }],
    ];
    for (const tt of cases) {
      const r = newTestRaft(1, 3, { persisted: persistedLog(tt, { term: 2 }) });
      const first = becomeLeader(r, 3); // term 3, with its no-op
      r.propose('some data');

      // Followers accept everything they are sent; collect what the leader hands to its application.
      const applied: Entry<string>[] = [];
      let pending = [...first, ...readMessages(r)];
      while (pending.length > 0) {
        for (const m of pending) if (m.type === 'MsgApp') r.step(acceptAndReply(m));
        pending = [];
        while (r.hasReady()) {
          const rd = r.ready();
          applied.push(...rd.committedEntries);
          pending.push(...rd.messages.filter((m) => m.entries.length > 0));
          r.advance();
        }
      }

      const li = tt.length;
      expect(applied, JSON.stringify(tt)).toEqual([
        ...tt.map((e) => ({ ...e, data: null })),
        { term: 3, index: li + 1, data: null },
        { term: 3, index: li + 2, data: 'some data' },
      ]);
    }
  });

  it('TestFollowerCommitEntry', () => {
    const cases: { ents: Entry<string>[]; commit: number }[] = [
      { ents: [{ term: 1, index: 1, data: 'some data' }], commit: 1 },
      {
        ents: [
          { term: 1, index: 1, data: 'some data' },
          { term: 1, index: 2, data: 'some data2' },
        ],
        commit: 2,
      },
      {
        ents: [
          { term: 1, index: 1, data: 'some data2' },
          { term: 1, index: 2, data: 'some data' },
        ],
        commit: 2,
      },
      {
        ents: [
          { term: 1, index: 1, data: 'some data' },
          { term: 1, index: 2, data: 'some data2' },
        ],
        commit: 1,
      },
    ];
    for (const c of cases) {
      const r = newTestRaft(1, 3);
      becomeFollower(r, 1, 2);

      r.step(
        msg({
          type: 'MsgApp',
          from: 2,
          to: 1,
          term: 1,
          logTerm: 0,
          index: 0,
          entries: c.ents,
          commit: c.commit,
        }),
      );

      expect(r.commitIndex).toBe(c.commit);
      expect(readCommitted(r)).toEqual(c.ents.slice(0, c.commit));
    }
  });

  it('TestFollowerCheckMsgApp', () => {
    const ents = [
      { term: 1, index: 1 },
      { term: 2, index: 2 },
    ];
    const cases = [
      // match with committed entries
      { term: 0, index: 0, windex: 1, wreject: false, wrejectHint: 0, wlogterm: 0 },
      { term: 1, index: 1, windex: 1, wreject: false, wrejectHint: 0, wlogterm: 0 },
      // match with uncommitted entries
      { term: 2, index: 2, windex: 2, wreject: false, wrejectHint: 0, wlogterm: 0 },
      // unmatch with existing entry
      { term: 1, index: 2, windex: 2, wreject: true, wrejectHint: 1, wlogterm: 1 },
      // unexisting entry
      { term: 3, index: 3, windex: 3, wreject: true, wrejectHint: 2, wlogterm: 2 },
    ];
    for (const c of cases) {
      const r = newTestRaft(1, 3, { persisted: persistedLog(ents, { commit: 1 }) });
      becomeFollower(r, 2, 2);

      r.step(msg({ type: 'MsgApp', from: 2, to: 1, term: 2, logTerm: c.term, index: c.index }));

      expect(readMessages(r).map(brief), JSON.stringify(c)).toEqual([
        brief(
          msg({
            type: 'MsgAppResp',
            from: 1,
            to: 2,
            term: 2,
            index: c.windex,
            reject: c.wreject,
            rejectHint: c.wrejectHint,
            logTerm: c.wlogterm,
          }),
        ),
      ]);
    }
  });

  it('TestFollowerAppendEntries', () => {
    type E = { term: number; index: number };
    // `kept`: indexes whose existing entry must stay the very same object (etcd: not in `unstable`).
    const cases: { index: number; term: number; ents: E[]; wents: E[]; kept: number[] }[] = [
      {
        index: 2,
        term: 2,
        ents: [{ term: 3, index: 3 }],
        wents: [
          { term: 1, index: 1 },
          { term: 2, index: 2 },
          { term: 3, index: 3 },
        ],
        kept: [1, 2],
      },
      {
        index: 1,
        term: 1,
        ents: [
          { term: 3, index: 2 },
          { term: 4, index: 3 },
        ],
        wents: [
          { term: 1, index: 1 },
          { term: 3, index: 2 },
          { term: 4, index: 3 },
        ],
        kept: [1],
      },
      {
        index: 0,
        term: 0,
        ents: [{ term: 1, index: 1 }],
        wents: [
          { term: 1, index: 1 },
          { term: 2, index: 2 },
        ],
        kept: [1, 2],
      },
      { index: 0, term: 0, ents: [{ term: 3, index: 1 }], wents: [{ term: 3, index: 1 }], kept: [] },
    ];
    for (const c of cases) {
      const r = newTestRaft(1, 3, {
        persisted: persistedLog([
          { term: 1, index: 1 },
          { term: 2, index: 2 },
        ]),
      });
      becomeFollower(r, 2, 2);
      const before = new Map(c.kept.map((i) => [i, r.entryAt(i)]));

      r.step(
        msg<string>({
          type: 'MsgApp',
          from: 2,
          to: 1,
          term: 2,
          logTerm: c.term,
          index: c.index,
          entries: c.ents.map((e) => ({ ...e, data: null })),
        }),
      );

      expect(logOf(r), JSON.stringify(c)).toEqual(c.wents.map((e) => ({ ...e, data: null })));
      for (const [i, e] of before) expect(r.entryAt(i), `entry ${i} rewritten`).toBe(e);
    }
  });

  it('TestLeaderSyncFollowerLog', () => {
    // Figure 7 of the paper: the leader's log at term 8, and six followers that diverge from it.
    const leaderTerms = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
    const term = 8;
    const followers = [
      [1, 1, 1, 4, 4, 5, 5, 6, 6], // (a) missing one entry
      [1, 1, 1, 4], // (b) missing many
      [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6], // (c) an extra uncommitted entry
      [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7], // (d) extra entries of a later term
      [1, 1, 1, 4, 4, 4, 4], // (e) missing entries and extra ones of term 4
      [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3], // (f) a whole divergent tail of terms 2 and 3
    ];
    for (const [i, fterms] of followers.entries()) {
      const lead = logOfTerms(leaderTerms);
      // Member 3 answers nothing (etcd's nopStepper): it starts down, so its messages are dropped.
      const net = new RaftNetwork<string>({
        size: 3,
        down: [3],
        initial: new Map([
          [1, persistedLog<string>(lead, { term, commit: lead.length })],
          [2, persistedLog<string>(logOfTerms(fterms), { term: term - 1 })],
        ]),
      });

      net.campaign(1);
      net.stabilize();
      // Member 3's vote, forged, makes 1 the leader of term 9 whatever member 2 answered.
      net.send(msg({ type: 'MsgVoteResp', from: 3, to: 1, term: term + 1 }));
      expect(net.node(1).state, `case ${i}`).toBe('StateLeader');
      net.propose(1, 'x');
      net.stabilize();

      const want = logOf(net.node(1));
      expect(want.length).toBe(12); // 10 entries, the leader's no-op, the proposal
      expect(logOf(net.node(2)), `case ${'abcdef'[i]}`).toEqual(want);
      expect(net.node(2).commitIndex).toBe(12);
    }
  });
});

describe('raft paper §5.4: safety', () => {
  it('TestVoteRequest', () => {
    const cases = [
      { ents: [{ term: 1, index: 1 }], wterm: 2 },
      {
        ents: [
          { term: 1, index: 1 },
          { term: 2, index: 2 },
        ],
        wterm: 3,
      },
    ];
    for (const c of cases) {
      const r = newTestRaft(1, 3);
      r.step(
        msg<string>({
          type: 'MsgApp',
          from: 2,
          to: 1,
          term: c.wterm - 1,
          logTerm: 0,
          index: 0,
          entries: c.ents.map((e) => ({ ...e, data: null })),
        }),
      );
      readMessages(r);

      for (let i = 1; i < 10 * 2; i++) r.tick();

      const last = c.ents[c.ents.length - 1] as { term: number; index: number };
      expect(readMessages(r).sort(byTo).map(brief)).toEqual([
        brief(msg({ type: 'MsgVote', from: 1, to: 2, term: c.wterm, index: last.index, logTerm: last.term })),
        brief(msg({ type: 'MsgVote', from: 1, to: 3, term: c.wterm, index: last.index, logTerm: last.term })),
      ]);
    }
  });

  it('TestVoter', () => {
    const cases: { ents: [number, number][]; logterm: number; index: number; wreject: boolean }[] = [
      // same logterm
      { ents: [[1, 1]], logterm: 1, index: 1, wreject: false },
      { ents: [[1, 1]], logterm: 1, index: 2, wreject: false },
      {
        ents: [
          [1, 1],
          [1, 2],
        ],
        logterm: 1,
        index: 1,
        wreject: true,
      },
      // candidate higher logterm
      { ents: [[1, 1]], logterm: 2, index: 1, wreject: false },
      { ents: [[1, 1]], logterm: 2, index: 2, wreject: false },
      {
        ents: [
          [1, 1],
          [1, 2],
        ],
        logterm: 2,
        index: 1,
        wreject: false,
      },
      // voter higher logterm
      { ents: [[2, 1]], logterm: 1, index: 1, wreject: true },
      { ents: [[2, 1]], logterm: 1, index: 2, wreject: true },
      {
        ents: [
          [2, 1],
          [1, 2],
        ],
        logterm: 1,
        index: 1,
        wreject: true,
      },
    ];
    for (const c of cases) {
      const r = newTestRaft(1, 2, {
        persisted: persistedLog(c.ents.map(([term, index]) => ({ term, index }))),
      });

      r.step(msg({ type: 'MsgVote', from: 2, to: 1, term: 3, logTerm: c.logterm, index: c.index }));

      const msgs = readMessages(r);
      expect(msgs.length).toBe(1);
      expect(msgs[0]?.type).toBe('MsgVoteResp');
      expect(msgs[0]?.reject, JSON.stringify(c)).toBe(c.wreject);
    }
  });

  it('TestLeaderOnlyCommitsLogFromCurrentTerm', () => {
    const ents = [
      { term: 1, index: 1 },
      { term: 2, index: 2 },
    ];
    const cases = [
      // do not commit log entries in previous terms
      { index: 1, wcommit: 0 },
      { index: 2, wcommit: 0 },
      // commit log in current term
      { index: 3, wcommit: 3 },
    ];
    for (const c of cases) {
      const r = newTestRaft(1, 2, { persisted: persistedLog(ents, { term: 2 }) });
      becomeLeader(r, 2); // term 3, with its no-op at index 3
      r.propose('x'); // index 4

      r.step(msg({ type: 'MsgAppResp', from: 2, to: 1, term: r.term, index: c.index }));

      expect(r.commitIndex, `ack up to ${c.index}`).toBe(c.wcommit);
    }
  });
});

describe('beyond the paper: etcd extras and recovery (network harness)', () => {
  it('a restarted member catches up, through a snapshot when the leader compacted what it missed', () => {
    const net = new RaftNetwork<string>({ size: 3, seed: 7, compactEvery: 20, maxEntriesPerMsg: 8 });
    net.campaign(1);
    net.stabilize();
    expect(net.leader()).toBe(1);
    for (let i = 0; i < 10; i++) net.propose(1, `a${i}`);
    net.stabilize();

    net.crash(3);
    for (let i = 0; i < 100; i++) {
      net.propose(1, `b${i}`);
      if (i % 10 === 0) net.run(1);
    }
    net.stabilize();
    const leader = net.node(1);
    // The leader compacted past everything member 3 has, so only a snapshot can catch it up.
    const lagging = net.disk(3);
    expect(lagging).toBeDefined();
    const behind = (lagging?.snapshot?.index ?? 0) + (lagging?.entries.length ?? 0);
    expect(leader.firstIndex).toBeGreaterThan(behind + 1);

    net.restart(3);
    net.run(5);

    const follower = net.node(3);
    expect(follower.commitIndex).toBe(leader.commitIndex);
    expect(follower.lastIndex).toBe(leader.lastIndex);
    expect(net.applied(3)).toEqual(net.applied(1));
    expect(
      net
        .applied(3)
        .map((e) => e.data)
        .filter((d) => d !== null),
    ).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `a${i}`),
      ...Array.from({ length: 100 }, (_, i) => `b${i}`),
    ]);
    net.checkLogMatching();
  });

  it('pre-vote with check-quorum: a partitioned member rejoining disturbs neither the term nor the leader', () => {
    const net = new RaftNetwork<string>({ size: 3, seed: 3, preVote: true, checkQuorum: true });
    net.campaign(1);
    net.stabilize();
    net.propose(1, 'x');
    net.stabilize();
    const term = net.node(1).term;

    net.isolate(3);
    net.run(100); // member 3 times out again and again; pre-vote keeps its term from rising
    expect(net.node(3).term).toBe(term);
    expect(net.node(3).state).not.toBe('StateLeader');

    net.heal();
    net.run(50);
    expect(net.leader()).toBe(1);
    expect(net.node(1).term).toBe(term);
    expect(net.node(3).term).toBe(term);
    expect(net.node(3).lead).toBe(1);
  });

  it('pre-vote alone: a rejoining member whose log fell behind cannot raise the term', () => {
    const net = new RaftNetwork<string>({ size: 3, seed: 4, preVote: true });
    net.campaign(1);
    net.stabilize();
    const term = net.node(1).term;

    net.isolate(3);
    net.propose(1, 'written while 3 was away');
    net.run(100);
    expect(net.node(3).term).toBe(term);

    net.heal();
    for (let i = 0; i < 50; i++) net.run(1);
    expect(net.leader()).toBe(1);
    expect(net.node(1).term).toBe(term);
    expect(net.node(3).commitIndex).toBe(net.node(1).commitIndex);
  });

  it('without pre-vote, the same rejoining member does force an election (what pre-vote prevents)', () => {
    const net = new RaftNetwork<string>({ size: 3, seed: 4, preVote: false });
    net.campaign(1);
    net.stabilize();
    const term = net.node(1).term;

    net.isolate(3);
    net.run(100);
    expect(net.node(3).term).toBeGreaterThan(term);

    net.heal();
    net.run(50);
    expect(net.node(1).term).toBeGreaterThan(term);
  });

  it('check-quorum: a leader cut off from the majority steps down within an election timeout', () => {
    const net = new RaftNetwork<string>({ size: 5, seed: 5, checkQuorum: true, preVote: true });
    net.campaign(1);
    net.stabilize();
    expect(net.leader()).toBe(1);

    net.partition([1, 2], [3, 4, 5]);
    let ticks = 0;
    while (net.node(1).state === 'StateLeader') {
      net.run(1);
      ticks++;
      expect(ticks).toBeLessThanOrEqual(2 * 10);
    }
    expect(net.node(1).state).toBe('StateFollower');
    expect(net.node(1).lead).toBe(NONE);
  });

  it('without check-quorum, the same cut-off leader keeps believing it leads', () => {
    const net = new RaftNetwork<string>({ size: 5, seed: 5, checkQuorum: false });
    net.campaign(1);
    net.stabilize();
    net.partition([1, 2], [3, 4, 5]);
    net.run(100);
    expect(net.node(1).state).toBe('StateLeader');
  });

  for (const preVote of [false, true]) {
    it(`a stale leader rejoining steps down to the new term (preVote ${preVote}, checkQuorum off)`, () => {
      const net = new RaftNetwork<string>({ size: 3, seed: 6, preVote, checkQuorum: false });
      net.campaign(1);
      net.stabilize();
      const oldTerm = net.node(1).term;

      net.isolate(1);
      net.run(60);
      const newLeader = net.leader();
      expect(newLeader === 2 || newLeader === 3).toBe(true);
      const newTerm = net.node(newLeader as RaftId).term;
      expect(newTerm).toBeGreaterThan(oldTerm);
      expect(net.node(1).state).toBe('StateLeader'); // it has not noticed anything
      // What the stale leader accepts while cut off is never committed.
      net.propose(1, 'lost');
      net.propose(newLeader as RaftId, 'kept');
      net.run(1);

      net.heal();
      net.run(5);

      expect(net.node(1).state).toBe('StateFollower');
      expect(net.node(1).term).toBe(newTerm);
      expect(net.node(1).lead).toBe(newLeader);
      const data = net.applied(1).map((e) => e.data);
      expect(data).toContain('kept');
      expect(data).not.toContain('lost');
      net.checkLogMatching();
    });
  }

  it('a stale leader rejoining steps down (check-quorum on): the answer to its heartbeat carries the new term', () => {
    const net = new RaftNetwork<string>({ size: 3, seed: 8, preVote: true, checkQuorum: true });
    net.campaign(1);
    net.stabilize();
    // Member 1 is cut off and frozen (it does not tick, like a paused process), so its lease never
    // runs out and it still believes it leads when it comes back; 2 and 3 elect a new leader.
    net.isolate(1);
    for (let t = 0; t < 60; t++) {
      net.tick(2);
      net.tick(3);
      net.stabilize();
    }
    const newLeader = net.leader();
    expect(newLeader === 2 || newLeader === 3).toBe(true);
    expect(net.node(1).state).toBe('StateLeader'); // 1 did not tick, so its lease never expired
    const newTerm = net.node(newLeader as RaftId).term;

    net.heal();
    net.tick(1); // its heartbeat reaches a member of the newer term, which answers with that term
    net.stabilize();

    expect(net.node(1).state).toBe('StateFollower');
    expect(net.node(1).term).toBe(newTerm);
  });
});

describe('the harness itself: its safety checks fire', () => {
  it('throws on two leaders in one term (votes forged for both candidates)', () => {
    const net = new RaftNetwork<string>({ size: 3 });
    net.campaign(1);
    net.campaign(2); // both candidates in term 1
    net.dropAll();
    net.cut(1, 2); // so that 2 does not hear of 1's victory
    net.send(msg({ type: 'MsgVoteResp', from: 3, to: 1, term: 1 }));
    expect(net.leader()).toBe(1);
    expect(() => net.send(msg({ type: 'MsgVoteResp', from: 3, to: 2, term: 1 }))).toThrow(
      /election safety: members 1 and 2 both led term 1/,
    );
  });

  it('throws when a leader lacks an entry committed in an earlier term (a vote forged for a stale member)', () => {
    const net = new RaftNetwork<string>({ size: 3 });
    net.campaign(1);
    net.stabilize();
    net.isolate(3);
    net.propose(1, 'a'); // committed by 1 and 2 in term 1; 3 never gets it
    net.stabilize();
    expect(net.node(1).commitIndex).toBe(2);
    net.heal();
    net.campaign(3);
    net.dropAll();
    expect(() => net.send(msg({ type: 'MsgVoteResp', from: 2, to: 3, term: 2 }))).toThrow(
      /leader completeness: member 3 leads term 2 without \{index 2, term 1, data "a"\}, committed in term 1/,
    );
  });

  it('throws when a member applies something else at an index already applied elsewhere', () => {
    const net = new RaftNetwork<string>({ size: 3 });
    net.campaign(1);
    net.stabilize();
    net.propose(1, 'a');
    net.run(1);
    expect(net.applied(3).map((e) => e.data)).toEqual([null, 'a']);
    // A forged snapshot from a "leader" of a later term carries a different history.
    const forged = [
      { index: 1, term: 1, data: null },
      { index: 2, term: 1, data: 'not a' },
      { index: 3, term: 1, data: 'b' },
    ];
    expect(() =>
      net.send(
        msg({ type: 'MsgSnap', from: 2, to: 3, term: 9, snapshot: { index: 3, term: 1, data: forged } }),
      ),
    ).toThrow(/state machine safety: member 3 applied .* at index 2/);
  });

  it('throws when logs that agree at an index differ before it', () => {
    const net = new RaftNetwork<string>({
      size: 2,
      initial: new Map([
        [
          1,
          persistedLog([
            { term: 1, index: 1, data: 'x' },
            { term: 1, index: 2 },
          ]),
        ],
        [
          2,
          persistedLog([
            { term: 1, index: 1, data: 'y' },
            { term: 1, index: 2 },
          ]),
        ],
      ]),
    });
    expect(() => net.checkLogMatching()).toThrow(/log matching: members 1 and 2 agree at index 2/);
  });
});
