import { goDuration } from '../../sim/api/duration';
import { parseSelector } from '../../sim/api/labels';
import { METRICS_GROUP } from '../../sim/api/metricsResources';
import type { ResourceInfo } from '../../sim/api/resources';
import type { NodeObject, PodObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import { EPOCH_UNIX_MS } from '../../sim/kernel/time';
import type { NodeMetrics, PodMetrics } from '../../sim/metrics/metricsServer';
import type { CommandSpec } from '../cli/command';
import {
  ALL_NAMESPACES_FLAG,
  defaultSubCommandRun,
  errorExit,
  FIELD_SELECTOR_FLAG,
  SELECTOR_FLAG,
  usageError,
} from '../cli/common';
import { failureOf } from '../cli/errors';
import { renderHelp } from '../cli/help';
import { call, fail, type Invocation, requestUrl } from '../cli/invocation';
import { type FlagSpec, flagBool, flagString } from '../flags';
import { parseQuantity } from '../print/quantity';
import { GET_TABWRITER, TabWriter } from '../print/tabwriter';

/**
 * `kubectl top node` and `kubectl top pod`: resource usage from the metrics.k8s.io API
 * (metrics-server), printed as kubectl v1.32's TopCmdPrinter does: CPU in millicores (rounded
 * up), memory in whole MiB (rounded down), node percentages of allocatable (or capacity), every
 * cell tab-terminated (so lines end in padding), `<unknown>` for nodes without metrics, and
 * `error: metrics not available yet` while the first window has not passed.
 */

/** kubectl's metricsCreationDelay: a pod older than this without metrics is an error of its own. */
const METRICS_CREATION_DELAY_MS = 2 * 60_000;

const SORT_BY_FLAG = (what: string): FlagSpec => ({
  name: 'sort-by',
  type: 'string',
  defaultValue: '',
  usage: `If non-empty, sort ${what} list using specified field. The field can be either 'cpu' or 'memory'.`,
});

const USE_PROTOCOL_BUFFERS_FLAG: FlagSpec = {
  name: 'use-protocol-buffers',
  type: 'bool',
  defaultValue: 'true',
  usage: 'Enables using protocol-buffers to access Metrics API.',
};

/** Usage from a metrics quantity: MilliValue (rounded up) and Value (bytes, rounded up). */
interface Amount {
  readonly nanos: bigint;
}

const nanosOf = (q: string | undefined): bigint => (q ? (parseQuantity(q)?.nanos ?? 0n) : 0n);
const ceilDiv = (a: bigint, b: bigint): bigint => (a <= 0n ? a / b : (a + b - 1n) / b);
const milliValue = (a: Amount): bigint => ceilDiv(a.nanos, 1_000_000n);
const value = (a: Amount): bigint => ceilDiv(a.nanos, 1_000_000_000n);

/** printSingleResourceUsage: `123m`, `45Mi`. */
const cpuText = (a: Amount): string => `${milliValue(a)}m`;
const memoryText = (a: Amount): string => `${value(a) / (1024n * 1024n)}Mi`;

/** int64(float64(used.MilliValue()) / float64(available.MilliValue()) * 100) */
function percent(used: Amount, available: Amount): string {
  const f = (Number(milliValue(used)) / Number(milliValue(available))) * 100;
  return `${Math.trunc(f)}%`;
}

/** The discovery check both commands make first (ServerGroups, then the metrics.k8s.io group). */
function* metricsAvailable(inv: Invocation): Task<number | undefined> {
  const outcome = yield* inv.ctx.client.call({ verb: 'discovery', resource: '' });
  const failure = failureOf(
    outcome,
    { verb: 'get', resource: '' },
    requestUrl({ verb: 'discovery', resource: '' }),
  );
  if (failure) return fail(inv, failure);
  const resources = (outcome as { body: readonly ResourceInfo[] }).body;
  if (!resources.some((r) => r.group === METRICS_GROUP)) return errorExit(inv, 'Metrics API not available');
  return undefined;
}

function checkSortBy(inv: Invocation): number | undefined {
  const sortBy = flagString(inv.flags, 'sort-by') ?? '';
  if (sortBy !== '' && sortBy !== 'cpu' && sortBy !== 'memory')
    return errorExit(inv, '--sort-by accepts only cpu or memory');
  return undefined;
}

/** Stable sort by `key` descending (Go's sort.Sort on short lists keeps ties in order). */
function sortDesc<T>(items: T[], key: (t: T) => bigint): T[] {
  return items
    .map((item, i) => ({ item, i, k: key(item) }))
    .sort((a, b) => (a.k > b.k ? -1 : a.k < b.k ? 1 : a.i - b.i))
    .map((x) => x.item);
}

// ---------------------------------------------------------------- top node

function* runTopNode(inv: Invocation): Task<number> {
  if (inv.args.length > 1) return usageError(inv, 'node [NAME | -l label]');
  const name = inv.args[0] ?? '';
  const selector = flagString(inv.flags, 'selector') ?? '';
  const sortBy = flagString(inv.flags, 'sort-by') ?? '';
  const bad = checkSortBy(inv);
  if (bad !== undefined) return bad;
  if (name !== '' && selector !== '') return errorExit(inv, 'only one of NAME or --selector can be provided');
  const parsed = parseSelector(selector);
  if (!parsed.ok) return errorExit(inv, parsed.error);
  const unavailable = yield* metricsAvailable(inv);
  if (unavailable !== undefined) return unavailable;

  let metrics: NodeMetrics[];
  if (name !== '') {
    const r = yield* call<NodeMetrics>(inv, { verb: 'get', resource: `nodes.${METRICS_GROUP}`, name });
    if (!r.ok) return fail(inv, r.failure);
    metrics = [r.body];
  } else {
    const r = yield* call<{ items: NodeMetrics[] }>(inv, {
      verb: 'list',
      resource: `nodes.${METRICS_GROUP}`,
      ...(selector ? { labelSelector: selector } : {}),
    });
    if (!r.ok) return fail(inv, r.failure);
    metrics = r.body.items;
  }
  if (metrics.length === 0) return errorExit(inv, 'metrics not available yet');

  let nodes: NodeObject[];
  if (name !== '') {
    const r = yield* call<NodeObject>(inv, { verb: 'get', resource: 'nodes', name });
    if (!r.ok) return fail(inv, r.failure);
    nodes = [r.body];
  } else {
    const r = yield* call<{ items: NodeObject[] }>(inv, {
      verb: 'list',
      resource: 'nodes',
      ...(selector ? { labelSelector: selector } : {}),
    });
    if (!r.ok) return fail(inv, r.failure);
    nodes = r.body.items;
  }
  const showCapacity = flagBool(inv.flags, 'show-capacity');
  const available = new Map<string, Record<string, string>>();
  for (const n of nodes)
    available.set(n.metadata.name, (showCapacity ? n.status?.capacity : n.status?.allocatable) ?? {});

  const usage = (m: NodeMetrics): { cpu: Amount; memory: Amount } => ({
    cpu: { nanos: nanosOf(m.usage.cpu) },
    memory: { nanos: nanosOf(m.usage.memory) },
  });
  let sorted = [...metrics];
  if (sortBy === 'cpu') sorted = sortDesc(sorted, (m) => milliValue(usage(m).cpu));
  else if (sortBy === 'memory') sorted = sortDesc(sorted, (m) => value(usage(m).memory));
  else
    sorted.sort((a, b) =>
      a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0,
    );

  const w = new TabWriter(GET_TABWRITER);
  if (!flagBool(inv.flags, 'no-headers')) w.write('NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t\n');
  for (const m of sorted) {
    const u = usage(m);
    const avail = available.get(m.metadata.name);
    let line = `${m.metadata.name}\t${cpuText(u.cpu)}\t`;
    if (avail?.cpu !== undefined) line += `${percent(u.cpu, { nanos: nanosOf(avail.cpu) })}\t`;
    line += `${memoryText(u.memory)}\t`;
    if (avail?.memory !== undefined) line += `${percent(u.memory, { nanos: nanosOf(avail.memory) })}\t`;
    w.write(`${line}\n`);
    available.delete(m.metadata.name);
  }
  // Nodes whose metrics could not be had.
  for (const node of available.keys()) w.write(`${node}\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n`);
  w.flush();
  inv.out(w.output);
  return 0;
}

// ---------------------------------------------------------------- top pod

function* runTopPod(inv: Invocation): Task<number> {
  if (inv.args.length > 1) return usageError(inv, 'pod [NAME | -l label]');
  const name = inv.args[0] ?? '';
  const selector = flagString(inv.flags, 'selector') ?? '';
  const fieldSelector = flagString(inv.flags, 'field-selector') ?? '';
  const sortBy = flagString(inv.flags, 'sort-by') ?? '';
  const allNamespaces = flagBool(inv.flags, 'all-namespaces');
  const bad = checkSortBy(inv);
  if (bad !== undefined) return bad;
  if (name !== '' && (selector !== '' || fieldSelector !== ''))
    return errorExit(inv, 'only one of NAME or selector can be provided');
  const parsed = parseSelector(selector);
  if (!parsed.ok) return errorExit(inv, parsed.error);
  for (const part of fieldSelector === '' ? [] : fieldSelector.split(','))
    if (!/^[^=!]+(==|=|!=)[^=!]*$/.test(part.trim()))
      return errorExit(inv, `invalid selector: '${fieldSelector}'; can't understand '${part}'`);
  const unavailable = yield* metricsAvailable(inv);
  if (unavailable !== undefined) return unavailable;

  const namespace = allNamespaces ? undefined : inv.namespace;
  let metrics: PodMetrics[];
  if (name !== '') {
    const r = yield* call<PodMetrics>(inv, {
      verb: 'get',
      resource: `pods.${METRICS_GROUP}`,
      name,
      ...(namespace ? { namespace } : {}),
    });
    if (!r.ok) return fail(inv, r.failure);
    metrics = [r.body];
  } else {
    const r = yield* call<{ items: PodMetrics[] }>(inv, {
      verb: 'list',
      resource: `pods.${METRICS_GROUP}`,
      ...(namespace ? { namespace } : {}),
      ...(selector ? { labelSelector: selector } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
    });
    if (!r.ok) return fail(inv, r.failure);
    metrics = r.body.items;
  }

  if (metrics.length === 0) {
    // verifyEmptyMetrics: new pods just have no metrics yet; old ones without metrics are an error.
    // (It looks in the current namespace, even with --all-namespaces.)
    const r = yield* call<{ items: PodObject[] }>(inv, {
      verb: 'list',
      resource: 'pods',
      namespace: inv.namespace,
      ...(selector ? { labelSelector: selector } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
    });
    if (!r.ok) return fail(inv, r.failure);
    if (r.body.items.length > 0) {
      const nowUnixMs = EPOCH_UNIX_MS + inv.ctx.cluster.sim.nowMs;
      for (const pod of r.body.items) {
        const ageMs = nowUnixMs - Date.parse(pod.metadata.creationTimestamp ?? '');
        if (ageMs > METRICS_CREATION_DELAY_MS)
          return errorExit(
            inv,
            `Metrics not available for pod ${pod.metadata.namespace}/${pod.metadata.name}, age: ${goDuration(ageMs * 1_000_000)}`,
          );
      }
      return errorExit(inv, 'metrics not available yet');
    }
    inv.err(allNamespaces ? 'No resources found\n' : `No resources found in ${inv.namespace} namespace.\n`);
    return 0;
  }

  const containersOf = (m: PodMetrics) =>
    m.containers.map((c) => ({
      name: c.name,
      cpu: { nanos: nanosOf(c.usage.cpu) },
      memory: { nanos: nanosOf(c.usage.memory) },
    }));
  const podUsage = (m: PodMetrics): { cpu: Amount; memory: Amount } => {
    let cpu = 0n;
    let memory = 0n;
    for (const c of containersOf(m)) {
      cpu += c.cpu.nanos;
      memory += c.memory.nanos;
    }
    return { cpu: { nanos: cpu }, memory: { nanos: memory } };
  };
  let sorted = [...metrics];
  if (sortBy === 'cpu') sorted = sortDesc(sorted, (m) => milliValue(podUsage(m).cpu));
  else if (sortBy === 'memory') sorted = sortDesc(sorted, (m) => value(podUsage(m).memory));
  else
    sorted.sort((a, b) => {
      if (allNamespaces && a.metadata.namespace !== b.metadata.namespace)
        return (a.metadata.namespace ?? '') < (b.metadata.namespace ?? '') ? -1 : 1;
      return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
    });

  const printContainers = flagBool(inv.flags, 'containers');
  const w = new TabWriter(GET_TABWRITER);
  let columns = 3;
  if (!flagBool(inv.flags, 'no-headers')) {
    let header = '';
    if (allNamespaces) header += 'NAMESPACE\t';
    if (printContainers) header += 'POD\t';
    w.write(`${header}NAME\tCPU(cores)\tMEMORY(bytes)\t\n`);
  }
  if (allNamespaces) columns++;
  if (printContainers) columns++;
  const ns = (m: PodMetrics): string => (allNamespaces ? `${m.metadata.namespace}\t` : '');
  for (const m of sorted) {
    if (printContainers) {
      let containers = containersOf(m);
      if (sortBy === 'cpu') containers = sortDesc(containers, (c) => milliValue(c.cpu));
      else if (sortBy === 'memory') containers = sortDesc(containers, (c) => value(c.memory));
      else containers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const c of containers)
        w.write(`${ns(m)}${m.metadata.name}\t${c.name}\t${cpuText(c.cpu)}\t${memoryText(c.memory)}\t\n`);
    } else {
      const u = podUsage(m);
      w.write(`${ns(m)}${m.metadata.name}\t${cpuText(u.cpu)}\t${memoryText(u.memory)}\t\n`);
    }
  }
  if (flagBool(inv.flags, 'sum')) {
    let cpu = 0n;
    let memory = 0n;
    for (const m of metrics) {
      const u = podUsage(m);
      cpu += u.cpu.nanos;
      memory += u.memory.nanos;
    }
    w.write(`${'\t'.repeat(columns - 2)}________\t________\t\n`);
    w.write(`${'\t'.repeat(columns - 3)}\t${cpuText({ nanos: cpu })}\t${memoryText({ nanos: memory })}\t\n`);
  }
  w.flush();
  inv.out(w.output);
  return 0;
}

// ---------------------------------------------------------------- commands

const topNodeCommand: CommandSpec = {
  name: 'node',
  aliases: ['nodes', 'no'],
  short: 'Display resource (CPU/memory) usage of nodes',
  flags: [
    {
      name: 'no-headers',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If present, print output without headers',
    },
    SELECTOR_FLAG,
    {
      name: 'show-capacity',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Print node resources based on Capacity instead of Allocatable(default) of the nodes.',
    },
    SORT_BY_FLAG('nodes'),
    USE_PROTOCOL_BUFFERS_FLAG,
  ],
  help: {
    long:
      'Display resource (CPU/memory) usage of nodes.\n\n' +
      ' The top-node command allows you to see the resource consumption of nodes.',
    examples: [
      '  # Show metrics for all nodes',
      '  kubectl top node',
      '  ',
      '  # Show metrics for a given node',
      '  kubectl top node NODE_NAME',
    ].join('\n'),
    usage: 'kubectl top node [NAME | -l label] [options]',
  },
  run: runTopNode,
};

const topPodCommand: CommandSpec = {
  name: 'pod',
  aliases: ['pods', 'po'],
  short: 'Display resource (CPU/memory) usage of pods',
  flags: [
    ALL_NAMESPACES_FLAG,
    {
      name: 'containers',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If present, print usage of containers within a pod.',
    },
    FIELD_SELECTOR_FLAG,
    {
      name: 'no-headers',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If present, print output without headers.',
    },
    SELECTOR_FLAG,
    SORT_BY_FLAG('pods'),
    { name: 'sum', type: 'bool', defaultValue: 'false', usage: 'Print the sum of the resource usage' },
    USE_PROTOCOL_BUFFERS_FLAG,
  ],
  help: {
    long:
      'Display resource (CPU/memory) usage of pods.\n\n' +
      " The 'top pod' command allows you to see the resource consumption of pods.\n\n" +
      ' Due to the metrics pipeline delay, they may be unavailable for a few minutes since pod creation.',
    examples: [
      '  # Show metrics for all pods in the default namespace',
      '  kubectl top pod',
      '  ',
      '  # Show metrics for all pods in the given namespace',
      '  kubectl top pod --namespace=NAMESPACE',
      '  ',
      '  # Show metrics for a given pod and its containers',
      '  kubectl top pod POD_NAME --containers',
      '  ',
      '  # Show metrics for the pods defined by label name=myLabel',
      '  kubectl top pod -l name=myLabel',
    ].join('\n'),
    usage: 'kubectl top pod [NAME | -l label] [options]',
  },
  run: runTopPod,
};

export const topCommand: CommandSpec = {
  name: 'top',
  short: 'Display resource (CPU/memory) usage',
  help: {
    long:
      'Display resource (CPU/memory) usage.\n\n' +
      ' The top command allows you to see the resource consumption for nodes or pods.\n\n' +
      ' This command requires Metrics Server to be correctly configured and working on the server.',
    usage: 'kubectl top [flags] [options]',
  },
  subcommands: [topNodeCommand, topPodCommand],
  // DefaultSubCommandRun(streams.ErrOut): the help goes to stderr, with exit code 1.
  run: defaultSubCommandRun(() => renderHelp(topCommand, 'kubectl top'), 'err'),
};
