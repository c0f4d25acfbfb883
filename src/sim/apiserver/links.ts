import type { PodLogOptions } from '../api/podLog';
import type { KubeObject } from '../api/types';
import type { HttpAnswer } from '../kubelet/containerExec';
import type { ApiRequest, ApiResponse, PodExecOptions, PodExecResult } from './request';

/**
 * What kube-apiserver reaches beyond etcd: the kubelets it proxies `pods/log` to (over the
 * network, from its own host), and the metrics.k8s.io API it aggregates (metrics-server). The
 * cluster provides them; an API server without links answers as one without those backends.
 */
export interface ApiServerLinks {
  /**
   * GET https://ADDRESS:10250/containerLogs/NS/POD/CONTAINER from API server host `from` to the
   * kubelet of `node`: `onData` for each piece of the log (one for a plain read, more when
   * following), then `onEnd` once, with the kubelet's answer or the dial error.
   */
  containerLogs(
    from: string,
    target: KubeletLogTarget,
    opts: PodLogOptions,
    abort: { readonly aborted: boolean } | undefined,
    handlers: KubeletLogHandlers,
  ): void;

  /**
   * POST https://ADDRESS:10250/exec/NS/POD/CONTAINER from API server host `from`: the kubelet runs
   * the command in the container (its runtime's exec), reading cluster objects through `read`.
   */
  containerExec(
    from: string,
    target: KubeletLogTarget,
    opts: PodExecOptions,
    read: (prefix: string) => readonly KubeObject[],
    done: (end: KubeletExecEnd) => void,
  ): void;

  /**
   * An HTTP GET from API server host `from` to ip:port in the cluster network (the proxy
   * subresources): a pod's server, or a Service's through kube-proxy.
   */
  httpGet(
    from: string,
    ip: string,
    port: number | string,
    path: string,
    read: (prefix: string) => readonly KubeObject[],
  ): HttpAnswer;

  /** A request to metrics.k8s.io, served by the metrics server from this API server's host. */
  metrics(
    from: string,
    req: ApiRequest,
    read: (prefix: string) => readonly KubeObject[],
    respond: (res: ApiResponse) => void,
  ): void;
}

export interface KubeletLogTarget {
  readonly node: string;
  readonly address: string;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

export type KubeletLogEnd =
  | { readonly ok: true }
  /** The kubelet refused (400: the container cannot give logs; 404: no such pod or container). */
  | { readonly ok: false; readonly code: number; readonly message: string }
  /** No connection: the Go error text (`dial tcp 10.0.1.2:10250: connect: no route to host`). */
  | { readonly ok: false; readonly dialError: string };

export type KubeletExecTarget = KubeletLogTarget;

export type KubeletExecEnd =
  | ({ readonly ok: true } & PodExecResult)
  /** The kubelet refused (the container is not running). */
  | { readonly ok: false; readonly code: number; readonly message: string }
  /** The runtime could not start the process: containerd's OCI error. */
  | { readonly ok: false; readonly startError: string }
  | { readonly ok: false; readonly dialError: string };

export interface KubeletLogHandlers {
  onData(text: string): void;
  onEnd(end: KubeletLogEnd): void;
}
