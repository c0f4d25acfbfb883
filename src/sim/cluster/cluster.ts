import type { KubeObject, NamespaceObject } from '../api/types';
import { ApiServer } from '../apiserver/apiserver';
import { startMasterReconciler } from '../apiserver/masterReconciler';
import type { ApiOutcome, ApiRequest } from '../apiserver/request';
import { ApiClient, type ApiTransport } from '../client/apiClient';
import { LoadBalancer } from '../client/loadBalancer';
import { ControllerManager, Scheduler } from '../controlplane/components';
import {
  type EtcdDisk,
  EtcdMember,
  type EtcdRequest,
  emptyDisk,
  type MemberRecord,
  type Membership,
} from '../etcd/member';
import type { Message, RaftId } from '../etcd/raft/types';
import { Sim } from '../kernel/sim';
import { Kubelet } from '../kubelet/kubelet';
import { type Endpoint, Network } from '../network/network';
import type { SchedulingAttempt } from '../scheduler/schedule';
import { memberHexId } from '../snapshot';
import {
  type HostSpec,
  type ScenarioName,
  type ScenarioSpec,
  scenario as scenarioSpec,
} from '../topology/scenarios';
import { installAddons } from './addons';
import { Host, OUTSIDE } from './host';
import { ClusterLinks, orderedSender } from './links';
import { containerFiles, runNetworkTool, runOneShot } from './podExec';
import { runProbe } from './probes';

/** The namespaces kube-apiserver creates at start (its system-namespaces controller). */
export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
/** How often an API server retries creating missing system namespaces. */
export const SYSTEM_NAMESPACE_RETRY_MS = 1000;

/**
 * The whole simulated world: hosts in zones, the network between them, and the processes each host
 * runs (etcd member, kube-apiserver and kubelet on control planes; kubelet on workers). Faults are
 * applied here; components only ever see their own host die.
 */
export class Cluster {
  readonly sim: Sim;
  readonly network: Network;
  readonly spec: ScenarioSpec;
  readonly hosts = new Map<string, Host>();
  readonly lb: LoadBalancer;
  private readonly memberIds = new Map<string, RaftId>();
  private readonly hostByMemberId = new Map<RaftId, Host>();
  private readonly disks = new Map<string, EtcdDisk>();
  private readonly members = new Map<string, EtcdMember>();
  private readonly apiservers = new Map<string, ApiServer>();
  private readonly inflight = new Map<string, Set<() => void>>();
  private readonly kubelets = new Map<string, Kubelet>();
  private readonly controllerManagers = new Map<string, ControllerManager>();
  private readonly schedulers = new Map<string, Scheduler>();
  /** The API servers' links to kubelets (pods/log) and to metrics-server (metrics.k8s.io). */
  private readonly links = new ClusterLinks(this);
  private podCidrIndex = 0;
  private readonly podCidrs = new Map<string, string>();
  /** The etcd members of the first `kubeadm init`: the Raft configuration before any conf change. */
  private readonly bootstrapMemberIds: RaftId[] = [];
  private readonly bootstrapMembership: Membership = { members: new Map(), removed: new Set() };
  /** Control-plane hosts whose etcd member was removed from the cluster: their etcd will not start. */
  private readonly removedMemberHosts = new Set<string>();
  /** Ids of members that joined after bootstrap (`member add`), by host name. */
  private readonly joinedHexIds = new Map<string, string>();

  constructor(scenario: ScenarioName, seed: number) {
    this.sim = new Sim(seed);
    this.network = new Network(this.sim);
    this.spec = scenarioSpec(scenario);
    for (const hs of this.spec.hosts) this.hosts.set(hs.name, new Host(hs));
    let id = 1;
    for (const h of this.controlPlanes()) {
      this.memberIds.set(h.name, id);
      this.hostByMemberId.set(id, h);
      this.bootstrapMemberIds.push(id);
      // As if published already: kubeadm's members start together and publish within a second.
      this.bootstrapMembership.members.set(id, {
        id,
        hexId: memberHexId(this, h.name),
        name: h.name,
        peerURLs: [peerURL(h)],
        clientURLs: [clientURL(h)],
      });
      id++;
    }
    for (const h of this.controlPlanes()) this.disks.set(h.name, emptyDisk(this.bootstrapMembership));
    // The bootstrap members apply one log from one empty state: they share one keyspace, each
    // reading it as of its own revision (see MvccStore).
    const [firstDisk, ...otherDisks] = this.disks.values();
    for (const d of otherDisks) firstDisk?.store.share(d.store);
    this.lb = new LoadBalancer(
      this.controlPlanes(),
      this.network,
      (h) => this.apiservers.get(h.name)?.readyz() ?? false,
      this.sim,
    );
    for (const h of this.hosts.values()) this.startProcesses(h);
    const first = this.controlPlanes()[0];
    if (first) installAddons(new ApiClient(first, this.apiTransport), this.sim);
  }

