import type { PodLogOptions } from '../../sim/api/podLog';
import type { ResourceInfo } from '../../sim/api/resources';
import type { KubeObject, LabelSelector, PodObject } from '../../sim/api/types';
import type { ApiOutcome, ApiRequest } from '../../sim/apiserver/request';
import { suspend, type Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import { durationFlag, errorExit, podRunningTimeoutFlag, SELECTOR_FLAG, usageError } from '../cli/common';
import { discover, mapResource } from '../cli/discovery';
import { type ApiFailure, enhanceListError, failureMessage, failureOf } from '../cli/errors';
import { parseGoRfc3339 } from '../cli/goTime';
import { call, fail, type Invocation, requestUrl } from '../cli/invocation';
import { waitForPodWhere } from '../cli/podWatch';
import { flagBool, flagInt, flagString } from '../flags';

/**
 * `kubectl logs`: the logs of a container, read from the API server's `pods/log` subresource
 * (which proxies to the pod's kubelet), for a pod, the pod kubectl picks for a workload
 * (`deploy/web`: "Found 3 pods, using pod/…"), or every pod a selector matches (`-l`, which also
 * defaults `--tail` to 10). `-f` streams the log as simulated time passes until the container
 * stops or Ctrl-C; several streams are followed in parallel. Errors and their order follow
 * kubectl v1.32's Complete / Validate / RunLogs.
 */

const LOGS_USAGE = 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]';
const LOGS_USAGE_ERR = `expected '${LOGS_USAGE}'.\nPOD or TYPE/NAME is a required argument for the logs command`;
/** The --tail a selector implies unless --tail is given. */
const SELECTOR_TAIL = 10;
/** The annotation naming the container `kubectl logs`/`exec` use by default. */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** One log request: a pod's container. */
interface LogTarget {
  readonly pod: PodObject;
  readonly container: string;
}

export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: number };

