/**
 * Development tool, not a test: runs the real kubectl binary (v1.32) against a simulated cluster
 * served over HTTP, runs our kubectl against an identical simulated cluster (same scenario, seed
 * and time), and prints where their outputs differ. The real client only ever sees what our API
 * server answers, so this checks kubectl's own formatting: tables, describe, messages, errors.
 *
 *   npx tsx src/kubectl/testdata/compareWithRealKubectl.ts [--kubectl /usr/bin/kubectl] [--show] 'get nodes' 'describe node cp-1' ...
 *
 * An argument `!patch RESOURCE NAME JSON` merge-patches a cluster-scoped object in both clusters.
 *
 * Commands run in order on both clusters, so mutations (create, label) carry over. `--show` prints
 * both outputs even when they agree. Needs a kubectl binary; it is not used by the test suite.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProgram } from '../../shell/runProgram';
import { apiVersionOf, RESOURCES, type ResourceInfo } from '../../sim/api/resources';
import { toTable } from '../../sim/api/table';
import type { KubeObject } from '../../sim/api/types';
import type { ApiRequest, ApiResponse, ApiVerb } from '../../sim/apiserver/request';
import { isTransportError } from '../../sim/apiserver/request';
import { Cluster } from '../../sim/cluster/cluster';
import { kubectl } from '../kubectl';

const BOOT_MS = 30_000;

function boot(): Cluster {
  const c = new Cluster('ha', 1);
  c.sim.runUntil(BOOT_MS);
  return c;
}

/** One request to the simulated API, run to completion on the simulated clock. */
function serve(c: Cluster, req: ApiRequest): ApiResponse {
  let res: ApiResponse | undefined;
  c.outsideClient().request(req, (o) => {
    res = isTransportError(o) ? { code: 503, body: { kind: 'Status', message: o.transport } } : o;
  });
  c.sim.runUntilDone(() => res !== undefined, c.sim.nowMs + 120_000);
  return res ?? { code: 504, body: {} };
}

function discoveryList(groupVersion: string): unknown {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: RESOURCES.filter((r) => apiVersionOf(r) === groupVersion).map((r) => ({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    })),
  };
}

const STUB_LISTS: Record<string, string> = {
  pods: 'PodList',
  events: 'EventList',
  resourcequotas: 'ResourceQuotaList',
  limitranges: 'LimitRangeList',
};

function route(
  c: Cluster,
  method: string,
  url: URL,
  body: unknown,
  accept: string,
  port: number,
): ApiResponse {
  const p = url.pathname.replace(/\/$/, '');
  if (p === '/version') return serve(c, { verb: 'version', resource: '' });
  if (p === '/api')
    return {
      code: 200,
      body: {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }],
      },
    };
  if (p === '/apis') {
    const groups = [...new Set(RESOURCES.filter((r) => r.group !== '').map((r) => r.group))];
    return {
      code: 200,
      body: {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((g) => {
          const v = RESOURCES.find((r) => r.group === g)!.version;
          const gv = { groupVersion: `${g}/${v}`, version: v };
          return { name: g, versions: [gv], preferredVersion: gv };
        }),
      },
    };
  }
  if (p === '/api/v1') return { code: 200, body: discoveryList('v1') };
  let parts: string[];
  let groupVersion: string;
  if (p.startsWith('/api/v1/')) {
    parts = p.slice('/api/v1/'.length).split('/');
    groupVersion = 'v1';
  } else if (p.startsWith('/apis/')) {
    const [g = '', v = '', ...rest] = p.slice('/apis/'.length).split('/');
    groupVersion = `${g}/${v}`;
    if (rest.length === 0) return { code: 200, body: discoveryList(groupVersion) };
    parts = rest;
  } else
    return {
      code: 404,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: 'the server could not find the requested resource',
        reason: 'NotFound',
        code: 404,
      },
    };
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const [resource = '', name] = parts;
  // Kinds the simulation does not serve yet but describe reads with typed clients: a real cluster
  // answers with empty lists, and so does this server (without advertising them in discovery).
  const stubKind = STUB_LISTS[resource];
  if (stubKind && method === 'GET' && !name && !RESOURCES.some((r) => r.resource === resource))
    return {
      code: 200,
      body: { kind: stubKind, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] },
    };
  const info: ResourceInfo | undefined = RESOURCES.find(
    (r) => r.resource === resource && apiVersionOf(r) === groupVersion,
  );
  const asTable = accept.includes('as=Table');
  const verb: ApiVerb =
    method === 'GET'
      ? name
        ? 'get'
        : 'list'
      : method === 'POST'
        ? 'create'
        : method === 'PUT'
          ? 'update'
          : method === 'PATCH'
            ? 'patch'
            : 'delete';
  const req: ApiRequest = {
    verb,
    resource,
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
    ...(verb === 'create' || verb === 'update' ? { body: body as KubeObject } : {}),
    ...(verb === 'patch' ? { patch: body } : {}),
    ...(url.searchParams.get('labelSelector')
      ? { labelSelector: url.searchParams.get('labelSelector')! }
      : {}),
    ...(url.searchParams.get('fieldSelector')
      ? { fieldSelector: url.searchParams.get('fieldSelector')! }
      : {}),
    ...(url.searchParams.get('dryRun') ? { dryRun: true } : {}),
    asTable,
  };
  const res = serve(c, req);
  if (!asTable || res.code >= 300 || !info) return res;
  // A real API server prints a single object as a one-row Table too, and rows carry their
  // object's metadata as a PartialObjectMetadata.
  let table = res.body as { kind: string; rows: { object: { metadata: unknown } }[] };
  if (table.kind !== 'Table') {
    const obj = res.body as KubeObject;
    table = toTable(
      info.resource,
      [obj],
      obj.metadata.resourceVersion ?? '',
      c.sim.nowMs,
    ) as unknown as typeof table;
  }
  return {
    code: res.code,
    body: {
      ...table,
      rows: table.rows.map((r) => ({
        ...r,
        object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: r.object.metadata },
      })),
    },
  };
}

