import type { Container, ContainerState, ContainerStatus, PodCondition, PodObject } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import { EventRecorder } from '../client/eventRecorder';
import { Informer } from '../client/informer';
import type { Host } from '../cluster/host';
import { intern, SharedRecords } from '../kernel/intern';
import { type Rng, randomHex } from '../kernel/rng';
import type { Sim } from '../kernel/sim';
import { parseSimTime, rfc3339 } from '../kernel/time';
import { narrate } from '../kernel/trace';
import { plannedExit, terminatedStatuses } from './containerExit';
import { type CapturedRun, runsNetworkTool } from './containerOutput';
import { lookupImage, pullError, qualifiedImage } from './images';

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

interface LocalPod {
  /** Bumped whenever the pod's life on this node restarts, so stale timers do nothing. */
  generation: number;
  pod: PodObject;
  ip: string;
  restarts: number;
  backoffMs: number;
  started: boolean;
  stopping: boolean;
  /** The CRI's view: sandbox and container ids and when each was created. */
  readonly sandboxId: string;
  readonly sandboxCreatedMs: number;
  containerId: string;
  containerCreatedMs: number;
  /** When the container before the current one started (`kubectl logs --previous`); -1 if unknown. */
  previousStartMs: number;
  /** How the container before the current one ended (its status's lastState). */
  lastState?: ContainerState;
  /** Whether the container was restarted at once after an end: the next end backs off. */
  restartedAtOnce: boolean;
  /** A one-shot network command's run, for the attempt it ran in (see CapturedRun). */
  captured?: { readonly attempt: number; readonly run: CapturedRun };
  statusInFlight: boolean;
  statusDirty: boolean;
}

/** A pod as the runtime runs it: what `kubectl logs` and the metrics pipeline read. */
export type RuntimePod = Readonly<
  Pick<
    LocalPod,
    | 'pod'
    | 'ip'
    | 'restarts'
    | 'started'
    | 'stopping'
    | 'containerId'
    | 'containerCreatedMs'
    | 'previousStartMs'
    | 'captured'
  >
