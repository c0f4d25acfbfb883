import { type FlagSpec, flagBool, flagInt, flagString, parseFlags } from '../kubectl/flags';
import type { Program, ProgramContext } from '../shell/program';
import { goDuration } from '../sim/api/duration';
import type { Cluster } from '../sim/cluster/cluster';
import type { EtcdMember, EtcdResult, MemberRecord, MembershipChange } from '../sim/etcd/member';
import type { KeyValue, RangeAtResult, RangeResult, TxnResponse, WatchEvent } from '../sim/etcd/mvcc/store';
import { suspend, type Task } from '../sim/kernel/task';
import { EPOCH_UNIX_MS } from '../sim/kernel/time';
import { memberHexId } from '../sim/snapshot';
import { asciiTable, humanizeBytes } from './asciiTable';
import { base64, storedBytes, terminalText } from './protobuf';

/**
 * etcdctl (v3.5 API) against the simulated members. As on a kubeadm control plane, the endpoints
 * are every member's client URL (as if ETCDCTL_ENDPOINTS were set); --endpoints narrows them.
 * Values under /registry print as the protobuf bytes kube-apiserver writes (see protobuf.ts).
 */
export const ETCD_VERSION = '3.5.16';
/** etcdctl's --command-timeout default. */
export const COMMAND_TIMEOUT_MS = 5000;
const DEADLINE = 'context deadline exceeded';

const GLOBAL_FLAGS: FlagSpec[] = [
  {
    name: 'write-out',
    short: 'w',
    type: 'string',
    usage: 'set the output format (fields, json, protobuf, simple, table)',
  },
  { name: 'endpoints', type: 'string', usage: 'gRPC endpoints' },
  { name: 'command-timeout', type: 'string', usage: 'timeout for short running command' },
  {
    name: 'cacert',
    type: 'string',
    usage: 'verify certificates of TLS-enabled secure servers using this CA bundle',
  },
  { name: 'cert', type: 'string', usage: 'identify secure client using this TLS certificate file' },
  { name: 'key', type: 'string', usage: 'identify secure client using this TLS key file' },
  { name: 'cluster', type: 'bool', usage: 'use all endpoints from the cluster member list' },
  { name: 'prefix', type: 'bool', usage: 'Get keys with matching prefix' },
  { name: 'keys-only', type: 'bool', usage: 'Get only the keys' },
  {
    name: 'print-value-only',
    type: 'bool',
    usage: 'Only write values when using the "simple" output format',
  },
  { name: 'limit', type: 'int', usage: 'Maximum number of results' },
  { name: 'rev', type: 'int', usage: 'Specify the kv revision' },
  { name: 'prev-kv', type: 'bool', usage: 'get the previous key-value pair before the event happens' },
  { name: 'peer-urls', type: 'string', usage: 'comma separated peer URLs for the new member.' },
  { name: 'learner', type: 'bool', usage: 'indicates if the new member is raft learner' },
  { name: 'dial-timeout', type: 'string', usage: 'dial timeout for client connections' },
  { name: 'hex', type: 'bool', usage: 'print byte strings as hex encoded strings' },
  { name: 'consistency', type: 'string', usage: 'Linearizable(l) or Serializable(s)' },
  { name: 'lease', type: 'string', usage: 'lease ID (in hexadecimal) to attach to the key' },
  { name: 'keys', type: 'bool', usage: 'Get keys attached to this lease' },
  {
    name: 'once',
    type: 'bool',
    usage: 'Resets the keep-alive time to its original value and exits immediately',
  },
  { name: 'help', short: 'h', type: 'bool', usage: 'help' },
];

interface Endpoint {
  readonly host: string;
  readonly url: string;
}

interface Invocation {
  readonly ctx: ProgramContext;
  readonly endpoints: readonly Endpoint[];
  readonly args: readonly string[];
  readonly format: string;
  readonly values: ReturnType<typeof parseFlags> & { ok: true };
}

/** The cluster ID etcdctl prints (fixed for the simulated cluster). */
const CLUSTER_ID_HEX = '9a3bd1f3c0cb2b2e';