  /**
   * A new worker joins (`add node`): a machine in an existing zone, with the next free address
   * there, whose kubelet registers it like any other.
   */
  addWorker(spec: Omit<HostSpec, 'role' | 'ip'>): Host {
    const ip = this.nextIp(spec.zone);
    const host = new Host({ ...spec, role: 'worker', ip });
    this.hosts.set(host.name, host);
    this.startProcesses(host);
    this.sim.trace.emit({ type: 'host.started', host: host.name, atMs: this.sim.nowMs });
    return host;
  }

  /**
   * A control-plane node joins (`kubeadm join --control-plane`) once its etcd member was added
   * (`member`, unstarted): the machine starts etcd with an empty data directory, which catches up
   * from the leader's log or a snapshot, then the API server and the other control-plane components.
   */
  joinControlPlane(spec: Omit<HostSpec, 'role'>, member: MemberRecord): Host {
    const host = new Host({ ...spec, role: 'control-plane' });
    this.hosts.set(host.name, host);
    this.memberIds.set(host.name, member.id);
    this.hostByMemberId.set(member.id, host);
    this.joinedHexIds.set(host.name, member.hexId);
    this.disks.set(host.name, emptyDisk(this.bootstrapMembership));
    this.lb.addBackend(host);
    this.startProcesses(host);
    this.sim.trace.emit({ type: 'host.started', host: host.name, atMs: this.sim.nowMs });
    return host;
  }

  /** The address the next machine in `zone` gets. */
  nextIp(zone: string): string {
    const inZone = [...this.hosts.values()].filter((h) => h.zone === zone).length;
    const z = this.spec.zones.indexOf(zone);
    return `10.0.${z * 32 + Math.floor(inZone / 250)}.${(inZone % 250) + 2}`;
  }

  controlPlanes(): Host[] {
    return [...this.hosts.values()].filter((h) => h.isControlPlane);
  }

  /** Control-plane hosts whose etcd is (still) a member of the cluster: etcdctl's endpoints. */
  etcdHosts(): Host[] {
    return this.controlPlanes().filter(
      (h) => this.memberIds.has(h.name) && !this.removedMemberHosts.has(h.name),
    );
  }

  /** Whether this host's etcd member was removed from the cluster. */
  etcdMemberRemoved(hostName: string): boolean {
    return this.removedMemberHosts.has(hostName);
  }

  /** The etcd id of a member that joined with `member add` (bootstrap members hash their name). */
  recordedMemberHexId(hostName: string): string | undefined {
    return this.joinedHexIds.get(hostName);
  }

  host(name: string): Host | undefined {
    return this.hosts.get(name);
  }

  /** The active scheduler's last attempt to place a pod (for `trace scheduling`). */
  schedulingAttempt(namespace: string, name: string): SchedulingAttempt | undefined {
    for (const s of this.schedulers.values()) {
      const a = s.lastAttempt(namespace, name);
      if (a) return a;
    }
    return undefined;
  }

  /** The kubelet of a running node (its pod runtime answers `crictl`). */
  kubelet(hostName: string): Kubelet | undefined {
    return this.kubelets.get(hostName);
  }

  /** Whether this node's kube-controller-manager / kube-scheduler currently holds its leader Lease. */
  leadsComponent(component: 'kube-controller-manager' | 'kube-scheduler', hostName: string): boolean {
    const c =
      component === 'kube-scheduler' ? this.schedulers.get(hostName) : this.controllerManagers.get(hostName);
    return c?.isLeader ?? false;
  }

  /** A client on a control-plane node that talks to that node's own API server, as kubeadm sets them up. */
  localClient(h: Host): ApiClient {
    return new ApiClient(h, (from, req, done) => this.sendToApiServer(from, h, req, done));
  }

  etcdMember(hostName: string): EtcdMember | undefined {
    return this.members.get(hostName);
  }

  memberId(hostName: string): RaftId | undefined {
    return this.memberIds.get(hostName);
  }

  hostOfMember(id: RaftId): Host | undefined {
    return this.hostByMemberId.get(id);
  }

  /** A client for something outside the cluster (the user's kubectl). */
  outsideClient(): ApiClient {
    return new ApiClient(OUTSIDE, this.apiTransport);
  }

