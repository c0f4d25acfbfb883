/**
 * The scheduler cache (kube-scheduler's internal/cache + its Snapshot, merged): per-node aggregates
 * kept incrementally as nodes and pods come and go, so a scheduling cycle never rescans every pod.
 *
 * Nodes live in slots of struct-of-arrays typed arrays (allocatable, requested, non-zero requested,
 * pod count), with parsed labels, taints and images beside them. Pods are grouped by
 * (namespace, labels, terminating, inter-pod affinity): pods of one ReplicaSet share a group, and a
 * group counts its pods per node. PodTopologySpread and InterPodAffinity ask "how many pods matching
 * this selector per node / per topology domain": they resolve the selector to the few groups it
 * matches (memoised) and walk those groups' per-node counts.
 *
 * Pods are counted as soon as they are *assumed* on a node (as kube-scheduler does between choosing
 * a node and the bind landing); the informer's add of the bound pod then confirms the assumption.
 *
 * Node order for round-robin sampling follows kube-scheduler's nodeTree: zones in the order they
 * first appeared, nodes interleaved across zones (zone-a[0], zone-b[0], zone-c[0], zone-a[1], …).
 */
import type { NodeObject, PodObject, Taint } from '../api/types';
import { LABEL_REGION, LABEL_ZONE, type PodAffinityInfo, type PodInfo, podInfo, podKey } from './podInfo';
import { milliValue, value } from './quantity';
import type { Labels, Matcher } from './selectors';

/** One entry of node.status.images. */
export interface NodeImage {
  readonly names: readonly string[];
  readonly sizeBytes: number;
}

/**
 * Pods that are interchangeable for every plugin: same namespace, labels, terminating flag and
 * affinity. Counts its pods per node in dense arrays (iterate `slots[0..size)` / `counts[0..size)`),
 * so plugins walk them without allocating.
 */
export class PodGroup {
  /** Node slots hosting at least one pod of the group (first `size` entries). */
  slots = new Int32Array(4);
  /** Pods of the group on `slots[i]`. */
  counts = new Int32Array(4);
  size = 0;
  total = 0;
  readonly hasRequiredAntiAffinity: boolean;
  private readonly pos = new Map<number, number>();

  constructor(
    readonly id: number,
    readonly key: string,
    readonly namespace: string,
    readonly labels: Labels,
    readonly terminating: boolean,
    readonly affinity: PodAffinityInfo | null,
  ) {
    this.hasRequiredAntiAffinity = (affinity?.requiredAntiAffinity.length ?? 0) > 0;
  }

  /**
   * Pods per node slot, for a group on many nodes (a big ReplicaSet), whose counts are read per
   * scored node: an array lookup instead of a map's. Built on the first such read.
   */
  private dense: Int32Array | undefined;

  /** Pods per domain of one topology key (over live nodes), kept up to date while that index lasts. */
  private byDomain: { index: DomainIndex; live: Uint8Array; counts: Float64Array } | undefined;

  /**
   * The group's pods per domain id of `index` (a node without the key counts as `emptyId`), over
   * nodes live in `live`. A new index (nodes or labels changed) or liveness array recounts.
   */
  domainCounts(index: DomainIndex, live: Uint8Array): Float64Array {
    const hit = this.byDomain;
    if (hit && hit.index === index && hit.live === live) return hit.counts;
    const counts = new Float64Array(index.size);
    const { ids, emptyId } = index;
    for (let e = 0; e < this.size; e++) {
      const s = this.slots[e]!;
      if (live[s] === 0) continue;
      const raw = s < ids.length ? ids[s]! : -1;
      counts[raw < 0 ? emptyId : raw]! += this.counts[e]!;
    }
    this.byDomain = { index, live, counts };
    return counts;
  }

