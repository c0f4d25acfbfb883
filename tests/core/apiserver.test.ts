import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, LeaseObject, Status } from '../../src/sim/api/types';
import type { ApiOutcome, ApiRequest, ApiResponse } from '../../src/sim/apiserver/request';
import type { ApiClient } from '../../src/sim/client/apiClient';
import { Cluster, SYSTEM_NAMESPACES } from '../../src/sim/cluster/cluster';
import { rfc3339 } from '../../src/sim/kernel/time';

/**
 * kube-apiserver semantics, driven end to end: an outside client → load balancer → an API server
 * → its etcd member (Raft) and back, on a booted `ha` cluster.
 */
let c: Cluster;
let client: ApiClient;

beforeAll(() => {
  c = new Cluster('ha', 1);
  c.sim.runUntil(30_000);
  client = c.outsideClient();
});

/** Sends one request and runs the simulation until the answer arrives. */
function call(req: ApiRequest): ApiResponse {
  let got: ApiOutcome | undefined;
  client.request(req, (o) => {
    got = o;
  });
  c.sim.runUntilDone(() => got !== undefined, c.sim.nowMs + 60_000);
  if (!got) throw new Error(`no answer to ${req.verb} ${req.resource}`);
  if ('transport' in got) throw new Error(`transport error ${got.transport}`);
  return got;
}

const ns = (name: string, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, ...(labels ? { labels } : {}) },
});
const createNs = (name: string, labels?: Record<string, string>) =>
  call({ verb: 'create', resource: 'namespaces', body: ns(name, labels) });
const body = (res: ApiResponse) => res.body as KubeObject;
const status = (res: ApiResponse) => res.body as Status;
const rv = (res: ApiResponse) => Number(body(res).metadata.resourceVersion);

describe('create', () => {
  it('answers 201 with uid, resourceVersion and creationTimestamp set by the server', () => {
    const before = c.sim.nowMs;
    const res = createNs('team-a');
    expect(res.code).toBe(201);
    const m = body(res).metadata;
    expect(m.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(m.resourceVersion).toMatch(/^[1-9]\d*$/);
    expect([rfc3339(before), rfc3339(c.sim.nowMs)]).toContain(m.creationTimestamp);
    expect(body(res)).toMatchObject({ apiVersion: 'v1', kind: 'Namespace' });
  });

  it('ignores a client-supplied resourceVersion and uid', () => {
    const res = call({
      verb: 'create',
      resource: 'namespaces',
      body: { ...ns('team-rv'), metadata: { name: 'team-rv', resourceVersion: '999999', uid: 'mine' } },
    });
    expect(res.code).toBe(201);
    expect(body(res).metadata.uid).not.toBe('mine');
    expect(body(res).metadata.resourceVersion).not.toBe('999999');
  });

  it('refuses a second object with the same name: 409 AlreadyExists', () => {
    createNs('dup');
    const res = createNs('dup');
    expect(res.code).toBe(409);
    expect(status(res)).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'AlreadyExists',
      code: 409,
      message: 'namespaces "dup" already exists',
    });
  });

  it('gives every write a larger resourceVersion', () => {
    const a = rfcSafeCreate('rv-a');
    const b = rfcSafeCreate('rv-b');
    expect(b).toBeGreaterThan(a);
  });

  it('refuses an invalid name with 422 Invalid and apimachinery’s message', () => {
    const res = createNs('Bad_Name');
    expect(res.code).toBe(422);
    expect(status(res)).toMatchObject({
      reason: 'Invalid',
      code: 422,
      message:
        "Namespace \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      details: { name: 'Bad_Name', group: '', kind: 'Namespace' },
    });
    expect(status(res).details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: expect.stringMatching(/^Invalid value: "Bad_Name": /),
      },
    ]);
  });

  it('refuses a namespace name with a dot (a label) but accepts a node name with one (a subdomain)', () => {
    expect(createNs('a.b').code).toBe(422);
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'extra.example.com' } };
    expect(call({ verb: 'create', resource: 'nodes', body: node }).code).toBe(201);
    const bad = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'Extra' } };
    expect(status(call({ verb: 'create', resource: 'nodes', body: bad })).message).toMatch(
      /^Node "Extra" is invalid: metadata.name: Invalid value: "Extra": a lowercase RFC 1123 subdomain must consist of/,
    );
  });

  it('requires a name: 422 with "Required value"', () => {
    const res = createNs('');
    expect(res.code).toBe(422);
    expect(status(res).message).toBe(
      'Namespace "" is invalid: metadata.name: Required value: name or generateName is required',
    );
    expect(status(res).details?.causes?.[0]?.reason).toBe('FieldValueRequired');
  });

  it('refuses a namespaced object in a namespace that does not exist: 404 namespaces "x" not found', () => {
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l1', namespace: 'nope' },
      spec: {},
    };
    const res = call({ verb: 'create', resource: 'leases', namespace: 'nope', body: lease });
    expect(res.code).toBe(404);
    expect(status(res)).toMatchObject({ reason: 'NotFound', message: 'namespaces "nope" not found' });
  });

  it('creates into a namespace created an instant before through another server (the cache catches up)', () => {
    const outcomes: ApiOutcome[] = [];
    client.request({ verb: 'create', resource: 'namespaces', body: ns('fresh-ns') }, (o) => outcomes.push(o));
    // Sent right behind the namespace, before any server has applied it.
    for (let i = 0; i < 3; i++) {
      client.request(
        {
          verb: 'create',
          resource: 'leases',
          namespace: 'fresh-ns',
          body: {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: `l${i}` },
            spec: {},
          },
        },
        (o) => outcomes.push(o),
      );
    }
    c.sim.runUntilDone(() => outcomes.length === 4, c.sim.nowMs + 60_000);
    expect(outcomes.map((o) => ('code' in o ? o.code : o.transport))).toEqual([201, 201, 201, 201]);
  });

  it('creates a namespaced object in the namespace of the URL when the body names none', () => {
    createNs('ns-url');
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l1' }, spec: {} };
    const res = call({ verb: 'create', resource: 'leases', namespace: 'ns-url', body: lease });
    expect(res.code).toBe(201);
    expect(body(res).metadata.namespace).toBe('ns-url');
    expect(call({ verb: 'get', resource: 'leases', namespace: 'ns-url', name: 'l1' }).code).toBe(200);
  });

  it('refuses a body whose namespace is not the URL’s: 400 BadRequest', () => {
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l', namespace: 'a' },
    };
    const res = call({ verb: 'create', resource: 'leases', namespace: 'default', body: lease });
    expect(res.code).toBe(400);
    expect(status(res).message).toBe(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  });

  it('stores nothing for a dry run', () => {
    expect(call({ verb: 'create', resource: 'namespaces', body: ns('dry'), dryRun: true }).code).toBe(201);
    expect(call({ verb: 'get', resource: 'namespaces', name: 'dry' }).code).toBe(404);
  });

  function rfcSafeCreate(name: string): number {
    const res = createNs(name);
    expect(res.code).toBe(201);
    return rv(res);
  }
});

