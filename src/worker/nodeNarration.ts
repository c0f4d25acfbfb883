import { NODE_MONITOR_GRACE_PERIOD_MS } from '../sim/controlplane/nodeLifecycle';
import { rfc3339 } from '../sim/kernel/time';
import type { TraceEvent } from '../sim/kernel/trace';
import type { NodeSnapshot, NodeTaintSnapshot } from '../sim/snapshot';

/** A line of narration at a simulated instant (the shape of `Happening`). */
export interface NarrationLine {
  readonly atMs: number;
  readonly text: string;
}

/** How the pods of a node fare under one of its NoExecute taints. */
export interface EvictionPlan {
  /** Pods that do not tolerate the taint: evicted at once. */
  readonly now: number;
  /** Pods that tolerate it for a while: how many, per tolerationSeconds. */
  readonly after: ReadonlyMap<number, number>;
  /** Pods that tolerate it for good (no tolerationSeconds: DaemonSet pods, for instance). */
  readonly never: number;
}

/** What the narrator asks of the cluster, read from etcd at the moment it narrates. */
export interface NodeFacts {
  /** When the node's kubelet last renewed its Lease, if known. */
  lastHeartbeatMs(node: string): number | undefined;
  /** When the node's NoExecute taint `key` was added (its timeAdded), while the node still has it. */
  noExecuteAddedMs(node: string, key: string): number | undefined;
  /** The node a pod is bound to, while the pod exists. */
  podNode(namespace: string, name: string): string | undefined;
  /** The node's pods against its NoExecute taint `key`, if the node has that taint. */
  evictionPlan(node: string, key: string): EvictionPlan | undefined;
}

/** Taint keys the node lifecycle controller manages (`node.kubernetes.io/…` condition taints). */
const CONTROLLER_TAINTS = new Set([
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unschedulable',
  'node.kubernetes.io/memory-pressure',
  'node.kubernetes.io/disk-pressure',
  'node.kubernetes.io/pid-pressure',
  'node.kubernetes.io/network-unavailable',
]);

/** After an eviction, pods of the same owner scheduled within this long are its replacements. */
export const REPLACEMENT_WINDOW_MS = 60_000;
/** Names listed in a line before the rest are counted ("worker-1, worker-2, worker-3 and 4 more"). */
const NAMES_LISTED = 3;

/** The per-pod line the taint eviction controller traces (aggregated here, per node). */
const EVICTION_LINE = /^The taint eviction controller deleted pod (\S+): (\S+) has taint (\S+):(\w+)/;
/** The scheduler's per-pod line (a replacement's is folded into one line per burst). */
const PLACED_LINE = /^The scheduler placed (\S+) on /;
/** The ReplicaSet controller's line (folded into the eviction line when it replaces evicted pods). */
const CREATED_LINE = /^The ReplicaSet controller saw \d+ of \d+ pods for (\S+) and created (\d+)\./;

interface Eviction {
  readonly node: string;
  readonly key: string;
  readonly pods: string[];
  atMs: number;
}

interface Placement {
  readonly from: string;
  readonly to: Map<string, number>;
  count: number;
  atMs: number;
}

/**
 * Narrates a node failure from what the worker sees: the node controller's `NodeNotReady` Events,
 * the taints appearing and going in successive snapshots, the taint eviction controller's
 * `TaintManagerEviction` Events and the scheduler's `Scheduled` Events of the replacements. Bursts
 * are told once per frame ("evicted 4 pods from worker-2"), never one line per pod.
 */
export class NodeNarrator {
  /** Each node's taints (`key:effect`), cordon and readiness at the last snapshot. */
  private previous: Map<string, { taints: string; cordoned: boolean; ready: string }> | undefined;
  private readonly zones = new Map<string, string>();
  /** Owner prefixes (a pod name minus its random suffix) of evicted pods: from which node, until when. */
  private readonly evictedOwners = new Map<string, { node: string; untilMs: number }>();
  private notReady: { names: string[]; atMs: number } | undefined;
  private readonly evictions = new Map<string, Eviction>();
  /** Node and taint of each pod the eviction controller traced in this frame. */
  private readonly evictionTraced = new Map<string, { node: string; key: string }>();
  private readonly placements = new Map<string, Placement>();
  /** Replacement pods counted in this frame: the scheduler's own line about each is folded. */
  private readonly replacementPods = new Set<string>();
  /** Pods the ReplicaSet controller created in this frame for owners of evicted pods, per ReplicaSet. */
  private readonly created = new Map<string, number>();
  private lines: NarrationLine[] = [];

