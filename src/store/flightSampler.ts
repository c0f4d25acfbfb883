import type { RaftFlight } from '../worker/labHost';

/** How long one message takes to cross the picture, whatever its real latency (a few ms). */
export const FLIGHT_DURATION_MS = 1100;
/** The shortest wall-clock gap between two drawn messages on the same link of the same family. */
export const MIN_GAP_PER_LINK_MS = 800;

/** Message families a viewer can tell apart: heartbeats, appends carrying entries, and votes. */
export type FlightFamily = 'heartbeat' | 'append' | 'vote' | 'prevote' | 'snapshot';

export function familyOf(f: RaftFlight): FlightFamily {
  switch (f.kind) {
    case 'MsgVote':
    case 'MsgVoteResp':
      return 'vote';
    case 'MsgPreVote':
    case 'MsgPreVoteResp':
      return 'prevote';
    case 'MsgSnap':
      return 'snapshot';
    case 'MsgApp':
    case 'MsgAppResp':
      return f.entries > 0 || f.kind === 'MsgAppResp' ? 'append' : 'heartbeat';
    default:
      return 'heartbeat';
  }
}

/**
 * Real etcd sends a heartbeat to each follower every 100 ms: drawn one by one at a speed an eye can
 * follow, they would blur into a stream. The sampler keeps at most one message per link and family
 * every MIN_GAP_PER_LINK_MS of wall time, and never drops votes (elections are the story).
 */
export class FlightSampler {
  private readonly lastShown = new Map<string, number>();

  constructor(private readonly wallNow: () => number) {}

  pick(flights: readonly RaftFlight[]): RaftFlight[] {
    const now = this.wallNow();
    const out: RaftFlight[] = [];
    for (const f of flights) {
      const family = familyOf(f);
      const key = `${f.from}>${f.to}:${family}:${f.kind.endsWith('Resp') ? 'r' : 'q'}`;
      const last = this.lastShown.get(key);
      const important = family === 'vote' || family === 'prevote' || family === 'snapshot';
      if (!important && last !== undefined && now - last < MIN_GAP_PER_LINK_MS) continue;
      this.lastShown.set(key, now);
      out.push(f);
    }
    return out;
  }
}
