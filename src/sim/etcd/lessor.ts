/**
 * etcd's lessor, as one member keeps it. Which leases exist, and their TTLs, come from the Raft log
 * (grants and revokes are applied by every member, and persisted). When a lease expires is known
 * only to the leader (the "primary" lessor): it renews leases on keep-alives and proposes the
 * revoke of those that expire. A follower holds its leases forever, and a member that becomes
 * leader gives every lease its full TTL again, plus an election timeout (etcd's Promote), so a
 * leader change never expires a lease early; without lease checkpoints (off by default) a lease
 * that was about to expire lives a TTL longer.
 */

/** The smallest TTL etcd grants: 1.5 election timeouts, rounded up to whole seconds. */
export const MIN_LEASE_TTL_S = 2;
/** etcd's MaxLeaseTTL (about 285 years). */
export const MAX_LEASE_TTL_S = 9_000_000_000;
/** How often the primary looks for expired leases (the lessor's run loop). */
export const LEASE_EXPIRY_CHECK_MS = 500;
/** An expired lease whose revoke did not go through is proposed again after this long. */
export const LEASE_REVOKE_RETRY_MS = 3000;

export const ERR_LEASE_NOT_FOUND = 'etcdserver: requested lease not found';
export const ERR_LEASE_EXISTS = 'etcdserver: lease already exists';
export const ERR_LEASE_TTL_TOO_LARGE = 'etcdserver: too large lease TTL';

export class Lessor {
  /** When each lease expires, on the primary; absent (forever) elsewhere. */
  private readonly expiryMs = new Map<string, number>();
  /** Expired leases whose revoke was proposed, and when. */
  private readonly revokeAskedMs = new Map<string, number>();
  private primary = false;

  constructor(
    /** Lease id → granted TTL in seconds: the member's disk, kept as applied. */
    private readonly granted: Map<string, number>,
  ) {}

  get isPrimary(): boolean {
    return this.primary;
  }

  has(id: string): boolean {
    return this.granted.has(id);
  }

  /** Every lease id, in order (etcd lists them in map order; sorted is one such order). */
  ids(): string[] {
    return [...this.granted.keys()].sort();
  }

  /** Applies a grant: the TTL actually granted (raised to the minimum), or an error. */
  grant(id: string, ttlS: number, nowMs: number): { ok: true; ttl: number } | { ok: false; error: string } {
    if (ttlS > MAX_LEASE_TTL_S) return { ok: false, error: ERR_LEASE_TTL_TOO_LARGE };
    if (this.granted.has(id)) return { ok: false, error: ERR_LEASE_EXISTS };
    const ttl = Math.max(ttlS, MIN_LEASE_TTL_S);
    this.granted.set(id, ttl);
    if (this.primary) this.expiryMs.set(id, nowMs + ttl * 1000);
    return { ok: true, ttl };
  }

  /** Applies a revoke (the member deletes the attached keys itself). */
  revoke(id: string): void {
    this.granted.delete(id);
    this.expiryMs.delete(id);
    this.revokeAskedMs.delete(id);
  }

  /** This member became leader: every lease gets its full TTL from now, plus `extendMs`. */
  promote(nowMs: number, extendMs: number): void {
    this.primary = true;
    this.revokeAskedMs.clear();
    for (const [id, ttl] of this.granted) this.expiryMs.set(id, nowMs + extendMs + ttl * 1000);
  }

  /** This member is no longer leader: its leases never expire by its own clock. */
  demote(): void {
    this.primary = false;
    this.expiryMs.clear();
    this.revokeAskedMs.clear();
  }

  /** A keep-alive on the primary: the TTL the lease was renewed for, or undefined if gone or expired. */
  renew(id: string, nowMs: number): number | undefined {
    const ttl = this.granted.get(id);
    const expiry = this.expiryMs.get(id);
    if (ttl === undefined || expiry === undefined || expiry <= nowMs) return undefined;
    this.expiryMs.set(id, nowMs + ttl * 1000);
    return ttl;
  }

  /** TimeToLive on the primary: granted TTL and whole seconds left, or undefined if gone. */
  timeToLive(id: string, nowMs: number): { granted: number; remaining: number } | undefined {
    const granted = this.granted.get(id);
    if (granted === undefined) return undefined;
    const expiry = this.expiryMs.get(id) ?? Number.POSITIVE_INFINITY;
    const remaining = Number.isFinite(expiry) ? Math.max(0, Math.trunc((expiry - nowMs) / 1000)) : granted;
    return { granted, remaining };
  }

  /** Expired leases to revoke now: not asked yet, or asked longer than the retry interval ago. */
  expired(nowMs: number): string[] {
    const due: string[] = [];
    if (!this.primary) return due;
    for (const [id, expiry] of this.expiryMs) {
      if (expiry > nowMs) continue;
      const asked = this.revokeAskedMs.get(id);
      if (asked !== undefined && nowMs - asked < LEASE_REVOKE_RETRY_MS) continue;
      this.revokeAskedMs.set(id, nowMs);
      due.push(id);
    }
    return due;
  }
}
