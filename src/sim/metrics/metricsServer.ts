import { goDuration } from '../api/duration';
import { badRequest, methodNotAllowed, notFound } from '../api/errors';
import { matches, parseSelector } from '../api/labels';
import {
  METRICS_GROUP,
  METRICS_RESOURCES,
  METRICS_VERSION,
  metricsResourceOf,
} from '../api/metricsResources';
import type { Table } from '../api/table';
import type { KubeObject, NodeObject, PodObject, Status } from '../api/types';
import type { ApiRequest, ApiResponse } from '../apiserver/request';
import { hash32 } from '../kernel/hash';
import { rfc3339 } from '../kernel/time';
import type { PodRuntime } from '../kubelet/podRuntime';
import { METRICS_RESOLUTION_MS, type NodeSample, scrapeNode, type Usage } from '../kubelet/resourceUsage';

/**
 * metrics-server, as the API server's aggregation layer reaches it: NodeMetrics and PodMetrics
 * (metrics.k8s.io/v1beta1) from the kubelets' resource metrics. A real metrics-server scrapes
 * every kubelet every 15 s and keeps the last two scrapes; this one computes, when asked, what
 * the last scrape (the last 15 s boundary) saw, from what the kubelets run. So a container needs
 * a full window before it has metrics, a node whose kubelet cannot be reached has none, and the
 * numbers change once per window. Nothing is kept between requests.
 */

/** A kubelet the metrics server can scrape. */
export interface ScrapeTarget {
  readonly runtime: PodRuntime;
  readonly cpus: number;
  readonly controlPlane: boolean;
  readonly kubeletStartedMs: number;
}

export interface MetricsBackend {
  readonly seed: number;
  readonly nowMs: number;
  /** The kubelet of `node`, if the metrics server (on host `from`) can reach it now. */
  kubelet(from: string, node: string): ScrapeTarget | undefined;
}

interface ItemMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly creationTimestamp: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface NodeMetrics {
  readonly kind: 'NodeMetrics';
  readonly apiVersion: string;
  readonly metadata: ItemMeta;
  readonly timestamp: string;
  readonly window: string;
  readonly usage: { readonly cpu: string; readonly memory: string };
}

export interface PodMetrics {
  readonly kind: 'PodMetrics';
  readonly apiVersion: string;
  readonly metadata: ItemMeta;
  readonly timestamp: string;
  readonly window: string;
  readonly containers: readonly {
    readonly name: string;
    readonly usage: { readonly cpu: string; readonly memory: string };
  }[];
}

const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

