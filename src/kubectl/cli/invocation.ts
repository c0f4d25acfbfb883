import type { ProgramContext } from '../../shell/program';
import type { ApiRequest } from '../../sim/apiserver/request';
import type { Task } from '../../sim/kernel/task';
import type { ParsedFlags } from '../flags';
import { type ApiFailure, failureMessage, failureOf, SERVER_URL } from './errors';
import { checkRequestTimeout } from './requestTimeout';

/**
 * One run of a kubectl command: its parsed flags and arguments, the namespace it works in, and
 * the streams it writes to. Commands are generator tasks that may wait on the simulated cluster.
 */
export interface Invocation {
  readonly ctx: ProgramContext;
  /** `kubectl get`, `kubectl create namespace`: used in help and usage errors. */
  readonly path: string;
  readonly args: readonly string[];
  readonly flags: ParsedFlags;
  /** `-n` if given, else the session's namespace (kubeconfig context). */
  readonly namespace: string;
  /** Whether `-n/--namespace` was given. */
  readonly explicitNamespace: boolean;
  out(text: string): void;
  err(text: string): void;
}

export type CallResult<T> =
  | { readonly ok: true; readonly body: T }
  | { readonly ok: false; readonly failure: ApiFailure };

/** Sends one request and classifies the answer. */
export function* call<T>(inv: Invocation, req: ApiRequest): Task<CallResult<T>> {
  checkRequestTimeout(inv);
  const outcome = yield* inv.ctx.client.call(req);
  const failure = failureOf(
    outcome,
    { verb: req.verb, resource: req.resource, name: req.name },
    requestUrl(req),
  );
  if (failure) return { ok: false, failure };
  return { ok: true, body: (outcome as { body: T }).body };
}

/** Prints a failure the way checkErr does and returns kubectl's exit code. */
export function fail(inv: Invocation, failure: ApiFailure): number {
  inv.err(failureMessage(failure));
  return 1;
}

/** The URL client-go would have used (only its host shows in messages, but keep it honest). */
export function requestUrl(req: ApiRequest): string {
  if (req.verb === 'version') return `${SERVER_URL}/version?timeout=32s`;
  if (req.verb === 'discovery') return `${SERVER_URL}/api?timeout=32s`;
  const ns = req.namespace ? `/namespaces/${req.namespace}` : '';
  return `${SERVER_URL}/api/v1${ns}/${req.resource}${req.name ? `/${req.name}` : ''}`;
}
