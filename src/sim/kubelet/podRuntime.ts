import { goDuration } from '../api/duration';
import type {
  Container,
  ContainerState,
  ContainerStatus,
  PodCondition,
  PodObject,
  Probe,
} from '../api/types';
import type { ApiClient } from '../client/apiClient';
import { EventRecorder } from '../client/eventRecorder';
import { Informer } from '../client/informer';
import type { Host } from '../cluster/host';
import { hex64 } from '../kernel/hash';
import { intern, SharedRecords } from '../kernel/intern';
import { type Rng, randomHex } from '../kernel/rng';
import type { Sim } from '../kernel/sim';
import { parseSimTime, rfc3339 } from '../kernel/time';
import { narrate } from '../kernel/trace';
import { plannedExit } from './containerExit';
import {
  type CapturedRun,
  containerRunOf,
  runsLive,
  runsNetworkTool,
  scriptProgram,
} from './containerOutput';
import { lookupImage, pullError, qualifiedImage } from './images';
import { type ProbeOutcome, probeFailedMessage, probeKillMessage, probesOf, probeTiming } from './prober';
import type { ContainerFiles, NetworkResult } from './shellScript';

/** Registry bandwidth and fixed costs of a pull and of creating and starting a container. */
export const PULL_MB_PER_SECOND = 40;
export const PULL_OVERHEAD_MS = 400;
export const CONTAINER_START_MS = 300;
/** Creating the pod sandbox: the pause container, its network namespace and IP. */
export const SANDBOX_START_MS = 600;
/** An unknown image fails after the registry round trip. */
export const PULL_FAILURE_MS = 800;
/** kubelet's image pull back-off and CrashLoopBackOff: 10 s, doubling, capped at 300 s. */
export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;
/** A container that ran this long without ending has its restart back-off reset (kubelet: 10 min). */
export const BACKOFF_RESET_MS = 10 * 60_000;
/** The kubelet's next look at a pod after its container ended (the pod lifecycle relists every second). */
export const RESTART_SYNC_MS = 1_000;
/** How long a container takes to exit on SIGTERM (a well-behaved server quits at once). */
export const STOP_MS = 500;
/** How long a stopped pod is remembered for log followers (a few of their polls). */
const RECENTLY_STOPPED_MS = 5_000;
/** Delay before retrying a status write that failed (API unreachable or etcd without quorum). */
export const STATUS_RETRY_MS = 10_000;
/** Network calls of a looping script whose output is kept per container (the oldest go first). */
const MAX_NETWORK_CALLS_KEPT = 10_000;

/** One container of a pod as the runtime runs it: each restarts, backs off and ends on its own. */
interface LocalContainer {
  readonly name: string;
  /** An init container (spec.initContainers), run to its end before the next and the app's. */
  readonly init: boolean;
  /** Its place in the pod's spec.containers (spec.initContainers for an init container). */
  readonly index: number;
  /** The CRI's id of the current (or last) instance; '' before the first was created. */
  id: string;
  createdMs: number;
  /** When the instance before the current one started (`kubectl logs --previous`); -1 if unknown. */
  previousStartMs: number;
  restarts: number;
  /** Its image pull and restart back-off (kubelet keys both by pod and container). */
  backoffMs: number;
  /** Whether it was restarted at once after an end: the next end backs off. */
  restartedAtOnce: boolean;
  started: boolean;
  /** Ran to its end for good (restartPolicy Never, or OnFailure after exit 0). */
  finished: boolean;
  /** What the pod's status says about it now. */
  status: ContainerStatus;
  /** How the instance before the current one ended (its status's lastState). */
  lastState?: ContainerState;
  /** A one-shot network command's run, for the attempt it ran in (see CapturedRun). */
  captured?: { readonly attempt: number; readonly run: CapturedRun };
  /** A sidecar whose first start let the next init container go. */
  sequenced?: boolean;
  /**
   * What the network calls of a script that loops printed (runsLive), by attempt and by
   * the instant of the call (µs since the start); the current attempt and the one before.
   */
  networkCalls?: Map<number, Map<number, NetworkResult>>;
}

interface LocalPod {
  /** Bumped whenever the pod's life on this node restarts, so stale timers do nothing. */
  generation: number;
  pod: PodObject;
  ip: string;
  stopping: boolean;
  /** When the CRI created the pod's sandbox (its id is derived from this: see sandboxIdOf). */
  readonly sandboxCreatedMs: number;
  /** In spec.containers order. */
  readonly containers: readonly LocalContainer[];
  /** In spec.initContainers order (none for most pods). */
  readonly inits: readonly LocalContainer[];
  statusInFlight: boolean;
  statusDirty: boolean;
}

/** One container as the kubelet's log, exec and stats endpoints read it. */
export type RuntimeContainerState = Readonly<
  Pick<
    LocalContainer,
    'name' | 'id' | 'createdMs' | 'previousStartMs' | 'restarts' | 'started' | 'captured' | 'networkCalls'
  >
>;

/** A pod as the runtime runs it: what `kubectl logs`, exec and the metrics pipeline read. */
export interface RuntimePod {
  readonly pod: PodObject;
  readonly ip: string;
  readonly stopping: boolean;
  readonly containers: readonly RuntimeContainerState[];
  readonly inits: readonly RuntimeContainerState[];
}

/** The runtime's state of the pod's container `name` (an app or an init container). */
export function runtimeContainer(rp: RuntimePod, name: string): RuntimeContainerState | undefined {
  for (const c of rp.containers) if (c.name === name) return c;
  for (const c of rp.inits) if (c.name === name) return c;
  return undefined;
}

/** The spec of a pod's container: an app container, or an init container. */
export function containerSpec(
  pod: PodObject,
  c: { readonly init: boolean; readonly index: number },
): Container | undefined {
  return c.init ? pod.spec.initContainers?.[c.index] : pod.spec.containers[c.index];
}

