import { Session, type SessionOptions } from '../script/session';
import type { EditorRequest } from '../shell/program';
import type { LeaseObject, NodeObject, PodObject } from '../sim/api/types';
import type { Cluster } from '../sim/cluster/cluster';
import { suspend, type TaskHandle } from '../sim/kernel/task';
import { parseSimTime } from '../sim/kernel/time';
import type { TraceEvent } from '../sim/kernel/trace';
import { toleratesTaint } from '../sim/scheduler/taints';
import { type ClusterSnapshot, type SchedulingSample, takeSnapshot } from '../sim/snapshot';
import { type EvictionPlan, type NodeFacts, NodeNarrator } from './nodeNarration';

/** A Raft message as the page animates it (a trace event, minus the type tag). */
export interface RaftFlight {
  readonly kind: string;
  readonly from: string;
  readonly to: string;
  readonly term: number;
  readonly entries: number;
  readonly sendMs: number;
  readonly recvMs: number;
  readonly dropped: boolean;
}

/** Something worth a line of narration: who did what, at which simulated instant. */
export interface Happening {
  readonly atMs: number;
  readonly text: string;
}

/** What the page gets after each clock tick. */
/** A Kubernetes Event as the event pane lists it. */
export interface StreamedEvent {
  readonly atMs: number;
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly object: string;
  readonly message: string;
  readonly source: string;
  readonly count: number;
}

/**
 * What a controller did to one ReplicaSet within a frame, from the Events it recorded: the
 * ReplicaSet controller creating or deleting pods, the Deployment controller changing its scale.
 */
export interface ControllerAct {
  readonly namespace: string;
  readonly replicaSet: string;
  /** Pods the ReplicaSet controller created (SuccessfulCreate). */
  readonly created: number;
  /** Pods the ReplicaSet controller deleted (SuccessfulDelete). */
  readonly deleted: number;
  /** The Deployment controller's last ScalingReplicaSet in the frame: from → to replicas. */
  readonly scaled?: { readonly from: number; readonly to: number };
  /** Simulated time of the latest of these acts. */
  readonly atMs: number;
}

type MutableAct = { -readonly [K in keyof ControllerAct]: ControllerAct[K] };

export interface Frame {
  /** Absent when unchanged enough to skip (big clusters send a picture less often than events). */
  readonly snapshot?: ClusterSnapshot;
  readonly events: readonly StreamedEvent[];
  readonly flights: readonly RaftFlight[];
  readonly happenings: readonly Happening[];
  readonly clock: ClockState;
  /**
   * The first scheduling cycle of the frame, if it is fresh (the page animates one at a time and
   * lets the rest appear): never one per pod.
   */
  readonly schedulingSample?: SchedulingSample;
  /** Simulated time of that cycle. */
  readonly schedulingSampleAtMs?: number;
  /** How many scheduling cycles ran during the frame. */
  readonly schedulingAttempts: number;
  readonly acts: readonly ControllerAct[];
  /** Pods (namespace/name) whose image is being pulled; present only when the set changed. */
  readonly pulling?: readonly string[];
  /** The editor pane a command waits on (`vi`, `kubectl edit`); present only when it changed (null: closed). */
  readonly editor?: OpenEditor | null;
}

/** A command's request for the editor pane; `id` answers it (`LabHost.closeEditor`). */
export interface OpenEditor extends EditorRequest {
  readonly id: number;
}

export interface ClockState {
  readonly speed: number;
  readonly paused: boolean;
  readonly commandRunning: boolean;
  readonly scenario: string;
  readonly seed: number;
}

