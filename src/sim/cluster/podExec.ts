import { KUBELET_PORT } from '../api/podLog';
import type {
  Container,
  EndpointsObject,
  KubeObject,
  NodeObject,
  PodObject,
  ServiceObject,
} from '../api/types';
import type { KubeletExecEnd, KubeletExecTarget } from '../apiserver/links';
import type { PodExecOptions } from '../apiserver/request';
import { ROOT_CA_CONFIGMAP } from '../controlplane/rootCaPublisher';
import { parseSimTime } from '../kernel/time';
import {
  type ExecTarget,
  execInContainer,
  execShellLine,
  type HttpAnswer,
  newShellState,
  type PodNetwork,
  readContainerFile,
  type ShellState,
  serveHttp,
  shellPrompt,
} from '../kubelet/containerExec';
import { imageProfile, SHELLS } from '../kubelet/containerImage';
import type { CapturedRun } from '../kubelet/containerOutput';
import { type RuntimePod, runtimeContainer } from '../kubelet/podRuntime';
import type { ContainerFiles, NetworkResult } from '../kubelet/shellScript';
import type { Endpoint } from '../network/network';
import { type Host, OUTSIDE } from './host';
import { DIAL_NO_ROUTE_MS, DIAL_TIMEOUT_MS, type LinkedCluster, orderedSender } from './links';
import { SERVICE_ACCOUNT_DIR, serviceAccountToken } from './serviceAccountToken';

/** Reads what CoreDNS, kube-proxy and the kubelet's volume manager know: objects under an etcd prefix. */
export type ObjectReader = (prefix: string) => readonly KubeObject[];

/**
 * Each container's writable layer, by host and container id: files written by `kubectl exec` stay
 * until the container is replaced (a restart gets a new id, hence an empty layer), as in a runtime.
 */
const layers = new WeakMap<Host, Map<string, Map<string, string | null>>>();

function layerOf(host: Host, containerId: string): Map<string, string | null> {
  let byContainer = layers.get(host);
  if (!byContainer) layers.set(host, (byContainer = new Map()));
  let layer = byContainer.get(containerId);
  if (!layer) byContainer.set(containerId, (layer = new Map()));
  return layer;
}

/** How long a one-shot network command runs (a DNS lookup or a small HTTP GET inside the cluster). */
export const ONE_SHOT_NETWORK_MS = 20;

/**
 * A container whose command is a network tool (`kubectl run -i --rm dns --image=busybox
 * --restart=Never -- nslookup kubernetes.default`): run once, as the runtime's exec would, on the
 * cluster network as it is now. A program the image lacks prints nothing here: the kubelet's own
 * start already failed it.
 */
export function runOneShot(
  cluster: LinkedCluster,
  read: ObjectReader,
  host: Host,
  running: RuntimePod,
  container: Container,
): CapturedRun | undefined {
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  const r = execInContainer(execTargetFor(cluster, read, host, running, container), argv);
  if ('startError' in r) return undefined;
  return { text: r.stdout + r.stderr, exitCode: r.exitCode, afterMs: ONE_SHOT_NETWORK_MS };
}

/**
 * One network tool a container's looping script calls (`wget -qO- http://web` in a `while` loop):
 * run as the runtime's exec would, on the cluster network as it is now.
 */
export function runNetworkTool(
  cluster: LinkedCluster,
  read: ObjectReader,
  host: Host,
  running: RuntimePod,
  container: Container,
  argv: readonly string[],
): NetworkResult | undefined {
  const r = execInContainer(execTargetFor(cluster, read, host, running, container), [...argv]);
  if ('startError' in r) return undefined;
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
}

/**
 * The writable layer of a container's current instance, as a script running in it changes it
 * (`touch /tmp/healthy`, `echo ok > /tmp/ready`): what `kubectl exec` and exec probes then read.
 */
export function containerFiles(
  host: Host,
  running: RuntimePod,
  container: Container,
): ContainerFiles | undefined {
  const id = runtimeContainer(running, container.name)?.id;
  if (!id) return undefined;
  const layer = layerOf(host, id);
  return {
    write: (path, text, append) => layer.set(path, append ? (layer.get(path) ?? '') + text : text),
    remove: (path) => layer.set(path, null),
  };
}

