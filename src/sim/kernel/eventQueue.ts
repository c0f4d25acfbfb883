import FlatQueue from 'flatqueue';
import type { SimTimeMs } from './time';

/**
 * A time-ordered queue of callbacks. Events due at the same instant run in the order they were
 * scheduled (FIFO), which keeps runs deterministic and lets a sender's messages stay in order.
 * The heap holds distinct times only; each time owns a FIFO bucket.
 */
export class EventQueue<E> {
  private readonly times = new FlatQueue<number>();
  private readonly buckets = new Map<number, { items: E[]; head: number }>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(at: SimTimeMs, event: E): void {
    let bucket = this.buckets.get(at);
    if (!bucket) {
      bucket = { items: [], head: 0 };
      this.buckets.set(at, bucket);
      this.times.push(at, at);
    }
    bucket.items.push(event);
    this.count++;
  }

  /** The time of the earliest event, or undefined when empty. */
  peekTime(): SimTimeMs | undefined {
    return this.times.peekValue();
  }

  /** Removes and returns the earliest event. */
  pop(): E | undefined {
    const at = this.times.peekValue();
    if (at === undefined) return undefined;
    const bucket = this.buckets.get(at)!;
    const event = bucket.items[bucket.head++] as E;
    if (bucket.head === bucket.items.length) {
      this.buckets.delete(at);
      this.times.pop();
    }
    this.count--;
    return event;
  }
}
