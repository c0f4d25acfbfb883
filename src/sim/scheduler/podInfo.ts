/**
 * What the scheduler derives from a Pod once (kube-scheduler's framework.PodInfo plus the
 * PreFilter computations that only depend on the pod): resource requests, parsed tolerations,
 * node affinity, topology spread constraints and inter-pod affinity terms. Memoised per pod object
 * (objects are immutable and shared, so the same object always yields the same PodInfo).
 */
import type {
  Container,
  NodeSelectorRequirement,
  PodAffinityTerm,
  PodObject,
  Toleration,
} from '../api/types';
import { milliValue, value } from './quantity';
import {
  canonicalLabels,
  compileLabelSelector,
  compileNodeSelectorTerm,
  EVERYTHING,
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
  readonly hostname: boolean;
  /** Memo key for selector → matching pod groups (namespace + selector, terminating pods skipped). */
  readonly memoKey: string;
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
  /** [namespace], shared. */
  readonly namespaces: readonly string[];
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
  /**
   * The system default constraints (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway) with the
   * owner's selector, when the pod has no constraints of its own and belongs to a
   * ReplicaSet/StatefulSet/ReplicationController; otherwise null. Shared between pods of one owner.
   */
  readonly defaultSpread: readonly SpreadConstraint[] | null;
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
  /**
   * NodeAffinity's PreFilterResult: when every term names nodes by `matchFields metadata.name In`
   * (a DaemonSet's pods), the union of those names; only these nodes are evaluated. Else null.
   */
  readonly nodeNames: ReadonlySet<string> | null;

  constructor(
    /** spec.nodeSelector pairs, all of which must match. */
    readonly nodeSelector: readonly (readonly [string, string])[],
    /** requiredDuringSchedulingIgnoredDuringExecution terms (ORed), or null when absent. */
    readonly terms: readonly Matcher[] | null,
    /** Per term, its matchFields on the node's name (ANDed with the term's expressions), or null. */
    readonly fieldTerms: readonly (FieldMatcher | null)[] | null = null,
  ) {
    this.nodeNames = prefilterNodeNames(fieldTerms);
  }

  matches(labels: Labels | undefined, nodeName?: string): boolean {
    for (const [k, v] of this.nodeSelector) if (labels?.[k] !== v) return false;
    if (this.terms === null) return true;
    for (let i = 0; i < this.terms.length; i++) {
      if (!this.terms[i]!.matches(labels)) continue;
      const f = this.fieldTerms?.[i];
      if (!f || (nodeName !== undefined && f.matches(nodeName))) return true;
    }
    return false;
  }
}

/** A NodeSelectorTerm's matchFields (only `metadata.name`, In / NotIn), ANDed. */
export interface FieldMatcher {
  /** The names every `In` requirement allows (intersected), or null when no `In` names them. */
  readonly names: ReadonlySet<string> | null;
  matches(nodeName: string): boolean;
}

function compileFieldTerm(fields: readonly NodeSelectorRequirement[] | undefined): FieldMatcher | null {
  if (!fields || fields.length === 0) return null;
  let names: Set<string> | null = null;
  const tests: ((n: string) => boolean)[] = [];
  for (const r of fields) {
    const values = r.values ?? [];
    if (r.key !== 'metadata.name') tests.push(() => false);
    else if (r.operator === 'In') {
      const s = new Set(values);
      names = names === null ? s : new Set([...(names as Set<string>)].filter((n) => s.has(n)));
      tests.push((n) => s.has(n));
    } else if (r.operator === 'NotIn') tests.push((n) => !values.includes(n));
    else tests.push(() => false);
  }
  return { names, matches: (n) => tests.every((t) => t(n)) };
}