describe('get', () => {
  it('shares one object per stored version between etcd, every reader and the writer', () => {
    const created = body(createNs('shared-one'));
    const first = body(call({ verb: 'get', resource: 'namespaces', name: 'shared-one' }));
    const again = body(call({ verb: 'get', resource: 'namespaces', name: 'shared-one' }));
    expect(again).toBe(first);
    expect(created).toBe(first);
    // The members share one keyspace: each holds this very object, resourceVersion included.
    for (const member of ['cp-1', 'cp-2', 'cp-3']) {
      const kv = c.etcdMember(member)!.store.get('/registry/namespaces/shared-one')!;
      expect(kv.value).toBe(first);
      expect(first.metadata.resourceVersion).toBe(String(kv.modRevision));
    }
  });

  it('returns what create stored, with the same uid and resourceVersion', () => {
    const created = body(createNs('get-me'));
    const res = call({ verb: 'get', resource: 'namespaces', name: 'get-me' });
    expect(res.code).toBe(200);
    expect(body(res)).toEqual(created);
  });

  it('answers 404 NotFound with the real Status for a missing object', () => {
    const res = call({ verb: 'get', resource: 'nodes', name: 'x' });
    expect(res.code).toBe(404);
    expect(res.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'nodes "x" not found',
      reason: 'NotFound',
      code: 404,
      details: { name: 'x', group: '', kind: 'nodes' },
    });
  });

  it('names the group of a missing namespaced object', () => {
    const res = call({ verb: 'get', resource: 'leases', namespace: 'default', name: 'x' });
    expect(status(res).message).toBe('leases.coordination.k8s.io "x" not found');
  });

  it('has created the system namespaces at start', () => {
    for (const name of SYSTEM_NAMESPACES)
      expect(call({ verb: 'get', resource: 'namespaces', name }).code).toBe(200);
  });

  it('serves /version and discovery even without touching etcd', () => {
    expect(call({ verb: 'version', resource: '' }).body).toMatchObject({ major: '1', minor: '32' });
    expect(call({ verb: 'discovery', resource: '' }).code).toBe(200);
  });
});

