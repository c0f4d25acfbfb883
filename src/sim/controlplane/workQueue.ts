import type { Sim } from '../kernel/sim';

/**
 * client-go's rate-limited work queue, reduced: keys are deduplicated while waiting, and a sync
 * that fails is retried after a delay. Work runs on the next event (not inside the informer
 * callback), so a burst of changes to one object costs one sync.
 */
export class WorkQueue {
  private readonly pending = new Set<string>();
  private scheduled = false;
  private running = true;

  constructor(
    private readonly sim: Sim,
    private readonly sync: (key: string) => void,
  ) {}

  add(key: string, delayMs = 0): void {
    if (!this.running) return;
    if (delayMs > 0) {
      this.sim.schedule(delayMs, () => this.add(key));
      return;
    }
    this.pending.add(key);
    if (!this.scheduled) {
      this.scheduled = true;
      this.sim.schedule(0, () => this.drain());
    }
  }

  stop(): void {
    this.running = false;
    this.pending.clear();
  }

  private drain(): void {
    this.scheduled = false;
    if (!this.running) return;
    const keys = [...this.pending];
    this.pending.clear();
    for (const k of keys) this.sync(k);
  }
}
