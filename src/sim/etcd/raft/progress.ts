import type { ProgressStateType } from './types';

/**
 * The leader's view of one follower, after etcd-io/raft's tracker.Progress. `match` is the highest
 * index known to be replicated there; `next` is the next index to send. In Probe the leader sends
 * one append at a time and waits; in Replicate it streams optimistically; in Snapshot it waits for
 * the follower to install the snapshot it was sent.
 */
export class Progress {
  match = 0;
  next: number;
  state: ProgressStateType = 'StateProbe';
  /** Probe: an append is in flight, so hold further ones until a response or heartbeat. */
  probeSent = false;
  /** Snapshot: index of the snapshot in flight. */
  pendingSnapshot = 0;
  /** Ticks spent waiting in Snapshot, so a lost snapshot is retried. */
  snapshotWaitTicks = 0;
  /** Heard from since the last check-quorum round. */
  recentActive = false;

  constructor(next: number) {
    this.next = next;
  }

  becomeProbe(): void {
    // Resume from after the snapshot if one was in flight, else from just past the match.
    this.next =
      this.state === 'StateSnapshot' ? Math.max(this.match + 1, this.pendingSnapshot + 1) : this.match + 1;
    this.state = 'StateProbe';
    this.probeSent = false;
    this.pendingSnapshot = 0;
  }

  becomeReplicate(): void {
    this.state = 'StateReplicate';
    this.next = this.match + 1;
    this.probeSent = false;
    this.pendingSnapshot = 0;
  }

  becomeSnapshot(index: number): void {
    this.state = 'StateSnapshot';
    this.probeSent = false;
    this.pendingSnapshot = index;
    this.snapshotWaitTicks = 0;
  }

  /** An acknowledgement up to `index`; false when it is stale. */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, index + 1);
    return updated;
  }

  /**
   * A rejection of the append whose previous index was `rejected`. Returns false when the rejection
   * is stale (it answers an older append). `matchHint` is the follower's best guess at a match.
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === 'StateReplicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1, 1);
    this.probeSent = false;
    return true;
  }

  isPaused(): boolean {
    if (this.state === 'StateProbe') return this.probeSent;
    return this.state === 'StateSnapshot';
  }
}
