import type { ApiClient } from '../client/apiClient';
import type { Sim } from '../kernel/sim';
import { LeaderElector } from './leaderElector';
import { NodeLifecycleController } from './nodeLifecycle';

/**
 * kube-controller-manager on one control-plane node: it talks to its own node's API server (as
 * kubeadm configures it) and runs controllers only while it holds the `kube-controller-manager`
 * Lease. This slice runs the node lifecycle controller; workload controllers come next.
 */
export class ControllerManager {
  private readonly elector: LeaderElector;
  private readonly nodeLifecycle: NodeLifecycleController;

  constructor(hostName: string, client: ApiClient, sim: Sim, onLeaderChange: (leading: boolean) => void) {
    this.nodeLifecycle = new NodeLifecycleController(client, sim);
    this.elector = new LeaderElector('kube-controller-manager', hostName, client, sim, (leading) => {
      if (leading) this.nodeLifecycle.start();
      else this.nodeLifecycle.stop();
      onLeaderChange(leading);
    });
  }

  get isLeader(): boolean {
    return this.elector.isLeader;
  }

  stop(): void {
    this.elector.stop();
    this.nodeLifecycle.stop();
  }
}

/**
 * kube-scheduler on one control-plane node: it competes for the `kube-scheduler` Lease. There are
 * no pods to place in this slice, so the leader only holds the Lease.
 */
export class Scheduler {
  private readonly elector: LeaderElector;

  constructor(hostName: string, client: ApiClient, sim: Sim, onLeaderChange: (leading: boolean) => void) {
    this.elector = new LeaderElector('kube-scheduler', hostName, client, sim, onLeaderChange);
  }

  get isLeader(): boolean {
    return this.elector.isLeader;
  }

  stop(): void {
    this.elector.stop();
  }
}
