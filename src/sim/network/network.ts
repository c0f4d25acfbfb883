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
   * Per (sender, receiver), the link: hosts talk over TCP connections, which deliver in order, so a
   * message never overtakes an earlier one on the same link however the jitter falls. (Before,
   * Raft appends overtook each other, followers refused the gap, and a busy follower fell back to
   * probing and then to a snapshot.)
   */
  private readonly links = new Map<Endpoint, Map<Endpoint, Link>>();

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

  /** Whether a message from `from` reaches `to` now (on arrival: the receiver is up, no cut between). */
  reachable(from: Endpoint, to: Endpoint): boolean {
    return to.up && this.connected(from, to);
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
   * Sends a message; `deliver` runs on arrival if it is not dropped. The receiver is checked again
   * on arrival: it may have crashed, or a cut appeared, in flight. Returns the arrival time, or
   * undefined when dropped at once.
   */
  send(from: Endpoint, to: Endpoint, deliver: () => void, onDrop?: () => void): SimTimeMs | undefined {
    if (!from.up || !this.connected(from, to)) {
      onDrop?.();
      return undefined;
    }
    const link = this.link(from, to);
    const arrival = Math.max(this.sim.nowMs + this.latencyMs(from, to), link.lastArrival);
    const last = link.train;
    // Held back behind the previous message, it arrives with it: one event delivers both.
    if (last !== undefined && last.at === arrival) {
      last.add(deliver, onDrop);
      return arrival;
    }
    const train = new Train(arrival, deliver, onDrop);
    link.lastArrival = arrival;
    link.train = train;
    this.sim.schedule(arrival - this.sim.nowMs, () => {
      if (link.train === train) link.train = undefined;
      train.arrive(this, from, to);
    });
    return arrival;
  }

  private link(from: Endpoint, to: Endpoint): Link {
    let links = this.links.get(from);
    if (!links) this.links.set(from, (links = new Map()));
    let link = links.get(to);
    if (!link) links.set(to, (link = { lastArrival: 0, train: undefined }));
    return link;
  }
}

interface Link {
  lastArrival: SimTimeMs;
  /** The messages on their way that arrive last, while they are. */
  train: Train | undefined;
}

/** Messages on one link that arrive at the same instant, in the order sent. */
class Train {
  /** Further messages as (deliver, onDrop) pairs: most trains carry one message, and no array. */
  private more: ((() => void) | undefined)[] | undefined;

  constructor(
    readonly at: SimTimeMs,
    private readonly deliver: () => void,
    private readonly onDrop: (() => void) | undefined,
  ) {}

  add(deliver: () => void, onDrop: (() => void) | undefined): void {
    (this.more ??= []).push(deliver, onDrop);
  }

  /** Delivers each message whose receiver is still reachable as its turn comes, drops the others. */
  arrive(network: Network, from: Endpoint, to: Endpoint): void {
    if (network.reachable(from, to)) this.deliver();
    else this.onDrop?.();
    const more = this.more;
    if (!more) return;
    for (let i = 0; i < more.length; i += 2) {
      if (network.reachable(from, to)) (more[i] as () => void)();
      else more[i + 1]?.();
    }
  }
}
