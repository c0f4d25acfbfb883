import type { ExecShellState } from '../sim/apiserver/request';
import type { ApiClient } from '../sim/client/apiClient';
import type { Cluster } from '../sim/cluster/cluster';
import type { Task } from '../sim/kernel/task';
import type { ShellOutput } from './shell';
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
  /** Running other commands (xargs, watch, `$(...)`): set when the program runs from a shell line. */
  readonly shell?: ShellAccess;
  /** Whether stdout is a person's terminal rather than a pipe, a file or a transcript (isatty). */
  readonly stdoutIsTerminal?: boolean;
  /** The command's environment: exported shell variables and its `NAME=value` prefix. */
  readonly env?: ReadonlyMap<string, string>;
}

/** What a program started by the shell may ask of it. */
export interface ShellAccess {
  /** Runs one command (argv) with this stdin (and environment); its output goes to `out`. */
  run(
    argv: readonly string[],
    stdin: string,
    out: ShellOutputLike,
    env?: ReadonlyMap<string, string>,
  ): Task<number>;
  /** Parses and runs a whole command line (pipes, `&&`, `$(...)`). */
  runLine(line: string, out: ShellOutputLike): Task<number>;
}

export interface ShellOutputLike {
  stdout(text: string): void;
  stderr(text: string): void;
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
  /** Shell variables (`VAR=value`, `export`), when the session keeps them. */
  readonly env?: Map<string, string>;
  /**
   * Opens the page's editor pane on `text` and waits (simulated time keeps running) until the
   * user saves (the edited text) or cancels (undefined). Absent where there is no pane (the
   * CLI, scripts, tests): programs that need it say so and fail.
   */
  openEditor?(request: EditorRequest): Task<string | undefined>;
  /**
   * Hands the terminal to a shell inside a container (`kubectl exec -it POD -- sh`): the lines
   * typed next go to it, until it exits. Absent where no one types (programs then say so).
   */
  attachShell?(shell: AttachedShell): void;
  /**
   * Starts a background job (`cmd &`): bash prints `[1] PID` on `out` and the line goes on. The
   * job's output goes to the terminal, whichever command is in the foreground by then.
   */
  startJob?(command: string, run: (out: ShellOutput) => Task<number>, out: ShellOutputLike): void;
  /** The background jobs, oldest first (`jobs`, `fg`, `kill %1`, `wait`). */
  readonly jobs?: JobControl;
  /** Ports the learner's machine listens on (`kubectl proxy`, `kubectl port-forward`), for `curl localhost:PORT`. */
  readonly localPorts?: LocalPorts;
}

/** The loopback ports of the learner's machine. */
export interface LocalPorts {
  /** Starts serving `port`; the function stops it. Undefined if the port is taken. */
  listen(port: number, server: LocalServer): (() => void) | undefined;
  server(port: number): LocalServer | undefined;
  /** A free port the kernel would hand out for port 0. */
  ephemeral(): number;
}

/** A local HTTP server, as `curl` sees it. */
export interface LocalServer {
  get(path: string): Task<LocalAnswer>;
}

export type LocalAnswer =
  | { readonly ok: true; readonly status: number; readonly contentType: string; readonly body: string }
  /** The connection was accepted, then closed with no answer (curl: (52) Empty reply from server). */
  | { readonly ok: false; readonly error: 'empty' };

/** One background job. */
export interface Job {
  readonly id: number;
  readonly pid: number;
  readonly command: string;
  /** undefined while it runs; its status when it ended; 'killed' after `kill %N`. */
  readonly ended: number | 'killed' | undefined;
}

/** What `jobs`, `fg`, `kill %N` and `wait` need. */
export interface JobControl {
  list(): readonly Job[];
  /** How `jobs` shows one: `[1]+  Running                 kubectl proxy &`. */
  line(job: Job): string;
  /** `%N`, `%%`/`%+` (the current job), `%-` (the previous one): the job, or undefined. */
  find(spec: string): Job | undefined;
  kill(id: number): boolean;
  /** Waits until the job ends; cancelling the wait (Ctrl-C) kills the job, as for a job in the foreground. */
  wait(id: number, killOnCancel: boolean): Task<number>;
}

/** An interactive shell in a container, as the session keeps it between lines. */
export interface AttachedShell {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** The shell program (`sh`, `/bin/bash`). */
  readonly shell: string;
  readonly tty: boolean;
  state: ExecShellState;
  /** What the shell prints before each line. */
  prompt: string;
  /** Printed when the shell ends (kubectl attach's "Session ended, resume using …"). */
  readonly endNote?: string;
  /** `kubectl run --rm`: the pod goes when the shell ends. */
  readonly deletePodOnExit?: boolean;
}

/** What a program asks the editor pane to show (`vi FILE`, `kubectl edit`). */
export interface EditorRequest {
  /** The title line: `web.yaml — vi`, `kubectl edit deployment/web`. */
  readonly title: string;
  readonly text: string;
  readonly language: 'yaml' | 'text';
}

export type Program = (argv: readonly string[], ctx: ProgramContext) => Task<number>;
