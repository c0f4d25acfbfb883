/**
 * The API resources this cluster serves, as discovery describes them. One entry per resource;
 * the etcd prefix is the one kube-apiserver really uses (nodes live under /registry/minions).
 */
export interface ResourceInfo {
  readonly resource: string;
  readonly singular: string;
  readonly kind: string;
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly verbs: readonly string[];
  readonly etcdPrefix: string;
  readonly categories?: readonly string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: readonly ResourceInfo[] = [
  {
    resource: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['cm'],
    verbs: ALL_VERBS,
    etcdPrefix: '/registry/configmaps',
  },
  {
    resource: 'endpoints',
    singular: 'endpoints',
    kind: 'Endpoints',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['ep'],
    verbs: ALL_VERBS,
    etcdPrefix: '/registry/services/endpoints',
  },
  {
    resource: 'events',
    singular: 'event',
    kind: 'Event',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['ev'],
    verbs: ALL_VERBS,
    etcdPrefix: '/registry/events',
  },
  {
    resource: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    group: '',
    version: 'v1',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    etcdPrefix: '/registry/namespaces',
  },
  {
    resource: 'nodes',
    singular: 'node',
    kind: 'Node',
    group: '',
    version: 'v1',
    namespaced: false,
    shortNames: ['no'],
    verbs: ALL_VERBS,
    etcdPrefix: '/registry/minions',
  },
  {
    resource: 'pods',
    singular: 'pod',
    kind: 'Pod',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['po'],
    verbs: ALL_VERBS,
    etcdPrefix: '/registry/pods',
    categories: ['all'],
  },
  {
    resource: 'secrets',
    singular: 'secret',
    kind: 'Secret',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: [],
    verbs: ALL_VERBS,
    etcdPrefix: '/registry/secrets',
  },
  {
    resource: 'serviceaccounts',
    singular: 'serviceaccount',
    kind: 'ServiceAccount',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['sa'],
    verbs: ALL_VERBS,
    etcdPrefix: '/registry/serviceaccounts',
  },
  {
    resource: 'services',
    singular: 'service',
    kind: 'Service',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['svc'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    etcdPrefix: '/registry/services/specs',
    categories: ['all'],
  },
  {
    resource: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['ds'],
    verbs: ALL_VERBS,
    etcdPrefix: '/registry/daemonsets',
    categories: ['all'],
  },
  {
    resource: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['deploy'],
    verbs: ALL_VERBS,
    etcdPrefix: '/registry/deployments',
    categories: ['all'],
  },
  {
    resource: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['rs'],
    verbs: ALL_VERBS,
    etcdPrefix: '/registry/replicasets',
    categories: ['all'],
  },
  {
    resource: 'cronjobs',
    singular: 'cronjob',
    kind: 'CronJob',
    group: 'batch',
    version: 'v1',
    namespaced: true,
    shortNames: ['cj'],
    verbs: ALL_VERBS,
    etcdPrefix: '/registry/cronjobs',
    categories: ['all'],
  },
  {
    resource: 'jobs',
    singular: 'job',
    kind: 'Job',
    group: 'batch',
    version: 'v1',
    namespaced: true,
    shortNames: [],
    verbs: ALL_VERBS,
    etcdPrefix: '/registry/jobs',
    categories: ['all'],
  },
  {
    resource: 'endpointslices',
    singular: 'endpointslice',
    kind: 'EndpointSlice',
    group: 'discovery.k8s.io',
    version: 'v1',
    namespaced: true,
    shortNames: [],
    verbs: ALL_VERBS,
    etcdPrefix: '/registry/endpointslices',
  },
  {
    resource: 'leases',
    singular: 'lease',
    kind: 'Lease',
    group: 'coordination.k8s.io',
    version: 'v1',
    namespaced: true,
    shortNames: [],
    verbs: ALL_VERBS,
    etcdPrefix: '/registry/leases',
  },
];

export function apiVersionOf(info: ResourceInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

/** `resource[.group]`, as error messages name a resource: `nodes`, `leases.coordination.k8s.io`. */
export function qualifiedResource(info: ResourceInfo): string {
  return info.group === '' ? info.resource : `${info.resource}.${info.group}`;
}

/** Resolves what a user typed (`no`, `node`, `nodes`, `Node`, `leases.coordination.k8s.io`). */
export function findResource(typed: string): ResourceInfo | undefined {
  const t = typed.toLowerCase();
  return RESOURCES.find(
    (r) =>
      r.resource === t ||
      r.singular === t ||
      r.kind.toLowerCase() === t ||
      r.shortNames.includes(t) ||
      qualifiedResource(r) === t ||
      `${r.singular}.${r.group}` === t,
  );
}

export function resourceByName(resource: string): ResourceInfo {
  const info = RESOURCES.find((r) => r.resource === resource);
  if (!info) throw new Error(`unknown resource ${resource}`);
  return info;
}

export function etcdKey(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return info.namespaced ? `${info.etcdPrefix}/${namespace}/${name}` : `${info.etcdPrefix}/${name}`;
}
