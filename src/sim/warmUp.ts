import type { Cluster } from './cluster/cluster';
import { takeSnapshot } from './snapshot';

/** The longest a new cluster may take to come up (all nodes Ready) before a session starts anyway. */
export const WARM_UP_LIMIT_MS = 120_000;
/** A session starts on a cluster that has been up this long, so leases and statuses have settled. */
export const WARM_UP_MIN_MS = 30_000;

/** Runs a fresh cluster until every node is Ready, like a kubeadm cluster someone just set up. */
export function warmUp(cluster: Cluster): void {
  const sim = cluster.sim;
  sim.runUntil(WARM_UP_MIN_MS);
  while (sim.nowMs < WARM_UP_LIMIT_MS) {
    const snap = takeSnapshot(cluster);
    if (snap.etcd.quorum && snap.nodes.every((n) => n.ready === 'Ready')) break;
    sim.runUntil(sim.nowMs + 1000);
  }
}
