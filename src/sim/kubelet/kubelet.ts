import { isStatus, type LeaseObject, type NodeObject } from '../api/types';
import type { ApiOutcome } from '../apiserver/request';
import type { ApiClient } from '../client/apiClient';
import type { Host } from '../cluster/host';
import type { Rng } from '../kernel/rng';
import type { Sim } from '../kernel/sim';
import { rfc3339 } from '../kernel/time';
import { healthyConditions, newNodeObject } from './nodeObject';
import { PodRuntime } from './podRuntime';
import { type StaticComponent, StaticPods } from './staticPods';

/** kubelet defaults (pkg/kubelet/apis/config/v1beta1/defaults.go). */
export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;
export const NODE_LEASE_DURATION_SECONDS = 40;
/** The node lease is renewed every 0.25 × its duration. */
export const NODE_LEASE_RENEW_INTERVAL_MS = NODE_LEASE_DURATION_SECONDS * 250;
/** Delay before retrying a failed registration. */
export const REGISTER_RETRY_MS = 2000;

/**
 * The node agent, as far as this slice needs: register the Node, renew its Lease in
 * kube-node-lease every 10 s, and post node status when it changed or every 5 minutes.
 */
export class Kubelet {
  private alive = true;
  private lease: LeaseObject | undefined;
  private lastReportMs = Number.NEGATIVE_INFINITY;
  /** The uid of this kubelet's Node, once seen: the node Lease's ownerReference must carry it. */
  private nodeUid: string | undefined;
  registered = false;

  constructor(
    private readonly host: Host,
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly podCidr: string,
    rng: Rng,
    /** On a control-plane node: whether each static control-plane pod passes its probe. */
    staticPodHealth?: (component: StaticComponent['name']) => boolean,
  ) {
    this.startedMs = sim.nowMs;
    this.registerNode();
    this.pods = new PodRuntime(host, client, sim, rng, podCidr);
    if (staticPodHealth) {
      const staticPods = new StaticPods(host, client, sim, staticPodHealth, () => this.nodeUid);
      this.staticPods = staticPods;
      this.pods.onMirrorPod = (event, pod) => staticPods.onMirrorPod(event, pod);
    }
  }

  /** The static control-plane pods and their mirror pods (control-plane nodes only). */
  readonly staticPods: StaticPods | undefined;

  /** When this kubelet process started (metrics-server needs a full window of its stats). */
  readonly startedMs: number;

  /** The pods this node runs (its container runtime). */
  readonly pods: PodRuntime;

  /** The host died. Pending timers and replies find `alive` false and do nothing. */
  stop(): void {
    this.alive = false;
    this.pods.stop();
    this.staticPods?.stop();
  }

  private after(ms: number, fn: () => void): void {
    this.sim.schedule(ms, () => this.alive && fn());
  }

  private every(ms: number, fn: () => void): void {
    const loop = (): void => {
      if (!this.alive) return;
      fn();
      this.sim.schedule(ms, loop);
    };
    // Spread the loops of thousands of kubelets over the interval, as their boot times would.
    this.sim.schedule(this.sim.rng.int(0, ms), loop);
  }

  private registerNode(): void {
    const now = rfc3339(this.sim.nowMs);
    const node = newNodeObject(this.host.spec, this.podCidr, now);
    this.client.request({ verb: 'create', resource: 'nodes', body: node }, (res) => {
      if (!this.alive) return;
      if (ok(res) || conflictOrExists(res)) {
        if (ok(res)) this.nodeUid = (res as { body: NodeObject }).body.metadata.uid;
        // Re-registering (the Node was deleted) must not start a second pair of loops: before, each
        // re-registration doubled the kubelet's lease renewals and status syncs.
        if (!this.registered) {
          this.every(NODE_LEASE_RENEW_INTERVAL_MS, () => this.renewLease());
          this.every(NODE_STATUS_UPDATE_FREQUENCY_MS, () => this.syncNodeStatus());
        }
        this.registered = true;
        this.renewLease();
        if (!ok(res)) this.syncNodeStatus();
        else this.lastReportMs = this.sim.nowMs;
      } else {
        this.after(REGISTER_RETRY_MS, () => this.registerNode());
      }
    });
  }