describe('update', () => {
  it('replaces the object and bumps its resourceVersion when the resourceVersion matches', () => {
    const created = body(createNs('upd'));
    const next = { ...created, metadata: { ...created.metadata, labels: { a: '1' } } };
    const res = call({ verb: 'update', resource: 'namespaces', name: 'upd', body: next });
    expect(res.code).toBe(200);
    // The API server keeps the kubernetes.io/metadata.name label on every write of a Namespace.
    expect(body(res).metadata.labels).toEqual({ a: '1', 'kubernetes.io/metadata.name': 'upd' });
    expect(rv(res)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    expect(body(res).metadata.uid).toBe(created.metadata.uid);
  });

  it('refuses a stale resourceVersion with 409 Conflict and the real message, changing nothing', () => {
    const created = body(createNs('x'));
    const fresh = call({
      verb: 'update',
      resource: 'namespaces',
      name: 'x',
      body: { ...created, metadata: { ...created.metadata, labels: { v: '2' } } },
    });
    expect(fresh.code).toBe(200);
    const stale = call({
      verb: 'update',
      resource: 'namespaces',
      name: 'x',
      body: { ...created, metadata: { ...created.metadata, labels: { v: 'stale' } } },
    });
    expect(stale.code).toBe(409);
    expect(status(stale)).toMatchObject({
      reason: 'Conflict',
      code: 409,
      message:
        'Operation cannot be fulfilled on namespaces "x": the object has been modified; please apply your changes to the latest version and try again',
    });
    expect(body(call({ verb: 'get', resource: 'namespaces', name: 'x' })).metadata.labels).toEqual({
      v: '2',
      'kubernetes.io/metadata.name': 'x',
    });
  });

  it('accepts an update without resourceVersion (unconditional)', () => {
    createNs('uncond');
    const res = call({
      verb: 'update',
      resource: 'namespaces',
      name: 'uncond',
      body: { ...ns('uncond', { b: '1' }) },
    });
    expect(res.code).toBe(200);
    expect(body(res).metadata.labels).toMatchObject({ b: '1' });
  });

  it('keeps uid and creationTimestamp when the new body leaves them out', () => {
    const created = body(createNs('keep-meta'));
    c.sim.runUntil(c.sim.nowMs + 5000);
    const res = call({
      verb: 'update',
      resource: 'namespaces',
      name: 'keep-meta',
      body: ns('keep-meta', { c: '1' }),
    });
    expect(res.code).toBe(200);
    expect(body(res).metadata.uid).toBe(created.metadata.uid);
    expect(body(res).metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
  });

  it('answers 404 for an object that does not exist (namespaces cannot be created by PUT)', () => {
    const res = call({ verb: 'update', resource: 'namespaces', name: 'ghost', body: ns('ghost') });
    expect(res.code).toBe(404);
    expect(status(res).message).toBe('namespaces "ghost" not found');
    expect(call({ verb: 'get', resource: 'namespaces', name: 'ghost' }).code).toBe(404);
  });

  it('answers 404 for a stale update of an object deleted meanwhile', () => {
    const created = body(createNs('gone'));
    call({ verb: 'delete', resource: 'namespaces', name: 'gone' });
    const res = call({ verb: 'update', resource: 'namespaces', name: 'gone', body: created });
    expect(res.code).toBe(404);
  });

  it('updates a namespaced object addressed by the URL namespace when the body names none', () => {
    createNs('lease-ns');
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: {} };
    const created = body(call({ verb: 'create', resource: 'leases', namespace: 'lease-ns', body: lease }));
    const { namespace: _omit, ...meta } = created.metadata;
    const res = call({
      verb: 'update',
      resource: 'leases',
      namespace: 'lease-ns',
      name: 'l',
      body: { ...created, metadata: meta, spec: { holderIdentity: 'me' } },
    });
    expect(res.code).toBe(200);
    expect(body(res).metadata.namespace).toBe('lease-ns');
    const stored = call({ verb: 'get', resource: 'leases', namespace: 'lease-ns', name: 'l' });
    expect((body(stored) as LeaseObject).spec.holderIdentity).toBe('me');
    expect(c.etcdMember('cp-1')!.store.range('/registry/leases/undefined/', true).count).toBe(0);
  });

  it('refuses a body whose name or namespace differs from the URL: 400 BadRequest', () => {
    const byName = call({ verb: 'update', resource: 'namespaces', name: 'a', body: ns('b') });
    expect(byName.code).toBe(400);
    expect(status(byName).message).toBe('the name of the object (b) does not match the name on the URL (a)');
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l', namespace: 'x' },
    };
    const byNs = call({ verb: 'update', resource: 'leases', namespace: 'default', name: 'l', body: lease });
    expect(byNs.code).toBe(400);
    expect(status(byNs).message).toBe(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  });

  it('creates a missing Lease on PUT (AllowCreateOnUpdate), but needs a resourceVersion to update one', () => {
    createNs('put-lease');
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l', namespace: 'put-lease' },
      spec: { holderIdentity: 'a' },
    };
    const created = call({
      verb: 'update',
      resource: 'leases',
      namespace: 'put-lease',
      name: 'l',
      body: lease,
    });
    expect(created.code).toBe(201);
    expect(body(created).metadata.uid).toBeTruthy();
    expect(body(created).metadata.creationTimestamp).toBeTruthy();
    const again = call({
      verb: 'update',
      resource: 'leases',
      namespace: 'put-lease',
      name: 'l',
      body: lease,
    });
    expect(again.code).toBe(422);
    expect(status(again).message).toBe(
      'leases.coordination.k8s.io "l" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );
  });

  it('refuses an update whose uid is not the stored object’s: 409 precondition failed', () => {
    const created = body(createNs('uid-pre'));
    const res = call({
      verb: 'update',
      resource: 'namespaces',
      name: 'uid-pre',
      body: { ...created, metadata: { ...created.metadata, uid: 'other' } },
    });
    expect(res.code).toBe(409);
    expect(status(res).message).toBe(
      `Operation cannot be fulfilled on namespaces "uid-pre": Precondition failed: UID in precondition: other, UID in object meta: ${created.metadata.uid}`,
    );
  });

  it('retries an unconditional update that raced with another write instead of failing', () => {
    createNs('race');
    let first: ApiOutcome | undefined;
    let second: ApiOutcome | undefined;
    client.request(
      { verb: 'update', resource: 'namespaces', name: 'race', body: ns('race', { w: '1' }) },
      (o) => {
        first = o;
      },
    );
    client.request(
      { verb: 'update', resource: 'namespaces', name: 'race', body: ns('race', { w: '2' }) },
      (o) => {
        second = o;
      },
    );
    c.sim.runUntilDone(() => first !== undefined && second !== undefined, c.sim.nowMs + 60_000);
    expect((first as ApiResponse).code).toBe(200);
    expect((second as ApiResponse).code).toBe(200);
    expect(rv(second as ApiResponse)).not.toBe(rv(first as ApiResponse));
  });
});

describe('patch', () => {
  it('merges labels into the stored object and bumps the resourceVersion', () => {
    const created = body(createNs('pat', { a: '1', b: '2' }));
    const res = call({
      verb: 'patch',
      resource: 'namespaces',
      name: 'pat',
      patch: { metadata: { labels: { b: null, c: '3' } } },
    });
    expect(res.code).toBe(200);
    expect(body(res).metadata.labels).toEqual({ a: '1', c: '3', 'kubernetes.io/metadata.name': 'pat' });
    expect(rv(res)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    expect(body(res).metadata.uid).toBe(created.metadata.uid);
  });

  it('cannot rename an object or change its uid', () => {
    const created = body(createNs('pat-id'));
    const res = call({
      verb: 'patch',
      resource: 'namespaces',
      name: 'pat-id',
      patch: { metadata: { name: 'other', uid: 'forged' } },
    });
    expect(res.code).toBe(200);
    expect(body(res).metadata).toMatchObject({ name: 'pat-id', uid: created.metadata.uid });
  });

  it('lands every one of many concurrent patches through all API servers: none lost, none refused', () => {
    // Each server patches from its cache and writes with a compare on modRevision: a patch that
    // raced another one reads again from etcd and applies itself to the newer object.
    createNs('pat-many');
    const outcomes: ApiOutcome[] = [];
    const writers = 12;
    for (let i = 0; i < writers; i++) {
      client.request(
        {
          verb: 'patch',
          resource: 'namespaces',
          name: 'pat-many',
          patch: { metadata: { labels: { [`w${i}`]: 'x' } } },
        },
        (o) => outcomes.push(o),
      );
    }
    c.sim.runUntilDone(() => outcomes.length === writers, c.sim.nowMs + 60_000);
    expect(outcomes.map((o) => ('code' in o ? o.code : o.transport))).toEqual(Array(writers).fill(200));
    const labels =
      body(call({ verb: 'get', resource: 'namespaces', name: 'pat-many' })).metadata.labels ?? {};
    for (let i = 0; i < writers; i++) expect(labels[`w${i}`]).toBe('x');
  });

  it('answers 404 for a missing object', () => {
    const res = call({
      verb: 'patch',
      resource: 'nodes',
      name: 'nope',
      patch: { metadata: { labels: { a: 'b' } } },
    });
    expect(res.code).toBe(404);
    expect(status(res).message).toBe('nodes "nope" not found');
  });
});

describe('delete', () => {
  it('removes the object: 200, then get and a second delete answer 404', () => {
    createNs('del');
    const res = call({ verb: 'delete', resource: 'namespaces', name: 'del' });
    expect(res.code).toBe(200);
    expect(body(res).metadata.name).toBe('del');
    expect(call({ verb: 'get', resource: 'namespaces', name: 'del' }).code).toBe(404);
    const again = call({ verb: 'delete', resource: 'namespaces', name: 'del' });
    expect(again.code).toBe(404);
    expect(status(again).message).toBe('namespaces "del" not found');
  });

  it('lets the name be reused with a new uid', () => {
    const first = body(createNs('reuse'));
    call({ verb: 'delete', resource: 'namespaces', name: 'reuse' });
    const second = createNs('reuse');
    expect(second.code).toBe(201);
    expect(body(second).metadata.uid).not.toBe(first.metadata.uid);
  });
});

describe('list', () => {
  it('returns a typed list with the store revision, filtered by a label selector', () => {
    createNs('blue-1', { team: 'blue' });
    createNs('blue-2', { team: 'blue', tier: 'web' });
    createNs('red-1', { team: 'red' });
    const res = call({ verb: 'list', resource: 'namespaces', labelSelector: 'team=blue' });
    expect(res.code).toBe(200);
    const list = res.body as {
      kind: string;
      apiVersion: string;
      metadata: { resourceVersion: string };
      items: KubeObject[];
    };
    expect(list.kind).toBe('NamespaceList');
    expect(list.apiVersion).toBe('v1');
    expect(list.items.map((o) => o.metadata.name)).toEqual(['blue-1', 'blue-2']);
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(
      Math.max(...list.items.map((o) => Number(o.metadata.resourceVersion))),
    );
    const names = (sel: string) =>
      (
        call({ verb: 'list', resource: 'namespaces', labelSelector: sel }).body as { items: KubeObject[] }
      ).items.map((o) => o.metadata.name);
    expect(names('team in (blue,red),!tier')).toEqual(['blue-1', 'red-1']);
    expect(names('team!=blue,team')).toEqual(['red-1']);
  });

  it('answers 400 for a malformed selector', () => {
    const res = call({ verb: 'list', resource: 'namespaces', labelSelector: '=x' });
    expect(res.code).toBe(400);
    expect(status(res).reason).toBe('BadRequest');
  });

  it('lists one namespace or all of them for a namespaced resource', () => {
    const inNs = call({ verb: 'list', resource: 'leases', namespace: 'kube-node-lease' }).body as {
      items: KubeObject[];
    };
    expect(inNs.items.map((o) => o.metadata.name).sort()).toEqual([...c.hosts.keys()].sort());
    const all = call({ verb: 'list', resource: 'leases' }).body as { items: KubeObject[] };
    expect(all.items.length).toBeGreaterThanOrEqual(inNs.items.length);
  });

  it('filters by field selector on metadata.name', () => {
    const res = call({ verb: 'list', resource: 'nodes', fieldSelector: 'metadata.name=worker-3' });
    expect((res.body as { items: KubeObject[] }).items.map((o) => o.metadata.name)).toEqual(['worker-3']);
    expect(call({ verb: 'list', resource: 'nodes', fieldSelector: 'spec.foo=bar' }).code).toBe(400);
  });

  it('prints a server-side Table for kubectl', () => {
    const res = call({
      verb: 'list',
      resource: 'nodes',
      asTable: true,
      labelSelector: 'kubernetes.io/hostname=cp-1',
    });
    const table = res.body as {
      kind: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[] }[];
    };
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.slice(0, 5).map((d) => d.name)).toEqual([
      'Name',
      'Status',
      'Roles',
      'Age',
      'Version',
    ]);
    expect(table.rows.map((r) => r.cells.slice(0, 3))).toEqual([['cp-1', 'Ready', 'control-plane']]);
  });
});