function* run(inv: Invocation): Task<number> {
  // Flag values pflag would have refused while parsing come first.
  const sinceMs = durationFlag(inv, 'since', '0s');
  if (sinceMs === undefined) return 1;
  const podRunningTimeoutMs = durationFlag(inv, 'pod-running-timeout', '20s');
  if (podRunningTimeoutMs === undefined) return 1;

  // Complete
  const selector = flagString(inv.flags, 'selector') ?? '';
  let resourceArg = '';
  let container = flagString(inv.flags, 'container') ?? '';
  switch (inv.args.length) {
    case 0:
      if (selector === '') return usageError(inv, LOGS_USAGE_ERR);
      break;
    case 1:
      resourceArg = inv.args[0]!;
      if (selector !== '') return usageError(inv, 'only a selector (-l) or a POD name is allowed');
      break;
    case 2:
      resourceArg = inv.args[0]!;
      container = inv.args[1]!;
      break;
    default:
      return usageError(inv, LOGS_USAGE_ERR);
  }
  const allPods = flagBool(inv.flags, 'all-pods');
  const allContainers = flagBool(inv.flags, 'all-containers');
  const prefix = flagBool(inv.flags, 'prefix') || allPods;
  if (podRunningTimeoutMs <= 0) return errorExit(inv, '--pod-running-timeout must be higher than zero');
  const sinceTimeText = flagString(inv.flags, 'since-time') ?? '';
  let sinceTime: string | undefined;
  if (sinceTimeText !== '') {
    const parsed = parseGoRfc3339(sinceTimeText);
    if (!parsed.ok) return errorExit(inv, parsed.error);
    // metav1.Time travels with whole seconds.
    sinceTime = new Date(Math.floor(parsed.unixMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }
  // --since is rounded to the nearest second.
  const sinceSeconds = sinceMs !== 0 ? Math.sign(sinceMs) * Math.round(Math.abs(sinceMs) / 1000) : undefined;
  const tail = flagInt(inv.flags, 'tail') ?? -1;
  const tailSpecified = inv.flags.changed?.has('tail') ?? false;
  const tailLines =
    selector !== '' && tail === -1 && !tailSpecified ? SELECTOR_TAIL : tail !== -1 ? tail : undefined;
  const limitBytes = flagInt(inv.flags, 'limit-bytes') ?? 0;
  const opts: PodLogOptions = {
    ...(flagBool(inv.flags, 'follow') ? { follow: true } : {}),
    ...(flagBool(inv.flags, 'previous') ? { previous: true } : {}),
    ...(flagBool(inv.flags, 'timestamps') ? { timestamps: true } : {}),
    ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
    ...(sinceTime !== undefined ? { sinceTime } : {}),
    ...(tailLines !== undefined ? { tailLines } : {}),
    ...(limitBytes !== 0 ? { limitBytes } : {}),
  };

  const object = yield* resolveObject(inv, resourceArg, selector);
  if (!object.ok) return object.code;

  // Validate
  if (sinceTime !== undefined && sinceSeconds !== undefined)
    return errorExit(inv, 'at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (allContainers && container !== '')
    return errorExit(inv, `--all-containers=true should not be specified with container name ${container}`);
  if ((inv.flags.changed?.has('container') ?? false) && inv.args.length === 2)
    return errorExit(inv, 'only one of -c or an inline [CONTAINER] arg is allowed');
  if (limitBytes < 0) return errorExit(inv, '--limit-bytes must be greater than 0');
  if (sinceSeconds !== undefined && sinceSeconds < 0) return errorExit(inv, '--since must be greater than 0');
  if (tailLines !== undefined && tailLines < -1)
    return errorExit(inv, '--tail must be greater than or equal to -1');

  // RunLogs
  const targets = yield* logTargets(inv, object.value, {
    container,
    allContainers,
    allPods,
    podRunningTimeoutMs,
  });
  if (!targets.ok) return targets.code;
  const requests = targets.value;
  const ignoreErrors = flagBool(inv.flags, 'ignore-errors');
  const write = (t: LogTarget, text: string): void => {
    if (text === '') return;
    if (!prefix) return inv.out(text);
    const p = `[pod/${t.pod.metadata.name}/${t.container}] `;
    inv.out(text.replace(/[^\n]*\n|[^\n]+$/g, (line) => p + line));
  };
  if (opts.follow && requests.length > 1) {
    const max = flagInt(inv.flags, 'max-log-requests') ?? 5;
    if (requests.length > max)
      return errorExit(
        inv,
        `you are attempting to follow ${requests.length} log streams, but maximum allowed concurrency is ${max}, use --max-log-requests to increase the limit`,
      );
    return yield* followAll(inv, requests, opts, ignoreErrors, write);
  }
  for (const t of requests) {
    const res = opts.follow
      ? yield* followOne(inv, t, opts, (text) => write(t, text))
      : yield* readLog(inv, t, opts);
    if (res.ok) {
      write(t, res.text);
      continue;
    }
    if (!ignoreErrors) return fail(inv, res.failure);
    inv.out(`error: ${errorText(res.failure)}\n`);
  }
  return 0;
}

/** err.Error() of a failed request (what --ignore-errors prints after "error: "). */
function errorText(f: ApiFailure): string {
  return f.kind === 'status' ? f.status.message : failureMessage(f).replace(/\n$/, '');
}

/**
 * The builder of `kubectl logs`: `POD` (a pod), `TYPE/NAME` (any object), or `-l SELECTOR` (the
 * matching pods), fetched from the server.
 */
export function* resolveObject(
  inv: Invocation,
  resourceArg: string,
  selector: string,
  /** `kubectl logs` rewords NotFound ("… in namespace"); exec and others print it as is. */
  logsNotFound = true,
): Task<Outcome<{ info: ResourceInfo; obj: KubeObject } | { pods: PodObject[] }>> {
  const failWith = (message: string): Outcome<never> => ({ ok: false, code: errorExit(inv, message) });
  let type = 'pods';
  let name = resourceArg;
  if (resourceArg.includes('/')) {
    const seg = resourceArg.split('/');
    if (seg.length !== 2) return failWith('arguments in resource/name form may not have more than one slash');
    [type = '', name = ''] = seg;
    if (type === '' || name === '' || type.includes(','))
      return failWith('arguments in resource/name form must have a single resource and name');
  }
  const discovery = yield* discover(inv, 4);
  if (!discovery.ok) return { ok: false, code: fail(inv, discovery.failure) };
  const mapping = mapResource(discovery.resources, type);
  if (!mapping.ok) return failWith(mapping.error);
  const info = mapping.info;
  const namespace = inv.namespace;
  if (resourceArg !== '') {
    const r = yield* call<KubeObject>(inv, {
      verb: 'get',
      resource: info.resource,
      name,
      ...(info.namespaced ? { namespace } : {}),
    });
    if (!r.ok) {
      if (logsNotFound && r.failure.kind === 'status' && r.failure.status.reason === 'NotFound')
        return failWith(
          `error from server (NotFound): ${r.failure.status.message} in namespace "${namespace}"`,
        );
      return { ok: false, code: fail(inv, r.failure) };
    }
    return { ok: true, value: { info, obj: r.body } };
  }
  const r = yield* call<{ items: PodObject[] }>(inv, {
    verb: 'list',
    resource: 'pods',
    namespace,
    labelSelector: selector,
  });
  if (!r.ok)
    return {
      ok: false,
      code: fail(inv, enhanceListError(r.failure, { group: '', version: 'v1', resource: 'pods' }, selector)),
    };
  if (r.body.items.length === 0) inv.err(`No resources found in ${namespace} namespace.\n`);
  return { ok: true, value: { pods: r.body.items } };
}

interface TargetOptions {
  readonly container: string;
  readonly allContainers: boolean;
  readonly allPods: boolean;
  readonly podRunningTimeoutMs: number;
}

/** LogsForObject / AllPodLogsForObject: which pods and containers to read. */
function* logTargets(
  inv: Invocation,
  object: { info: ResourceInfo; obj: KubeObject } | { pods: PodObject[] },
  o: TargetOptions,
): Task<Outcome<LogTarget[]>> {
  const targets: LogTarget[] = [];
  const forPod = (pod: PodObject): string | undefined => {
    const names = pod.spec.containers.map((c) => c.name);
    const inits = (pod.spec.initContainers ?? []).map((c) => c.name);
    if (o.allContainers) {
      // Init containers first, as kubectl visits them.
      for (const container of [...inits, ...names]) targets.push({ pod, container });
      return undefined;
    }
    let container = o.container;
    const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION] ?? '';
    if (container === '' && annotated !== '') {
      if (names.includes(annotated)) container = annotated;
      else inv.err(`Default container name "${annotated}" not found in pod ${pod.metadata.name}\n`);
    }
    if (container === '') {
      // Default to the first container (as `kubectl exec` does).
      container = names[0] ?? '';
      const all = [...names, ...inits.map((n) => `${n} (init)`)];
      if (all.length > 1) inv.err(`Defaulted container "${container}" out of: ${all.join(', ')}\n`);
    }
    if (!names.includes(container) && !inits.includes(container))
      return `container ${container} is not valid for pod ${pod.metadata.name}`;
    targets.push({ pod, container });
    return undefined;
  };
  if ('pods' in object) {
    for (const pod of object.pods) {
      const err = forPod(pod);
      if (err) return { ok: false, code: errorExit(inv, err) };
    }
    return { ok: true, value: targets };
  }
  const { info, obj } = object;
  if (info.kind === 'Pod') {
    const err = forPod(obj as PodObject);
    return err ? { ok: false, code: errorExit(inv, err) } : { ok: true, value: targets };
  }
  const sel = selectorForObject(info, obj);
  if ('error' in sel)
    return { ok: false, code: errorExit(inv, `cannot get the logs from ${goType(info)}: ${sel.error}`) };
  const namespace = obj.metadata.namespace ?? inv.namespace;
  const found = yield* podsFor(inv, namespace, sel.selector, o.podRunningTimeoutMs);
  if (!found.ok) return found;
  const { pods, count } = found.value;
  if (o.allPods) {
    for (const pod of pods) {
      const err = forPod(pod);
      if (err) return { ok: false, code: errorExit(inv, err) };
    }
    return { ok: true, value: targets };
  }
  const pod = pods[0]!;
  if (count > 1) inv.err(`Found ${count} pods, using pod/${pod.metadata.name}\n`);
  const err = forPod(pod);
  return err ? { ok: false, code: errorExit(inv, err) } : { ok: true, value: targets };
}

/** How Go prints the object's type in "cannot get the logs from *v1.Node". */
export function goType(info: ResourceInfo): string {
  return `*${info.version}.${info.kind}`;
}

/** polymorphichelpers.SelectorsForObject: the pods a workload or Service selects. */
export function selectorForObject(
  info: ResourceInfo,
  obj: KubeObject,
): { selector: string } | { error: string } {
  switch (info.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'Job': {
      const spec = obj.spec as { selector?: LabelSelector } | undefined;
      return { selector: labelSelectorString(spec?.selector) };
    }
    case 'Service': {
      const sel = (obj.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {};
      if (Object.keys(sel).length === 0)
        return { error: `invalid service '${obj.metadata.name}': Service is defined without a selector` };
      return { selector: labelSelectorString({ matchLabels: sel }) };
    }
    default:
      return { error: `selector for ${goType(info)} not implemented` };
  }
}

/** metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key. */
export function labelSelectorString(sel: LabelSelector | undefined): string {
  const reqs: [string, string][] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) reqs.push([k, `${k}=${v}`]);
  for (const e of sel?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text =
      e.operator === 'In'
        ? `${e.key} in (${values})`
        : e.operator === 'NotIn'
          ? `${e.key} notin (${values})`
          : e.operator === 'Exists'
            ? e.key
            : `!${e.key}`;
    reqs.push([e.key, text]);
  }
  return reqs
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, t]) => t)
    .join(',');
}

