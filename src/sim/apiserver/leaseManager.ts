import type { EtcdMember, EtcdResult } from '../etcd/member';
import type { Sim } from '../kernel/sim';

/** kube-apiserver's --event-ttl default: an Event lives an hour after its last write. */
export const EVENT_TTL_S = 3600;
/** The storage layer's lease reuse window: at most 60 s, and at most 5% of the TTL. */
export const LEASE_REUSE_DURATION_S = 60;
const LEASE_REUSE_DURATION_PERCENT = 0.05;
/** Objects attached to one lease before the next write asks etcd for a new one. */
export const LEASE_MAX_OBJECT_COUNT = 1000;

interface Waiting {
  readonly member: EtcdMember;
  readonly ttl: number;
  readonly then: (r: EtcdResult<string>) => void;
}

/**
 * The API server's etcd lease manager (storage/etcd3): a write with a TTL is attached to the lease
 * granted for an earlier write when that one expires a little after this write should (within the
 * reuse window) and holds fewer than 1,000 objects; otherwise it asks etcd for a new lease, of the
 * TTL plus the window. So a burst of Events costs one grant per thousand, and etcd deletes each
 * Event between its TTL and a minute later. Writes waiting while a grant is out go after it, in order.
 */
export class LeaseManager {
  private prevLease: string | undefined;
  private prevExpiryMs = 0;
  private attached = 0;
  private waiting: Waiting[] | undefined;

  constructor(private readonly sim: Sim) {}

  /** The lease for a write whose object should live `ttl` seconds. */
  leaseFor(member: EtcdMember, ttl: number, then: (r: EtcdResult<string>) => void): void {
    if (this.waiting) {
      this.waiting.push({ member, ttl, then });
      return;
    }
    const now = this.sim.nowMs;
    const reuse = Math.min(LEASE_REUSE_DURATION_S, Math.trunc(LEASE_REUSE_DURATION_PERCENT * ttl));
    const valid = now + ttl * 1000 < this.prevExpiryMs;
    const sufficient = now + (ttl + reuse) * 1000 > this.prevExpiryMs;
    // Every write counts against the lease, whether or not it succeeds.
    this.attached++;
    if (this.prevLease !== undefined && valid && sufficient && this.attached <= LEASE_MAX_OBJECT_COUNT) {
      then({ ok: true, value: this.prevLease });
      return;
    }
    const waiting: Waiting[] = [];
    this.waiting = waiting;
    member.leaseGrant(ttl + reuse, (r) => {
      this.waiting = undefined;
      if (r.ok) {
        this.prevLease = r.value.id;
        this.prevExpiryMs = now + (ttl + reuse) * 1000;
        this.attached = 1;
      }
      then(r.ok ? { ok: true, value: r.value.id } : r);
      for (const w of waiting) this.leaseFor(w.member, w.ttl, w.then);
    });
  }
}
