/**
 * One scheduling cycle (kube-scheduler's schedulePod): filter nodes round-robin from where the
 * previous cycle stopped until enough feasible nodes are found (percentageOfNodesToScore), score
 * them with every score plugin (normalised 0..100 × weight, summed), and pick the highest total,
 * breaking ties uniformly at random with the seeded RNG (reservoir sampling, as selectHost does).
 * When no node fits, the result carries the exact FailedScheduling message.
 *
 * Pure with respect to the cache: it reads it and does not change it. The caller assumes the pod on
 * the chosen node (`cache.assumePod`) and binds it. The per-node attempt record (for `trace
 * scheduling POD`) is built only with `record: true`; otherwise the cycle allocates nothing per node.
 */
import type { PodObject } from '../api/types';
import type { Rng } from '../kernel/rng';
import type { SchedulerCache } from './cache';
import { type CycleContext, type FilterPlugin, failureById, failureId, type ScorePlugin } from './framework';
import { defaultProfile, type Profile } from './plugins/registry';
import { type PodInfo, podInfo } from './podInfo';

/** minFeasibleNodesToFind: below this many nodes, every node is checked. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** minFeasibleNodesPercentageToFind: the adaptive percentage never drops below 5 %. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
/** numberOfHighestScoredNodesToReport. */
export const TOP_NODES_TO_REPORT = 3;
/** ErrNoNodesAvailable. */
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/** Where the next cycle starts its round-robin walk over the nodes (sched.nextStartNodeIndex). */
export interface SchedulerState {
  nextStartNodeIndex: number;
}

export interface SchedulePodOptions {
  readonly rng: Rng;
  readonly state: SchedulerState;
  /** 0 or absent: adaptive (50 − numNodes/125 %, at least 5 %); 1..100: that percentage. */
  readonly percentageOfNodesToScore?: number;
  /** Build the per-node record (filter verdicts and scores of every evaluated node). */
  readonly record?: boolean;
}

export interface FilterVerdict {
  readonly plugin: string;
  readonly reasons: readonly string[];
  readonly code: 'Unschedulable' | 'UnschedulableAndUnresolvable';
}

export interface PluginScore {
  readonly plugin: string;
  /** False when PreScore skipped the plugin for this pod (it then adds 0). */
  readonly ran: boolean;
  readonly raw: number;
  readonly normalized: number;
  readonly weight: number;
  readonly weighted: number;
}

export interface NodeAttempt {
  readonly node: string;
  /** The first failing filter, or null when the node passed every filter. */
  readonly filter: FilterVerdict | null;
  /** Per score plugin (absent when the node was filtered out or scoring was skipped). */
  readonly scores?: readonly PluginScore[];
  readonly total?: number;
}

export interface SchedulingAttempt {
  /** namespace/name */
  readonly pod: string;
  readonly numAllNodes: number;
  /** How many feasible nodes the cycle looked for before it stopped filtering. */
  readonly numFeasibleNodesToFind: number;
  readonly evaluatedNodes: number;
  readonly feasibleNodes: number;
  /** Scoring is skipped when exactly one node is feasible. */
  readonly scored: boolean;
  readonly nodeName?: string;
  readonly score?: number;
  readonly message?: string;
  /** Failure histogram (reason → nodes), when no node fit. */
  readonly reasons?: readonly { readonly reason: string; readonly count: number }[];
  /** Up to 3 best nodes with their totals (record mode). */
  readonly topNodes?: readonly { readonly node: string; readonly total: number }[];
  /** Every evaluated node in visit order (record mode). */
  readonly nodes?: readonly NodeAttempt[];
}

export interface ScheduleResult {
  readonly nodeName?: string;
  /** The FailedScheduling event message when no node fits. */
  readonly message?: string;
  readonly attempt: SchedulingAttempt;
}

/** numFeasibleNodesToFind (schedule_one.go). */
export function numFeasibleNodesToFind(
  percentageOfNodesToScore: number | undefined,
  numAllNodes: number,
): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = Math.trunc(percentageOfNodesToScore ?? 0);
  if (percentage <= 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)
      percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  if (percentage > 100) percentage = 100;
  const n = Math.trunc((numAllNodes * percentage) / 100);
  return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
}

/**
 * FitError.Error(): "0/N nodes are available: <histogram>." followed by the PostFilter
 * (DefaultPreemption) message. Histogram entries are "<count> <reason>" sorted as strings.
 * Preemption is not simulated: nodes that failed with Unschedulable count as "No preemption victims
 * found for incoming pod" (true while every pod has the same priority), the rest as "Preemption is
 * not helpful for scheduling". The newest upstream format ends in a single "." (1.29–1.33-era
 * clusters print "..").
 */