// ---- just enough protobuf to read what typed clients POST (kind, apiVersion, metadata) ----

type Fields = Map<number, (bigint | Buffer)[]>;

function readFields(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    let value: bigint | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = Number(varint());
      value = buf.subarray(i, i + len);
      i += len;
    } else if (wire === 1) {
      value = buf.subarray(i, i + 8);
      i += 8;
    } else {
      value = buf.subarray(i, i + 4);
      i += 4;
    }
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

const str = (f: Fields, n: number): string | undefined => {
  const v = f.get(n)?.[0];
  return Buffer.isBuffer(v) ? v.toString('utf8') : undefined;
};

function stringMap(f: Fields, n: number): Record<string, string> | undefined {
  const entries = f.get(n);
  if (!entries) return undefined;
  const out: Record<string, string> = {};
  for (const e of entries) {
    const kv = readFields(e as Buffer);
    out[str(kv, 1) ?? ''] = str(kv, 2) ?? '';
  }
  return out;
}

/** The `k8s\0` envelope (runtime.Unknown) around an object whose field 1 is its ObjectMeta. */
function decodeProtobufObject(data: Buffer): unknown {
  const unknown = readFields(data.subarray(4));
  const typeMeta = readFields((unknown.get(1)?.[0] as Buffer) ?? Buffer.alloc(0));
  const raw = readFields((unknown.get(2)?.[0] as Buffer) ?? Buffer.alloc(0));
  const meta = readFields((raw.get(1)?.[0] as Buffer) ?? Buffer.alloc(0));
  const labels = stringMap(meta, 11);
  const annotations = stringMap(meta, 12);
  return {
    apiVersion: str(typeMeta, 1),
    kind: str(typeMeta, 2),
    metadata: {
      name: str(meta, 1) ?? '',
      ...(str(meta, 3) ? { namespace: str(meta, 3) } : {}),
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
    },
    spec: {},
    status: {},
  };
}

function startServer(c: Cluster): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
      });
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const port = (server.address() as { port: number }).port;
        const data = Buffer.concat(chunks);
        const body =
          data.length === 0
            ? undefined
            : String(req.headers['content-type']).includes('protobuf')
              ? decodeProtobufObject(data)
              : JSON.parse(data.toString('utf8'));
        const out = route(c, req.method ?? 'GET', url, body, String(req.headers.accept ?? ''), port);
        res.writeHead(out.code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(out.body));
      });
    });
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    server.unref();
  });
}

function runReal(
  binary: string,
  kubeconfig: string,
  cacheDir: string,
  argv: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(binary, argv, {
      env: { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: cacheDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let binary = '/usr/bin/kubectl';
  let show = false;
  const commands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--kubectl') binary = args[++i]!;
    else if (args[i] === '--show') show = true;
    else commands.push(args[i]!);
  }
  const real = boot();
  const ours = boot();
  const port = await startServer(real);
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-compare-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: http://127.0.0.1:${port}\n  name: sim\nusers:\n- name: sim\n  user: {}\ncontexts:\n- context:\n    cluster: sim\n    user: sim\n  name: sim\ncurrent-context: sim\n`,
  );
  let differences = 0;
  for (const command of commands) {
    if (command.startsWith('!patch ')) {
      // `!patch RESOURCE NAME JSON`: change both clusters the same way, through their API.
      const [, resource = '', name = '', ...json] = command.split(' ');
      const patch = JSON.parse(json.join(' '));
      for (const c of [real, ours]) serve(c, { verb: 'patch', resource, name, patch });
      continue;
    }
    const argv = command.split(' ').filter((a) => a !== '');
    const r = await runReal(binary, kubeconfig, join(dir, 'cache'), argv);
    // The real client reports its own server address and a local build suffix.
    const norm = (s: string): string =>
      s
        .replaceAll(`127.0.0.1:${port}`, '10.0.0.100:6443')
        .replaceAll('http://10.0.0.100', 'https://10.0.0.100')
        .replaceAll('v1.32.4-dispatcher', 'v1.32.4');
    const mine = runProgram(ours, kubectl, argv);
    const same = norm(r.stdout) === mine.stdout && norm(r.stderr) === mine.stderr && r.code === mine.code;
    if (!same) differences++;
    if (same && !show) {
      console.log(`same  $ kubectl ${command}`);
      continue;
    }
    console.log(`${same ? 'same' : 'DIFF'}  $ kubectl ${command}`);
    console.log(`--- real (exit ${r.code}) stdout:\n${norm(r.stdout)}--- real stderr:\n${norm(r.stderr)}`);
    if (!same)
      console.log(`--- ours (exit ${mine.code}) stdout:\n${mine.stdout}--- ours stderr:\n${mine.stderr}`);
  }
  console.log(`${commands.length - differences}/${commands.length} identical`);
}

void main();
