import type { Cluster } from './cluster/cluster';
import { takeSnapshot } from './snapshot';

/** The longest a new cluster may take to come up (all nodes Ready) before a session starts anyway. */
export const WARM_UP_LIMIT_MS = 120_000;

/** Runs a fresh cluster until every node is Ready, like a kubeadm cluster someone just set up. */
export function warmUp(cluster: Cluster): void {
  const sim = cluster.sim;
  while (sim.nowMs < WARM_UP_LIMIT_MS) {
    sim.runUntil(sim.nowMs + 1000);
    const snap = takeSnapshot(cluster);
    if (snap.etcd.quorum && snap.nodes.every((n) => n.ready === 'Ready')) break;
  }
}
