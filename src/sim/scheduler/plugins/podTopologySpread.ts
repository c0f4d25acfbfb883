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
import type { SpreadConstraint } from '../podInfo';

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
  private soft: readonly SpreadConstraint[] = [];
  private readonly softIndex: DomainIndex[] = [];
  private readonly softCounts: (Float64Array | null)[] = [];
  private readonly softRegistered: (Uint8Array | null)[] = [];
  private readonly countScratch: Float64Array[] = [];
  private readonly registeredScratch: Uint8Array[] = [];
  private readonly topoSize: number[] = [];
  private readonly softWeight: number[] = [];
  private readonly hostCounts: (Int32Array | null)[] = [];
  private readonly hostGroups: (readonly PodGroup[] | null)[] = [];
  private ignored = new Uint8Array(0);

  constructor(weight = 2) {
    this.weight = weight;
  }

  private matching(ctx: CycleContext, c: SpreadConstraint): readonly PodGroup[] {
    return ctx.cache.matchingGroups(ctx.info.namespaces, c.selector, true, c.memoKey);
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
      if (rna && !rna.matches(cache.labels[s], cache.names[s])) continue;
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
      for (const g of this.matching(ctx, c)) {
        const { slots, counts: per } = g;
        for (let e = 0; e < g.size; e++) {
          const s = slots[e]!;
          if (eligible[s] === 1) counts[ids[s]!]! += per[e]!;
        }
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
    let soft: readonly SpreadConstraint[];
    if (info.hasSpreadConstraints) soft = info.softSpread;
    else if (info.defaultSpread) soft = info.defaultSpread;
    else return false;
    if (soft.length === 0) return false;
    this.soft = soft;
    // Only explicit constraints require nodes to carry every key (system defaults do not, so nodes
    // without a zone label still get hostname spreading).
    const requireAll = info.hasSpreadConstraints;
    const k = soft.length;
    const index = this.softIndex;
    index.length = k;
    for (let j = 0; j < k; j++) index[j] = cache.domainIndex(soft[j]!.topologyKey);
    if (this.ignored.length < count) this.ignored = new Uint8Array(Math.max(count, cache.capacity));
    const ignored = this.ignored;

    // Domains among the feasible, non-ignored nodes.
    const counts = this.softCounts;
    const registered = this.softRegistered;
    const topoSize = this.topoSize;
    counts.length = k;
    registered.length = k;
    for (let j = 0; j < k; j++) {
      topoSize[j] = 0;
      if (soft[j]!.hostname) {
        counts[j] = null;
        registered[j] = null;
        continue;
      }
      const size = index[j]!.size;
      let cj = this.countScratch[j];
      let rj = this.registeredScratch[j];
      if (!cj || cj.length < size) {
        cj = new Float64Array(size);
        rj = new Uint8Array(size);
        this.countScratch[j] = cj;
        this.registeredScratch[j] = rj;
      } else {
        cj.fill(0, 0, size);
        rj!.fill(0, 0, size);
      }
      counts[j] = cj;
      registered[j] = rj!;
    }
    let numIgnored = 0;
    if (requireAll) {
      for (let i = 0; i < count; i++) {
        const s = nodes[i]!;
        let skip = 0;
        for (let j = 0; j < k; j++) if (index[j]!.ids[s]! < 0) skip = 1;
        ignored[i] = skip;
        numIgnored += skip;
      }
    } else ignored.fill(0, 0, count);
    for (let j = 0; j < k; j++) {
      const reg = registered[j];
      if (!reg) continue;
      const { ids, emptyId, values, missing } = index[j]!;
      // The most domains there can be; stop looking once all have turned up (with zones
      // interleaved in node order, that is within the first few nodes).
      const possible = values.length + (!requireAll && missing > 0 && emptyId === values.length ? 1 : 0);
      let size = 0;
      for (let i = 0; i < count && size < possible; i++) {
        if (ignored[i] === 1) continue;
        const raw = ids[nodes[i]!]!;
        const id = raw < 0 ? emptyId : raw;
        if (reg[id] === 0) {
          reg[id] = 1;
          size++;
        }
      }
      topoSize[j] = size;
    }
    const weights = this.softWeight;
    weights.length = k;
    for (let j = 0; j < k; j++)
      weights[j] = topologyNormalizingWeight(soft[j]!.hostname ? count - numIgnored : topoSize[j]!);

    // Matching pods per domain, over every node that passes the pod's required node affinity.
    const rna = info.requiredNodeAffinity;
    this.hostCounts.length = k;
    this.hostGroups.length = k;
    this.hostCounts.fill(null);
    this.hostGroups.fill(null);
    this.hostMax = 0;
    for (let j = 0; j < k; j++) {
      const c = soft[j]!;
      const groups = this.matching(ctx, c);
      if (c.hostname) {
        // The node's own matching pods (Score reads them straight from the node).
        const hc = this.hostCountArray(j, cache.capacity);
        let hostMax = this.hostMax;
        let spread = 0;
        for (const g of groups) spread += g.size;
        if (spread > count) {
          // Matching pods on more nodes than are scored (a big ReplicaSet): count on the scored ones.
          for (let i = 0; i < count; i++) {
            const s = nodes[i]!;
            let v = 0;
            for (const g of groups) v += g.countOn(s);
            hc[s] = v;
            if (v > hostMax) hostMax = v;
          }
          this.hostGroups[j] = null;
        } else {
          for (const g of groups) {
            const { slots, counts: per } = g;
            for (let e = 0; e < g.size; e++) {
              const v = (hc[slots[e]!]! += per[e]!);
              if (v > hostMax) hostMax = v;
            }
          }
          this.hostGroups[j] = groups;
        }
        this.hostMax = hostMax;
        continue;
      }
      const { ids, emptyId } = index[j]!;
      const cj = counts[j]!;
      const reg = registered[j]!;
      const live = cache.liveSlots;
      const labels = cache.labels;
      if (!rna && !requireAll) {
        // Every live node counts: each group keeps its pods per domain (a big ReplicaSet is on
        // thousands of nodes, and this runs for each of its pods).
        const size = index[j]!.size;
        for (const g of groups) {
          const dc = g.domainCounts(index[j]!, live);
          for (let id = 0; id < size; id++) if (reg[id] === 1) cj[id]! += dc[id]!;
        }
        continue;
      }
      for (const g of groups) {
        const { slots, counts: per } = g;
        for (let e = 0; e < g.size; e++) {
          const s = slots[e]!;
          if (live[s] === 0) continue;
          if (rna && !rna.matches(labels[s], ctx.cache.names[s])) continue;
          if (requireAll && !this.hasAllKeys(s)) continue;
          const raw = ids[s]!;
          const id = raw < 0 ? emptyId : raw;
          if (reg[id] === 1) cj[id]! += per[e]!;
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
    for (const d of this.softIndex) if (d.ids[s]! < 0) return false;
    return true;
  }

  score(_ctx: CycleContext, nodes: Int32Array, count: number, out: Float64Array): void {
    this.rawScores(nodes, count, out);
  }

  /**
   * Raw scores into `out` (0 for ignored nodes); returns nothing but leaves the min and max over
   * the non-ignored nodes in `this.rawMin` / `this.rawMax` for normalisation.
   */
  private rawScores(nodes: Int32Array, count: number, out: Float64Array): void {
    const soft = this.soft;
    const k = soft.length;
    const ignored = this.ignored;
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    if (k === 2 && soft[0]!.hostname && !soft[1]!.hostname && this.hostMax < 64) {
      // The system defaults (hostname, zone): the raw score only depends on (pods on the node,
      // zone), so compute it once per combination (same float operations, same order) and look
      // it up per node. Row hc + 1 = pods on the node, row 0 = no hostname label; last column =
      // no zone label.
      const hostIds = this.softIndex[0]!.ids;
      const host = this.hostCounts[0]!;
      const w0 = this.softWeight[0]!;
      const a0 = soft[0]!.maxSkew - 1;
      const ids = this.softIndex[1]!.ids;
      const cnt = this.softCounts[1]!;
      const w1 = this.softWeight[1]!;
      const a1 = soft[1]!.maxSkew - 1;
      const cols = this.softIndex[1]!.size + 1;
      const rows = this.hostMax + 2;
      if (this.comboTable.length < rows * cols) this.comboTable = new Float64Array(rows * cols * 2);
      const table = this.comboTable;
      for (let r = 0; r < rows; r++) {
        for (let z = 0; z < cols; z++) {
          let score = 0;
          if (r > 0) score += (r - 1) * w0 + a0;
          if (z < cols - 1) score += cnt[z]! * w1 + a1;
          table[r * cols + z] = Math.round(score);
        }
      }
      const none = cols - 1;
      for (let i = 0; i < count; i++) {
        if (ignored[i] === 1) {
          out[i] = 0;
          continue;
        }
        const s = nodes[i]!;
        const row = hostIds[s]! >= 0 ? host[s]! + 1 : 0;
        const z = ids[s]!;
        const r = table[row * cols + (z < 0 ? none : z)]!;
        out[i] = r;
        if (r < min) min = r;
        if (r > max) max = r;
      }
    } else {
      out.fill(0, 0, count);
      // One pass per constraint, accumulating the unrounded sum in `out` (constraint order, as
      // kube-scheduler adds them).
      for (let j = 0; j < k; j++) {
        const ids = this.softIndex[j]!.ids;
        const w = this.softWeight[j]!;
        const add = soft[j]!.maxSkew - 1;
        const host = soft[j]!.hostname ? this.hostCounts[j]! : null;
        const cj = this.softCounts[j];
        for (let i = 0; i < count; i++) {
          if (ignored[i] === 1) continue;
          const s = nodes[i]!;
          const id = ids[s]!;
          if (id < 0) continue; // the node lacks this key: no credit for this constraint
          const c = host ? host[s]! : cj![id]!;
          out[i]! += c * w + add;
        }
      }
      for (let i = 0; i < count; i++) {
        if (ignored[i] === 1) {
          out[i] = 0;
          continue;
        }
        const r = roundHalfAway(out[i]!);
        out[i] = r;
        if (r < min) min = r;
        if (r > max) max = r;
      }
    }
    this.rawMin = min;
    this.rawMax = max;
    // Reset the per-node host counts for the next pod: on the groups' nodes, or on the scored ones.
    for (let j = 0; j < k; j++) {
      const groups = this.hostGroups[j];
      const hc = this.hostCounts[j];
      if (!hc) continue;
      if (groups) for (const g of groups) for (let e = 0; e < g.size; e++) hc[g.slots[e]!] = 0;
      else for (let i = 0; i < count; i++) hc[nodes[i]!] = 0;
    }
  }

  private rawMin = 0;
  private rawMax = 0;
  private scratch = new Float64Array(0);
  private table = new Float64Array(0);
  private comboTable = new Float64Array(0);
  /** The largest per-node count of matching pods (hostname constraints), from PreScore. */
  private hostMax = 0;

  /** Score, normalise and add `weight ×` into `totals` without an intermediate normalise pass. */
  addWeighted(
    _ctx: CycleContext,
    nodes: Int32Array,
    count: number,
    totals: Float64Array,
    weight: number,
  ): void {
    if (this.scratch.length < count) this.scratch = new Float64Array(Math.max(count, 64));
    const raw = this.scratch;
    this.rawScores(nodes, count, raw);
    const ignored = this.ignored;
    const min = this.rawMin;
    const max = this.rawMax;
    if (max === 0) {
      for (let i = 0; i < count; i++) if (ignored[i] !== 1) totals[i]! += weight * MAX_NODE_SCORE;
      return;
    }
    // Raw scores are small integers in [min, max]: divide once per distinct value, not per node.
    const range = max - min;
    if (range < count) {
      if (this.table.length <= range) this.table = new Float64Array(Math.max(range + 1, 64));
      const table = this.table;
      for (let r = 0; r <= range; r++) table[r] = weight * idiv(MAX_NODE_SCORE * (max - r), max);
      for (let i = 0; i < count; i++) if (ignored[i] !== 1) totals[i]! += table[raw[i]! - min]!;
      return;
    }
    for (let i = 0; i < count; i++) {
      if (ignored[i] === 1) continue;
      totals[i]! += weight * idiv(MAX_NODE_SCORE * (max + min - raw[i]!), max);
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