/** The running pod `target` names on its node, or why the kubelet cannot exec into it. */
export function findRunningContainer(
  cluster: LinkedCluster,
  target: KubeletExecTarget,
): { ok: true; pod: RuntimePod; container: Container } | { ok: false; message: string } {
  const kubelet = cluster.kubelet(target.node);
  for (const p of kubelet?.pods.runtimePods() ?? []) {
    if (p.pod.metadata.name !== target.pod || (p.pod.metadata.namespace ?? 'default') !== target.namespace)
      continue;
    const container =
      p.pod.spec.containers.find((c) => c.name === target.container) ??
      p.pod.spec.initContainers?.find((c) => c.name === target.container);
    if (!container || !runtimeContainer(p, container.name)?.started || p.stopping) break;
    return { ok: true, pod: p, container };
  }
  return { ok: false, message: `container not found ("${target.container}")` };
}

/** Everything a command inside the container sees. */
export function execTargetFor(
  cluster: LinkedCluster,
  read: ObjectReader,
  host: Host,
  running: RuntimePod,
  container: Container,
): ExecTarget {
  const pod = running.pod;
  const instance = runtimeContainer(running, container.name);
  const namespace = pod.metadata.namespace ?? 'default';
  const profile = imageProfile(container.image);
  const [path, ...imageEnv] = profile.env;
  const env: [string, string][] = [
    ...(path ? [[path[0], path[1]] as [string, string]] : []),
    ['HOSTNAME', pod.metadata.name],
    ...imageEnv.map(([k, v]) => [k, v] as [string, string]),
    ...containerEnv(read, pod, container),
    ...serviceLinks(read, pod, instance?.createdMs ?? cluster.sim.nowMs),
    ['HOME', '/root'],
  ];
  const command = [...(container.command ?? []), ...(container.args ?? [])];
  return {
    podName: pod.metadata.name,
    namespace,
    podIp: running.ip,
    profile,
    image: container.image,
    mainCommand: command.length > 0 ? command.join(' ') : defaultCommand(container.image),
    env,
    nowMs: cluster.sim.nowMs,
    layer: layerOf(host, instance?.id ?? ''),
    mounts: mountedFiles(read, pod, container, cluster.sim.rng.seed),
    network: podNetwork(cluster, read, host, namespace),
  };
}

function defaultCommand(image: string): string {
  const repo = image.split(':')[0]?.split('/').pop() ?? image;
  return repo === 'nginx' ? 'nginx: master process nginx -g daemon off;' : repo;
}

/** The container's `env` and `envFrom`, resolved as the kubelet does when it starts it. */
function containerEnv(read: ObjectReader, pod: PodObject, container: Container): [string, string][] {
  const namespace = pod.metadata.namespace ?? 'default';
  const spec = container as Container & {
    env?: readonly { name: string; value?: string; valueFrom?: Record<string, Record<string, string>> }[];
    envFrom?: readonly { configMapRef?: { name: string }; secretRef?: { name: string }; prefix?: string }[];
  };
  const out: [string, string][] = [];
  for (const from of spec.envFrom ?? []) {
    const data = from.configMapRef
      ? dataOf(read, 'configmaps', namespace, from.configMapRef.name)
      : from.secretRef
        ? dataOf(read, 'secrets', namespace, from.secretRef.name)
        : undefined;
    for (const [k, v] of Object.entries(data ?? {})) out.push([`${from.prefix ?? ''}${k}`, v]);
  }
  for (const e of spec.env ?? []) {
    if (e.value !== undefined || !e.valueFrom) {
      out.push([e.name, e.value ?? '']);
      continue;
    }
    const { fieldRef, configMapKeyRef, secretKeyRef } = e.valueFrom;
    if (fieldRef?.fieldPath) out.push([e.name, fieldOf(pod, fieldRef.fieldPath)]);
    else if (configMapKeyRef?.name && configMapKeyRef.key)
      out.push([
        e.name,
        dataOf(read, 'configmaps', namespace, configMapKeyRef.name)?.[configMapKeyRef.key] ?? '',
      ]);
    else if (secretKeyRef?.name && secretKeyRef.key)
      out.push([e.name, dataOf(read, 'secrets', namespace, secretKeyRef.name)?.[secretKeyRef.key] ?? '']);
  }
  return out;
}

function fieldOf(pod: PodObject, path: string): string {
  const values: Record<string, string | undefined> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': pod.spec.nodeName,
    'spec.serviceAccountName': pod.spec.serviceAccountName,
    'status.podIP': pod.status?.podIP,
    'status.hostIP': pod.status?.hostIP,
  };
  return values[path] ?? '';
}

