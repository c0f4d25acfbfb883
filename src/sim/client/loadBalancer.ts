import type { Host } from '../cluster/host';
import type { Sim } from '../kernel/sim';
import type { Endpoint, Network } from '../network/network';

/** Health-check cadence of the API load balancer (like HAProxy's `inter 2s fall 2 rise 1`). */
export const LB_CHECK_INTERVAL_MS = 2000;
export const LB_FALL = 2;
export const LB_RISE = 1;

/** The address clients use for the API: a load balancer in front of every kube-apiserver. */
export const API_ENDPOINT = '10.0.0.100:6443';

interface Backend {
  readonly host: Host;
  healthy: boolean;
  streak: number;
}

/**
 * Health-checks each API server's /readyz and spreads requests over the healthy ones, round-robin.
 * When none is healthy it fails open to any live one, as common load balancers do, so a user whose
 * etcd lost quorum sees the API server's etcd error rather than a refused connection.
 */
export class LoadBalancer {
  private readonly backends: Backend[];
  private cursor = 0;

  constructor(
    hosts: readonly Host[],
    private readonly network: Network,
    private readonly readyz: (host: Host) => boolean,
    sim: Sim,
  ) {
    this.backends = hosts.map((host) => ({ host, healthy: false, streak: 0 }));
    const check = (): void => {
      this.checkAll();
      sim.schedule(LB_CHECK_INTERVAL_MS, check);
    };
    sim.schedule(0, check);
  }

  addBackend(host: Host): void {
    this.backends.push({ host, healthy: false, streak: 0 });
  }

  /** Which backends the load balancer currently sends to, for the page. */
  healthyHosts(): string[] {
    return this.backends.filter((b) => b.healthy).map((b) => b.host.name);
  }

  /**
   * Chooses the API server for a request from `caller`. Only backends the caller can reach count
   * (a kubelet in a cut-off zone reaches only its own zone). Undefined means the connection is refused.
   */
  pick(caller: Endpoint): Host | undefined {
    const reachable = this.backends.filter((b) => this.network.connected(caller, b.host));
    const healthy = reachable.filter((b) => b.healthy && b.host.up);
    const pool = healthy.length > 0 ? healthy : reachable.filter((b) => b.host.up);
    if (pool.length === 0) return undefined;
    this.cursor = (this.cursor + 1) % 1_000_000;
    return pool[this.cursor % pool.length]!.host;
  }

  private checkAll(): void {
    for (const b of this.backends) {
      const ok = b.host.up && this.readyz(b.host);
      if (ok === b.healthy) {
        b.streak = 0;
        continue;
      }
      b.streak++;
      if (b.streak >= (ok ? LB_RISE : LB_FALL)) {
        b.healthy = ok;
        b.streak = 0;
      }
    }
  }
}