/** Most flights passed to the page per frame; the picture samples far fewer. */
export const MAX_FLIGHTS_PER_FRAME = 400;
/** Above this many hosts the picture is refreshed less often than the 50 ms tick. */
export const BIG_CLUSTER_HOSTS = 100;
export const BIG_CLUSTER_SNAPSHOT_MS = 500;
/** Most Kubernetes Events passed per frame (a burst of thousands is summarised by the last ones). */
export const MAX_EVENTS_PER_FRAME = 200;
/** Controller acts passed per frame (one per ReplicaSet touched). */
export const MAX_ACTS_PER_FRAME = 50;
/** Pods tracked as pulling an image (the page draws a pulling state on their chips). */
export const MAX_PULLING_TRACKED = 2000;
/** Pods listed as pulling in a frame; a bigger set is truncated (only small clusters draw chips). */
export const MAX_PULLING_PER_FRAME = 500;
/**
 * A scheduling cycle or a controller's act older than this (in simulated time, times the speed) is
 * not worth animating or marking: after `advance` or a hidden tab's backlog, it is history, not news.
 */
export const SCHEDULING_SAMPLE_FRESH_MS = 1000;

/** Simulated time run at once when a command starts, so quick commands answer without waiting a tick. */
export const COMMAND_HEAD_START_MS = 50;
/** Simulated time per slice while fast-forwarding, between checks of the wall-clock budget. */
const FAST_FORWARD_SLICE_MS = 1000;

/**
 * Hosts a session for the page, on wall time: each tick advances the simulated clock by the
 * elapsed wall time times the speed (or jumps ahead for `advance`), and collects a frame of what
 * changed. It lives in the Web Worker; it has no DOM and no timers of its own, so it can be tested
 * with a fake wall clock.
 */
export class LabHost {
  readonly session: Session;
  private fastForwardUntil: number | undefined;
  private readonly running = new Map<number, TaskHandle>();
  private nextRunId = 1;
  private lastSnapshotWallMs = Number.NEGATIVE_INFINITY;
  /** Pods (namespace/name) pulling an image, in the order their pulls began. */
  private readonly pulling = new Set<string>();
  private pullingChanged = false;
  /** The editor pane a command waits on, and how to resume it. */
  private editor:
    | { readonly request: OpenEditor; readonly resume: (text: string | undefined) => void }
    | undefined;
  private editorChanged = false;
  private nextEditorId = 1;
  /** Tells a node failure in a few lines: NotReady, taints, evictions, replacements. */
  private readonly nodeNarrator: NodeNarrator;
  /** The pods of the last snapshot, by node (for the eviction plan of a freshly tainted node). */
  private lastPods: ClusterSnapshot['pods'] = [];

  constructor(
    opts: SessionOptions,
    private readonly wallNow: () => number,
  ) {
    this.session = new Session(opts);
    this.nodeNarrator = new NodeNarrator(
      clusterFacts(
        () => this.session.cluster,
        () => this.lastPods,
      ),
    );
    this.session.listener = {
      onFastForward: (until) => {
        this.fastForwardUntil = Math.max(this.fastForwardUntil ?? 0, until);
      },
      onReset: () => {
        this.fastForwardUntil = undefined;
        this.session.cluster.sim.trace.enabled = true;
        this.pulling.clear();
        this.pullingChanged = true;
        this.nodeNarrator.reset();
        this.lastPods = [];
      },
    };
    this.session.cluster.sim.trace.enabled = true;
    this.session.openEditor = (request) =>
      suspend<string | undefined>((resume) => {
        const id = this.nextEditorId++;
        this.editor = { request: { ...request, id }, resume };
        this.editorChanged = true;
        // Ctrl-C cancels the command: the pane closes with it.
        return () => {
          if (this.editor?.request.id !== id) return;
          this.editor = undefined;
          this.editorChanged = true;
        };
      });
  }

  /**
   * The user saved (`text`) or cancelled (undefined) editor `id`: the waiting command resumes,
   * with the same head start as a new command so its answer shows at once.
   */
  closeEditor(id: number, text: string | undefined): void {
    const open = this.editor;
    if (!open || open.request.id !== id) return;
    this.editor = undefined;
    this.editorChanged = true;
    open.resume(text);
    const sim = this.session.cluster.sim;
    sim.runUntilDone(
      () => !this.commandRunning || this.editor !== undefined,
      sim.nowMs + COMMAND_HEAD_START_MS,
    );
  }