export const etcdctl: Program = function* (argv, ctx) {
  const parsed = parseFlags(argv, GLOBAL_FLAGS);
  if (!parsed.ok) return fail(ctx, parsed.error);
  const p = parsed.parsed;
  const format = flagString(p, 'write-out') ?? 'simple';
  if (!['simple', 'table', 'json', 'fields', 'protobuf'].includes(format))
    return fail(ctx, `unsupported output format ${format}`);
  const [command, ...args] = p.args;
  if (command === undefined || flagBool(p, 'help')) {
    ctx.stdout(HELP);
    return 0;
  }
  const eps = selectEndpoints(ctx.cluster, flagString(p, 'endpoints'));
  const inv: Invocation = { ctx, endpoints: eps, args: args.slice(1), format, values: parsed };
  const needsSub = (group: string, subs: string): number =>
    fail(
      ctx,
      args[0]
        ? `unknown command "${args[0]}" for "etcdctl ${group}"`
        : `${group} needs a subcommand: ${subs}`,
    );
  switch (command) {
    case 'member':
      if (args[0] === 'list') return yield* memberList(inv);
      if (args[0] === 'add') return yield* memberAdd(inv);
      if (args[0] === 'remove') return yield* memberRemove(inv);
      return needsSub('member', 'list, add, remove');
    case 'endpoint':
      if (args[0] === 'status') return yield* endpointStatus(inv);
      if (args[0] === 'health') return yield* endpointHealth(inv);
      return needsSub('endpoint', 'status, health');
    case 'alarm':
      if (args[0] === 'list' || args[0] === 'disarm') return yield* alarm(inv);
      return needsSub('alarm', 'list, disarm');
    case 'get':
      return yield* get({ ...inv, args });
    case 'put':
      return yield* put({ ...inv, args });
    case 'del':
      return yield* del({ ...inv, args });
    case 'watch':
      return yield* watch({ ...inv, args });
    case 'compaction':
      return yield* compaction({ ...inv, args });
    case 'lease':
      if (args[0] === 'grant') return yield* leaseGrant(inv);
      if (args[0] === 'revoke') return yield* leaseRevoke(inv);
      if (args[0] === 'timetolive') return yield* leaseTimeToLive(inv);
      if (args[0] === 'list') return yield* leaseList(inv);
      if (args[0] === 'keep-alive') return yield* leaseKeepAlive(inv);
      return needsSub('lease', 'grant, revoke, timetolive, list, keep-alive');
    case 'version':
      ctx.stdout(`etcdctl version: ${ETCD_VERSION}\nAPI version: 3.5\n`);
      return 0;
    default:
      ctx.stderr(`Error: unknown command "${command}" for "etcdctl"\nRun 'etcdctl --help' for usage.\n`);
      return 1;
  }
};

function fail(ctx: ProgramContext, message: string): number {
  ctx.stderr(`Error: ${message}\n`);
  return 1;
}

/** Every member's client URL, as kubeadm's etcd endpoints: removed members drop out. */
function allEndpoints(cluster: Cluster): Endpoint[] {
  return cluster.etcdHosts().map((h) => ({ host: h.name, url: `https://${h.spec.ip}:2379` }));
}

/**
 * `--endpoints=https://10.0.0.2:2379,10.0.0.3:2379`: the members listening there; an address no
 * member listens on is kept and simply never answers (the client waits out its deadline).
 */
