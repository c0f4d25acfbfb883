import { tabwrite } from '../kubectl/print/tabwriter';
import type { Program, ProgramContext } from '../shell/program';
import type { Cluster } from '../sim/cluster/cluster';
import type { EtcdResult, MembershipChange } from '../sim/etcd/member';
import { suspend, type Task } from '../sim/kernel/task';
import { openContainerLog } from '../sim/kubelet/containerLogs';
import type { PodRuntime, RuntimePod } from '../sim/kubelet/podRuntime';
import type { HostSpec } from '../sim/topology/scenarios';

/**
 * Lab commands that act on machines: `add node` joins a new worker (or, with --control-plane, a
 * control-plane node as `kubeadm join --control-plane` does), `ssh NODE crictl ...` asks a
 * node's container runtime what it runs (answered by the node itself, so it works while the
 * control plane is down).
 */

function fail(ctx: ProgramContext, message: string, code = 1): number {
  ctx.stderr(`error: ${message}\n`);
  return code;
}

const NODE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
type TaintSpec = NonNullable<HostSpec['taints']>[number];

function parseLabels(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const part of text.split(',').filter((p) => p !== '')) {
    const m = /^([A-Za-z0-9./_-]+)=([A-Za-z0-9._-]*)$/.exec(part);
    if (!m) return `invalid label "${part}": expected key=value`;
    out[m[1] as string] = m[2] as string;
  }
  return out;
}

