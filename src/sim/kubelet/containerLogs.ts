import type { PodLogOptions } from '../api/podLog';
import type { Container, PodObject } from '../api/types';
import { EPOCH_UNIX_MS, parseSimTime } from '../kernel/time';
import {
  type ContainerRun,
  containerOutput,
  containerRunOf,
  type LogLine,
  stopOutput,
} from './containerOutput';
import { type PodRuntime, type RuntimeContainerState, type RuntimePod, runtimeContainer } from './podRuntime';
import type { NetworkResult } from './shellScript';

/**
 * The kubelet's `/containerLogs/NS/POD/CONTAINER` endpoint (what `kubectl logs` reaches through
 * the API server): it picks the container instance as the kubelet's validateContainerLogStatus
 * does (the running one, the last terminated one, or an error saying why there is none), and
 * reads its log as the CRI log reader does (since, tail, timestamps, limit-bytes, follow). The
 * lines themselves are generated on the spot (containerOutput.ts); nothing is kept per pod.
 */

export type KubeletLogResult =
  | { readonly ok: true; readonly stream: ContainerLogStream }
  /** What the kubelet answers instead: 400 (the container cannot give logs) or 404. */
  | { readonly ok: false; readonly code: 400 | 404; readonly message: string };

export interface LogRequest {
  readonly runtime: PodRuntime;
  readonly nodeCpus: number;
  readonly seed: number;
  readonly nowMs: number;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly opts: PodLogOptions;
}

export function findRuntimePod(runtime: PodRuntime, namespace: string, name: string): RuntimePod | undefined {
  for (const p of runtime.runtimePods())
    if (p.pod.metadata.name === name && (p.pod.metadata.namespace ?? 'default') === namespace) return p;
  return undefined;
}

/** Which instance of a container a log request reads, or the kubelet's error. */
export function openContainerLog(req: LogRequest): KubeletLogResult {
  const { pod: podName, container: name } = req;
  const rp = findRuntimePod(req.runtime, req.namespace, podName);
  if (!rp) return { ok: false, code: 404, message: `pod "${podName}" does not exist` };
  const spec =
    rp.pod.spec.containers.find((c) => c.name === name) ??
    rp.pod.spec.initContainers?.find((c) => c.name === name);
  if (!spec) return { ok: false, code: 404, message: `container "${name}" not found in pod "${podName}"` };
  const status =
    rp.pod.status?.containerStatuses?.find((s) => s.name === name) ??
    rp.pod.status?.initContainerStatuses?.find((s) => s.name === name);
  const c = runtimeContainer(rp, name);
  const bad = (message: string): KubeletLogResult => ({ ok: false, code: 400, message });
  if (!status || !c) return bad(`container "${name}" in pod "${podName}" is not available`);
  const hasLast = c.restarts > 0;
  const base = { spec, rp, c, nodeCpus: req.nodeCpus, seed: req.seed };
  let run: ContainerRun;
  let endMs: number;
  let live = false;
  if (req.opts.previous) {
    if (!hasLast) return bad(`previous terminated container "${name}" in pod "${podName}" not found`);
    ({ run, endMs } = lastTerminated(base, req.nowMs));
  } else if (c.started) {
    run = runOf(base, c.createdMs, c.restarts, stopMsOf(rp.pod));
    endMs = Number.POSITIVE_INFINITY;
    live = true;
  } else if (status.state.terminated && c.id !== '') {
    // Ran to its end (a Job's pod): its one run, until it exited.
    run = runOf(base, c.createdMs, c.restarts, undefined);
    endMs = Number.POSITIVE_INFINITY; // the script itself ended; finishedAt is whole seconds
  } else if (hasLast) {
    ({ run, endMs } = lastTerminated(base, req.nowMs));
  } else {
    const reason = status.state.waiting?.reason;
    if (reason === 'ErrImagePull')
      return bad(`container "${name}" in pod "${podName}" is waiting to start: image can't be pulled`);
    if (reason === 'ImagePullBackOff')
      return bad(
        `container "${name}" in pod "${podName}" is waiting to start: trying and failing to pull image`,
      );
    if (reason) return bad(`container "${name}" in pod "${podName}" is waiting to start: ${reason}`);
    return bad(`container "${name}" in pod "${podName}" is waiting to start - no logs yet`);
  }
  const uid = rp.pod.metadata.uid ?? '';
  return {
    ok: true,
    stream: new ContainerLogStream(
      run,
      req.opts,
      req.nowMs,
      endMs,
      live ? { uid, container: name, startMs: run.startMs } : undefined,
    ),
  };
}

interface RunBase {
  readonly spec: Container;
  readonly rp: RuntimePod;
  readonly c: RuntimeContainerState;
  readonly nodeCpus: number;
  readonly seed: number;
}

