import { parseSelector } from '../../sim/api/labels';
import type { NodeObject, PodObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import { parseSimTime } from '../../sim/kernel/time';
import { buildInfos, type Info } from '../cli/builder';
import type { CommandSpec } from '../cli/command';
import {
  CHUNK_SIZE_FLAG,
  DRY_RUN_FLAG,
  durationFlag,
  errorExit,
  SELECTOR_FLAG,
  usageError,
} from '../cli/common';
import { sleep } from '../cli/discovery';
import { type DryRunStrategy, dryRunStrategy, dryRunSuffix } from '../cli/dryRun';
import { type ApiFailure, failureLine, failureMessage } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import { type FlagSpec, flagBool, flagInt, flagString } from '../flags';

/**
 * `kubectl cordon|uncordon|drain NODE...` (kubectl's cmd/drain and pkg/drain). Cordon patches
 * spec.unschedulable. Drain cordons, then evicts every pod on the node that may go: pods of a
 * controller always; bare pods only with --force (with a warning); mirror pods never. It then
 * waits, polling each second of simulated time, until each pod is gone (`pod/x evicted`), and
 * prints `node/x drained`. The API server of this cluster has no eviction subresource, so an
 * eviction is sent as the DELETE it amounts to when no PodDisruptionBudget stands in the way;
 * the messages are those of a cluster that supports eviction, as every real one does.
 */

/** How often drain looks whether the evicted pods are gone (waitForDelete's interval). */
const POLL_MS = 1000;

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';
const UNMANAGED_WARNING = 'deleting Pods that declare no controller';
const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)';
const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage';

/** A Go error as drain reports it: one message, or an aggregate of several (utilerrors.Aggregate). */
type DrainError = { readonly message: string } | { readonly aggregate: readonly string[] };

function errorString(e: DrainError): string {
  if ('message' in e) return e.message;
  return e.aggregate.length === 1 ? e.aggregate[0]! : `[${e.aggregate.join(', ')}]`;
}

/** DrainCmdOptions.Complete: the nodes named (or selected), each fetched. */
function* completeNodes(
  inv: Invocation,
  use: string,
): Task<{ ok: true; nodes: readonly Info[] } | { ok: false; code: number }> {
  const selector = flagString(inv.flags, 'selector') ?? '';
  if (inv.args.length === 0 && !inv.flags.changed?.has('selector'))
    return { ok: false, code: usageError(inv, `USAGE: ${use} [flags]`) };
  if (inv.args.length > 0 && selector !== '')
    return { ok: false, code: usageError(inv, 'cannot specify both a node name and a --selector option') };
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return { ok: false, code: errorExit(inv, strategy.error) };
  const podSelector = flagString(inv.flags, 'pod-selector') ?? '';
  if (podSelector !== '' && !parseSelector(podSelector).ok)
    return {
      ok: false,
      code: errorExit(inv, '--pod-selector=<pod_selector> must be a valid label selector'),
    };
  // ResourceNames("nodes", args...): a bare name is a node; TYPE/NAME is taken as written.
  const args = inv.args.map((a) => (a.includes('/') ? a : `nodes/${a}`));
  const built = yield* buildInfos(inv, selector !== '' ? ['nodes'] : args, { selector, requireObject: true });
  if (!built.ok) return built;
  // Visit stops at the first error.
  if (built.errors.length > 0) {
    inv.err(failureMessage(built.errors[0]!));
    return { ok: false, code: 1 };
  }
  for (const n of built.infos) {
    if (n.info.group !== '' || n.info.resource !== 'nodes')
      return {
        ok: false,
        code: errorExit(
          inv,
          `error: expected resource of type node, got ${JSON.stringify(`${n.info.group}/${n.info.version}, Resource=${n.info.resource}`)}`,
        ),
      };
  }
  return { ok: true, nodes: built.infos };
}

