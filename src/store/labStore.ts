import { create } from 'zustand';
import type { ClusterSnapshot } from '../sim/snapshot';
import type {
  ClockState,
  ControllerAct,
  Frame,
  Happening,
  OpenEditor,
  RaftFlight,
  StreamedEvent,
} from '../worker/labHost';
import { AnimationClock, type SchedulingAnimation, SchedulingAnimator } from './schedulingAnimator';

/** A Raft message the picture is animating, stamped with the wall time it was received. */
export interface ShownFlight extends RaftFlight {
  readonly id: number;
  readonly shownAt: number;
}

/** Messages kept for the picture; older ones have finished animating. */
export const MAX_SHOWN_FLIGHTS = 60;

/** Events kept for the event pane. */
export const MAX_EVENTS = 300;
/** Lines of narration kept. */
export const MAX_NARRATION = 50;

/**
 * A controller just acted on a ReplicaSet: the reconciliation view shows it for MARK_MS of
 * animation time ("+2 created"), adding up the acts of a burst.
 */
export interface ReconcileMark {
  /** namespace/replicaSet */
  readonly key: string;
  readonly created: number;
  readonly deleted: number;
  /**
   * The Deployment controller changed the ReplicaSet's replicas: from the first to the last value
   * of a burst, with when it last did (shown for MARK_MS from then, like the rest).
   */
  readonly scaled?: { readonly from: number; readonly to: number; readonly atMs: number };
  /** Animation-clock time of the latest act. */
  readonly atMs: number;
  /** Simulated time of the latest act: `advance` ages a mark as much as watching would. */
  readonly simAtMs: number;
}

/** How long a controller's act stays marked in the reconciliation view. */
export const MARK_MS = 4000;
/** Acts on one ReplicaSet this close together are one burst, added up in one mark. */
export const MARK_BURST_MS = 1500;
/** Marks kept at once. */
export const MAX_MARKS = 100;

export interface LabState {
  readonly snapshot: ClusterSnapshot | undefined;
  readonly clock: ClockState | undefined;
  readonly flights: readonly ShownFlight[];
  readonly narration: readonly Happening[];
  readonly events: readonly StreamedEvent[];
  /** The scheduling cycle the picture is animating (one at a time), if any. */
  readonly scheduling: SchedulingAnimation | undefined;
  /** Recent controller acts per ReplicaSet. */
  readonly marks: readonly ReconcileMark[];
  /** Pods (namespace/name) whose image is being pulled. */
  readonly pulling: ReadonlySet<string>;
  /** The editor pane a command waits on (`vi FILE`, `kubectl edit`), if any. */
  readonly editor: OpenEditor | undefined;
  applyFrame(
    frame: Frame,
    wallNow: number,
    pickFlights: (flights: readonly RaftFlight[]) => RaftFlight[],
    visible?: boolean,
  ): void;
}

let nextFlightId = 1;

/** The clock every page animation runs on (stops while the simulation is paused). */
export const animationClock = new AnimationClock();
const animator = new SchedulingAnimator();

/** Whether the simulated clock is running (animations stand still while it is paused). */
export function clockRunning(clock: ClockState | undefined): boolean {
  return !clock?.paused || clock.commandRunning;
}

/** The page's single store: the latest snapshot and the recent events, fed by the worker's frames. */
export const useLabStore = create<LabState>((set) => ({
  snapshot: undefined,
  clock: undefined,
  flights: [],
  narration: [],
  events: [],
  scheduling: undefined,
  marks: [],
  pulling: new Set(),
  editor: undefined,
  applyFrame(frame, wallNow, pickFlights, visible = true) {
    set((s) => {
      const animNow = animationClock.sync(wallNow, clockRunning(frame.clock));
      if (s.clock && frame.clock.scenario !== s.clock.scenario) animator.reset();
      const added = pickFlights(frame.flights).map((f) => ({ ...f, id: nextFlightId++, shownAt: wallNow }));
      // Nothing starts animating on a hidden page: its pods simply appear.
      const simNowMs = (frame.snapshot ?? s.snapshot)?.timeMs ?? 0;
      const scheduling = visible
        ? animator.offer(frame.schedulingSample, frame.schedulingAttempts, animNow, frame.clock.speed, {
            nowMs: simNowMs,
            sampleAtMs: frame.schedulingSampleAtMs ?? simNowMs,
          })
        : animator.current;
      return {
        snapshot: frame.snapshot ?? s.snapshot,
        clock: frame.clock,
        flights: added.length > 0 ? [...s.flights, ...added].slice(-MAX_SHOWN_FLIGHTS) : s.flights,
        narration:
          frame.happenings.length > 0
            ? [...s.narration, ...frame.happenings].slice(-MAX_NARRATION)
            : s.narration,
        events: frame.events.length > 0 ? [...s.events, ...frame.events].slice(-MAX_EVENTS) : s.events,
        scheduling,
        marks: mergeMarks(s.marks, frame.acts, animNow, { nowMs: simNowMs, speed: frame.clock.speed }),
        pulling: frame.pulling ? new Set(frame.pulling) : s.pulling,
        editor: frame.editor === undefined ? s.editor : (frame.editor ?? undefined),
      };
    });
  },
}));

/** Adds a frame's acts to the marks (a burst adds up) and drops marks older than MARK_MS. */
export function mergeMarks(
  current: readonly ReconcileMark[],
  acts: readonly ControllerAct[],
  nowMs: number,
  sim: { readonly nowMs: number; readonly speed: number } = { nowMs: 0, speed: 1 },
): readonly ReconcileMark[] {
  const simMaxAgeMs = MARK_MS * Math.max(1, sim.speed);
  const live = current
    .filter((m) => nowMs - m.atMs < MARK_MS && sim.nowMs - m.simAtMs < simMaxAgeMs)
    .map((m) => (m.scaled && nowMs - m.scaled.atMs >= MARK_MS ? withoutScaled(m) : m));
  const unchanged = live.length === current.length && live.every((m, i) => m === current[i]);
  if (acts.length === 0) return unchanged ? current : live;
  const byKey = new Map(live.map((m) => [m.key, m]));
  for (const a of acts) {
    const key = `${a.namespace}/${a.replicaSet}`;
    const last = byKey.get(key);
    const prev = last && nowMs - last.atMs < MARK_BURST_MS ? last : undefined;
    const lastScaled = last?.scaled && nowMs - last.scaled.atMs < MARK_BURST_MS ? last.scaled : undefined;
    // A scale change stays shown for its own MARK_MS while the pods it asked for come and go.
    const scaled = a.scaled
      ? { from: lastScaled?.from ?? a.scaled.from, to: a.scaled.to, atMs: nowMs }
      : last?.scaled;
    byKey.delete(key);
    byKey.set(key, {
      key,
      created: (prev?.created ?? 0) + a.created,
      deleted: (prev?.deleted ?? 0) + a.deleted,
      ...(scaled ? { scaled } : {}),
      atMs: nowMs,
      simAtMs: Math.max(last?.simAtMs ?? 0, a.atMs),
    });
  }
  return [...byKey.values()].slice(-MAX_MARKS);
}

function withoutScaled(m: ReconcileMark): ReconcileMark {
  const { scaled: _scaled, ...rest } = m;
  return rest;
}