/** The field path events about a container name (`spec.containers{web}`, `spec.initContainers{setup}`). */
function fieldPathOf(c: { readonly init: boolean; readonly name: string }): string {
  return c.init ? `spec.initContainers{${c.name}}` : `spec.containers{${c.name}}`;
}

/** An init container with restartPolicy Always: a sidecar, started in order and kept running. */
function isSidecar(pod: PodObject, c: LocalContainer): boolean {
  return (
    c.init && (containerSpec(pod, c) as { restartPolicy?: string } | undefined)?.restartPolicy === 'Always'
  );
}

/** One container as `crictl ps` lists it. */
export interface RuntimeContainer {
  readonly id: string;
  readonly image: string;
  readonly createdMs: number;
  readonly state: 'Running' | 'Exited' | 'Created';
  readonly name: string;
  readonly attempt: number;
  readonly podId: string;
  readonly podName: string;
  readonly namespace: string;
}

/** One pod sandbox as `crictl pods` lists it. */
export interface RuntimeSandbox {
  readonly id: string;
  readonly createdMs: number;
  readonly state: 'Ready' | 'NotReady';
  readonly name: string;
  readonly namespace: string;
  readonly attempt: number;
}

/**
 * The kubelet's pod workers and the container runtime behind them: pods bound to this node are
 * pulled, created and started, with status posted at each step; an unknown image ends in
 * ImagePullBackOff, a tool image with nothing to run in CrashLoopBackOff; a pod being deleted is
 * stopped and then removed for good. Images stay cached on the host across kubelet restarts.
 */
export class PodRuntime {
  private readonly informer: Informer<PodObject>;
  private readonly local = new Map<string, LocalPod>();
  private readonly recentlyStopped = new Map<
    string,
    {
      /** The start of each container's instance that was running, by name. */
      readonly starts: ReadonlyMap<string, number>;
      readonly stopMs: number;
      readonly removedMs: number;
    }
  >();
  private alive = true;
  private nextIp = 2;
  /** When the image puller is done with the pulls asked so far (see queuePull). */
  private pullerFreeAtMs = 0;
  /** Images being pulled, by when their layers are on the node. */
  private readonly imageArrivesAtMs = new Map<string, number>();
  /** This node's `status.hostIPs`, one list shared by its pods. */
  private hostIPs: { readonly ip: string }[] | undefined;
  private readonly events: EventRecorder;

  constructor(
    private readonly host: Host,
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly rng: Rng,
    private readonly podCidr: string,
  ) {
    this.events = new EventRecorder(client, sim, { component: 'kubelet', host: host.name });
    this.informer = new Informer<PodObject>(client, sim, {
      resource: 'pods',
      fieldSelector: `spec.nodeName=${host.name}`,
    });
    this.informer.onChange((event, pod) => this.onPod(event, pod));
    this.informer.start();
  }

  stop(): void {
    this.alive = false;
    this.informer.stop();
  }

  /** The containers this node's runtime holds (`crictl ps`; with `all`, exited ones too). */
  containers(all = false): RuntimeContainer[] {
    const out: RuntimeContainer[] = [];
    for (const l of this.local.values()) {
      for (const c of l.inits.length > 0 ? [...l.inits, ...l.containers] : l.containers) {
        if (c.id === '') continue;
        const state = c.started && !l.stopping ? 'Running' : 'Exited';
        if (!all && state !== 'Running') continue;
        out.push({
          id: c.id,
          image: digestOf(qualifiedImage(containerSpec(l.pod, c)?.image ?? '')),
          createdMs: c.createdMs,
          state,
          name: c.name,
          attempt: c.restarts,
          podId: this.sandboxIdOf(l),
          podName: l.pod.metadata.name,
          namespace: l.pod.metadata.namespace ?? 'default',
        });
      }
    }
    return out.sort((a, b) => b.createdMs - a.createdMs);
  }

  /** The pod sandboxes on this node (`crictl pods`). */
  sandboxes(): RuntimeSandbox[] {
    return [...this.local.values()]
      .map((l) => ({
        id: this.sandboxIdOf(l),
        createdMs: l.sandboxCreatedMs,
        state: l.stopping ? ('NotReady' as const) : ('Ready' as const),
        name: l.pod.metadata.name,
        namespace: l.pod.metadata.namespace ?? 'default',
        attempt: 0,
      }))
      .sort((a, b) => b.createdMs - a.createdMs);
  }

  /** The pods this runtime holds, as the kubelet's log and stats endpoints read them (nothing is copied). */
  runtimePods(): IterableIterator<RuntimePod> {
    return this.local.values();
  }

  private after(l: LocalPod, ms: number, fn: () => void): void {
    const gen = l.generation;
    this.sim.schedule(ms, () => {
      if (this.alive && l.generation === gen && this.local.get(l.pod.metadata.uid ?? '') === l) fn();
    });
  }

  /** Mirror pods are the static pod manager's (staticPods.ts), not run from the API. */
  onMirrorPod: ((event: string, pod: PodObject) => void) | undefined;

  /**
   * Runs a container's command as the runtime's exec does, on the cluster network (DNS, Services):
   * set by the cluster, which knows the network. Without it network tools print nothing.
   */
  runOnNetwork: ((pod: RuntimePod, container: Container) => CapturedRun | undefined) | undefined;

  /** Carries out one probe of a container (exec, HTTP GET, TCP connect): set by the cluster. */
  runProbe: ((pod: RuntimePod, container: Container, probe: Probe) => ProbeOutcome) | undefined;

  /** The writable layer of a container's current instance, for a script's file writes: set by the cluster. */
  containerFiles: ((pod: RuntimePod, container: Container) => ContainerFiles | undefined) | undefined;

  /** Runs one network tool (argv) in a container, as the runtime's exec does: set by the cluster. */
  runToolOnNetwork:
    | ((pod: RuntimePod, container: Container, argv: readonly string[]) => NetworkResult | undefined)
    | undefined;