  /** Keeps `byDomain` current as a pod comes (+1) or goes (−1); an unknown slot drops it. */
  private countDomain(slot: number, delta: number): void {
    const d = this.byDomain;
    if (!d) return;
    if (slot >= d.index.ids.length || slot >= d.live.length) {
      this.byDomain = undefined;
      return;
    }
    if (d.live[slot] === 0) return;
    const raw = d.index.ids[slot]!;
    d.counts[raw < 0 ? d.index.emptyId : raw]! += delta;
  }

  /** Pods of the group on a node slot. */
  countOn(slot: number): number {
    if (this.dense) return slot < this.dense.length ? this.dense[slot]! : 0;
    if (this.size > DENSE_GROUP_SIZE) {
      let max = 0;
      for (let i = 0; i < this.size; i++) max = Math.max(max, this.slots[i]!);
      this.dense = new Int32Array(max + 1);
      for (let i = 0; i < this.size; i++) this.dense[this.slots[i]!] = this.counts[i]!;
      return this.countOn(slot);
    }
    const i = this.pos.get(slot);
    return i === undefined ? 0 : this.counts[i]!;
  }

  add(slot: number): void {
    this.total++;
    this.countDomain(slot, 1);
    if (this.dense) {
      if (slot >= this.dense.length) this.dense = grow(this.dense, Math.max(slot + 1, this.dense.length * 2));
      this.dense[slot]!++;
    }
    const i = this.pos.get(slot);
    if (i !== undefined) {
      this.counts[i]!++;
      return;
    }
    if (this.size === this.slots.length) {
      this.slots = grow(this.slots, this.size * 2);
      this.counts = grow(this.counts, this.size * 2);
    }
    this.slots[this.size] = slot;
    this.counts[this.size] = 1;
    this.pos.set(slot, this.size++);
  }

  remove(slot: number): void {
    const i = this.pos.get(slot);
    if (i === undefined) return;
    this.total--;
    this.countDomain(slot, -1);
    if (this.dense) this.dense[slot]!--;
    if (--this.counts[i]! > 0) return;
    // Swap the last entry into the hole.
    const last = --this.size;
    this.pos.delete(slot);
    if (i !== last) {
      const moved = this.slots[last]!;
      this.slots[i] = moved;
      this.counts[i] = this.counts[last]!;
      this.pos.set(moved, i);
    }
  }
}

/** Above this many nodes, a group keeps its per-node counts in a dense array too (see countOn). */
const DENSE_GROUP_SIZE = 64;

/**
 * Topology domains of one label key: a dense id per distinct value, per node slot, so plugins can
 * count per domain in typed arrays instead of string-keyed maps.
 */
export interface DomainIndex {
  readonly key: string;
  /** Domain id per slot; −1 when the node lacks the label or the slot has no Node. */
  readonly ids: Int32Array;
  readonly values: readonly string[];
  /**
   * The id a missing label counts as when "missing" means the value "" (system default spreading,
   * where kube-scheduler reads `node.Labels[key]`): the id of value "" if some node has it, else
   * `values.length`.
   */
  readonly emptyId: number;
  /** `values.length + 1`: array size that leaves room for `emptyId`. */
  readonly size: number;
  /** Live nodes without the label. */
  readonly missing: number;
}

/** What the cache keeps per pod: its accounting, not the pod (a few numbers and two references). */
class CachedPod {
  constructor(
    readonly slot: number,
    readonly group: PodGroup,
    readonly milliCPU: number,
    readonly memory: number,
    readonly ephemeralStorage: number,
    readonly nonZeroMilliCPU: number,
    readonly nonZeroMemory: number,
    public assumed: boolean,
  ) {}

  sameAccounting(info: PodInfo): boolean {
    return (
      this.group.key === info.groupKey &&
      this.milliCPU === info.milliCPU &&
      this.memory === info.memory &&
      this.ephemeralStorage === info.ephemeralStorage &&
      this.nonZeroMilliCPU === info.nonZeroMilliCPU &&
      this.nonZeroMemory === info.nonZeroMemory
    );
  }
}