function selectEndpoints(cluster: Cluster, flag: string | undefined): Endpoint[] {
  const all = allEndpoints(cluster);
  if (flag === undefined || flag.trim() === '') return all;
  return flag
    .split(',')
    .filter((u) => u.trim() !== '')
    .map((raw) => {
      const u = raw.trim();
      const hostPort = u.replace(/^[a-z]+:\/\//, '');
      const found = all.find((e) => e.url.replace('https://', '') === hostPort);
      return found ?? { host: '', url: u.includes('://') ? u : `http://${u}` };
    });
}

/** One call to one member, bounded by the command timeout: unreachable members surface as the deadline. */
function* call<T>(
  cluster: Cluster,
  host: string,
  op: (member: EtcdMember, reply: (v: EtcdResult<T>) => void) => void,
): Task<EtcdResult<T>> {
  return yield* suspend<EtcdResult<T>>((resume) => {
    const timer = cluster.sim.schedule(COMMAND_TIMEOUT_MS, () => resume({ ok: false, error: DEADLINE }));
    cluster.etcdCall<EtcdResult<T>>(host, op, (r) => {
      if (r.ok) {
        timer.cancel();
        resume(r.value);
      }
      // Unreachable: gRPC keeps retrying until the deadline.
    });
    return () => timer.cancel();
  });
}

/** The first endpoint that answers, as clientv3's balancer would find it; `host` is who answered. */
function* anyMember<T>(
  inv: Invocation,
  op: (member: EtcdMember, reply: (v: EtcdResult<T>) => void) => void,
): Task<EtcdResult<T> & { host?: string }> {
  const { cluster } = inv.ctx;
  const reachable = inv.endpoints.find((e) => cluster.host(e.host)?.up) ?? inv.endpoints[0];
  if (!reachable) return { ok: false, error: DEADLINE };
  const r = yield* call(cluster, reachable.host, op);
  return { ...r, host: reachable.host };
}

/**
 * The warning clientv3 logs when a request fails, then etcdctl's own error line (the error, or
 * what the command wraps it in).
 */
function clientFailure(inv: Invocation, error: string, message = error): number {
  const { ctx } = inv;
  const ts = new Date(EPOCH_UNIX_MS + ctx.cluster.sim.nowMs).toISOString();
  const first = inv.endpoints[0]?.url.replace(/^[a-z]+:\/\//, '') ?? '127.0.0.1:2379';
  const grpc =
    error === DEADLINE
      ? 'rpc error: code = DeadlineExceeded desc = context deadline exceeded'
      : `rpc error: code = ${grpcCode(error)} desc = ${error}`;
  ctx.stderr(
    `{"level":"warn","ts":"${ts}","logger":"etcd-client","caller":"v3@v${ETCD_VERSION}/retry_interceptor.go:62","msg":"retrying of unary invoker failed","target":"etcd-endpoints://0xc000454000/${first}","attempt":0,"error":"${grpc.replace(/"/g, '\\"')}"}\n`,
  );
  return fail(ctx, message);
}

function grpcCode(error: string): string {
  if (error.includes('compacted') || error.includes('future revision') || error.includes('too large lease'))
    return 'OutOfRange';
  if (error.includes('member not found') || error.includes('lease not found')) return 'NotFound';
  if (error.includes('lease already exists')) return 'FailedPrecondition';
  if (error.includes('timed out') || error.includes('unhealthy cluster')) return 'Unavailable';
  if (error.includes('member URLs are invalid')) return 'InvalidArgument';
  if (
    error.includes('Peer URLs already exists') ||
    error.includes('member ID already exist') ||
    error.includes('not enough started members')
  )
    return 'FailedPrecondition';
  return 'Unknown';
}

const decimalId = (hex: string): string => BigInt(`0x${hex}`).toString();

/** The response header etcd puts on every answer (cluster, answering member, revision, term). */
function header(inv: Invocation, host: string | undefined, revision?: number): string {
  const { cluster } = inv.ctx;
  const member = host ? cluster.etcdMember(host) : undefined;
  const memberId = host ? decimalId(memberHexId(cluster, host)) : '0';
  const rev = revision !== undefined ? `,"revision":${revision}` : '';
  return `{"cluster_id":${decimalId(CLUSTER_ID_HEX)},"member_id":${memberId}${rev},"raft_term":${member?.raft.term ?? leaderTerm(cluster)}}`;
}

/** makeMemberListTable: a member without a name has not started yet. */
function memberRows(members: readonly MemberRecord[]): string[][] {
  return members.map((m) => [
    m.hexId,
    m.name === '' ? 'unstarted' : 'started',
    m.name,
    m.peerURLs.join(','),
    m.clientURLs.join(','),
    'false',
  ]);
}

/** A pb.Member as etcdctl -w json prints it (empty fields are omitted). */
function memberJson(m: MemberRecord): string {
  const list = (urls: readonly string[]) => urls.map((u) => JSON.stringify(u)).join(',');
  return `{"ID":${decimalId(m.hexId)}${m.name ? `,"name":${JSON.stringify(m.name)}` : ''}${m.peerURLs.length ? `,"peerURLs":[${list(m.peerURLs)}]` : ''}${m.clientURLs.length ? `,"clientURLs":[${list(m.clientURLs)}]` : ''}}`;
}

/** Go's %16x: hex without leading zeros, right-aligned in 16 columns. */
const hex16 = (hex: string): string => hex.replace(/^0+(?=.)/, '').padStart(16, ' ');

function* memberList(inv: Invocation): Task<number> {
  const r = yield* anyMember<MemberRecord[]>(inv, (m, reply) => reply({ ok: true, value: m.members() }));
  if (!r.ok) return clientFailure(inv, r.error);
  const rows = memberRows(r.value);
  if (inv.format === 'table') {
    inv.ctx.stdout(asciiTable(['ID', 'Status', 'Name', 'Peer Addrs', 'Client Addrs', 'Is Learner'], rows));
  } else if (inv.format === 'json') {
    const members = r.value.map(memberJson);
    inv.ctx.stdout(`{"header":${header(inv, r.host)},"members":[${members.join(',')}]}\n`);
  } else {
    for (const row of rows) inv.ctx.stdout(`${row.join(', ')}\n`);
  }
  return 0;
}

/** etcdctl parses member IDs as hex (strconv.ParseUint(arg, 16, 64)). */
function parseMemberId(ctx: ProgramContext, arg: string | undefined): string | number {
  if (arg === undefined) return fail(ctx, 'member ID is not provided');
  if (!/^[0-9a-fA-F]{1,16}$/.test(arg))
    return fail(
      ctx,
      `bad member ID arg (strconv.ParseUint: parsing ${JSON.stringify(arg)}: ${/^[0-9a-fA-F]+$/.test(arg) ? 'value out of range' : 'invalid syntax'}), expecting ID in Hex`,
    );
  return arg.toLowerCase().padStart(16, '0');
}

/**
 * `member remove ID`: a ConfChangeRemoveNode through Raft. The removed member stops once it
 * applies it (or hears from a peer that it is gone); an unknown ID fails when applied.
 */
function* memberRemove(inv: Invocation): Task<number> {
  const { ctx } = inv;
  if (inv.args.length !== 1) return fail(ctx, 'member ID is not provided');
  const id = parseMemberId(ctx, inv.args[0]);
  if (typeof id === 'number') return id;
  const r = yield* anyMember<MembershipChange>(inv, (m, reply) => m.removeMember(id, reply));
  if (!r.ok) return clientFailure(inv, r.error);
  if (inv.format === 'json') {
    ctx.stdout(
      `{"header":${header(inv, r.host)},"members":[${r.value.members.map(memberJson).join(',')}]}\n`,
    );
  } else {
    ctx.stdout(`Member ${hex16(id)} removed from cluster ${hex16(CLUSTER_ID_HEX)}\n`);
  }
  return 0;
}

/**
 * `member add NAME --peer-urls=URL`: a ConfChangeAddNode through Raft; the new member is listed
 * unstarted until an etcd with that peer URL starts (see `add node NAME --control-plane`). Then
 * the environment the new etcd needs, as etcdctl prints it for the operator to copy.
 */
function* memberAdd(inv: Invocation): Task<number> {
  const { ctx } = inv;
  const name = inv.args[0];
  if (inv.args.length !== 1 || name === undefined) return fail(ctx, 'member name not provided');
  const peerUrls = flagString(inv.values.parsed, 'peer-urls');
  if (!peerUrls) return fail(ctx, 'member peer urls not provided');
  if (flagBool(inv.values.parsed, 'learner'))
    return fail(ctx, 'cplab: raft learners are not simulated; add a voting member (without --learner)');
  const urls = peerUrls.split(',');
  const r = yield* anyMember<MembershipChange>(inv, (m, reply) => m.addMember(urls, reply));
  if (!r.ok) return clientFailure(inv, r.error);
  const { member, members } = r.value;
  if (inv.format === 'json') {
    ctx.stdout(
      `{"header":${header(inv, r.host)},"member":${memberJson(member)},"members":[${members.map(memberJson).join(',')}]}\n`,
    );
    return 0;
  }
  ctx.stdout(`Member ${hex16(member.hexId)} added to cluster ${hex16(CLUSTER_ID_HEX)}\n`);
  if (inv.format !== 'simple') return 0;
  const initialCluster = members.flatMap((m) =>
    m.peerURLs.map((u) => `${m.id === member.id ? name : m.name}=${u}`),
  );
  ctx.stdout(
    `\nETCD_NAME=${JSON.stringify(name)}\nETCD_INITIAL_CLUSTER=${JSON.stringify(initialCluster.join(','))}\n` +
      `ETCD_INITIAL_ADVERTISE_PEER_URLS=${JSON.stringify(peerUrls)}\nETCD_INITIAL_CLUSTER_STATE="existing"\n`,
  );
  return 0;
}

function* alarm(inv: Invocation): Task<number> {
  // No member ever runs out of space or finds corruption here: no alarms to list or disarm.
  const r = yield* anyMember<null>(inv, (_m, reply) => reply({ ok: true, value: null }));
  if (!r.ok) return clientFailure(inv, r.error);
  if (inv.format === 'json') inv.ctx.stdout(`{"header":${header(inv, r.host)}}\n`);
  return 0;
}

function leaderTerm(cluster: Cluster): number {
  return Math.max(0, ...cluster.etcdHosts().map((h) => cluster.etcdMember(h.name)?.raft.term ?? 0));
}

interface Status {
  readonly id: string;
  readonly leader: string;
  readonly dbSize: number;
  readonly term: number;
  readonly index: number;
  readonly applied: number;
  readonly revision: number;
}

function* endpointStatus(inv: Invocation): Task<number> {
  const { ctx } = inv;
  const { cluster } = ctx;
  const rows: string[][] = [];
  const json: string[] = [];
  let failed = false;
  for (const ep of inv.endpoints) {
    const r = yield* call<Status>(cluster, ep.host, (m, reply) => {
      const leaderHost = cluster.hostOfMember(m.raft.lead);
      reply({
        ok: true,
        value: {
          id: memberHexId(cluster, ep.host),
          leader: leaderHost ? memberHexId(cluster, leaderHost.name) : '0',
          dbSize: m.store.approximateSizeBytes(),
          term: m.raft.term,
          index: m.raft.commitIndex,
          applied: m.disk.appliedIndex,
          revision: m.store.revision,
        },
      });
    });
    if (!r.ok) {
      failed = true;
      ctx.stderr(`Failed to get the status of endpoint ${ep.url} (${r.error})\n`);
      continue;
    }
    const s = r.value;
    rows.push([
      ep.url,
      s.id,
      ETCD_VERSION,
      humanizeBytes(s.dbSize),
      String(s.leader === s.id),
      'false',
      String(s.term),
      String(s.index),
      String(s.applied),
      '',
    ]);
    json.push(
      `{"Endpoint":"${ep.url}","Status":{"header":{"cluster_id":${decimalId(CLUSTER_ID_HEX)},"member_id":${decimalId(s.id)},"revision":${s.revision},"raft_term":${s.term}},"version":"${ETCD_VERSION}","dbSize":${s.dbSize},"leader":${decimalId(s.leader)},"raftIndex":${s.index},"raftTerm":${s.term},"raftAppliedIndex":${s.applied},"dbSizeInUse":${s.dbSize}}}`,
    );
  }
  if (inv.format === 'table') {
    ctx.stdout(
      asciiTable(
        [
          'Endpoint',
          'ID',
          'Version',
          'DB Size',
          'Is Leader',
          'Is Learner',
          'Raft Term',
          'Raft Index',
          'Raft Applied Index',
          'Errors',
        ],
        rows,
      ),
    );
  } else if (inv.format === 'json') {
    ctx.stdout(`[${json.join(',')}]\n`);
  } else {
    for (const r of rows) ctx.stdout(`${r.slice(0, 9).join(', ')}, \n`);
  }
  return failed ? 1 : 0;
}

function* endpointHealth(inv: Invocation): Task<number> {
  const { ctx } = inv;
  const { cluster } = ctx;
  const eps = inv.endpoints;
  // Every endpoint is checked at once; results print in the order they come back.
  const results: { ep: Endpoint; ok: boolean; took: number; error: string }[] = [];
  const startedMs = cluster.sim.nowMs;
  yield* suspend<void>((resume) => {
    for (const ep of eps) {
      const timer = cluster.sim.schedule(COMMAND_TIMEOUT_MS, () => record(ep, false, DEADLINE));
      const record = (e: Endpoint, ok: boolean, error: string): void => {
        if (results.some((x) => x.ep === e)) return;
        timer.cancel();
        results.push({ ep: e, ok, took: cluster.sim.nowMs - startedMs, error });
        if (results.length === eps.length) resume();
      };
      cluster.etcdCall<EtcdResult<RangeResult>>(
        ep.host,
        (m, reply) => m.rangeLinearizable('health', false, reply),
        (r) => {
          if (r.ok && r.value.ok) record(ep, true, '');
          else if (r.ok && !r.value.ok) record(ep, false, r.value.error);
        },
      );
    }
    return undefined;
  });
  if (inv.format === 'table') {
    const rows = results.map((r) => [r.ep.url, String(r.ok), goDuration(r.took * 1e6), r.error]);
    ctx.stdout(asciiTable(['Endpoint', 'Health', 'Took', 'Error'], rows));
  } else if (inv.format === 'json') {
    const items = results.map(
      (r) =>
        `{"endpoint":"${r.ep.url}","health":${r.ok},"took":"${goDuration(r.took * 1e6)}"${r.ok ? '' : `,"error":${JSON.stringify(r.error)}`}}`,
    );
    ctx.stdout(`[${items.join(',')}]\n`);
  } else {
    for (const r of results) {
      if (r.ok)
        ctx.stdout(
          `${r.ep.url} is healthy: successfully committed proposal: took = ${goDuration(r.took * 1e6)}\n`,
        );
      else ctx.stderr(`${r.ep.url} is unhealthy: failed to commit proposal: ${r.error}\n`);
    }
  }
  if (results.every((r) => r.ok)) return 0;
  return fail(ctx, 'unhealthy cluster');
}

/** printKV: the key, then the value as raw bytes (binary protobuf shows as a terminal shows it). */
function printKv(inv: Invocation, kv: KeyValue): void {
  const keysOnly = flagBool(inv.values.parsed, 'keys-only');
  const valueOnly = flagBool(inv.values.parsed, 'print-value-only');
  if (!valueOnly) inv.ctx.stdout(`${kv.key}\n`);
  // Without values the server sends empty ones, and printKV still prints the (empty) value line.
  inv.ctx.stdout(`${keysOnly || kv.version === 0 ? '' : terminalText(storedBytes(kv.value))}\n`);
}

function* get(inv: Invocation): Task<number> {
  const [key, ...rest] = inv.args;
  if (key === undefined || rest.length > 0)
    return fail(inv.ctx, 'get command needs one argument as key and an optional argument as range_end');
  if (inv.format === 'table') return fail(inv.ctx, 'table is not supported as output format');
  const p = inv.values.parsed;
  const prefix = flagBool(p, 'prefix');
  const serializable = flagString(p, 'consistency') === 's';
  const rev = flagInt(p, 'rev') ?? 0;
  const limit = flagInt(p, 'limit') ?? 0;
  if (limit < 0) return fail(inv.ctx, 'etcdserver: limit must not be negative');
  const r = yield* anyMember<RangeAtResult>(inv, (m, reply) => {
    if (serializable) reply({ ok: true, value: m.store.rangeAt(key, prefix, rev, limit) });
    // Read at the linearizable point: the member's store as it applies the read entry.
    else
      m.rangeLinearizable(key, prefix, (res) =>
        reply(res.ok ? { ok: true, value: m.store.rangeAt(key, prefix, rev, limit) } : res),
      );
  });
  if (!r.ok) return clientFailure(inv, r.error);
  if (!r.value.ok) return clientFailure(inv, r.value.error);
  const range = r.value.value;
  if (inv.format === 'json') {
    const keysOnly = flagBool(p, 'keys-only');
    const kvs = range.kvs.map((kv) => jsonKv(kv, keysOnly));
    const more = range.count > range.kvs.length ? ',"more":true' : '';
    const count = range.count > 0 ? `,"count":${range.count}` : '';
    inv.ctx.stdout(
      `{"header":${header(inv, r.host, range.revision)}${kvs.length > 0 ? `,"kvs":[${kvs.join(',')}]` : ''}${more}${count}}\n`,
    );
  } else for (const kv of range.kvs) printKv(inv, kv);
  return 0;
}

function jsonKv(kv: KeyValue, keysOnly: boolean): string {
  const key = base64(new TextEncoder().encode(kv.key));
  const value = keysOnly ? '' : `,"value":"${base64(storedBytes(kv.value))}"`;
  const lease = kv.lease === undefined ? '' : `,"lease":${decimalId(kv.lease)}`;
  return `{"key":"${key}","create_revision":${kv.createRevision},"mod_revision":${kv.modRevision},"version":${kv.version}${value}${lease}}`;
}

function* put(inv: Invocation): Task<number> {
  const [key, value, ...rest] = inv.args;
  const stdinValue = value ?? (inv.ctx.stdin !== '' ? inv.ctx.stdin.replace(/\n$/, '') : undefined);
  if (key === undefined || stdinValue === undefined || rest.length > 0) {
    return fail(inv.ctx, 'put command needs 1 argument and input from stdin or 2 arguments');
  }
  const leaseArg = flagString(inv.values.parsed, 'lease') ?? '0';
  const lease = parseLeaseId(leaseArg);
  if (!lease.ok) return fail(inv.ctx, `bad lease ID (${lease.error}), expecting ID in Hex`);
  // Lease 0 is etcd's NoLease: the key is attached to none.
  const attach = lease.id === '0000000000000000' ? undefined : lease.id;
  const r = yield* writeTxn(inv, [{ type: 'put', key, value: stdinValue, lease: attach }]);
  if (!r.ok) return clientFailure(inv, r.error);
  if (inv.format === 'json') inv.ctx.stdout(`{"header":${header(inv, r.host, r.value.revision)}}\n`);
  else inv.ctx.stdout('OK\n');
  return 0;
}

function* del(inv: Invocation): Task<number> {
  const [key, ...rest] = inv.args;
  if (key === undefined || rest.length > 0)
    return fail(inv.ctx, 'del command needs one argument as key and an optional argument as range_end');
  const prefix = flagBool(inv.values.parsed, 'prefix');
  const r = yield* writeTxn(inv, [{ type: 'delete', key, prefix }]);
  if (!r.ok) return clientFailure(inv, r.error);
  const deleted = r.value.results[0]?.kvs.length ?? 0;
  if (inv.format === 'json')
    inv.ctx.stdout(
      `{"header":${header(inv, r.host, r.value.revision)}${deleted > 0 ? `,"deleted":${deleted}` : ''}}\n`,
    );
  else inv.ctx.stdout(`${deleted}\n`);
  return 0;
}

function writeTxn(
  inv: Invocation,
  ops: Parameters<EtcdMember['txn']>[0]['success'],
): Task<EtcdResult<TxnResponse> & { host?: string }> {
  return anyMember<TxnResponse>(inv, (m, reply) => m.txn({ compare: [], success: ops, failure: [] }, reply));
}

/** strconv.ParseInt(arg, 16, 64), as etcdctl reads a lease id; printed back as 16 hex digits. */
function parseLeaseId(arg: string): { ok: true; id: string } | { ok: false; error: string } {
  const quoted = JSON.stringify(arg);
  const m = /^([+-]?)([0-9a-fA-F]+)$/.exec(arg);
  if (!m) return { ok: false, error: `strconv.ParseInt: parsing ${quoted}: invalid syntax` };
  const n = BigInt(`0x${m[2]}`) * (m[1] === '-' ? -1n : 1n);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n))
    return { ok: false, error: `strconv.ParseInt: parsing ${quoted}: value out of range` };
  return { ok: true, id: BigInt.asUintN(64, n).toString(16).padStart(16, '0') };
}

