import type { ApiClient } from '../sim/client/apiClient';
import type { Cluster } from '../sim/cluster/cluster';
import type { Task } from '../sim/kernel/task';
import type { VirtualFs } from './vfs';

/**
 * A program the terminal can run (kubectl, etcdctl, a lab command, grep…): argv in, text out,
 * an exit code back. Programs are tasks, so they may wait on the simulated cluster.
 */
export interface ProgramContext {
  readonly cluster: Cluster;
  /** The user's API client (outside the cluster, through the load balancer). */
  readonly client: ApiClient;
  /** Text piped in (`a | b`), or '' when reading from the terminal. */
  readonly stdin: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Session-level effects a program may ask for (reset the cluster, change speed…). */
  readonly session: SessionControl;
}

export interface SessionControl {
  resetScenario(name: string, seed?: number): void;
  setSpeed(factor: number): void;
  setPaused(paused: boolean): void;
  /**
   * Let simulated time run ahead to `untilMs` as fast as possible (`advance 5m`). A page runs the
   * clock on wall time and must skip; a headless run already goes as fast as it can.
   */
  fastForward(untilMs: number): void;
  readonly speed: number;
  readonly paused: boolean;
  /** The lab's filesystem (examples, files written with `>`, a script's folder). */
  readonly files: VirtualFs;
  /** The current kubectl namespace (kubeconfig context). */
  namespace: string;
}

export type Program = (argv: readonly string[], ctx: ProgramContext) => Task<number>;