>;

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
    { readonly startMs: number; readonly stopMs: number; readonly removedMs: number }
  >();
  private alive = true;
  private nextIp = 2;
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
      if (l.containerId === '') continue;
      const state = l.started && !l.stopping ? 'Running' : 'Exited';
      if (!all && state !== 'Running') continue;
      const c = l.pod.spec.containers[0];
      out.push({
        id: l.containerId,
        image: digestOf(qualifiedImage(c?.image ?? '')),
        createdMs: l.containerCreatedMs,
        state,
        name: c?.name ?? '',
        attempt: l.restarts,
        podId: l.sandboxId,
        podName: l.pod.metadata.name,
        namespace: l.pod.metadata.namespace ?? 'default',
      });
    }
    return out.sort((a, b) => b.createdMs - a.createdMs);
  }

  /** The pod sandboxes on this node (`crictl pods`). */
  sandboxes(): RuntimeSandbox[] {
    return [...this.local.values()]
      .map((l) => ({
        id: l.sandboxId,
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
        if (l.started && l.stopping) this.rememberStopped(uid, l);
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
    const previous = pod.status?.containerStatuses?.[0]?.restartCount ?? 0;
    const hadRun = (pod.status?.containerStatuses?.length ?? 0) > 0;
    const l: LocalPod = {
      generation: 0,
      pod,
      ip,
      restarts: hadRun ? previous + 1 : 0,
      backoffMs: BACKOFF_INITIAL_MS,
      restartedAtOnce: false,
      started: false,
      stopping: false,
      sandboxId: this.hexId(),
      sandboxCreatedMs: this.sim.nowMs,
      containerId: '',
      containerCreatedMs: 0,
      previousStartMs: -1,
      statusInFlight: false,
      statusDirty: false,
    };
    this.local.set(pod.metadata.uid ?? '', l);
    this.postStatus(l, 'Pending', this.waiting(l, 'ContainerCreating'), false);
    // The pod sandbox (pause container, network namespace, IP) comes first, then the image pull.
    this.after(l, SANDBOX_START_MS, () => this.pull(l));
  }

  private pull(l: LocalPod): void {
    const container = l.pod.spec.containers[0];
    if (!container) return;
    const image = lookupImage(container.image);
    const at = `spec.containers{${container.name}}`;
    const pod = l.pod;
    if (!image) {
      this.events.normal(pod, 'Pulling', `Pulling image "${container.image}"`, at);
      this.after(l, PULL_FAILURE_MS, () => {
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
        this.postStatus(l, 'Pending', this.waiting(l, 'ErrImagePull', pullError(container.image)), false);
        this.after(l, 1000, () => {
          const backOff = `Back-off pulling image "${container.image}"`;
          this.events.normal(pod, 'BackOff', backOff, at);
          this.events.warning(pod, 'Failed', 'Error: ImagePullBackOff', at);
          this.postStatus(l, 'Pending', this.waiting(l, 'ImagePullBackOff', backOff), false);
          this.after(l, l.backoffMs, () => this.pull(l));
          l.backoffMs = Math.min(BACKOFF_MAX_MS, l.backoffMs * 2);
        });
      });
      return;
    }
    const cached = this.host.imageCache.has(image.ref) && container.imagePullPolicy !== 'Always';
    const pullMs = cached ? 0 : PULL_OVERHEAD_MS + (image.sizeMb / PULL_MB_PER_SECOND) * 1000;
    if (!cached) this.events.normal(pod, 'Pulling', `Pulling image "${container.image}"`, at);
    this.after(l, pullMs, () => {
      if (cached) {
        this.events.normal(
          pod,
          'Pulled',
          `Container image "${container.image}" already present on machine`,
          at,
        );
      } else {
        const took = `${(pullMs / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
        const bytes = Math.round(image.sizeMb * 1_013_271);
        this.events.normal(
          pod,
          'Pulled',
          `Successfully pulled image "${container.image}" in ${took} (${took} including waiting). Image size: ${bytes} bytes.`,
          at,
        );
      }
      this.events.normal(pod, 'Created', `Created container: ${container.name}`, at);
    });
    this.after(l, pullMs + CONTAINER_START_MS, () => {
      this.events.normal(pod, 'Started', `Started container ${container.name}`, at);
      narrate(
        this.sim.trace,
        this.sim.nowMs,
        `${this.host.name}'s kubelet started ${pod.metadata.name} (${cached ? `${container.image} was already on the node` : `pulled ${container.image}, ${image.sizeMb} MB, in ${(pullMs / 1000).toFixed(1)}s`}).`,
      );
      this.host.imageCache.add(image.ref);
      l.started = true;
      this.postStatus(l, 'Running', this.runningStatuses(l), true);
      if ((l.pod.spec.restartPolicy ?? 'Always') !== 'Always') this.runToEnd(l);
      else this.restartWhenItEnds(l);
    });
  }

  /**
   * restartPolicy Always: a container that ends, whether it failed or finished its job (`echo hi`,
   * `sleep 3600`), is started again with back-off, as kubelet does: CrashLoopBackOff either way.
   */
  private restartWhenItEnds(l: LocalPod): void {
    const end = this.plannedEnd(l);
    if (end) this.after(l, end.afterMs, () => this.exited(l, end.exitCode));
  }

  /**
   * The container ended and will be started again: the first time at once, after that with the
   * kubelet's back-off (10 s doubling to 5 min, reset once a container ran 10 min), the pod showing
   * CrashLoopBackOff meanwhile. Its status keeps how the last one ended (RESTARTS "2 (5s ago)").
   */
  private exited(l: LocalPod, exitCode = 1): void {
    const now = this.sim.nowMs;
    l.started = false;
    l.lastState = {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        startedAt: rfc3339(l.containerCreatedMs),
        finishedAt: rfc3339(now),
        containerID: CONTAINERD_PREFIX + l.containerId,
      },
    };
    if (now - l.containerCreatedMs >= BACKOFF_RESET_MS) {
      l.backoffMs = BACKOFF_INITIAL_MS;
      l.restartedAtOnce = false;
    }
    if (!l.restartedAtOnce) {
      l.restartedAtOnce = true;
      this.postStatus(l, 'Running', this.endedStatuses(l), false);
      this.after(l, RESTART_SYNC_MS, () => this.startAgain(l));
      return;
    }
    const delay = l.backoffMs;
    l.backoffMs = Math.min(BACKOFF_MAX_MS, l.backoffMs * 2);
    const name = l.pod.spec.containers[0]?.name ?? '';
    const message = `back-off ${Math.round(delay / 1000)}s restarting failed container=${name} pod=${l.pod.metadata.name}_${l.pod.metadata.namespace}(${l.pod.metadata.uid})`;
    this.postStatus(l, 'Running', this.waiting(l, 'CrashLoopBackOff', message), false);
    this.events.warning(
      l.pod,
      'BackOff',
      `Back-off restarting failed container ${name} in pod ${l.pod.metadata.name}_${l.pod.metadata.namespace}(${l.pod.metadata.uid})`,
      `spec.containers{${name}}`,
    );
    this.after(l, delay, () => this.startAgain(l));
  }

  /** A new instance of the container: the restart count counts it (RESTARTS). */
  private startAgain(l: LocalPod): void {
    l.restarts++;
    l.started = true;
    this.postStatus(l, 'Running', this.runningStatuses(l), true);
    if (l.pod.spec.restartPolicy === 'OnFailure') this.runToEnd(l);
    else this.restartWhenItEnds(l);
  }

  /** Just ended, before the restart: the pod shows Completed or Error for a moment. */
  private endedStatuses(l: LocalPod): ContainerStatus[] {
    return (l.pod.status?.containerStatuses ?? []).map((s) => ({
      ...s,
      ready: false,
      started: false,
      restartCount: l.restarts,
      state: l.lastState as ContainerState,
    }));
  }

  /**
   * restartPolicy Never or OnFailure: a container that runs to its end leaves the pod Succeeded
   * (exit 0) or Failed; OnFailure restarts a failed one with back-off instead (containerExit.ts).
   */
  private runToEnd(l: LocalPod): void {
    const end = this.plannedEnd(l);
    if (!end) return;
    this.after(l, end.afterMs, () => {
      if (end.exitCode !== 0 && l.pod.spec.restartPolicy === 'OnFailure') return this.exited(l, end.exitCode);
      l.started = false;
      const statuses = terminatedStatuses(l.pod, end.exitCode, l.containerCreatedMs, this.sim.nowMs);
      this.postStatus(l, end.exitCode === 0 ? 'Succeeded' : 'Failed', statuses, false);
    });
  }

  /**
   * How the container just started ends, if it does; a one-shot network tool runs on the cluster
   * network now, and its output is kept for its log.
   */
  private plannedEnd(l: LocalPod): { exitCode: number; afterMs: number } | undefined {
    const container = l.pod.spec.containers[0];
    const captured = container && runsNetworkTool(container) ? this.runOnNetwork?.(l, container) : undefined;
    if (captured) l.captured = { attempt: l.restarts, run: captured };
    return plannedExit(
      l.pod,
      this.sim.rng.seed,
      this.host.spec.cpuCores,
      l.ip,
      l.containerCreatedMs,
      l.restarts,
      captured,
    );
  }

  /**
   * A pod stopped and removed a moment ago, by uid: a `logs -f` follower that polls between the
   * stop signal and the removal still sees the container's shutdown lines.
   */
  stoppedInstance(uid: string): { readonly startMs: number; readonly stopMs: number } | undefined {
    return this.recentlyStopped.get(uid);
  }

  private rememberStopped(uid: string, l: LocalPod): void {
    for (const [k, v] of this.recentlyStopped) {
      if (this.sim.nowMs - v.removedMs < RECENTLY_STOPPED_MS) break;
      this.recentlyStopped.delete(k);
    }
    this.recentlyStopped.set(uid, {
      startMs: l.containerCreatedMs,
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
    if (!l?.started) {
      if (l) l.generation++;
      finalDelete();
      return;
    }
    if (l.stopping) return;
    l.stopping = true;
    for (const c of pod.spec.containers) {
      this.events.normal(pod, 'Killing', `Stopping container ${c.name}`, `spec.containers{${c.name}}`);
    }
    l.generation++;
    const graceMs = (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
    this.after(l, Math.min(graceMs, STOP_MS), finalDelete);
  }

  private hexId(): string {
    return randomHex(this.rng, 64);
  }

  private waiting(l: LocalPod, reason: string, message?: string): ContainerStatus[] {
    const lastState = l.lastState;
    if (lastState) return this.waitingStatuses(l, reason, message).map((s) => ({ ...s, lastState }));
    // Thousands of pods wait the same way ("ContainerCreating", same image): one shared list.
    let key = `${l.restarts}|${reason}|${message ?? ''}`;
    for (const c of l.pod.spec.containers) key += `|${c.name}|${c.image}`;
    return sharedWaiting.get(key) ?? sharedWaiting.add(key, this.waitingStatuses(l, reason, message));
  }

  private waitingStatuses(l: LocalPod, reason: string, message?: string): ContainerStatus[] {
    return l.pod.spec.containers.map((c) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: false,
      started: false,
      restartCount: l.restarts,
      state: { waiting: { reason, ...(message ? { message } : {}) } },
    }));
  }

  private runningStatuses(l: LocalPod): ContainerStatus[] {
    const now = rfc3339(this.sim.nowMs);
    if (l.containerId !== '') l.previousStartMs = l.containerCreatedMs;
    l.containerId = this.hexId();
    l.containerCreatedMs = this.sim.nowMs;
    // Every container started in the same second has the same state record.
    const state = sharedRunning.get(now) ?? sharedRunning.add(now, { running: { startedAt: now } });
    return l.pod.spec.containers.map((c) => ({
      name: c.name,
      image: intern(qualifiedImage(c.image)),
      imageID: intern(`${qualifiedImage(c.image).split(':')[0]}@sha256:${digestOf(qualifiedImage(c.image))}`),
      // Two pieces (a 32-byte rope) rather than a flat copy of the 64-character id the pod keeps anyway.
      containerID: CONTAINERD_PREFIX + l.containerId,
      ready: true,
      started: true,
      restartCount: l.restarts,
      state,
      ...(l.lastState ? { lastState: l.lastState } : {}),
    }));
  }

  private postStatus(
    l: LocalPod,
    phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed',
    containerStatuses: ContainerStatus[],
    ready: boolean,
  ): void {
    const now = rfc3339(this.sim.nowMs);
    const names = l.pod.spec.containers.map((c) => c.name).join(' ');
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
    const unready = ready || done ? undefined : `containers with unready status: [${names}]`;
    const why = done ? 'PodCompleted' : unready && 'ContainersNotReady';
    const list = [
      cond('PodReadyToStartContainers', !done),
      cond('Initialized', true, done ? 'PodCompleted' : undefined),
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

/** Records shared by every pod that has them (see postStatus). */
const sharedConditions = new SharedRecords<PodCondition>();
const sharedConditionLists = new SharedRecords<PodCondition[]>();
const sharedWaiting = new SharedRecords<ContainerStatus[]>();
const sharedRunning = new SharedRecords<ContainerStatus['state']>();

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