  private onPod(event: string, pod: PodObject): void {
    if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) {
      this.onMirrorPod?.(event, pod);
      return;
    }
    const uid = pod.metadata.uid ?? '';
    const l = this.local.get(uid);
    if (event === 'deleted') {
      if (l) {
        l.generation++;
        if (l.stopping && anyStarted(l)) this.rememberStopped(uid, l);
      }
      this.local.delete(uid);
      return;
    }
    // A newer status of ours that is not written yet stays (the watch may still bring older ones).
    if (l) l.pod = l.statusDirty || l.statusInFlight ? { ...pod, status: l.pod.status } : pod;
    if (pod.metadata.deletionTimestamp) {
      this.terminate(pod, l);
      return;
    }
    if (!l && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed') this.admit(pod);
  }

  private admit(pod: PodObject): void {
    const octets = this.podCidr.split('/')[0]?.split('.') ?? ['10', '244', '0', '0'];
    // A hostNetwork pod shares the node's network namespace: its IP is the node's.
    const ip = pod.spec.hostNetwork
      ? this.host.spec.ip
      : `${octets[0]}.${octets[1]}.${octets[2]}.${this.nextIp++ % 254 || 2}`;
    // Run before (the kubelet restarted): each container's next instance counts as a restart.
    const initSpecs = pod.spec.initContainers ?? [];
    const local = (
      spec: Container,
      index: number,
      init: boolean,
      before: readonly ContainerStatus[] | undefined,
    ): LocalContainer => {
      const last = before?.find((s) => s.name === spec.name);
      const restarts = last ? last.restartCount + 1 : 0;
      // While init containers run, every container waits with PodInitializing.
      const reason = initSpecs.length > 0 ? 'PodInitializing' : 'ContainerCreating';
      return {
        name: spec.name,
        init,
        index,
        id: '',
        createdMs: 0,
        previousStartMs: -1,
        restarts,
        backoffMs: BACKOFF_INITIAL_MS,
        restartedAtOnce: false,
        started: false,
        finished: false,
        status: waitingStatus(spec, restarts, reason),
      };
    };
    const before = pod.status?.containerStatuses;
    const containers = pod.spec.containers.map((spec, i) => local(spec, i, false, before));
    const inits =
      initSpecs.length === 0
        ? NO_CONTAINERS
        : initSpecs.map((spec, i) => local(spec, i, true, pod.status?.initContainerStatuses));
    const l: LocalPod = {
      generation: 0,
      pod,
      ip,
      stopping: false,
      sandboxCreatedMs: this.sim.nowMs,
      containers,
      inits,
      statusInFlight: false,
      statusDirty: false,
    };
    this.local.set(pod.metadata.uid ?? '', l);
    this.postStatus(l);
    // The pod sandbox (pause container, network namespace, IP) comes first, then the init
    // containers one by one, then the app's containers.
    this.after(l, SANDBOX_START_MS, () => this.runInits(l, 0));
  }

  /**
   * Starts init container `i`, or, once every init container has run to its end (a sidecar, once
   * it started), the app's containers. The next init container starts only after the one before.
   */
  private runInits(l: LocalPod, i: number): void {
    const c = l.inits[i];
    if (!c) return this.startContainers(l, l.containers);
    this.startContainer(l, c, () => this.postStatus(l));
  }

  /** An init container ended: the next one starts (after exit 0), or it is restarted, or the pod fails. */
  private initEnded(l: LocalPod, c: LocalContainer, exitCode: number): void {
    if (exitCode !== 0 && l.pod.spec.restartPolicy !== 'Never') return this.exited(l, c, exitCode);
    c.started = false;
    c.finished = true;
    const ended = terminatedStatus(c.status, exitCode, c.createdMs, this.sim.nowMs);
    c.status = exitCode === 0 ? { ...ended, ready: true } : ended;
    this.postStatus(l);
    // A failed init container under restartPolicy Never fails the pod: nothing more starts.
    if (exitCode === 0) this.runInits(l, c.index + 1);
  }

  /**
   * SyncPod: the containers are pulled, created and started one after the other, in spec order; one
   * whose image cannot be pulled does not hold back the next. The status is written once the pass
   * is over.
   */
  private startContainers(l: LocalPod, which: readonly LocalContainer[], i = 0): void {
    const c = which[i];
    if (!c) return this.postStatus(l);
    this.startContainer(l, c, () => this.startContainers(l, which, i + 1));
  }