export function fitErrorMessage(
  numAllNodes: number,
  failureCounts: ReadonlyMap<number, number>,
  preemptNever: boolean,
): { message: string; reasons: { reason: string; count: number }[] } {
  const hist = new Map<string, number>();
  let notHelpful = 0;
  let noVictims = 0;
  for (const [id, n] of failureCounts) {
    const f = failureById(id);
    for (const r of f.reasons) hist.set(r, (hist.get(r) ?? 0) + n);
    if (f.code === 'UnschedulableAndUnresolvable') notHelpful += n;
    else noVictims += n;
  }
  const sorted = (m: Map<string, number>): string[] => [...m].map(([r, n]) => `${n} ${r}`).sort();
  let message = `0/${numAllNodes} nodes are available:`;
  const entries = sorted(hist);
  if (entries.length > 0) message += ` ${entries.join(', ')}.`;
  if (preemptNever) message += ' preemption: not eligible due to preemptionPolicy=Never.';
  else {
    const pre = new Map<string, number>();
    if (noVictims > 0) pre.set('No preemption victims found for incoming pod', noVictims);
    if (notHelpful > 0) pre.set('Preemption is not helpful for scheduling', notHelpful);
    message += ` preemption: 0/${numAllNodes} nodes are available: ${sorted(pre).join(', ')}.`;
  }
  const reasons = [...hist]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => (a.reason < b.reason ? -1 : 1));
  return { message, reasons };
}

/** One score plugin's results in a recorded cycle. */
interface PluginRun {
  readonly plugin: ScorePlugin;
  readonly ran: boolean;
  readonly raw: Float64Array | null;
  readonly norm: Float64Array | null;
  /** The normalised score on every node, when the plugin reported a uniform score. */
  readonly uniform: number;
  readonly uniformRaw?: number;
}

/** Scratch buffers and plugin instances for cycles over one cache. */
class Scheduler {
  readonly profile: Profile = defaultProfile();
  private readonly activeFilters: FilterPlugin[] = [];
  private feasible = new Int32Array(0);
  private failedNodes = new Int32Array(0);
  private failedIds = new Int32Array(0);
  private chunkNodes = new Int32Array(0);
  private verdicts = new Int32Array(0);
  private totals = new Float64Array(0);
  private buf = new Float64Array(0);
  /** Node-local score plugins that ran this cycle (see ScorePlugin.nodeLocalSignature). */
  private readonly nodeLocal: ScorePlugin[] = [];
  // Memo of the weighted sum of the node-local plugins, per slot.
  private memoVersion = new Int32Array(0);
  private memoSignature = new Int32Array(0);
  private memoScore = new Float64Array(0);
  private readonly memoSignatures = new Map<string, number>();
  private readonly localInputs: number[] = [];
  private lastInputs: number[] = [];
  private lastPlugins: ScorePlugin[] = [];
  private lastId = 0;
  /** Best total and its number of ties, found by addNodeLocal. */
  private bestTotal = 0;
  private bestTies = 0;

  constructor(readonly cache: SchedulerCache) {}

  private ensure(n: number): void {
    if (this.feasible.length >= n) return;
    const m = Math.max(n, 64);
    this.feasible = new Int32Array(m);
    this.failedNodes = new Int32Array(m);
    this.failedIds = new Int32Array(m);
    this.chunkNodes = new Int32Array(m);
    this.verdicts = new Int32Array(m);
    this.totals = new Float64Array(m);
    this.buf = new Float64Array(m);
  }

