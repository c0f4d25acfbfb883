import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/sim/kernel/eventQueue';
import { NAME_ALPHABET, Rng } from '../../src/sim/kernel/rng';
import { Sim } from '../../src/sim/kernel/sim';
import { spawn, suspend, type Task, TaskCancelled } from '../../src/sim/kernel/task';
import { EPOCH_UNIX_MS, parseDurationMs, rfc3339 } from '../../src/sim/kernel/time';
import { TRACE_BUFFER_MAX, TraceLog } from '../../src/sim/kernel/trace';

describe('EventQueue', () => {
  it('pops events in time order, and events due at the same instant in the order they were pushed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const q = new EventQueue<number>();
        for (const [i, t] of times.entries()) q.push(t, i);
        expect(q.size).toBe(times.length);
        const popped: number[] = [];
        for (let e = q.pop(); e !== undefined; e = q.pop()) popped.push(e);
        // A stable sort by time is exactly "time order, FIFO among equals".
        const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t);
        expect(popped).toEqual(expected.map((x) => x.i));
        expect(q.size).toBe(0);
        expect(q.peekTime()).toBeUndefined();
      }),
    );
  });

  it('keeps FIFO order for an instant that gains events while it is being drained', () => {
    const q = new EventQueue<string>();
    q.push(5, 'a');
    q.push(5, 'b');
    expect(q.pop()).toBe('a');
    q.push(5, 'c');
    q.push(1, 'early');
    expect([q.pop(), q.pop(), q.pop()]).toEqual(['early', 'b', 'c']);
  });
});

describe('Sim clock and events', () => {
  it('runs events in time order and same-time events first-scheduled-first', () => {
    const sim = new Sim(1);
    const log: string[] = [];
    sim.schedule(20, () => log.push('t20'));
    sim.schedule(10, () => log.push('t10-first'));
    sim.schedule(10, () => log.push('t10-second'));
    sim.schedule(0, () => log.push('t0'));
    sim.runUntil(100);
    expect(log).toEqual(['t0', 't10-first', 't10-second', 't20']);
  });

  it('sets the clock to each event time while it runs, and to the target afterwards', () => {
    const sim = new Sim(1);
    const seen: number[] = [];
    sim.schedule(7, () => seen.push(sim.nowMs));
    sim.schedule(3, () => seen.push(sim.nowMs));
    sim.runUntil(50);
    expect(seen).toEqual([3, 7]);
    expect(sim.nowMs).toBe(50);
  });

  it('leaves events after the target pending, and never moves the clock backwards', () => {
    const sim = new Sim(1);
    let ran = false;
    sim.schedule(100, () => {
      ran = true;
    });
    sim.runUntil(99);
    expect(ran).toBe(false);
    expect(sim.nextEventTime()).toBe(100);
    sim.runUntil(10);
    expect(sim.nowMs).toBe(99);
    sim.runUntil(100);
    expect(ran).toBe(true);
  });

  it('runs an event scheduled for "now" by another event within the same runUntil, after its peers', () => {
    const sim = new Sim(1);
    const log: string[] = [];
    sim.schedule(5, () => {
      log.push('a');
      sim.schedule(0, () => log.push('a-child'));
    });
    sim.schedule(5, () => log.push('b'));
    sim.runUntil(5);
    expect(log).toEqual(['a', 'b', 'a-child']);
  });

  it('treats a negative delay as zero', () => {
    const sim = new Sim(1);
    sim.runUntil(10);
    let at = -1;
    sim.schedule(-5, () => {
      at = sim.nowMs;
    });
    sim.runUntil(10);
    expect(at).toBe(10);
  });

  it('does not run a cancelled event, and does not count it as run', () => {
    const sim = new Sim(1);
    const log: string[] = [];
    const t = sim.schedule(10, () => log.push('cancelled'));
    sim.schedule(10, () => log.push('kept'));
    t.cancel();
    sim.runUntil(20);
    expect(log).toEqual(['kept']);
    expect(sim.eventsRun).toBe(1);
  });

  it('lets an event cancel a later event due at the same instant', () => {
    const sim = new Sim(1);
    const log: string[] = [];
    let second: { cancel(): void } | undefined;
    sim.schedule(10, () => {
      log.push('first');
      second?.cancel();
    });
    second = sim.schedule(10, () => log.push('second'));
    sim.runUntil(10);
    expect(log).toEqual(['first']);
  });

  it('runUntilDone stops as soon as the condition holds, without running later events', () => {
    const sim = new Sim(1);
    let count = 0;
    for (let i = 1; i <= 10; i++) sim.schedule(i * 100, () => count++);
    expect(sim.runUntilDone(() => count === 3, 10_000)).toBe(true);
    expect(sim.nowMs).toBe(300);
    expect(count).toBe(3);
  });

  it('runUntilDone returns true at once when the condition already holds', () => {
    const sim = new Sim(1);
    let ran = false;
    sim.schedule(0, () => {
      ran = true;
    });
    expect(sim.runUntilDone(() => true, 1000)).toBe(true);
    expect(ran).toBe(false);
    expect(sim.nowMs).toBe(0);
  });

  it('runUntilDone gives up at the limit, with the clock at the limit and later events still pending', () => {
    const sim = new Sim(1);
    let ran = 0;
    sim.schedule(500, () => ran++);
    sim.schedule(5000, () => ran++);
    expect(sim.runUntilDone(() => false, 1000)).toBe(false);
    expect(sim.nowMs).toBe(1000);
    expect(ran).toBe(1);
    expect(sim.nextEventTime()).toBe(5000);
  });

  it('runUntilDone with an empty queue jumps to the limit', () => {
    const sim = new Sim(1);
    expect(sim.runUntilDone(() => false, 2500)).toBe(false);
    expect(sim.nowMs).toBe(2500);
  });
});

