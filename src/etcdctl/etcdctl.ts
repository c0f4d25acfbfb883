import { type FlagSpec, flagBool, flagString, parseFlags } from '../kubectl/flags';
import type { Program, ProgramContext } from '../shell/program';
import type { Cluster } from '../sim/cluster/cluster';
import type { EtcdMember, EtcdResult } from '../sim/etcd/member';
import type { KeyValue, RangeResult, TxnResponse } from '../sim/etcd/mvcc/store';
import { suspend, type Task } from '../sim/kernel/task';
import { EPOCH_UNIX_MS } from '../sim/kernel/time';
import { memberHexId } from '../sim/snapshot';
import { asciiTable, goDuration, humanizeBytes } from './asciiTable';

/**
 * etcdctl (v3.5 API) against the simulated members. As on a kubeadm control plane, the endpoints
 * are every member's client URL (as if ETCDCTL_ENDPOINTS were set). Values are the JSON the
 * simulated API server stores; a real cluster stores protobuf there, which prints as binary.
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
  { name: 'consistency', type: 'string', usage: 'Linearizable(l) or Serializable(s)' },
  { name: 'help', short: 'h', type: 'bool', usage: 'help' },
];

interface Endpoint {
  readonly host: string;
  readonly url: string;
}

interface Invocation {
  readonly ctx: ProgramContext;
  readonly args: readonly string[];
  readonly format: string;
  readonly values: ReturnType<typeof parseFlags> & { ok: true };
}

export const etcdctl: Program = function* (argv, ctx) {
  const parsed = parseFlags(argv, GLOBAL_FLAGS);
  if (!parsed.ok) return fail(ctx, parsed.error);
  const p = parsed.parsed;
  const format = flagString(p, 'write-out') ?? 'simple';
  if (!['simple', 'table', 'json', 'fields'].includes(format))
    return fail(ctx, `unsupported output format ${format}`);
  const [command, ...args] = p.args;
  if (command === undefined || flagBool(p, 'help')) {
    ctx.stdout(HELP);
    return 0;
  }
  const inv: Invocation = { ctx, args: args.slice(1), format, values: parsed };
  switch (command) {
    case 'member':
      if (args[0] === 'list') return yield* memberList(inv);
      return fail(
        ctx,
        args[0] ? `unknown command "${args[0]}" for "etcdctl member"` : 'member needs a subcommand: list',
      );
    case 'endpoint':
      if (args[0] === 'status') return yield* endpointStatus(inv);
      if (args[0] === 'health') return yield* endpointHealth(inv);
      return fail(
        ctx,
        args[0]
          ? `unknown command "${args[0]}" for "etcdctl endpoint"`
          : 'endpoint needs a subcommand: status, health',
      );
    case 'get':
      return yield* get({ ...inv, args });
    case 'put':
      return yield* put({ ...inv, args });
    case 'del':
      return yield* del({ ...inv, args });
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

function endpoints(cluster: Cluster): Endpoint[] {
  return cluster.controlPlanes().map((h) => ({ host: h.name, url: `https://${h.spec.ip}:2379` }));
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

/** The first endpoint that answers, as clientv3's balancer would find it. */
function* anyMember<T>(
  inv: Invocation,
  op: (member: EtcdMember, reply: (v: EtcdResult<T>) => void) => void,
): Task<EtcdResult<T>> {
  const { cluster } = inv.ctx;
  const reachable = endpoints(cluster).find((e) => cluster.host(e.host)?.up) ?? endpoints(cluster)[0];
  if (!reachable) return { ok: false, error: DEADLINE };
  return yield* call(cluster, reachable.host, op);
}