/** RunCordonOrUncordon: patch spec.unschedulable where it differs; errors are printed, not fatal. */
function* cordonOrUncordon(
  inv: Invocation,
  nodes: readonly Info[],
  desired: boolean,
  strategy: DryRunStrategy,
): Task<void> {
  const verb = desired ? 'cordon' : 'uncordon';
  for (const n of nodes) {
    const node = n.object as NodeObject;
    const name = `node/${n.name}`;
    if ((node.spec?.unschedulable ?? false) === desired) {
      inv.out(`${name} already ${verb}ed${dryRunSuffix(strategy)}\n`);
      continue;
    }
    if (strategy !== 'client') {
      const r = yield* call<NodeObject>(inv, {
        verb: 'patch',
        resource: 'nodes',
        name: n.name,
        // The strategic merge patch kubectl computes: true, or the field removed.
        patch: { spec: { unschedulable: desired ? true : null } },
        patchType: 'strategic',
        ...(strategy === 'server' ? { dryRun: true } : {}),
      });
      if (!r.ok) {
        inv.err(`error: unable to ${verb} node ${JSON.stringify(n.name)}: ${errorMessage(r.failure)}\n`);
        continue;
      }
    }
    inv.out(`${name} ${verb}ed${dryRunSuffix(strategy)}\n`);
  }
}

/** err.Error() of an API failure. */
function errorMessage(f: ApiFailure): string {
  return f.kind === 'status' ? f.status.message : failureLine(f);
}

function cordonRun(desired: boolean) {
  return function* run(inv: Invocation): Task<number> {
    const found = yield* completeNodes(inv, desired ? 'cordon NODE' : 'uncordon NODE');
    if (!found.ok) return found.code;
    const strategy = dryRunStrategy(inv) as DryRunStrategy;
    yield* cordonOrUncordon(inv, found.nodes, desired, strategy);
    return 0;
  };
}

interface DrainOptions {
  readonly force: boolean;
  readonly ignoreDaemonSets: boolean;
  readonly deleteEmptyDirData: boolean;
  readonly disableEviction: boolean;
  readonly gracePeriod: number;
  readonly podSelector: string;
  readonly skipWaitSeconds: number;
  readonly strategy: DryRunStrategy;
  /** The instant (simulated) the whole drain gives up; Infinity without --timeout. */
  readonly deadline: number;
  readonly timeoutMs: number;
}

interface PodVerdict {
  readonly pod: PodObject;
  readonly delete: boolean;
  readonly reason: 'okay' | 'skip' | 'warning' | 'error';
  readonly message?: string;
}

const finished = (pod: PodObject): boolean =>
  pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** pkg/drain's filters, in order; the first that keeps the pod decides. */
function filterPod(pod: PodObject, o: DrainOptions, nowMs: number): PodVerdict {
  const okay: PodVerdict = { pod, delete: true, reason: 'okay' };
  const filters: ((p: PodObject) => PodVerdict)[] = [
    (p) => {
      const ts = p.metadata.deletionTimestamp;
      if (o.skipWaitSeconds > 0 && ts && Math.trunc((nowMs - parseSimTime(ts)) / 1000) > o.skipWaitSeconds)
        return { pod, delete: false, reason: 'skip' };
      return okay;
    },
    (p) => {
      const ref = p.metadata.ownerReferences?.find((r) => r.controller);
      if (ref?.kind !== 'DaemonSet' || finished(p)) return okay;
      if (!o.ignoreDaemonSets) return { pod, delete: false, reason: 'error', message: DAEMONSET_FATAL };
      return { pod, delete: false, reason: 'warning', message: DAEMONSET_WARNING };
    },
    (p) =>
      p.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined
        ? { pod, delete: false, reason: 'skip' }
        : okay,
    (p) => {
      const volumes = (p.spec as { volumes?: readonly { emptyDir?: unknown }[] }).volumes ?? [];
      if (!volumes.some((v) => v.emptyDir !== undefined) || finished(p)) return okay;
      if (!o.deleteEmptyDirData) return { pod, delete: false, reason: 'error', message: LOCAL_STORAGE_FATAL };
      return { pod, delete: true, reason: 'warning', message: LOCAL_STORAGE_WARNING };
    },
    (p) => {
      if (finished(p) || p.metadata.ownerReferences?.some((r) => r.controller)) return okay;
      if (o.force) return { pod, delete: true, reason: 'warning', message: UNMANAGED_WARNING };
      return { pod, delete: false, reason: 'error', message: UNMANAGED_FATAL };
    },
  ];
  let verdict = okay;
  for (const f of filters) {
    verdict = f(pod);
    if (!verdict.delete) break;
  }
  return verdict;
}

/** `ns/name, ns/name` grouped by message, in first-seen order (kubectl's map order is random). */
function groupByMessage(verdicts: readonly PodVerdict[], reason: 'warning' | 'error'): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const v of verdicts) {
    if (v.reason !== reason) continue;
    const msg = v.message || 'unexpected error';
    groups.set(msg, [...(groups.get(msg) ?? []), `${v.pod.metadata.namespace}/${v.pod.metadata.name}`]);
  }
  return [...groups];
}