  private startContainer(l: LocalPod, c: LocalContainer, then: () => void): void {
    const container = containerSpec(l.pod, c);
    if (!container) return then();
    const image = lookupImage(container.image);
    const at = fieldPathOf(c);
    const pod = l.pod;
    if (!image) {
      this.events.normal(pod, 'Pulling', `Pulling image "${container.image}"`, at);
      // A pull that fails takes its turn on the puller too: the registry's answer.
      this.after(l, this.takePuller(PULL_FAILURE_MS) - this.sim.nowMs, () => {
        this.events.warning(
          pod,
          'Failed',
          `Failed to pull image "${container.image}": ${pullError(container.image)}`,
          at,
        );
        this.events.warning(pod, 'Failed', 'Error: ErrImagePull', at);
        narrate(
          this.sim.trace,
          this.sim.nowMs,
          `${this.host.name}'s kubelet could not pull "${container.image}" for ${pod.metadata.name}: no such image. It will retry with back-off.`,
        );
        this.showWaiting(c, container, 'ErrImagePull', pullError(container.image));
        then();
        this.after(l, 1000, () => {
          const backOff = `Back-off pulling image "${container.image}"`;
          this.events.normal(pod, 'BackOff', backOff, at);
          this.events.warning(pod, 'Failed', 'Error: ImagePullBackOff', at);
          this.showWaiting(c, container, 'ImagePullBackOff', backOff);
          this.postStatus(l);
          this.after(l, c.backoffMs, () => this.startAgain(l, c));
          c.backoffMs = Math.min(BACKOFF_MAX_MS, c.backoffMs * 2);
        });
      });
      return;
    }
    const cached = this.host.imageCache.has(image.ref) && container.imagePullPolicy !== 'Always';
    const pull = cached ? undefined : this.queuePull(image.ref, image.sizeMb);
    const readyMs = pull ? pull.doneMs - this.sim.nowMs : 0;
    if (!cached) this.events.normal(pod, 'Pulling', `Pulling image "${container.image}"`, at);
    this.after(l, readyMs, () => {
      if (!pull) {
        this.events.normal(
          pod,
          'Pulled',
          `Container image "${container.image}" already present on machine`,
          at,
        );
      } else {
        // As kubelet reports it: the pull itself, and since it asked (queued behind other pulls).
        // Go truncates both to whole milliseconds (a clock sum may land a hair below one).
        const took = goDuration(Math.floor(pull.pullMs + 1e-6) * 1e6);
        const waited = goDuration(Math.floor(readyMs + 1e-6) * 1e6);
        const bytes = Math.round(image.sizeMb * 1_013_271);
        this.events.normal(
          pod,
          'Pulled',
          `Successfully pulled image "${container.image}" in ${took} (${waited} including waiting). Image size: ${bytes} bytes.`,
          at,
        );
      }
      this.events.normal(pod, 'Created', `Created container: ${container.name}`, at);
    });
    this.after(l, readyMs + CONTAINER_START_MS, () => {
      this.events.normal(pod, 'Started', `Started container ${container.name}`, at);
      // A container that ran before is restarted: the restart count counts the new instance.
      const restart = c.id !== '';
      if (restart) c.restarts++;
      const what = `${pod.metadata.name}${l.containers.length > 1 || c.init ? `'s ${container.name}` : ''}`;
      narrate(
        this.sim.trace,
        this.sim.nowMs,
        restart
          ? `${this.host.name}'s kubelet restarted ${what} (restart ${c.restarts}).`
          : `${this.host.name}'s kubelet started ${what} (${pull ? `pulled ${container.image}, ${image.sizeMb} MB, in ${(readyMs / 1000).toFixed(1)}s` : `${container.image} was already on the node`}).`,
      );
      this.runInstance(c, container);
      then();
      this.planEnd(l, c);
      this.startProbes(l, c, container);
    });
  }

  /**
   * kubelet's serialized image puller (serializeImagePulls, on by default): one pull at a time on
   * this node, in the order asked. A pull of an image whose layers are already here, or arrive
   * from an earlier pull before this one starts, is only the registry's manifest check.
   */
  private queuePull(ref: string, sizeMb: number): { readonly pullMs: number; readonly doneMs: number } {
    const now = this.sim.nowMs;
    const startMs = Math.max(now, this.pullerFreeAtMs);
    const arrives = this.host.imageCache.has(ref) ? now : this.imageArrivesAtMs.get(ref);
    const pullMs =
      arrives !== undefined && arrives <= startMs
        ? PULL_OVERHEAD_MS
        : PULL_OVERHEAD_MS + (sizeMb / PULL_MB_PER_SECOND) * 1000;
    const doneMs = this.takePuller(pullMs);
    if (arrives === undefined) {
      this.imageArrivesAtMs.set(ref, doneMs);
      // The image lands on the node whatever becomes of the pod that asked for it.
      this.sim.schedule(doneMs - now, () => {
        this.imageArrivesAtMs.delete(ref);
        if (this.alive) this.host.imageCache.add(ref);
      });
    }
    return { pullMs, doneMs };
  }

  /** Books the puller for a pull of `ms` after the ones asked before; returns when it ends. */
  private takePuller(ms: number): number {
    this.pullerFreeAtMs = Math.max(this.sim.nowMs, this.pullerFreeAtMs) + ms;
    return this.pullerFreeAtMs;
  }

  /** A new instance of the container starts running (a new CRI id). */
  private runInstance(c: LocalContainer, spec: Container): void {
    const now = rfc3339(this.sim.nowMs);
    if (c.id !== '') c.previousStartMs = c.createdMs;
    c.id = this.hexId();
    c.createdMs = this.sim.nowMs;
    c.started = true;
    // Every container started in the same second has the same state record.
    const state = sharedRunning.get(now) ?? sharedRunning.add(now, { running: { startedAt: now } });
    c.status = {
      name: c.name,
      image: intern(qualifiedImage(spec.image)),
      imageID: intern(
        `${qualifiedImage(spec.image).split(':')[0]}@sha256:${digestOf(qualifiedImage(spec.image))}`,
      ),
      // Two pieces (a 32-byte rope) rather than a flat copy of the 64-character id the pod keeps anyway.
      containerID: CONTAINERD_PREFIX + c.id,
      // An init container is ready once it completed (a sidecar while it runs); a container with a
      // readiness or startup probe once the probe passed.
      ready:
        (!c.init || (spec as { restartPolicy?: string }).restartPolicy === 'Always') &&
        !spec.readinessProbe &&
        !spec.startupProbe,
      started: !spec.startupProbe,
      restartCount: c.restarts,
      state,
      ...(c.lastState ? { lastState: c.lastState } : {}),
    };
  }

  /** The container is not running, for `reason`; its status keeps how its last instance ended. */
  private showWaiting(c: LocalContainer, spec: Container, reason: string, message?: string): void {
    if (c.id === '' || !c.lastState) {
      const waiting = waitingStatus(spec, c.restarts, reason, message);
      c.status = c.lastState ? { ...waiting, lastState: c.lastState } : waiting;
      return;
    }
    // It ran before: as kubelet's status, it keeps the image, image ID and container ID of the
    // instance that ended (describe shows them under CrashLoopBackOff).
    c.status = {
      ...c.status,
      ready: false,
      started: false,
      restartCount: c.restarts,
      state: { waiting: { reason, ...(message ? { message } : {}) } },
      lastState: c.lastState,
    };
  }