/** The warning clientv3 logs when a request fails, then etcdctl's own error line. */
function clientFailure(inv: Invocation, error: string): number {
  const { ctx } = inv;
  const ts = new Date(EPOCH_UNIX_MS + ctx.cluster.sim.nowMs).toISOString();
  const first = endpoints(ctx.cluster)[0]?.url.replace('https://', '') ?? '127.0.0.1:2379';
  const grpc =
    error === DEADLINE ? 'rpc error: code = DeadlineExceeded desc = context deadline exceeded' : error;
  ctx.stderr(
    `{"level":"warn","ts":"${ts}","logger":"etcd-client","caller":"v3@v${ETCD_VERSION}/retry_interceptor.go:63","msg":"retrying of unary invoker failed","target":"etcd-endpoints://0xc000454000/${first}","attempt":0,"error":"${grpc.replace(/"/g, '\\"')}"}\n`,
  );
  return fail(ctx, error);
}

const decimalId = (hex: string): string => BigInt(`0x${hex}`).toString();

function* memberList(inv: Invocation): Task<number> {
  const { cluster } = inv.ctx;
  const r = yield* anyMember<null>(inv, (_m, reply) => reply({ ok: true, value: null }));
  if (!r.ok) return clientFailure(inv, r.error);
  const rows = cluster
    .controlPlanes()
    .map((h) => [
      memberHexId(cluster, h.name),
      'started',
      h.name,
      `https://${h.spec.ip}:2380`,
      `https://${h.spec.ip}:2379`,
      'false',
    ]);
  if (inv.format === 'table') {
    inv.ctx.stdout(asciiTable(['ID', 'Status', 'Name', 'Peer Addrs', 'Client Addrs', 'Is Learner'], rows));
  } else if (inv.format === 'json') {
    const members = rows.map(
      (r) =>
        `{"ID":${decimalId(r[0] as string)},"name":"${r[2]}","peerURLs":["${r[3]}"],"clientURLs":["${r[4]}"]}`,
    );
    inv.ctx.stdout(
      `{"header":{"cluster_id":${decimalId('9a3bd1f3c0cb2b2e')},"member_id":${decimalId(rows[0]?.[0] ?? '0')},"raft_term":${leaderTerm(cluster)}},"members":[${members.join(',')}]}\n`,
    );
  } else {
    for (const r of rows) inv.ctx.stdout(`${r.join(', ')}\n`);
  }
  return 0;
}

function leaderTerm(cluster: Cluster): number {
  return Math.max(0, ...cluster.controlPlanes().map((h) => cluster.etcdMember(h.name)?.raft.term ?? 0));
}

interface Status {
  readonly id: string;
  readonly leader: string;
  readonly dbSize: number;
  readonly term: number;
  readonly index: number;
  readonly applied: number;
}

function* endpointStatus(inv: Invocation): Task<number> {
  const { ctx } = inv;
  const { cluster } = ctx;
  const rows: string[][] = [];
  let failed = false;
  for (const ep of endpoints(cluster)) {
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
  } else {
    for (const r of rows) ctx.stdout(`${r.slice(0, 9).join(', ')}, \n`);
  }
  return failed ? 1 : 0;
}

function* endpointHealth(inv: Invocation): Task<number> {
  const { ctx } = inv;
  const { cluster } = ctx;
  const eps = endpoints(cluster);
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
    const rows = results.map((r) => [r.ep.url, String(r.ok), goDuration(r.took), r.error]);
    ctx.stdout(asciiTable(['Endpoint', 'Health', 'Took', 'Error'], rows));
  } else {
    for (const r of results) {
      if (r.ok)
        ctx.stdout(`${r.ep.url} is healthy: successfully committed proposal: took = ${goDuration(r.took)}\n`);
      else ctx.stderr(`${r.ep.url} is unhealthy: failed to commit proposal: ${r.error}\n`);
    }
  }
  if (results.every((r) => r.ok)) return 0;
  return fail(ctx, 'unhealthy cluster');
}