  /**
   * etcdctl's path to one member: a gRPC call from outside the cluster to `hostName:2379` over the
   * simulated network. `op` runs on the member and replies once; `done` gets the reply, or
   * 'unreachable' when the host is down or the connection breaks (the client then waits out its
   * own deadline, as etcdctl's retrying gRPC client does).
   */
  etcdCall<T>(
    hostName: string,
    op: (member: EtcdMember, reply: (value: T) => void) => void,
    done: (result: { ok: true; value: T } | { ok: false }) => void,
  ): void {
    const host = this.hosts.get(hostName);
    let finished = false;
    const finish = (r: { ok: true; value: T } | { ok: false }): void => {
      if (finished) return;
      finished = true;
      done(r);
    };
    if (!host?.up) {
      this.sim.schedule(this.network.latencyMs(OUTSIDE, host ?? OUTSIDE), () => finish({ ok: false }));
      return;
    }
    const unreachable = (): void => finish({ ok: false });
    this.network.send(
      OUTSIDE,
      host,
      () => {
        const member = this.members.get(hostName);
        if (!member) return unreachable();
        op(member, (value) =>
          this.network.send(host, OUTSIDE, () => finish({ ok: true, value }), unreachable),
        );
      },
      unreachable,
    );
  }

  // ---- faults ----

  killHost(name: string): boolean {
    const h = this.hosts.get(name);
    if (!h?.up) return false;
    h.up = false;
    this.stopProcesses(h);
    this.sim.trace.emit({ type: 'host.crashed', host: name, atMs: this.sim.nowMs });
    return true;
  }

  startHost(name: string): boolean {
    const h = this.hosts.get(name);
    if (!h || h.up) return false;
    h.up = true;
    h.boots++;
    this.startProcesses(h);
    this.sim.trace.emit({ type: 'host.started', host: name, atMs: this.sim.nowMs });
    return true;
  }

  partition(zones: readonly string[]): void {
    this.network.partition(zones);
    this.sim.trace.emit({ type: 'network.partitioned', zones, atMs: this.sim.nowMs });
  }

  heal(): void {
    this.network.heal();
    this.sim.trace.emit({ type: 'network.healed', atMs: this.sim.nowMs });
  }

  // ---- processes ----

  private startProcesses(h: Host): void {
    if (h.isControlPlane) {
      // A removed member's etcd exits at once ("the member has been permanently removed").
      if (!this.removedMemberHosts.has(h.name)) this.startEtcd(h);
      const apiserver = new ApiServer(h.name, this.sim, () => this.members.get(h.name), this.links);
      this.apiservers.set(h.name, apiserver);
      this.inflight.set(h.name, new Set());
      this.ensureSystemNamespaces(h);
      startMasterReconciler(
        apiserver,
        this.sim,
        () => [...this.apiservers.keys()].map((name) => this.hosts.get(name)!.spec.ip),
        () => this.apiservers.get(h.name) === apiserver,
      );
      const local = this.localClient(h);
      this.controllerManagers.set(
        h.name,
        new ControllerManager(
          h.name,
          local,
          this.sim,
          this.sim.rng.fork(`kcm-${h.name}-${h.boots}`),
          (leading) => this.componentLeader('kube-controller-manager', h, leading),
        ),
      );
      this.schedulers.set(
        h.name,
        new Scheduler(h.name, local, this.sim, this.sim.rng.fork(`sched-${h.name}-${h.boots}`), (leading) =>
          this.componentLeader('kube-scheduler', h, leading),
        ),
      );
    }
    const kubelet = new Kubelet(
      h,
      new ApiClient(h, this.apiTransport),
      this.sim,
      this.podCidrFor(h.name),
      this.sim.rng.fork(`kubelet-${h.name}-${h.boots}`),
      h.isControlPlane ? (c) => this.staticPodHealthy(h, c) : undefined,
    );
    // One-shot network commands see the cluster's DNS and Services as CoreDNS and kube-proxy know
    // them: from their caches, which keep serving when the control plane is down.
    kubelet.pods.runOnNetwork = (running, container) =>
      runOneShot(this, (prefix) => this.cachedObjects(prefix), h, running, container);
    kubelet.pods.runToolOnNetwork = (running, container, argv) =>
      runNetworkTool(this, (prefix) => this.cachedObjects(prefix), h, running, container, argv);
    kubelet.pods.runProbe = (running, container, probe) =>
      runProbe(this, (prefix) => this.cachedObjects(prefix), h, running, container, probe);
    kubelet.pods.containerFiles = (running, container) => containerFiles(h, running, container);
    this.kubelets.set(h.name, kubelet);
  }

