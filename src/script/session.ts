import { attachedShellLine } from '../kubectl/commands/exec';
import { LAB_FILES } from '../shell/examples';
import { parseCommandLine } from '../shell/parse';
import type {
  AttachedShell,
  EditorRequest,
  JobControl,
  LocalPorts,
  LocalServer,
  ProgramContext,
  SessionControl,
  ShellOutputLike,
} from '../shell/program';
import { COMMAND_LIMIT_MS, type ProgramRun } from '../shell/runProgram';
import { runCommandList, type ShellOutput } from '../shell/shell';
import { type ExternalReader, VirtualFs } from '../shell/vfs';
import { Cluster } from '../sim/cluster/cluster';
import { spawn, type Task, type TaskHandle } from '../sim/kernel/task';
import { DEFAULT_SCENARIO, DEFAULT_SEED, type ScenarioName } from '../sim/topology/scenarios';
import { warmUp } from '../sim/warmUp';
import { JobTable } from './jobs';
import { PROGRAMS } from './programs';

/** Linux's first ephemeral port (net.ipv4.ip_local_port_range), for `kubectl port-forward :80`. */
const EPHEMERAL_PORT_START = 32768;

export interface SessionOptions {
  readonly scenario?: ScenarioName;
  readonly seed?: number;
  /** Where files not in the lab's filesystem are read from (the CLI: the script's folder). */
  readonly externalFiles?: ExternalReader;
}

/** What the page hears from a session besides command output. */
export interface SessionListener {
  onReset?(): void;
  onClockChange?(): void;
  onFastForward?(untilMs: number): void;
}

export type StartResult = { ok: true; handle: TaskHandle } | { ok: false; error: string };

/**
 * One user's lab: a cluster, the shell state around it (namespace, clock speed) and the programs.
 * The page drives it on wall time; scripts and tests run each command to completion at once.
 * Either way the core only moves when the simulated clock does, so a seed and a command list
 * always give the same transcript.
 */
export class Session implements SessionControl {
  cluster!: Cluster;
  scenario: ScenarioName;
  seed: number;
  namespace = 'default';
  readonly files: VirtualFs;
  speed = 1;
  paused = false;
  listener: SessionListener = {};
  /** The page's editor pane (set by the page's host; tests set a scripted one). None headless. */
  openEditor?: (request: EditorRequest) => Task<string | undefined>;

  constructor(opts: SessionOptions = {}) {
    this.files = new VirtualFs(LAB_FILES, opts.externalFiles);
    this.scenario = opts.scenario ?? DEFAULT_SCENARIO;
    this.seed = opts.seed ?? DEFAULT_SEED;
    this.boot();
  }

  private boot(): void {
    this.cluster = new Cluster(this.scenario, this.seed);
    warmUp(this.cluster);
    this.namespace = 'default';
    this.attached = undefined;
    this.jobTable.killAll();
    this.servers.clear();
  }

  // ---- SessionControl, for programs ----

  resetScenario(name: ScenarioName, seed?: number): void {
    this.scenario = name;
    if (seed !== undefined) this.seed = seed;
    this.boot();
    this.listener.onReset?.();
  }

  setSpeed(factor: number): void {
    this.speed = factor;
    this.listener.onClockChange?.();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.listener.onClockChange?.();
  }

  fastForward(untilMs: number): void {
    // A command that asks for time (`advance 3h`) may run that long, past the usual limit.
    this.requestedUntilMs = Math.max(this.requestedUntilMs, untilMs);
    this.listener.onFastForward?.(untilMs);
  }

  private requestedUntilMs = 0;

  // ---- running commands ----

