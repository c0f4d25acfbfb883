import type { KubeObject, PodObject } from '../../sim/api/types';
import type { ApiWatchEvent, PodExecResult } from '../../sim/apiserver/request';
import { suspend, type Task } from '../../sim/kernel/task';
import { errorExit } from '../cli/common';
import { failureMessage } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import { execRequest, exitStatus } from './exec';

/**
 * `kubectl run -i/-t/--attach [--rm]`: create the pod, wait for it to run, then either hand the
 * terminal to its shell (-it: "If you don't see a command prompt, try pressing enter.") or wait
 * for its command to end and print what it wrote; --rm deletes the pod afterwards, as
 * `kubectl run -it --rm debug --image=busybox -- sh` is used to poke around a cluster.
 */
export interface AttachOptions {
  readonly tty: boolean;
  readonly remove: boolean;
  readonly timeoutMs: number;
  /** The shell to attach to, when the container runs one that reads the terminal. */
  readonly shell: string | undefined;
}

export function* createAndAttach(inv: Invocation, pod: KubeObject, o: AttachOptions): Task<number> {
  const created = yield* call<PodObject>(inv, {
    verb: 'create',
    resource: 'pods',
    namespace: inv.namespace,
    body: pod,
  });
  if (!created.ok) {
    inv.err(failureMessage(created.failure));
    return 1;
  }
  const name = created.body.metadata.name;
  const container = created.body.spec.containers[0]?.name ?? name;
  const ready = yield* waitForPod(inv, name, o.timeoutMs);
  if (ready === undefined) return errorExit(inv, 'timed out waiting for the condition');
  const finished = ready.status?.phase === 'Succeeded' || ready.status?.phase === 'Failed';
  if (o.shell && o.tty && !finished) {
    const r = yield* call<PodExecResult>(
      inv,
      execRequest(ready, { container, command: [o.shell], stdin: true, tty: true }),
    );
    if (!r.ok || !r.body.state || r.body.prompt === undefined || !inv.ctx.session.attachShell) {
      if (!r.ok) inv.err(failureMessage(r.failure));
      return 1;
    }
    inv.err("If you don't see a command prompt, try pressing enter.\n");
    const restartAlways = (ready.spec.restartPolicy ?? 'Always') === 'Always';
    inv.ctx.session.attachShell({
      namespace: inv.namespace,
      pod: name,
      container,
      shell: o.shell,
      tty: true,
      state: r.body.state,
      prompt: r.body.prompt,
      ...(restartAlways && !o.remove
        ? {
            endNote: `Session ended, resume using 'kubectl attach ${name} -c ${container} -i -t' command when the pod is running\n`,
          }
        : {}),
      ...(o.remove ? { deletePodOnExit: true } : {}),
    });
    return 0;
  }
  // Attached without a terminal: what the container prints, once it has run to its end.
  const ended = finished ? ready : yield* waitForEnd(inv, name);
  const logs = yield* call<string>(inv, {
    verb: 'get',
    resource: 'pods',
    subresource: 'log',
    namespace: inv.namespace,
    name,
    logOptions: { container },
  });
  if (logs.ok && typeof logs.body === 'string') inv.out(logs.body);
  const code =
    ended?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode ??
    (ended?.status?.phase === 'Failed' ? 1 : 0);
  if (o.remove) {
    const deleted = yield* deletePod(inv, name);
    if (deleted !== 0) return deleted;
  }
  return code === 0 ? 0 : exitStatus(inv, code);
}

/** `pod "NAME" deleted`, as kubectl run --rm reports it. */
function* deletePod(inv: Pick<Invocation, 'ctx' | 'out' | 'err'> & Invocation, name: string): Task<number> {
  const r = yield* call<unknown>(inv, { verb: 'delete', resource: 'pods', namespace: inv.namespace, name });
  if (!r.ok) {
    inv.err(failureMessage(r.failure));
    return 1;
  }
  inv.out(`pod "${name}" deleted\n`);
  return 0;
}

/** Until the pod runs (or already ended), within the --pod-running-timeout. */
function* waitForPod(inv: Invocation, name: string, timeoutMs: number): Task<PodObject | undefined> {
  return yield* watchPod(inv, name, timeoutMs, (p) => {
    const phase = p.status?.phase;
    return phase === 'Running' || phase === 'Succeeded' || phase === 'Failed';
  });
}

function* waitForEnd(inv: Invocation, name: string): Task<PodObject | undefined> {
  return yield* watchPod(inv, name, Number.POSITIVE_INFINITY, (p) => {
    const phase = p.status?.phase;
    return phase === 'Succeeded' || phase === 'Failed';
  });
}

function* watchPod(
  inv: Invocation,
  name: string,
  timeoutMs: number,
  done: (p: PodObject) => boolean,
): Task<PodObject | undefined> {
  const sim = inv.ctx.cluster.sim;
  const abort = { aborted: false };
  return yield* suspend<PodObject | undefined>((resume) => {
    const timer = Number.isFinite(timeoutMs)
      ? sim.schedule(timeoutMs, () => {
          abort.aborted = true;
          resume(undefined);
        })
      : undefined;
    const finish = (p: PodObject | undefined): void => {
      abort.aborted = true;
      timer?.cancel();
      resume(p);
    };
    inv.ctx.client.request(
      {
        verb: 'watch',
        resource: 'pods',
        namespace: inv.namespace,
        fieldSelector: `metadata.name=${name}`,
        abort,
        onWatchEvent: (e: ApiWatchEvent) => {
          if (abort.aborted) return;
          if (e.type === 'DELETED') return finish(undefined);
          if (done(e.object as PodObject)) finish(e.object as PodObject);
        },
      },
      () => {},
    );
    // The pod may already be there: a watch from now would not tell.
    inv.ctx.client.request({ verb: 'get', resource: 'pods', namespace: inv.namespace, name }, (res) => {
      if (abort.aborted || 'transport' in res || res.code !== 200) return;
      if (done(res.body as PodObject)) finish(res.body as PodObject);
    });
    return () => {
      abort.aborted = true;
      timer?.cancel();
    };
  });
}