  /** What happens when the instance just started ends, by the pod's restartPolicy. */
  private planEnd(l: LocalPod, c: LocalContainer): void {
    if (isSidecar(l.pod, c)) {
      // A sidecar is restarted whenever it ends, and the next init container need not wait for it.
      this.restartWhenItEnds(l, c);
      if (!c.sequenced) {
        c.sequenced = true;
        this.runInits(l, c.index + 1);
      }
    } else if (c.init) this.whenItEnds(l, c, (exitCode) => this.initEnded(l, c, exitCode));
    else if ((l.pod.spec.restartPolicy ?? 'Always') !== 'Always') this.runToEnd(l, c);
    else this.restartWhenItEnds(l, c);
  }

  /**
   * restartPolicy Always: a container that ends, whether it failed or finished its job (`echo hi`,
   * `sleep 3600`), is started again with back-off, as kubelet does: CrashLoopBackOff either way.
   */
  private restartWhenItEnds(l: LocalPod, c: LocalContainer): void {
    this.whenItEnds(l, c, (exitCode) => this.exited(l, c, exitCode));
  }

  /**
   * Calls `ended` when the instance just started ends, if it does: at the instant its command
   * says, or, for a script whose network calls decide it, as the script runs (runLive).
   */
  private whenItEnds(l: LocalPod, c: LocalContainer, ended: (exitCode: number) => void): void {
    const container = containerSpec(l.pod, c);
    // A probe that gives up on the instance ends it too (startProbes).
    if (container?.livenessProbe || container?.startupProbe) this.endings.set(c, ended);
    if (container && this.runToolOnNetwork && runsLive(container)) {
      this.runLive(l, c, container, ended);
      return;
    }
    const end = this.plannedEnd(l, c);
    const id = c.id;
    if (end)
      this.after(l, end.afterMs, () => {
        if (c.id === id && c.started) ended(end.exitCode);
      });
  }

  /** How each container's current instance ends, for a probe that kills it. */
  private readonly endings = new WeakMap<LocalContainer, (exitCode: number) => void>();

  /**
   * The prober's workers for the instance just started: each probe runs at the start and then
   * every periodSeconds (not before initialDelaySeconds); the startup probe first, the others once
   * it passed. Readiness sets the container's ready flag (after successThreshold successes, until
   * failureThreshold failures); a liveness or startup probe that fails failureThreshold times in a
   * row has the container killed and restarted. Each failure is a Warning Unhealthy event.
   */
  private startProbes(l: LocalPod, c: LocalContainer, spec: Container): void {
    // Runs at every container start: most containers have no probe, and cost nothing here.
    if (!(spec.livenessProbe || spec.readinessProbe || spec.startupProbe) || !this.runProbe) return;
    const probes = probesOf(spec);
    const id = c.id;
    const at = fieldPathOf(c);
    let startupDone = !spec.startupProbe;
    for (const [kind, probe] of probes) {
      const timing = probeTiming(probe);
      let successes = 0;
      let failures = 0;
      const tick = (): void => {
        if (c.id !== id || !c.started || l.stopping) return;
        const due = this.sim.nowMs - c.createdMs >= timing.initialDelayMs;
        if (due && (kind === 'Startup') !== startupDone) {
          const r = this.runProbe?.(l, spec, probe) ?? { ok: true, output: '' };
          if (r.ok) {
            successes++;
            failures = 0;
          } else {
            failures++;
            successes = 0;
            this.events.warning(l.pod, 'Unhealthy', probeFailedMessage(kind, r.output), at);
          }
          if (kind === 'Readiness') {
            const ready = c.status.ready
              ? failures < timing.failureThreshold
              : successes >= timing.successThreshold;
            if (ready !== c.status.ready) {
              c.status = { ...c.status, ready };
              this.postStatus(l);
            }
          } else if (failures >= timing.failureThreshold) {
            this.events.normal(l.pod, 'Killing', probeKillMessage(kind, c.name), at);
            narrate(
              this.sim.trace,
              this.sim.nowMs,
              `${this.host.name}'s kubelet: ${l.pod.metadata.name}'s ${c.name} failed its ${kind.toLowerCase()} probe ${failures} times in a row; it is killed and will be restarted.`,
            );
            this.killForProbe(l, c, spec, probe);
            return;
          } else if (kind === 'Startup' && successes >= timing.successThreshold) {
            // Started: liveness and readiness take over (ready at once without a readiness probe).
            startupDone = true;
            c.status = { ...c.status, started: true, ready: !spec.readinessProbe };
            this.postStatus(l);
            return;
          }
        }
        this.after(l, timing.periodMs, tick);
      };
      tick();
    }
  }

  /**
   * A container a probe gave up on is stopped: a server quits on SIGTERM at once (exit 0); a shell
   * running as PID 1 ignores it and is killed when the grace period ends (exit 137). Then it ends
   * as any instance does (restarted under restartPolicy Always).
   */
  private killForProbe(l: LocalPod, c: LocalContainer, spec: Container, probe: Probe): void {
    const id = c.id;
    const shell = ignoresSigterm(spec);
    const graceS = probe.terminationGracePeriodSeconds ?? l.pod.spec.terminationGracePeriodSeconds ?? 30;
    this.after(l, shell ? graceS * 1000 : STOP_MS, () => {
      if (c.id === id && c.started) this.endings.get(c)?.(shell ? 137 : 0);
    });
  }