/** A read-only view of one node's aggregates (for inspection and tests). */
export interface NodeInfoView {
  readonly name: string;
  readonly allocatable: {
    readonly milliCPU: number;
    readonly memory: number;
    readonly ephemeralStorage: number;
    readonly pods: number;
  };
  readonly requested: {
    readonly milliCPU: number;
    readonly memory: number;
    readonly ephemeralStorage: number;
  };
  readonly nonZeroRequested: { readonly milliCPU: number; readonly memory: number };
  readonly podCount: number;
}

const EMPTY_LABELS: Labels = Object.freeze({});

function quantityOr0(parse: (s: string) => number, text: string | undefined): number {
  if (text === undefined) return 0;
  try {
    return parse(text);
  } catch {
    return 0;
  }
}

function sameLabels(a: Labels, b: Labels): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

export class SchedulerCache {
  // ---- nodes, by slot ----
  private cap = 0;
  /** Node name per slot ('' for a free slot). */
  readonly names: string[] = [];
  /** The Node object per slot; undefined for a placeholder (pods bound to a node not (yet) known). */
  readonly nodes: (NodeObject | undefined)[] = [];
  readonly labels: Labels[] = [];
  allocMilliCPU = new Float64Array(0);
  allocMemory = new Float64Array(0);
  allocEphemeral = new Float64Array(0);
  allowedPods = new Int32Array(0);
  reqMilliCPU = new Float64Array(0);
  reqMemory = new Float64Array(0);
  reqEphemeral = new Float64Array(0);
  nonZeroMilliCPU = new Float64Array(0);
  nonZeroMemory = new Float64Array(0);
  podCount = new Int32Array(0);
  unschedulable = new Uint8Array(0);
  /**
   * Bumped whenever anything about the node's aggregates changes (a pod placed or removed, the
   * node updated): plugins may memoise per-node scores keyed by (version, pod requests).
   */
  nodeVersion = new Int32Array(0);
  /** 1 for slots holding a Node object (0 for free slots and placeholders). */
  liveSlots = new Uint8Array(0);
  /** Live nodes with spec.unschedulable. */
  numUnschedulable = 0;
  /** Live nodes with at least one NoSchedule/NoExecute taint. */
  numNodesWithHardTaints = 0;
  /** NoSchedule and NoExecute taints in node order (what the TaintToleration filter checks), or null. */
  readonly hardTaints: (readonly Taint[] | null)[] = [];
  /** PreferNoSchedule taints (what the TaintToleration score counts), or null. */
  readonly preferTaints: (readonly Taint[] | null)[] = [];
  /** Image name → size in bytes, per slot (every name of every image), or null. */
  readonly images: (ReadonlyMap<string, number> | null)[] = [];
  private readonly slotByName = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private readonly zoneOfSlot: string[] = [];
  /** nodeTree: zone → slots in insertion order; zones in order of first appearance. */
  private readonly tree = new Map<string, number[]>();
  private order = new Int32Array(0);
  private orderDirty = false;
  /** Number of nodes with a Node object. */
  private liveCount = 0;
  /** Nodes with at least one PreferNoSchedule taint. */
  numNodesWithPreferNoSchedule = 0;
  /** Image name → number of nodes that have it (ImageStateSummary.NumNodes). */
  readonly imageNumNodes = new Map<string, number>();

  // ---- pods ----
  private readonly pods = new Map<string, CachedPod>();
  private readonly groupsByKey = new Map<string, PodGroup>();
  /** Every group (some may be empty). */
  readonly groups: PodGroup[] = [];
  /** Groups whose pods have pod affinity or anti-affinity (kube-scheduler's PodsWithAffinity). */
  readonly affinityGroups: PodGroup[] = [];
  /** Bumped when the group list changes; invalidates selector → groups memos. */
  groupsVersion = 0;
  numPodsWithAffinity = 0;
  numPodsWithRequiredAntiAffinity = 0;
  private readonly selectorMemo = new Map<string, { version: number; groups: readonly PodGroup[] }>();
  private nextGroupId = 0;
  /** Bumped when any node's labels (or the node set) change; invalidates domain indexes. */
  private labelsVersion = 0;
  private readonly domainMemo = new Map<string, { version: number; index: DomainIndex }>();