/**
 * GetFirstPod / GetPods: the pods the selector matches, best for logs first (podutils.ByLogging);
 * with none yet, a watch waits (up to --pod-running-timeout) for one to appear.
 */
export function* podsFor(
  inv: Invocation,
  namespace: string,
  selector: string,
  timeoutMs: number,
): Task<Outcome<{ pods: PodObject[]; count: number }>> {
  const r = yield* call<{ items: PodObject[] }>(inv, {
    verb: 'list',
    resource: 'pods',
    namespace,
    labelSelector: selector,
  });
  if (!r.ok) return { ok: false, code: fail(inv, r.failure) };
  if (r.body.items.length > 0) {
    const sorted = sortByLogging(r.body.items, inv.ctx.cluster.sim.nowMs);
    return { ok: true, value: { pods: sorted, count: r.body.items.length } };
  }
  const pod = yield* waitForPodWhere(
    inv,
    { namespace, labelSelector: selector },
    timeoutMs,
    () => true,
    false,
  );
  if (!pod) return { ok: false, code: errorExit(inv, 'timed out waiting for the condition') };
  return { ok: true, value: { pods: [pod], count: 1 } };
}

const PHASE_ORDER: Readonly<Record<string, number>> = { Running: 0, Unknown: 1, Pending: 2 };