  /** The objects under an etcd prefix as the first control plane's member holds them. */
  private cachedObjects(prefix: string): readonly KubeObject[] {
    for (const cp of this.controlPlanes()) {
      const member = this.members.get(cp.name);
      if (member) return member.rangeSerializable(prefix, true).kvs.map((kv) => kv.value as KubeObject);
    }
    return [];
  }

  private startEtcd(h: Host): void {
    const id = this.memberIds.get(h.name)!;
    const disk = this.disks.get(h.name)!;
    // Crashed between applying its own removal and exiting: its data directory says it is gone.
    if (disk.membership.removed.has(id)) {
      this.removedMemberHosts.add(h.name);
      return;
    }
    const member = new EtcdMember(
      id,
      h.name,
      this.bootstrapMemberIds,
      disk,
      this.sim,
      this.raftTransport,
      {
        onLeaderChange: (m) => this.onLeaderChange(m),
        peerActiveSince: (peer) => {
          const dst = this.hostByMemberId.get(peer);
          const other = dst ? this.members.get(dst.name) : undefined;
          return dst && other?.isAlive && this.network.connected(h, dst) ? other.startedMs : undefined;
        },
        onRemoved: (m) => this.onMemberRemoved(h, m),
        forward: (to, op, done) => {
          const dst = this.hostByMemberId.get(to);
          if (!dst) return;
          this.network.send(h, dst, () => {
            const leader = this.members.get(dst.name);
            if (leader?.isAlive) op(leader, (r) => this.network.send(dst, h, () => done(r)));
          });
        },
        // rafthttp answers a removed peer 410 Gone; it learns it was removed and exits.
        onRemovedPeerContact: (peer) => {
          const removedHost = this.hostByMemberId.get(peer);
          const removed = removedHost ? this.members.get(removedHost.name) : undefined;
          if (removed && removedHost)
            this.sim.schedule(this.network.latencyMs(h, removedHost), () => removed.removedByPeers());
        },
      },
      [clientURL(h)],
    );
    this.members.set(h.name, member);
  }

  private onMemberRemoved(h: Host, m: EtcdMember): void {
    if (this.members.get(h.name) === m) this.members.delete(h.name);
    this.removedMemberHosts.add(h.name);
    this.sim.trace.emit({
      type: 'narration',
      text: `etcd on ${h.name} was removed from the cluster and exited: "the member has been permanently removed from the cluster".`,
      atMs: this.sim.nowMs,
    });
  }

  /** The readiness probes of a control-plane node's static pods: kube-apiserver's /readyz; etcd while it runs; the rest run while the host does. */
  private staticPodHealthy(h: Host, component: string): boolean {
    if (component === 'kube-apiserver') return this.apiservers.get(h.name)?.readyz() ?? false;
    if (component === 'etcd') return this.members.get(h.name)?.isAlive ?? false;
    return h.up;
  }

  private stopProcesses(h: Host): void {
    this.members.get(h.name)?.stop();
    this.members.delete(h.name);
    this.apiservers.get(h.name)?.stop();
    this.apiservers.delete(h.name);
    // Connections to a dead API server break: every request in flight there ends with EOF.
    const pending = this.inflight.get(h.name);
    this.inflight.delete(h.name);
    for (const abort of pending ?? []) abort();
    this.kubelets.get(h.name)?.stop();
    this.kubelets.delete(h.name);
    this.controllerManagers.get(h.name)?.stop();
    this.controllerManagers.delete(h.name);
    this.schedulers.get(h.name)?.stop();
    this.schedulers.delete(h.name);
  }

  private podCidrFor(name: string): string {
    let cidr = this.podCidrs.get(name);
    if (!cidr) {
      const i = this.podCidrIndex++;
      cidr = `10.244.${i % 256}.0/24`;
      if (i >= 256) cidr = `10.${245 + Math.floor(i / 256)}.${i % 256}.0/24`;
      this.podCidrs.set(name, cidr);
    }
    return cidr;
  }

