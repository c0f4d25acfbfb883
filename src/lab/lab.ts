import type { Program, ProgramContext } from '../shell/program';
import type { Cluster } from '../sim/cluster/cluster';
import type { Host } from '../sim/cluster/host';
import { suspend } from '../sim/kernel/task';
import { parseDurationMs, rfc3339 } from '../sim/kernel/time';
import { isScenarioName, SCENARIO_NAMES, scenario } from '../sim/topology/scenarios';
import { add, ssh } from './nodeCommands';
import { trace } from './traceScheduling';

/**
 * Lab commands: the faults and clock controls a teacher uses. They act on the simulated machines
 * and network directly, never through the API (a crashed host does not ask permission).
 */

export const MIN_SPEED = 0.25;
export const MAX_SPEED = 100;

function fail(ctx: ProgramContext, message: string): number {
  ctx.stderr(`error: ${message}\n`);
  return 1;
}

function usage(ctx: ProgramContext, text: string): number {
  return fail(ctx, `usage: ${text}`);
}

const processesOf = (h: Host): string =>
  h.isControlPlane
    ? 'etcd, kube-apiserver, kube-scheduler, kube-controller-manager and kubelet'
    : 'kubelet and its containers';

function zoneHosts(cluster: Cluster, zone: string): Host[] {
  return [...cluster.hosts.values()].filter((h) => h.zone === zone);
}

function unknownZone(ctx: ProgramContext, cluster: Cluster, zone: string): number {
  return fail(ctx, `zone "${zone}" not found (zones: ${cluster.spec.zones.join(', ')})`);
}

/** `kill node NAME` / `kill zone ZONE`, and `start` for the way back. */
function powerCommand(action: 'kill' | 'start'): Program {
  return function* (argv, ctx) {
    const [kind, name, ...extra] = argv;
    if ((kind !== 'node' && kind !== 'zone') || name === undefined || extra.length > 0) {
      return usage(ctx, `${action} node NAME | ${action} zone ZONE`);
    }
    const { cluster } = ctx;
    const apply = (h: Host): boolean =>
      action === 'kill' ? cluster.killHost(h.name) : cluster.startHost(h.name);
    if (kind === 'node') {
      const host = cluster.host(name);
      if (!host) return fail(ctx, `node "${name}" not found`);
      if (!apply(host)) return fail(ctx, `node "${name}" is already ${action === 'kill' ? 'down' : 'up'}`);
      ctx.stdout(
        action === 'kill'
          ? `${name} is down: ${processesOf(host)} stopped.\n`
          : `${name} is up: ${processesOf(host)} starting${host.isControlPlane ? '; etcd rejoins from its data directory' : ''}.\n`,
      );
      return 0;
    }
    const hosts = zoneHosts(cluster, name);
    if (hosts.length === 0) return unknownZone(ctx, cluster, name);
    const changed = hosts.filter(apply).map((h) => h.name);
    if (changed.length === 0)
      return fail(ctx, `every node in ${name} is already ${action === 'kill' ? 'down' : 'up'}`);
    ctx.stdout(
      `${name} is ${action === 'kill' ? 'down' : 'up'}: ${listNames(changed)} ${action === 'kill' ? 'stopped' : 'starting'}.\n`,
    );
    return 0;
  };
}

function listNames(names: readonly string[]): string {
  return names.length <= 6
    ? names.join(', ')
    : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}

export const kill: Program = powerCommand('kill');
export const start: Program = powerCommand('start');

export const partition: Program = function* (argv, ctx) {
  if (argv.length !== 1) return usage(ctx, 'partition ZONE[,ZONE...]');
  const { cluster } = ctx;
  const zones = (argv[0] as string).split(',').filter((z) => z !== '');
  for (const z of zones) if (!cluster.spec.zones.includes(z)) return unknownZone(ctx, cluster, z);
  const others = cluster.spec.zones.filter((z) => !zones.includes(z));
  if (zones.length === 0 || others.length === 0)
    return fail(ctx, 'a partition needs zones on both sides of the cut');
  cluster.partition(zones);
  ctx.stdout(`${zones.join(', ')} ${zones.length === 1 ? 'is' : 'are'} cut off from ${others.join(', ')}.\n`);
  return 0;
};