/** The lease id argument of `lease revoke|timetolive|keep-alive`, or etcdctl's usage error. */
function leaseArg(inv: Invocation, command: string): string | number {
  const [arg, ...rest] = inv.args;
  if (arg === undefined || rest.length > 0)
    return fail(
      inv.ctx,
      command === 'revoke'
        ? 'lease revoke command needs 1 argument'
        : `lease ${command} command needs lease ID as argument`,
    );
  const id = parseLeaseId(arg);
  if (!id.ok) return fail(inv.ctx, `bad lease ID arg (${id.error}), expecting ID in Hex`);
  return id.id;
}

function* leaseGrant(inv: Invocation): Task<number> {
  const [arg, ...rest] = inv.args;
  if (arg === undefined || rest.length > 0) return fail(inv.ctx, 'lease grant command needs TTL argument');
  if (!/^[+-]?\d+$/.test(arg))
    return fail(inv.ctx, `bad TTL (strconv.ParseInt: parsing ${JSON.stringify(arg)}: invalid syntax)`);
  const r = yield* anyMember<{ id: string; ttl: number }>(inv, (m, reply) =>
    m.leaseGrant(Number(arg), reply),
  );
  if (!r.ok) return clientFailure(inv, r.error, `failed to grant lease (${r.error})`);
  inv.ctx.stdout(`lease ${r.value.id} granted with TTL(${r.value.ttl}s)\n`);
  return 0;
}

