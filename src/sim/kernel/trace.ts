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
  | { readonly type: 'narration'; readonly text: string; readonly atMs: SimTimeMs };

/** Most trace events kept between two drains; older ones are dropped (the page only animates recent ones). */
export const TRACE_BUFFER_MAX = 20_000;

/** A bounded buffer of trace events that a host drains periodically. Off unless someone listens. */
export class TraceLog {
  private buffer: TraceEvent[] = [];
  enabled = false;

  emit(event: TraceEvent): void {
    if (!this.enabled) return;
    if (this.buffer.length >= TRACE_BUFFER_MAX) this.buffer.shift();
    this.buffer.push(event);
  }

  drain(): TraceEvent[] {
    const out = this.buffer;
    this.buffer = [];
    return out;
  }
}
