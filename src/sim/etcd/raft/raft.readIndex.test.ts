import { describe, expect, it } from 'vitest';
import type { RaftNode } from './raft';
import {
  becomeFollower,
  becomeLeader,
  commitNoopEntry,
  msg,
  newTestRaft,
  readMessages,
} from './testing/helpers';
import type { ReadState } from './types';

/**
 * Linearizable reads by ReadIndex (etcd-io/raft's ReadOnlySafe): a read is answered with the
 * leader's commit index only after a quorum answered a heartbeat sent after the read arrived, so a
 * deposed leader that has not noticed yet never answers one. Reads add nothing to the log.
 */

/** Drains the node's Ready, returning the read states and the messages. */
function drain(r: RaftNode<string>): { reads: ReadState[]; types: string[]; contexts: number[] } {
  const reads: ReadState[] = [];
  const types: string[] = [];
  const contexts: number[] = [];
  while (r.hasReady()) {
    const rd = r.ready();
    reads.push(...rd.readStates);
    for (const m of rd.messages) {
      types.push(`${m.type}->${m.to}`);
      contexts.push(m.context);
    }
    r.advance();
  }
  return { reads, types, contexts };
}

/** A leader of 3 that committed its no-op entry (index 1) with followers 2 and 3 up to date. */
function leaderOf3(): RaftNode<string> {
  const r = newTestRaft(1, 3);
  commitNoopEntry(r, becomeLeader(r, 3));
  return r;
}

describe('ReadIndex on the leader', () => {
  it('answers a read with the commit index once a quorum answered the heartbeat it rode on', () => {
    const r = leaderOf3();
    const lastIndex = r.lastIndex;
    expect(r.readIndex(7)).toBe(true);
    const sent = drain(r);
    expect(sent.types).toEqual(['MsgHeartbeat->2', 'MsgHeartbeat->3']);
    expect(sent.contexts).toEqual([7, 7]);
    expect(sent.reads).toEqual([]);
    // One follower's answer makes a quorum of 3 with the leader itself.
    r.step(msg({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: r.term, context: 7 }));
    expect(drain(r).reads).toEqual([{ index: r.commitIndex, context: 7 }]);
    // Nothing went into the log.
    expect(r.lastIndex).toBe(lastIndex);
  });

  it('never answers without a quorum: a leader cut off from its followers holds the read', () => {
    const r = leaderOf3();
    r.readIndex(1);
    drain(r);
    r.step(msg({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: r.term, context: 0 }));
    r.step(msg({ type: 'MsgHeartbeatResp', from: 3, to: 1, term: r.term, context: 99 }));
    expect(drain(r).reads).toEqual([]);
  });

  it('releases every read queued before the one a quorum confirmed, oldest first', () => {
    const r = leaderOf3();
    r.readIndex(1);
    r.readIndex(2);
    drain(r);
    r.step(msg({ type: 'MsgHeartbeatResp', from: 3, to: 1, term: r.term, context: 2 }));
    expect(drain(r).reads.map((s) => s.context)).toEqual([1, 2]);
  });

  it('a new leader holds reads until it committed an entry of its own term', () => {
    const r = newTestRaft(1, 3);
    const apps = becomeLeader(r, 3);
    r.readIndex(5);
    expect(drain(r).types.filter((t) => t.startsWith('MsgHeartbeat'))).toEqual([]);
    // Its commit index may still be behind the old leader's: an answer now is not confirmed.
    r.step(msg({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: r.term, context: 5 }));
    expect(drain(r).reads).toEqual([]);
    commitNoopEntry(r, apps); // the no-op commits, and the read rides on a heartbeat
    r.step(msg({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: r.term, context: 5 }));
    expect(drain(r).reads).toEqual([{ index: r.commitIndex, context: 5 }]);
  });

  it('drops its reads when it steps down', () => {
    const r = leaderOf3();
    r.readIndex(4);
    drain(r);
    r.step(msg({ type: 'MsgHeartbeat', from: 2, to: 1, term: r.term + 1 }));
    r.step(msg({ type: 'MsgHeartbeatResp', from: 3, to: 1, term: r.term, context: 4 }));
    expect(drain(r).reads).toEqual([]);
  });

  it('a single member answers at once', () => {
    const r = newTestRaft(1, 1);
    r.campaign();
    readMessages(r);
    r.readIndex(3);
    expect(drain(r).reads).toEqual([{ index: r.commitIndex, context: 3 }]);
  });
});

describe('ReadIndex on a follower', () => {
  it('forwards the read to the leader and turns its answer into a read state', () => {
    const r = newTestRaft(2, 3);
    becomeFollower(r, 1, 1);
    r.readIndex(11);
    const out = r.ready().messages;
    r.advance();
    expect(out.map((m) => [m.type, m.to, m.context])).toEqual([['MsgReadIndex', 1, 11]]);
    r.step(msg({ type: 'MsgReadIndexResp', from: 1, to: 2, term: 1, index: 9, context: 11 }));
    expect(drain(r).reads).toEqual([{ index: 9, context: 11 }]);
  });

  it('drops the read when no leader is known (the member asks again)', () => {
    const r = newTestRaft(2, 3);
    expect(r.readIndex(1)).toBe(false);
  });

  it('echoes the context of a heartbeat in its answer', () => {
    const r = newTestRaft(2, 3);
    becomeFollower(r, 1, 1);
    r.step(msg({ type: 'MsgHeartbeat', from: 1, to: 2, term: 1, context: 42 }));
    const out = r.ready().messages;
    r.advance();
    expect(out.map((m) => [m.type, m.context])).toEqual([['MsgHeartbeatResp', 42]]);
  });

  it('a forwarded read is answered to the follower, not locally', () => {
    const r = leaderOf3();
    r.step(msg({ type: 'MsgReadIndex', from: 3, to: 1, term: 0, context: 8 }));
    drain(r);
    r.step(msg({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: r.term, context: 8 }));
    const rd = r.ready();
    r.advance();
    expect(rd.readStates).toEqual([]);
    expect(rd.messages.map((m) => [m.type, m.to, m.index, m.context])).toEqual([
      ['MsgReadIndexResp', 3, r.commitIndex, 8],
    ]);
  });
});