  /**
   * Runs a script whose network tools loop as simulated time passes: each call is made on the
   * cluster network at its instant, and what it printed is kept for the container's log (which is
   * otherwise generated again on demand, with these results). The script ends when its end comes.
   */
  private runLive(
    l: LocalPod,
    c: LocalContainer,
    container: Container,
    ended: (exitCode: number) => void,
  ): void {
    const attempt = c.restarts;
    const calls = new Map<number, NetworkResult>();
    const byAttempt = (c.networkCalls ??= new Map());
    byAttempt.set(attempt, calls);
    for (const a of byAttempt.keys()) if (a < attempt - 1) byAttempt.delete(a);
    const id = c.id;
    const startMs = c.createdMs;
    const files = this.containerFiles?.(l, container);
    const program = scriptProgram({
      ...containerRunOf(l.pod, container, {
        podIp: l.ip,
        nodeCpus: this.host.spec.cpuCores,
        seed: this.sim.rng.seed,
        startMs,
        attempt,
      }),
      ...(files ? { files } : {}),
      network: (argv, atUs) => {
        const r = this.runToolOnNetwork?.(l, container, argv);
        if (!r) return undefined;
        if (calls.size >= MAX_NETWORK_CALLS_KEPT) calls.delete(calls.keys().next().value as number);
        calls.set(atUs, r);
        return r;
      },
    });
    if (!program) return;
    let waitingUntilUs = 0;
    const step = (): void => {
      if (c.id !== id || !c.started) return;
      const nowUs = (this.sim.nowMs - startMs) * 1000;
      // Run the script up to now; a chunk due later (a call, a line) waits for its instant.
      for (let budget = 0; budget < 10_000 && waitingUntilUs <= nowUs; budget++) {
        const r = program.next();
        if (r.done) {
          const end = r.value;
          if (end && !('blocked' in end))
            this.after(l, Math.max(0, end.atUs / 1000 - (this.sim.nowMs - startMs)), () => {
              if (c.id === id && c.started) ended(end.exitCode);
            });
          return;
        }
        waitingUntilUs = r.value.atUs;
      }
      this.after(l, Math.max(0.001, (waitingUntilUs - nowUs) / 1000), step);
    };
    step();
  }