  private renewLease(): void {
    const name = this.host.name;
    const renewTime = microTime(this.sim.nowMs);
    if (this.lease) {
      // As the real lease controller does (setNodeOwnerFunc), a lease without an owner gets one once the Node's uid is known.
      const owned = (this.lease.metadata.ownerReferences?.length ?? 0) > 0;
      const metadata =
        owned || !this.nodeUid ? this.lease.metadata : { ...this.lease.metadata, ...this.owner() };
      const next: LeaseObject = { ...this.lease, metadata, spec: { ...this.lease.spec, renewTime } };
      this.client.request(
        { verb: 'update', resource: 'leases', namespace: 'kube-node-lease', name, body: next },
        (res) => {
          if (ok(res)) this.lease = (res as { body: LeaseObject }).body;
          else if (!('transport' in res) && (res.code === 409 || res.code === 404)) this.lease = undefined;
        },
      );
      return;
    }
    this.client.request({ verb: 'get', resource: 'leases', namespace: 'kube-node-lease', name }, (res) => {
      if (!this.alive) return;
      if (ok(res)) {
        this.lease = (res as { body: LeaseObject }).body;
        this.renewLease();
      } else if (!('transport' in res) && res.code === 404) {
        const lease: LeaseObject = {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          // Before, the ownerReference had uid '': a garbage collector would treat such an owner as gone.
          metadata: { name, namespace: 'kube-node-lease', ...this.owner() },
          spec: { holderIdentity: name, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime },
        };
        this.client.request(
          { verb: 'create', resource: 'leases', namespace: 'kube-node-lease', body: lease },
          (r) => {
            if (ok(r)) this.lease = (r as { body: LeaseObject }).body;
          },
        );
      }
    });
  }

  /** The Node as the Lease's owner, when its uid is known (otherwise the Lease is created without one). */
  private owner(): { ownerReferences?: LeaseObject['metadata']['ownerReferences'] } {
    if (!this.nodeUid) return {};
    return { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.host.name, uid: this.nodeUid }] };
  }

  /** Reads its Node (from the API server's cache) and patches status if Ready is not True or the report is due. */
  private syncNodeStatus(): void {
    this.client.request({ verb: 'get', resource: 'nodes', name: this.host.name, cached: true }, (res) => {
      if (!this.alive) return;
      if (!ok(res)) {
        if (!('transport' in res) && res.code === 404) this.registerNode();
        return;
      }
      const node = (res as { body: NodeObject }).body;
      this.nodeUid = node.metadata.uid;
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      const due = this.sim.nowMs - this.lastReportMs >= NODE_STATUS_REPORT_FREQUENCY_MS;
      if (ready?.status === 'True' && !due) return;
      const now = rfc3339(this.sim.nowMs);
      const since = ready?.status === 'True' ? ready.lastTransitionTime : now;
      const conditions = healthyConditions(now, since);
      this.client.request(
        { verb: 'patch', resource: 'nodes', name: this.host.name, patch: { status: { conditions } } },
        (r) => {
          if (ok(r)) this.lastReportMs = this.sim.nowMs;
        },
      );
    });
  }
}

function ok(res: ApiOutcome): boolean {
  return !('transport' in res) && res.code < 300;
}

function conflictOrExists(res: ApiOutcome): boolean {
  return (
    !('transport' in res) && res.code === 409 && isStatus(res.body) && res.body.reason === 'AlreadyExists'
  );
}

/** metav1.MicroTime: RFC 3339 with microseconds, as Lease renewTime is serialized. */
export function microTime(atMs: number): string {
  const base = rfc3339(atMs).replace('Z', '');
  const micros = String(Math.floor((atMs % 1000) * 1000)).padStart(6, '0');
  return `${base}.${micros}Z`;
}