function runOf(b: RunBase, startMs: number, attempt: number, stopMs: number | undefined): ContainerRun {
  const { spec, rp, c } = b;
  return {
    ...containerRunOf(rp.pod, spec, { podIp: rp.ip, nodeCpus: b.nodeCpus, seed: b.seed, startMs, attempt }),
    ...(stopMs !== undefined && stopMs >= startMs ? { stopMs } : {}),
    ...(c.captured?.attempt === attempt ? { captured: c.captured.run } : {}),
    ...networkOf(c.networkCalls?.get(attempt)),
  };
}

/** The results of a looping script's network calls, as its log is generated again. */
function networkOf(calls: ReadonlyMap<number, NetworkResult> | undefined): Pick<ContainerRun, 'network'> {
  return calls ? { network: (_argv, atUs) => calls.get(atUs) } : {};
}

/** The instance before the current one: it ran until the current one started (or until now). */
function lastTerminated(b: RunBase, nowMs: number): { run: ContainerRun; endMs: number } {
  const { rp, c } = b;
  // Ended and waiting to be started again (CrashLoopBackOff): the instance that just ended, which
  // the restart count does not count yet.
  if (!c.started && c.id !== '') return { run: runOf(b, c.createdMs, c.restarts, undefined), endMs: nowMs };
  let startMs = c.started ? c.previousStartMs : -1;
  // Restarted on this node after a kubelet restart: the pod's first start is the best we know.
  if (startMs < 0) startMs = parseSimTime(rp.pod.status?.startTime ?? '') || 0;
  return {
    run: runOf(b, startMs, c.restarts - 1, undefined),
    endMs: c.started ? c.createdMs : nowMs,
  };
}

/** When the kubelet sent the stop signal to a pod being deleted (deletionTimestamp minus its grace period). */
export function stopMsOf(pod: PodObject): number | undefined {
  const at = pod.metadata.deletionTimestamp;
  if (!at) return undefined;
  return parseSimTime(at) - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
}

/** RFC 3339 with nanoseconds, trailing zeros dropped (Go's time.RFC3339Nano), of a simulated instant. */
export function rfc3339Nano(atMs: number): string {
  // Nanoseconds since the simulation began fit a double exactly (Unix nanoseconds would not).
  const ns = Math.round(atMs * 1_000_000);
  const seconds = Math.floor(ns / 1_000_000_000);
  const frac = ns - seconds * 1_000_000_000;
  const base = new Date(EPOCH_UNIX_MS + seconds * 1000).toISOString().slice(0, 19);
  if (frac === 0) return `${base}Z`;
  return `${base}.${String(frac).padStart(9, '0').replace(/0+$/, '')}Z`;
}

/** How long the tail search first looks back, growing fourfold until it has enough lines. */
const TAIL_WINDOW_MS = 60_000;

/**
 * One read of a container's log, possibly followed. `read(now)` returns the text logged up to
 * `now` that was not read yet (the first read applies since and tail); `done` says the stream has
 * nothing more to give (the instance ended, or the byte limit was reached).
 */
export class ContainerLogStream {
  private source: Generator<LogLine, void, void> | undefined;
  private pending: LogLine | undefined;
  private sourceDone = false;
  private bytesLeft: number;
  private readonly sinceMs: number;
  private stopped = false;
  private lastAtMs = Number.NEGATIVE_INFINITY;

  constructor(
    readonly run: ContainerRun,
    private readonly opts: PodLogOptions,
    openedAtMs: number,
    private endMs: number,
    /** For a running instance: which pod and start, so a follower can tell when it ends. */
    readonly liveInstance: LiveInstance | undefined,
  ) {
    this.bytesLeft = opts.limitBytes ?? Number.POSITIVE_INFINITY;
    let since = Number.NEGATIVE_INFINITY;
    if (opts.sinceSeconds !== undefined) since = openedAtMs - opts.sinceSeconds * 1000;
    if (opts.sinceTime !== undefined) {
      const t = parseSimTime(opts.sinceTime);
      if (!Number.isNaN(t) && t > since) since = t;
    }
    this.sinceMs = since;
  }

  /**
   * Whether nothing more will come: the byte limit is reached, or the log is read to its end and
   * the instance is over (a running container may print again, even after its start-up lines).
   */
  get done(): boolean {
    if (this.bytesLeft <= 0) return true;
    const over = !this.liveInstance || this.stopped || this.endMs !== Number.POSITIVE_INFINITY;
    return over && this.sourceDone && this.pending === undefined;
  }

  /** When the next line is due (for a follower's timer), if one is known. */
  get nextAtMs(): number | undefined {
    return this.pending?.atMs;
  }

