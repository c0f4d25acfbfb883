import type { SchedulingSample } from '../sim/snapshot';

/**
 * The clock page animations run on: wall time that stands still while the simulation is paused and
 * never jumps by more than MAX_STEP_MS at once (a hidden tab, a long task), so an animation resumes
 * where it stopped instead of finishing off-screen. Motion is computed from it and a start time,
 * never stored (pause, speed and hiding then just work).
 */
export class AnimationClock {
  private nowMs = 0;
  private lastWallMs: number | undefined;

  /** Advances by the wall time since the previous call if `running`; returns the animation time. */
  sync(wallNowMs: number, running: boolean): number {
    if (this.lastWallMs !== undefined && running) {
      this.nowMs += Math.min(MAX_STEP_MS, Math.max(0, wallNowMs - this.lastWallMs));
    }
    this.lastWallMs = wallNowMs;
    return this.nowMs;
  }

  get now(): number {
    return this.nowMs;
  }
}

/** Simulated time an animation may lag behind the cluster, beyond its own length, before it is dropped. */
export const STALE_AFTER_MS = 2000;

/** The most animation time one sync may add. */
export const MAX_STEP_MS = 250;

/** One scheduling cycle's animation at 1× speed: enter, filter, score, pick, fly. */
export const SCHEDULING_ANIMATION_MS = 1500;
/** After the pod lands, the marks stay this long (fading) before the next cycle may start. */
export const SCHEDULING_LINGER_MS = 450;
/** Faster clocks shorten the animation, down to this fraction of SCHEDULING_ANIMATION_MS. */
const FASTEST_FRACTION = 0.3;

/** The animation gets shorter as the clock runs faster (√speed), so it keeps up with the cluster. */
export function schedulingDurationMs(speed: number): number {
  const s = Math.max(1, Number.isFinite(speed) ? speed : 1);
  return SCHEDULING_ANIMATION_MS * Math.max(FASTEST_FRACTION, 1 / Math.sqrt(s));
}

/** A scheduling cycle being animated. */
export interface SchedulingAnimation {
  readonly id: number;
  readonly sample: SchedulingSample;
  /** Animation-clock time it started. */
  readonly startMs: number;
  readonly durationMs: number;
  /** Cycles that ran while this one was animated and were let through without animation. */
  readonly others: number;
  /** Simulated time of the cycle. */
  readonly simAtMs: number;
}

/**
 * Paces the scheduling animation: one cycle at a time, at a speed a person can follow. A cycle
 * offered while another is animating is not queued (it would show a pod flying to a node it has
 * long been running on): it is counted, and its pod simply appears.
 */
export class SchedulingAnimator {
  private nextId = 1;
  current: SchedulingAnimation | undefined;

  /** Whether a cycle is animating (or its marks still linger) at animation time `nowMs`. */
  busy(nowMs: number): boolean {
    const c = this.current;
    return (
      !!c &&
      nowMs < c.startMs + c.durationMs + SCHEDULING_LINGER_MS * (c.durationMs / SCHEDULING_ANIMATION_MS)
    );
  }

  /**
   * Offers a frame's sample and how many cycles the frame ran. Returns the animation now shown,
   * which changes only when the previous one has finished and a fresh sample arrived. An animation
   * the cluster has left far behind (simulated time skipped ahead by `advance`) is dropped.
   */
  offer(
    sample: SchedulingSample | undefined,
    attempts: number,
    nowMs: number,
    speed: number,
    sim: { readonly nowMs: number; readonly sampleAtMs: number } = { nowMs: 0, sampleAtMs: 0 },
  ): SchedulingAnimation | undefined {
    const c = this.current;
    const behindMs = (c ? c.durationMs + SCHEDULING_LINGER_MS : 0) * Math.max(1, speed) + STALE_AFTER_MS;
    if (c && sim.nowMs - c.simAtMs > behindMs) this.current = undefined;
    if (this.busy(nowMs)) {
      if (attempts > 0 && this.current)
        this.current = { ...this.current, others: this.current.others + attempts };
      return this.current;
    }
    if (!sample) {
      if (this.current && nowMs >= this.current.startMs + this.current.durationMs * 4)
        this.current = undefined;
      return this.current;
    }
    this.current = {
      id: this.nextId++,
      sample,
      startMs: nowMs,
      durationMs: schedulingDurationMs(speed),
      others: Math.max(0, attempts - 1),
      simAtMs: sim.sampleAtMs,
    };
    return this.current;
  }

  reset(): void {
    this.current = undefined;
  }
}

/** Where one scheduling animation stands at a moment: what is shown, derived from time alone. */
export interface SchedulingStage {
  /** 0..1 through the animated part; above 1 while the marks linger. */
  readonly t: number;
  /** Rejected nodes marked so far (in the sample's visit order). */
  readonly filteredShown: number;
  /** Scored nodes showing their total so far (best first). */
  readonly scoredShown: number;
  readonly winnerShown: boolean;
  /** 0 while the pod sits in the scheduler, 1 once it reached its node (eased in between). */
  readonly flight: number;
  /** Marks' opacity: 1, fading to 0 while lingering. */
  readonly opacity: number;
  /** Which step the caption describes. */
  readonly step: 'queue' | 'filter' | 'score' | 'bind' | 'done';
}

/** Fractions of the animation where each step begins. */
export const STEP_AT = { filter: 0.12, score: 0.42, winner: 0.6, fly: 0.64 } as const;

/**
 * The stage of `anim` at animation time `nowMs`, or undefined once it is over. With reduced motion,
 * everything is shown at once and nothing moves: the pod is drawn where it lands.
 */
export function schedulingStage(
  anim: SchedulingAnimation,
  nowMs: number,
  reduceMotion = false,
): SchedulingStage | undefined {
  const elapsed = nowMs - anim.startMs;
  const linger = SCHEDULING_LINGER_MS * (anim.durationMs / SCHEDULING_ANIMATION_MS);
  if (elapsed < 0 || elapsed >= anim.durationMs + linger) return undefined;
  const t = elapsed / anim.durationMs;
  const s = anim.sample;
  const placed = s.nodeName !== undefined;
  const opacity = t <= 1 ? 1 : Math.max(0, 1 - (elapsed - anim.durationMs) / linger);
  if (reduceMotion) {
    return {
      t,
      filteredShown: s.filtered.length,
      scoredShown: s.scored.length,
      winnerShown: placed,
      flight: placed ? 1 : 0,
      opacity,
      step: placed ? 'done' : 'score',
    };
  }
  const ramp = (from: number, to: number) => Math.min(1, Math.max(0, (t - from) / (to - from)));
  const filteredShown = Math.ceil(ramp(STEP_AT.filter, STEP_AT.score - 0.04) * s.filtered.length);
  const scoredShown = Math.ceil(ramp(STEP_AT.score, STEP_AT.winner - 0.04) * s.scored.length);
  const f = placed ? ramp(STEP_AT.fly, 1) : 0;
  const flight = f < 0.5 ? 2 * f * f : 1 - (-2 * f + 2) ** 2 / 2; // ease in and out
  const step =
    t < STEP_AT.filter
      ? 'queue'
      : t < STEP_AT.score
        ? 'filter'
        : t < STEP_AT.winner || !placed
          ? 'score'
          : t < 1
            ? 'bind'
            : 'done';
  return {
    t,
    filteredShown,
    scoredShown,
    winnerShown: placed && t >= STEP_AT.winner,
    flight,
    opacity,
    step,
  };
}