function printKvs(inv: Invocation, kvs: readonly KeyValue[]): void {
  const keysOnly = flagBool(inv.values.parsed, 'keys-only');
  const valueOnly = flagBool(inv.values.parsed, 'print-value-only');
  for (const kv of kvs) {
    if (!valueOnly) inv.ctx.stdout(`${kv.key}\n`);
    inv.ctx.stdout(`${keysOnly ? '' : valueText(kv.value)}\n`);
  }
}

function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function* get(inv: Invocation): Task<number> {
  const [key, ...rest] = inv.args;
  if (key === undefined || rest.length > 0)
    return fail(inv.ctx, 'get command needs one argument as key and an optional argument as range_end');
  const prefix = flagBool(inv.values.parsed, 'prefix');
  const serializable = flagString(inv.values.parsed, 'consistency') === 's';
  const r = yield* anyMember<RangeResult>(inv, (m, reply) => {
    if (serializable) reply({ ok: true, value: m.rangeSerializable(key, prefix) });
    else m.rangeLinearizable(key, prefix, reply);
  });
  if (!r.ok) return clientFailure(inv, r.error);
  if (inv.format === 'json') {
    inv.ctx.stdout(
      `${JSON.stringify({ header: { revision: r.value.revision }, kvs: r.value.kvs.map(jsonKv), count: r.value.count })}\n`,
    );
  } else printKvs(inv, r.value.kvs);
  return 0;
}

function jsonKv(kv: KeyValue): object {
  const b64 = (s: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
  return {
    key: b64(kv.key),
    create_revision: kv.createRevision,
    mod_revision: kv.modRevision,
    version: kv.version,
    value: b64(valueText(kv.value)),
  };
}

function* put(inv: Invocation): Task<number> {
  const [key, value, ...rest] = inv.args;
  const stdinValue = value ?? (inv.ctx.stdin !== '' ? inv.ctx.stdin.replace(/\n$/, '') : undefined);
  if (key === undefined || stdinValue === undefined || rest.length > 0) {
    return fail(inv.ctx, 'put command needs 1 argument and input from stdin or 2 arguments');
  }
  const r = yield* writeTxn(inv, [{ type: 'put', key, value: stdinValue }]);
  if (!r.ok) return clientFailure(inv, r.error);
  inv.ctx.stdout('OK\n');
  return 0;
}

function* del(inv: Invocation): Task<number> {
  const [key, ...rest] = inv.args;
  if (key === undefined || rest.length > 0)
    return fail(inv.ctx, 'del command needs one argument as key and an optional argument as range_end');
  const prefix = flagBool(inv.values.parsed, 'prefix');
  const before = yield* anyMember<RangeResult>(inv, (m, reply) => m.rangeLinearizable(key, prefix, reply));
  if (!before.ok) return clientFailure(inv, before.error);
  const r = yield* writeTxn(inv, [{ type: 'delete', key, prefix }]);
  if (!r.ok) return clientFailure(inv, r.error);
  inv.ctx.stdout(`${before.value.count}\n`);
  return 0;
}

function writeTxn(
  inv: Invocation,
  ops: Parameters<EtcdMember['txn']>[0]['success'],
): Task<EtcdResult<TxnResponse>> {
  return anyMember<TxnResponse>(inv, (m, reply) => m.txn({ compare: [], success: ops, failure: [] }, reply));
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
	del			Removes the specified key or range of keys [key, range_end)
	endpoint health		Checks the healthiness of endpoints specified in \`--endpoints\` flag
	endpoint status		Prints out the status of endpoints specified in \`--endpoints\` flag
	get			Gets the key or a range of keys
	member list		Lists all members in the cluster
	put			Puts the given key into the store
	version			Prints the version of etcdctl

OPTIONS:
      --cluster[=false]			use all endpoints from the cluster member list
      --command-timeout=5s		timeout for short running command (excluding dial timeout)
      --keys-only[=false]		Get only the keys
      --prefix[=false]			Get keys with matching prefix
  -w, --write-out="simple"		set the output format (fields, json, protobuf, simple, table)
`;