/** GetPodsForDeletion: the node's pods, filtered; the errors (`cannot delete ...`) if any. */
function* podsForDeletion(
  inv: Invocation,
  node: string,
  o: DrainOptions,
): Task<{ verdicts: PodVerdict[]; errors: string[] }> {
  const r = yield* call<{ items: PodObject[] }>(inv, {
    verb: 'list',
    resource: 'pods',
    fieldSelector: `spec.nodeName=${node}`,
    ...(o.podSelector !== '' ? { labelSelector: o.podSelector } : {}),
  });
  if (!r.ok) return { verdicts: [], errors: [errorMessage(r.failure)] };
  const verdicts = r.body.items.map((p) => filterPod(p, o, inv.ctx.cluster.sim.nowMs));
  // v1.32 prefixes every message with "cannot delete", even those that already start with it.
  const errors = groupByMessage(verdicts, 'error').map(
    ([msg, pods]) => `cannot delete ${msg}: ${pods.join(', ')}`,
  );
  return { verdicts, errors };
}

/** A pod that still has to go: its uid tells it apart from a new pod of the same name. */
interface Pending {
  readonly pod: PodObject;
}

/**
 * waitForDelete, for all the pods at once: GET each every second; a pod is done when it is gone
 * (or replaced by another of the same name). Returns the pods still there at the deadline.
 */
function* waitForDelete(
  inv: Invocation,
  pods: readonly Pending[],
  o: DrainOptions,
  verb: 'evicted' | 'deleted',
): Task<Pending[]> {
  const sim = inv.ctx.cluster.sim;
  let pending = [...pods];
  for (;;) {
    const still: Pending[] = [];
    for (const p of pending) {
      const r = yield* call<PodObject>(inv, {
        verb: 'get',
        resource: 'pods',
        namespace: p.pod.metadata.namespace!,
        name: p.pod.metadata.name,
      });
      const gone =
        (!r.ok && r.failure.kind === 'status' && r.failure.status.reason === 'NotFound') ||
        (r.ok && r.body.metadata.uid !== p.pod.metadata.uid);
      if (gone) inv.out(`pod/${p.pod.metadata.name} ${verb}\n`);
      else still.push(p);
    }
    pending = still;
    if (pending.length === 0 || sim.nowMs >= o.deadline) return pending;
    yield* sleep(inv, Math.min(POLL_MS, Math.max(1, o.deadline - sim.nowMs)));
  }
}

const DEADLINE_EXCEEDED = 'context deadline exceeded';

/**
 * DeleteOrEvictPods. With eviction (the default) every pod is announced (`evicting pod ns/x`),
 * evicted, then waited for; without (--disable-eviction), deleted and waited for.
 */
function* deleteOrEvictPods(
  inv: Invocation,
  pods: readonly PodObject[],
  o: DrainOptions,
): Task<DrainError | undefined> {
  if (pods.length === 0) return undefined;
  const grace = o.gracePeriod >= 0 ? { gracePeriodSeconds: o.gracePeriod } : {};
  const evicting = !o.disableEviction;
  const errors: string[] = [];
  const started: Pending[] = [];
  if (evicting)
    for (const pod of pods)
      inv.out(
        `evicting pod ${pod.metadata.namespace}/${pod.metadata.name}${o.strategy === 'server' ? ' (server dry run)' : ''}\n`,
      );
  for (const pod of pods) {
    const r = yield* call<PodObject>(inv, {
      verb: 'delete',
      resource: 'pods',
      namespace: pod.metadata.namespace!,
      name: pod.metadata.name,
      ...grace,
      ...(o.strategy === 'server' ? { dryRun: true } : {}),
    });
    if (!r.ok) {
      if (r.failure.kind === 'status' && r.failure.status.reason === 'NotFound') continue;
      if (evicting)
        errors.push(
          `error when evicting pods/${JSON.stringify(pod.metadata.name)} -n ${JSON.stringify(pod.metadata.namespace)}: ${errorMessage(r.failure)}`,
        );
      else return { message: errorMessage(r.failure) };
      continue;
    }
    started.push({ pod });
  }
  if (o.strategy === 'server') return errors.length > 0 ? { aggregate: errors } : undefined;
  const left = yield* waitForDelete(inv, started, o, evicting ? 'evicted' : 'deleted');
  if (!evicting) return left.length > 0 ? { message: DEADLINE_EXCEEDED } : undefined;
  for (const p of left)
    errors.push(
      `error when waiting for pod ${JSON.stringify(p.pod.metadata.name)} in namespace ${JSON.stringify(p.pod.metadata.namespace)} to terminate: ${DEADLINE_EXCEEDED}`,
    );
  return errors.length > 0 ? { aggregate: errors } : undefined;
}