/** A ConfigMap's data, or a Secret's decoded data. */
function dataOf(
  read: ObjectReader,
  resource: 'configmaps' | 'secrets',
  namespace: string,
  name: string,
): Record<string, string> | undefined {
  const obj = read(`/registry/${resource}/${namespace}/${name}`).find((o) => o.metadata.name === name) as
    | (KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> })
    | undefined;
  if (!obj) return undefined;
  if (resource === 'configmaps') return obj.data ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj.data ?? {})) out[k] = decodeBase64(v);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A Secret value as the container sees it: the base64 decoded, read as UTF-8. */
function decodeBase64(text: string): string {
  const bytes: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const ch of text.replace(/=+$/, '')) {
    const v = B64.indexOf(ch);
    if (v < 0) return '';
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
  }
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const n = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    let c = n === 1 ? b : b & (0xff >> (n + 1));
    for (let k = 1; k < n; k++) c = (c << 6) | ((bytes[i + k] ?? 0) & 63);
    out += String.fromCodePoint(c);
    i += n;
  }
  return out;
}

/**
 * Docker-link variables for every Service of the pod's namespace (and `kubernetes`) that existed
 * when the container started (enableServiceLinks): a Service created later is not in `env`.
 */
function serviceLinks(read: ObjectReader, pod: PodObject, startedMs: number): [string, string][] {
  if (pod.spec.enableServiceLinks === false) return [];
  const namespace = pod.metadata.namespace ?? 'default';
  const services = [
    ...read(`/registry/services/specs/${namespace}/`),
    ...(namespace === 'default' ? [] : read('/registry/services/specs/default/kubernetes')),
  ] as ServiceObject[];
  const out: [string, string][] = [];
  for (const svc of services) {
    const ip = svc.spec.clusterIP;
    if (!ip || ip === 'None') continue;
    const created = parseSimTime(svc.metadata.creationTimestamp ?? '');
    if (created !== undefined && created > startedMs) continue;
    const prefix = svc.metadata.name.toUpperCase().replace(/-/g, '_');
    const ports = svc.spec.ports ?? [];
    const first = ports[0];
    if (!first) continue;
    out.push([`${prefix}_SERVICE_HOST`, ip], [`${prefix}_SERVICE_PORT`, String(first.port)]);
    for (const p of ports)
      if (p.name)
        out.push([`${prefix}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port)]);
    const proto = (first.protocol ?? 'TCP').toLowerCase();
    out.push([`${prefix}_PORT`, `${proto}://${ip}:${first.port}`]);
    for (const p of ports) {
      const pr = (p.protocol ?? 'TCP').toLowerCase();
      const base = `${prefix}_PORT_${p.port}_${pr.toUpperCase()}`;
      out.push(
        [base, `${pr}://${ip}:${p.port}`],
        [`${base}_PROTO`, pr],
        [`${base}_PORT`, String(p.port)],
        [`${base}_ADDR`, ip],
      );
    }
  }
  return out;
}

/** configMap and secret volumes, as files under each mount path (one per key). */
function mountedFiles(
  read: ObjectReader,
  pod: PodObject,
  container: Container,
  seed: number,
): Record<string, string> {
  const namespace = pod.metadata.namespace ?? 'default';
  const volumes = ((pod.spec as { volumes?: readonly Record<string, unknown>[] }).volumes ?? []) as readonly {
    name: string;
    configMap?: { name: string };
    secret?: { secretName: string };
  }[];
  const mounts = ((container as { volumeMounts?: readonly { name: string; mountPath: string }[] })
    .volumeMounts ?? []) as readonly { name: string; mountPath: string }[];
  const files: Record<string, string> = {};
  for (const m of mounts) {
    const v = volumes.find((x) => x.name === m.name);
    const data = v?.configMap
      ? dataOf(read, 'configmaps', namespace, v.configMap.name)
      : v?.secret
        ? dataOf(read, 'secrets', namespace, v.secret.secretName)
        : undefined;
    const dir = m.mountPath.replace(/\/$/, '');
    if (!data) {
      files[`${dir}/`] = '';
      continue;
    }
    for (const [k, value] of Object.entries(data)) files[`${dir}/${k}`] = value;
  }
  // The service account volume the ServiceAccount admission plugin adds to every pod (unless
  // automountServiceAccountToken is false): the token, the cluster's CA and the namespace.
  if ((pod.spec as { automountServiceAccountToken?: boolean }).automountServiceAccountToken !== false) {
    // Read only when a command reads them: every exec, probe and HTTP request to the pod builds
    // its mounts, and the token and the CA's lookup are not free.
    const lazy = (path: string, value: () => string): void => {
      Object.defineProperty(files, path, { get: value, enumerable: true });
    };
    lazy(
      `${SERVICE_ACCOUNT_DIR}/ca.crt`,
      () => dataOf(read, 'configmaps', namespace, ROOT_CA_CONFIGMAP)?.['ca.crt'] ?? '',
    );
    files[`${SERVICE_ACCOUNT_DIR}/namespace`] = namespace;
    lazy(`${SERVICE_ACCOUNT_DIR}/token`, () => {
      const startMs = Date.parse(pod.status?.startTime ?? pod.metadata.creationTimestamp ?? '');
      return serviceAccountToken(
        seed,
        { namespace, name: pod.metadata.name, uid: pod.metadata.uid ?? '', node: pod.spec.nodeName ?? '' },
        Math.floor((Number.isNaN(startMs) ? 0 : startMs) / 1000),
        (pod.spec as { serviceAccountName?: string }).serviceAccountName ?? 'default',
      );
    });
  }
  return files;
}

/** DNS through CoreDNS, and TCP through kube-proxy to the pods behind a Service. */
function podNetwork(cluster: LinkedCluster, read: ObjectReader, from: Host, namespace: string): PodNetwork {
  const resolve = (name: string): { fqdn: string; ip: string } | undefined => {
    const bare = name.replace(/\.$/, '');
    const candidates = name.endsWith('.')
      ? [bare]
      : [
          `${bare}.${namespace}.svc.cluster.local`,
          `${bare}.svc.cluster.local`,
          `${bare}.cluster.local`,
          bare,
        ];
    for (const fqdn of candidates) {
      const m = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(fqdn);
      if (!m) continue;
      const svc = servicesOf(read).find((s) => s.metadata.name === m[1] && s.metadata.namespace === m[2]);
      const ip = svc?.spec.clusterIP;
      if (ip && ip !== 'None') return { fqdn, ip };
      if (svc) {
        const ready = readyAddresses(read, m[2] as string, m[1] as string);
        if (ready[0]) return { fqdn, ip: ready[0] };
      }
    }
    return undefined;
  };
  return { resolve, httpGet: (ip, port, path) => clusterHttpGet(cluster, read, from, ip, port, path) };
}

const servicesOf = (read: ObjectReader): ServiceObject[] =>
  read('/registry/services/specs/') as ServiceObject[];

/**
 * An HTTP GET from `from` (a host, or the outside world) to ip:port inside the cluster network: a
 * Service IP goes through kube-proxy to one ready endpoint, a pod IP straight to the pod, whose
 * image's server answers if it listens on that port.
 */
export function clusterHttpGet(
  cluster: LinkedCluster,
  read: ObjectReader,
  from: Endpoint,
  ip: string,
  port: number,
  path: string,
): HttpAnswer {
  const svc = servicesOf(read).find((s) => s.spec.clusterIP === ip);
  if (svc) {
    const sp = (svc.spec.ports ?? []).find((p) => p.port === port);
    // No rule for that port: the packets go to an address no one has, and the dial times out.
    if (!sp) return { ok: false, error: 'timeout' };
    return throughService(cluster, read, from, svc, sp, path);
  }
  return podHttp(cluster, read, from, ip, port, path);
}

/**
 * From outside the cluster only nodes are reachable: a NodePort on any node's address leads,
 * through that node's kube-proxy, to the Service's pods. Anything else is not routable.
 */
export function httpFromOutside(
  cluster: LinkedCluster,
  read: ObjectReader,
  ip: string,
  port: number,
  path: string,
): HttpAnswer {
  const node = (read('/registry/minions/') as NodeObject[]).find((n) =>
    (n.status?.addresses ?? []).some((a) => a.address === ip),
  );
  const host = node ? cluster.host(node.metadata.name) : undefined;
  if (!host) return { ok: false, error: 'timeout' };
  if (!host.up || !cluster.network.connected(OUTSIDE, host)) return { ok: false, error: 'timeout' };
  for (const svc of servicesOf(read)) {
    const sp = (svc.spec.ports ?? []).find((p) => (p as { nodePort?: number }).nodePort === port);
    if (sp) return throughService(cluster, read, host, svc, sp, path);
  }
  return { ok: false, error: 'refused' };
}

function throughService(
  cluster: LinkedCluster,
  read: ObjectReader,
  from: Endpoint,
  svc: ServiceObject,
  sp: NonNullable<ServiceObject['spec']['ports']>[number],
  path: string,
): HttpAnswer {
  const backends = readyAddresses(read, svc.metadata.namespace ?? 'default', svc.metadata.name);
  // kube-proxy rejects connections to a Service port with no ready endpoint.
  if (backends.length === 0) return { ok: false, error: 'refused' };
  const backend = backends[Math.floor(cluster.sim.rng.float() * backends.length)] as string;
  const target = (sp as { targetPort?: number | string }).targetPort ?? sp.port;
  return podHttp(cluster, read, from, backend, target, path);
}

/** A pod's server, reached at its IP; `port` may name a container port. */
export function podHttp(
  cluster: LinkedCluster,
  read: ObjectReader,
  from: Endpoint,
  ip: string,
  port: number | string,
  path: string,
): HttpAnswer {
  for (const [name, host] of cluster.hosts) {
    for (const p of cluster.kubelet(name)?.pods.runtimePods() ?? []) {
      if (p.ip !== ip) continue;
      if (!host.up || !cluster.network.connected(from, host)) return { ok: false, error: 'timeout' };
      if (p.stopping) return { ok: false, error: 'refused' };
      const number =
        typeof port === 'number'
          ? port
          : p.pod.spec.containers.flatMap((c) => c.ports ?? []).find((cp) => cp.name === port)?.containerPort;
      for (const c of p.pod.spec.containers) {
        const profile = imageProfile(c.image);
        if (number === undefined || profile.http?.port !== number) continue;
        if (!runtimeContainer(p, c.name)?.started) return { ok: false, error: 'refused' };
        const t = execTargetFor(cluster, read, host, p, c);
        return serveHttp(profile, (file) => readContainerFile(t, file), path, t.podName);
      }
      return { ok: false, error: 'refused' };
    }
  }
  return { ok: false, error: 'timeout' };
}

function readyAddresses(read: ObjectReader, namespace: string, name: string): string[] {
  const ep = read(`/registry/services/endpoints/${namespace}/${name}`).find(
    (o) => o.metadata.name === name,
  ) as EndpointsObject | undefined;
  return (ep?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));
}

/**
 * The kubelet's exec endpoint, dialled from an API server host: the dial fails as a real one does
 * (no route to a dead node, a timeout across a cut), then the runtime runs the command.
 */
export function serveContainerExec(
  cluster: LinkedCluster,
  from: string,
  target: KubeletExecTarget,
  opts: PodExecOptions,
  read: ObjectReader,
  done: (end: KubeletExecEnd) => void,
): void {
  const { sim, network } = cluster;
  const apiHost = cluster.host(from);
  const nodeHost = cluster.host(target.node);
  if (!apiHost) return;
  const dial = `dial tcp ${target.address}:${KUBELET_PORT}`;
  if (!nodeHost?.up) {
    sim.schedule(DIAL_NO_ROUTE_MS, () =>
      done({ ok: false, dialError: `${dial}: connect: no route to host` }),
    );
    return;
  }
  const back = orderedSender(network, nodeHost, apiHost);
  network.send(
    apiHost,
    nodeHost,
    () => {
      if (!cluster.kubelet(target.node))
        return back(() => done({ ok: false, dialError: `${dial}: connect: connection refused` }));
      const found = findRunningContainer(cluster, target);
      if (!found.ok) return back(() => done({ ok: false, code: 404, message: found.message }));
      const t = execTargetFor(cluster, read, nodeHost, found.pod, found.container);
      const end = runExec(t, opts);
      back(() => done(end));
    },
    () => sim.schedule(DIAL_TIMEOUT_MS, () => done({ ok: false, dialError: `${dial}: i/o timeout` })),
  );
}

function runExec(t: ExecTarget, opts: PodExecOptions): KubeletExecEnd {
  const shell = opts.command[0] ?? 'sh';
  if (opts.shellLine) {
    const state: ShellState = {
      cwd: opts.shellLine.state.cwd,
      vars: new Map(opts.shellLine.state.vars),
    };
    const r = execShellLine(t, state, shell, opts.shellLine.line);
    return {
      ok: true,
      ...r,
      state: {
        cwd: state.cwd,
        vars: [...state.vars],
        ...(state.exited !== undefined ? { exited: state.exited } : {}),
      },
      prompt: shellPrompt(t, state, shell),
    };
  }
  const r = execInContainer(t, opts.command, opts.stdinData ?? '');
  if ('startError' in r) return { ok: false, startError: r.startError };
  // An interactive shell starting: the client keeps its state and sends it lines.
  if (opts.stdin && opts.command.length === 1 && SHELLS.has(shell.slice(shell.lastIndexOf('/') + 1))) {
    const state = newShellState(t.profile);
    return { ...r, ok: true, state: { cwd: state.cwd, vars: [] }, prompt: shellPrompt(t, state, shell) };
  }
  return { ok: true, ...r };
}
