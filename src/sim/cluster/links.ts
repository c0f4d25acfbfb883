import { KUBELET_PORT, type PodLogOptions } from '../api/podLog';
import type { KubeObject } from '../api/types';
import type {
  ApiServerLinks,
  KubeletExecEnd,
  KubeletExecTarget,
  KubeletLogHandlers,
  KubeletLogTarget,
} from '../apiserver/links';
import type { ApiRequest, ApiResponse, PodExecOptions } from '../apiserver/request';
import type { Sim } from '../kernel/sim';
import type { HttpAnswer } from '../kubelet/containerExec';
import { liveState, openContainerLog } from '../kubelet/containerLogs';
import type { Kubelet } from '../kubelet/kubelet';
import { type MetricsBackend, serveMetrics } from '../metrics/metricsServer';
import type { Endpoint, Network } from '../network/network';
import type { Host } from './host';
import { clusterHttpGet, podHttp, serveContainerExec } from './podExec';

/** What the links need of the cluster (read when used, so they can be made before it is built). */
export interface LinkedCluster {
  readonly sim: Sim;
  readonly network: Network;
  readonly hosts: ReadonlyMap<string, Host>;
  host(name: string): Host | undefined;
  kubelet(name: string): Kubelet | undefined;
}

/** How long a dial to a dead machine takes to fail (no ARP answer: "no route to host"). */
export const DIAL_NO_ROUTE_MS = 3_000;
/** The dial timeout of kube-apiserver's kubelet client transport (net.Dialer, 30 s): "i/o timeout". */
export const DIAL_TIMEOUT_MS = 30_000;
/** How often a followed log is looked at for new lines when none is due sooner (and the container's state). */
export const FOLLOW_POLL_MS = 1_000;

/**
 * The API servers' connections beyond etcd, over the simulated network: `pods/log` proxied to a
 * node's kubelet (dialled from the API server's own host, so a dead or cut-off node fails as a
 * real dial does), and metrics.k8s.io answered by metrics-server scraping the kubelets it can reach.
 */
export class ClusterLinks implements ApiServerLinks {
  constructor(private readonly cluster: LinkedCluster) {}

  containerLogs(
    from: string,
    target: KubeletLogTarget,
    opts: PodLogOptions,
    abort: { readonly aborted: boolean } | undefined,
    handlers: KubeletLogHandlers,
  ): void {
    const { sim, network } = this.cluster;
    const apiHost = this.cluster.host(from);
    const nodeHost = this.cluster.host(target.node);
    if (!apiHost) return;
    const dial = `dial tcp ${target.address}:${KUBELET_PORT}`;
    if (!nodeHost?.up) {
      sim.schedule(DIAL_NO_ROUTE_MS, () =>
        handlers.onEnd({ ok: false, dialError: `${dial}: connect: no route to host` }),
      );
      return;
    }
    if (!network.connected(apiHost, nodeHost)) {
      sim.schedule(DIAL_TIMEOUT_MS, () => handlers.onEnd({ ok: false, dialError: `${dial}: i/o timeout` }));
      return;
    }
    const back = orderedSender(network, nodeHost, apiHost);
    network.send(
      apiHost,
      nodeHost,
      () => {
        const kubelet = this.cluster.kubelet(target.node);
        if (!kubelet)
          return back(() => handlers.onEnd({ ok: false, dialError: `${dial}: connect: connection refused` }));
        const opened = openContainerLog({
          runtime: kubelet.pods,
          nodeCpus: nodeHost.spec.cpuCores,
          seed: sim.rng.seed,
          nowMs: sim.nowMs,
          namespace: target.namespace,
          pod: target.pod,
          container: target.container,
          opts,
        });
        if (!opened.ok) {
          const { code, message } = opened;
          return back(() => handlers.onEnd({ ok: false, code, message }));
        }
        const stream = opened.stream;
        const first = stream.read(sim.nowMs);
        if (!opts.follow || stream.done) {
          return back(() => {
            if (first !== '') handlers.onData(first);
            handlers.onEnd({ ok: true });
          });
        }
        if (first !== '') back(() => handlers.onData(first));
        const instance = stream.liveInstance;
        // Follow: look again when the next line is due (at least every second, to notice the
        // container stopping), until the container ends, the client hangs up or the API server dies.
        const wake = (): void => {
          if (abort?.aborted || !apiHost.up) return back(() => handlers.onEnd({ ok: true }));
          const kubeletNow = this.cluster.kubelet(target.node);
          // A node that died or was cut off sends nothing; the connection just hangs.
          if (nodeHost.up && kubeletNow && network.connected(nodeHost, apiHost)) {
            if (instance) {
              const live = liveState(kubeletNow.pods, instance);
              if (live.state === 'stopping') stream.stop(live.atMs);
              else if (live.state === 'ended') stream.end(sim.nowMs);
            } else stream.end(sim.nowMs);
            const text = stream.read(sim.nowMs);
            if (text !== '') back(() => handlers.onData(text));
            if (stream.done) return back(() => handlers.onEnd({ ok: true }));
          }
          const next = stream.nextAtMs;
          const delay =
            next === undefined ? FOLLOW_POLL_MS : Math.min(FOLLOW_POLL_MS, Math.max(0, next - sim.nowMs));
          sim.schedule(delay, wake);
        };
        sim.schedule(
          Math.min(FOLLOW_POLL_MS, Math.max(0, (stream.nextAtMs ?? Number.POSITIVE_INFINITY) - sim.nowMs)),
          wake,
        );
      },
      () =>
        sim.schedule(DIAL_TIMEOUT_MS, () => handlers.onEnd({ ok: false, dialError: `${dial}: i/o timeout` })),
    );
  }

