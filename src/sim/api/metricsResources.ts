import type { ResourceInfo } from './resources';

/**
 * The resource metrics API (metrics.k8s.io/v1beta1) that metrics-server adds to the cluster
 * through API aggregation: NodeMetrics and PodMetrics, computed when read, never stored. Discovery
 * lists them (so `kubectl api-resources` shows them and `kubectl top` finds the API), as on any
 * cluster with metrics-server installed.
 */
export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';

export const METRICS_RESOURCES: readonly ResourceInfo[] = [
  {
    resource: 'nodes',
    singular: '',
    kind: 'NodeMetrics',
    group: METRICS_GROUP,
    version: METRICS_VERSION,
    namespaced: false,
    shortNames: [],
    verbs: ['get', 'list'],
    etcdPrefix: '',
  },
  {
    resource: 'pods',
    singular: '',
    kind: 'PodMetrics',
    group: METRICS_GROUP,
    version: METRICS_VERSION,
    namespaced: true,
    shortNames: [],
    verbs: ['get', 'list'],
    etcdPrefix: '',
  },
];

/**
 * Requests name a metrics resource by its qualified name (`pods.metrics.k8s.io`), since a
 * request's `resource` alone (`pods`) means the core group. Returns `nodes`/`pods`, or undefined
 * for any other resource.
 */
export function metricsResourceOf(requestResource: string): 'nodes' | 'pods' | undefined {
  if (requestResource === `nodes.${METRICS_GROUP}`) return 'nodes';
  if (requestResource === `pods.${METRICS_GROUP}`) return 'pods';
  return undefined;
}