  /** Starts a command; output streams through `onOutput`, the status arrives through `onExit`. */
  run(
    line: string,
    heredoc: string,
    onOutput: (stream: 'stdout' | 'stderr', text: string) => void,
    onExit: (code: number) => void,
  ): number | { error: string } {
    const id = this.nextRunId++;
    const started = this.session.start(
      line,
      heredoc,
      { stdout: (t) => onOutput('stdout', t), stderr: (t) => onOutput('stderr', t), terminal: true },
      (code) => {
        this.running.delete(id);
        onExit(code);
      },
    );
    if (!started.ok) return { error: started.error };
    if (!started.handle.done) {
      this.running.set(id, started.handle);
      const sim = this.session.cluster.sim;
      sim.runUntilDone(() => started.handle.done, sim.nowMs + COMMAND_HEAD_START_MS);
    }
    return id;
  }

  cancel(runId: number): void {
    this.running.get(runId)?.cancel();
    this.running.delete(runId);
    this.fastForwardUntil = undefined;
  }

  get commandRunning(): boolean {
    return this.running.size > 0;
  }

  /**
   * Advances the simulation for `wallDtMs` of elapsed wall time, spending at most `budgetMs` of
   * wall time on it. A paused clock still runs while a command waits on it: a command must finish.
   */
  tick(wallDtMs: number, budgetMs = 30): void {
    const sim = this.session.cluster.sim;
    if (this.fastForwardUntil !== undefined) {
      const started = this.wallNow();
      while (sim.nowMs < this.fastForwardUntil && this.wallNow() - started < budgetMs) {
        sim.runUntil(Math.min(this.fastForwardUntil, sim.nowMs + FAST_FORWARD_SLICE_MS));
      }
      if (sim.nowMs >= this.fastForwardUntil) this.fastForwardUntil = undefined;
      return;
    }
    // A command waiting on the editor pane is waiting on the user, not on the clock.
    if (this.session.paused && (!this.commandRunning || this.editor)) return;
    sim.runUntil(sim.nowMs + wallDtMs * this.session.speed);
  }

  /** Runs `ms` of simulated time now (the Step button). */
  step(ms: number): void {
    const sim = this.session.cluster.sim;
    sim.runUntil(sim.nowMs + ms);
  }

  clock(): ClockState {
    const s = this.session;
    return {
      speed: s.speed,
      paused: s.paused,
      commandRunning: this.commandRunning,
      scenario: s.scenario,
      seed: s.seed,
    };
  }

