/**
 * InterPodAffinity.
 *
 * Filter (required terms). PreFilter counts, per topology domain (topologyKey = label value):
 * - affinity: existing pods matching ALL the pod's required affinity terms, once per term;
 * - anti-affinity: existing pods matching each of the pod's required anti-affinity terms;
 * - existing anti-affinity: existing pods whose required anti-affinity terms match the pod.
 * A node fails with
 *   `node(s) didn't match pod affinity rules` (UnschedulableAndUnresolvable) when it lacks a term's
 *     key, or a term's domain has no matching pod — unless no pod anywhere matches and the pod
 *     matches its own terms (the first pod of a self-affine group);
 *   `node(s) didn't match pod anti-affinity rules` (Unschedulable) when a term's domain has a match;
 *   `node(s) didn't satisfy existing pods anti-affinity rules` (Unschedulable) when the node is in a
 *     domain an existing pod's anti-affinity forbids.
 * A term's namespaces default to its own pod's namespace.
 *
 * Score (weight 2; preferred terms): per domain, + weight × matching pods for the pod's preferred
 * affinity, − weight × for its preferred anti-affinity, + 1 (hardPodAffinityWeight) for every
 * existing pod whose required affinity term matches the pod, ± weight for existing pods' preferred
 * (anti-)affinity terms that match the pod. raw(node) = Σ over keys of the node's domain's value.
 * Normalised: 100 × (raw − min) / (max − min) (0 for all when max = min). Skipped when nothing counts.
 */
import type { DomainIndex, PodGroup } from '../cache';
import {
  type CycleContext,
  type FilterPlugin,
  failureId,
  MAX_NODE_SCORE,
  type ScorePlugin,
} from '../framework';
import type { AffinityTerm, PodInfo } from '../podInfo';

export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH =
  "node(s) didn't satisfy existing pods anti-affinity rules";

/** The default hardPodAffinityWeight (InterPodAffinityArgs). */
export const HARD_POD_AFFINITY_WEIGHT = 1;

/** Whether a term (of some pod) selects the given pod: namespace listed and labels matched. */
function termMatchesPod(t: AffinityTerm, info: PodInfo): boolean {
  return t.namespaces.includes(info.namespace) && t.selector.matches(info.labels);
}

/** Per-topology-key domain counters for one cycle. */
class DomainCounts {
  readonly byKey = new Map<string, { index: DomainIndex; counts: Float64Array }>();
  total = 0;
  touched = false;

  constructor(private readonly ctx: CycleContext) {}

  forKey(key: string): { index: DomainIndex; counts: Float64Array } {
    let e = this.byKey.get(key);
    if (!e) {
      const index = this.ctx.cache.domainIndex(key);
      e = { index, counts: new Float64Array(index.size) };
      this.byKey.set(key, e);
    }
    return e;
  }

  /** Adds `w` per pod of group `g` to the domain of each node it runs on (nodes with the key). */
  addGroup(key: string, g: PodGroup, w: number): void {
    if (g.total === 0) return;
    const e = this.forKey(key);
    const ids = e.index.ids;
    const { slots, counts } = g;
    for (let i = 0; i < g.size; i++) {
      const id = ids[slots[i]!]!;
      if (id < 0) continue;
      const n = counts[i]!;
      e.counts[id]! += w * n;
      this.total += n;
      this.touched = true;
    }
  }

  get(key: string, s: number): number {
    const e = this.byKey.get(key);
    if (!e) return 0;
    const id = e.index.ids[s]!;
    return id < 0 ? 0 : e.counts[id]!;
  }
}

export class InterPodAffinity implements FilterPlugin, ScorePlugin {
  readonly name = 'InterPodAffinity';
  readonly weight: number;
  private readonly affinityFailure = failureId(
    this.name,
    [ERR_REASON_AFFINITY_RULES_NOT_MATCH],
    'UnschedulableAndUnresolvable',
  );
  private readonly antiFailure = failureId(
    this.name,
    [ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH],
    'Unschedulable',
  );
  private readonly existingFailure = failureId(
    this.name,
    [ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH],
    'Unschedulable',
  );

  // PreFilter state
  private requiredAffinity: readonly AffinityTerm[] = [];
  private requiredAnti: readonly AffinityTerm[] = [];
  private affinityCounts: DomainCounts | null = null;
  private antiCounts: DomainCounts | null = null;
  private existingCounts: DomainCounts | null = null;
  private selfMatchesAll = false;
  // PreScore state
  private topology: DomainCounts | null = null;

  constructor(weight = 2) {
    this.weight = weight;
  }

  private matching(ctx: CycleContext, t: AffinityTerm): readonly PodGroup[] {
    return ctx.cache.matchingGroups(t.namespaces, t.selector, false, t.key);
  }

  // ================= Filter =================

