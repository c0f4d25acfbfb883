/**
 * Development tool, not a test: runs the real kubectl binary (v1.32) against a simulated cluster
 * served over HTTP, runs our kubectl against an identical simulated cluster (same scenario, seed
 * and time), and prints where their outputs differ. The real client only ever sees what our API
 * server answers, so this checks kubectl's own formatting: tables, describe, messages, errors.
 *
 *   npx tsx src/kubectl/testdata/compareWithRealKubectl.ts [--kubectl /usr/bin/kubectl] [--show] 'get nodes' 'describe node cp-1' ...
 *
 * Arguments starting with `!` act on both clusters the same way, through their API:
 *   `!patch RESOURCE NAME JSON`          merge-patch a cluster-scoped object
 *   `!patch RESOURCE NS/NAME JSON`       merge-patch a namespaced object
 *   `!create RESOURCE JSON`              create an object (namespaced: metadata.namespace or default)
 *   `!advance DURATION`                  let simulated time pass (e.g. 30s)
 *   `!kill HOST`, `!start HOST`          stop or restart a host
 *   `!tick on`, `!tick off`              let simulated time run while the real kubectl runs (for
 *                                        commands that poll, like drain); afterwards both clusters
 *                                        go on from the later instant
 *   `!file PATH TEXT`                    write a file (relative to both clients' working folder:
 *                                        a temporary folder for the real one, ~ for ours; both
 *                                        start with the lab's ~/examples)
 *   `!stdin TEXT`                        what the next command reads on stdin (`-f -`)
 *
 * `--explain-schemas` adds the lab's explain schemas (src/kubectl/explain) to the OpenAPI v3
 * documents, so `explain` can be compared (off by default: with them kubectl would compute
 * patches from those schemas instead of its built-in types).
 *
 * A command with quotes or backslashes is split into words as a shell would (shell-quote).
 *
 * Commands run in order on both clusters, so mutations (create, label) carry over. `--show` prints
 * both outputs even when they agree; `--diff` prints only the lines that differ. Needs a kubectl
 * binary; it is not used by the test suite.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseShell } from 'shell-quote';
import { EXAMPLE_FILES } from '../../shell/examples';
import { headlessSession, runProgram } from '../../shell/runProgram';
import { HOME } from '../../shell/vfs';
import { apiVersionOf, RESOURCES, type ResourceInfo } from '../../sim/api/resources';
import { toTable } from '../../sim/api/table';
import type { KubeObject } from '../../sim/api/types';
import { DISCOVERY } from '../../sim/apiserver/metricsApi';
import type { ApiRequest, ApiResponse, ApiVerb } from '../../sim/apiserver/request';
import { isTransportError } from '../../sim/apiserver/request';
import { Cluster } from '../../sim/cluster/cluster';
import { parseDurationMs } from '../../sim/kernel/time';
import { openApiDocument } from '../explain/openapi';
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
    resources: DISCOVERY.filter((r) => apiVersionOf(r) === groupVersion).flatMap((r) => [
      {
        name: r.resource,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
        ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
        ...(r.categories ? { categories: r.categories } : {}),
      },
      // The eviction subresource `kubectl drain` looks for (CheckEvictionSupport); a POST to it
      // is served as a DELETE with the eviction's DeleteOptions.
      ...(r.resource === 'pods'
        ? [
            {
              name: 'pods/eviction',
              singularName: '',
              namespaced: true,
              group: 'policy',
              version: 'v1',
              kind: 'Eviction',
              verbs: ['create'],
            },
          ]
        : []),
      // The scale subresource real kubectl finds in discovery before `kubectl scale`.
      ...(SCALABLE.has(r.resource)
        ? [
            {
              name: `${r.resource}/scale`,
              singularName: '',
              namespaced: true,
              group: 'autoscaling',
              version: 'v1',
              kind: 'Scale',
              verbs: ['get', 'patch', 'update'],
            },
          ]
        : []),
    ]),
  };
}

const SCALABLE = new Set(['deployments', 'replicasets']);

/** A Table's rows carry their objects' metadata as PartialObjectMetadata, as a real server sends them. */
function asPartialRows(res: ApiResponse): ApiResponse {
  const table = res.body as { kind?: string; rows?: { object: { metadata: unknown } }[] };
  if (res.code >= 300 || table.kind !== 'Table') return res;
  return {
    code: res.code,
    body: {
      ...table,
      rows: (table.rows ?? []).map((r) => ({
        ...r,
        object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: r.object.metadata },
      })),
    },
  };
}

