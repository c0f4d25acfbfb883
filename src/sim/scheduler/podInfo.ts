/**
 * What the scheduler derives from a Pod once (kube-scheduler's framework.PodInfo plus the
 * PreFilter computations that only depend on the pod): resource requests, parsed tolerations,
 * node affinity, topology spread constraints and inter-pod affinity terms. Memoised per pod object
 * (objects are immutable and shared, so the same object always yields the same PodInfo).
 */
import type { Container, PodAffinityTerm, PodObject, Toleration } from '../api/types';
import { milliValue, value } from './quantity';
import {
  canonicalLabels,
  compileLabelSelector,
  compileNodeSelectorTerm,
  type Labels,
  type Matcher,
  selectorFromSet,
} from './selectors';
import { TAINT_NODE_UNSCHEDULABLE, tolerationsTolerateTaint } from './taints';

/** schedutil.DefaultMilliCPURequest: what LeastAllocated assumes for a container with no cpu request. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** schedutil.DefaultMemoryRequest: 200 MiB. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_REGION = 'topology.kubernetes.io/region';

export interface AffinityTerm {
  readonly namespaces: readonly string[];
  readonly selector: Matcher;
  readonly topologyKey: string;
  /** namespaces + selector, canonical (memo key for selector → matching pod groups). */
  readonly key: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: Matcher;
}

export interface PodAffinityInfo {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
}

export interface PodInfo {
  readonly pod: PodObject;
  /** Cache key: the uid, or namespace/name for objects without one. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  /** Actual requests (what NodeResourcesFit's filter and BalancedAllocation use). */
  readonly milliCPU: number;
  readonly memory: number;
  readonly ephemeralStorage: number;
  /** Requests with the 100m / 200Mi defaults for containers that leave them unset (LeastAllocated). */
  readonly nonZeroMilliCPU: number;
  readonly nonZeroMemory: number;
  readonly tolerations: readonly Toleration[];
  readonly toleratesUnschedulable: boolean;
  /** spec.nodeSelector and requiredDuringScheduling node affinity, or null when the pod has neither. */
  readonly requiredNodeAffinity: RequiredNodeAffinity | null;
  readonly preferredNodeAffinity: readonly { readonly weight: number; readonly term: Matcher }[];
  /** True when spec.topologySpreadConstraints is non-empty (then no system defaults apply). */
  readonly hasSpreadConstraints: boolean;
  readonly hardSpread: readonly SpreadConstraint[];
  readonly softSpread: readonly SpreadConstraint[];
  /** Selector for the system default spreading, when the pod belongs to a ReplicaSet/StatefulSet/RC. */
  readonly defaultSpreadSelector: Matcher | null;
  readonly affinity: PodAffinityInfo | null;
  /** Pods with equal group keys are interchangeable for every plugin (same namespace, labels, affinity). */
  readonly groupKey: string;
  readonly terminating: boolean;
  /** Container images, normalised (`:latest` added when untagged). */
  readonly images: readonly string[];
  readonly numContainers: number;
  readonly preemptNever: boolean;
}

export class RequiredNodeAffinity {
  constructor(
    /** spec.nodeSelector pairs, all of which must match. */
    readonly nodeSelector: readonly (readonly [string, string])[],
    /** requiredDuringSchedulingIgnoredDuringExecution terms (ORed), or null when absent. */
    readonly terms: readonly Matcher[] | null,
  ) {}

  matches(labels: Labels | undefined): boolean {
    for (const [k, v] of this.nodeSelector) if (labels?.[k] !== v) return false;
    if (this.terms === null) return true;
    for (const t of this.terms) if (t.matches(labels)) return true;
    return false;
  }
}

type InitContainers = { readonly initContainers?: readonly Container[] };

function containerRequests(c: Container): { cpu?: string; memory?: string; eph?: string } {
  // The API server defaults a missing request to the limit; do the same in case the object skipped it.
  const req = c.resources?.requests;
  const lim = c.resources?.limits;
  return {
    cpu: req?.cpu ?? lim?.cpu,
    memory: req?.memory ?? lim?.memory,
    eph: req?.['ephemeral-storage'] ?? lim?.['ephemeral-storage'],
  };
}

function quantityOr0(parse: (s: string) => number, text: string | undefined): number {
  if (text === undefined) return 0;
  try {
    return parse(text);
  } catch {
    return 0;
  }
}