  /** The instance is being stopped at `atMs`: what it prints on its stop signal ends its log. */
  stop(atMs: number): void {
    if (this.stopped) return;
    this.stopped = true;
    const at = Math.max(atMs, this.lastAtMs);
    const rest = this.source;
    const pending = this.pending;
    const run = this.run;
    this.pending = undefined;
    this.sourceDone = false;
    this.source = (function* (): Generator<LogLine, void, void> {
      if (pending && pending.atMs <= at) yield pending;
      if (rest && !(pending && pending.atMs > at))
        for (const l of { [Symbol.iterator]: () => rest }) {
          if (l.atMs > at) break;
          yield l;
        }
      yield* stopOutput(run, at);
    })();
  }

  /** The instance ended (exited, or its pod is gone): nothing after `atMs`. */
  end(atMs: number): void {
    this.endMs = Math.min(this.endMs, atMs);
  }

  read(nowMs: number): string {
    const cutoff = Math.min(nowMs, this.endMs);
    const out: string[] = [];
    if (!this.source) this.first(cutoff, out);
    else this.drain(cutoff, out);
    if (this.endMs <= nowMs && (!this.pending || this.pending.atMs > this.endMs)) {
      this.pending = undefined;
      this.sourceDone = true;
    }
    return out.join('');
  }

  private first(cutoff: number, out: string[]): void {
    const tail = this.opts.tailLines;
    const start = this.run.startMs;
    if (tail === undefined) {
      const hint = this.sinceMs > start ? this.sinceMs : undefined;
      this.source = containerOutput(this.run, hint !== undefined ? { skipBeforeMs: hint } : {});
      this.drain(cutoff, out);
      return;
    }
    // The last `tail` lines: look back a window, and further if the window had too few.
    for (let window = TAIL_WINDOW_MS; ; window *= 4) {
      const from = Math.max(cutoff - window, this.sinceMs);
      const hint = from > start ? from : undefined;
      const source = containerOutput(this.run, hint !== undefined ? { skipBeforeMs: hint } : {});
      const ring: LogLine[] = [];
      let pending: LogLine | undefined;
      let done = true;
      // next() by hand: a for-of that breaks would close the generator, which a follower reads on.
      for (let r = source.next(); !r.done; r = source.next()) {
        const l = r.value;
        if (l.atMs > cutoff) {
          pending = l;
          done = false;
          break;
        }
        if (l.text === '' || l.atMs < this.sinceMs) continue;
        ring.push(l);
        if (ring.length > 2 * tail + 64) ring.splice(0, ring.length - tail);
      }
      if (ring.length >= tail || hint === undefined) {
        this.source = source;
        this.pending = pending;
        this.sourceDone = done;
        for (const l of tail === 0 ? [] : ring.slice(-tail)) this.emit(l, out);
        if (ring.length > 0) this.lastAtMs = ring[ring.length - 1]!.atMs;
        return;
      }
    }
  }

  private drain(cutoff: number, out: string[]): void {
    for (;;) {
      if (this.bytesLeft <= 0) return;
      let l = this.pending;
      if (l) this.pending = undefined;
      else {
        if (this.sourceDone || !this.source) return;
        const r = this.source.next();
        if (r.done) {
          this.sourceDone = true;
          return;
        }
        l = r.value;
      }
      if (l.atMs > cutoff) {
        this.pending = l;
        return;
      }
      this.lastAtMs = Math.max(this.lastAtMs, l.atMs);
      if (l.text === '' || l.atMs < this.sinceMs) continue;
      this.emit(l, out);
    }
  }

  private emit(l: LogLine, out: string[]): void {
    let text = this.opts.timestamps ? `${rfc3339Nano(l.atMs)} ${l.text}` : l.text;
    if (text.length > this.bytesLeft) text = text.slice(0, this.bytesLeft);
    this.bytesLeft -= text.length;
    out.push(text);
  }
}

/** The running container instance a follower reads: its pod, its name and when it started. */
export interface LiveInstance {
  readonly uid: string;
  readonly container: string;
  readonly startMs: number;
}

/** What a follower needs to know about the instance it follows: still running, being stopped, or gone. */
export function liveState(
  runtime: PodRuntime | undefined,
  instance: LiveInstance,
): { state: 'running' } | { state: 'stopping'; atMs: number } | { state: 'ended' } {
  if (!runtime) return { state: 'ended' };
  for (const p of runtime.runtimePods()) {
    if (p.pod.metadata.uid !== instance.uid) continue;
    const c = runtimeContainer(p, instance.container);
    if (!c?.started || c.createdMs !== instance.startMs) return { state: 'ended' };
    if (p.stopping) return { state: 'stopping', atMs: stopMsOf(p.pod) ?? instance.startMs };
    return { state: 'running' };
  }
  // Removed since the follower last looked: it still gets what the container printed on its way out.
  const gone = runtime.stoppedInstance(instance.uid, instance.container);
  if (gone && gone.startMs === instance.startMs) return { state: 'stopping', atMs: gone.stopMs };
  return { state: 'ended' };
}