function* leaseRevoke(inv: Invocation): Task<number> {
  const id = leaseArg(inv, 'revoke');
  if (typeof id === 'number') return id;
  const r = yield* anyMember<{ revision: number }>(inv, (m, reply) => m.leaseRevoke(id, reply));
  if (!r.ok) return clientFailure(inv, r.error, `failed to revoke lease (${r.error})`);
  inv.ctx.stdout(`lease ${id} revoked\n`);
  return 0;
}

function* leaseTimeToLive(inv: Invocation): Task<number> {
  const id = leaseArg(inv, 'timetolive');
  if (typeof id === 'number') return id;
  const withKeys = flagBool(inv.values.parsed, 'keys');
  type Ttl = { granted: number; remaining: number; keys: string[] };
  const r = yield* anyMember<Ttl>(inv, (m, reply) => m.leaseTimeToLive(id, reply));
  if (!r.ok) return clientFailure(inv, r.error);
  const { granted, remaining, keys } = r.value;
  if (inv.format === 'json') {
    const encoded = keys.map((k) => `"${base64(new TextEncoder().encode(k))}"`);
    const keyList = withKeys && encoded.length > 0 ? `[${encoded.join(',')}]` : 'null';
    const head = header(inv, r.host, inv.ctx.cluster.etcdMember(r.host ?? '')?.store.revision).slice(1, -1);
    inv.ctx.stdout(
      `{${head},"id":${decimalId(id)},"ttl":${remaining},"granted-ttl":${granted},"keys":${keyList}}\n`,
    );
  } else if (granted === 0 && remaining === -1) inv.ctx.stdout(`lease ${id} already expired\n`);
  else {
    const attached = withKeys ? `, attached keys([${keys.join(' ')}])` : '';
    inv.ctx.stdout(`lease ${id} granted with TTL(${granted}s), remaining(${remaining}s)${attached}\n`);
  }
  return 0;
}

