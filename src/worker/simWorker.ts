/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { complete } from '../script/complete';
import { sessionCompletionSource } from '../script/completionSource';
import type { ScenarioName } from '../sim/topology/scenarios';
import { type Frame, LabHost } from './labHost';
import { type YamlProblem, yamlProblems } from './yamlLint';

/** How often the worker advances the clock and posts a frame to the page. */
export const TICK_MS = 50;

type FrameListener = (frame: Frame) => void;
type OutputListener = (stream: 'stdout' | 'stderr', text: string) => void;

let host: LabHost | undefined;
let onFrame: FrameListener | undefined;
let timer: ReturnType<typeof setInterval> | undefined;
let lastTick = 0;
let visible = true;

function loop(): void {
  if (!host) return;
  const now = performance.now();
  // A hidden tab's timers are throttled; never try to catch up more than a second of wall time at once.
  const dt = Math.min(now - lastTick, 1000);
  lastTick = now;
  host.tick(dt);
  if (visible || host.commandRunning) onFrame?.(host.frame());
}

/** The API the page calls through Comlink. Everything returns plain data. */
const api = {
  init(scenario: ScenarioName, seed: number, listener: FrameListener): void {
    host = new LabHost({ scenario, seed }, () => performance.now());
    onFrame = listener;
    lastTick = performance.now();
    if (timer) clearInterval(timer);
    timer = setInterval(loop, TICK_MS);
    listener(host.frame(true));
  },

  run(line: string, heredoc: string, onOutput: OutputListener): Promise<number> {
    return new Promise((resolve) => {
      if (!host) {
        onOutput('stderr', 'error: the simulation is still starting\n');
        resolve(1);
        return;
      }
      // The output callback crosses its own MessagePort, which the answer to `run` may overtake:
      // the exit code waits until the page has taken the last output (a command resumed by the
      // editor pane ends from another call, where that happens).
      let delivered: unknown;
      const output: OutputListener = (stream, text) => {
        delivered = onOutput(stream, text);
      };
      const exit = (code: number): void => {
        const done = (): void => resolve(code);
        void Promise.resolve(delivered).then(done, done);
      };
      const id = host.run(line, heredoc, output, exit);
      if (typeof id !== 'number') {
        onOutput('stderr', `${id.error}\n`);
        resolve(2);
        return;
      }
      currentRun = id;
      onFrame?.(host.frame(true));
    });
  },

  /** The prompt the terminal should show: a container shell's while one is attached. */
  prompt(): string | undefined {
    return host?.session.prompt;
  },

  complete(before: string): { from: number; candidates: string[] } {
    // Inside a container's shell the lab's programs and objects are not what Tab should offer.
    if (!host || host.session.prompt !== undefined) return { from: before.length, candidates: [] };
    const { from, candidates } = complete(before, sessionCompletionSource(host.session));
    return { from, candidates: [...candidates] };
  },

  cancel(): void {
    if (host && currentRun !== undefined) host.cancel(currentRun);
    if (host) onFrame?.(host.frame(true));
  },

  /** YAML parse errors of the editor pane's text, as the user types. */
  lintYaml(text: string): YamlProblem[] {
    return yamlProblems(text);
  },

  /** The editor pane closed: saved with `text`, or cancelled (undefined). */
  closeEditor(id: number, text: string | undefined): void {
    host?.closeEditor(id, text);
    if (host) onFrame?.(host.frame(true));
  },

  setSpeed(speed: number): void {
    host?.session.setSpeed(speed);
    if (host) onFrame?.(host.frame(true));
  },

  setPaused(paused: boolean): void {
    host?.session.setPaused(paused);
    if (host) onFrame?.(host.frame(true));
  },

  step(ms: number): void {
    host?.step(ms);
    if (host) onFrame?.(host.frame(true));
  },

  setVisible(isVisible: boolean): void {
    visible = isVisible;
  },
};

let currentRun: number | undefined;

export type SimWorkerApi = typeof api;

Comlink.expose(api);