  containerExec(
    from: string,
    target: KubeletExecTarget,
    opts: PodExecOptions,
    read: (prefix: string) => readonly KubeObject[],
    done: (end: KubeletExecEnd) => void,
  ): void {
    serveContainerExec(this.cluster, from, target, opts, read, done);
  }

  httpGet(
    from: string,
    ip: string,
    port: number | string,
    path: string,
    read: (prefix: string) => readonly KubeObject[],
  ): HttpAnswer {
    const apiHost = this.cluster.host(from);
    if (!apiHost) return { ok: false, error: 'timeout' };
    return typeof port === 'number'
      ? clusterHttpGet(this.cluster, read, apiHost, ip, port, path)
      : podHttp(this.cluster, read, apiHost, ip, port, path);
  }

  metrics(
    from: string,
    req: ApiRequest,
    read: (prefix: string) => readonly KubeObject[],
    respond: (res: ApiResponse) => void,
  ): void {
    const cluster = this.cluster;
    const apiHost = cluster.host(from);
    const backend: MetricsBackend = {
      seed: cluster.sim.rng.seed,
      nowMs: cluster.sim.nowMs,
      kubelet(_from, node) {
        const host = cluster.host(node);
        const kubelet = cluster.kubelet(node);
        if (!apiHost || !host?.up || !kubelet || !cluster.network.connected(apiHost, host)) return undefined;
        return {
          runtime: kubelet.pods,
          cpus: host.spec.cpuCores,
          controlPlane: host.isControlPlane,
          kubeletStartedMs: kubelet.startedMs,
        };
      },
    };
    serveMetrics(backend, from, req, read, respond);
  }
}

/**
 * Sends messages from one endpoint to another over the network, delivered in the order sent (as
 * one TCP connection does), whatever each message's latency. Dropped messages are lost.
 */
export function orderedSender(
  network: Network,
  from: Endpoint,
  to: Endpoint,
): (deliver: () => void, onDrop?: () => void) => void {
  let sent = 0;
  let delivered = 0;
  const arrived = new Map<number, () => void>();
  const flush = (): void => {
    for (let next = arrived.get(delivered); next; next = arrived.get(delivered)) {
      arrived.delete(delivered);
      delivered++;
      next();
    }
  };
  return (deliver, onDrop) => {
    const seq = sent++;
    network.send(
      from,
      to,
      () => {
        arrived.set(seq, deliver);
        flush();
      },
      () => {
        // A lost message must not hold back the ones after it.
        arrived.set(seq, () => onDrop?.());
        flush();
      },
    );
  };
}
