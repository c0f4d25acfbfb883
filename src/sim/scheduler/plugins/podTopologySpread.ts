/**
 * PodTopologySpread.
 *
 * Filter (whenUnsatisfiable: DoNotSchedule constraints). PreFilter counts, per constraint, the
 * matching pods (same namespace, selector, not terminating) in every topology domain of the nodes
 * that pass the pod's required node affinity (nodeAffinityPolicy Honor) and carry every constraint's
 * key (nodeTaintsPolicy Ignore). A node fails when
 *   count(node's domain) + (1 if the pod matches its own selector) − min over domains > maxSkew
 * → `node(s) didn't match pod topology spread constraints`; a node without the key fails with
 * `... (missing required label)` (UnschedulableAndUnresolvable). minDomains is 1.
 *
 * Score (weight 2; ScheduleAnyway constraints, or — for a pod with no constraints that belongs to a
 * ReplicaSet/StatefulSet/ReplicationController — the system defaults
 * {kubernetes.io/hostname maxSkew 3} and {topology.kubernetes.io/zone maxSkew 5}):
 *   raw(node) = round( Σ_c count_c(node's domain) × ln(domains_c + 2) + (maxSkew_c − 1) )
 * where count is over all nodes passing the pod's required node affinity (for hostname: the node's
 * own pods), and domains_c is the number of distinct values among the feasible nodes (for hostname:
 * the number of feasible nodes). With explicit constraints, feasible nodes lacking any key are
 * ignored and score 0. Normalised: 100 × (max + min − raw) / max over the non-ignored nodes (100 for
 * all when max is 0).
 */

import type { DomainIndex, PodGroup } from '../cache';
import {
  type CycleContext,
  type FilterPlugin,
  failureId,
  idiv,
  MAX_NODE_SCORE,
  type ScorePlugin,
} from '../framework';
import { LABEL_HOSTNAME, LABEL_ZONE, type SpreadConstraint } from '../podInfo';
import type { Matcher } from '../selectors';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

/** Go's math.Round: half away from zero. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** topologyNormalizingWeight: ln(size + 2). */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

interface ScoreConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: Matcher;
  readonly hostname: boolean;
}

const defaultsMemo = new WeakMap<Matcher, readonly ScoreConstraint[]>();
function systemDefaults(selector: Matcher): readonly ScoreConstraint[] {
  let d = defaultsMemo.get(selector);
  if (!d) {
    d = [
      { maxSkew: 3, topologyKey: LABEL_HOSTNAME, selector, hostname: true },
      { maxSkew: 5, topologyKey: LABEL_ZONE, selector, hostname: false },
    ];
    defaultsMemo.set(selector, d);
  }
  return d;
}

function toScoreConstraint(c: SpreadConstraint): ScoreConstraint {
  return { ...c, hostname: c.topologyKey === LABEL_HOSTNAME };
}

export class PodTopologySpread implements FilterPlugin, ScorePlugin {
  readonly name = 'PodTopologySpread';
  readonly weight: number;
  private readonly notMatch = failureId(this.name, [ERR_REASON_CONSTRAINTS_NOT_MATCH], 'Unschedulable');
  private readonly missingLabel = failureId(
    this.name,
    [ERR_REASON_NODE_LABEL_NOT_MATCH],
    'UnschedulableAndUnresolvable',
  );

  // ---- PreFilter state ----
  private hard: readonly SpreadConstraint[] = [];
  private hardIndex: DomainIndex[] = [];
  private hardCounts: Float64Array[] = [];
  private hardMin: number[] = [];
  private hardSelf: number[] = [];
  private eligible = new Uint8Array(0);

  // ---- PreScore state ----
  private soft: readonly ScoreConstraint[] = [];
  private softIndex: (DomainIndex | null)[] = [];
  private softCounts: (Float64Array | null)[] = [];
  private softRegistered: (Uint8Array | null)[] = [];
  private softWeight: number[] = [];
  private hostCounts: (Int32Array | null)[] = [];
  private hostGroups: (readonly PodGroup[] | null)[] = [];
  private ignored = new Uint8Array(0);

  constructor(weight = 2) {
    this.weight = weight;
  }

  private matching(ctx: CycleContext, selector: Matcher): readonly PodGroup[] {
    const ns = ctx.info.namespace;
    return ctx.cache.matchingGroups([ns], selector, true, `${ns}\u0001${selector.key}`);
  }