const NOT_SERVED: readonly [string, string][] = [
  ['api/v1', 'ConfigMap'],
  ['api/v1', 'Secret'],
  ['api/v1', 'Foo'],
  ['apis/apps/v1', 'StatefulSet'],
  ['apis/apps/v1', 'DaemonSet'],
];

/** `api/v1`, `apis/apps/v1`: the OpenAPI v3 path of a group version. */
function openApiPath(r: ResourceInfo): string {
  return r.group === '' ? `api/${r.version}` : `apis/${r.group}/${r.version}`;
}

/**
 * GET /openapi/v3: one document per group version. kubectl reads them to learn that PATCH takes
 * the fieldValidation parameter (so it leaves validation to the server, as against a real
 * cluster); without them it falls back to downloading /openapi/v2 and fails.
 */
function openApiRoot(): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const r of RESOURCES)
    paths[openApiPath(r)] = { serverRelativeURL: `/openapi/v3/${openApiPath(r)}?hash=1` };
  return { paths };
}

/**
 * The PATCH operation of each kind, with the query parameter kubectl looks for and no request
 * body schema, so client-side apply computes its patches from the built-in types, as it does
 * when the server's document has no strategic merge schema.
 */
function openApiGroupVersion(path: string): unknown {
  const paths: Record<string, unknown> = {};
  for (const r of RESOURCES.filter((x) => openApiPath(x) === path)) {
    const url = `/${path}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}/{name}`;
    paths[url] = {
      patch: {
        'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string' } }],
      },
    };
  }
  // Kinds a real cluster documents but this one does not serve (as if their API were turned
  // off): kubectl validates them on the server, so it gets as far as its REST mapping error.
  for (const [gv, kind] of NOT_SERVED) {
    if (gv !== path) continue;
    paths[`/${path}/namespaces/{namespace}/${kind.toLowerCase()}s/{name}`] = {
      patch: {
        'x-kubernetes-group-version-kind': {
          group: path.startsWith('apis/') ? path.split('/')[1] : '',
          version: path.split('/').pop(),
          kind,
        },
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string' } }],
      },
    };
  }
  const explain = explainSchemas
    ? openApiDocument(
        path,
        RESOURCES.map((r) => ({
          gvk: { group: r.group, version: r.version, kind: r.kind },
          resource: r.resource,
          namespaced: r.namespaced,
        })),
      )
    : undefined;
  if (explain) {
    for (const [url, ops] of Object.entries(explain.paths))
      paths[url] = { ...(paths[url] as object | undefined), ...(ops as object) };
    return {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'v1.32.4' },
      paths,
      components: explain.components,
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths };
}

/** Set by `--explain-schemas`. */
let explainSchemas = false;