function* leaseList(inv: Invocation): Task<number> {
  if (inv.args.length > 0) return fail(inv.ctx, 'lease list command needs no arguments');
  const r = yield* anyMember<string[]>(inv, (m, reply) => reply({ ok: true, value: m.leaseList() }));
  if (!r.ok) return clientFailure(inv, r.error);
  inv.ctx.stdout(`found ${r.value.length} leases\n${r.value.map((id) => `${id}\n`).join('')}`);
  return 0;
}

/**
 * `lease keep-alive ID`: renews the lease every third of its TTL, as clientv3's keep-alive loop
 * does, printing each answer, until Ctrl-C or the lease is gone; `--once` renews it once.
 */
function* leaseKeepAlive(inv: Invocation): Task<number> {
  const id = leaseArg(inv, 'keep-alive');
  if (typeof id === 'number') return id;
  const { ctx } = inv;
  for (;;) {
    const r = yield* anyMember<{ ttl: number }>(inv, (m, reply) => m.leaseKeepAlive(id, reply));
    if (flagBool(inv.values.parsed, 'once')) {
      if (!r.ok) return clientFailure(inv, r.error);
      ctx.stdout(`lease ${id} keepalived with TTL(${r.value.ttl})\n`);
      return 0;
    }
    if (!r.ok && r.error.includes('lease not found')) {
      ctx.stdout(`lease ${id} expired or revoked.\n`);
      return 0;
    }
    // A failed attempt (no leader, a timeout) is retried after a second, as the client's loop does.
    const waitMs = r.ok ? Math.max(1, Math.floor(r.value.ttl / 3)) * 1000 : 1000;
    if (r.ok) ctx.stdout(`lease ${id} keepalived with TTL(${r.value.ttl})\n`);
    yield* suspend<void>((resume) => {
      const timer = ctx.cluster.sim.schedule(waitMs, () => resume());
      return () => timer.cancel();
    });
  }
}

