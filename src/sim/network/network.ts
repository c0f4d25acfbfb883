import type { Sim } from '../kernel/sim';
import type { SimTimeMs } from '../kernel/time';

/** Where a message starts or ends: a host in a zone, or the outside world (the user and the load balancer). */
export interface Endpoint {
  readonly name: string;
  /** null for the outside world, which reaches every zone (cuts are between zones only). */
  readonly zone: string | null;
  readonly up: boolean;
}

/** One-way latencies, as (base, jitter) in milliseconds. Inside a zone is sub-millisecond, across zones a few ms. */
export const LATENCY_SAME_HOST_MS = 0.05;
export const LATENCY_SAME_ZONE_MS = { base: 0.4, jitter: 0.4 };
export const LATENCY_CROSS_ZONE_MS = { base: 2, jitter: 2 };
export const LATENCY_EXTERNAL_MS = { base: 1, jitter: 1 };

/**
 * The network between hosts. Faults are data: a list of cuts, each isolating a set of zones from
 * everything else. A message is dropped if its sender is down, if a cut separates the two ends when
 * it is sent or when it arrives, or if the receiver is down on arrival. Messages between two hosts
 * arrive in the order they were sent.
 */
export class Network {
  private cuts: ReadonlySet<string>[] = [];
  /**
   * The last arrival time per (sender, receiver): hosts talk over TCP connections, which deliver
   * in order, so a message never overtakes an earlier one on the same link however the jitter
   * falls. (Before, Raft appends overtook each other, followers refused the gap, and a busy
   * follower fell back to probing and then to a snapshot.)
   */
  private readonly lastArrival = new Map<Endpoint, Map<Endpoint, SimTimeMs>>();

  constructor(private readonly sim: Sim) {}

  /** Cut the given zones off from all other zones (they still reach each other). */
  partition(zones: readonly string[]): void {
    this.cuts = [...this.cuts, new Set(zones)];
  }

  heal(): void {
    this.cuts = [];
  }

  /** The zones of each active cut, for snapshots. */
  activeCuts(): string[][] {
    return this.cuts.map((c) => [...c].sort());
  }

  connected(a: Endpoint, b: Endpoint): boolean {
    if (a.zone === null || b.zone === null || a.zone === b.zone) return true;
    for (const cut of this.cuts) if (cut.has(a.zone) !== cut.has(b.zone)) return false;
    return true;
  }

  latencyMs(a: Endpoint, b: Endpoint): number {
    if (a.name === b.name) return LATENCY_SAME_HOST_MS;
    const l =
      a.zone === null || b.zone === null
        ? LATENCY_EXTERNAL_MS
        : a.zone === b.zone
          ? LATENCY_SAME_ZONE_MS
          : LATENCY_CROSS_ZONE_MS;
    return l.base + this.sim.rng.float() * l.jitter;
  }

  /**
   * Sends a message; `deliver` runs on arrival if it is not dropped. `lookupReceiver` is read again on
   * arrival, because the receiver may have crashed or restarted in flight. Returns the arrival time,
   * or undefined when dropped at once.
   */
  send(from: Endpoint, to: () => Endpoint, deliver: () => void, onDrop?: () => void): SimTimeMs | undefined {
    const target = to();
    if (!from.up || !this.connected(from, target)) {
      onDrop?.();
      return undefined;
    }
    let links = this.lastArrival.get(from);
    if (!links) this.lastArrival.set(from, (links = new Map()));
    const arrival = Math.max(this.sim.nowMs + this.latencyMs(from, target), links.get(target) ?? 0);
    links.set(target, arrival);
    this.sim.schedule(arrival - this.sim.nowMs, () => {
      const receiver = to();
      if (receiver.up && this.connected(from, receiver)) deliver();
      else onDrop?.();
    });
    return arrival;
  }
}