export const heal: Program = function* (argv, ctx) {
  if (argv.length !== 0) return usage(ctx, 'heal');
  const had = ctx.cluster.network.activeCuts().length;
  ctx.cluster.heal();
  ctx.stdout(
    had === 0 ? 'There were no network cuts to heal.\n' : 'Network healed: every zone reaches every other.\n',
  );
  return 0;
};

export const advance: Program = function* (argv, ctx) {
  const ms = argv.length === 1 ? parseDurationMs(argv[0] as string) : undefined;
  if (ms === undefined) return usage(ctx, 'advance DURATION (e.g. 30s, 5m, 1h30m)');
  const sim = ctx.cluster.sim;
  const until = sim.nowMs + ms;
  ctx.session.fastForward(until);
  yield* suspend<void>((resume) => {
    const timer = sim.schedule(ms, () => resume());
    return () => timer.cancel();
  });
  ctx.stdout(`Advanced ${argv[0]}; the simulated time is now ${rfc3339(sim.nowMs)}.\n`);
  return 0;
};

export const speed: Program = function* (argv, ctx) {
  const text = (argv[0] ?? '').replace(/x$/i, '');
  const factor = Number(text);
  if (
    argv.length !== 1 ||
    text === '' ||
    !Number.isFinite(factor) ||
    factor < MIN_SPEED ||
    factor > MAX_SPEED
  ) {
    return usage(ctx, `speed X (X from ${MIN_SPEED} to ${MAX_SPEED}, e.g. speed 10)`);
  }
  ctx.session.setSpeed(factor);
  ctx.stdout(`Clock speed: ${factor}×.\n`);
  return 0;
};

export const pause: Program = function* (argv, ctx) {
  if (argv.length !== 0) return usage(ctx, 'pause');
  ctx.session.setPaused(true);
  ctx.stdout(`Clock paused at ${rfc3339(ctx.cluster.sim.nowMs)}; commands still run.\n`);
  return 0;
};

export const resume: Program = function* (argv, ctx) {
  if (argv.length !== 0) return usage(ctx, 'resume');
  ctx.session.setPaused(false);
  ctx.stdout(`Clock running at ${ctx.session.speed}×.\n`);
  return 0;
};

export const scenarioCommand: Program = function* (argv, ctx) {
  const [name, ...rest] = argv;
  let seed: number | undefined;
  if (rest.length === 2 && rest[0] === '--seed' && /^\d+$/.test(rest[1] as string)) seed = Number(rest[1]);
  else if (rest.length === 1 && /^--seed=\d+$/.test(rest[0] as string))
    seed = Number((rest[0] as string).slice(7));
  else if (rest.length !== 0) return usage(ctx, 'scenario NAME [--seed N]');
  if (name === undefined) {
    for (const n of SCENARIO_NAMES) ctx.stdout(`${n.padEnd(8)}${scenario(n).description}\n`);
    return 0;
  }
  if (!isScenarioName(name))
    return fail(ctx, `unknown scenario "${name}" (choose one of: ${SCENARIO_NAMES.join(', ')})`);
  ctx.session.resetScenario(name, seed);
  ctx.stdout(`Scenario ${name}: ${scenario(name).description}.\n`);
  return 0;
};

export const LAB_COMMANDS: Readonly<Record<string, Program>> = {
  kill,
  start,
  add,
  ssh,
  trace,
  partition,
  heal,
  advance,
  speed,
  pause,
  resume,
  scenario: scenarioCommand,
};

export const LAB_HELP = `Lab commands:
  kill node NAME | kill zone ZONE     stop a host / every host of a zone
  start node NAME | start zone ZONE   bring it back
  add node NAME [--control-plane] [--zone Z] [--cpu N] [--memory SIZE] [--labels k=v,..] [--taints k=v:Effect,..]
                                      join a new worker (with its kubelet); --control-plane
                                      joins as kubeadm does: etcd member add, then etcd and the
                                      control-plane components start
  ssh NODE crictl ps | ssh NODE crictl pods | ssh NODE crictl logs CONTAINER
                                      what that node's container runtime runs (works with the
                                      control plane down)
  trace scheduling POD [-n NS]        the scheduler's last attempt for POD: each node's filter
                                      verdict, each plugin's score, the total and the winner
  partition ZONE[,ZONE...]            cut these zones off from the rest
  heal                                remove every cut
  advance DURATION                    let simulated time pass (e.g. 30s, 5m)
  speed X | pause | resume            clock control
  scenario [NAME] [--seed N]          list presets, or reset to one
`;