  constructor(private readonly facts: NodeFacts) {}

  /** Forgets everything (a new scenario). */
  reset(): void {
    this.previous = undefined;
    this.zones.clear();
    this.evictedOwners.clear();
    this.clearFrame();
  }

  /**
   * Reads one trace event. Returns true when the event's own narration is folded into a line of
   * this narrator's (the caller then leaves it out).
   */
  take(e: TraceEvent): boolean {
    if (e.type === 'narration') {
      const evicted = EVICTION_LINE.exec(e.text);
      if (evicted) {
        this.evictionTraced.set(evicted[1] as string, {
          node: evicted[2] as string,
          key: evicted[3] as string,
        });
        return true;
      }
      const created = CREATED_LINE.exec(e.text);
      if (
        created &&
        [...this.evictions.values()].some((ev) => ev.pods.some((p) => ownerPrefix(p) === created[1]))
      ) {
        this.created.set(
          created[1] as string,
          (this.created.get(created[1] as string) ?? 0) + Number(created[2]),
        );
        return true;
      }
      const placed = PLACED_LINE.exec(e.text);
      return placed !== null && this.replacementPods.has(placed[1] as string);
    }
    if (e.type !== 'k8s.event') return false;
    const slash = e.object.indexOf('/');
    const kind = e.object.slice(0, slash);
    const name = e.object.slice(slash + 1);
    if (kind === 'node' && e.reason === 'NodeNotReady') {
      if (!this.notReady) this.notReady = { names: [], atMs: e.atMs };
      if (!this.notReady.names.includes(name)) this.notReady.names.push(name);
      this.notReady.atMs = e.atMs;
    } else if (kind === 'pod' && e.reason === 'TaintManagerEviction') {
      this.evicted(e.namespace ?? 'default', name, e.atMs);
    } else if (kind === 'pod' && e.reason === 'Scheduled') {
      this.scheduled(name, e.message, e.atMs);
    }
    return false;
  }

  private evicted(namespace: string, pod: string, atMs: number): void {
    const traced = this.evictionTraced.get(pod);
    const node = traced?.node ?? this.facts.podNode(namespace, pod) ?? '?';
    const key = traced?.key ?? '';
    const id = `${node}\n${key}`;
    let ev = this.evictions.get(id);
    if (!ev) this.evictions.set(id, (ev = { node, key, pods: [], atMs }));
    ev.pods.push(pod);
    ev.atMs = Math.max(ev.atMs, atMs);
    this.evictedOwners.set(ownerPrefix(pod), { node, untilMs: atMs + REPLACEMENT_WINDOW_MS });
  }

  private scheduled(pod: string, message: string, atMs: number): void {
    const owner = this.evictedOwners.get(ownerPrefix(pod));
    if (!owner) return;
    if (atMs > owner.untilMs) {
      this.evictedOwners.delete(ownerPrefix(pod));
      return;
    }
    const to = / to (\S+)$/.exec(message)?.[1];
    if (!to) return;
    let p = this.placements.get(owner.node);
    if (!p) this.placements.set(owner.node, (p = { from: owner.node, to: new Map(), count: 0, atMs }));
    p.to.set(to, (p.to.get(to) ?? 0) + 1);
    p.count++;
    p.atMs = Math.max(p.atMs, atMs);
    this.replacementPods.add(pod);
  }