  /**
   * Adds Σ weight × score of the node-local plugins to `totals`, reusing each node's sum from an
   * earlier cycle when neither the node (cache.nodeVersion) nor the pod's signature changed. Only
   * the node that took the previous pod is recomputed in a stream of like pods.
   */
  private addNodeLocal(ctx: CycleContext, plugins: readonly ScorePlugin[], found: number): void {
    const cache = this.cache;
    // The signature id: the plugins, their weights and the pod numbers they depend on. A stream of
    // like pods reuses the previous cycle's id without building a key.
    const inputs = this.localInputs;
    inputs.length = 0;
    for (const p of plugins) {
      inputs.push(p.weight, -1);
      p.nodeLocalKey!(ctx, inputs);
    }
    const last = this.lastInputs;
    let same = last.length === inputs.length && this.lastPlugins.length === plugins.length;
    for (let i = 0; same && i < inputs.length; i++) if (inputs[i] !== last[i]) same = false;
    for (let i = 0; same && i < plugins.length; i++) if (plugins[i] !== this.lastPlugins[i]) same = false;
    if (!same) {
      let key = '';
      for (const p of plugins) key += `${p.name};`;
      key += inputs.join(',');
      let id = this.memoSignatures.get(key);
      if (id === undefined) {
        if (this.memoSignatures.size >= 4096) {
          this.memoSignatures.clear();
          this.memoSignature.fill(0);
        }
        id = this.memoSignatures.size + 1;
        this.memoSignatures.set(key, id);
      }
      this.lastId = id;
      this.lastInputs = inputs.slice();
      this.lastPlugins = plugins.slice();
    }
    const sigId = this.lastId;
    if (this.memoVersion.length < cache.capacity) {
      const n = cache.capacity;
      const v = new Int32Array(n);
      v.set(this.memoVersion);
      const sg = new Int32Array(n);
      sg.set(this.memoSignature);
      const sc = new Float64Array(n);
      sc.set(this.memoScore);
      this.memoVersion = v;
      this.memoSignature = sg;
      this.memoScore = sc;
    }
    const { feasible, totals, memoVersion, memoSignature, memoScore } = this;
    const versions = cache.nodeVersion;
    // This is the last addition to the totals: find the best total and its ties on the way.
    let best = Number.NEGATIVE_INFINITY;
    let ties = 0;
    for (let i = 0; i < found; i++) {
      const n = feasible[i]!;
      const v = versions[n]!;
      let sum: number;
      if (memoSignature[n] === sigId && memoVersion[n] === v) sum = memoScore[n]!;
      else {
        sum = 0;
        for (const p of plugins) sum += p.nodeScore!(ctx, n) * p.weight;
        memoSignature[n] = sigId;
        memoVersion[n] = v;
        memoScore[n] = sum;
      }
      const t = (totals[i]! += sum);
      if (t > best) {
        best = t;
        ties = 1;
      } else if (t === best) ties++;
    }
    this.bestTotal = best;
    this.bestTies = ties;
  }

  run(pod: PodObject, opts: SchedulePodOptions): ScheduleResult {
    const cache = this.cache;
    const info = podInfo(pod);
    const podName = `${info.namespace}/${info.name}`;
    const allOrder = cache.nodeOrder();
    // NodeAffinity's PreFilterResult (matchFields metadata.name, as a DaemonSet pod has): only
    // the named nodes are evaluated; the others count as rejected by the prefilter.
    const named = info.requiredNodeAffinity?.nodeNames;
    const order = named ? namedNodeOrder(cache, allOrder, named) : allOrder;
    const absent = allOrder.length - order.length;
    const numAll = order.length;
    if (named && numAll === 0 && allOrder.length > 0) {
      return this.fail(info, podName, allOrder.length, 0, 0, 0, null, absent);
    }
    if (numAll === 0) {
      return {
        message: ERR_NO_NODES_AVAILABLE,
        attempt: {
          pod: podName,
          numAllNodes: 0,
          numFeasibleNodesToFind: 0,
          evaluatedNodes: 0,
          feasibleNodes: 0,
          scored: false,
          message: ERR_NO_NODES_AVAILABLE,
        },
      };
    }
    this.ensure(numAll);
    const ctx: CycleContext = { cache, info, numAllNodes: numAll };

    // ---- PreFilter ----
    const active = this.activeFilters;
    active.length = 0;
    for (const f of this.profile.filters) if (f.preFilter(ctx)) active.push(f);

    // ---- Filter, round-robin from nextStartNodeIndex, in chunks ----
    const toFind = numFeasibleNodesToFind(opts.percentageOfNodesToScore, numAll);
    const start = named ? 0 : opts.state.nextStartNodeIndex;
    const { feasible, failedNodes, failedIds, chunkNodes, verdicts } = this;
    let found = 0;
    let failed = 0;
    let processed = 0;
    const record = opts.record === true;
    /** Record mode: (slot, verdict) pairs in visit order. */
    const visited: number[] | null = record ? [] : null;
    while (processed < numAll && found < toFind) {
      const k = Math.min(numAll - processed, Math.max(toFind - found, 16));
      const idx = (start + processed) % numAll;
      const first = Math.min(k, numAll - idx);
      chunkNodes.set(order.subarray(idx, idx + first), 0);
      if (first < k) chunkNodes.set(order.subarray(0, k - first), first);
      verdicts.fill(0, 0, k);
      for (const f of active) f.filter(ctx, chunkNodes, verdicts, k);
      let j = 0;
      for (; j < k; j++) {
        const v = verdicts[j]!;
        if (visited) visited.push(chunkNodes[j]!, v);
        if (v === 0) {
          feasible[found++] = chunkNodes[j]!;
          if (found === toFind) {
            j++;
            break;
          }
        } else {
          failedNodes[failed] = chunkNodes[j]!;
          failedIds[failed++] = v;
        }
      }
      processed += j;
    }
    if (!named) opts.state.nextStartNodeIndex = (start + processed) % numAll;

    if (found === 0)
      return this.fail(info, podName, numAll + absent, toFind, processed, failed, visited, absent);
    if (found === 1) {
      const nodeName = cache.names[feasible[0]!]!;
      return {
        nodeName,
        attempt: {
          pod: podName,
          numAllNodes: numAll,
          numFeasibleNodesToFind: toFind,
          evaluatedNodes: processed,
          feasibleNodes: 1,
          scored: false,
          nodeName,
          ...(visited
            ? {
                nodes: recordNodes(
                  cache,
                  visited,
                  new Map([[feasible[0]!, { node: nodeName, filter: null }]]),
                ),
              }
            : {}),
        },
      };
    }
    return this.score(ctx, opts, podName, numAll, toFind, processed, found, visited);
  }