  preFilter(ctx: CycleContext): boolean {
    const info = ctx.info;
    const cache = ctx.cache;
    this.requiredAffinity = info.affinity?.requiredAffinity ?? [];
    this.requiredAnti = info.affinity?.requiredAntiAffinity ?? [];
    if (
      this.requiredAffinity.length === 0 &&
      this.requiredAnti.length === 0 &&
      cache.numPodsWithRequiredAntiAffinity === 0
    )
      return false;

    // Existing pods' required anti-affinity terms that match this pod.
    const existing = new DomainCounts(ctx);
    if (cache.numPodsWithRequiredAntiAffinity > 0) {
      for (const g of cache.affinityGroups) {
        if (!g.hasRequiredAntiAffinity || g.total === 0) continue;
        for (const t of g.affinity!.requiredAntiAffinity)
          if (termMatchesPod(t, info)) existing.addGroup(t.topologyKey, g, 1);
      }
    }
    // Existing pods matching all of this pod's required affinity terms, counted under each term.
    const affinity = new DomainCounts(ctx);
    if (this.requiredAffinity.length > 0) {
      let groups = this.matching(ctx, this.requiredAffinity[0]!);
      for (let i = 1; i < this.requiredAffinity.length; i++) {
        const other = new Set(this.matching(ctx, this.requiredAffinity[i]!));
        groups = groups.filter((g) => other.has(g));
      }
      for (const g of groups) for (const t of this.requiredAffinity) affinity.addGroup(t.topologyKey, g, 1);
      this.selfMatchesAll = this.requiredAffinity.every((t) => termMatchesPod(t, info));
    }
    // Existing pods matching each of this pod's required anti-affinity terms.
    const anti = new DomainCounts(ctx);
    for (const t of this.requiredAnti)
      for (const g of this.matching(ctx, t)) anti.addGroup(t.topologyKey, g, 1);

    if (existing.total === 0 && this.requiredAffinity.length === 0 && this.requiredAnti.length === 0)
      return false;
    this.existingCounts = existing;
    this.affinityCounts = affinity;
    this.antiCounts = anti;
    return true;
  }

  filter(ctx: CycleContext, nodes: Int32Array, verdicts: Int32Array, count: number): void {
    const cache = ctx.cache;
    const affinity = this.affinityCounts!;
    const anti = this.antiCounts!;
    const existing = this.existingCounts!;
    for (let i = 0; i < count; i++) {
      if (verdicts[i] !== 0) continue;
      const s = nodes[i]!;
      const labels = cache.labels[s]!;
      // satisfyPodAffinity
      if (this.requiredAffinity.length > 0) {
        let podsExist = true;
        let missingKey = false;
        for (const t of this.requiredAffinity) {
          if (labels[t.topologyKey] === undefined) {
            missingKey = true;
            break;
          }
          if (affinity.get(t.topologyKey, s) <= 0) podsExist = false;
        }
        if (missingKey || (!podsExist && !(affinity.total === 0 && this.selfMatchesAll))) {
          verdicts[i] = this.affinityFailure;
          continue;
        }
      }
      // satisfyPodAntiAffinity
      if (anti.total > 0) {
        let hit = false;
        for (const t of this.requiredAnti) if (anti.get(t.topologyKey, s) > 0) hit = true;
        if (hit) {
          verdicts[i] = this.antiFailure;
          continue;
        }
      }
      // satisfyExistingPodsAntiAffinity
      if (existing.total > 0) {
        for (const key of existing.byKey.keys()) {
          if (existing.get(key, s) > 0) {
            verdicts[i] = this.existingFailure;
            break;
          }
        }
      }
    }
  }

  // ================= Score =================

  preScore(ctx: CycleContext): boolean {
    const info = ctx.info;
    const cache = ctx.cache;
    const prefAff = info.affinity?.preferredAffinity ?? [];
    const prefAnti = info.affinity?.preferredAntiAffinity ?? [];
    if (prefAff.length === 0 && prefAnti.length === 0 && cache.numPodsWithAffinity === 0) return false;
    const topo = new DomainCounts(ctx);
    for (const t of prefAff) for (const g of this.matching(ctx, t)) topo.addGroup(t.topologyKey, g, t.weight);
    for (const t of prefAnti)
      for (const g of this.matching(ctx, t)) topo.addGroup(t.topologyKey, g, -t.weight);
    if (cache.numPodsWithAffinity > 0) {
      for (const g of cache.affinityGroups) {
        if (g.total === 0) continue;
        const a = g.affinity!;
        for (const t of a.requiredAffinity)
          if (termMatchesPod(t, info)) topo.addGroup(t.topologyKey, g, HARD_POD_AFFINITY_WEIGHT);
        for (const t of a.preferredAffinity)
          if (termMatchesPod(t, info)) topo.addGroup(t.topologyKey, g, t.weight);
        for (const t of a.preferredAntiAffinity)
          if (termMatchesPod(t, info)) topo.addGroup(t.topologyKey, g, -t.weight);
      }
    }
    if (!topo.touched) return false;
    this.topology = topo;
    return true;
  }

  score(_ctx: CycleContext, nodes: Int32Array, count: number, out: Float64Array): void {
    const topo = this.topology!;
    for (let i = 0; i < count; i++) {
      const s = nodes[i]!;
      let score = 0;
      for (const e of topo.byKey.values()) {
        const id = e.index.ids[s]!;
        if (id >= 0) score += e.counts[id]!;
      }
      out[i] = score;
    }
  }

  normalize(_ctx: CycleContext, _nodes: Int32Array, count: number, scores: Float64Array): void {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      if (scores[i]! > max) max = scores[i]!;
      if (scores[i]! < min) min = scores[i]!;
    }
    const diff = max - min;
    for (let i = 0; i < count; i++)
      scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i]! - min) / diff)) : 0;
  }
}
