import { create } from 'zustand';
import type { ClusterSnapshot } from '../sim/snapshot';
import type { ClockState, Frame, Happening, RaftFlight, StreamedEvent } from '../worker/labHost';

/** A Raft message the picture is animating, stamped with the wall time it was received. */
export interface ShownFlight extends RaftFlight {
  readonly id: number;
  readonly shownAt: number;
}

/** Messages kept for the picture; older ones have finished animating. */
export const MAX_SHOWN_FLIGHTS = 60;
/** A pod on its way from the scheduler to the node it was bound to. */
export interface PodFlight {
  readonly id: number;
  readonly pod: string;
  readonly node: string;
  readonly shownAt: number;
}

/** Most pod flights drawn at once; a burst of bindings shows its first ones. */
export const MAX_POD_FLIGHTS = 24;

/** Events kept for the event pane. */
export const MAX_EVENTS = 300;
/** Lines of narration kept. */
export const MAX_NARRATION = 50;

export interface LabState {
  readonly snapshot: ClusterSnapshot | undefined;
  readonly clock: ClockState | undefined;
  readonly flights: readonly ShownFlight[];
  readonly narration: readonly Happening[];
  readonly events: readonly StreamedEvent[];
  /** Pods the scheduler just bound, flying from the scheduler to their node. */
  readonly podFlights: readonly PodFlight[];
  applyFrame(
    frame: Frame,
    wallNow: number,
    pickFlights: (flights: readonly RaftFlight[]) => RaftFlight[],
  ): void;
}

let nextFlightId = 1;

/** The page's single store: the latest snapshot and the recent events, fed by the worker's frames. */
export const useLabStore = create<LabState>((set) => ({
  snapshot: undefined,
  clock: undefined,
  flights: [],
  narration: [],
  events: [],
  podFlights: [],
  applyFrame(frame, wallNow, pickFlights) {
    set((s) => {
      const added = pickFlights(frame.flights).map((f) => ({ ...f, id: nextFlightId++, shownAt: wallNow }));
      return {
        snapshot: frame.snapshot ?? s.snapshot,
        clock: frame.clock,
        flights: added.length > 0 ? [...s.flights, ...added].slice(-MAX_SHOWN_FLIGHTS) : s.flights,
        narration:
          frame.happenings.length > 0
            ? [...s.narration, ...frame.happenings].slice(-MAX_NARRATION)
            : s.narration,
        events: frame.events.length > 0 ? [...s.events, ...frame.events].slice(-MAX_EVENTS) : s.events,
        podFlights: newPodFlights(s.podFlights, frame.events, wallNow),
      };
    });
  },
}));

/** Scheduled events become flights: `Successfully assigned default/web-x to worker-3`. */
function newPodFlights(
  current: readonly PodFlight[],
  events: readonly StreamedEvent[],
  wallNow: number,
): readonly PodFlight[] {
  const added: PodFlight[] = [];
  for (const e of events) {
    if (e.reason !== 'Scheduled') continue;
    const m = / ([^ /]+)\/([^ ]+) to ([^ ]+)$/.exec(e.message);
    if (m) added.push({ id: nextFlightId++, pod: m[2] as string, node: m[3] as string, shownAt: wallNow });
  }
  if (added.length === 0) return current;
  return [...current, ...added].slice(-MAX_POD_FLIGHTS);
}