function isReady(p: PodObject): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function readySince(p: PodObject): number | undefined {
  const t = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime;
  return t ? Date.parse(t) : undefined;
}

function maxRestarts(p: PodObject): number {
  return Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount));
}

/** podutils.ByLogging: scheduled, Running, ready (longest), most restarts, oldest first. */
export function sortByLogging(pods: readonly PodObject[], _nowMs: number): PodObject[] {
  const afterOrZero = (a: number | undefined, b: number | undefined): boolean =>
    a === undefined || b === undefined ? a === undefined : a > b;
  const less = (a: PodObject, b: PodObject): boolean => {
    const na = a.spec.nodeName ?? '';
    const nb = b.spec.nodeName ?? '';
    if (na !== nb && (na === '' || nb === '')) return na !== '';
    const pa = PHASE_ORDER[a.status?.phase ?? ''] ?? 0;
    const pb = PHASE_ORDER[b.status?.phase ?? ''] ?? 0;
    if (pa !== pb) return pa < pb;
    if (isReady(a) !== isReady(b)) return isReady(a);
    if (isReady(a) && isReady(b) && readySince(a) !== readySince(b))
      return afterOrZero(readySince(b), readySince(a));
    if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(a) > maxRestarts(b);
    const ca = a.metadata.creationTimestamp ? Date.parse(a.metadata.creationTimestamp) : undefined;
    const cb = b.metadata.creationTimestamp ? Date.parse(b.metadata.creationTimestamp) : undefined;
    if (ca !== cb) return afterOrZero(cb, ca);
    return false;
  };
  // Go's sort.Sort is an insertion sort for short slices: stable, which this keeps for all.
  return [...pods].sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
}