/** Image name as the kubelet reports it: `:latest` appended when there is no tag. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

function affinityTerm(podNamespace: string, term: PodAffinityTerm): AffinityTerm {
  const namespaces =
    term.namespaces && term.namespaces.length > 0 ? [...term.namespaces].sort() : [podNamespace];
  const selector = compileLabelSelector(term.labelSelector);
  return {
    namespaces,
    selector,
    topologyKey: term.topologyKey,
    key: `${namespaces.join(',')}\u0001${selector.key}`,
  };
}

/** Parses a pod's affinity terms (used for the incoming pod and for existing pods in the cache). */
export function podAffinityInfo(pod: PodObject): PodAffinityInfo | null {
  const a = pod.spec.affinity;
  if (!a || (!a.podAffinity && !a.podAntiAffinity)) return null;
  const ns = pod.metadata.namespace ?? 'default';
  const weighted = (
    terms: readonly { weight: number; podAffinityTerm: PodAffinityTerm }[] | undefined,
  ): WeightedAffinityTerm[] =>
    (terms ?? []).map((t) => ({ ...affinityTerm(ns, t.podAffinityTerm), weight: t.weight }));
  return {
    requiredAffinity: (a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
      affinityTerm(ns, t),
    ),
    requiredAntiAffinity: (a.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
      affinityTerm(ns, t),
    ),
    preferredAffinity: weighted(a.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: weighted(a.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
}

/** Owners whose selector the system default spreading uses (helper.DefaultSelector). */
const SPREAD_OWNER_KINDS = new Set(['ReplicaSet', 'StatefulSet', 'ReplicationController']);

const memo = new WeakMap<PodObject, PodInfo>();

/** The PodInfo for a pod object (computed once per object). */
export function podInfo(pod: PodObject): PodInfo {
  let info = memo.get(pod);
  if (!info) {
    info = computePodInfo(pod);
    memo.set(pod, info);
  }
  return info;
}

function computePodInfo(pod: PodObject): PodInfo {
  const spec = pod.spec;
  const namespace = pod.metadata.namespace ?? 'default';
  const name = pod.metadata.name;
  const labels = pod.metadata.labels ?? {};

  let milliCPU = 0;
  let memory = 0;
  let eph = 0;
  let nzCPU = 0;
  let nzMem = 0;
  for (const c of spec.containers) {
    const r = containerRequests(c);
    const cpu = quantityOr0(milliValue, r.cpu);
    const mem = quantityOr0(value, r.memory);
    milliCPU += cpu;
    memory += mem;
    eph += quantityOr0(value, r.eph);
    nzCPU += r.cpu === undefined ? DEFAULT_MILLI_CPU_REQUEST : cpu;
    nzMem += r.memory === undefined ? DEFAULT_MEMORY_REQUEST : mem;
  }
  // Init containers run one at a time before the app containers: the pod needs the larger of the two.
  for (const c of (spec as InitContainers).initContainers ?? []) {
    const r = containerRequests(c);
    const cpu = quantityOr0(milliValue, r.cpu);
    const mem = quantityOr0(value, r.memory);
    milliCPU = Math.max(milliCPU, cpu);
    memory = Math.max(memory, mem);
    eph = Math.max(eph, quantityOr0(value, r.eph));
    nzCPU = Math.max(nzCPU, r.cpu === undefined ? DEFAULT_MILLI_CPU_REQUEST : cpu);
    nzMem = Math.max(nzMem, r.memory === undefined ? DEFAULT_MEMORY_REQUEST : mem);
  }

  const tolerations = spec.tolerations ?? [];
  const toleratesUnschedulable = tolerationsTolerateTaint(tolerations, {
    key: TAINT_NODE_UNSCHEDULABLE,
    effect: 'NoSchedule',
  });

  const na = spec.affinity?.nodeAffinity;
  const nodeSelector = Object.entries(spec.nodeSelector ?? {});
  const requiredTerms = na?.requiredDuringSchedulingIgnoredDuringExecution
    ? na.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.map((t) =>
        compileNodeSelectorTerm(t.matchExpressions),
      )
    : null;
  const requiredNodeAffinity =
    nodeSelector.length > 0 || requiredTerms !== null
      ? new RequiredNodeAffinity(nodeSelector, requiredTerms)
      : null;
  const preferredNodeAffinity = (na?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
    .filter((p) => p.weight !== 0)
    .map((p) => ({ weight: p.weight, term: compileNodeSelectorTerm(p.preference.matchExpressions) }));

  const tsc = spec.topologySpreadConstraints ?? [];
  const toConstraint = (c: (typeof tsc)[number]): SpreadConstraint => ({
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector: compileLabelSelector(c.labelSelector),
  });
  const hardSpread = tsc.filter((c) => c.whenUnsatisfiable === 'DoNotSchedule').map(toConstraint);
  const softSpread = tsc.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway').map(toConstraint);
  const owned = (pod.metadata.ownerReferences ?? []).some((o) => SPREAD_OWNER_KINDS.has(o.kind));
  // The owner's selector is (for controller-made pods) the template's labels; use the pod's labels.
  const defaultSpreadSelector =
    tsc.length === 0 && owned && Object.keys(labels).length > 0 ? selectorFromSet(labels) : null;

  const affinity = podAffinityInfo(pod);
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const affinityKey = affinity
    ? JSON.stringify([spec.affinity?.podAffinity, spec.affinity?.podAntiAffinity])
    : '';
  const groupKey = `${namespace}\u0001${canonicalLabels(labels)}\u0001${terminating ? 'T' : ''}\u0001${affinityKey}`;

  return {
    pod,
    key: pod.metadata.uid ?? `${namespace}/${name}`,
    namespace,
    name,
    labels,
    milliCPU,
    memory,
    ephemeralStorage: eph,
    nonZeroMilliCPU: nzCPU,
    nonZeroMemory: nzMem,
    tolerations,
    toleratesUnschedulable,
    requiredNodeAffinity,
    preferredNodeAffinity,
    hasSpreadConstraints: tsc.length > 0,
    hardSpread,
    softSpread,
    defaultSpreadSelector,
    affinity,
    groupKey,
    terminating,
    images: [...((spec as InitContainers).initContainers ?? []), ...spec.containers].map((c) =>
      normalizedImageName(c.image),
    ),
    numContainers: spec.containers.length + ((spec as InitContainers).initContainers?.length ?? 0),
    preemptNever: spec.preemptionPolicy === 'Never',
  };
}