  /**
   * The container ended and will be started again: the first time at once, after that with the
   * kubelet's back-off (10 s doubling to 5 min, reset once a container ran 10 min), the pod showing
   * CrashLoopBackOff meanwhile. Its status keeps how the last one ended (RESTARTS "2 (5s ago)").
   */
  private exited(l: LocalPod, c: LocalContainer, exitCode = 1): void {
    const now = this.sim.nowMs;
    c.started = false;
    c.lastState = {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        startedAt: rfc3339(c.createdMs),
        finishedAt: rfc3339(now),
        containerID: CONTAINERD_PREFIX + c.id,
      },
    };
    if (now - c.createdMs >= BACKOFF_RESET_MS) {
      c.backoffMs = BACKOFF_INITIAL_MS;
      c.restartedAtOnce = false;
    }
    if (!c.restartedAtOnce) {
      c.restartedAtOnce = true;
      // Just ended, before the restart: the pod shows Completed or Error for a moment.
      c.status = { ...c.status, ready: false, started: false, restartCount: c.restarts, state: c.lastState };
      this.postStatus(l);
      this.after(l, RESTART_SYNC_MS, () => this.startAgain(l, c));
      return;
    }
    const delay = c.backoffMs;
    c.backoffMs = Math.min(BACKOFF_MAX_MS, c.backoffMs * 2);
    const spec = containerSpec(l.pod, c) as Container;
    const { name, namespace, uid } = l.pod.metadata;
    const message = `back-off ${Math.round(delay / 1000)}s restarting failed container=${c.name} pod=${name}_${namespace}(${uid})`;
    this.showWaiting(c, spec, 'CrashLoopBackOff', message);
    this.postStatus(l);
    this.events.warning(
      l.pod,
      'BackOff',
      `Back-off restarting failed container ${c.name} in pod ${name}_${namespace}(${uid})`,
      fieldPathOf(c),
    );
    this.after(l, delay, () => this.startAgain(l, c));
  }

  /**
   * The next sync starts the container again as it started it first: image check (Pulled "already
   * present", or a new pull under imagePullPolicy Always), Created, Started.
   */
  private startAgain(l: LocalPod, c: LocalContainer): void {
    if (c.init) this.startContainer(l, c, () => this.postStatus(l));
    else this.startContainers(l, [c]);
  }

  /**
   * restartPolicy Never or OnFailure: a container that runs to its end stays terminated, and once
   * all have, the pod is Succeeded (all exited 0) or Failed; OnFailure restarts a failed one with
   * back-off instead (containerExit.ts).
   */
  private runToEnd(l: LocalPod, c: LocalContainer): void {
    this.whenItEnds(l, c, (exitCode) => {
      if (exitCode !== 0 && l.pod.spec.restartPolicy === 'OnFailure') return this.exited(l, c, exitCode);
      c.started = false;
      c.finished = true;
      c.status = terminatedStatus(c.status, exitCode, c.createdMs, this.sim.nowMs);
      this.postStatus(l);
    });
  }

  /**
   * How the container just started ends, if it does; a one-shot network tool runs on the cluster
   * network now, and its output is kept for its log.
   */
  private plannedEnd(l: LocalPod, c: LocalContainer): { exitCode: number; afterMs: number } | undefined {
    const container = containerSpec(l.pod, c);
    if (!container) return undefined;
    const captured = runsNetworkTool(container) ? this.runOnNetwork?.(l, container) : undefined;
    if (captured) c.captured = { attempt: c.restarts, run: captured };
    return plannedExit(
      l.pod,
      container,
      this.sim.rng.seed,
      this.host.spec.cpuCores,
      l.ip,
      c.createdMs,
      c.restarts,
      captured,
    );
  }

  /**
   * A pod stopped and removed a moment ago, by uid: a `logs -f` follower that polls between the
   * stop signal and the removal still sees the container's shutdown lines.
   */
  stoppedInstance(
    uid: string,
    container: string,
  ): { readonly startMs: number; readonly stopMs: number } | undefined {
    const gone = this.recentlyStopped.get(uid);
    const startMs = gone?.starts.get(container);
    return gone && startMs !== undefined ? { startMs, stopMs: gone.stopMs } : undefined;
  }

  private rememberStopped(uid: string, l: LocalPod): void {
    for (const [k, v] of this.recentlyStopped) {
      if (this.sim.nowMs - v.removedMs < RECENTLY_STOPPED_MS) break;
      this.recentlyStopped.delete(k);
    }
    const starts = new Map<string, number>();
    for (const c of [...l.containers, ...l.inits]) if (c.started) starts.set(c.name, c.createdMs);
    this.recentlyStopped.set(uid, {
      starts,
      // The stop signal went out at deletionTimestamp minus the grace period.
      stopMs: l.pod.metadata.deletionTimestamp
        ? parseSimTime(l.pod.metadata.deletionTimestamp) -
          (l.pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000
        : this.sim.nowMs,
      removedMs: this.sim.nowMs,
    });
  }

  private terminate(pod: PodObject, l: LocalPod | undefined): void {
    const finalDelete = (): void =>
      this.client.request(
        {
          verb: 'delete',
          resource: 'pods',
          namespace: pod.metadata.namespace,
          name: pod.metadata.name,
          gracePeriodSeconds: 0,
        },
        () => {},
      );
    if (!l || !anyStarted(l)) {
      if (l) l.generation++;
      finalDelete();
      return;
    }
    if (l.stopping) return;
    l.stopping = true;
    for (const c of [...l.containers, ...l.inits]) {
      if (c.started) this.events.normal(pod, 'Killing', `Stopping container ${c.name}`, fieldPathOf(c));
    }
    l.generation++;
    const graceMs = (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
    // A server quits on SIGTERM at once; a shell or `sleep` running as PID 1 has no handler, so it
    // ignores the signal and is killed only when the grace period ends (the pod stays Terminating).
    let stopMs = STOP_MS;
    for (const c of [...l.containers, ...l.inits])
      if (c.started && ignoresSigterm(containerSpec(pod, c))) stopMs = graceMs;
    this.after(l, Math.min(graceMs, stopMs), finalDelete);
  }

  /**
   * The sandbox's CRI id: as random-looking as containerd's, derived from the pod and the moment
   * rather than drawn and kept, since only `crictl` ever reads it (64 hex digits on every pod of
   * a big cluster add up).
   */
  private sandboxIdOf(l: LocalPod): string {
    return hex64(this.sim.rng.seed, this.host.name, l.pod.metadata.uid ?? '', l.sandboxCreatedMs);
  }

  private hexId(): string {
    return randomHex(this.rng, 64);
  }

  /** Writes the pod's status as its containers stand: phase, conditions and container statuses. */
  private postStatus(l: LocalPod): void {
    const now = rfc3339(this.sim.nowMs);
    const containerStatuses = statusList(l);
    const phase = phaseOf(l);
    let unreadyNames = '';
    // Sidecars count for readiness, as app containers do; other init containers do not.
    for (const c of l.inits)
      if (isSidecar(l.pod, c) && !c.status.ready) unreadyNames += unreadyNames ? ` ${c.name}` : c.name;
    for (const s of containerStatuses) if (!s.ready) unreadyNames += unreadyNames ? ` ${s.name}` : s.name;
    const ready = unreadyNames === '';
    let incomplete = '';
    for (const c of l.inits)
      if (isSidecar(l.pod, c) ? c.id === '' : !c.finished || c.status.state.terminated?.exitCode !== 0)
        incomplete += incomplete ? ` ${c.name}` : c.name;
    const prev = l.pod.status?.conditions ?? [];
    // Conditions are hash-consed: pods that changed state in the same second share them (and the
    // list), which saves ~10 objects per pod across its stored versions.
    let listKey = '';
    const cond = (type: string, ok: boolean, reason?: string, message?: string): PodCondition => {
      const old = prev.find((c) => c.type === type);
      const status = ok ? 'True' : 'False';
      const lastTransitionTime = old && old.status === status ? old.lastTransitionTime : now;
      const key = `${type}|${status}|${lastTransitionTime}|${reason ?? ''}|${message ?? ''}`;
      listKey += `${key}\n`;
      return (
        sharedConditions.get(key) ??
        sharedConditions.add(key, {
          type,
          status,
          lastProbeTime: null,
          lastTransitionTime,
          ...(reason ? { reason } : {}),
          ...(message ? { message } : {}),
        })
      );
    };
    const done = phase === 'Succeeded' || phase === 'Failed';
    const unready = ready || done ? undefined : `containers with unready status: [${unreadyNames}]`;
    const why = done ? 'PodCompleted' : unready && 'ContainersNotReady';
    const list = [
      cond('PodReadyToStartContainers', !done),
      incomplete === ''
        ? cond('Initialized', true, done ? 'PodCompleted' : undefined)
        : cond(
            'Initialized',
            false,
            'ContainersNotInitialized',
            `containers with incomplete status: [${incomplete}]`,
          ),
      cond('Ready', ready, why, unready),
      cond('ContainersReady', ready, why, unready),
      cond('PodScheduled', true),
    ];
    const conditions = sharedConditionLists.get(listKey) ?? sharedConditionLists.add(listKey, list);
    const hostIp = this.host.spec.ip;
    if (this.hostIPs?.[0]?.ip !== hostIp) this.hostIPs = [{ ip: hostIp }];
    // The pod's IP list is the one its last status had, when the IP is the same.
    const lastPodIPs = l.pod.status?.podIPs;
    const status: PodObject['status'] = {
      phase,
      conditions,
      hostIP: hostIp,
      hostIPs: this.hostIPs,
      podIP: l.ip,
      podIPs: lastPodIPs?.length === 1 && lastPodIPs[0]?.ip === l.ip ? lastPodIPs : [{ ip: l.ip }],
      startTime: l.pod.status?.startTime ?? now,
      ...(l.inits.length > 0 ? { initContainerStatuses: l.inits.map((c) => c.status) } : {}),
      containerStatuses,
      qosClass: l.pod.status?.qosClass ?? 'BestEffort',
    };
    l.pod = { ...l.pod, status };
    l.statusDirty = true;
    this.syncStatus(l);
  }

  /**
   * The status manager: one status write per pod in flight at a time, always the latest status, so
   * a slow early write can never land after (and undo) a later one.
   */
  private syncStatus(l: LocalPod): void {
    if (l.statusInFlight || !l.statusDirty || !this.alive) return;
    l.statusInFlight = true;
    l.statusDirty = false;
    const { status, metadata } = l.pod;
    this.client.request(
      {
        verb: 'patch',
        resource: 'pods',
        namespace: metadata.namespace,
        name: metadata.name,
        patch: { status },
      },
      (res) => {
        l.statusInFlight = false;
        // A write that never landed (API down) is retried with whatever is newest by then.
        if ('transport' in res || res.code >= 500) l.statusDirty = true;
        if (l.statusDirty)
          this.sim.schedule('transport' in res || res.code >= 500 ? STATUS_RETRY_MS : 0, () =>
            this.syncStatus(l),
          );
      },
    );
  }
}

const CONTAINERD_PREFIX = 'containerd://';
const NO_CONTAINERS: readonly LocalContainer[] = [];

/** Records shared by every pod that has them (see postStatus). */
const sharedConditions = new SharedRecords<PodCondition>();
const sharedConditionLists = new SharedRecords<PodCondition[]>();
const sharedWaiting = new SharedRecords<ContainerStatus>();
/** The one-element list of each shared waiting status. */
const sharedSingleLists = new SharedRecords<ContainerStatus[], ContainerStatus>();
const sharedRunning = new SharedRecords<ContainerStatus['state']>();

/** Programs that, running as PID 1, have no SIGTERM handler: the kernel ignores the signal for them. */
const NO_SIGTERM_HANDLER = new Set(['sh', 'ash', 'bash', 'dash', 'sleep', 'tail']);

/**
 * Whether the container's main process ignores SIGTERM: a shell (without a `trap`) or `sleep` as
 * PID 1, as `kubectl run bb --image=busybox -- sleep 3600` runs. An image's own server handles it.
 */
function ignoresSigterm(c: Container | undefined): boolean {
  if (!c) return false;
  const argv = c.command
    ? [...c.command, ...(c.args ?? [])]
    : lookupImage(c.image)?.runsForever
      ? []
      : (c.args ?? []);
  const first = argv[0];
  if (first === undefined || !NO_SIGTERM_HANDLER.has(first.slice(first.lastIndexOf('/') + 1))) return false;
  return !argv.some((a) => /\btrap\b/.test(a));
}

function anyStarted(l: LocalPod): boolean {
  for (const c of l.containers) if (c.started) return true;
  for (const c of l.inits) if (c.started) return true;
  return false;
}

/**
 * The pod's phase from its containers: Succeeded or Failed once every one has run to its end for
 * good, Running once one has run, Pending before.
 */
function phaseOf(l: LocalPod): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  // An init container that failed for good (restartPolicy Never) fails the pod.
  for (const c of l.inits) if (c.finished && c.status.state.terminated?.exitCode !== 0) return 'Failed';
  let ran = false;
  let failed = false;
  let allFinished = true;
  for (const c of l.containers) {
    if (c.id !== '') ran = true;
    if (!c.finished) allFinished = false;
    else if (c.status.state.terminated?.exitCode !== 0) failed = true;
  }
  if (allFinished && l.containers.length > 0) return failed ? 'Failed' : 'Succeeded';
  return ran ? 'Running' : 'Pending';
}