  /**
   * Compares the nodes of a fresh snapshot with the previous one: taints added or removed, nodes
   * cordoned or uncordoned, nodes Ready again. The first snapshot is only remembered.
   */
  observe(nodes: readonly NodeSnapshot[], atMs: number): void {
    const before = this.previous;
    const now = new Map<string, { taints: string; cordoned: boolean; ready: string }>();
    // Grouped so that a zone's worth of nodes tainted at once makes one line.
    const added = new Map<string, { key: string; effects: string[]; nodes: string[] }>();
    const removed = new Map<string, { key: string; effects: string[]; nodes: string[] }>();
    const cordoned: string[] = [];
    const uncordoned: string[] = [];
    const readyAgain: string[] = [];
    for (const n of nodes) {
      this.zones.set(n.name, n.zone);
      const state = { taints: taintSignature(n.taints), cordoned: n.schedulingDisabled, ready: n.ready };
      now.set(n.name, state);
      const prev = before?.get(n.name);
      if (!prev) continue;
      if (prev.taints !== state.taints) {
        const was = prev.taints === '' ? [] : prev.taints.split('|');
        const is = state.taints === '' ? [] : state.taints.split('|');
        group(
          added,
          n.name,
          is.filter((t) => !was.includes(t)),
        );
        group(
          removed,
          n.name,
          was.filter((t) => !is.includes(t)),
        );
      }
      if (state.cordoned !== prev.cordoned) (state.cordoned ? cordoned : uncordoned).push(n.name);
      if (state.ready === 'Ready' && prev.ready !== 'Ready') readyAgain.push(n.name);
    }
    this.previous = now;
    if (!before) return;
    for (const g of added.values()) {
      // A NoExecute taint says when it was added: the line goes there, not at the snapshot's time.
      const since = g.effects.includes('NoExecute')
        ? this.facts.noExecuteAddedMs(g.nodes[0] as string, g.key)
        : undefined;
      // Marked NotReady in this frame: the taints come with it, told just after it.
      const marked = this.notReady?.names.includes(g.nodes[0] as string) ? this.notReady.atMs : undefined;
      this.say(marked ?? Math.min(atMs, since ?? atMs), this.taintedLine(g.key, g.effects, g.nodes));
    }
    for (const g of removed.values()) {
      const ready = g.nodes.every((n) => now.get(n)?.ready === 'Ready');
      this.say(atMs, untaintedLine(g.key, g.effects, g.nodes, ready));
    }
    if (readyAgain.length > 0)
      this.say(
        atMs,
        `${names(readyAgain)} ${readyAgain.length === 1 ? 'is' : 'are'} Ready again: ${readyAgain.length === 1 ? 'its kubelet posts' : 'their kubelets post'} status to the API server.`,
      );
    if (cordoned.length > 0)
      this.say(
        atMs,
        `${names(cordoned)} ${cordoned.length === 1 ? 'is' : 'are'} cordoned (spec.unschedulable): the scheduler places no new pods there; pods already there keep running.`,
      );
    if (uncordoned.length > 0)
      this.say(
        atMs,
        `${names(uncordoned)} ${uncordoned.length === 1 ? 'is' : 'are'} uncordoned: the scheduler may place pods there again.`,
      );
  }

  /** The lines of this frame, oldest first; the frame's bookkeeping starts afresh. */
  flush(nowMs: number): NarrationLine[] {
    for (const [owner, o] of this.evictedOwners) if (o.untilMs < nowMs) this.evictedOwners.delete(owner);
    if (this.notReady) {
      const { names: nodes, atMs } = this.notReady;
      const grace = seconds(NODE_MONITOR_GRACE_PERIOD_MS);
      const last = nodes.length === 1 ? this.facts.lastHeartbeatMs(nodes[0] as string) : undefined;
      const silence =
        last !== undefined && atMs - last > NODE_MONITOR_GRACE_PERIOD_MS
          ? `no heartbeat for ${seconds(atMs - last)}s (node-monitor-grace-period: ${grace}s)`
          : `no heartbeat for over ${grace}s (node-monitor-grace-period)`;
      // Before the taints it brings, which the snapshot shows at the same instant.
      this.lines.unshift({
        atMs,
        text: `The node controller marked ${names(nodes)} NotReady: ${silence}; ${nodes.length === 1 ? 'its' : 'their'} conditions are Unknown and ${nodes.length === 1 ? 'its' : 'their'} pods no longer count as ready.`,
      });
    }
    // Evictions and the replacements scheduled in the same frame make one line: a burst of four
    // lines would push the eviction out of the few the page shows.
    for (const ev of this.evictions.values()) {
      const p = this.placements.get(ev.node);
      this.placements.delete(ev.node);
      this.say(Math.max(ev.atMs, p?.atMs ?? 0), this.evictedLine(ev, p));
    }
    for (const p of this.placements.values()) {
      this.say(
        p.atMs,
        `The scheduler placed ${p.count} replacement${p.count === 1 ? '' : 's'} for ${p.count === 1 ? 'a pod' : 'pods'} evicted from ${p.from}${this.where(p)}.`,
      );
    }
    const out = this.lines.sort((a, b) => a.atMs - b.atMs);
    this.clearFrame();
    return out;
  }