  // ================= nodes =================

  /** Number of nodes the scheduler can place pods on (nodes with a Node object). */
  get numNodes(): number {
    return this.liveCount;
  }

  /** Slot capacity: every slot index is below this. */
  get capacity(): number {
    return this.cap;
  }

  slotOf(name: string): number | undefined {
    return this.slotByName.get(name);
  }

  /** Slots of the known nodes in nodeTree order (zones interleaved). Do not mutate. */
  nodeOrder(): Int32Array {
    if (this.orderDirty) this.rebuildOrder();
    return this.order;
  }

  /** Adds or updates a node. `images` overrides node.status.images (optional input). */
  updateNode(node: NodeObject, images?: readonly NodeImage[]): void {
    const name = node.metadata.name;
    let slot = this.slotByName.get(name);
    if (slot === undefined) slot = this.newSlot(name);
    const wasLive = this.nodes[slot] !== undefined;
    this.nodes[slot] = node;
    this.liveSlots[slot] = 1;
    const labels = node.metadata.labels ?? EMPTY_LABELS;
    if (!sameLabels(this.labels[slot] ?? EMPTY_LABELS, labels) || !wasLive) this.labelsVersion++;
    this.labels[slot] = labels;
    const alloc = node.status?.allocatable ?? {};
    this.allocMilliCPU[slot] = quantityOr0(milliValue, alloc.cpu);
    this.allocMemory[slot] = quantityOr0(value, alloc.memory);
    this.allocEphemeral[slot] = quantityOr0(value, alloc['ephemeral-storage']);
    this.allowedPods[slot] = quantityOr0(value, alloc.pods);
    const unschedulable = node.spec?.unschedulable ? 1 : 0;
    this.numUnschedulable += unschedulable - this.unschedulable[slot]!;
    this.unschedulable[slot] = unschedulable;
    this.nodeVersion[slot]!++;

    const hadPrefer = this.preferTaints[slot] !== null && this.preferTaints[slot] !== undefined;
    const hadHard = this.hardTaints[slot] !== null && this.hardTaints[slot] !== undefined;
    let hard: Taint[] | null = null;
    let prefer: Taint[] | null = null;
    for (const t of node.spec?.taints ?? []) {
      if (t.effect === 'PreferNoSchedule') (prefer ??= []).push(t);
      else (hard ??= []).push(t);
    }
    this.hardTaints[slot] = hard;
    this.preferTaints[slot] = prefer;
    this.numNodesWithPreferNoSchedule += (prefer ? 1 : 0) - (hadPrefer ? 1 : 0);
    this.numNodesWithHardTaints += (hard ? 1 : 0) - (hadHard ? 1 : 0);

    const imgs = images ?? (node.status as { images?: readonly NodeImage[] } | undefined)?.images;
    this.setImages(slot, imgs && imgs.length > 0 ? imgs : null);

    const zone = `${labels[LABEL_REGION] ?? ''}:\u0000:${labels[LABEL_ZONE] ?? ''}`;
    if (!wasLive) {
      this.liveCount++;
      this.treeAdd(slot, zone);
    } else if (this.zoneOfSlot[slot] !== zone) {
      this.treeRemove(slot);
      this.treeAdd(slot, zone);
    }
  }

  /** Removes a node. Pods still bound to it keep their accounting on a placeholder until removed. */
  removeNode(name: string): void {
    const slot = this.slotByName.get(name);
    if (slot === undefined || this.nodes[slot] === undefined) return;
    this.treeRemove(slot);
    this.liveCount--;
    this.labelsVersion++;
    if (this.preferTaints[slot]) this.numNodesWithPreferNoSchedule--;
    if (this.hardTaints[slot]) this.numNodesWithHardTaints--;
    this.numUnschedulable -= this.unschedulable[slot]!;
    this.nodeVersion[slot]!++;
    this.nodes[slot] = undefined;
    this.liveSlots[slot] = 0;
    this.labels[slot] = EMPTY_LABELS;
    this.hardTaints[slot] = null;
    this.preferTaints[slot] = null;
    this.setImages(slot, null);
    this.allocMilliCPU[slot] = 0;
    this.allocMemory[slot] = 0;
    this.allocEphemeral[slot] = 0;
    this.allowedPods[slot] = 0;
    this.unschedulable[slot] = 0;
    if (this.podCount[slot] === 0) this.freeSlot(slot);
  }