function* compaction(inv: Invocation): Task<number> {
  const [arg, ...rest] = inv.args;
  if (arg === undefined || rest.length > 0) return fail(inv.ctx, 'compaction command needs 1 argument');
  if (!/^\d+$/.test(arg))
    return fail(inv.ctx, `strconv.ParseInt: parsing ${JSON.stringify(arg)}: invalid syntax`);
  const rev = Number(arg);
  const r = yield* anyMember<{ revision: number }>(inv, (m, reply) => m.compact(rev, reply));
  if (!r.ok) return clientFailure(inv, r.error);
  inv.ctx.stdout(`compacted revision ${rev}\n`);
  return 0;
}

/**
 * `etcdctl watch KEY [--prefix] [--prev-kv]`: every change applied on the member it watches,
 * printed as it comes (the event type, then the key and value), until Ctrl-C.
 */
function* watch(inv: Invocation): Task<number> {
  const { ctx } = inv;
  const [key, ...rest] = inv.args;
  if (key === undefined || rest.length > 0)
    return fail(
      ctx,
      'watch in non-interactive mode requires one or two arguments as key or prefix, with range end',
    );
  if (inv.format === 'table') return fail(ctx, 'table is not supported as output format');
  const p = inv.values.parsed;
  const prefix = flagBool(p, 'prefix');
  const prevKv = flagBool(p, 'prev-kv');
  const { cluster } = ctx;
  const ep = inv.endpoints.find((e) => cluster.host(e.host)?.up);
  const member = ep ? cluster.etcdMember(ep.host) : undefined;
  if (!ep || !member) {
    // clientv3 keeps redialling a watch; nothing ever arrives until Ctrl-C.
    yield* suspend<void>(() => undefined);
    return 0;
  }
  const print = (events: readonly WatchEvent[], revision: number): void => {
    if (inv.format === 'json') {
      const evs = events.map((e) => {
        const type = e.type === 'DELETE' ? '"type":1,' : '';
        const prev = prevKv && e.prevKv ? `,"prev_kv":${jsonKv(e.prevKv, false)}` : '';
        const kv =
          e.type === 'DELETE'
            ? `{"key":"${base64(new TextEncoder().encode(e.kv.key))}","mod_revision":${e.kv.modRevision}}`
            : jsonKv(e.kv, false);
        return `{${type}"kv":${kv}${prev}}`;
      });
      ctx.stdout(
        `{"Header":${header(inv, ep.host, revision)},"Events":[${evs.join(',')}],"CompactRevision":0,"Canceled":false,"Created":false}\n`,
      );
      return;
    }
    for (const e of events) {
      if (key !== e.kv.key && !prefix) continue;
      ctx.stdout(`${e.type}\n`);
      if (prevKv && e.prevKv) printKv(inv, e.prevKv);
      printKv(inv, e.kv);
    }
  };
  const stop = member.store.watch(key, (events, revision) => {
    const mine = prefix ? events : events.filter((e) => e.kv.key === key);
    if (mine.length > 0) print(mine, revision);
  });
  try {
    // Streams until cancelled (Ctrl-C): the task never resumes on its own.
    yield* suspend<void>(() => stop);
  } finally {
    stop();
  }
  return 0;
}