  // ================= Filter =================

  preFilter(ctx: CycleContext): boolean {
    const info = ctx.info;
    const hard = info.hardSpread;
    if (hard.length === 0) return false;
    const cache = ctx.cache;
    const rna = info.requiredNodeAffinity;
    this.hard = hard;
    this.hardIndex = hard.map((c) => cache.domainIndex(c.topologyKey));
    this.hardCounts = this.hardIndex.map((d) => new Float64Array(d.size).fill(-1));
    if (this.eligible.length < cache.capacity) this.eligible = new Uint8Array(cache.capacity);
    const eligible = this.eligible;
    eligible.fill(0);
    // Domains of the eligible nodes, registered with count 0 (marked by -1 → 0).
    for (const s of cache.nodeOrder()) {
      if (rna && !rna.matches(cache.labels[s])) continue;
      let ok = true;
      for (const d of this.hardIndex) if (d.ids[s]! < 0) ok = false;
      if (!ok) continue;
      eligible[s] = 1;
      for (let i = 0; i < hard.length; i++) this.hardCounts[i]![this.hardIndex[i]!.ids[s]!] = 0;
    }
    this.hardMin = [];
    this.hardSelf = [];
    for (let i = 0; i < hard.length; i++) {
      const c = hard[i]!;
      const ids = this.hardIndex[i]!.ids;
      const counts = this.hardCounts[i]!;
      for (const g of this.matching(ctx, c.selector)) {
        for (const [s, n] of g.perNode) if (eligible[s] === 1) counts[ids[s]!]! += n;
      }
      let min = Number.POSITIVE_INFINITY;
      for (let d = 0; d < counts.length; d++) if (counts[d]! >= 0 && counts[d]! < min) min = counts[d]!;
      // Fewer eligible domains than minDomains (1), i.e. none: the global minimum is 0.
      this.hardMin.push(min === Number.POSITIVE_INFINITY ? 0 : min);
      this.hardSelf.push(c.selector.matches(info.labels) ? 1 : 0);
    }
    return true;
  }

  filter(_ctx: CycleContext, nodes: Int32Array, verdicts: Int32Array, count: number): void {
    const hard = this.hard;
    for (let i = 0; i < count; i++) {
      if (verdicts[i] !== 0) continue;
      const s = nodes[i]!;
      for (let j = 0; j < hard.length; j++) {
        const id = this.hardIndex[j]!.ids[s]!;
        if (id < 0) {
          verdicts[i] = this.missingLabel;
          break;
        }
        const matchNum = Math.max(0, this.hardCounts[j]![id]!);
        if (matchNum + this.hardSelf[j]! - this.hardMin[j]! > hard[j]!.maxSkew) {
          verdicts[i] = this.notMatch;
          break;
        }
      }
    }
  }

  // ================= Score =================