  /**
   * Starts a command line (with its heredoc body, if it has one). Output streams to `out` as the
   * programs write it; `onExit` gets the status. The handle cancels it (Ctrl-C).
   */
  start(line: string, heredoc: string, out: ShellOutput, onExit: (code: number) => void): StartResult {
    if (this.attached) return this.startInContainer(this.attached, line, out, onExit);
    const parsed = parseCommandLine(line);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    const makeContext = (stdin: string, sink: ShellOutput): ProgramContext => ({
      cluster: this.cluster,
      client: this.cluster.outsideClient(),
      stdin,
      stdout: sink.stdout,
      stderr: sink.stderr,
      session: this,
    });
    const task = runCommandList(parsed.list, heredoc, PROGRAMS, makeContext, out);
    // Before the next prompt, bash tells which background jobs ended meanwhile.
    const finish = onExit;
    onExit = (code) => {
      if (this.foreground === out) this.foreground = undefined;
      const notices = this.jobTable.notices();
      if (notices !== '') out.stderr(notices);
      finish(code);
    };
    this.foreground = out;
    const handle = spawn(task, (outcome) => {
      if (outcome.ok) onExit(outcome.value);
      else if (outcome.error instanceof Error && outcome.error.message === 'cancelled')
        onExit((outcome.error as { exitCode?: number }).exitCode ?? 130);
      else {
        out.stderr(
          `error: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}\n`,
        );
        onExit(1);
      }
    });
    return { ok: true, handle };
  }

  /** Loopback ports served by `kubectl proxy` and `kubectl port-forward`. */
  private readonly servers = new Map<number, LocalServer>();
  private nextEphemeral = EPHEMERAL_PORT_START;

  readonly localPorts: LocalPorts = {
    listen: (port, server) => {
      if (this.servers.has(port)) return undefined;
      this.servers.set(port, server);
      return () => {
        if (this.servers.get(port) === server) this.servers.delete(port);
      };
    },
    server: (port) => this.servers.get(port),
    ephemeral: () => {
      while (this.servers.has(this.nextEphemeral)) this.nextEphemeral++;
      return this.nextEphemeral++;
    },
  };

  /** Background jobs (`kubectl proxy &`). */
  private readonly jobTable = new JobTable();

  get jobs(): JobControl {
    return this.jobTable;
  }

  startJob(command: string, run: (out: ShellOutput) => Task<number>, out: ShellOutputLike): void {
    // A job prints into whatever the terminal shows by then: the command in the foreground, if
    // any (a transcript puts it under that command), else where the job was started.
    const sink: ShellOutput = {
      stdout: (t) => (this.foreground ?? out).stdout(t),
      stderr: (t) => (this.foreground ?? out).stderr(t),
      terminal: true,
    };
    this.jobTable.start(command, run(sink), out);
  }

  /** Where the command running in the foreground prints. */
  private foreground: ShellOutput | undefined;

  /** The shell a `kubectl exec -it` attached the terminal to, if any. */
  attached: AttachedShell | undefined;

  attachShell(shell: AttachedShell): void {
    this.attached = shell;
  }

  /** What the terminal shows before the next line: the container shell's prompt while attached. */
  get prompt(): string | undefined {
    return this.attached?.prompt;
  }

  private startInContainer(
    shell: AttachedShell,
    line: string,
    out: ShellOutput,
    onExit: (code: number) => void,
  ): StartResult {
    const task = attachedShellLine(this.cluster.outsideClient(), shell, line, out, () => {
      if (this.attached === shell) this.attached = undefined;
    });
    const handle = spawn(task, (outcome) => onExit(outcome.ok ? outcome.value : 130));
    return { ok: true, handle };
  }

  /** Runs a command line to completion as fast as the simulation allows (scripts, CLI, tests). */
  run(line: string, heredoc = ''): ProgramRun {
    let stdout = '';
    let stderr = '';
    let output = '';
    let code: number | undefined;
    const out: ShellOutput = {
      stdout: (t) => {
        stdout += t;
        output += t;
      },
      stderr: (t) => {
        stderr += t;
        output += t;
      },
    };
    const started = this.start(line, heredoc, out, (c) => {
      code = c;
    });
    if (!started.ok) {
      out.stderr(`${started.error}\n`);
      return { code: 2, stdout, stderr, output };
    }
    const sim = this.cluster.sim;
    const startedMs = sim.nowMs;
    const limit = (): number => Math.max(startedMs + COMMAND_LIMIT_MS, this.requestedUntilMs + 1000);
    let finished = code !== undefined;
    while (!finished) {
      const until = limit();
      finished = sim.runUntilDone(() => code !== undefined, until);
      if (!finished && limit() <= until) break;
    }
    if (!finished) {
      started.handle.cancel();
      out.stderr('error: the command did not finish within 10 minutes of simulated time\n');
      code = 1;
    }
    return { code: code ?? 1, stdout, stderr, output };
  }
}
