import type { PodObject } from '../../sim/api/types';
import type { ApiWatchEvent } from '../../sim/apiserver/request';
import { suspend, type Task } from '../../sim/kernel/task';
import type { Invocation } from './invocation';

/** Which pods to watch: a namespace and a label or field selector. */
export interface PodQuery {
  readonly namespace: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

/**
 * Waits for the first pod the query matches that satisfies `done` (a watch from now, plus a
 * list for pods already there), up to `timeoutMs` of simulated time: undefined on timeout or when
 * the pod is deleted. kubectl's waits for a pod to run (logs, run --attach) work this way.
 */
export function* waitForPodWhere(
  inv: Invocation,
  query: PodQuery,
  timeoutMs: number,
  done: (pod: PodObject) => boolean,
  /** Also look at the pods already there (skip when the caller has just listed none). */
  listFirst = true,
): Task<PodObject | undefined> {
  const sim = inv.ctx.cluster.sim;
  const abort = { aborted: false };
  return yield* suspend<PodObject | undefined>((resume) => {
    const timer = Number.isFinite(timeoutMs) ? sim.schedule(timeoutMs, () => finish(undefined)) : undefined;
    function finish(pod: PodObject | undefined): void {
      if (abort.aborted) return;
      abort.aborted = true;
      timer?.cancel();
      resume(pod);
    }
    inv.ctx.client.request(
      {
        verb: 'watch',
        resource: 'pods',
        ...query,
        abort,
        onWatchEvent: (e: ApiWatchEvent) => {
          if (e.type === 'DELETED') {
            if (query.fieldSelector) finish(undefined);
            return;
          }
          if (done(e.object as PodObject)) finish(e.object as PodObject);
        },
      },
      () => {},
    );
    // Pods already there: a watch from now would not tell about them.
    if (listFirst)
      inv.ctx.client.request({ verb: 'list', resource: 'pods', ...query }, (res) => {
        if (abort.aborted || 'transport' in res || res.code !== 200) return;
        const found = (res.body as { items: PodObject[] }).items.find(done);
        if (found) finish(found);
      });
    return () => {
      abort.aborted = true;
      timer?.cancel();
    };
  });
}
