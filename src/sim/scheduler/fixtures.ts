/**
 * Builders for Node and Pod objects shaped like the cluster's, for tests and the scheduler
 * benchmark. Only the fields the scheduler reads are filled in.
 */
import type {
  Affinity,
  NodeObject,
  OwnerReference,
  PodObject,
  Taint,
  Toleration,
  TopologySpreadConstraint,
} from '../api/types';
import type { NodeImage } from './cache';

export interface NodeSpec {
  readonly name: string;
  readonly zone?: string;
  /** Allocatable cpu, e.g. "4" or "3500m". */
  readonly cpu?: string;
  /** Allocatable memory, e.g. "8Gi" or "7934550Ki". */
  readonly memory?: string;
  readonly pods?: string;
  readonly ephemeralStorage?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly taints?: readonly Taint[];
  readonly unschedulable?: boolean;
  readonly images?: readonly NodeImage[];
}

export function makeNode(spec: NodeSpec): NodeObject {
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': spec.name,
    'kubernetes.io/os': 'linux',
    ...(spec.zone ? { 'topology.kubernetes.io/zone': spec.zone } : {}),
    ...spec.labels,
  };
  const allocatable: Record<string, string> = {
    cpu: spec.cpu ?? '4',
    memory: spec.memory ?? '8Gi',
    pods: spec.pods ?? '110',
    ...(spec.ephemeralStorage ? { 'ephemeral-storage': spec.ephemeralStorage } : {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: spec.name, labels },
    spec: {
      ...(spec.taints ? { taints: spec.taints } : {}),
      ...(spec.unschedulable ? { unschedulable: true } : {}),
    },
    status: {
      capacity: allocatable,
      allocatable,
      conditions: [],
      addresses: [],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {},
      ...(spec.images ? { images: spec.images } : {}),
    } as NodeObject['status'],
  };
}

export interface PodSpecInput {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  /** cpu request; omit for none. */
  readonly cpu?: string;
  readonly memory?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Makes the pod owned by this ReplicaSet (which turns on the default spreading). */
  readonly replicaSet?: string;
  readonly nodeName?: string;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly affinity?: Affinity;
  readonly tolerations?: readonly Toleration[];
  readonly topologySpreadConstraints?: readonly TopologySpreadConstraint[];
  readonly image?: string;
  readonly images?: readonly string[];
  readonly deleting?: boolean;
  readonly preemptionPolicy?: string;
}

export function makePod(p: PodSpecInput): PodObject {
  const namespace = p.namespace ?? 'default';
  const requests: Record<string, string> = {
    ...(p.cpu ? { cpu: p.cpu } : {}),
    ...(p.memory ? { memory: p.memory } : {}),
  };
  const owner: OwnerReference[] | undefined = p.replicaSet
    ? [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: p.replicaSet,
          uid: `rs-${p.replicaSet}`,
          controller: true,
        },
      ]
    : undefined;
  const images = p.images ?? [p.image ?? 'nginx:1.27'];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace,
      uid: p.uid ?? `uid-${namespace}-${p.name}`,
      ...(p.labels ? { labels: p.labels } : {}),
      ...(owner ? { ownerReferences: owner } : {}),
      ...(p.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
    },
    spec: {
      containers: images.map((image, i) => ({
        name: i === 0 ? 'app' : `app-${i}`,
        image,
        ...(i === 0 && Object.keys(requests).length > 0 ? { resources: { requests } } : {}),
      })),
      ...(p.nodeName ? { nodeName: p.nodeName } : {}),
      ...(p.nodeSelector ? { nodeSelector: p.nodeSelector } : {}),
      ...(p.affinity ? { affinity: p.affinity } : {}),
      ...(p.tolerations ? { tolerations: p.tolerations } : {}),
      ...(p.topologySpreadConstraints ? { topologySpreadConstraints: p.topologySpreadConstraints } : {}),
      ...(p.preemptionPolicy ? { preemptionPolicy: p.preemptionPolicy } : {}),
    },
  };
}

/** The taint kubeadm puts on control-plane nodes. */
export const CONTROL_PLANE_TAINT: Taint = {
  key: 'node-role.kubernetes.io/control-plane',
  effect: 'NoSchedule',
};

/** The tolerations the DefaultTolerationSeconds admission plugin adds to every pod. */
export const DEFAULT_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];
