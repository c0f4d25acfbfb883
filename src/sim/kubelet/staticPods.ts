import type { ContainerState, PodCondition, PodObject } from '../api/types';
import type { ApiOutcome } from '../apiserver/request';
import type { ApiClient } from '../client/apiClient';
import type { Host } from '../cluster/host';
import { hex64 } from '../kernel/hash';
import type { Sim } from '../kernel/sim';
import { rfc3339 } from '../kernel/time';

/** Kubernetes version of the control plane's images (kubeadm v1.32.4). */
export const KUBE_VERSION = 'v1.32.4';

/** One static pod kubeadm writes to /etc/kubernetes/manifests on a control-plane node. */
export interface StaticComponent {
  readonly name: 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler';
  readonly image: string;
  readonly requests: Readonly<Record<string, string>>;
  readonly command: (ip: string, node: string) => string[];
  readonly annotations: (ip: string) => Record<string, string>;
}

export const STATIC_COMPONENTS: readonly StaticComponent[] = [
  {
    name: 'etcd',
    image: 'registry.k8s.io/etcd:3.5.16-0',
    requests: { cpu: '100m', memory: '100Mi' },
    command: (ip, node) => [
      'etcd',
      `--advertise-client-urls=https://${ip}:2379`,
      '--data-dir=/var/lib/etcd',
      `--initial-advertise-peer-urls=https://${ip}:2380`,
      `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`,
      `--listen-peer-urls=https://${ip}:2380`,
      `--name=${node}`,
    ],
    annotations: (ip) => ({ 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` }),
  },
  {
    name: 'kube-apiserver',
    image: `registry.k8s.io/kube-apiserver:${KUBE_VERSION}`,
    requests: { cpu: '250m' },
    command: (ip) => [
      'kube-apiserver',
      `--advertise-address=${ip}`,
      '--authorization-mode=Node,RBAC',
      '--etcd-servers=https://127.0.0.1:2379',
      '--secure-port=6443',
      '--service-cluster-ip-range=10.96.0.0/12',
    ],
    annotations: (ip) => ({
      'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443`,
    }),
  },
  {
    name: 'kube-controller-manager',
    image: `registry.k8s.io/kube-controller-manager:${KUBE_VERSION}`,
    requests: { cpu: '200m' },
    command: () => [
      'kube-controller-manager',
      '--allocate-node-cidrs=true',
      '--cluster-cidr=10.244.0.0/16',
      '--kubeconfig=/etc/kubernetes/controller-manager.conf',
      '--leader-elect=true',
    ],
    annotations: () => ({}),
  },
  {
    name: 'kube-scheduler',
    image: `registry.k8s.io/kube-scheduler:${KUBE_VERSION}`,
    requests: { cpu: '100m' },
    command: () => ['kube-scheduler', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true'],
    annotations: () => ({}),
  },
];

/** How often the kubelet probes its static pods (kube-apiserver's readinessProbe: every second). */
export const STATIC_POD_PROBE_MS = 1000;
/** The priority of the system-node-critical PriorityClass. */
export const SYSTEM_NODE_CRITICAL = 2_000_001_000;
export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

interface Local {
  readonly component: StaticComponent;
  /** When its container last started (this kubelet's start: the static pods start with it). */
  readonly startedMs: number;
  restarts: number;
  lastState: ContainerState | undefined;
  ready: boolean;
  /** The mirror pod as last seen, if any. */
  mirror: PodObject | undefined;
  creating: boolean;
  /** The status last posted (JSON), so an unchanged one is not written again. */
  posted: string;
  /** What the last status was built from: probed every second, it is rebuilt only when one changes. */
  builtFrom: { ready: boolean; restarts: number; lastState: unknown; mirror: PodObject } | undefined;
}

/**
 * The kubelet's static pods on a control-plane node: kubeadm's four manifests run from the
 * node's disk, and the kubelet keeps a mirror pod for each in the API (`etcd-<node>`, …), with
 * the `kubernetes.io/config.mirror` annotation and the Node as owner. The mirror pod reports the
 * container's state: started when the kubelet (re)started, restarts counted across reboots,
 * kube-apiserver Ready only while its /readyz passes. A deleted mirror pod is recreated; a dead
 * node's mirror pods keep their last status (kubectl shows them Running) as on a real cluster.
 */
export class StaticPods {
  private readonly local: Local[];
  private alive = true;

  constructor(
    private readonly host: Host,
    private readonly client: ApiClient,
    private readonly sim: Sim,
    /** Whether a component passes its readiness probe. */
    private readonly healthy: (component: StaticComponent['name']) => boolean,
    /** The uid of this kubelet's Node once known (the mirror pods' owner). */
    private readonly nodeUid: () => string | undefined,
  ) {
    this.local = STATIC_COMPONENTS.map((component) => ({
      component,
      startedMs: sim.nowMs,
      restarts: 0,
      lastState: undefined,
      ready: false,
      mirror: undefined,
      creating: false,
      posted: '',
      builtFrom: undefined,
    }));
    const loop = (): void => {
      if (!this.alive) return;
      this.tick();
      this.sim.schedule(STATIC_POD_PROBE_MS, loop);
    };
    this.sim.schedule(STATIC_POD_PROBE_MS, loop);
  }

  stop(): void {
    this.alive = false;
  }

  /** A watch event for a mirror pod bound to this node. */
  onMirrorPod(event: string, pod: PodObject): void {
    if (!this.alive) return;
    const l = this.local.find((x) => mirrorName(x.component, this.host.name) === pod.metadata.name);
    if (!l || pod.metadata.namespace !== 'kube-system') return;
    if (event === 'deleted') {
      if (l.mirror?.metadata.uid === pod.metadata.uid) l.mirror = undefined;
      l.posted = '';
      this.sim.schedule(0, () => this.ensure(l));
      return;
    }
    if (pod.metadata.deletionTimestamp) {
      // A mirror pod cannot be stopped through the API: the kubelet removes it and makes a new one.
      this.client.request(
        {
          verb: 'delete',
          resource: 'pods',
          namespace: 'kube-system',
          name: pod.metadata.name,
          gracePeriodSeconds: 0,
        },
        () => {},
      );
      return;
    }
    this.adopt(l, pod);
  }

  private tick(): void {
    for (const l of this.local) {
      l.ready = this.healthy(l.component.name);
      if (!l.mirror) this.ensure(l);
      else this.postStatus(l);
    }
  }

  /** First sight of an existing mirror pod: a container that ran before this boot counts a restart. */
  private adopt(l: Local, pod: PodObject): void {
    const first = l.mirror === undefined;
    l.mirror = pod;
    if (first) {
      const prev = pod.status?.containerStatuses?.[0];
      const prevStart = prev?.state.running?.startedAt;
      if (prev && prevStart && Date.parse(prevStart) < Date.parse(rfc3339(l.startedMs))) {
        l.restarts = prev.restartCount + 1;
        l.lastState = {
          terminated: {
            exitCode: 255,
            reason: 'Unknown',
            startedAt: prevStart,
            finishedAt: rfc3339(l.startedMs),
          },
        };
      } else if (prev) {
        l.restarts = Math.max(l.restarts, prev.restartCount);
      }
    }
    this.postStatus(l);
  }

  private ensure(l: Local): void {
    if (!this.alive || l.mirror || l.creating || !this.nodeUid()) return;
    l.creating = true;
    const pod = this.mirrorPod(l);
    this.client.request({ verb: 'create', resource: 'pods', namespace: 'kube-system', body: pod }, (res) => {
      l.creating = false;
      if (!this.alive) return;
      if (ok(res)) {
        l.mirror = (res as { body: PodObject }).body;
        l.posted = JSON.stringify(pod.status);
      } else if (!('transport' in res) && res.code === 409) {
        this.client.request(
          { verb: 'get', resource: 'pods', namespace: 'kube-system', name: pod.metadata.name },
          (r) => {
            if (this.alive && ok(r)) this.adopt(l, (r as { body: PodObject }).body);
          },
        );
      }
    });
  }

  private postStatus(l: Local): void {
    if (!l.mirror) return;
    const from = l.builtFrom;
    // The status depends on these alone (a condition's transition time only on the mirror's).
    if (
      l.posted !== '' &&
      from?.mirror === l.mirror &&
      from.ready === l.ready &&
      from.restarts === l.restarts &&
      from.lastState === l.lastState
    )
      return;
    l.builtFrom = { ready: l.ready, restarts: l.restarts, lastState: l.lastState, mirror: l.mirror };
    const status = this.status(l);
    const text = JSON.stringify(status);
    if (text === l.posted) return;
    l.posted = text;
    this.client.request(
      {
        verb: 'patch',
        resource: 'pods',
        namespace: 'kube-system',
        name: l.mirror.metadata.name,
        patch: { status },
      },
      (res) => {
        if (!ok(res)) l.posted = ''; // try again on the next probe
      },
    );
  }

  private status(l: Local): NonNullable<PodObject['status']> {
    const ip = this.host.spec.ip;
    const started = rfc3339(l.startedMs);
    const prev = l.mirror?.status?.conditions ?? [];
    const now = rfc3339(this.sim.nowMs);
    const cond = (type: string, ok: boolean): PodCondition => {
      const status = ok ? 'True' : 'False';
      const old = prev.find((c) => c.type === type);
      return {
        type,
        status,
        lastProbeTime: null,
        lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now,
      };
    };
    const c = l.component;
    return {
      phase: 'Running',
      conditions: [
        cond('PodReadyToStartContainers', true),
        cond('Initialized', true),
        cond('Ready', l.ready),
        cond('ContainersReady', l.ready),
        cond('PodScheduled', true),
      ],
      hostIP: ip,
      hostIPs: [{ ip }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: started,
      containerStatuses: [
        {
          name: c.name,
          image: c.image,
          imageID: `${c.image.split(':')[0]}@sha256:${digest(c.image)}`,
          containerID: `containerd://${digest(`${this.host.name}/${c.name}/${l.startedMs}`)}`,
          ready: l.ready,
          started: true,
          restartCount: l.restarts,
          state: { running: { startedAt: started } },
          ...(l.lastState ? { lastState: l.lastState } : {}),
        },
      ],
      qosClass: 'Burstable',
    };
  }

  private mirrorPod(l: Local): PodObject {
    const c = l.component;
    const ip = this.host.spec.ip;
    const node = this.host.name;
    const hash = digest(`${node}/${c.name}`).slice(0, 32);
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: mirrorName(c, node),
        namespace: 'kube-system',
        labels: { component: c.name, tier: 'control-plane' },
        annotations: {
          ...c.annotations(ip),
          'kubernetes.io/config.hash': hash,
          [MIRROR_ANNOTATION]: hash,
          'kubernetes.io/config.seen': rfc3339(l.startedMs).replace('Z', '.000000000Z'),
          'kubernetes.io/config.source': 'file',
        },
        ownerReferences: [
          { apiVersion: 'v1', kind: 'Node', name: node, uid: this.nodeUid() ?? '', controller: true },
        ],
      },
      spec: {
        containers: [
          {
            name: c.name,
            image: c.image,
            imagePullPolicy: 'IfNotPresent',
            command: c.command(ip, node),
            resources: { requests: c.requests },
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
          },
        ],
        nodeName: node,
        hostNetwork: true,
        priority: SYSTEM_NODE_CRITICAL,
        priorityClassName: 'system-node-critical',
        dnsPolicy: 'ClusterFirst',
        enableServiceLinks: true,
        preemptionPolicy: 'PreemptLowerPriority',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        terminationGracePeriodSeconds: 30,
        tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      },
      status: this.status(l),
    };
  }
}

export function mirrorName(c: StaticComponent, node: string): string {
  return `${c.name}-${node}`;
}

function ok(res: ApiOutcome): boolean {
  return !('transport' in res) && res.code < 300;
}

/** A stable fake sha256 (64 hex digits) of a text; the few texts there are, remembered. */
function digest(text: string): string {
  let out = digests.get(text);
  if (out !== undefined) return out;
  out = hex64(0, text);
  if (digests.size >= 4096) digests.clear();
  digests.set(text, out);
  return out;
}

const digests = new Map<string, string>();
