import type { SimTimeMs } from './time';

/**
 * Trace events: what just happened in the core, named `domain.pastTense`, with the timestamps an
 * animation needs. Views consume them; the core never reads them back.
 */
export type TraceEvent =
  | {
      readonly type: 'raft.messageSent';
      readonly kind: string;
      readonly from: string;
      readonly to: string;
      readonly term: number;
      readonly entries: number;
      readonly sendMs: SimTimeMs;
      readonly recvMs: SimTimeMs;
      readonly dropped: boolean;
    }
  | {
      readonly type: 'raft.leaderElected';
      readonly member: string;
      readonly term: number;
      readonly atMs: SimTimeMs;
    }
  | {
      readonly type: 'raft.leaderLost';
      readonly member: string;
      readonly term: number;
      readonly atMs: SimTimeMs;
    }
  | { readonly type: 'host.crashed'; readonly host: string; readonly atMs: SimTimeMs }
  | { readonly type: 'host.started'; readonly host: string; readonly atMs: SimTimeMs }
  | { readonly type: 'network.partitioned'; readonly zones: readonly string[]; readonly atMs: SimTimeMs }
  | { readonly type: 'network.healed'; readonly atMs: SimTimeMs }
  | {
      readonly type: 'api.requestServed';
      readonly server: string;
      readonly verb: string;
      readonly resource: string;
      readonly code: number;
      readonly atMs: SimTimeMs;
    }
  | { readonly type: 'narration'; readonly text: string; readonly atMs: SimTimeMs }
  | {
      /** The active scheduler ran one scheduling cycle for a pod (emitted only while tracing). */
      readonly type: 'scheduling.attempted';
      readonly atMs: SimTimeMs;
      readonly sample: SchedulingSample;
    }
  | {
      /** A Kubernetes Event a component recorded (what `kubectl get events -w` would stream). */
      readonly type: 'k8s.event';
      readonly atMs: SimTimeMs;
      readonly eventType: 'Normal' | 'Warning';
      readonly reason: string;
      /** `pod/web-x`, `deployment/web`, `node/worker-1`. */
      readonly object: string;
      /** The involved object's namespace (absent for cluster-scoped objects such as nodes). */
      readonly namespace?: string;
      readonly message: string;
      readonly component: string;
      readonly count: number;
      /** The recorder's spam filter dropped it: the component acted, but no Event was written. */
      readonly dropped?: true;
    };

/**
 * A compact summary of one scheduling cycle, small enough to trace for every pod: counts, the
 * winner, and at most SCHEDULING_SAMPLE_NODES_MAX nodes of each kind (never every node of a big
 * cluster: kube-scheduler-simulator's per-node annotations broke at ~800 nodes).
 */
export interface SchedulingSample {
  /** namespace/name */
  readonly pod: string;
  /** The pod's controlling owner, `ReplicaSet/web-7c5ddbdf54`, for its colour. */
  readonly owner: string | null;
  readonly numAllNodes: number;
  readonly evaluatedNodes: number;
  readonly feasibleNodes: number;
  /** The node chosen, absent when no node fits. */
  readonly nodeName?: string;
  readonly score?: number;
  /** The FailedScheduling message when no node fits. */
  readonly message?: string;
  /** Nodes a filter rejected, in visit order, with the reason in a few words (`Insufficient cpu`). */
  readonly filtered: readonly { readonly node: string; readonly reason: string; readonly detail: string }[];
  /** How many nodes a filter rejected, per short reason (all of them, not only those listed). */
  readonly filteredCounts: readonly { readonly reason: string; readonly count: number }[];
  /** The best-scoring feasible nodes, best first (the winner among them). */
  readonly scored: readonly { readonly node: string; readonly total: number }[];
}

/** Most trace events kept between two drains; older ones are dropped (the page only animates recent ones). */
export const TRACE_BUFFER_MAX = 20_000;

/**
 * A bounded buffer of trace events that a host drains periodically. Off unless someone listens.
 * Once full it is a ring: the newest event overwrites the oldest. (It used `shift()`, which copies
 * the whole 20,000-element buffer on every emit once nobody drains, e.g. while the page is hidden:
 * measured 20 µs per event, a thousand times the cost of the rest of the emit.)
 */
export class TraceLog {
  private buffer: TraceEvent[] = [];
  /** Index of the oldest event once the buffer is full. */
  private head = 0;
  enabled = false;

  emit(event: TraceEvent): void {
    if (!this.enabled) return;
    if (this.buffer.length < TRACE_BUFFER_MAX) {
      this.buffer.push(event);
      return;
    }
    this.buffer[this.head] = event;
    this.head = (this.head + 1) % TRACE_BUFFER_MAX;
  }

  /** Every event kept since the last drain, oldest first. */
  drain(): TraceEvent[] {
    const out =
      this.head === 0 ? this.buffer : [...this.buffer.slice(this.head), ...this.buffer.slice(0, this.head)];
    this.buffer = [];
    this.head = 0;
    return out;
  }
}

/** Adds a line of plain-words narration for the page ("the scheduler placed web-x on worker-2"). */
export function narrate(trace: TraceLog, atMs: SimTimeMs, text: string): void {
  if (trace.enabled) trace.emit({ type: 'narration', text, atMs });
}