/** An autoscaling/v1 Scale for a Deployment or ReplicaSet, as the scale subresource answers. */
function scaleOf(obj: KubeObject): unknown {
  const o = obj as KubeObject & { spec?: { replicas?: number }; status?: { replicas?: number } };
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: { replicas: o.status?.replicas ?? 0 },
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
  contentType = '',
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
    const groups = [...new Set(DISCOVERY.filter((r) => r.group !== '').map((r) => r.group))];
    return {
      code: 200,
      body: {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((g) => {
          const v = DISCOVERY.find((r) => r.group === g)!.version;
          const gv = { groupVersion: `${g}/${v}`, version: v };
          return { name: g, versions: [gv], preferredVersion: gv };
        }),
      },
    };
  }
  if (p === '/api/v1') return { code: 200, body: discoveryList('v1') };
  if (p === '/openapi/v3') return { code: 200, body: openApiRoot() };
  // kubectl looks for a CRD before validating a kind the documents do not know.
  if (p === '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')
    return {
      code: 200,
      body: {
        kind: 'CustomResourceDefinitionList',
        apiVersion: 'apiextensions.k8s.io/v1',
        metadata: { resourceVersion: '1' },
        items: [],
      },
    };
  if (p.startsWith('/openapi/v3/'))
    return { code: 200, body: openApiGroupVersion(p.slice('/openapi/v3/'.length)) };
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
  const [resource = '', name, subresource] = parts;
  // metrics.k8s.io (aggregated: metrics-server) and pods/log (proxied to the kubelet), as our API
  // server serves them; a log comes back as plain text.
  if (groupVersion === 'metrics.k8s.io/v1beta1')
    return asPartialRows(
      serve(c, {
        verb: name ? 'get' : 'list',
        resource: `${resource}.metrics.k8s.io`,
        ...(namespace ? { namespace } : {}),
        ...(name ? { name } : {}),
        ...(url.searchParams.get('labelSelector')
          ? { labelSelector: url.searchParams.get('labelSelector')! }
          : {}),
        ...(url.searchParams.get('fieldSelector')
          ? { fieldSelector: url.searchParams.get('fieldSelector')! }
          : {}),
        asTable: accept.includes('as=Table'),
      }),
    );
  if (subresource === 'log' && resource === 'pods') {
    const q = url.searchParams;
    const num = (k: string): number | undefined => (q.get(k) !== null ? Number(q.get(k)) : undefined);
    const logOptions = {
      ...(q.get('container') ? { container: q.get('container')! } : {}),
      ...(q.get('previous') === 'true' ? { previous: true } : {}),
      ...(q.get('timestamps') === 'true' ? { timestamps: true } : {}),
      ...(num('tailLines') !== undefined ? { tailLines: num('tailLines')! } : {}),
      ...(num('sinceSeconds') !== undefined ? { sinceSeconds: num('sinceSeconds')! } : {}),
      ...(num('limitBytes') !== undefined ? { limitBytes: num('limitBytes')! } : {}),
      ...(q.get('sinceTime') ? { sinceTime: q.get('sinceTime')! } : {}),
    };
    return serve(c, { verb: 'get', resource, subresource: 'log', namespace, name, logOptions });
  }
  if (subresource === 'scale') {
    if (!SCALABLE.has(resource))
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
    const replicas = (body as { spec?: { replicas?: number } } | undefined)?.spec?.replicas;
    const res =
      method === 'GET'
        ? serve(c, { verb: 'get', resource, namespace, name })
        : serve(c, { verb: 'patch', resource, namespace, name, patch: { spec: { replicas } } });
    return res.code >= 300 ? res : { code: res.code, body: scaleOf(res.body as KubeObject) };
  }
  if (subresource === 'eviction' && resource === 'pods' && method === 'POST') {
    const grace = (body as { deleteOptions?: { gracePeriodSeconds?: number } } | undefined)?.deleteOptions
      ?.gracePeriodSeconds;
    const res = serve(c, {
      verb: 'delete',
      resource,
      namespace,
      name,
      ...(typeof grace === 'number' ? { gracePeriodSeconds: grace } : {}),
    });
    return res.code >= 300
      ? res
      : { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };
  }
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
    ...((verb === 'create' || verb === 'update') && body !== undefined ? { body: body as KubeObject } : {}),
    ...(verb === 'patch'
      ? {
          patch: body,
          patchType: contentType.includes('strategic-merge-patch')
            ? ('strategic' as const)
            : contentType.includes('json-patch+json')
              ? ('json' as const)
              : ('merge' as const),
        }
      : {}),
    ...(verb === 'delete' &&
    typeof (body as { gracePeriodSeconds?: unknown })?.gracePeriodSeconds === 'number'
      ? { gracePeriodSeconds: (body as { gracePeriodSeconds: number }).gracePeriodSeconds }
      : {}),
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
  if (url.searchParams.get('includeObject') === 'Object') {
    // `--sort-by` asks for whole objects in the rows.
    const plain = serve(c, { ...req, asTable: false });
    const items =
      plain.code < 300 ? ((plain.body as { items?: KubeObject[] }).items ?? [plain.body as KubeObject]) : [];
    const key = (m: { namespace?: string; name?: string }): string => `${m.namespace ?? ''}/${m.name}`;
    const byKey = new Map(items.map((o) => [key(o.metadata), o]));
    return {
      code: res.code,
      body: {
        ...table,
        rows: table.rows.map((r) => ({
          ...r,
          object: byKey.get(key(r.object.metadata as { namespace?: string; name?: string })) ?? r.object,
        })),
      },
    };
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

const sub = (f: Fields, n: number): Fields[] => (f.get(n) ?? []).map((v) => readFields(v as Buffer));
const strs = (f: Fields, n: number): string[] => (f.get(n) ?? []).map((v) => (v as Buffer).toString('utf8'));
const int = (f: Fields, n: number): number | undefined => {
  const v = f.get(n)?.[0];
  return typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : undefined;
};

/** ObjectMeta (k8s.io/apimachinery meta/v1 generated.proto): the fields kubectl sets. */
function decodeMeta(meta: Fields): Record<string, unknown> {
  const labels = stringMap(meta, 11);
  const annotations = stringMap(meta, 12);
  return {
    ...(str(meta, 1) ? { name: str(meta, 1) } : {}),
    ...(str(meta, 3) ? { namespace: str(meta, 3) } : {}),
    // A zero metav1.Time marshals as null (pod templates show `creationTimestamp: null`).
    ...(str(meta, 1) ? {} : { creationTimestamp: null }),
    ...(labels ? { labels } : {}),
    ...(annotations ? { annotations } : {}),
  };
}

/** core/v1 Container: name, image, command, args, ports, env, resources. */
function decodeContainer(c: Fields): Record<string, unknown> {
  const ports = sub(c, 6).map((p) => ({
    ...(str(p, 1) ? { name: str(p, 1) } : {}),
    ...(int(p, 2) ? { hostPort: int(p, 2) } : {}),
    containerPort: int(p, 3) ?? 0,
    ...(str(p, 4) ? { protocol: str(p, 4) } : {}),
  }));
  const env = sub(c, 7).map((e) => ({ name: str(e, 1) ?? '', ...(str(e, 2) ? { value: str(e, 2) } : {}) }));
  const quantities = (r: Fields, n: number): Record<string, string> | undefined => {
    const entries = r.get(n);
    if (!entries) return undefined;
    const out: Record<string, string> = {};
    for (const e of entries) {
      const kv = readFields(e as Buffer);
      out[str(kv, 1) ?? ''] = str(sub(kv, 2)[0] ?? new Map(), 1) ?? '';
    }
    return out;
  };
  const resources = sub(c, 8)[0];
  return {
    name: str(c, 1) ?? '',
    image: str(c, 2) ?? '',
    ...(strs(c, 3).length ? { command: strs(c, 3) } : {}),
    ...(strs(c, 4).length ? { args: strs(c, 4) } : {}),
    ...(ports.length ? { ports } : {}),
    ...(env.length ? { env } : {}),
    ...(resources
      ? {
          resources: {
            ...(quantities(resources, 1) ? { limits: quantities(resources, 1) } : {}),
            ...(quantities(resources, 2) ? { requests: quantities(resources, 2) } : {}),
          },
        }
      : {}),
  };
}

/** apps/v1 DeploymentSpec: replicas, selector, template, strategy. */
function decodeDeploymentSpec(spec: Fields): Record<string, unknown> {
  const selector = sub(spec, 2)[0];
  const template = sub(spec, 3)[0];
  const podSpec = template ? sub(template, 2)[0] : undefined;
  const strategy = sub(spec, 4)[0];
  return {
    ...(int(spec, 1) !== undefined ? { replicas: int(spec, 1) } : {}),
    ...(selector ? { selector: { matchLabels: stringMap(selector, 1) ?? {} } } : {}),
    ...(template
      ? {
          template: {
            metadata: decodeMeta(sub(template, 1)[0] ?? new Map()),
            spec: { containers: podSpec ? sub(podSpec, 2).map(decodeContainer) : [] },
          },
        }
      : {}),
    ...(strategy ? { strategy: str(strategy, 1) ? { type: str(strategy, 1) } : {} } : {}),
  };
}

/** core/v1 PodTemplateSpec: metadata, and of the spec the containers and restartPolicy. */
function decodePodTemplate(template: Fields): Record<string, unknown> {
  const podSpec = sub(template, 2)[0];
  return {
    metadata: decodeMeta(sub(template, 1)[0] ?? new Map()),
    spec: {
      containers: podSpec ? sub(podSpec, 2).map(decodeContainer) : [],
      ...(podSpec && str(podSpec, 3) ? { restartPolicy: str(podSpec, 3) } : {}),
    },
  };
}

/** batch/v1 JobSpec: parallelism, completions, backoffLimit, template. */
function decodeJobSpec(spec: Fields): Record<string, unknown> {
  const template = sub(spec, 6)[0];
  return {
    ...(int(spec, 1) !== undefined ? { parallelism: int(spec, 1) } : {}),
    ...(int(spec, 2) !== undefined ? { completions: int(spec, 2) } : {}),
    ...(int(spec, 7) !== undefined ? { backoffLimit: int(spec, 7) } : {}),
    ...(template ? { template: decodePodTemplate(template) } : {}),
  };
}

/** batch/v1 CronJobSpec: schedule and the job template. */
function decodeCronJobSpec(spec: Fields): Record<string, unknown> {
  const jobTemplate = sub(spec, 5)[0];
  const jobSpec = jobTemplate ? sub(jobTemplate, 2)[0] : undefined;
  return {
    schedule: str(spec, 1) ?? '',
    ...(jobTemplate
      ? {
          jobTemplate: {
            metadata: decodeMeta(sub(jobTemplate, 1)[0] ?? new Map()),
            spec: jobSpec ? decodeJobSpec(jobSpec) : {},
          },
        }
      : {}),
  };
}

/**
 * The `k8s\0` envelope (runtime.Unknown) around an object whose field 1 is its ObjectMeta and
 * field 2 its spec: typed clients (create namespace, create deployment) send protobuf.
 */
function decodeProtobufObject(data: Buffer): unknown {
  const unknown = readFields(data.subarray(4));
  const typeMeta = readFields((unknown.get(1)?.[0] as Buffer) ?? Buffer.alloc(0));
  const raw = readFields((unknown.get(2)?.[0] as Buffer) ?? Buffer.alloc(0));
  const meta = readFields((raw.get(1)?.[0] as Buffer) ?? Buffer.alloc(0));
  const kind = str(typeMeta, 2);
  const spec = sub(raw, 2)[0];
  if (kind === 'ConfigMap' || kind === 'Secret') {
    const data = stringMap(raw, 2);
    const encoded =
      kind === 'Secret' && data
        ? Object.fromEntries(
            Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]),
          )
        : data;
    return {
      apiVersion: str(typeMeta, 1),
      kind,
      metadata: decodeMeta(meta),
      ...(encoded ? { data: encoded } : {}),
      ...(kind === 'Secret' && str(raw, 3) ? { type: str(raw, 3) } : {}),
    };
  }
  if (kind === 'Job' || kind === 'CronJob') {
    return {
      apiVersion: str(typeMeta, 1),
      kind,
      metadata: decodeMeta(meta),
      spec: spec ? (kind === 'Job' ? decodeJobSpec(spec) : decodeCronJobSpec(spec)) : {},
      status: {},
    };
  }
  return {
    apiVersion: str(typeMeta, 1),
    kind,
    metadata: decodeMeta(meta),
    spec: kind === 'Deployment' && spec ? decodeDeploymentSpec(spec) : {},
    status: {},
  };
}