function prefilterNodeNames(fieldTerms: readonly (FieldMatcher | null)[] | null): ReadonlySet<string> | null {
  if (!fieldTerms || fieldTerms.length === 0) return null;
  const out = new Set<string>();
  for (const f of fieldTerms) {
    if (!f?.names) return null; // a term without a name: every node may match
    for (const n of f.names) out.add(n);
  }
  return out;
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
    key: `A\u0001${namespaces.join(',')}\u0001${selector.key}`,
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

const EMPTY: readonly never[] = Object.freeze([]);
const EMPTY_LABELS: Labels = Object.freeze({});

/** Bounded string/array interning: pods of one ReplicaSet share their keys instead of each holding a copy. */
const INTERN_LIMIT = 8192;
const interned = new Map<string, string>();
function intern(s: string): string {
  const hit = interned.get(s);
  if (hit !== undefined) return hit;
  if (interned.size >= INTERN_LIMIT) interned.clear();
  interned.set(s, s);
  return s;
}

const namespaceLists = new Map<string, readonly string[]>();
function namespaceList(namespace: string): readonly string[] {
  let l = namespaceLists.get(namespace);
  if (!l) {
    if (namespaceLists.size >= INTERN_LIMIT) namespaceLists.clear();
    l = [namespace];
    namespaceLists.set(namespace, l);
  }
  return l;
}

const imageLists = new Map<string, readonly string[]>();
function podImages(
  containers: readonly Container[],
  init: readonly Container[] | undefined,
): readonly string[] {
  if (containers.length === 1 && !init?.length) {
    const image = containers[0]!.image;
    let list = imageLists.get(image);
    if (!list) {
      if (imageLists.size >= INTERN_LIMIT) imageLists.clear();
      list = [normalizedImageName(image)];
      imageLists.set(image, list);
    }
    return list;
  }
  return [...(init ?? []), ...containers].map((c) => normalizedImageName(c.image));
}

function spreadConstraint(
  namespace: string,
  maxSkew: number,
  topologyKey: string,
  selector: Matcher,
): SpreadConstraint {
  return {
    maxSkew,
    topologyKey,
    selector,
    hostname: topologyKey === LABEL_HOSTNAME,
    memoKey: `T\u0001${namespace}\u0001${selector.key}`,
  };
}

/** podtopologyspread's systemDefaultConstraints, with the owner's selector; shared per (namespace, labels). */
const defaultSpreads = new Map<string, Map<string, readonly SpreadConstraint[]>>();
function systemDefaultSpread(namespace: string, labels: Labels, canon: string): readonly SpreadConstraint[] {
  let byLabels = defaultSpreads.get(namespace);
  if (!byLabels) {
    if (defaultSpreads.size >= INTERN_LIMIT) defaultSpreads.clear();
    byLabels = new Map();
    defaultSpreads.set(namespace, byLabels);
  }
  let d = byLabels.get(canon);
  if (!d) {
    const selector = selectorFromSet(labels);
    d = [
      spreadConstraint(namespace, 3, LABEL_HOSTNAME, selector),
      spreadConstraint(namespace, 5, LABEL_ZONE, selector),
    ];
    if (byLabels.size >= INTERN_LIMIT) byLabels.clear();
    byLabels.set(canon, d);
  }
  return d;
}

/** The cache key of a pod: its uid, or namespace/name for objects without one. */
export function podKey(pod: PodObject): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

/**
 * Recently used PodInfos, one per pod (by cache key), for its latest object. Bounded rather than a
 * WeakMap over every pod object: a PodInfo is needed while a pod is scheduled and placed, and the
 * cache keeps only the numbers it needs afterwards, so 150,000 bound pods do not each keep a
 * PodInfo alive. Keyed by pod rather than by object, so the versions of one pod (a crash loop
 * writes a few every restart) do not pile up until the memo rolls over.
 */
const MEMO_LIMIT = 2048;
let memo = new Map<string, PodInfo>();
let previous = new Map<string, PodInfo>();

/** The PodInfo for a pod object (memoised for recently seen objects; objects are immutable). */
export function podInfo(pod: PodObject): PodInfo {
  const key = podKey(pod);
  const hit = memo.get(key);
  if (hit?.pod === pod) return hit;
  const old = previous.get(key);
  const info = old?.pod === pod ? old : computePodInfo(pod);
  if (!hit && memo.size >= MEMO_LIMIT) {
    previous = memo;
    memo = new Map();
  }
  memo.set(key, info);
  return info;
}

function computePodInfo(pod: PodObject): PodInfo {
  const spec = pod.spec;
  const namespace = pod.metadata.namespace ?? 'default';
  const name = pod.metadata.name;
  const labels = pod.metadata.labels ?? EMPTY_LABELS;

  let milliCPU = 0;
  let memory = 0;
  let eph = 0;
  let nzCPU = 0;
  let nzMem = 0;
  for (const c of spec.containers) {
    // The API server defaults a missing request to the limit; do the same in case the object skipped it.
    const req = c.resources?.requests;
    const lim = c.resources?.limits;
    const cpuText = req?.cpu ?? lim?.cpu;
    const memText = req?.memory ?? lim?.memory;
    const cpu = quantityOr0(milliValue, cpuText);
    const mem = quantityOr0(value, memText);
    milliCPU += cpu;
    memory += mem;
    eph += quantityOr0(value, req?.['ephemeral-storage'] ?? lim?.['ephemeral-storage']);
    nzCPU += cpuText === undefined ? DEFAULT_MILLI_CPU_REQUEST : cpu;
    nzMem += memText === undefined ? DEFAULT_MEMORY_REQUEST : mem;
  }
  // Init containers run one at a time before the app containers: the pod needs the larger of the two.
  for (const c of (spec as InitContainers).initContainers ?? EMPTY) {
    const r = containerRequests(c);
    const cpu = quantityOr0(milliValue, r.cpu);
    const mem = quantityOr0(value, r.memory);
    milliCPU = Math.max(milliCPU, cpu);
    memory = Math.max(memory, mem);
    eph = Math.max(eph, quantityOr0(value, r.eph));
    nzCPU = Math.max(nzCPU, r.cpu === undefined ? DEFAULT_MILLI_CPU_REQUEST : cpu);
    nzMem = Math.max(nzMem, r.memory === undefined ? DEFAULT_MEMORY_REQUEST : mem);
  }

  const tolerations = spec.tolerations ?? EMPTY;
  const toleratesUnschedulable = tolerationsTolerateTaint(tolerations, {
    key: TAINT_NODE_UNSCHEDULABLE,
    effect: 'NoSchedule',
  });

  const na = spec.affinity?.nodeAffinity;
  const nodeSelector = spec.nodeSelector ? Object.entries(spec.nodeSelector) : EMPTY;
  const rawTerms = na?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  // A term with only matchFields has no expressions: it matches every label set.
  const requiredTerms = rawTerms
    ? rawTerms.map((t) =>
        t.matchFields?.length && !t.matchExpressions?.length
          ? EVERYTHING
          : compileNodeSelectorTerm(t.matchExpressions),
      )
    : null;
  const fieldTerms = rawTerms?.some((t) => t.matchFields?.length)
    ? rawTerms.map((t) => compileFieldTerm(t.matchFields))
    : null;
  const requiredNodeAffinity =
    nodeSelector.length > 0 || requiredTerms !== null
      ? new RequiredNodeAffinity(nodeSelector, requiredTerms, fieldTerms)
      : null;
  const preferredTerms = na?.preferredDuringSchedulingIgnoredDuringExecution;
  const preferredNodeAffinity = preferredTerms
    ? preferredTerms
        .filter((p) => p.weight !== 0)
        .map((p) => ({ weight: p.weight, term: compileNodeSelectorTerm(p.preference.matchExpressions) }))
    : EMPTY;

  const tsc = spec.topologySpreadConstraints;
  let hardSpread: readonly SpreadConstraint[] = EMPTY;
  let softSpread: readonly SpreadConstraint[] = EMPTY;
  if (tsc && tsc.length > 0) {
    const toConstraint = (c: (typeof tsc)[number]): SpreadConstraint =>
      spreadConstraint(namespace, c.maxSkew, c.topologyKey, compileLabelSelector(c.labelSelector));
    hardSpread = tsc.filter((c) => c.whenUnsatisfiable === 'DoNotSchedule').map(toConstraint);
    softSpread = tsc.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway').map(toConstraint);
  }
  const canon = canonicalLabels(labels);
  let owned = false;
  for (const o of pod.metadata.ownerReferences ?? EMPTY) if (SPREAD_OWNER_KINDS.has(o.kind)) owned = true;
  // The owner's selector is (for controller-made pods) the template's labels; use the pod's labels.
  const defaultSpread =
    !tsc?.length && owned && canon !== '' ? systemDefaultSpread(namespace, labels, canon) : null;

  const affinity = podAffinityInfo(pod);
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const affinityKey = affinity
    ? JSON.stringify([spec.affinity?.podAffinity, spec.affinity?.podAntiAffinity])
    : '';
  const groupKey = intern(`${namespace}\u0001${canon}\u0001${terminating ? 'T' : ''}\u0001${affinityKey}`);

  return {
    pod,
    key: podKey(pod),
    namespace,
    namespaces: namespaceList(namespace),
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
    hasSpreadConstraints: (tsc?.length ?? 0) > 0,
    hardSpread,
    softSpread,
    defaultSpread,
    affinity,
    groupKey,
    terminating,
    images: podImages(spec.containers, (spec as InitContainers).initContainers),
    numContainers: spec.containers.length + ((spec as InitContainers).initContainers?.length ?? 0),
    preemptNever: spec.preemptionPolicy === 'Never',
  };
}