describe('Rng', () => {
  const draws = (rng: Rng, n = 20): number[] => Array.from({ length: n }, () => rng.int(0, 1_000_000));

  it('replays the same sequence for the same seed', () => {
    expect(draws(new Rng(42))).toEqual(draws(new Rng(42)));
    const a = new Rng(7);
    const b = new Rng(7);
    expect([a.float(), a.suffix(5), a.pick(['x', 'y', 'z'])]).toEqual([
      b.float(),
      b.suffix(5),
      b.pick(['x', 'y', 'z']),
    ]);
  });

  it('gives different sequences for different seeds', () => {
    expect(draws(new Rng(1))).not.toEqual(draws(new Rng(2)));
  });

  it('draws integers within [from, to], both ends included', () => {
    const rng = new Rng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(-2, 2);
      expect(v).toBeGreaterThanOrEqual(-2);
      expect(v).toBeLessThanOrEqual(2);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2].sort());
  });

  it('draws floats in [0, 1)', () => {
    const rng = new Rng(4);
    for (let i = 0; i < 2000; i++) {
      const f = rng.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
  });

  it('builds name suffixes from Kubernetes’ alphabet only', () => {
    const s = new Rng(5).suffix(500);
    expect(s).toHaveLength(500);
    for (const ch of s) expect(NAME_ALPHABET).toContain(ch);
    expect(s).not.toMatch(/[aeiou013]/);
  });

  it('forks a stream that later draws from the parent do not disturb', () => {
    const p1 = new Rng(9);
    const p2 = new Rng(9);
    const c1 = p1.fork('kubelet');
    const c2 = p2.fork('kubelet');
    draws(p2, 50); // the second parent is used more after forking
    expect(draws(c1)).toEqual(draws(c2));
  });

  it('forks distinct streams for distinct labels, and a fork differs from its parent', () => {
    const a = new Rng(9).fork('etcd-cp-1');
    const b = new Rng(9).fork('etcd-cp-2');
    expect(draws(a)).not.toEqual(draws(b));
    const parent = new Rng(9);
    const child = new Rng(9).fork('x');
    expect(draws(child)).not.toEqual(draws(parent));
  });
});