  /**
   * The current picture, and every trace event since the previous frame. Big clusters get a new
   * snapshot at most every BIG_CLUSTER_SNAPSHOT_MS of wall time (it costs a copy of every node);
   * `force` asks for one now (after a command or a click).
   */
  frame(force = false): Frame {
    const cluster = this.session.cluster;
    const flights: RaftFlight[] = [];
    const happenings: Happening[] = [];
    const events: StreamedEvent[] = [];
    const acts = new Map<string, MutableAct>();
    let schedulingSample: SchedulingSample | undefined;
    let schedulingSampleAtMs = 0;
    let schedulingAttempts = 0;
    const freshAfterMs = cluster.sim.nowMs - SCHEDULING_SAMPLE_FRESH_MS * Math.max(1, this.session.speed);
    for (const e of cluster.sim.trace.drain()) {
      if (e.type === 'raft.messageSent') {
        if (flights.length < MAX_FLIGHTS_PER_FRAME) {
          const { type: _type, ...flight } = e;
          flights.push(flight);
        }
      } else if (e.type === 'scheduling.attempted') {
        schedulingAttempts++;
        if (!schedulingSample && e.atMs >= freshAfterMs) {
          schedulingSample = e.sample;
          schedulingSampleAtMs = e.atMs;
        }
      } else if (e.type === 'k8s.event') {
        this.nodeNarrator.take(e);
        this.notice(e, e.atMs >= freshAfterMs ? acts : undefined);
        if (!e.dropped && events.length < MAX_EVENTS_PER_FRAME) {
          events.push({
            atMs: e.atMs,
            type: e.eventType,
            reason: e.reason,
            object: e.object,
            message: e.message,
            source: e.component,
            count: e.count,
          });
        }
      } else if (!this.nodeNarrator.take(e)) {
        const text = narrate(e);
        if (text) happenings.push({ atMs: 'atMs' in e ? e.atMs : cluster.sim.nowMs, text });
      }
    }
    const wall = this.wallNow();
    const big = cluster.hosts.size > BIG_CLUSTER_HOSTS;
    const due = !big || wall - this.lastSnapshotWallMs >= BIG_CLUSTER_SNAPSHOT_MS || force;
    if (due) this.lastSnapshotWallMs = wall;
    const pulling = this.pullingChanged ? [...this.pulling].slice(-MAX_PULLING_PER_FRAME) : undefined;
    this.pullingChanged = false;
    const editor = this.editorChanged ? (this.editor?.request ?? null) : undefined;
    this.editorChanged = false;
    const snapshot = due ? takeSnapshot(cluster) : undefined;
    if (snapshot) {
      this.lastPods = snapshot.pods;
      this.nodeNarrator.observe(snapshot.nodes, snapshot.timeMs);
    }
    const told = this.nodeNarrator.flush(cluster.sim.nowMs);
    if (told.length > 0) {
      happenings.push(...told);
      happenings.sort((a, b) => a.atMs - b.atMs);
    }
    return {
      ...(snapshot ? { snapshot } : {}),
      flights,
      happenings,
      events,
      clock: this.clock(),
      ...(schedulingSample ? { schedulingSample, schedulingSampleAtMs } : {}),
      schedulingAttempts,
      acts: [...acts.values()].slice(0, MAX_ACTS_PER_FRAME),
      ...(pulling ? { pulling } : {}),
      ...(editor !== undefined ? { editor } : {}),
    };
  }

  /**
   * Reads what controllers and kubelets did from the Events they record (every one, before the
   * per-frame cap on streamed events): pods created or deleted per ReplicaSet, scale changes, and
   * which pods are pulling an image. `acts` is absent for stale events (time skipped by `advance`,
   * or a hidden tab's backlog): what they did is history, not worth a mark.
   */
  private notice(
    e: Extract<TraceEvent, { type: 'k8s.event' }>,
    acts: Map<string, MutableAct> | undefined,
  ): void {
    const namespace = e.namespace ?? 'default';
    const slash = e.object.indexOf('/');
    const kind = e.object.slice(0, slash);
    const name = e.object.slice(slash + 1);
    const act = (replicaSet: string, change: (a: MutableAct) => void) => {
      if (!acts) return;
      const key = `${namespace}/${replicaSet}`;
      let a = acts.get(key);
      if (!a) acts.set(key, (a = { namespace, replicaSet, created: 0, deleted: 0, atMs: e.atMs }));
      a.atMs = Math.max(a.atMs, e.atMs);
      change(a);
    };
    if (kind === 'replicaset' && e.reason === 'SuccessfulCreate') act(name, (a) => a.created++);
    else if (kind === 'replicaset' && e.reason === 'SuccessfulDelete') act(name, (a) => a.deleted++);
    else if (kind === 'deployment' && e.reason === 'ScalingReplicaSet') {
      const m = /replica set (\S+) from (\d+) to (\d+)/.exec(e.message);
      if (m) act(m[1] as string, (a) => void (a.scaled = { from: Number(m[2]), to: Number(m[3]) }));
    } else if (kind === 'pod') {
      const key = `${namespace}/${name}`;
      if (e.reason === 'Pulling') {
        this.pulling.delete(key);
        this.pulling.add(key);
        if (this.pulling.size > MAX_PULLING_TRACKED) {
          const oldest = this.pulling.values().next().value;
          if (oldest !== undefined) this.pulling.delete(oldest);
        }
        this.pullingChanged = true;
      } else if (
        (e.reason === 'Pulled' || e.reason === 'Failed' || e.reason === 'Killing') &&
        this.pulling.delete(key)
      ) {
        this.pullingChanged = true;
      }
    }
  }
}