function parseTaints(text: string): TaintSpec[] | string {
  const out: TaintSpec[] = [];
  for (const part of text.split(',').filter((p) => p !== '')) {
    const m = /^([A-Za-z0-9./_-]+)(?:=([A-Za-z0-9._-]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(
      part,
    );
    if (!m) return `invalid taint "${part}": expected key[=value]:NoSchedule|PreferNoSchedule|NoExecute`;
    out.push({
      key: m[1] as string,
      ...(m[2] !== undefined ? { value: m[2] } : {}),
      effect: m[3] as TaintSpec['effect'],
    });
  }
  return out;
}

/** "8Gi", "4096Mi", "16G" → MiB. */
function parseMemoryMi(text: string): number | undefined {
  const m = /^(\d+)(Mi|Gi|M|G)$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'Gi'
    ? n * 1024
    : m[2] === 'G'
      ? Math.floor((n * 1e9) / 1048576)
      : m[2] === 'M'
        ? Math.floor((n * 1e6) / 1048576)
        : n;
}

const ADD_USAGE =
  'add node NAME [--control-plane] [--zone Z] [--cpu N] [--memory SIZE] [--labels k=v,..] [--taints k=v:Effect,..]';

/** How long kubeadm's etcd client waits for MemberAdd before giving up. */
const MEMBER_ADD_TIMEOUT_MS = 5000;

export const add: Program = function* (argv, ctx) {
  const [kind, name, ...rest] = argv;
  if (kind !== 'node' || name === undefined) return fail(ctx, `usage: ${ADD_USAGE}`);
  const { cluster } = ctx;
  if (!NODE_NAME.test(name) || name.length > 63)
    return fail(ctx, `invalid node name "${name}": use lower-case letters, digits and '-'`);
  if (cluster.host(name)) return fail(ctx, `node "${name}" already exists`);
  const controlPlane = rest.includes('--control-plane');
  const flags = rest.filter((a) => a !== '--control-plane');
  const counts = new Map(cluster.spec.zones.map((z) => [z, 0]));
  for (const h of cluster.hosts.values())
    if (h.isControlPlane === controlPlane) counts.set(h.zone, (counts.get(h.zone) ?? 0) + 1);
  // By default the new node goes to the zone with the fewest of its kind, as a cloud autoscaler balances.
  let zone = [...counts].sort((a, b) => a[1] - b[1])[0]?.[0] ?? cluster.spec.zones[0] ?? 'zone-a';
  let cpu = controlPlane ? 2 : 4;
  let memoryMi = controlPlane ? 4096 : 8192;
  let labels: Record<string, string> = {};
  let taints: TaintSpec[] = [];
  for (let i = 0; i < flags.length; i++) {
    const a = flags[i] as string;
    const [flag, inline] =
      a.includes('=') && a.startsWith('--')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = inline ?? flags[++i];
    if (value === undefined) return fail(ctx, `flag needs an argument: ${flag}`);
    switch (flag) {
      case '--zone':
        if (!cluster.spec.zones.includes(value))
          return fail(ctx, `zone "${value}" not found (zones: ${cluster.spec.zones.join(', ')})`);
        zone = value;
        break;
      case '--cpu':
        if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 256)
          return fail(ctx, `invalid --cpu "${value}": a whole number of cores from 1 to 256`);
        cpu = Number(value);
        break;
      case '--memory': {
        const mi = parseMemoryMi(value);
        if (mi === undefined || mi < 512 || mi > 4 * 1024 * 1024)
          return fail(ctx, `invalid --memory "${value}": e.g. 8Gi or 4096Mi`);
        memoryMi = mi;
        break;
      }
      case '--labels': {
        const parsed = parseLabels(value);
        if (typeof parsed === 'string') return fail(ctx, parsed);
        labels = parsed;
        break;
      }
      case '--taints': {
        const parsed = parseTaints(value);
        if (typeof parsed === 'string') return fail(ctx, parsed);
        taints = parsed;
        break;
      }
      default:
        return fail(ctx, `unknown flag: ${flag}\nusage: ${ADD_USAGE}`);
    }
  }
  if (controlPlane) {
    return yield* joinControlPlane(ctx, { name, zone, cpuCores: cpu, memoryMi, labels, taints });
  }
  const host = cluster.addWorker({ name, zone, cpuCores: cpu, memoryMi, labels, taints });
  ctx.stdout(
    `${name} joined ${zone} at ${host.spec.ip} (${cpu} CPU, ${memoryMi}Mi); its kubelet is registering the node.\n`,
  );
  return 0;
};

/**
 * kubeadm join --control-plane, the etcd part: MemberAdd through a member that answers (checked as
 * etcd checks it: quorum of started members, healthy connections), then the new machine starts
 * etcd with an empty data directory; it catches up from the leader and publishes its name.
 */
function* joinControlPlane(
  ctx: ProgramContext,
  spec: { name: string; zone: string; cpuCores: number; memoryMi: number } & Pick<
    HostSpec,
    'labels' | 'taints'
  >,
): Task<number> {
  const { cluster } = ctx;
  const ip = cluster.nextIp(spec.zone);
  const added = yield* etcdMemberAdd(cluster, [`https://${ip}:2380`]);
  if (!added.ok) {
    ctx.stderr(
      `error execution phase control-plane-join/etcd: error creating local etcd static pod manifest file: ${added.error}\n`,
    );
    return 1;
  }
  const { member, members } = added.value;
  cluster.joinControlPlane({ ...spec, ip }, member);
  ctx.stdout(
    `${spec.name} joined ${spec.zone} at ${ip} as a control-plane node: etcd member ${member.hexId} added ` +
      `(${members.length} members); its etcd catches up from the leader, and kube-apiserver, ` +
      `kube-scheduler, kube-controller-manager and kubelet start.\n`,
  );
  return 0;
}

/** MemberAdd on the first member that is up, as kubeadm's etcd client does over the endpoints. */
function* etcdMemberAdd(cluster: Cluster, peerURLs: readonly string[]): Task<EtcdResult<MembershipChange>> {
  const target = cluster.etcdHosts().find((h) => h.up && cluster.etcdMember(h.name));
  if (!target) return { ok: false, error: 'context deadline exceeded' };
  return yield* suspend<EtcdResult<MembershipChange>>((resume) => {
    const timer = cluster.sim.schedule(MEMBER_ADD_TIMEOUT_MS, () =>
      resume({ ok: false, error: 'context deadline exceeded' }),
    );
    cluster.etcdCall<EtcdResult<MembershipChange>>(
      target.name,
      (m, reply) => m.addMember(peerURLs, reply),
      (r) => {
        if (!r.ok) return; // unreachable: the client waits out its deadline
        timer.cancel();
        resume(r.value);
      },
    );
    return () => timer.cancel();
  });
}

/** docker/go-units HumanDuration, which crictl prints as "N minutes ago". */
export function unitsHumanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

/** crictl's table: tabwriter with minwidth 20 and padding 3. */
const CRICTL_TABLE = { minWidth: 20, padding: 3 };

export const ssh: Program = function* (argv, ctx) {
  const [node, tool, sub, ...flags] = argv;
  if (node === undefined || tool !== 'crictl' || (sub !== 'ps' && sub !== 'pods' && sub !== 'logs')) {
    return fail(
      ctx,
      'usage: ssh NODE crictl ps [-a] | ssh NODE crictl pods | ssh NODE crictl logs [--tail N] [-t] CONTAINER',
    );
  }
  const host = ctx.cluster.host(node);
  if (!host) {
    ctx.stderr(`ssh: Could not resolve hostname ${node}: Name or service not known\n`);
    return 255;
  }
  if (!host.up) {
    ctx.stderr(`ssh: connect to host ${node} port 22: No route to host\n`);
    return 255;
  }
  const runtime = ctx.cluster.kubelet(node)?.pods;
  const now = ctx.cluster.sim.nowMs;
  if (sub === 'logs') return crictlLogs(ctx, runtime, host.spec.cpuCores, flags);
  const ago = (ms: number): string => `${unitsHumanDuration(now - ms)} ago`;
  if (sub === 'ps') {
    const all = flags.includes('-a') || flags.includes('--all');
    const unknown = flags.find((f) => f !== '-a' && f !== '--all');
    if (unknown) return fail(ctx, `flag provided but not defined: ${unknown}`);
    const rows = (runtime?.containers(all) ?? []).map((c) =>
      [
        c.id.slice(0, 13),
        c.image.slice(0, 13),
        ago(c.createdMs),
        c.state,
        c.name,
        c.attempt,
        c.podId.slice(0, 13),
        c.podName,
        c.namespace,
      ].join('\t'),
    );
    ctx.stdout(
      tabwrite(
        `${['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD', 'NAMESPACE'].join('\t')}\n${rows.map((r) => `${r}\n`).join('')}`,
        CRICTL_TABLE,
      ),
    );
    return 0;
  }
  if (flags.length > 0) return fail(ctx, `flag provided but not defined: ${flags[0]}`);
  const rows = (runtime?.sandboxes() ?? []).map((p) =>
    [p.id.slice(0, 13), ago(p.createdMs), p.state, p.name, p.namespace, p.attempt, '(default)'].join('\t'),
  );
  ctx.stdout(
    tabwrite(
      `${['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME'].join('\t')}\n${rows.map((r) => `${r}\n`).join('')}`,
      CRICTL_TABLE,
    ),
  );
  return 0;
};

/**
 * `crictl logs [--tail N] [-t|--timestamps] [-p|--previous] CONTAINER`: the container's log as the
 * node's runtime has it (the same lines `kubectl logs` gets through the API server), found by a
 * prefix of its id as `crictl ps` shows it.
 */
function crictlLogs(
  ctx: ProgramContext,
  runtime: PodRuntime | undefined,
  nodeCpus: number,
  argv: readonly string[],
): number {
  let tailLines: number | undefined;
  let timestamps = false;
  let previous = false;
  let id: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-t' || a === '--timestamps') timestamps = true;
    else if (a === '-p' || a === '--previous') previous = true;
    else if (a === '--tail' || a.startsWith('--tail=')) {
      const v = a.includes('=') ? a.slice('--tail='.length) : argv[++i];
      if (v === undefined || !/^-?\d+$/.test(v))
        return crictlFatal(ctx, `invalid value "${v ?? ''}" for flag -tail: parse error`);
      tailLines = Number(v) < 0 ? undefined : Number(v);
    } else if (a.startsWith('-')) return fail(ctx, `flag provided but not defined: ${a}`);
    else id = a;
  }
  if (!id) return crictlFatal(ctx, 'ID cannot be empty');
  let found: RuntimePod | undefined;
  let container: string | undefined;
  for (const p of runtime?.runtimePods() ?? []) {
    const match = (c: { readonly id: string }): boolean => c.id !== '' && c.id.startsWith(id);
    const c = p.containers.find(match) ?? p.inits.find(match);
    if (c) {
      found = p;
      container = c.name;
      break;
    }
  }
  if (!found || !container)
    return crictlFatal(
      ctx,
      `rpc error: code = NotFound desc = an error occurred when try to find container "${id}": not found`,
    );
  const opened = openContainerLog({
    runtime: runtime!,
    nodeCpus,
    seed: ctx.cluster.sim.rng.seed,
    nowMs: ctx.cluster.sim.nowMs,
    namespace: found.pod.metadata.namespace ?? 'default',
    pod: found.pod.metadata.name,
    container,
    opts: {
      ...(timestamps ? { timestamps } : {}),
      ...(previous ? { previous } : {}),
      ...(tailLines !== undefined ? { tailLines } : {}),
    },
  });
  if (!opened.ok) return crictlFatal(ctx, opened.message);
  ctx.stdout(opened.stream.read(ctx.cluster.sim.nowMs));
  return 0;
}

/** logrus's fatal line, as crictl ends on an error. */
function crictlFatal(ctx: ProgramContext, message: string): number {
  ctx.stderr(`FATA[0000] ${message}\n`);
  return 1;
}
