import type { Task } from '../../sim/kernel/task';

/**
 * kubectl's interrupt.New(nil, cancel).Run around a blocking wait (get -w, rollout status,
 * wait): Ctrl-C runs the cleanup and exits with status 1 (the handler's os.Exit(1)), where a
 * program without a handler dies of SIGINT (130). Cancelling a task unwinds it with return();
 * returning here while unwinding replaces that return with kubectl's status.
 */
export function* exitOnInterrupt<T>(body: Task<T>): Task<T> {
  let settled = false;
  try {
    const value = yield* body;
    settled = true;
    return value;
  } catch (e) {
    settled = true;
    throw e;
  } finally {
    // biome-ignore lint/correctness/noUnsafeFinally: only reached unsettled when the task is cancelled
    if (!settled) return 1 as T;
  }
}
