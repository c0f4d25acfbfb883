/**
 * Client programs (kubectl, etcdctl) are generator functions that yield "suspensions" and are
 * resumed from inside simulation events. That keeps them deterministic: no promises, no microtask
 * ordering, the continuation runs at the exact simulated instant the response arrives.
 *
 *   const nodes = yield* api.list('nodes');   // typed result via yield*
 */
export interface Suspension {
  /** Starts the wait; calls `resume` exactly once later. May return a cancel function. */
  readonly start: (resume: (value: unknown) => void) => (() => void) | undefined;
}

export type Task<T> = Generator<Suspension, T, unknown>;

/** Suspends the current task until `start` calls back with a value of type T. */
export function* suspend<T>(start: (resume: (value: T) => void) => (() => void) | undefined): Task<T> {
  return (yield { start: start as Suspension['start'] }) as T;
}

/** A running task. `cancel` stops it at its current suspension (Ctrl-C). */
export interface TaskHandle {
  readonly done: boolean;
  cancel(): void;
}

/** Runs a task until its first suspension, and resumes it whenever that suspension calls back. */
export function spawn<T>(
  task: Task<T>,
  onDone: (outcome: { ok: true; value: T } | { ok: false; error: unknown }) => void,
): TaskHandle {
  let done = false;
  let cancelWait: (() => void) | undefined;
  let generation = 0;

  const step = (input: unknown): void => {
    let result: IteratorResult<Suspension, T>;
    try {
      result = task.next(input);
    } catch (error) {
      done = true;
      onDone({ ok: false, error });
      return;
    }
    if (result.done) {
      done = true;
      onDone({ ok: true, value: result.value });
      return;
    }
    const mine = ++generation;
    let resumed = false;
    const cancel = result.value.start((value) => {
      if (resumed || done || mine !== generation) return;
      resumed = true;
      step(value);
    });
    // A suspension that resumed synchronously inside `start` has already run the task on to its next
    // suspension, which set its own cancelWait: keep that one rather than this finished wait's.
    if (mine === generation && !resumed) cancelWait = cancel;
  };

  step(undefined);
  return {
    get done() {
      return done;
    },
    cancel() {
      if (done) return;
      done = true;
      generation++;
      cancelWait?.();
      let exitCode: number | undefined;
      try {
        // A program that handles the interrupt itself returns its own status while unwinding.
        const unwound = task.return(undefined as T);
        if (unwound.done && typeof unwound.value === 'number') exitCode = unwound.value;
      } catch {
        // a task that throws while unwinding is finished either way
      }
      onDone({ ok: false, error: new TaskCancelled(exitCode) });
    },
  };
}

export class TaskCancelled extends Error {
  /** `exitCode`: the status a program chose on Ctrl-C (kubectl's watches exit 1), if any. */
  constructor(readonly exitCode?: number) {
    super('cancelled');
  }
}
