import type { Entry, RaftId, Snapshot } from './types';

/** An entry list shared by every message that carries no entries, so heartbeats allocate nothing. */
export const NO_ENTRIES: readonly Entry<never>[] = Object.freeze([]);

/** The snapshot of an empty state machine: index 0, term 0, as etcd's empty MemoryStorage. */
export const EMPTY_SNAPSHOT: Snapshot = Object.freeze({ index: 0, term: 0, data: null });

/**
 * The replicated log of one member, after etcd-io/raft's raftLog. Entries up to `snapshot.index`
 * have been compacted away and are represented by the snapshot; `entries[i]` has index
 * `snapshot.index + 1 + i`. The simulation treats this memory as stable storage (as if the WAL
 * were fsynced on every step), so there is no separate "unstable" tail.
 */
export class RaftLog<D> {
  /** Stands in for every entry up to and including `snapshot.index`. */
  snapshot: Snapshot;
  /** Highest index known to be stored on a majority; never decreases. */
  committed: number;
  private entries: Entry<D>[];

  constructor(snapshot: Snapshot, entries: readonly Entry<D>[], committed: number) {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as Entry<D>;
      if (e.index !== snapshot.index + 1 + i) {
        throw new Error(`raft log: entry ${i} has index ${e.index}, want ${snapshot.index + 1 + i}`);
      }
    }
    this.snapshot = snapshot;
    this.entries = entries.slice();
    this.committed = Math.max(committed, snapshot.index);
    if (this.committed > this.lastIndex()) {
      throw new Error(`raft log: commit ${this.committed} is past last index ${this.lastIndex()}`);
    }
  }

  /** The first index still held as an entry (one past the snapshot). */
  firstIndex(): number {
    return this.snapshot.index + 1;
  }

  lastIndex(): number {
    return this.snapshot.index + this.entries.length;
  }

  lastTerm(): number {
    return this.term(this.lastIndex());
  }

  /** The term of the entry at `index`, or -1 when it was compacted away or does not exist yet. */
  term(index: number): number {
    const offset = this.snapshot.index;
    if (index === offset) return this.snapshot.term;
    if (index < offset) return -1;
    const e = this.entries[index - offset - 1];
    return e === undefined ? -1 : e.term;
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /** §5.4.1: a candidate's log is at least as up to date if its last term is higher, or equal with an index at least as long. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());
  }

  /** The entry at `index`, or undefined when compacted or absent. */
  entry(index: number): Entry<D> | undefined {
    return this.entries[index - this.snapshot.index - 1];
  }

  /** Entries in [lo, hi), at most `maxCount` of them. Callers keep lo within [firstIndex, lastIndex+1]. */
  slice(lo: number, hi: number, maxCount: number): Entry<D>[] {
    const offset = this.snapshot.index + 1;
    const end = Math.min(hi, lo + maxCount);
    return this.entries.slice(lo - offset, end - offset);
  }

  /**
   * The entries still held, as a live read-only view: the simulation's "disk" keeps this reference
   * and only reads it after the member crashed, when nothing mutates it any more.
   */
  entriesView(): readonly Entry<D>[] {
    return this.entries;
  }

  /**
   * The first entry of `ents` that is not already in the log with the same term (a conflict, or
   * simply new), or 0 when all are present. Entries already present are left untouched.
   */
  findConflict(ents: readonly Entry<D>[]): number {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * The largest index at or below `index` whose term is at most `term`. A follower uses it to skip
   * a whole divergent tail in one rejection, and the leader to skip its own terms the follower
   * cannot have (etcd's fast log backtracking). Stops at the snapshot, whose term is still known.
   */
  findConflictByTerm(index: number, term: number): number {
    let i = Math.min(index, this.lastIndex());
    for (; i > this.snapshot.index; i--) {
      if (this.term(i) <= term) return i;
    }
    return i;
  }

  /**
   * AppendEntries on the follower side (§5.3): when the log holds (prevIndex, prevTerm), deletes the
   * first conflicting entry and all after it, appends what is missing, and moves commit up to
   * min(leaderCommit, last new index). Returns the last new index, or -1 on a mismatch.
   */
  maybeAppend(prevIndex: number, prevTerm: number, leaderCommit: number, ents: readonly Entry<D>[]): number {
    if (!this.matchTerm(prevIndex, prevTerm)) return -1;
    const lastNew = prevIndex + ents.length;
    const conflict = this.findConflict(ents);
    if (conflict !== 0) {
      if (conflict <= this.committed) {
        throw new Error(
          `raft log: entry ${conflict} conflicts with committed entry (commit ${this.committed})`,
        );
      }
      this.append(ents, conflict - (prevIndex + 1));
    }
    this.commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  /** Appends `ents[from:]`, first truncating anything at or after the first appended index. */
  append(ents: readonly Entry<D>[], from = 0): number {
    const first = ents[from];
    if (first === undefined) return this.lastIndex();
    if (first.index - 1 < this.committed) {
      throw new Error(`raft log: append at ${first.index} would overwrite committed ${this.committed}`);
    }
    this.entries.length = first.index - 1 - this.snapshot.index;
    for (let i = from; i < ents.length; i++) this.entries.push(ents[i] as Entry<D>);
    return this.lastIndex();
  }

  commitTo(index: number): void {
    if (index <= this.committed) return;
    if (index > this.lastIndex()) {
      throw new Error(`raft log: commit ${index} is out of range (last index ${this.lastIndex()})`);
    }
    this.committed = index;
  }

  /** A leader commits by counting replicas only for entries of its own term (§5.4.2). */
  maybeCommit(index: number, term: number): boolean {
    if (index > this.committed && this.term(index) === term) {
      this.commitTo(index);
      return true;
    }
    return false;
  }

  /** Replaces the whole log with a snapshot received from the leader. */
  restore(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    this.entries = [];
    this.committed = snapshot.index;
  }

  /** Drops entries up to and including `index` (the application snapshotted at it, with these voters). */
  compact(index: number, data: unknown, voters?: readonly RaftId[]): void {
    const term = this.term(index);
    if (index <= this.snapshot.index || term < 0) return;
    if (index > this.committed)
      throw new Error(`raft log: compact ${index} is past commit ${this.committed}`);
    // A new array, not an in-place splice: a `persisted()` view handed out earlier (the host's
    // "disk") pairs the old snapshot with the old array, and must stay a consistent, restartable
    // state until the host stores a new view. Splicing shifted that array under the old snapshot,
    // so a crash between compact() and the next Ready could not restart ("entry 0 has index ...").
    this.entries = this.entries.slice(index - this.snapshot.index);
    this.snapshot = voters ? { index, term, data, voters } : { index, term, data };
  }
}
