import type { RaftId } from './types';

/** A read a leader holds until a quorum confirms it is still the leader. */
export interface PendingRead {
  /** The leader's commit index when the read arrived: the reader waits to have applied it. */
  readonly index: number;
  /** Who asked: this node (the reader is local) or a follower that forwarded it. */
  readonly from: RaftId;
  readonly context: number;
}

/**
 * The leader's queue of linearizable reads, as etcd-io/raft's readOnly (ReadOnlySafe): each read
 * records the commit index, rides on a heartbeat, and is released once a quorum has answered that
 * heartbeat, which proves no newer leader can have committed anything this one has not seen.
 * Releasing a read releases every read queued before it too.
 */
export class ReadOnlyQueue {
  /** In arrival order (a Map iterates in insertion order). */
  private readonly pending = new Map<number, { read: PendingRead; acks: Set<RaftId> }>();

  add(read: PendingRead): void {
    if (!this.pending.has(read.context)) this.pending.set(read.context, { read, acks: new Set() });
  }

  /** Records that `id` answered the heartbeat of `context`; returns who has so far (undefined: no such read). */
  ack(context: number, id: RaftId): Set<RaftId> | undefined {
    const p = this.pending.get(context);
    if (!p) return undefined;
    p.acks.add(id);
    return p.acks;
  }

  /** Releases the read of `context` and every read queued before it, oldest first. */
  release(context: number): PendingRead[] {
    if (!this.pending.has(context)) return [];
    const released: PendingRead[] = [];
    for (const [ctx, p] of this.pending) {
      this.pending.delete(ctx);
      released.push(p.read);
      if (ctx === context) break;
    }
    return released;
  }

  /** The newest read waiting, whose context a routine heartbeat carries (0 when none). */
  lastContext(): number {
    let last = 0;
    for (const ctx of this.pending.keys()) last = ctx;
    return last;
  }

  clear(): void {
    this.pending.clear();
  }
}