  preScore(ctx: CycleContext, nodes: Int32Array, count: number): boolean {
    const info = ctx.info;
    const cache = ctx.cache;
    let soft: readonly ScoreConstraint[];
    if (info.hasSpreadConstraints) soft = info.softSpread.map(toScoreConstraint);
    else if (info.defaultSpreadSelector) soft = systemDefaults(info.defaultSpreadSelector);
    else return false;
    if (soft.length === 0) return false;
    this.soft = soft;
    // Only explicit constraints require nodes to carry every key (system defaults do not, so nodes
    // without a zone label still get hostname spreading).
    const requireAll = info.hasSpreadConstraints;
    const k = soft.length;
    this.softIndex = soft.map((c) => cache.domainIndex(c.topologyKey));
    if (this.ignored.length < count) this.ignored = new Uint8Array(Math.max(count, cache.capacity));
    const ignored = this.ignored;

    // Domains among the feasible, non-ignored nodes.
    this.softCounts = new Array(k);
    this.softRegistered = new Array(k);
    const topoSize = new Array<number>(k).fill(0);
    for (let j = 0; j < k; j++) {
      if (soft[j]!.hostname) {
        this.softCounts[j] = null;
        this.softRegistered[j] = null;
      } else {
        const size = this.softIndex[j]!.size;
        this.softCounts[j] = new Float64Array(size);
        this.softRegistered[j] = new Uint8Array(size);
      }
    }
    let numIgnored = 0;
    for (let i = 0; i < count; i++) {
      const s = nodes[i]!;
      let skip = false;
      if (requireAll) for (let j = 0; j < k; j++) if (this.softIndex[j]!.ids[s]! < 0) skip = true;
      ignored[i] = skip ? 1 : 0;
      if (skip) {
        numIgnored++;
        continue;
      }
      for (let j = 0; j < k; j++) {
        const reg = this.softRegistered[j];
        if (!reg) continue;
        const d = this.softIndex[j]!;
        const raw = d.ids[s]!;
        const id = raw < 0 ? d.emptyId : raw;
        if (reg[id] === 0) {
          reg[id] = 1;
          topoSize[j]!++;
        }
      }
    }
    this.softWeight = soft.map((c, j) =>
      topologyNormalizingWeight(c.hostname ? count - numIgnored : topoSize[j]!),
    );

    // Matching pods per domain, over every node that passes the pod's required node affinity.
    const rna = info.requiredNodeAffinity;
    this.hostCounts = new Array(k).fill(null);
    this.hostGroups = new Array(k).fill(null);
    for (let j = 0; j < k; j++) {
      const c = soft[j]!;
      const groups = this.matching(ctx, c.selector);
      if (c.hostname) {
        // The node's own matching pods (Score reads them straight from the node).
        const hc = this.hostCountArray(j, cache.capacity);
        for (const g of groups) for (const [s, n] of g.perNode) hc[s]! += n;
        this.hostGroups[j] = groups;
        continue;
      }
      const d = this.softIndex[j]!;
      const counts = this.softCounts[j]!;
      const reg = this.softRegistered[j]!;
      for (const g of groups) {
        for (const [s, n] of g.perNode) {
          if (cache.nodes[s] === undefined) continue;
          if (rna && !rna.matches(cache.labels[s])) continue;
          if (requireAll && !this.hasAllKeys(s)) continue;
          const raw = d.ids[s]!;
          const id = raw < 0 ? d.emptyId : raw;
          if (reg[id] === 1) counts[id]! += n;
        }
      }
    }
    return true;
  }

  private hostCountScratch: Int32Array[] = [];
  private hostCountArray(j: number, cap: number): Int32Array {
    let a = this.hostCountScratch[j];
    if (!a || a.length < cap) {
      a = new Int32Array(cap);
      this.hostCountScratch[j] = a;
    }
    this.hostCounts[j] = a;
    return a;
  }

  private hasAllKeys(s: number): boolean {
    for (const d of this.softIndex) if (d!.ids[s]! < 0) return false;
    return true;
  }

  score(_ctx: CycleContext, nodes: Int32Array, count: number, out: Float64Array): void {
    const soft = this.soft;
    const k = soft.length;
    for (let i = 0; i < count; i++) {
      if (this.ignored[i] === 1) {
        out[i] = 0;
        continue;
      }
      const s = nodes[i]!;
      let score = 0;
      for (let j = 0; j < k; j++) {
        const d = this.softIndex[j]!;
        const id = d.ids[s]!;
        if (id < 0) continue; // the node lacks this key: no credit for this constraint
        const cnt = soft[j]!.hostname ? this.hostCounts[j]![s]! : this.softCounts[j]![id]!;
        score += cnt * this.softWeight[j]! + (soft[j]!.maxSkew - 1);
      }
      out[i] = roundHalfAway(score);
    }
    // Reset the per-node host counts for the next pod.
    for (let j = 0; j < k; j++) {
      const groups = this.hostGroups[j];
      const hc = this.hostCounts[j];
      if (!groups || !hc) continue;
      for (const g of groups) for (const s of g.perNode.keys()) hc[s] = 0;
    }
  }

  normalize(_ctx: CycleContext, _nodes: Int32Array, count: number, scores: Float64Array): void {
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    for (let i = 0; i < count; i++) {
      if (this.ignored[i] === 1) continue;
      const s = scores[i]!;
      if (s < min) min = s;
      if (s > max) max = s;
    }
    for (let i = 0; i < count; i++) {
      if (this.ignored[i] === 1) scores[i] = 0;
      else if (max === 0) scores[i] = MAX_NODE_SCORE;
      else scores[i] = idiv(MAX_NODE_SCORE * (max + min - scores[i]!), max);
    }
  }
}