function logRequest(t: LogTarget, opts: PodLogOptions): ApiRequest {
  return {
    verb: 'get',
    resource: 'pods',
    subresource: 'log',
    namespace: t.pod.metadata.namespace ?? 'default',
    name: t.pod.metadata.name,
    logOptions: { ...opts, container: t.container },
  };
}

type LogResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly failure: ApiFailure };

function* readLog(inv: Invocation, t: LogTarget, opts: PodLogOptions): Task<LogResult> {
  const r = yield* call<string>(inv, logRequest(t, opts));
  return r.ok ? { ok: true, text: typeof r.body === 'string' ? r.body : '' } : r;
}

/** A followed stream: its pieces go to `onData` as they arrive; ends when the container does (or Ctrl-C). */
function* followOne(
  inv: Invocation,
  t: LogTarget,
  opts: PodLogOptions,
  onData: (text: string) => void,
): Task<LogResult> {
  const req = logRequest(t, opts);
  const abort = { aborted: false };
  const lines = lineBuffer(onData);
  const outcome = yield* suspend<ApiOutcome>((resume) => {
    inv.ctx.client.request(
      {
        ...req,
        abort,
        onLogData: (text) => {
          if (!abort.aborted) lines.push(text);
        },
      },
      resume,
    );
    return () => {
      abort.aborted = true;
    };
  });
  const failure = failureOf(
    outcome,
    { verb: 'get', resource: 'pods', name: t.pod.metadata.name },
    requestUrl(req),
  );
  if (failure) return { ok: false, failure };
  lines.end();
  return { ok: true, text: '' };
}

/** DefaultConsumeRequest reads line by line: a piece without its newline waits for the rest. */
function lineBuffer(onLine: (text: string) => void): { push(text: string): void; end(): void } {
  let partial = '';
  return {
    push(text) {
      const all = partial + text;
      const cut = all.lastIndexOf('\n') + 1;
      partial = all.slice(cut);
      if (cut > 0) onLine(all.slice(0, cut));
    },
    end() {
      if (partial !== '') onLine(partial);
      partial = '';
    },
  };
}

/** Several followed streams at once (parallelConsumeRequest): lines as they come, from whichever. */
function* followAll(
  inv: Invocation,
  targets: readonly LogTarget[],
  opts: PodLogOptions,
  ignoreErrors: boolean,
  write: (t: LogTarget, text: string) => void,
): Task<number> {
  const aborts = targets.map(() => ({ aborted: false }));
  const failure = yield* suspend<ApiFailure | undefined>((resume) => {
    let open = targets.length;
    targets.forEach((t, i) => {
      const req = logRequest(t, opts);
      const lines = lineBuffer((text) => write(t, text));
      inv.ctx.client.request(
        {
          ...req,
          abort: aborts[i],
          onLogData: (text) => {
            if (!aborts[i]!.aborted) lines.push(text);
          },
        },
        (outcome) => {
          if (aborts[i]!.aborted) return;
          const f = failureOf(
            outcome,
            { verb: 'get', resource: 'pods', name: t.pod.metadata.name },
            requestUrl(req),
          );
          if (f && !ignoreErrors) {
            for (const a of aborts) a.aborted = true;
            return resume(f);
          }
          if (f) inv.out(`error: ${errorText(f)}\n`);
          else lines.end();
          if (--open === 0) resume(undefined);
        },
      );
    });
    return () => {
      for (const a of aborts) a.aborted = true;
    };
  });
  if (failure) return fail(inv, failure);
  return 0;
}