/** Until when (wall clock) simulated time stands still, so the client can act on what it was sent. */
let clientPauseUntil = 0;

/**
 * With `!tick on`, simulated time runs (about 20 times faster than wall time) while the real
 * kubectl runs, for commands that poll with GETs on their own clock (drain waiting for pods to go).
 */
function startTicking(c: Cluster): () => void {
  let stopped = false;
  const tick = (): void => {
    if (stopped) return;
    if (Date.now() >= clientPauseUntil) c.sim.runUntil(c.sim.nowMs + 100);
    setTimeout(tick, 5);
  };
  setTimeout(tick, 5);
  return () => {
    stopped = true;
  };
}

/** Limit on how far a watch runs the simulation forward for a client that keeps waiting. */
const WATCH_LIMIT_MS = 10 * 60_000;

/**
 * A watch (`?watch=true`): the API server's watch verb streamed as JSON lines, while the
 * simulation runs forward in small steps (the real client waits on the stream, so nothing else
 * would move the simulated clock).
 */
function streamWatch(c: Cluster, url: URL, res: ServerResponse, accept = ''): void {
  let parts = url.pathname.replace(/^\/api\/v1\/|^\/apis\/[^/]+\/[^/]+\//, '').split('/');
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const abort = { aborted: false };
  // `as=Table` (kubectl get -w): each event's object is a one-row Table; as kube-apiserver's
  // watch fixup does, only the first event carries the column definitions.
  let tableHeaders = true;
  const encode = (type: string, object: KubeObject): string => {
    if (!accept.includes('as=Table')) return JSON.stringify({ type, object });
    const table = toTable(parts[0] ?? '', [object], object.metadata.resourceVersion ?? '', c.sim.nowMs);
    const body = {
      ...table,
      columnDefinitions: tableHeaders ? table.columnDefinitions : null,
      rows: table.rows.map((r) => ({
        ...r,
        object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: r.object.metadata },
      })),
    };
    tableHeaders = false;
    return JSON.stringify({ type, object: body });
  };
  res.writeHead(200, { 'Content-Type': 'application/json' });
  // Send the headers now: client-go's Watch() returns only once they arrive, and a watch of one
  // quiet object may see no event for a long time.
  res.flushHeaders();
  const labelSelector = url.searchParams.get('labelSelector');
  const fieldSelector = url.searchParams.get('fieldSelector');
  // resourceVersion=0 (a watch of one object, `kubectl get pod x -w`): the current state comes
  // first as synthetic ADDED events, as the watch cache sends them.
  if (url.searchParams.get('resourceVersion') === '0') {
    const listed = serve(c, {
      verb: 'list',
      resource: parts[0] ?? '',
      ...(namespace ? { namespace } : {}),
      ...(labelSelector ? { labelSelector } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
    });
    for (const o of (listed.body as { items?: KubeObject[] }).items ?? [])
      res.write(`${encode('ADDED', o)}\n`);
  }
  c.outsideClient().request(
    {
      verb: 'watch',
      resource: parts[0] ?? '',
      ...(namespace ? { namespace } : {}),
      ...(labelSelector ? { labelSelector } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
      abort,
      onWatchEvent: (e) => {
        if (abort.aborted) return;
        res.write(`${encode(e.type, e.object)}\n`);
        // Give the client a moment (wall-clock) to act on it before time runs on.
        clientPauseUntil = Date.now() + 200;
      },
    },
    () => {
      abort.aborted = true;
      res.end();
    },
  );
  // The client hung up (an IncomingMessage's own 'close' only means its body was read).
  res.on('close', () => {
    abort.aborted = true;
  });
  // `timeout=` (client-go sends --request-timeout) or `timeoutSeconds=`: the server ends the watch.
  const timeout =
    parseDurationMs(url.searchParams.get('timeout') ?? '') ??
    (url.searchParams.get('timeoutSeconds')
      ? Number(url.searchParams.get('timeoutSeconds')) * 1000
      : undefined);
  const until = c.sim.nowMs + (timeout ?? WATCH_LIMIT_MS);
  const tick = (): void => {
    if (abort.aborted || res.writableEnded) return;
    if (Date.now() < clientPauseUntil) {
      setTimeout(tick, 10);
      return;
    }
    if (c.sim.nowMs >= until) {
      abort.aborted = true;
      res.end();
      return;
    }
    // About 20 times faster than wall-clock time: fast, yet slow enough for the client's own
    // timers (a watch that ends within a second of wall time makes client-go complain).
    c.sim.runUntil(c.sim.nowMs + 100);
    setTimeout(tick, 5);
  };
  setTimeout(tick, 5);
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
        // COMPARE_LOG=1 shows what the real client sends.
        if (process.env.COMPARE_LOG)
          console.error(
            `> ${req.method} ${req.url} ${req.headers['content-type'] ?? ''} ${data.length > 0 && !String(req.headers['content-type']).includes('protobuf') ? data.toString('utf8') : ''}`,
          );
        const w = url.searchParams.get('watch');
        if (req.method === 'GET' && (w === 'true' || w === '1')) {
          streamWatch(c, url, res, String(req.headers.accept ?? ''));
          return;
        }
        const out = route(
          c,
          req.method ?? 'GET',
          url,
          body,
          String(req.headers.accept ?? ''),
          port,
          String(req.headers['content-type'] ?? ''),
        );
        if (typeof out.body === 'string') {
          res.writeHead(out.code, { 'Content-Type': 'text/plain' });
          res.end(out.body);
          return;
        }
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
  cwd: string,
  stdin: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(binary, argv, {
      cwd,
      env: { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: cacheDir },
    });
    child.stdin.end(stdin);
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
  let diffOnly = false;
  const commands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--kubectl') binary = args[++i]!;
    else if (args[i] === '--show') show = true;
    else if (args[i] === '--diff') diffOnly = true;
    else if (args[i] === '--explain-schemas') explainSchemas = true;
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
  let ticking = false;
  // Files the commands read: in a folder of their own for the real client, in ~ for ours.
  const work = join(dir, 'work');
  mkdirSync(work);
  // The lab's home folder (~/examples) for the real client too.
  for (const [path, text] of Object.entries(EXAMPLE_FILES)) {
    const local = join(work, path.slice(HOME.length + 1));
    mkdirSync(dirname(local), { recursive: true });
    writeFileSync(local, text);
  }
  const session = headlessSession();
  let stdin = '';
  for (const command of commands) {
    if (command.startsWith('!file ')) {
      const [, path = ''] = command.split(' ');
      const text = command.slice(`!file ${path} `.length);
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), text);
      session.files.writeFile(path, text);
      continue;
    }
    if (command.startsWith('!stdin ')) {
      stdin = command.slice('!stdin '.length);
      continue;
    }
    if (command.startsWith('!tick ')) {
      ticking = command.endsWith(' on');
      continue;
    }
    if (command.startsWith('!patch ')) {
      const [, resource = '', target = '', ...json] = command.split(' ');
      const patch = JSON.parse(json.join(' '));
      const [namespace, name = ''] = target.includes('/') ? target.split('/') : [undefined, target];
      for (const c of [real, ours])
        serve(c, { verb: 'patch', resource, name, ...(namespace ? { namespace } : {}), patch });
      continue;
    }
    if (command.startsWith('!create ')) {
      const [, resource = '', ...json] = command.split(' ');
      const body = JSON.parse(json.join(' ')) as KubeObject;
      const info = RESOURCES.find((r) => r.resource === resource);
      const namespace = info?.namespaced ? (body.metadata.namespace ?? 'default') : undefined;
      for (const c of [real, ours]) {
        const res = serve(c, { verb: 'create', resource, ...(namespace ? { namespace } : {}), body });
        if (res.code >= 300) console.log(`!create failed: ${JSON.stringify(res.body)}`);
      }
      continue;
    }
    if (command.startsWith('!kill ') || command.startsWith('!start ')) {
      const [verb, host = ''] = command.slice(1).split(' ');
      for (const c of [real, ours]) {
        if (verb === 'kill') c.killHost(host);
        else c.startHost(host);
      }
      continue;
    }
    if (command.startsWith('!advance ')) {
      const ms = parseDurationMs(command.split(' ')[1] ?? '') ?? 0;
      for (const c of [real, ours]) c.sim.runUntil(c.sim.nowMs + ms);
      continue;
    }
    // Quotes group words as a shell would (`-l 'env in (a,b)'`); otherwise words split on spaces.
    const argv = /['"\\]/.test(command)
      ? parseShell(command).map((a) => (typeof a === 'string' ? a : ''))
      : command.split(' ').filter((a) => a !== '');
    const stopTicking = ticking ? startTicking(real) : undefined;
    const r = await runReal(binary, kubeconfig, join(dir, 'cache'), argv, work, stdin);
    stopTicking?.();
    // The real client reports its own server address and a local build suffix.
    const norm = (s: string): string =>
      s
        .replaceAll(`127.0.0.1:${port}`, '10.0.0.100:6443')
        .replaceAll('http://10.0.0.100', 'https://10.0.0.100')
        .replaceAll('v1.32.4-dispatcher', 'v1.32.4');
    const mine = runProgram(ours, kubectl, argv, { stdin, session });
    stdin = '';
    if (ticking) {
      // Both clusters go on from the later of the two instants.
      const t = Math.max(real.sim.nowMs, ours.sim.nowMs);
      for (const c of [real, ours]) c.sim.runUntil(t);
    }
    const same = norm(r.stdout) === mine.stdout && norm(r.stderr) === mine.stderr && r.code === mine.code;
    if (!same) differences++;
    if (same && !show) {
      console.log(`same  $ kubectl ${command}`);
      continue;
    }
    console.log(`${same ? 'same' : 'DIFF'}  $ kubectl ${command}`);
    if (!same && diffOnly) {
      // Only the differing lines (real with -, ours with +), via diff(1).
      const a = join(dir, 'real.txt');
      const b = join(dir, 'ours.txt');
      writeFileSync(a, `${norm(r.stdout)}--- stderr\n${norm(r.stderr)}[exit ${r.code}]\n`);
      writeFileSync(b, `${mine.stdout}--- stderr\n${mine.stderr}[exit ${mine.code}]\n`);
      console.log(spawnSync('diff', [a, b], { encoding: 'utf8' }).stdout);
      continue;
    }
    console.log(`--- real (exit ${r.code}) stdout:\n${norm(r.stdout)}--- real stderr:\n${norm(r.stderr)}`);
    if (!same)
      console.log(`--- ours (exit ${mine.code}) stdout:\n${mine.stdout}--- ours stderr:\n${mine.stderr}`);
  }
  console.log(`${commands.length - differences}/${commands.length} identical`);
}

void main();
