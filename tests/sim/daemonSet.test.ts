import { describe, expect, it } from 'vitest';
import type { DaemonSetObject, NodeObject, PodObject } from '../../src/sim/api/types';
import { Cluster } from '../../src/sim/cluster/cluster';
import { daemonPodNode } from '../../src/sim/controlplane/daemonSetController';

/**
 * The DaemonSet controller and kubeadm's kube-system: one kube-proxy pod per node from boot (a
 * new node gets one, a cordoned node too, a tainted node without a toleration none, a deleted
 * node loses its pod), and the static control-plane pods' mirror pods following their host.
 */

function call<T>(c: Cluster, req: Parameters<ReturnType<Cluster['outsideClient']>['request']>[0]): T {
  let out: unknown;
  c.outsideClient().request(req, (res) => {
    out = res;
  });
  c.sim.runUntilDone(() => out !== undefined, c.sim.nowMs + 30_000);
  const r = out as { code: number; body: T };
  return r.body;
}

const list = <T>(c: Cluster, resource: string, namespace?: string): T[] =>
  call<{ items: T[] }>(c, { verb: 'list', resource, ...(namespace ? { namespace } : {}) }).items;

const advance = (c: Cluster, ms: number): void => c.sim.runUntil(c.sim.nowMs + ms);

const daemonPods = (c: Cluster, ds = 'kube-proxy'): PodObject[] =>
  list<PodObject>(c, 'pods', 'kube-system').filter((p) =>
    p.metadata.ownerReferences?.some((r) => r.kind === 'DaemonSet' && r.name === ds),
  );

function booted(): Cluster {
  const c = new Cluster('ha', 1);
  advance(c, 30_000);
  return c;
}

describe('DaemonSet controller', () => {
  it('runs one kube-proxy pod on every node, placed by the scheduler, with status counts', () => {
    const c = booted();
    const pods = daemonPods(c);
    const nodes = list<NodeObject>(c, 'nodes').map((n) => n.metadata.name);
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual([...nodes].sort());
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^kube-proxy-\w{5}$/);
      expect(p.status?.phase).toBe('Running');
      expect(p.status?.podIP).toBe(p.status?.hostIP); // hostNetwork
      expect(p.spec.priority).toBe(2_000_001_000);
      expect(daemonPodNode(p)).toBe(p.spec.nodeName);
      expect(p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual({
        nodeSelectorTerms: [
          { matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec.nodeName] }] },
        ],
      });
      expect(p.spec.tolerations?.map((t) => `${t.key ?? ''}:${t.effect ?? ''}`)).toEqual([
        ':',
        'node.kubernetes.io/not-ready:NoExecute',
        'node.kubernetes.io/unreachable:NoExecute',
        'node.kubernetes.io/disk-pressure:NoSchedule',
        'node.kubernetes.io/memory-pressure:NoSchedule',
        'node.kubernetes.io/pid-pressure:NoSchedule',
        'node.kubernetes.io/unschedulable:NoSchedule',
        'node.kubernetes.io/network-unavailable:NoSchedule',
      ]);
    }
    const ds = call<DaemonSetObject>(c, {
      verb: 'get',
      resource: 'daemonsets',
      namespace: 'kube-system',
      name: 'kube-proxy',
    });
    expect(ds.spec.updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
    });
    expect(ds.spec.revisionHistoryLimit).toBe(10);
    expect(ds.status).toMatchObject({
      desiredNumberScheduled: 9,
      currentNumberScheduled: 9,
      numberReady: 9,
      updatedNumberScheduled: 9,
      numberAvailable: 9,
      numberMisscheduled: 0,
    });
  });

  it('gives a new node a pod, a cordoned one too, and a tainted one without a toleration none', () => {
    const c = booted();
    const tolerant: DaemonSetObject = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'kube-system' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: { containers: [{ name: 'agent', image: 'nginx:1.27' }] },
        },
      },
    };
    call(c, { verb: 'create', resource: 'daemonsets', namespace: 'kube-system', body: tolerant });
    // cordon worker-1: daemon pods tolerate node.kubernetes.io/unschedulable
    call(c, { verb: 'patch', resource: 'nodes', name: 'worker-1', patch: { spec: { unschedulable: true } } });
    c.addWorker({ name: 'worker-7', zone: 'zone-a', cpuCores: 4, memoryMi: 8192 });
    c.addWorker({
      name: 'gpu-1',
      zone: 'zone-b',
      cpuCores: 4,
      memoryMi: 8192,
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
    });
    advance(c, 30_000);
    const agents = daemonPods(c, 'agent');
    const on = agents.map((p) => p.spec.nodeName).sort();
    // Not on the control planes (their NoSchedule taint) nor gpu-1; on the cordoned and the new worker.
    expect(on).toEqual(['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5', 'worker-6', 'worker-7']);
    for (const p of agents) expect(p.status?.phase).toBe('Running');
    // kube-proxy tolerates everything: it runs on gpu-1 and worker-7 as well.
    expect(daemonPods(c).map((p) => p.spec.nodeName)).toEqual(expect.arrayContaining(['gpu-1', 'worker-7']));
    const ds = call<DaemonSetObject>(c, {
      verb: 'get',
      resource: 'daemonsets',
      namespace: 'kube-system',
      name: 'agent',
    });
    expect(ds.status).toMatchObject({ desiredNumberScheduled: 7, currentNumberScheduled: 7, numberReady: 7 });
  });

  it('removes the pod of a deleted node and of a node it no longer fits', () => {
    const c = booted();
    call(c, { verb: 'delete', resource: 'nodes', name: 'worker-2' });
    c.killHost('worker-2'); // the machine is gone too, so its kubelet does not register it again
    advance(c, 10_000);
    expect(daemonPods(c).map((p) => p.spec.nodeName)).not.toContain('worker-2');
    // A label change that the node selector no longer matches: the pod goes.
    call(c, {
      verb: 'patch',
      resource: 'nodes',
      name: 'worker-3',
      patch: { metadata: { labels: { 'kubernetes.io/os': 'windows' } } },
    });
    advance(c, 10_000);
    expect(daemonPods(c).map((p) => p.spec.nodeName)).not.toContain('worker-3');
    const ds = call<DaemonSetObject>(c, {
      verb: 'get',
      resource: 'daemonsets',
      namespace: 'kube-system',
      name: 'kube-proxy',
    });
    expect(ds.status).toMatchObject({
      desiredNumberScheduled: 7,
      currentNumberScheduled: 7,
      numberMisscheduled: 0,
    });
  });

  it('recreates a deleted daemon pod on its node', () => {
    const c = booted();
    const victim = daemonPods(c).find((p) => p.spec.nodeName === 'worker-4')!;
    call(c, { verb: 'delete', resource: 'pods', namespace: 'kube-system', name: victim.metadata.name });
    advance(c, 20_000);
    const now = daemonPods(c).filter((p) => p.spec.nodeName === 'worker-4');
    expect(now).toHaveLength(1);
    expect(now[0]!.metadata.name).not.toBe(victim.metadata.name);
    expect(now[0]!.status?.phase).toBe('Running');
  });
});

