import type { EtcdMember } from '../etcd/member';
import type { Sim, Timer } from '../kernel/sim';

/** kube-apiserver's --etcd-compaction-interval default. */
export const COMPACTION_INTERVAL_MS = 5 * 60 * 1000;
/** The key the API servers agree on who compacts (k8s.io/apiserver storage/etcd3/compact.go). */
export const COMPACT_REV_KEY = 'compact_rev_key';

/**
 * kube-apiserver's etcd compactor: every interval, a transaction on `compact_rev_key` (compare its
 * version with the one this server last saw) elects one API server of the cluster to compact; the
 * winner compacts to the revision it saw at the previous interval, so etcd keeps between one and
 * two intervals of history. Nothing is compacted at the first interval.
 */
export class Compactor {
  private timer: Timer | undefined;
  private compactTime = 0;
  private rev = 0;
  private stopped = false;

  constructor(
    private readonly sim: Sim,
    private readonly etcd: () => EtcdMember | undefined,
    private readonly intervalMs = COMPACTION_INTERVAL_MS,
  ) {
    this.timer = sim.schedule(intervalMs, () => this.round());
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private round(): void {
    if (this.stopped) return;
    this.timer = this.sim.schedule(this.intervalMs, () => this.round());
    const member = this.etcd();
    if (!member) return;
    const t = this.compactTime;
    const rev = this.rev;
    member.txn(
      {
        compare: [{ key: COMPACT_REV_KEY, target: 'version', equals: t }],
        success: [{ type: 'put', key: COMPACT_REV_KEY, value: String(rev) }],
        failure: [{ type: 'range', key: COMPACT_REV_KEY }],
      },
      (r) => {
        if (this.stopped || !r.ok) return;
        const curRev = r.value.revision;
        if (!r.value.succeeded) {
          this.compactTime = r.value.results[0]?.kvs[0]?.version ?? t;
          this.rev = curRev;
          return;
        }
        this.compactTime = t + 1;
        this.rev = curRev;
        if (rev !== 0) member.compact(rev, () => {});
      },
    );
  }
}
