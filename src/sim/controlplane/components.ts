import type { ConfigMapObject } from '../api/batchTypes';
import type {
  DaemonSetObject,
  DeploymentObject,
  EndpointSliceObject,
  EndpointsObject,
  KubeObject,
  LeaseObject,
  NamespaceObject,
  NodeObject,
  PodObject,
  ReplicaSetObject,
  ServiceObject,
} from '../api/types';
import type { ApiClient } from '../client/apiClient';
import { Informer } from '../client/informer';
import { hash32 } from '../kernel/hash';
import { Rng } from '../kernel/rng';
import type { Sim } from '../kernel/sim';
import type { SchedulingAttempt } from '../scheduler/schedule';
import { startBatchControllers } from './batchControllers';
import { DaemonSetController } from './daemonSetController';
import { DeploymentController } from './deploymentController';
import { EndpointSliceController } from './endpointSliceController';
import { EndpointsController } from './endpointsController';
import { GarbageCollector } from './garbageCollector';
import { LeaderElector } from './leaderElector';
import { NodeLifecycleController } from './nodeLifecycle';
import { ReplicaSetController } from './replicaSetController';
import { fakeCaCertificate, RootCaPublisher } from './rootCaPublisher';
import { SchedulingQueue } from './schedulingQueue';
import { ServiceAccountsController } from './serviceAccountsController';
import { TaintEvictionController } from './taintEviction';

/** Controllers that run only while this instance leads, built fresh on each win (as the binary restarts). */
interface Running {
  stop(): void;
}

/**
 * A component that runs only while it holds its leader Lease in kube-system (kube-scheduler,
 * kube-controller-manager): every win starts its work afresh, as the real binary restarts.
 */
class LeaderElectedComponent<R extends Running> {
  private readonly elector: LeaderElector;
  protected running: R | undefined;

  constructor(
    leaseName: string,
    hostName: string,
    client: ApiClient,
    sim: Sim,
    start: () => R,
    onLeaderChange: (leading: boolean) => void,
  ) {
    this.elector = new LeaderElector(leaseName, hostName, client, sim, (leading) => {
      this.running?.stop();
      this.running = leading ? start() : undefined;
      onLeaderChange(leading);
    });
  }

  get isLeader(): boolean {
    return this.elector.isLeader;
  }

  stop(): void {
    this.elector.stop();
    this.running?.stop();
    this.running = undefined;
  }
}

/**
 * kube-controller-manager on one control-plane node: it talks to its own node's API server (as
 * kubeadm configures it) and runs its controllers only while it holds the `kube-controller-manager`
 * Lease: node lifecycle, taint eviction, ReplicaSet, Deployment and the garbage collector, over
 * shared informers.
 */
export class ControllerManager extends LeaderElectedComponent<Running> {
  constructor(
    hostName: string,
    client: ApiClient,
    sim: Sim,
    rng: Rng,
    onLeaderChange: (leading: boolean) => void,
  ) {
    super(
      'kube-controller-manager',
      hostName,
      client,
      sim,
      () => startControllers(client, sim, rng),
      onLeaderChange,
    );
  }
}