describe('kube-system of a kubeadm cluster', () => {
  it('has CoreDNS behind kube-dns at 10.96.0.10', () => {
    const c = booted();
    const dns = list<PodObject>(c, 'pods', 'kube-system').filter(
      (p) => p.metadata.labels?.['k8s-app'] === 'kube-dns',
    );
    expect(dns).toHaveLength(2);
    for (const p of dns) {
      expect(p.spec.containers[0]!.image).toBe('registry.k8s.io/coredns/coredns:v1.11.3');
      expect(p.status?.phase).toBe('Running');
    }
    const svc = list<{
      metadata: { name: string };
      spec: { clusterIP: string; ports: { port: number; protocol: string }[] };
    }>(c, 'services', 'kube-system');
    expect(svc.map((s) => s.metadata.name)).toEqual(['kube-dns']);
    expect(svc[0]!.spec.clusterIP).toBe('10.96.0.10');
    expect(svc[0]!.spec.ports.map((p) => `${p.port}/${p.protocol}`)).toEqual([
      '53/UDP',
      '53/TCP',
      '9153/TCP',
    ]);
  });

  it('mirrors the static control-plane pods, which follow a killed host and come back when deleted', () => {
    const c = booted();
    const mirrors = (): PodObject[] =>
      list<PodObject>(c, 'pods', 'kube-system').filter(
        (p) => p.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined,
      );
    expect(
      mirrors()
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual(
      ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']
        .flatMap((n) => ['cp-1', 'cp-2', 'cp-3'].map((cp) => `${n}-${cp}`))
        .sort(),
    );
    const etcd = mirrors().find((p) => p.metadata.name === 'etcd-cp-2')!;
    expect(etcd.metadata.annotations?.['kubernetes.io/config.source']).toBe('file');
    expect(etcd.metadata.labels).toEqual({ component: 'etcd', tier: 'control-plane' });
    expect(etcd.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: 'cp-2' });
    expect(etcd.spec.priorityClassName).toBe('system-node-critical');
    expect(etcd.spec.containers[0]!.image).toBe('registry.k8s.io/etcd:3.5.16-0');
    expect(etcd.status?.podIP).toBe('10.0.32.2');

    // The host dies: NotReady, the pods' Ready condition False, the containers as last reported
    // (kubectl shows 1/1 Running), never evicted (they tolerate every NoExecute taint).
    c.killHost('cp-2');
    advance(c, 400_000);
    const node = call<NodeObject>(c, { verb: 'get', resource: 'nodes', name: 'cp-2' });
    expect(node.status.conditions.find((x) => x.type === 'Ready')?.status).toBe('Unknown');
    const onCp2 = mirrors().filter((p) => p.spec.nodeName === 'cp-2');
    expect(onCp2).toHaveLength(4);
    for (const p of onCp2) {
      expect(p.metadata.deletionTimestamp).toBeUndefined();
      expect(p.status?.phase).toBe('Running');
      expect(p.status?.containerStatuses?.[0]?.ready).toBe(true);
      expect(p.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('False');
    }
    // The host comes back: the static pods restarted with it.
    c.startHost('cp-2');
    advance(c, 30_000);
    for (const p of mirrors().filter((x) => x.spec.nodeName === 'cp-2')) {
      expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(1);
      expect(p.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
    }
    // A deleted mirror pod is made again by the kubelet.
    const before = mirrors().find((p) => p.metadata.name === 'kube-scheduler-cp-1')!;
    call(c, { verb: 'delete', resource: 'pods', namespace: 'kube-system', name: 'kube-scheduler-cp-1' });
    advance(c, 5_000);
    const after = mirrors().find((p) => p.metadata.name === 'kube-scheduler-cp-1');
    expect(after).toBeDefined();
    expect(after!.metadata.uid).not.toBe(before.metadata.uid);
  });
});
