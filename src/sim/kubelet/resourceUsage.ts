import type { Container } from '../api/types';
import { unitFloat } from '../kernel/hash';
import { lookupImage, parseImage } from './images';
import type { PodRuntime } from './podRuntime';

/**
 * What the kubelet's resource metrics endpoint (/metrics/resource, read by metrics-server) says
 * each container and the node use: a baseline per image (an idle nginx uses no CPU at all and a
 * few MiB, mysql a few millicores and 400 MiB), a little noise that changes once per metrics
 * window, and the node's own overhead (system daemons, kubelet, containerd, a shim per pod; the
 * control-plane components on control-plane nodes). Computed when asked, from what runs now;
 * nothing is sampled or stored.
 */

/** metrics-server's default --metric-resolution: it scrapes every kubelet every 15 s. */
export const METRICS_RESOLUTION_MS = 15_000;

export interface Usage {
  /** CPU in nanocores (a rate over the window). */
  readonly nanocores: number;
  /** Memory working set in bytes (a multiple of 1 KiB). */
  readonly bytes: number;
}

const MI = 1024 * 1024;

interface Profile {
  /** Chance that a window shows no CPU used at all (the process slept through it). */
  readonly idle: number;
  /** CPU when not idle: from, to (millicores). */
  readonly cpu: readonly [number, number];
  /** Working set (MiB); `perCpu` more per node CPU (one worker process each). */
  readonly memMi: number;
  readonly perCpuMi?: number;
}

const PROFILES: Readonly<Record<string, Profile>> = {
  nginx: { idle: 0.75, cpu: [0.05, 0.9], memMi: 2.3, perCpuMi: 0.42 },
  httpd: { idle: 0.1, cpu: [0.1, 0.8], memMi: 9.6 },
  redis: { idle: 0, cpu: [1.4, 3.2], memMi: 3.3 },
  postgres: { idle: 0, cpu: [0.6, 2.4], memMi: 35 },
  mysql: { idle: 0, cpu: [3, 8], memMi: 412 },
  memcached: { idle: 0.2, cpu: [0.1, 0.5], memMi: 1.9 },
  traefik: { idle: 0, cpu: [0.6, 1.8], memMi: 31 },
  'registry.k8s.io/echoserver': { idle: 0.5, cpu: [0.05, 0.6], memMi: 5.4 },
  'registry.k8s.io/pause': { idle: 1, cpu: [0, 0], memMi: 0.25 },
};

/** A shell script: a loop that forks every second shows a little CPU; a lone `sleep` none. */
const SCRIPT_LOOP: Profile = { idle: 0.15, cpu: [0.2, 1.1], memMi: 0.55 };
const SCRIPT_SLEEP: Profile = { idle: 1, cpu: [0, 0], memMi: 0.36 };

function profileOf(c: Container): Profile {
  const info = lookupImage(c.image);
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  const script = argv.join(' ');
  if (!info?.runsForever || argv.some((a) => /^(?:\/bin\/)?(?:sh|bash|ash)$/.test(a)))
    return /while|until|for /.test(script) ? SCRIPT_LOOP : SCRIPT_SLEEP;
  return PROFILES[parseImage(c.image).repo] ?? { idle: 0.3, cpu: [0.1, 1], memMi: 4 };
}

/** One container's usage over the metrics window `window` (its index: start time / resolution). */
export function containerUsage(
  seed: number,
  podUid: string,
  container: Container,
  nodeCpus: number,
  window: number,
): Usage {
  const p = profileOf(container);
  const idle = unitFloat(seed, podUid, container.name, 'idle', window) < p.idle;
  const u = unitFloat(seed, podUid, container.name, 'cpu', window);
  const millicores = idle ? 0 : p.cpu[0] + (p.cpu[1] - p.cpu[0]) * u;
  const drift = 0.97 + 0.06 * unitFloat(seed, podUid, container.name, 'mem', window);
  const mem = (p.memMi + (p.perCpuMi ?? 0) * nodeCpus) * MI * drift;
  return { nanocores: Math.round(millicores * 1_000_000), bytes: Math.round(mem / 1024) * 1024 };
}

/**
 * The node as a whole (the root cgroup): its system overhead plus what its pods use. A worker runs
 * the kubelet, containerd, kube-proxy and a containerd shim per pod; a control-plane node also
 * runs etcd, kube-apiserver, the controller manager and the scheduler.
 */
export function nodeOverhead(
  seed: number,
  nodeName: string,
  controlPlane: boolean,
  pods: number,
  window: number,
): Usage {
  const u = unitFloat(seed, nodeName, 'cpu', window);
  const m = unitFloat(seed, nodeName, 'mem', window);
  const baseMillicores = controlPlane ? 145 + 70 * u : 31 + 14 * u;
  const baseMi = controlPlane ? 1460 + 45 * m : 610 + 30 * m;
  const millicores = baseMillicores + 0.35 * pods;
  const bytes = (baseMi + 8.6 * pods) * MI;
  return { nanocores: Math.round(millicores * 1_000_000), bytes: Math.round(bytes / 1024) * 1024 };
}

export interface ContainerSample {
  readonly name: string;
  readonly usage: Usage;
}

export interface PodSample {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly containers: readonly ContainerSample[];
}

export interface NodeSample {
  readonly usage: Usage;
  /** Pods with a full window of data, by uid. */
  readonly pods: ReadonlyMap<string, PodSample>;
}

/**
 * The scrape at `atMs` (a window boundary): every container that has run since the scrape before
 * (so a rate over the window exists), and the node's total. A pod shows up only once all its
 * containers have; a kubelet needs the same full window before its node does.
 */
export function scrapeNode(
  runtime: PodRuntime,
  node: { readonly name: string; readonly cpus: number; readonly controlPlane: boolean },
  kubeletStartedMs: number,
  seed: number,
  atMs: number,
): NodeSample | undefined {
  const window = Math.floor(atMs / METRICS_RESOLUTION_MS);
  const previous = atMs - METRICS_RESOLUTION_MS;
  if (kubeletStartedMs > previous) return undefined;
  const pods = new Map<string, PodSample>();
  let nanocores = 0;
  let bytes = 0;
  let running = 0;
  for (const rp of runtime.runtimePods()) {
    const uid = rp.pod.metadata.uid ?? '';
    // Each container running at `atMs` uses CPU and memory; the pod has metrics once its
    // containers ran a whole window.
    let containers: ContainerSample[] | undefined;
    let whole = true;
    for (const state of rp.containers) {
      const spec = rp.pod.spec.containers.find((c) => c.name === state.name);
      if (!spec || !state.started || state.createdMs > atMs) continue;
      const usage = containerUsage(seed, uid, spec, node.cpus, window);
      nanocores += usage.nanocores;
      bytes += usage.bytes;
      (containers ??= []).push({ name: state.name, usage });
      if (state.createdMs > previous) whole = false;
    }
    if (!containers) continue;
    running++;
    if (whole)
      pods.set(uid, {
        uid,
        namespace: rp.pod.metadata.namespace ?? 'default',
        name: rp.pod.metadata.name,
        containers,
      });
  }
  const overhead = nodeOverhead(seed, node.name, node.controlPlane, running, window);
  return {
    usage: { nanocores: nanocores + overhead.nanocores, bytes: bytes + overhead.bytes },
    pods,
  };
}