const HELP = `NAME:
	etcdctl - A simple command line client for etcd3.

USAGE:
	etcdctl [flags]

VERSION:
	${ETCD_VERSION}

API VERSION:
	3.5


COMMANDS:
	alarm list		Lists all alarms
	compaction		Compacts the event history in etcd
	del			Removes the specified key or range of keys [key, range_end)
	endpoint health		Checks the healthiness of endpoints specified in \`--endpoints\` flag
	endpoint status		Prints out the status of endpoints specified in \`--endpoints\` flag
	get			Gets the key or a range of keys
	lease grant		Creates leases
	lease keep-alive	Keeps leases alive (renew)
	lease list		List all active leases
	lease revoke		Revokes leases
	lease timetolive	Get lease information
	member add		Adds a member into the cluster
	member list		Lists all members in the cluster
	member remove		Removes a member from the cluster
	put			Puts the given key into the store
	version			Prints the version of etcdctl
	watch			Watches events stream on keys or prefixes

OPTIONS:
      --cluster[=false]			use all endpoints from the cluster member list
      --endpoints=[127.0.0.1:2379]	gRPC endpoints
      --command-timeout=5s		timeout for short running command (excluding dial timeout)
      --keys-only[=false]		Get only the keys
      --limit=0				Maximum number of results
      --prefix[=false]			Get keys with matching prefix
      --rev=0				Specify the kv revision
  -w, --write-out="simple"		set the output format (fields, json, protobuf, simple, table)
`;