  private score(
    ctx: CycleContext,
    opts: SchedulePodOptions,
    podName: string,
    numAll: number,
    toFind: number,
    processed: number,
    found: number,
    visited: number[] | null,
  ): ScheduleResult {
    const { feasible, totals, buf } = this;
    const record = visited !== null;
    totals.fill(0, 0, found);
    /** Score added to every node (plugins whose score is uniform this cycle). */
    let offset = 0;
    const perPlugin: PluginRun[] = [];
    const local = this.nodeLocal;
    local.length = 0;
    for (const p of this.profile.scores) {
      if (!p.preScore(ctx, feasible, found)) {
        if (record) perPlugin.push({ plugin: p, ran: false, raw: null, norm: null, uniform: 0 });
        continue;
      }
      const w = p.weight;
      const uniform = p.uniformScore?.(ctx);
      if (uniform !== undefined) {
        offset += uniform.normalized * w;
        if (record)
          perPlugin.push({
            plugin: p,
            ran: true,
            raw: null,
            norm: null,
            uniform: uniform.normalized,
            uniformRaw: uniform.raw,
          });
        continue;
      }
      if (!record && p.nodeLocalKey && p.nodeScore) {
        local.push(p);
        continue;
      }
      if (!record && p.addWeighted) {
        p.addWeighted(ctx, feasible, found, totals, w);
        continue;
      }
      p.score(ctx, feasible, found, buf);
      const raw = record ? buf.slice(0, found) : null;
      p.normalize(ctx, feasible, found, buf);
      for (let i = 0; i < found; i++) totals[i]! += buf[i]! * w;
      if (record) perPlugin.push({ plugin: p, ran: true, raw, norm: buf.slice(0, found), uniform: 0 });
    }
    let tracked = false;
    if (local.length > 0 && !record) {
      this.addNodeLocal(ctx, local, found);
      tracked = true;
    }
    // Uniform scores do not change the ranking: add them per node only for the record.
    if (record && offset !== 0) {
      for (let i = 0; i < found; i++) totals[i]! += offset;
      offset = 0;
    }

    // selectHost: the highest total, ties broken uniformly at random. kube-scheduler does this by
    // reservoir sampling (replace the pick with probability 1/k at the k-th tie); drawing one index
    // among the c tied nodes gives every tied node the same 1/c chance with one RNG draw, not c − 1.
    let bestScore = this.bestTotal;
    let ties = this.bestTies;
    if (!tracked) {
      bestScore = totals[0]!;
      ties = 1;
      for (let i = 1; i < found; i++) {
        const t = totals[i]!;
        if (t > bestScore) {
          bestScore = t;
          ties = 1;
        } else if (t === bestScore) ties++;
      }
    }
    let best = 0;
    let k = ties > 1 ? opts.rng.int(0, ties - 1) : 0;
    for (let i = 0; i < found; i++) {
      if (totals[i] === bestScore && k-- === 0) {
        best = i;
        break;
      }
    }
    const cache = this.cache;
    const nodeName = cache.names[feasible[best]!]!;
    let extra: Partial<SchedulingAttempt> = {};
    if (visited) {
      const feasibleRecords: NodeAttempt[] = [];
      for (let i = 0; i < found; i++) {
        const scores: PluginScore[] = perPlugin.map((pp) => {
          const raw = pp.raw ? pp.raw[i]! : (pp.uniformRaw ?? 0);
          const normalized = pp.norm ? pp.norm[i]! : pp.uniform;
          return {
            plugin: pp.plugin.name,
            ran: pp.ran,
            raw,
            normalized,
            weight: pp.plugin.weight,
            weighted: normalized * pp.plugin.weight,
          };
        });
        feasibleRecords.push({ node: cache.names[feasible[i]!]!, filter: null, scores, total: totals[i]! });
      }
      const top = feasibleRecords
        .map((r, i) => ({ node: r.node, total: r.total!, i }))
        .sort((a, b) => b.total - a.total || a.i - b.i)
        .slice(0, TOP_NODES_TO_REPORT)
        .map(({ node, total }) => ({ node, total }));
      const bySlot = new Map<number, NodeAttempt>();
      for (let i = 0; i < found; i++) bySlot.set(feasible[i]!, feasibleRecords[i]!);
      extra = { topNodes: top, nodes: recordNodes(cache, visited, bySlot) };
    }
    return {
      nodeName,
      attempt: {
        pod: podName,
        numAllNodes: numAll,
        numFeasibleNodesToFind: toFind,
        evaluatedNodes: processed,
        feasibleNodes: found,
        scored: true,
        nodeName,
        score: bestScore + offset,
        ...extra,
      },
    };
  }

