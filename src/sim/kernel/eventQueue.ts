import TinyQueue from 'tinyqueue';
import type { SimTimeMs } from './time';

interface Entry<E> {
  readonly at: SimTimeMs;
  readonly seq: number;
  readonly event: E;
}

/** Earlier time first; at the same instant, the one scheduled first (FIFO). */
function before<E>(a: Entry<E>, b: Entry<E>): number {
  return a.at - b.at || a.seq - b.seq;
}

/**
 * A time-ordered queue of callbacks. Events due at the same instant run in the order they were
 * scheduled (FIFO), which keeps runs deterministic and lets a sender's messages stay in order.
 * A binary heap (tinyqueue) ordered on (time, sequence number): simulated times are fractional,
 * so per-time buckets would hold one event each.
 */
export class EventQueue<E> {
  private readonly heap = new TinyQueue<Entry<E>>([], before);
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: SimTimeMs, event: E): void {
    this.heap.push({ at, seq: this.nextSeq++, event });
  }

  /** The time of the earliest event, or undefined when empty. */
  peekTime(): SimTimeMs | undefined {
    return this.heap.peek()?.at;
  }

  /** Removes and returns the earliest event. */
  pop(): E | undefined {
    return this.heap.pop()?.event;
  }
}