export const logsCommand: CommandSpec = {
  name: 'logs',
  short: 'Print the logs for a container in a pod',
  flags: [
    {
      name: 'all-containers',
      type: 'bool',
      defaultValue: 'false',
      usage: "Get all containers' logs in the pod(s).",
    },
    {
      name: 'all-pods',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Get logs from all pod(s). Sets prefix to true.',
    },
    {
      name: 'container',
      short: 'c',
      type: 'string',
      defaultValue: '',
      usage: 'Print the logs of this container',
    },
    {
      name: 'follow',
      short: 'f',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Specify if the logs should be streamed.',
    },
    {
      name: 'ignore-errors',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If watching / following pod logs, allow for any errors that occur to be non-fatal',
    },
    {
      name: 'insecure-skip-tls-verify-backend',
      type: 'bool',
      defaultValue: 'false',
      usage:
        'Skip verifying the identity of the kubelet that logs are requested from.  In theory, an attacker could provide invalid log content back. You might want to use this if your kubelet serving certificates have expired.',
    },
    {
      name: 'limit-bytes',
      type: 'int',
      defaultValue: '0',
      usage: 'Maximum bytes of logs to return. Defaults to no limit.',
    },
    {
      name: 'max-log-requests',
      type: 'int',
      defaultValue: '5',
      usage: 'Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5.',
    },
    podRunningTimeoutFlag('20s'),
    {
      name: 'prefix',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Prefix each log line with the log source (pod name and container name)',
    },
    {
      name: 'previous',
      short: 'p',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, print the logs for the previous instance of the container in a pod if it exists.',
    },
    SELECTOR_FLAG,
    {
      name: 'since',
      type: 'string',
      defaultValue: '0s',
      shownDefault: '0s',
      usage:
        'Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.',
    },
    {
      name: 'since-time',
      type: 'string',
      defaultValue: '',
      usage:
        'Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.',
    },
    {
      name: 'tail',
      type: 'int',
      defaultValue: '-1',
      usage:
        'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.',
    },
    {
      name: 'timestamps',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Include timestamps on each line in the log output',
    },
  ],
  help: {
    long: 'Print the logs for a container in a pod or specified resource. If the pod has only one container, the container name is optional.',
    examples: [
      '  # Return snapshot logs from pod nginx with only one container',
      '  kubectl logs nginx',
      '  ',
      '  # Return snapshot logs from pod nginx, prefixing each line with the source pod and container name',
      '  kubectl logs nginx --prefix',
      '  ',
      '  # Return snapshot logs from pod nginx, limiting output to 500 bytes',
      '  kubectl logs nginx --limit-bytes=500',
      '  ',
      '  # Return snapshot logs from pod nginx, waiting up to 20 seconds for it to start running.',
      '  kubectl logs nginx --pod-running-timeout=20s',
      '  ',
      '  # Return snapshot logs from pod nginx with multi containers',
      '  kubectl logs nginx --all-containers=true',
      '  ',
      '  # Return snapshot logs from all pods in the deployment nginx',
      '  kubectl logs deployment/nginx --all-pods=true',
      '  ',
      '  # Return snapshot logs from all containers in pods defined by label app=nginx',
      '  kubectl logs -l app=nginx --all-containers=true',
      '  ',
      '  # Return snapshot logs from all pods defined by label app=nginx, limiting concurrent log requests to 10 pods',
      '  kubectl logs -l app=nginx --max-log-requests=10',
      '  ',
      '  # Return snapshot of previous terminated ruby container logs from pod web-1',
      '  kubectl logs -p -c ruby web-1',
      '  ',
      '  # Begin streaming the logs from pod nginx, continuing even if errors occur',
      '  kubectl logs nginx -f --ignore-errors=true',
      '  ',
      '  # Begin streaming the logs of the ruby container in pod web-1',
      '  kubectl logs -f -c ruby web-1',
      '  ',
      '  # Begin streaming the logs from all containers in pods defined by label app=nginx',
      '  kubectl logs -f -l app=nginx --all-containers=true',
      '  ',
      '  # Display only the most recent 20 lines of output in pod nginx',
      '  kubectl logs --tail=20 nginx',
      '  ',
      '  # Show all logs from pod nginx written in the last hour',
      '  kubectl logs --since=1h nginx',
      '  ',
      '  # Show all logs with timestamps from pod nginx starting from August 30, 2024, at 06:00:00 UTC',
      '  kubectl logs nginx --since-time=2024-08-30T06:00:00Z --timestamps=true',
      '  ',
      '  # Show logs from a kubelet with an expired serving certificate',
      '  kubectl logs --insecure-skip-tls-verify-backend nginx',
      '  ',
      '  # Return snapshot logs from first container of a job named hello',
      '  kubectl logs job/hello',
      '  ',
      '  # Return snapshot logs from container nginx-1 of a deployment named nginx',
      '  kubectl logs deployment/nginx -c nginx-1',
    ].join('\n'),
    usage: 'kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]',
  },
  run,
};
