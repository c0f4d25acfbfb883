import { EventQueue } from './eventQueue';
import { Rng } from './rng';
import type { SimTimeMs } from './time';
import { TraceLog } from './trace';

/** A scheduled callback that can be cancelled before it runs. */
export interface Timer {
  cancel(): void;
}

/** A queued callback; it is its own Timer, so scheduling allocates one object, not three. */
class Scheduled implements Timer {
  cancelled = false;
  constructor(readonly fn: () => void) {}
  cancel(): void {
    this.cancelled = true;
  }
}

/** Upper bound on events run by one `runUntil`, so a bug that reschedules at the same instant cannot hang the page. */
export const MAX_EVENTS_PER_RUN = 50_000_000;

/**
 * The discrete-event kernel: a simulated clock, a time-ordered event queue and the seeded RNG.
 * Everything in the core happens inside an event; nothing reads the wall clock.
 */
export class Sim {
  private now: SimTimeMs = 0;
  private readonly queue = new EventQueue<Scheduled>();
  readonly rng: Rng;
  readonly trace: TraceLog;
  /** Events run since creation, for benchmarks. */
  eventsRun = 0;

  constructor(seed: number) {
    this.rng = new Rng(seed);
    this.trace = new TraceLog();
  }

  get nowMs(): SimTimeMs {
    return this.now;
  }

  /** Runs `fn` after `delayMs` of simulated time. */
  schedule(delayMs: number, fn: () => void): Timer {
    const item = new Scheduled(fn);
    this.queue.push(this.now + Math.max(0, delayMs), item);
    return item;
  }

  /** Runs every event due at or before `untilMs`, then sets the clock to `untilMs`. */
  runUntil(untilMs: SimTimeMs): void {
    let budget = MAX_EVENTS_PER_RUN;
    for (let at = this.queue.peekTime(); at !== undefined && at <= untilMs; at = this.queue.peekTime()) {
      this.runNext();
      if (--budget === 0)
        throw new Error(`simulation stuck: ${MAX_EVENTS_PER_RUN} events before ${untilMs}ms`);
    }
    if (untilMs > this.now) this.now = untilMs;
  }

  /**
   * Runs events until `done()` holds or the clock would pass `limitMs`. Returns whether `done()` held.
   * Used to finish a command as fast as possible (scripts, CLI, tests).
   */
  runUntilDone(done: () => boolean, limitMs: SimTimeMs): boolean {
    let budget = MAX_EVENTS_PER_RUN;
    while (!done()) {
      const at = this.queue.peekTime();
      if (at === undefined || at > limitMs) {
        if (limitMs > this.now) this.now = limitMs;
        return done();
      }
      this.runNext();
      if (--budget === 0) throw new Error('simulation stuck while waiting for a command');
    }
    return true;
  }

  /** The time of the next pending event, if any. */
  nextEventTime(): SimTimeMs | undefined {
    return this.queue.peekTime();
  }

  private runNext(): void {
    const at = this.queue.peekTime()!;
    const item = this.queue.pop()!;
    this.now = at;
    if (item.cancelled) return;
    this.eventsRun++;
    item.fn();
  }
}