/** deleteOrEvictPodsSimple: one node's pods. */
function* drainNode(inv: Invocation, node: string, o: DrainOptions): Task<DrainError | undefined> {
  const list = yield* podsForDeletion(inv, node, o);
  if (list.errors.length > 0) return { aggregate: list.errors };
  const warnings = groupByMessage(list.verdicts, 'warning').map(
    ([msg, pods]) => `${msg}: ${pods.join(', ')}`,
  );
  if (warnings.length > 0) inv.err(`Warning: ${warnings.join('; ')}\n`);
  const pods = list.verdicts.filter((v) => v.delete).map((v) => v.pod);
  if (o.strategy === 'client') {
    for (const pod of pods)
      inv.out(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name} (dry run)\n`);
    return undefined;
  }
  const err = yield* deleteOrEvictPods(inv, pods, o);
  if (!err) return undefined;
  const pending = yield* podsForDeletion(inv, node, o);
  const still = pending.verdicts.filter((v) => v.delete);
  if (still.length > 0) {
    inv.err(
      `There are pending pods in node ${JSON.stringify(node)} when an error occurred: ${errorString(err)}\n`,
    );
    for (const v of still) inv.err(`pod/${v.pod.metadata.name}\n`);
  }
  if (pending.errors.length > 0)
    inv.err(
      `Following errors occurred while getting the list of pods to delete:\n${pending.errors.length === 1 ? pending.errors[0] : `[${pending.errors.join(', ')}]`}`,
    );
  return err;
}

function* runDrain(inv: Invocation): Task<number> {
  const timeoutMs = durationFlag(inv, 'timeout', '0s');
  if (timeoutMs === undefined) return 1;
  const found = yield* completeNodes(inv, 'drain NODE');
  if (!found.ok) return found.code;
  const strategy = dryRunStrategy(inv) as DryRunStrategy;
  const sim = inv.ctx.cluster.sim;
  const o: DrainOptions = {
    force: flagBool(inv.flags, 'force'),
    ignoreDaemonSets: flagBool(inv.flags, 'ignore-daemonsets'),
    deleteEmptyDirData:
      flagBool(inv.flags, 'delete-emptydir-data') || flagBool(inv.flags, 'delete-local-data'),
    disableEviction: flagBool(inv.flags, 'disable-eviction'),
    gracePeriod: flagInt(inv.flags, 'grace-period') ?? -1,
    podSelector: flagString(inv.flags, 'pod-selector') ?? '',
    skipWaitSeconds: flagInt(inv.flags, 'skip-wait-for-delete-timeout') ?? 0,
    strategy,
    deadline: timeoutMs > 0 ? sim.nowMs + timeoutMs : Number.POSITIVE_INFINITY,
    timeoutMs,
  };
  yield* cordonOrUncordon(inv, found.nodes, true, strategy);
  const fatal: DrainError[] = [];
  const remaining: string[] = [];
  for (const n of found.nodes) {
    const err = yield* drainNode(inv, n.name, o);
    if (!err) {
      inv.out(`node/${n.name} drained${dryRunSuffix(strategy)}\n`);
      continue;
    }
    inv.err(
      `error: unable to drain node ${JSON.stringify(n.name)} due to error: ${errorString(err)}, continuing command...\n`,
    );
    fatal.push(err);
    remaining.push(n.name);
  }
  if (remaining.length === 0) return 0;
  inv.err(`There are pending nodes to be drained:\n${remaining.map((r) => ` ${r}\n`).join('')}`);
  // checkErr of utilerrors.NewAggregate(fatal): one node's aggregate prints its errors a line each;
  // a single plain error gets `error: `; several nodes, one line each.
  if (fatal.length === 1) {
    const e = fatal[0]!;
    if ('aggregate' in e) inv.err(e.aggregate.map((m) => `${m}\n`).join(''));
    else inv.err(`error: ${e.message}\n`);
  } else inv.err(fatal.map((e) => `${errorString(e)}\n`).join(''));
  return 1;
}

const NODE_SELECTOR_FLAGS: readonly FlagSpec[] = [DRY_RUN_FLAG, SELECTOR_FLAG];

export const cordonCommand: CommandSpec = {
  name: 'cordon',
  short: 'Mark node as unschedulable',
  flags: NODE_SELECTOR_FLAGS,
  help: {
    long: 'Mark node as unschedulable.',
    examples: '  # Mark node "foo" as unschedulable\n  kubectl cordon foo',
    usage: 'kubectl cordon NODE [options]',
  },
  run: cordonRun(true),
};

export const uncordonCommand: CommandSpec = {
  name: 'uncordon',
  short: 'Mark node as schedulable',
  flags: NODE_SELECTOR_FLAGS,
  help: {
    long: 'Mark node as schedulable.',
    examples: '  # Mark node "foo" as schedulable\n  kubectl uncordon foo',
    usage: 'kubectl uncordon NODE [options]',
  },
  run: cordonRun(false),
};

export const drainCommand: CommandSpec = {
  name: 'drain',
  short: 'Drain node in preparation for maintenance',
  flags: [
    CHUNK_SIZE_FLAG,
    {
      name: 'delete-emptydir-data',
      type: 'bool',
      defaultValue: 'false',
      usage:
        'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).',
    },
    {
      name: 'delete-local-data',
      type: 'bool',
      defaultValue: 'false',
      usage:
        'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).',
      hidden: true,
    },
    {
      name: 'disable-eviction',
      type: 'bool',
      defaultValue: 'false',
      usage:
        'Force drain to use delete, even if eviction is supported. This will bypass checking PodDisruptionBudgets, use with caution.',
    },
    DRY_RUN_FLAG,
    {
      name: 'force',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Continue even if there are pods that do not declare a controller.',
    },
    {
      name: 'grace-period',
      type: 'int',
      defaultValue: '-1',
      usage:
        'Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.',
    },
    {
      name: 'ignore-daemonsets',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Ignore DaemonSet-managed pods.',
    },
    {
      name: 'pod-selector',
      type: 'string',
      defaultValue: '',
      usage: 'Label selector to filter pods on the node',
    },
    SELECTOR_FLAG,
    {
      name: 'skip-wait-for-delete-timeout',
      type: 'int',
      defaultValue: '0',
      usage:
        'If pod DeletionTimestamp older than N seconds, skip waiting for the pod.  Seconds must be greater than 0 to skip.',
    },
    {
      name: 'timeout',
      type: 'string',
      defaultValue: '0s',
      shownDefault: '0s',
      usage: 'The length of time to wait before giving up, zero means infinite',
    },
  ],
  help: {
    long:
      'Drain node in preparation for maintenance.\n\n' +
      " The given node will be marked unschedulable to prevent new pods from arriving. 'drain' evicts the pods if the API server supports https://kubernetes.io/docs/concepts/workloads/pods/disruptions/ eviction https://kubernetes.io/docs/concepts/workloads/pods/disruptions/ . Otherwise, it will use normal DELETE to delete the pods. The 'drain' evicts or deletes all pods except mirror pods (which cannot be deleted through the API server).  If there are daemon set-managed pods, drain will not proceed without --ignore-daemonsets, and regardless it will not delete any daemon set-managed pods, because those pods would be immediately replaced by the daemon set controller, which ignores unschedulable markings.  If there are any pods that are neither mirror pods nor managed by a replication controller, replica set, daemon set, stateful set, or job, then drain will not delete any pods unless you use --force.  --force will also allow deletion to proceed if the managing resource of one or more pods is missing.\n\n" +
      " 'drain' waits for graceful termination. You should not operate on the machine until the command completes.\n\n" +
      ' When you are ready to put the node back into service, use kubectl uncordon, which will make the node schedulable again.\n\n' +
      'https://kubernetes.io/images/docs/kubectl_drain.svg Workflowhttps://kubernetes.io/images/docs/kubectl_drain.svg',
    examples: [
      '  # Drain node "foo", even if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set on it',
      '  kubectl drain foo --force',
      '  ',
      '  # As above, but abort if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set, and use a grace period of 15 minutes',
      '  kubectl drain foo --grace-period=900',
    ].join('\n'),
    usage: 'kubectl drain NODE [options]',
  },
  run: runDrain,
};