describe('tasks', () => {
  /** A suspension resumed by the simulated clock after `ms`. */
  const sleep = (sim: Sim, ms: number, value: string): Task<string> =>
    suspend<string>((resume) => {
      const t = sim.schedule(ms, () => resume(value));
      return () => t.cancel();
    });

  it('runs until the first suspension and resumes at the simulated instant of the reply', () => {
    const sim = new Sim(1);
    const log: string[] = [];
    let outcome: unknown;
    function* prog(): Task<number> {
      log.push(`start@${sim.nowMs}`);
      const a = yield* sleep(sim, 100, 'a');
      log.push(`${a}@${sim.nowMs}`);
      const b = yield* sleep(sim, 50, 'b');
      log.push(`${b}@${sim.nowMs}`);
      return 7;
    }
    const h = spawn(prog(), (o) => {
      outcome = o;
    });
    expect(log).toEqual(['start@0']);
    expect(h.done).toBe(false);
    sim.runUntil(1000);
    expect(log).toEqual(['start@0', 'a@100', 'b@150']);
    expect(h.done).toBe(true);
    expect(outcome).toEqual({ ok: true, value: 7 });
  });

  it('reports an exception thrown by the task as a failed outcome', () => {
    const sim = new Sim(1);
    let outcome: { ok: boolean; error?: unknown } | undefined;
    function* prog(): Task<void> {
      yield* sleep(sim, 10, 'x');
      throw new Error('boom');
    }
    spawn(prog(), (o) => {
      outcome = o;
    });
    sim.runUntil(100);
    expect(outcome?.ok).toBe(false);
    expect(outcome?.error).toBeInstanceOf(Error);
    expect((outcome!.error as Error).message).toBe('boom');
  });

  it('cancel stops the task at its suspension, cancels the wait, runs finally blocks and reports TaskCancelled', () => {
    const sim = new Sim(1);
    const log: string[] = [];
    let outcome: { ok: boolean; error?: unknown } | undefined;
    function* prog(): Task<void> {
      try {
        yield* sleep(sim, 100, 'x');
        log.push('resumed');
      } finally {
        log.push('finally');
      }
    }
    const h = spawn(prog(), (o) => {
      outcome = o;
    });
    sim.runUntil(50);
    h.cancel();
    expect(h.done).toBe(true);
    expect(outcome?.ok).toBe(false);
    expect(outcome?.error).toBeInstanceOf(TaskCancelled);
    expect(log).toEqual(['finally']);
    // The sleep's timer was cancelled: nothing is left to run.
    sim.runUntil(1000);
    expect(sim.eventsRun).toBe(0);
    expect(log).toEqual(['finally']);
  });

  it('ignores a second resume of the same suspension and a resume after cancel', () => {
    let resumeLater: ((v: string) => void) | undefined;
    const values: string[] = [];
    let doneCount = 0;
    function* prog(): Task<void> {
      values.push(
        yield* suspend<string>((resume) => {
          resumeLater = resume;
          return undefined;
        }),
      );
      values.push(
        yield* suspend<string>((resume) => {
          resumeLater = resume;
          return undefined;
        }),
      );
    }
    const first = spawn(prog(), () => doneCount++);
    const r1 = resumeLater!;
    r1('one');
    r1('one-again');
    expect(values).toEqual(['one']);
    first.cancel();
    resumeLater!('two');
    expect(values).toEqual(['one']);
    expect(doneCount).toBe(1);
    first.cancel(); // a second cancel is a no-op
    expect(doneCount).toBe(1);
  });

  it('cancels the current wait even when an earlier suspension resumed synchronously', () => {
    const sim = new Sim(1);
    let cancelledWaits = 0;
    function* prog(): Task<void> {
      // An answer that is already available resumes inside `start`.
      yield* suspend<string>((resume) => {
        resume('cached');
        return () => {
          throw new Error('the finished wait must not be cancelled');
        };
      });
      yield* suspend<string>((resume) => {
        const t = sim.schedule(100, () => resume('late'));
        return () => {
          cancelledWaits++;
          t.cancel();
        };
      });
    }
    const h = spawn(prog(), () => {});
    h.cancel();
    expect(cancelledWaits).toBe(1);
  });
});

describe('time formatting', () => {
  it('prints RFC 3339 in whole seconds from the fixed epoch', () => {
    expect(rfc3339(0)).toBe('2026-11-25T09:00:00Z');
    expect(new Date(EPOCH_UNIX_MS).toISOString()).toBe('2026-11-25T09:00:00.000Z');
    expect(rfc3339(1999)).toBe('2026-11-25T09:00:01Z');
    expect(rfc3339(61_000)).toBe('2026-11-25T09:01:01Z');
    expect(rfc3339(24 * 3_600_000)).toBe('2026-11-26T09:00:00Z');
  });

  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1.5s', 1500],
    ['2h0m5s', 7_205_000],
    ['0', 0],
    ['0s', 0],
  ])('parses the Go duration %s', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['', '5', 'abc', '5x', 's', '1.s', '-5s', '5 s', '5s '])('rejects %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });
});

describe('TraceLog', () => {
  it('keeps nothing while disabled', () => {
    const log = new TraceLog();
    log.emit({ type: 'network.healed', atMs: 1 });
    expect(log.drain()).toEqual([]);
  });

  it('keeps at most TRACE_BUFFER_MAX events between drains, dropping the oldest', () => {
    const log = new TraceLog();
    log.enabled = true;
    const extra = 25;
    for (let i = 0; i < TRACE_BUFFER_MAX + extra; i++) log.emit({ type: 'network.healed', atMs: i });
    const out = log.drain();
    expect(out).toHaveLength(TRACE_BUFFER_MAX);
    expect(out[0]).toEqual({ type: 'network.healed', atMs: extra });
    expect(out.at(-1)).toEqual({ type: 'network.healed', atMs: TRACE_BUFFER_MAX + extra - 1 });
    expect(log.drain()).toEqual([]);
  });

  it('returns the newest TRACE_BUFFER_MAX events oldest first however often the buffer wrapped', () => {
    const log = new TraceLog();
    log.enabled = true;
    const total = Math.floor(TRACE_BUFFER_MAX * 2.5) + 3;
    for (let i = 0; i < total; i++) log.emit({ type: 'network.healed', atMs: i });
    const out = log.drain().map((e) => (e as { atMs: number }).atMs);
    expect(out).toHaveLength(TRACE_BUFFER_MAX);
    expect(out.every((t, i) => t === total - TRACE_BUFFER_MAX + i)).toBe(true);
    // After a drain it fills from empty again.
    log.emit({ type: 'network.healed', atMs: -1 });
    expect(log.drain()).toEqual([{ type: 'network.healed', atMs: -1 }]);
  });
});