function startControllers(client: ApiClient, sim: Sim, rng: Rng): Running {
  const pods = new Informer<PodObject>(client, sim, { resource: 'pods' });
  const replicaSets = new Informer<ReplicaSetObject>(client, sim, { resource: 'replicasets' });
  const deployments = new Informer<DeploymentObject>(client, sim, { resource: 'deployments' });
  const nodes = new Informer<NodeObject>(client, sim, { resource: 'nodes' });
  const nodeLeases = new Informer<LeaseObject>(client, sim, {
    resource: 'leases',
    namespace: 'kube-node-lease',
  });
  const services = new Informer<ServiceObject>(client, sim, { resource: 'services' });
  const endpoints = new Informer<EndpointsObject>(client, sim, { resource: 'endpoints' });
  const endpointSlices = new Informer<EndpointSliceObject>(client, sim, { resource: 'endpointslices' });
  const daemonSets = new Informer<DaemonSetObject>(client, sim, { resource: 'daemonsets' });
  const namespaces = new Informer<NamespaceObject>(client, sim, { resource: 'namespaces' });
  const configMaps = new Informer<ConfigMapObject>(client, sim, { resource: 'configmaps' });
  const serviceAccounts = new Informer<KubeObject>(client, sim, { resource: 'serviceaccounts' });
  const saController = new ServiceAccountsController(client, sim, namespaces, serviceAccounts);
  // One certificate per cluster (the root seed), so a new leader publishes the same one.
  const rootCa = new RootCaPublisher(client, sim, namespaces, configMaps, fakeCaCertificate(sim.rng.seed));
  // Its own stream, seeded without drawing from `rng` (which would shift every ReplicaSet pod name).
  const dsRng = new Rng(hash32(rng.seed, 'daemonset-controller', sim.nowMs));
  const dsController = new DaemonSetController(client, sim, dsRng, daemonSets, pods, nodes);
  const batch = startBatchControllers(client, sim, rng, pods);
  const endpointsController = new EndpointsController(client, sim, services, pods, endpoints);
  // Its own stream too: slice names must not shift the ReplicaSets' pod names.
  const sliceRng = new Rng(hash32(rng.seed, 'endpointslice-controller', sim.nowMs));
  const sliceController = new EndpointSliceController(
    client,
    sim,
    sliceRng,
    services,
    pods,
    nodes,
    endpointSlices,
  );
  const taintEviction = new TaintEvictionController(client, sim, nodes, pods);
  const nodeLifecycle = new NodeLifecycleController(client, sim, nodes, nodeLeases, pods);
  const rsController = new ReplicaSetController(client, sim, rng, replicaSets, pods);
  const deploymentController = new DeploymentController(client, sim, deployments, replicaSets);
  const gc = new GarbageCollector(client, sim, [
    { resource: 'deployments', informer: deployments as Informer<KubeObject> },
    { resource: 'replicasets', informer: replicaSets as Informer<KubeObject> },
    { resource: 'daemonsets', informer: daemonSets as Informer<KubeObject> },
    ...batch.gcKinds,
    { resource: 'pods', informer: pods as Informer<KubeObject> },
  ]);
  const informers = [
    pods,
    replicaSets,
    deployments,
    nodes,
    nodeLeases,
    services,
    endpoints,
    endpointSlices,
    daemonSets,
    namespaces,
    configMaps,
    serviceAccounts,
  ];
  for (const i of informers) i.start();
  nodeLifecycle.start();
  taintEviction.start();
  batch.start();
  gc.start();
  return {
    stop() {
      batch.stop();
      for (const i of informers) i.stop();
      rootCa.stop();
      saController.stop();
      dsController.stop();
      endpointsController.stop();
      sliceController.stop();
      nodeLifecycle.stop();
      taintEviction.stop();
      rsController.stop();
      deploymentController.stop();
      gc.stop();
    },
  };
}

/**
 * kube-scheduler on one control-plane node: while it holds the `kube-scheduler` Lease it watches
 * pods and nodes, and binds each unscheduled pod to a node.
 */
export class Scheduler extends LeaderElectedComponent<Running & { queue: SchedulingQueue }> {
  constructor(
    hostName: string,
    client: ApiClient,
    sim: Sim,
    rng: Rng,
    onLeaderChange: (leading: boolean) => void,
  ) {
    super('kube-scheduler', hostName, client, sim, () => startScheduling(client, sim, rng), onLeaderChange);
  }

  /** This instance's last scheduling attempt for a pod, if it is the active scheduler and tried it. */
  lastAttempt(namespace: string, name: string): SchedulingAttempt | undefined {
    return this.running?.queue.attempts.get(`${namespace}/${name}`);
  }
}

function startScheduling(client: ApiClient, sim: Sim, rng: Rng): Running & { queue: SchedulingQueue } {
  const pods = new Informer<PodObject>(client, sim, { resource: 'pods' });
  const nodes = new Informer<NodeObject>(client, sim, { resource: 'nodes' });
  const queue = new SchedulingQueue(client, sim, rng, pods, nodes);
  pods.start();
  nodes.start();
  return {
    queue,
    stop() {
      pods.stop();
      nodes.stop();
      queue.stop();
    },
  };
}