/** Most pods of a node read to tell when a NoExecute taint evicts them. */
const EVICTION_PLAN_PODS = 200;

/**
 * What the node narrator reads of the cluster: objects as etcd holds them, from the member that
 * applied the most (as the snapshot does).
 */
function clusterFacts(cluster: () => Cluster, pods: () => ClusterSnapshot['pods']): NodeFacts {
  const read = <T>(key: string): T | undefined => {
    const c = cluster();
    let store: ReturnType<typeof c.etcdMember> | undefined;
    for (const h of c.controlPlanes()) {
      const m = c.etcdMember(h.name);
      if (m && (!store || m.disk.appliedIndex > store.disk.appliedIndex)) store = m;
    }
    return store?.store.range(key).kvs[0]?.value as T | undefined;
  };
  const noExecute = (node: string, key: string) =>
    read<NodeObject>(`/registry/minions/${node}`)?.spec?.taints?.find(
      (t) => t.key === key && t.effect === 'NoExecute',
    );
  const ms = (time: string | undefined) => {
    const at = time ? parseSimTime(time) : Number.NaN;
    return Number.isFinite(at) ? at : undefined;
  };
  return {
    lastHeartbeatMs: (node) =>
      ms(read<LeaseObject>(`/registry/leases/kube-node-lease/${node}`)?.spec.renewTime),
    noExecuteAddedMs: (node, key) => ms(noExecute(node, key)?.timeAdded),
    podNode: (namespace, name) => read<PodObject>(`/registry/pods/${namespace}/${name}`)?.spec.nodeName,
    evictionPlan: (node, key) => {
      const taint = noExecute(node, key);
      if (!taint) return undefined;
      const plan = { now: 0, after: new Map<number, number>(), never: 0 } satisfies EvictionPlan;
      let seen = 0;
      for (const p of pods()) {
        if (p.node !== node || p.status === 'Terminating' || seen++ >= EVICTION_PLAN_PODS) continue;
        const pod = read<PodObject>(`/registry/pods/${p.namespace}/${p.name}`);
        const toleration = pod?.spec.tolerations?.find((t) => toleratesTaint(t, taint));
        if (!toleration) plan.now++;
        else if (toleration.tolerationSeconds === undefined) plan.never++;
        else {
          const secs = Math.max(0, toleration.tolerationSeconds);
          plan.after.set(secs, (plan.after.get(secs) ?? 0) + 1);
        }
      }
      return plan;
    },
  };
}

/** Plain words for what just happened, for the narration line. */
export function narrate(e: TraceEvent): string | undefined {
  switch (e.type) {
    case 'raft.leaderElected':
      return `etcd on ${e.member} won the election for term ${e.term} and now leads: writes go through it.`;
    case 'raft.leaderLost':
      return `etcd on ${e.member} lost its leader (term ${e.term}); it will campaign if none appears within its election timeout.`;
    case 'host.crashed':
      return `${e.host} crashed: every process on it stopped.`;
    case 'host.started':
      return `${e.host} booted; its processes are starting.`;
    case 'network.partitioned':
      return `The network between ${e.zones.join(', ')} and the other zones is cut.`;
    case 'network.healed':
      return 'Every network cut is healed.';
    case 'narration':
      return e.text;
    default:
      return undefined;
  }
}
