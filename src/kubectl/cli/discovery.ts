import { METRICS_GROUP } from '../../sim/api/metricsResources';
import type { ResourceInfo } from '../../sim/api/resources';
import { isTransportError } from '../../sim/apiserver/request';
import { suspend, type Task } from '../../sim/kernel/task';
import { type ApiFailure, failureOf, SERVER_URL, transportErrorText } from './errors';
import type { Invocation } from './invocation';
import { goQuote, klogErrorLine } from './klog';
import { checkRequestTimeout } from './requestTimeout';

/**
 * API discovery and REST mapping, as kubectl's memcached discovery client and RESTMapper do it:
 * which resources the server serves, and which of them a typed name (`no`, `Node`, `nodes.v1.`,
 * `leases.coordination.k8s.io`) refers to.
 */

export type DiscoveryResult =
  | { readonly ok: true; readonly resources: readonly ResourceInfo[] }
  | { readonly ok: false; readonly failure: ApiFailure };

const DISCOVERY_URL = `${SERVER_URL}/api?timeout=32s`;

/**
 * Time between two failed discovery lookups: a real kubectl logs them about 1.3 ms apart (dialing
 * and logging take that long), so the klog timestamps of a transcript look like a real one's.
 */
export const DISCOVERY_RETRY_GAP_MS = 1.3;

/**
 * Fetches the server's resources. While the server cannot be reached, each lookup kubectl's REST
 * mapper makes fails again and is logged by the discovery cache (memcache.go) before the command
 * gives up, so a real kubectl prints several identical klog lines; `attempts` is how many (see
 * `mappingAttempts`). Each attempt here is a real request on the simulated network, stamped with
 * the simulated time it failed.
 */
export function* discover(inv: Invocation, attempts: number): Task<DiscoveryResult> {
  checkRequestTimeout(inv);
  let failure: ApiFailure | undefined;
  for (let i = 0; i < Math.max(1, attempts); i++) {
    if (i > 0) yield* sleep(inv, DISCOVERY_RETRY_GAP_MS);
    const outcome = yield* inv.ctx.client.call({ verb: 'discovery', resource: '' });
    failure = failureOf(outcome, { verb: 'get', resource: '' }, DISCOVERY_URL);
    if (!failure) return { ok: true, resources: (outcome as { body: readonly ResourceInfo[] }).body };
    const why = isTransportError(outcome)
      ? `Get "${DISCOVERY_URL}": ${transportErrorText(outcome)}`
      : failure.kind === 'status'
        ? failure.status.message
        : '';
    inv.err(
      klogErrorLine(
        inv.ctx.cluster.sim.nowMs,
        'memcache.go:265',
        `"Unhandled Error" err=${goQuote(`couldn't get current server API group list: ${why}`)}`,
      ),
    );
  }
  return { ok: false, failure: failure! };
}

/** Waits `ms` of simulated time (cancelled with the command). */
export function* sleep(inv: Invocation, ms: number): Task<void> {
  yield* suspend<void>((resume) => {
    const timer = inv.ctx.cluster.sim.schedule(ms, () => resume());
    return () => timer.cancel();
  });
}

/**
 * How many failed discovery lookups kubectl v1.32 logs before giving up, measured against an
 * unreachable server: 4 for `TYPE/NAME` arguments, otherwise 4 plus one per resource type (three
 * for a type qualified with a group or version, which the mapper tries in several forms).
 */
export function mappingAttempts(typeArgs: readonly string[], slashForm: boolean): number {
  if (slashForm) return 4;
  return 4 + typeArgs.reduce((n, t) => n + (t.includes('.') ? 3 : 1), 0);
}

/** A resolved resource, or kubectl's error for a type the server does not have. */
export type Mapping =
  | { readonly ok: true; readonly info: ResourceInfo }
  | { readonly ok: false; readonly error: string };

/** The RESTMapper lookup behind every `TYPE` argument. */
export function mapResource(resources: readonly ResourceInfo[], typed: string): Mapping {
  const lower = typed.toLowerCase();
  const matchesName = (r: ResourceInfo, name: string): boolean =>
    r.resource === name ||
    r.singular === name ||
    r.shortNames.includes(name) ||
    r.kind.toLowerCase() === name;
  const dots = lower.split('.');
  // resource.version.group (ParseResourceArg's fully specified form), e.g. nodes.v1.
  if (dots.length >= 3) {
    const [name = '', version = '', ...group] = dots;
    const found = resources.find(
      (r) => matchesName(r, name) && r.version === version && r.group === group.join('.'),
    );
    if (found) return { ok: true, info: requestable(found) };
  }
  // resource.group (ParseGroupResource), e.g. leases.coordination.k8s.io
  const dot = lower.indexOf('.');
  const name = dot >= 0 ? lower.slice(0, dot) : lower;
  const group = dot >= 0 ? lower.slice(dot + 1) : undefined;
  const found = resources.find((r) => matchesName(r, name) && (group === undefined || r.group === group));
  if (found) return { ok: true, info: requestable(found) };
  const shown = dot >= 0 ? typed.slice(0, dot) : typed;
  return { ok: false, error: `the server doesn't have a resource type "${shown}"` };
}

/**
 * metrics.k8s.io's `nodes` and `pods` share their names with the core resources, so requests name
 * them qualified (`pods.metrics.k8s.io`), which the API server routes to metrics-server.
 */
function requestable(info: ResourceInfo): ResourceInfo {
  return info.group === METRICS_GROUP ? { ...info, resource: `${info.resource}.${info.group}` } : info;
}

/** `kind[.group]` lower-cased, as the name printer and `get` prefixes show a resource: `node`, `lease.coordination.k8s.io`. */
export function kindPrefix(info: ResourceInfo): string {
  return (info.group === '' ? info.kind : `${info.kind}.${info.group}`).toLowerCase();
}

/** GroupKind.String(): `Node`, `Lease.coordination.k8s.io`. */
export function groupKind(info: ResourceInfo): string {
  return info.group === '' ? info.kind : `${info.kind}.${info.group}`;
}