  /** The aggregates of one node, or undefined if unknown. */
  nodeInfo(name: string): NodeInfoView | undefined {
    const s = this.slotByName.get(name);
    if (s === undefined) return undefined;
    return {
      name,
      allocatable: {
        milliCPU: this.allocMilliCPU[s]!,
        memory: this.allocMemory[s]!,
        ephemeralStorage: this.allocEphemeral[s]!,
        pods: this.allowedPods[s]!,
      },
      requested: {
        milliCPU: this.reqMilliCPU[s]!,
        memory: this.reqMemory[s]!,
        ephemeralStorage: this.reqEphemeral[s]!,
      },
      nonZeroRequested: { milliCPU: this.nonZeroMilliCPU[s]!, memory: this.nonZeroMemory[s]! },
      podCount: this.podCount[s]!,
    };
  }

  /** The domain index of a topology key (rebuilt only after nodes or their labels change). */
  domainIndex(key: string): DomainIndex {
    const hit = this.domainMemo.get(key);
    if (hit && hit.version === this.labelsVersion) return hit.index;
    const n = this.names.length;
    const ids = new Int32Array(Math.max(n, 1)).fill(-1);
    const byValue = new Map<string, number>();
    const values: string[] = [];
    let missing = 0;
    for (let s = 0; s < n; s++) {
      if (this.nodes[s] === undefined) continue;
      const v = this.labels[s]![key];
      if (v === undefined) {
        missing++;
        continue;
      }
      let id = byValue.get(v);
      if (id === undefined) {
        id = values.length;
        values.push(v);
        byValue.set(v, id);
      }
      ids[s] = id;
    }
    const index: DomainIndex = {
      key,
      ids,
      values,
      emptyId: byValue.get('') ?? values.length,
      size: values.length + 1,
      missing,
    };
    if (this.domainMemo.size > 64) this.domainMemo.clear();
    this.domainMemo.set(key, { version: this.labelsVersion, index });
    return index;
  }