  private ensureSystemNamespaces(h: Host): void {
    const apiserver = this.apiservers.get(h.name);
    const missing = new Set(SYSTEM_NAMESPACES);
    const inFlight = new Set<string>();
    const attempt = (): void => {
      if (this.apiservers.get(h.name) !== apiserver || missing.size === 0) return;
      for (const name of [...missing]) {
        // One create per namespace at a time: during an election requests wait for a leader.
        if (inFlight.has(name)) continue;
        inFlight.add(name);
        const ns: NamespaceObject = {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
          spec: { finalizers: ['kubernetes'] },
          status: { phase: 'Active' },
        };
        apiserver!.handle({ verb: 'create', resource: 'namespaces', body: ns }, (res) => {
          inFlight.delete(name);
          if (res.code === 201 || res.code === 409) missing.delete(name);
        });
      }
      this.sim.schedule(SYSTEM_NAMESPACE_RETRY_MS, attempt);
    };
    this.sim.schedule(SYSTEM_NAMESPACE_RETRY_MS, attempt);
  }

  private onLeaderChange(m: EtcdMember): void {
    const atMs = this.sim.nowMs;
    if (m.raft.lead === m.id)
      this.sim.trace.emit({ type: 'raft.leaderElected', member: m.name, term: m.raft.term, atMs });
    else if (m.raft.lead === 0)
      this.sim.trace.emit({ type: 'raft.leaderLost', member: m.name, term: m.raft.term, atMs });
  }

  private readonly raftTransport = (from: RaftId, msg: Message<EtcdRequest>): void => {
    const src = this.hostByMemberId.get(from)!;
    const dst = this.hostByMemberId.get(msg.to);
    if (!dst) return;
    const sendMs = this.sim.nowMs;
    const recvMs = this.network.send(src, dst, () => this.members.get(dst.name)?.receive(msg));
    if (this.sim.trace.enabled) {
      this.sim.trace.emit({
        type: 'raft.messageSent',
        kind: msg.type,
        from: src.name,
        to: dst.name,
        term: msg.term,
        entries: msg.entries.length,
        sendMs,
        recvMs: recvMs ?? sendMs,
        dropped: recvMs === undefined,
      });
    }
  };

  /** Client → load balancer → kube-apiserver → back, over the simulated network. */
  readonly apiTransport: ApiTransport = (
    from: Endpoint,
    req: ApiRequest,
    done: (o: ApiOutcome) => void,
  ): void => {
    const target = this.lb.pick(from);
    if (!target) {
      this.sim.schedule(this.network.latencyMs(from, OUTSIDE), () =>
        done({ transport: 'connection-refused' }),
      );
      return;
    }
    this.sendToApiServer(from, target, req, done);
  };

  /** One request to one API server over the simulated network; EOF if the server dies mid-request. */
  private sendToApiServer(
    from: Endpoint,
    target: Host,
    req: ApiRequest,
    done: (o: ApiOutcome) => void,
  ): void {
    let finished = false;
    const finish = (o: ApiOutcome): void => {
      if (finished) return;
      finished = true;
      done(o);
    };
    const eof = (): void => finish({ transport: 'eof' });
    this.network.send(
      from,
      target,
      () => {
        const server = this.apiservers.get(target.name);
        const inflight = this.inflight.get(target.name);
        if (!server || !inflight) return finish({ transport: 'connection-refused' });
        inflight.add(eof);
        // Watch events stream back over the same (simulated) connection.
        const onEvent = req.onWatchEvent;
        let routed: ApiRequest = onEvent
          ? {
              ...req,
              onWatchEvent: (e) => void this.network.send(target, from, () => onEvent(e), eof),
            }
          : req;
        // A followed log streams back in order, its end after its last piece.
        const onLog = req.onLogData;
        const ordered = onLog ? orderedSender(this.network, target, from) : undefined;
        if (onLog) routed = { ...routed, onLogData: (text) => ordered!(() => onLog(text), eof) };
        server.handle(routed, (res) => {
          if (!inflight.delete(eof)) return;
          if (this.sim.trace.enabled) {
            this.sim.trace.emit({
              type: 'api.requestServed',
              server: target.name,
              verb: req.verb,
              resource: req.resource,
              code: res.code,
              atMs: this.sim.nowMs,
            });
          }
          if (ordered) return ordered(() => finish(res), eof);
          this.network.send(target, from, () => finish(res), eof);
        });
      },
      () => finish({ transport: 'connection-refused' }),
    );
  }

  private componentLeader(component: string, h: Host, leading: boolean): void {
    this.sim.trace.emit({
      type: 'narration',
      text: leading
        ? `${component} on ${h.name} acquired its leader Lease in kube-system and is now the active one.`
        : `${component} on ${h.name} lost its leader Lease.`,
      atMs: this.sim.nowMs,
    });
  }
}

function peerURL(h: Host): string {
  return `https://${h.spec.ip}:2380`;
}

function clientURL(h: Host): string {
  return `https://${h.spec.ip}:2379`;
}
