import { rfc3339 } from '../../sim/kernel/time';
import type { LabClient } from '../../store/labClient';
import { useLabStore } from '../../store/labStore';

export const SPEEDS = [1, 2, 5, 10, 25, 50, 100];
/** Simulated time one press of Step runs. */
export const STEP_MS = 1000;

/** "3m05s" since the cluster was created, next to the wall-clock-style simulated time. */
export function elapsedText(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m${sec}s` : `${m}m${sec}s`;
}

export function ClockControls({ client }: { readonly client: LabClient }) {
  const clock = useLabStore((s) => s.clock);
  const timeMs = useLabStore((s) => s.snapshot?.timeMs ?? 0);
  const paused = clock?.paused ?? false;
  const speed = clock?.speed ?? 1;
  // `speed 20` typed in the terminal is shown as it is, not as the nearest preset.
  const speeds = SPEEDS.includes(speed) ? SPEEDS : [...SPEEDS, speed].sort((a, b) => a - b);
  return (
    <fieldset className="clock" aria-label="Simulated clock">
      <button type="button" onClick={() => client.setPaused(!paused)} aria-pressed={paused}>
        {paused ? 'Resume' : 'Pause'}
      </button>
      <button
        type="button"
        onClick={() => client.step(STEP_MS)}
        disabled={!paused}
        title="Run one simulated second"
      >
        Step 1s
      </button>
      <label>
        <span className="speed-word">Speed </span>
        <select
          value={speed}
          onChange={(e) => client.setSpeed(Number(e.target.value))}
          aria-label="Clock speed"
        >
          {speeds.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <span className="time" data-testid="sim-time" aria-live="off">
        {rfc3339(timeMs).slice(11, 19)} UTC <span className="elapsed">(T+{elapsedText(timeMs)})</span>
      </span>
    </fieldset>
  );
}
