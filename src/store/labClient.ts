import * as Comlink from 'comlink';
import type { ScenarioName } from '../sim/topology/scenarios';
import type { SimWorkerApi } from '../worker/simWorker';
import type { YamlProblem } from '../worker/yamlLint';
import { FlightSampler } from './flightSampler';
import { useLabStore } from './labStore';

export type OutputListener = (stream: 'stdout' | 'stderr', text: string) => void;

/**
 * The page's handle on the simulation worker: commands in, frames out (into the store). Only
 * plain data crosses the boundary; the views never see the core's objects.
 */
export class LabClient {
  private readonly api: Comlink.Remote<SimWorkerApi>;
  private readonly sampler = new FlightSampler(() => performance.now());

  constructor(scenario: ScenarioName, seed: number) {
    const worker = new Worker(new URL('../worker/simWorker.ts', import.meta.url), { type: 'module' });
    this.api = Comlink.wrap<SimWorkerApi>(worker);
    void this.api.init(
      scenario,
      seed,
      Comlink.proxy((frame) => {
        useLabStore
          .getState()
          .applyFrame(
            frame,
            performance.now(),
            (f) => this.sampler.pick(f),
            document.visibilityState === 'visible',
          );
      }),
    );
    document.addEventListener('visibilitychange', () => {
      void this.api.setVisible(document.visibilityState === 'visible');
    });
  }

  run(line: string, heredoc: string, onOutput: OutputListener): Promise<number> {
    return this.api.run(line, heredoc, Comlink.proxy(onOutput));
  }

  /** The prompt to show next: a container shell's (`kubectl exec -it`), or undefined for the lab's. */
  prompt(): Promise<string | undefined> {
    return this.api.prompt();
  }

  /** Tab completion of the word ending `before` (object names come from the cluster). */
  complete(before: string): Promise<{ from: number; candidates: string[] }> {
    return this.api.complete(before);
  }

  cancel(): void {
    void this.api.cancel();
  }

  /** YAML parse errors of `text` (the editor pane's inline marks), computed in the worker. */
  lintYaml(text: string): Promise<YamlProblem[]> {
    return this.api.lintYaml(text);
  }

  /** Answers the editor pane a command waits on: the saved text, or undefined for Cancel. */
  closeEditor(id: number, text: string | undefined): void {
    void this.api.closeEditor(id, text);
  }

  setSpeed(speed: number): void {
    void this.api.setSpeed(speed);
  }

  setPaused(paused: boolean): void {
    void this.api.setPaused(paused);
  }

  step(ms: number): void {
    void this.api.step(ms);
  }
}