/** The container statuses; a lone container waiting as thousands of others do shares its list too. */
function statusList(l: LocalPod): ContainerStatus[] {
  const only = l.containers.length === 1 ? (l.containers[0] as LocalContainer).status : undefined;
  if (!only) return l.containers.map((c) => c.status);
  // Only a waiting status without a past is a shared record (see waitingStatus).
  if (!only.state.waiting || only.lastState) return [only];
  return sharedSingleLists.get(only) ?? sharedSingleLists.add(only, [only]);
}

/**
 * A container waiting for `reason`; pods waiting the same way ("ContainerCreating", same image and
 * restart count) share one record.
 */
function waitingStatus(spec: Container, restarts: number, reason: string, message?: string): ContainerStatus {
  const key = `${restarts}|${reason}|${message ?? ''}|${spec.name}|${spec.image}`;
  return (
    sharedWaiting.get(key) ??
    sharedWaiting.add(key, {
      name: spec.name,
      image: spec.image,
      imageID: '',
      ready: false,
      started: false,
      restartCount: restarts,
      state: { waiting: { reason, ...(message ? { message } : {}) } },
    })
  );
}

/** A container that ran to its end: terminated with Completed (exit 0) or Error. */
function terminatedStatus(
  running: ContainerStatus,
  exitCode: number,
  startedMs: number,
  finishedMs: number,
): ContainerStatus {
  return {
    ...running,
    ready: false,
    started: false,
    state: {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        startedAt: running.state.running?.startedAt ?? rfc3339(startedMs),
        finishedAt: rfc3339(finishedMs),
        ...(running.containerID ? { containerID: running.containerID } : {}),
      },
    },
  };
}

/** A stable fake sha256 digest for an image reference. */
function digestOf(ref: string): string {
  let out = '';
  let h = 0x811c9dc5;
  for (let round = 0; out.length < 64; round++) {
    for (let i = 0; i < ref.length; i++) h = Math.imul(h ^ ref.charCodeAt(i) ^ round, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}
