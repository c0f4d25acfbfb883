import type { KubeObject } from '../../sim/api/types';
import type { ApiWatchEvent } from '../../sim/apiserver/request';
import { suspend, type Task } from '../../sim/kernel/task';
import { sleep } from './discovery';
import { exitOnInterrupt } from './interrupt';
import { call, type Invocation } from './invocation';

/**
 * client-go's watch tools for commands that wait (rollout status, wait): UntilWithSync over a
 * ListWatch of one object (field selector `metadata.name=NAME`), on the simulated clock. The watch
 * is opened before the list, so nothing in between is missed; events no newer than what was
 * already seen are dropped. When the stream breaks (the API server went away) it lists and watches
 * again after a second, as the reflector does. Everything is released when the command ends or is
 * cancelled (Ctrl-C).
 */

export type WatchEventType = ApiWatchEvent['type'];

/** One event as UntilWithSync hands it to its condition. */
export interface SyncEvent {
  readonly type: WatchEventType;
  readonly object: KubeObject;
}

/** What the condition says about an event: keep waiting, or stop with this result. */
export type Verdict<T> = { readonly done: false } | { readonly done: true; readonly value: T };

export type UntilResult<T> =
  | { readonly ok: true; readonly value: T }
  /** The deadline passed first. */
  | { readonly ok: false; readonly timeout: true };

export interface WatchTarget {
  readonly resource: string;
  readonly namespace?: string;
  readonly name: string;
}

/** Time before listing and watching again after the stream ended or the list failed. */
const RELIST_MS = 1000;

/** A watch stream buffered for a generator task. */
class Stream {
  private readonly queue: ApiWatchEvent[] = [];
  private ended = false;
  private wake: (() => void) | undefined;
  private readonly abort = { aborted: false };

  constructor(inv: Invocation, target: WatchTarget) {
    inv.ctx.client.request(
      {
        verb: 'watch',
        resource: target.resource,
        ...(target.namespace ? { namespace: target.namespace } : {}),
        fieldSelector: `metadata.name=${target.name}`,
        abort: this.abort,
        onWatchEvent: (e) => {
          if (this.abort.aborted) return;
          this.queue.push(e);
          this.wake?.();
        },
      },
      () => {
        this.ended = true;
        this.wake?.();
      },
    );
  }

  close(): void {
    this.abort.aborted = true;
    this.wake = undefined;
  }

  /** The next event; `closed` when the stream ended, `timeout` at `deadlineMs`. */
  *next(inv: Invocation, deadlineMs: number): Task<ApiWatchEvent | 'closed' | 'timeout'> {
    for (;;) {
      const e = this.queue.shift();
      if (e) return e;
      if (this.ended) return 'closed';
      const sim = inv.ctx.cluster.sim;
      if (sim.nowMs >= deadlineMs) return 'timeout';
      const woke = yield* suspend<'event' | 'timeout'>((resume) => {
        const timer = Number.isFinite(deadlineMs)
          ? sim.schedule(Math.max(0, deadlineMs - sim.nowMs), () => resume('timeout'))
          : undefined;
        // Woken by the stream: the deadline timer is not needed any more.
        this.wake = () => {
          timer?.cancel();
          resume('event');
        };
        return () => {
          this.wake = undefined;
          timer?.cancel();
        };
      });
      this.wake = undefined;
      if (woke === 'timeout' && this.queue.length === 0) return 'timeout';
    }
  }
}

const rv = (o: KubeObject): number => Number(o.metadata.resourceVersion ?? 0);

/**
 * watchtools.UntilWithSync: the object is listed (an ADDED event, if it exists), then every change
 * goes to `condition` until it says done. `precondition`, if given, runs once on the first list
 * (the informer's store): it may end the wait at once (`wait --for=delete` of an object already
 * gone). A failed list is retried after a second, as the reflector would.
 */
export function untilWithSync<T>(
  inv: Invocation,
  target: WatchTarget,
  deadlineMs: number,
  condition: (e: SyncEvent) => Verdict<T>,
  precondition?: (exists: boolean) => Verdict<T>,
): Task<UntilResult<T>> {
  return exitOnInterrupt(syncAndWatch(inv, target, deadlineMs, condition, precondition));
}

function* syncAndWatch<T>(
  inv: Invocation,
  target: WatchTarget,
  deadlineMs: number,
  condition: (e: SyncEvent) => Verdict<T>,
  precondition?: (exists: boolean) => Verdict<T>,
): Task<UntilResult<T>> {
  const sim = inv.ctx.cluster.sim;
  let stream: Stream | undefined;
  let last: KubeObject | undefined;
  let synced = false;
  try {
    for (;;) {
      stream = new Stream(inv, target);
      const listed = yield* call<{ items: KubeObject[] }>(inv, {
        verb: 'list',
        resource: target.resource,
        ...(target.namespace ? { namespace: target.namespace } : {}),
        fieldSelector: `metadata.name=${target.name}`,
      });
      if (listed.ok) {
        const obj = listed.body.items[0];
        let event: SyncEvent | undefined;
        if (obj && (!last || rv(obj) > rv(last))) event = { type: last ? 'MODIFIED' : 'ADDED', object: obj };
        else if (!obj && last) event = { type: 'DELETED', object: last };
        last = obj;
        if (!synced && precondition) {
          const pre = precondition(obj !== undefined);
          if (pre.done) return { ok: true, value: pre.value };
        }
        synced = true;
        if (event) {
          const v = condition(event);
          if (v.done) return { ok: true, value: v.value };
        }
        for (;;) {
          const e = yield* stream.next(inv, deadlineMs);
          if (e === 'timeout') return { ok: false, timeout: true };
          if (e === 'closed') break;
          if (
            e.type !== 'DELETED' &&
            last &&
            last.metadata.uid === e.object.metadata.uid &&
            rv(e.object) <= rv(last)
          )
            continue;
          last = e.type === 'DELETED' ? undefined : e.object;
          const v = condition({ type: e.type, object: e.object });
          if (v.done) return { ok: true, value: v.value };
        }
      }
      stream.close();
      if (sim.nowMs >= deadlineMs) return { ok: false, timeout: true };
      yield* sleep(inv, Math.min(RELIST_MS, Math.max(1, deadlineMs - sim.nowMs)));
      if (sim.nowMs >= deadlineMs) return { ok: false, timeout: true };
    }
  } finally {
    stream?.close();
  }
}
