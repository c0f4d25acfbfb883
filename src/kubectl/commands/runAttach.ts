import type { KubeObject, PodObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import { errorExit } from '../cli/common';
import { failureMessage } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import { type PodQuery, waitForPodWhere } from '../cli/podWatch';
import { attachTerminal, exitStatus } from './exec';

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
  if (o.shell && o.tty && !finished)
    return yield* attachTerminal(inv, ready, container, o.shell, { deletePodOnExit: o.remove });
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
function waitForPod(inv: Invocation, name: string, timeoutMs: number): Task<PodObject | undefined> {
  return waitForPodWhere(inv, byName(inv, name), timeoutMs, (p) => {
    const phase = p.status?.phase;
    return phase === 'Running' || phase === 'Succeeded' || phase === 'Failed';
  });
}

function waitForEnd(inv: Invocation, name: string): Task<PodObject | undefined> {
  return waitForPodWhere(inv, byName(inv, name), Number.POSITIVE_INFINITY, (p) => {
    const phase = p.status?.phase;
    return phase === 'Succeeded' || phase === 'Failed';
  });
}

function byName(inv: Invocation, name: string): PodQuery {
  return { namespace: inv.namespace, fieldSelector: `metadata.name=${name}` };
}
