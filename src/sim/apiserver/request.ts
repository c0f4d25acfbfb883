import type { PodLogOptions } from '../api/podLog';
import type { KubeObject } from '../api/types';

export type ApiVerb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'discovery'
  | 'version';

/** One event of a watch stream, as the API server sends it (metav1.WatchEvent). */
export interface ApiWatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: KubeObject;
}

/** One HTTP request to kube-apiserver, already routed to a resource (as the REST path would). */
export interface ApiRequest {
  readonly verb: ApiVerb;
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly body?: KubeObject;
  /** For patch: the patch document, of type `patchType`. */
  readonly patch?: unknown;
  /**
   * For patch: the Content-Type. `merge` (application/merge-patch+json, RFC 7386) unless said
   * otherwise; `strategic` (application/strategic-merge-patch+json) or `json`
   * (application/json-patch+json, RFC 6902).
   */
  readonly patchType?: 'merge' | 'strategic' | 'json';
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Ask for server-side printing (meta.k8s.io/v1 Table), as kubectl get does. */
  readonly asTable?: boolean;
  /**
   * `resourceVersion=0`: any recent state will do, served from this API server's local view (the
   * watch cache in a real apiserver) instead of a quorum read. Kubelets poll their Node this way.
   */
  readonly cached?: boolean;
  /** `dryRun=All`: validate and answer, persist nothing. */
  readonly dryRun?: boolean;
  /**
   * `pods/NAME/binding` (body: a Binding with `target.name`) — how the scheduler assigns a node;
   * `pods/NAME/log` (GET, `logOptions`) — a container's log, proxied to its kubelet.
   */
  readonly subresource?: 'binding' | 'log' | 'status' | 'exec' | 'proxy';
  /** For pods/NAME[:PORT]/proxy/PATH and services/NAME[:PORT]/proxy/PATH: the port (or its name) and path. */
  readonly proxy?: { readonly port?: string; readonly path: string };
  /** For pods/log: PodLogOptions. */
  readonly logOptions?: PodLogOptions;
  /** For pods/exec (POST): what to run in which container. */
  readonly execOptions?: PodExecOptions;
  /** For pods/log with `follow`: receives the log as it comes; the response only comes when it ends. */
  readonly onLogData?: (text: string) => void;
  /** For delete: `gracePeriodSeconds` (pods: 0 deletes at once; the kubelet sends it when done). */
  readonly gracePeriodSeconds?: number;
  /** For watch: receives each event; the response itself only comes when the stream ends. */
  readonly onWatchEvent?: (event: ApiWatchEvent) => void;
  /** For watch: set `aborted` to close the stream (the client hung up). */
  readonly abort?: { aborted: boolean };
}

/** PodExecOptions, plus the state of an interactive shell the client keeps between lines. */
export interface PodExecOptions {
  readonly container: string;
  readonly command: readonly string[];
  readonly stdin?: boolean;
  readonly tty?: boolean;
  /** What the client sends on stdin before closing it (`kubectl cp` streams a tar archive). */
  readonly stdinData?: string;
  /** One line typed into an interactive shell (`command` is the shell). */
  readonly shellLine?: { readonly line: string; readonly state: ExecShellState };
}

/** An interactive shell's working directory and variables. */
export interface ExecShellState {
  readonly cwd: string;
  readonly vars: readonly (readonly [string, string])[];
  readonly exited?: number;
}

/** What an exec ends with: the streams and the exit code (the body of a 200 answer to pods/exec). */
export interface PodExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  /** For a shell line: the shell's state after it, and its prompt. */
  readonly state?: ExecShellState;
  readonly prompt?: string;
}

/** The response: an HTTP status code and a body (an object, a list, a Table or a metav1.Status). */
export interface ApiResponse {
  readonly code: number;
  readonly body: unknown;
}

/** Failures below HTTP: what the client library reports when no response comes back. */
export type TransportError = { readonly transport: 'connection-refused' } | { readonly transport: 'eof' };

export type ApiOutcome = ApiResponse | TransportError;

export function isTransportError(o: ApiOutcome): o is TransportError {
  return 'transport' in o;
}