  /** " on worker-3 (zone-a)", or ": 2 on worker-3 (zone-a), 1 on worker-6 (zone-c)". */
  private where(p: Placement): string {
    const at = (node: string) => `${node}${this.zones.has(node) ? ` (${this.zones.get(node)})` : ''}`;
    if (p.to.size === 1) return ` on ${at([...p.to.keys()][0] as string)}`;
    return `: ${[...p.to].map(([node, n]) => `${n} on ${at(node)}`).join(', ')}`;
  }

  private clearFrame(): void {
    this.notReady = undefined;
    this.evictions.clear();
    this.evictionTraced.clear();
    this.placements.clear();
    this.replacementPods.clear();
    this.created.clear();
    this.lines = [];
  }

  private say(atMs: number, text: string): void {
    this.lines.push({ atMs, text });
  }

  private taintedLine(key: string, effects: readonly string[], nodes: readonly string[]): string {
    const taint = `${key} (${effects.join(', ')})`;
    const what = [
      effects.includes('NoSchedule') || effects.includes('NoExecute')
        ? 'no new pods go there unless they tolerate it'
        : effects.includes('PreferNoSchedule')
          ? 'the scheduler avoids it for pods that do not tolerate it'
          : '',
    ];
    if (effects.includes('NoExecute')) {
      const plan = nodes.length === 1 ? this.facts.evictionPlan(nodes[0] as string, key) : undefined;
      what.push(plan ? planWords(plan, this.facts.noExecuteAddedMs(nodes[0] as string, key)) : evictionRule);
    }
    const why = what.filter((w) => w !== '').join('; ');
    return CONTROLLER_TAINTS.has(key)
      ? `The node controller tainted ${names(nodes)} ${taint}: ${why}.`
      : `${names(nodes)} ${nodes.length === 1 ? 'was' : 'were'} tainted ${taint}: ${why}.`;
  }

  private evictedLine(ev: Eviction, placed: Placement | undefined): string {
    const count = `${ev.pods.length} pod${ev.pods.length === 1 ? '' : 's'}`;
    const listed = names(ev.pods);
    const added = ev.key ? this.facts.noExecuteAddedMs(ev.node, ev.key) : undefined;
    const one = ev.pods.length === 1;
    const [they, their] = one ? ['it', 'its'] : ['they', 'their'];
    const tolerated = !ev.key
      ? `${ev.node} has a NoExecute taint ${they} did not tolerate long enough`
      : added !== undefined && ev.atMs - added >= 1000
        ? `${they} tolerated ${ev.key}:NoExecute for ${seconds(ev.atMs - added)}s`
        : `${they} ${one ? 'does' : 'do'} not tolerate ${ev.key}:NoExecute`;
    const stays =
      ev.key === 'node.kubernetes.io/unreachable'
        ? ` ${one ? 'It stays' : 'They stay'} there as Terminating (${ev.node} cannot confirm the deletion);`
        : '';
    let created = 0;
    for (const rs of new Set(ev.pods.map(ownerPrefix))) created += this.created.get(rs) ?? 0;
    const made =
      created > 0
        ? ` the ReplicaSet controller created ${created === 1 ? 'a replacement' : `${created} replacements`}`
        : '';
    const replaced = placed
      ? `${made}${made ? ' and' : ''} the scheduler placed ${made ? (placed.count === 1 ? 'it' : 'them') : placed.count === 1 ? `${their} replacement` : `${placed.count} replacements`}${this.where(placed)}.`
      : made
        ? `${made}.`
        : ` ${their} controller${one ? ' creates a replacement' : 's create replacements'}.`;
    return `The taint eviction controller evicted ${count} from ${ev.node} (${listed}): ${tolerated}.${stays}${replaced}`;
  }
}