  private newSlot(name: string): number {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.names.length;
      if (slot >= this.cap) this.ensureCapacity(Math.max(16, this.cap * 2));
      this.names.push(name);
      this.nodes.push(undefined);
      this.labels.push(EMPTY_LABELS);
      this.hardTaints.push(null);
      this.preferTaints.push(null);
      this.images.push(null);
      this.zoneOfSlot.push('');
    } else {
      this.names[slot] = name;
      this.labels[slot] = EMPTY_LABELS;
    }
    this.slotByName.set(name, slot);
    this.labelsVersion++;
    return slot;
  }

  private freeSlot(slot: number): void {
    this.slotByName.delete(this.names[slot]!);
    this.names[slot] = '';
    this.freeSlots.push(slot);
  }

  private ensureCapacity(n: number): void {
    this.allocMilliCPU = grow(this.allocMilliCPU, n);
    this.allocMemory = grow(this.allocMemory, n);
    this.allocEphemeral = grow(this.allocEphemeral, n);
    this.allowedPods = grow(this.allowedPods, n);
    this.reqMilliCPU = grow(this.reqMilliCPU, n);
    this.reqMemory = grow(this.reqMemory, n);
    this.reqEphemeral = grow(this.reqEphemeral, n);
    this.nonZeroMilliCPU = grow(this.nonZeroMilliCPU, n);
    this.nonZeroMemory = grow(this.nonZeroMemory, n);
    this.podCount = grow(this.podCount, n);
    this.unschedulable = grow(this.unschedulable, n);
    this.nodeVersion = grow(this.nodeVersion, n);
    this.liveSlots = grow(this.liveSlots, n);
    this.cap = n;
  }

  private setImages(slot: number, imgs: readonly NodeImage[] | null): void {
    const old = this.images[slot];
    if (old) for (const name of old.keys()) this.bumpImage(name, -1);
    if (!imgs) {
      this.images[slot] = null;
      return;
    }
    const m = new Map<string, number>();
    for (const img of imgs) for (const n of img.names) m.set(n, img.sizeBytes);
    for (const name of m.keys()) this.bumpImage(name, 1);
    this.images[slot] = m;
  }

  private bumpImage(name: string, d: number): void {
    const n = (this.imageNumNodes.get(name) ?? 0) + d;
    if (n <= 0) this.imageNumNodes.delete(name);
    else this.imageNumNodes.set(name, n);
  }

  private treeAdd(slot: number, zone: string): void {
    let list = this.tree.get(zone);
    if (!list) {
      list = [];
      this.tree.set(zone, list);
    }
    list.push(slot);
    this.zoneOfSlot[slot] = zone;
    this.orderDirty = true;
  }

  private treeRemove(slot: number): void {
    const zone = this.zoneOfSlot[slot]!;
    const list = this.tree.get(zone);
    if (list) {
      const i = list.indexOf(slot);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.tree.delete(zone);
    }
    this.orderDirty = true;
  }

  private rebuildOrder(): void {
    const out = new Int32Array(this.liveCount);
    const zones = [...this.tree.values()];
    let k = 0;
    for (let i = 0; k < out.length; i++) {
      for (const z of zones) if (i < z.length) out[k++] = z[i]!;
    }
    this.order = out;
    this.orderDirty = false;
  }

  // ================= pods =================

  /** Adds a pod bound to spec.nodeName (from the informer). Confirms it if it was assumed. */
  addPod(pod: PodObject): void {
    const nodeName = pod.spec.nodeName;
    if (!nodeName) return;
    this.place(podInfo(pod), nodeName, false);
  }

  /** Counts a pod on `nodeName` before its binding is observed (kube-scheduler's AssumePod). */
  assumePod(pod: PodObject, nodeName: string): void {
    this.place(podInfo(pod), nodeName, true);
  }

  /** Drops an assumed pod whose binding failed (kube-scheduler's ForgetPod). */
  forgetPod(pod: PodObject): void {
    const key = podKey(pod);
    const cp = this.pods.get(key);
    if (cp?.assumed) this.unplace(key, cp);
  }

  /** Removes a pod (deleted, or no longer bound). */
  removePod(pod: PodObject): void {
    const key = podKey(pod);
    const cp = this.pods.get(key);
    if (cp) this.unplace(key, cp);
  }

  /** Replaces a pod's accounting (labels, requests, deletion or binding changed). */
  updatePod(oldPod: PodObject, newPod: PodObject): void {
    const oldKey = podKey(oldPod);
    if (oldKey !== podKey(newPod)) {
      const cp = this.pods.get(oldKey);
      if (cp) this.unplace(oldKey, cp);
    }
    if (newPod.spec.nodeName) this.addPod(newPod);
    else this.removePod(newPod);
  }

  hasPod(pod: PodObject): boolean {
    return this.pods.has(podKey(pod));
  }

  isAssumed(pod: PodObject): boolean {
    return this.pods.get(podKey(pod))?.assumed ?? false;
  }

  get numPods(): number {
    return this.pods.size;
  }

  private place(info: PodInfo, nodeName: string, assumed: boolean): void {
    const existing = this.pods.get(info.key);
    if (existing) {
      if (this.names[existing.slot] === nodeName && existing.sameAccounting(info)) {
        existing.assumed = existing.assumed && assumed;
        return;
      }
      this.unplace(info.key, existing);
    }
    let slot = this.slotByName.get(nodeName);
    if (slot === undefined) slot = this.newSlot(nodeName);
    const group = this.groupFor(info);
    const cp = new CachedPod(
      slot,
      group,
      info.milliCPU,
      info.memory,
      info.ephemeralStorage,
      info.nonZeroMilliCPU,
      info.nonZeroMemory,
      assumed,
    );
    this.pods.set(info.key, cp);
    this.account(cp, slot, 1);
    group.add(slot);
    if (group.affinity) this.numPodsWithAffinity++;
    if (group.hasRequiredAntiAffinity) this.numPodsWithRequiredAntiAffinity++;
  }

  private unplace(key: string, cp: CachedPod): void {
    this.pods.delete(key);
    const { slot, group } = cp;
    this.account(cp, slot, -1);
    group.remove(slot);
    if (group.affinity) this.numPodsWithAffinity--;
    if (group.hasRequiredAntiAffinity) this.numPodsWithRequiredAntiAffinity--;
    if (this.podCount[slot] === 0 && this.nodes[slot] === undefined) this.freeSlot(slot);
  }

  private account(cp: CachedPod, slot: number, sign: 1 | -1): void {
    this.reqMilliCPU[slot]! += sign * cp.milliCPU;
    this.reqMemory[slot]! += sign * cp.memory;
    this.reqEphemeral[slot]! += sign * cp.ephemeralStorage;
    this.nonZeroMilliCPU[slot]! += sign * cp.nonZeroMilliCPU;
    this.nonZeroMemory[slot]! += sign * cp.nonZeroMemory;
    this.podCount[slot]! += sign;
    this.nodeVersion[slot]!++;
  }

  private groupFor(info: PodInfo): PodGroup {
    let g = this.groupsByKey.get(info.groupKey);
    if (!g) {
      g = new PodGroup(
        this.nextGroupId++,
        info.groupKey,
        info.namespace,
        info.labels,
        info.terminating,
        info.affinity,
      );
      this.groupsByKey.set(info.groupKey, g);
      this.groups.push(g);
      if (g.affinity) this.affinityGroups.push(g);
      this.groupsVersion++;
      this.maybeCompactGroups();
    }
    return g;
  }

  /** Drops empty groups once they outnumber the live ones (old ReplicaSets' pods are long gone). */
  private maybeCompactGroups(): void {
    if (this.groups.length < 1024) return;
    let empty = 0;
    for (const g of this.groups) if (g.total === 0) empty++;
    if (empty * 2 < this.groups.length) return;
    const keep = this.groups.filter((g) => g.total > 0);
    for (const g of this.groups) if (g.total === 0) this.groupsByKey.delete(g.key);
    this.groups.length = 0;
    this.groups.push(...keep);
    const keepAff = this.affinityGroups.filter((g) => g.total > 0);
    this.affinityGroups.length = 0;
    this.affinityGroups.push(...keepAff);
    this.selectorMemo.clear();
    this.groupsVersion++;
  }

  /**
   * Groups whose pods a selector matches, restricted to `namespaces` (and to non-terminating pods
   * when `skipTerminating`, as PodTopologySpread counts). Memoised under `memoKey` (which must
   * identify namespaces, selector and skipTerminating) until the group list changes.
   */
  matchingGroups(
    namespaces: readonly string[],
    selector: Matcher,
    skipTerminating: boolean,
    memoKey: string,
  ): readonly PodGroup[] {
    if (selector.nothing) return [];
    const key = memoKey;
    const hit = this.selectorMemo.get(key);
    if (hit && hit.version === this.groupsVersion) return hit.groups;
    const out: PodGroup[] = [];
    for (const g of this.groups) {
      if (skipTerminating && g.terminating) continue;
      if (!namespaces.includes(g.namespace)) continue;
      if (selector.matches(g.labels)) out.push(g);
    }
    if (this.selectorMemo.size > 8192) this.selectorMemo.clear();
    this.selectorMemo.set(key, { version: this.groupsVersion, groups: out });
    return out;
  }
}