  private fail(
    info: PodInfo,
    podName: string,
    numAll: number,
    toFind: number,
    processed: number,
    failed: number,
    visited: number[] | null,
    absent = 0,
  ): ScheduleResult {
    const counts = new Map<number, number>();
    for (let i = 0; i < failed; i++)
      counts.set(this.failedIds[i]!, (counts.get(this.failedIds[i]!) ?? 0) + 1);
    if (absent > 0) counts.set(PREFILTER_ABSENT, absent);
    const { message, reasons } = fitErrorMessage(numAll, counts, info.preemptNever);
    return {
      message,
      attempt: {
        pod: podName,
        numAllNodes: numAll,
        numFeasibleNodesToFind: toFind,
        evaluatedNodes: processed,
        feasibleNodes: 0,
        scored: false,
        message,
        reasons,
        ...(visited ? { nodes: recordNodes(this.cache, visited, new Map()) } : {}),
      },
    };
  }
}

/** Evaluated nodes in visit order, from (slot, verdict) pairs; feasible ones from `passed`. */
function recordNodes(
  cache: SchedulerCache,
  visited: readonly number[],
  passed: ReadonlyMap<number, NodeAttempt>,
): NodeAttempt[] {
  const out: NodeAttempt[] = [];
  for (let i = 0; i < visited.length; i += 2) {
    const slot = visited[i]!;
    const v = visited[i + 1]!;
    if (v === 0) {
      out.push(passed.get(slot) ?? { node: cache.names[slot]!, filter: null });
    } else {
      const f = failureById(v);
      out.push({ node: cache.names[slot]!, filter: { plugin: f.plugin, reasons: f.reasons, code: f.code } });
    }
  }
  return out;
}

/** The status of the nodes a PreFilterResult leaves out (SetAbsentNodesStatus). */
const PREFILTER_ABSENT = failureId(
  'NodeAffinity',
  ["node(s) didn't satisfy plugin(s) [NodeAffinity]"],
  'UnschedulableAndUnresolvable',
);

/** The slots of the named nodes, in nodeTree order (a handful of names: no scan of every node). */
function namedNodeOrder(cache: SchedulerCache, all: Int32Array, names: ReadonlySet<string>): Int32Array {
  const slots: number[] = [];
  for (const n of names) {
    const s = cache.slotOf(n);
    if (s !== undefined) slots.push(s);
  }
  if (slots.length <= 1) return Int32Array.from(slots);
  const wanted = new Set(slots);
  return all.filter((s) => wanted.has(s));
}

const schedulers = new WeakMap<SchedulerCache, Scheduler>();

/**
 * Runs one scheduling cycle for `pod` against `cache`: returns the chosen node, or the
 * FailedScheduling message; advances `opts.state.nextStartNodeIndex`; draws from `opts.rng` only to
 * break ties. Does not modify the cache (call `cache.assumePod(pod, nodeName)` to count the pod).
 */
export function schedulePod(pod: PodObject, cache: SchedulerCache, opts: SchedulePodOptions): ScheduleResult {
  let s = schedulers.get(cache);
  if (!s) {
    s = new Scheduler(cache);
    schedulers.set(cache, s);
  }
  return s.run(pod, opts);
}