const evictionRule =
  'pods there that do not tolerate it are evicted, the others when their tolerationSeconds run out';

/** "4 pods tolerate it for 300s (evicted at 09:06:12); 1 tolerates it indefinitely". */
function planWords(plan: EvictionPlan, addedMs: number | undefined): string {
  const parts: string[] = [];
  if (plan.now > 0)
    parts.push(`${pods(plan.now)} that do${plan.now === 1 ? 'es' : ''} not tolerate it are evicted now`);
  for (const [secs, n] of [...plan.after].sort((a, b) => a[0] - b[0])) {
    const at = addedMs !== undefined ? `, evicted at ${rfc3339(addedMs + secs * 1000).slice(11, 19)}` : '';
    parts.push(`${pods(n)} tolerate${n === 1 ? 's' : ''} it for ${secs}s${at}`);
  }
  if (plan.never > 0)
    parts.push(`${pods(plan.never)} tolerate${plan.never === 1 ? 's' : ''} it indefinitely`);
  return parts.length === 0 ? 'no pod there to evict' : parts.join(', ');
}

function pods(n: number): string {
  return `${n} pod${n === 1 ? '' : 's'}`;
}

function group(
  into: Map<string, { key: string; effects: string[]; nodes: string[] }>,
  node: string,
  taints: readonly string[],
): void {
  if (taints.length === 0) return;
  // One group per key and set of effects: the node controller adds NoSchedule and NoExecute together.
  const byKey = new Map<string, string[]>();
  for (const t of taints) {
    const colon = t.lastIndexOf(':');
    const key = t.slice(0, colon);
    byKey.set(key, [...(byKey.get(key) ?? []), t.slice(colon + 1)]);
  }
  for (const [key, effects] of byKey) {
    const id = `${key}:${effects.join(',')}`;
    let g = into.get(id);
    if (!g) into.set(id, (g = { key, effects, nodes: [] }));
    g.nodes.push(node);
  }
}

function untaintedLine(
  key: string,
  effects: readonly string[],
  nodes: readonly string[],
  ready: boolean,
): string {
  const taint = `${key} (${effects.join(', ')})`;
  if (CONTROLLER_TAINTS.has(key))
    return `The node controller removed the taint ${taint} from ${names(nodes)}${ready ? `: ${nodes.length === 1 ? 'it is' : 'they are'} Ready, and the scheduler may place pods there again` : ''}.`;
  return `The taint ${taint} was removed from ${names(nodes)}.`;
}

/** `key:effect|key:effect`, in the node's order ('' for none). */
export function taintSignature(taints: readonly NodeTaintSnapshot[]): string {
  if (taints.length === 0) return '';
  return taints.map((t) => `${t.key}:${t.effect}`).join('|');
}

/** A pod's owner as its name says it: `web-7c5ddbdf54-x2x9q` → `web-7c5ddbdf54`. */
export function ownerPrefix(pod: string): string {
  const dash = pod.lastIndexOf('-');
  return dash > 0 ? pod.slice(0, dash) : pod;
}

/** "worker-1", "worker-1 and worker-2", "worker-1, worker-2, worker-3 and 4 more". */
export function names(list: readonly string[]): string {
  if (list.length <= 1) return list[0] ?? '';
  if (list.length <= NAMES_LISTED) return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
  return `${list.slice(0, NAMES_LISTED).join(', ')} and ${list.length - NAMES_LISTED} more`;
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}
