import { Session, type SessionOptions } from '../script/session';
import type { TaskHandle } from '../sim/kernel/task';
import type { TraceEvent } from '../sim/kernel/trace';
import { type ClusterSnapshot, takeSnapshot } from '../sim/snapshot';

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

export interface Frame {
  /** Absent when unchanged enough to skip (big clusters send a picture less often than events). */
  readonly snapshot?: ClusterSnapshot;
  readonly events: readonly StreamedEvent[];
  readonly flights: readonly RaftFlight[];
  readonly happenings: readonly Happening[];
  readonly clock: ClockState;
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

  constructor(
    opts: SessionOptions,
    private readonly wallNow: () => number,
  ) {
    this.session = new Session(opts);
    this.session.listener = {
      onFastForward: (until) => {
        this.fastForwardUntil = Math.max(this.fastForwardUntil ?? 0, until);
      },
      onReset: () => {
        this.fastForwardUntil = undefined;
        this.session.cluster.sim.trace.enabled = true;
      },
    };
    this.session.cluster.sim.trace.enabled = true;
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
      { stdout: (t) => onOutput('stdout', t), stderr: (t) => onOutput('stderr', t) },
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
    if (this.session.paused && !this.commandRunning) return;
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
    for (const e of cluster.sim.trace.drain()) {
      if (e.type === 'raft.messageSent') {
        if (flights.length < MAX_FLIGHTS_PER_FRAME) {
          const { type: _type, ...flight } = e;
          flights.push(flight);
        }
      } else if (e.type === 'k8s.event') {
        if (events.length < MAX_EVENTS_PER_FRAME) {
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
      } else {
        const text = narrate(e);
        if (text) happenings.push({ atMs: 'atMs' in e ? e.atMs : cluster.sim.nowMs, text });
      }
    }
    const wall = this.wallNow();
    const big = cluster.hosts.size > BIG_CLUSTER_HOSTS;
    const due = !big || wall - this.lastSnapshotWallMs >= BIG_CLUSTER_SNAPSHOT_MS || force;
    if (due) this.lastSnapshotWallMs = wall;
    return {
      ...(due ? { snapshot: takeSnapshot(cluster) } : {}),
      flights,
      happenings,
      events,
      clock: this.clock(),
    };
  }
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
