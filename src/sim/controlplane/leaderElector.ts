import type { LeaseObject } from '../api/types';
import type { ApiOutcome } from '../apiserver/request';
import type { ApiClient } from '../client/apiClient';
import { uuid } from '../kernel/rng';
import type { Sim } from '../kernel/sim';
import { microTime } from '../kubelet/kubelet';

/** component-base LeaderElectionConfiguration defaults for kube-scheduler and kube-controller-manager. */
export const LEASE_DURATION_MS = 15_000;
export const RENEW_DEADLINE_MS = 10_000;
export const RETRY_PERIOD_MS = 2_000;
export const LEADER_ELECTION_NAMESPACE = 'kube-system';

/**
 * client-go's leader election on a Lease in kube-system: every retry period, read the Lease and
 * take it if it is free or its holder has not renewed within the lease duration (judged by when
 * *we* last saw it change, so clocks need not agree); the holder renews, and gives up leadership if
 * it cannot renew for the renew deadline (the real binary then exits and restarts).
 */
export class LeaderElector {
  readonly identity: string;
  private alive = true;
  private leading = false;
  private lastRenewMs = Number.NEGATIVE_INFINITY;
  /** The holder and renew time last read, and when we read them (client-go's observedTime). */
  private observed: { holder: string; renewTime: string; atMs: number } | undefined;

  constructor(
    readonly leaseName: string,
    hostName: string,
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly onChange: (leading: boolean) => void,
  ) {
    this.identity = `${hostName}_${uuid(sim.rng)}`;
    this.sim.schedule(sim.rng.int(0, RETRY_PERIOD_MS), () => this.loop());
  }

  get isLeader(): boolean {
    return this.leading;
  }

  stop(): void {
    this.alive = false;
    this.leading = false;
  }

  private loop(): void {
    if (!this.alive) return;
    this.tryAcquireOrRenew();
    if (this.leading && this.sim.nowMs - this.lastRenewMs > RENEW_DEADLINE_MS) this.setLeading(false);
    this.sim.schedule(RETRY_PERIOD_MS, () => this.loop());
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.onChange(leading);
  }

  private tryAcquireOrRenew(): void {
    const name = this.leaseName;
    const namespace = LEADER_ELECTION_NAMESPACE;
    this.client.request({ verb: 'get', resource: 'leases', namespace, name }, (res) => {
      if (!this.alive) return;
      const now = microTime(this.sim.nowMs);
      if (status(res) === 404) {
        const lease: LeaseObject = {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace },
          spec: {
            holderIdentity: this.identity,
            leaseDurationSeconds: LEASE_DURATION_MS / 1000,
            acquireTime: now,
            renewTime: now,
            leaseTransitions: 0,
          },
        };
        this.client.request({ verb: 'create', resource: 'leases', namespace, body: lease }, (r) =>
          this.written(r),
        );
        return;
      }
      if (status(res) !== 200) return;
      const current = (res as { body: LeaseObject }).body;
      const holder = current.spec.holderIdentity ?? '';
      const renewTime = current.spec.renewTime ?? '';
      if (!this.observed || this.observed.holder !== holder || this.observed.renewTime !== renewTime) {
        this.observed = { holder, renewTime, atMs: this.sim.nowMs };
      }
      const mine = holder === this.identity;
      const expired = this.observed.atMs + LEASE_DURATION_MS <= this.sim.nowMs;
      if (!mine && holder !== '' && !expired) {
        this.setLeading(false);
        return;
      }
      const spec = mine
        ? { ...current.spec, renewTime: now }
        : {
            ...current.spec,
            holderIdentity: this.identity,
            leaseDurationSeconds: LEASE_DURATION_MS / 1000,
            acquireTime: now,
            renewTime: now,
            leaseTransitions: (current.spec.leaseTransitions ?? 0) + 1,
          };
      this.client.request(
        { verb: 'update', resource: 'leases', namespace, name, body: { ...current, spec } },
        (r) => this.written(r),
      );
    });
  }

  private written(res: ApiOutcome): void {
    if (!this.alive) return;
    const code = status(res);
    if (code !== 200 && code !== 201) return;
    const lease = (res as { body: LeaseObject }).body;
    this.observed = {
      holder: lease.spec.holderIdentity ?? '',
      renewTime: lease.spec.renewTime ?? '',
      atMs: this.sim.nowMs,
    };
    this.lastRenewMs = this.sim.nowMs;
    this.setLeading(true);
  }
}

function status(res: ApiOutcome): number {
  return 'transport' in res ? 0 : res.code;
}