export function serveMetrics(
  backend: MetricsBackend,
  from: string,
  req: ApiRequest,
  read: (prefix: string) => readonly KubeObject[],
  respond: (res: ApiResponse) => void,
): void {
  const resource = metricsResourceOf(req.resource);
  if (!resource)
    return respond({
      code: 404,
      body: notFound({ ...METRICS_RESOURCES[0]!, resource: req.resource }, req.name ?? ''),
    });
  if (req.verb !== 'get' && req.verb !== 'list') return respond({ code: 405, body: methodNotAllowed() });
  const labelSel = parseSelector(req.labelSelector ?? '');
  if (!labelSel.ok) return respond({ code: 400, body: badRequest(labelSel.error) });
  const fieldSel = parseMetaFieldSelector(req.fieldSelector ?? '');
  if (typeof fieldSel === 'string') return respond({ code: 400, body: badRequest(fieldSel) });

  const now = backend.nowMs;
  const scrapeAt = Math.floor(now / METRICS_RESOLUTION_MS) * METRICS_RESOLUTION_MS;
  const samples = new Map<string, NodeSample | undefined>();
  const sampleOf = (node: string): NodeSample | undefined => {
    if (samples.has(node)) return samples.get(node);
    const k = backend.kubelet(from, node);
    const s = k
      ? scrapeNode(
          k.runtime,
          { name: node, cpus: k.cpus, controlPlane: k.controlPlane },
          k.kubeletStartedMs,
          backend.seed,
          scrapeAt,
        )
      : undefined;
    samples.set(node, s);
    return s;
  };
  const windowOf = (node: string): string => {
    // The window is the time between the two samples the rate came from: 15 s give or take.
    const jitterMs = (hash32(backend.seed, node, 'window', scrapeAt) % 121) - 60;
    return goDuration((METRICS_RESOLUTION_MS + jitterMs) * 1_000_000);
  };
  const created = rfc3339(now);
  const timestamp = rfc3339(scrapeAt);

  if (resource === 'nodes') {
    const all = read('/registry/minions/') as NodeObject[];
    const metricsOf = (n: NodeObject): NodeMetrics | undefined => {
      const s = sampleOf(n.metadata.name);
      if (!s) return undefined;
      return {
        kind: 'NodeMetrics',
        apiVersion: API_VERSION,
        metadata: {
          name: n.metadata.name,
          creationTimestamp: created,
          ...(n.metadata.labels ? { labels: n.metadata.labels } : {}),
        },
        timestamp,
        window: windowOf(n.metadata.name),
        usage: quantities(s.usage),
      };
    };
    if (req.verb === 'get') {
      const node = all.find((n) => n.metadata.name === req.name);
      // metrics-server's node lister says "node", singular.
      if (!node) return respond({ code: 404, body: listerNotFound('node', req.name ?? '') });
      const m = metricsOf(node);
      if (!m) return respond({ code: 404, body: metricsNotFound('nodemetrics', req.name ?? '') });
      return respond({ code: 200, body: req.asTable ? table([m]) : m });
    }
    const items = all
      .filter((n) => matches(labelSel.selector, n.metadata.labels) && fieldSel(n))
      .map(metricsOf)
      .filter((m): m is NodeMetrics => m !== undefined)
      .sort((a, b) => compare(a.metadata.name, b.metadata.name));
    return respond({ code: 200, body: req.asTable ? table(items) : list('NodeMetricsList', items) });
  }

  const prefix = req.namespace ? `/registry/pods/${req.namespace}/` : '/registry/pods/';
  const pods = read(prefix) as PodObject[];
  const metricsOf = (p: PodObject): PodMetrics | undefined => {
    // metrics-server leaves out pods that are not Running.
    if (p.status?.phase !== 'Running' || !p.spec.nodeName) return undefined;
    const s = sampleOf(p.spec.nodeName)?.pods.get(p.metadata.uid ?? '');
    if (!s) return undefined;
    return {
      kind: 'PodMetrics',
      apiVersion: API_VERSION,
      metadata: {
        name: p.metadata.name,
        namespace: p.metadata.namespace ?? 'default',
        creationTimestamp: created,
        ...(p.metadata.labels ? { labels: p.metadata.labels } : {}),
      },
      timestamp,
      window: windowOf(p.spec.nodeName),
      containers: s.containers.map((c) => ({ name: c.name, usage: quantities(c.usage) })),
    };
  };
  if (req.verb === 'get') {
    const pod = pods.find((p) => p.metadata.name === req.name);
    if (!pod) return respond({ code: 404, body: listerNotFound('pods', req.name ?? '') });
    const m = metricsOf(pod);
    if (!m)
      return respond({
        code: 404,
        body: metricsNotFound('podmetrics', `${req.namespace ?? 'default'}/${req.name}`),
      });
    return respond({ code: 200, body: req.asTable ? table([m]) : m });
  }
  const items = pods
    .filter((p) => matches(labelSel.selector, p.metadata.labels) && fieldSel(p))
    .sort(
      (a, b) =>
        compare(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
        compare(a.metadata.name, b.metadata.name),
    )
    .map(metricsOf)
    .filter((m): m is PodMetrics => m !== undefined);
  return respond({ code: 200, body: req.asTable ? table(items) : list('PodMetricsList', items) });
}

function list(kind: string, items: readonly unknown[]): unknown {
  return { kind, apiVersion: API_VERSION, metadata: {}, items };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What metrics-server's informer listers answer for an object they do not have. */
function listerNotFound(resource: string, name: string): Status {
  return notFound({ ...METRICS_RESOURCES[0]!, resource, group: '' }, name);
}

function metricsNotFound(resource: string, name: string): Status {
  return notFound({ ...METRICS_RESOURCES[0]!, resource }, name);
}

/** Field selectors metrics-server accepts: the object-meta ones. */
function parseMetaFieldSelector(text: string): ((o: KubeObject) => boolean) | string {
  if (text.trim() === '') return () => true;
  const tests: ((o: KubeObject) => boolean)[] = [];
  for (const part of text.split(',')) {
    const m = part.trim().match(/^([A-Za-z.]+)\s*(==|=|!=)\s*(.*)$/);
    if (!m) return `invalid selector: '${text}'; can't understand '${part}'`;
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const get =
      field === 'metadata.name'
        ? (o: KubeObject) => o.metadata.name
        : field === 'metadata.namespace'
          ? (o: KubeObject) => o.metadata.namespace ?? ''
          : undefined;
    // An unknown field matches nothing (the field set has no such key).
    if (!get) tests.push(() => op === '!=');
    else tests.push(op === '!=' ? (o) => get(o) !== value : (o) => get(o) === value);
  }
  return (o) => tests.every((t) => t(o));
}

/** Usage as metrics-server serializes it: CPU in nanocores, memory in bytes (canonical quantities). */
function quantities(u: Usage): { cpu: string; memory: string } {
  return { cpu: cpuQuantity(u.nanocores), memory: memoryQuantity(u.bytes) };
}

/** A DecimalSI quantity of nanocores in canonical form: 0, 5m, 12u, 123456n. */
export function cpuQuantity(nanocores: number): string {
  const n = Math.round(nanocores);
  if (n === 0) return '0';
  if (n % 1_000_000_000 === 0) return String(n / 1_000_000_000);
  if (n % 1_000_000 === 0) return `${n / 1_000_000}m`;
  if (n % 1_000 === 0) return `${n / 1_000}u`;
  return `${n}n`;
}

/** A BinarySI quantity of bytes in canonical form: 0, 3Mi, 5236Ki, 1000. */
export function memoryQuantity(bytes: number): string {
  const b = Math.round(bytes);
  if (b === 0) return '0';
  for (const [unit, size] of [
    ['Ti', 1024 ** 4],
    ['Gi', 1024 ** 3],
    ['Mi', 1024 ** 2],
    ['Ki', 1024],
  ] as const)
    if (b % size === 0) return `${b / size}${unit}`;
  return String(b);
}

/** metrics-server's Table: Name, then one column per resource (sorted), then Window. */
function table(items: readonly (NodeMetrics | PodMetrics)[]): Table {
  const usage = (m: NodeMetrics | PodMetrics): { cpu: number; memory: number } => {
    if (m.kind === 'NodeMetrics') return { cpu: parseCpu(m.usage.cpu), memory: parseMemory(m.usage.memory) };
    let cpu = 0;
    let memory = 0;
    for (const c of m.containers) {
      cpu += parseCpu(c.usage.cpu);
      memory += parseMemory(c.usage.memory);
    }
    return { cpu, memory };
  };
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '' },
    columnDefinitions:
      items.length === 0
        ? []
        : [
            {
              name: 'Name',
              type: 'string',
              format: 'name',
              description: 'Name of the resource',
              priority: 0,
            },
            { name: 'cpu', type: 'string', format: 'quantity', description: '', priority: 0 },
            { name: 'memory', type: 'string', format: 'quantity', description: '', priority: 0 },
            { name: 'Window', type: 'string', format: 'duration', description: '', priority: 0 },
          ],
    rows: items.map((m) => {
      const u = usage(m);
      return {
        cells: [m.metadata.name, cpuQuantity(u.cpu), memoryQuantity(u.memory), m.window],
        object: { metadata: m.metadata },
      };
    }),
  };
}

/** Parses the CPU quantities this server writes, back to nanocores. */
export function parseCpu(q: string): number {
  const m = /^(\d+)(n|u|m)?$/.exec(q);
  if (!m) return 0;
  const scale = { n: 1, u: 1_000, m: 1_000_000, '': 1_000_000_000 }[(m[2] ?? '') as 'n' | 'u' | 'm' | ''];
  return Number(m[1]) * scale;
}

/** Parses the memory quantities this server writes, back to bytes. */
export function parseMemory(q: string): number {
  const m = /^(\d+)(Ki|Mi|Gi|Ti)?$/.exec(q);
  if (!m) return 0;
  const scale = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, '': 1 }[(m[2] ?? '') as 'Ki' | ''];
  return Number(m[1]) * scale;
}
