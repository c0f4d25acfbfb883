import { describe, expect, it } from 'vitest';
import type { PodLogOptions } from '../api/podLog';
import type { Container, PodObject, Status } from '../api/types';
import { Cluster } from '../cluster/cluster';
import { DIAL_NO_ROUTE_MS, DIAL_TIMEOUT_MS } from '../cluster/links';
import type { ApiOutcome, ApiRequest, ApiResponse } from './request';

/**
 * GET pods/NAME/log: the API server reads the pod, picks its container, and proxies to the
 * kubelet of its node over the simulated network; errors are those a real cluster gives.
 */

function boot(seed = 1): Cluster {
  const c = new Cluster('ha', seed);
  c.sim.runUntil(30_000);
  return c;
}

function call(c: Cluster, req: ApiRequest, limitMs = 120_000): ApiResponse {
  let out: ApiOutcome | undefined;
  c.outsideClient().request(req, (o) => {
    out = o;
  });
  c.sim.runUntilDone(() => out !== undefined, c.sim.nowMs + limitMs);
  if (!out || 'transport' in out) throw new Error(`no response: ${JSON.stringify(out)}`);
  return out;
}

function createPod(
  c: Cluster,
  name: string,
  containers: Container[],
  extra: Partial<PodObject['spec']> = {},
): void {
  const body = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: { containers, ...extra },
  } as PodObject;
  expect(call(c, { verb: 'create', resource: 'pods', namespace: 'default', body }).code).toBe(201);
}

function logs(c: Cluster, name: string, opts: PodLogOptions = {}): ApiResponse {
  return call(c, {
    verb: 'get',
    resource: 'pods',
    subresource: 'log',
    namespace: 'default',
    name,
    logOptions: opts,
  });
}

const message = (r: ApiResponse): string => (r.body as Status).message;
const nodeOf = (c: Cluster, name: string): string =>
  (call(c, { verb: 'get', resource: 'pods', namespace: 'default', name }).body as PodObject).spec.nodeName!;

const COUNTER: Container = {
  name: 'counter',
  image: 'busybox',
  args: ['sh', '-c', 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done'],
};

describe('pods/log', () => {
  it('says why a container has no log yet, then serves it once it runs', () => {
    const c = boot();
    createPod(c, 'web', [{ name: 'web', image: 'nginx:1.27' }]);
    c.sim.runUntil(c.sim.nowMs + 300);
    const early = logs(c, 'web');
    expect(early.code).toBe(400);
    expect(early.body).toMatchObject({ reason: 'BadRequest' });
    expect(message(early)).toBe('container "web" in pod "web" is waiting to start: ContainerCreating');
    c.sim.runUntil(c.sim.nowMs + 10_000);
    const r = logs(c, 'web');
    expect(r.code).toBe(200);
    expect(r.body).toContain('[notice] 1#1: nginx/1.27.3\n');
  });

  it('a pod not bound to a node has an empty log; an unknown pod is NotFound', () => {
    const c = boot();
    createPod(c, 'stuck', [{ name: 'web', image: 'nginx' }], { nodeSelector: { disk: 'none-has-it' } });
    c.sim.runUntil(c.sim.nowMs + 5_000);
    expect(logs(c, 'stuck')).toEqual({ code: 200, body: '' });
    const missing = logs(c, 'nope');
    expect(missing.code).toBe(404);
    expect(message(missing)).toBe('pods "nope" not found');
  });

  it('asks for a container when the pod has several, and refuses one it does not have', () => {
    const c = boot();
    createPod(c, 'two', [
      { name: 'a', image: 'nginx' },
      { name: 'b', image: 'redis' },
    ]);
    const r = logs(c, 'two');
    expect(r.code).toBe(400);
    expect(message(r)).toBe('a container name must be specified for pod two, choose one of: [a b]');
    expect(message(logs(c, 'two', { container: 'c' }))).toBe('container c is not valid for pod two');
  });

  it('reports image pull failures as the kubelet words them', () => {
    const c = boot();
    createPod(c, 'bad', [{ name: 'bad', image: 'nginx:no-such-tag' }]);
    c.sim.runUntil(c.sim.nowMs + 2_000);
    expect(message(logs(c, 'bad'))).toBe(
      'container "bad" in pod "bad" is waiting to start: image can\'t be pulled',
    );
    c.sim.runUntil(c.sim.nowMs + 1_500);
    expect(message(logs(c, 'bad'))).toBe(
      'container "bad" in pod "bad" is waiting to start: trying and failing to pull image',
    );
  });

  it('--previous needs a terminated container; a crash-looping one has it', () => {
    const c = boot();
    createPod(c, 'web', [{ name: 'web', image: 'nginx' }]);
    createPod(c, 'db', [{ name: 'db', image: 'postgres:17' }]);
    c.sim.runUntil(c.sim.nowMs + 15_000);
    const none = logs(c, 'web', { previous: true });
    expect(none.code).toBe(400);
    expect(message(none)).toBe('previous terminated container "web" in pod "web" not found');
    const prev = logs(c, 'db', { previous: true });
    expect(prev.code).toBe(200);
    expect(prev.body).toMatch(
      /^Error: Database is uninitialized and superuser password is not specified\.\n/,
    );
    // While it waits to restart, the current log is the one that just ended.
    expect(logs(c, 'db').body).toBe(prev.body);
  });

  it('applies tail, since, timestamps and limitBytes as the kubelet does', () => {
    const c = boot();
    createPod(c, 'counter', [COUNTER]);
    c.sim.runUntil(c.sim.nowMs + 60_000);
    const all = (logs(c, 'counter').body as string).split('\n').filter(Boolean);
    expect(all.length).toBeGreaterThan(50);
    expect(logs(c, 'counter', { tailLines: 3 }).body).toBe(`${all.slice(-3).join('\n')}\n`);
    expect(logs(c, 'counter', { tailLines: 0 }).body).toBe('');
    const recent = (logs(c, 'counter', { sinceSeconds: 5 }).body as string).split('\n').filter(Boolean);
    expect(recent.length).toBeGreaterThanOrEqual(4);
    expect(recent.length).toBeLessThanOrEqual(6);
    const stamped = logs(c, 'counter', { tailLines: 1, timestamps: true }).body as string;
    expect(stamped).toMatch(/^2026-11-25T09:0\d:\d\d\.\d+Z \d+: Wed Nov 25 09:0\d:\d\d UTC 2026\n$/);
    expect(logs(c, 'counter', { limitBytes: 10 }).body).toBe(`${all.join('\n')}\n`.slice(0, 10));
  });

  it('is the same on two clusters with the same seed', () => {
    const run = (): unknown => {
      const c = boot(7);
      createPod(c, 'counter', [COUNTER]);
      createPod(c, 'web', [{ name: 'web', image: 'httpd' }]);
      c.sim.runUntil(c.sim.nowMs + 20_000);
      return [logs(c, 'counter', { timestamps: true }).body, logs(c, 'web', { timestamps: true }).body];
    };
    expect(run()).toEqual(run());
  });

  it('cannot reach the kubelet of a dead node (no route) or one cut off (dial timeout)', () => {
    const c = boot();
    createPod(c, 'counter', [COUNTER]);
    c.sim.runUntil(c.sim.nowMs + 10_000);
    const node = nodeOf(c, 'counter');
    const ip = c.host(node)!.spec.ip;
    c.killHost(node);
    const t0 = c.sim.nowMs;
    const dead = logs(c, 'counter');
    expect(dead.code).toBe(500);
    expect(dead.body).toMatchObject({ reason: '' });
    expect(message(dead)).toBe(
      `Get "https://${ip}:10250/containerLogs/default/counter/counter": dial tcp ${ip}:10250: connect: no route to host`,
    );
    expect(c.sim.nowMs - t0).toBeGreaterThanOrEqual(DIAL_NO_ROUTE_MS);

    c.startHost(node);
    c.sim.runUntil(c.sim.nowMs + 20_000);
    const zone = c.host(node)!.zone;
    c.partition([zone]);
    // Let the rest elect an etcd leader if it was cut off, then ask an API server outside the cut zone.
    c.sim.runUntil(c.sim.nowMs + 10_000);
    const others = c.controlPlanes().filter((h) => h.zone !== zone);
    let out: ApiOutcome | undefined;
    c.localClient(others[0]!).request(
      {
        verb: 'get',
        resource: 'pods',
        subresource: 'log',
        namespace: 'default',
        name: 'counter',
        logOptions: { tailLines: 1 },
      },
      (o) => {
        out = o;
      },
    );
    const t1 = c.sim.nowMs;
    c.sim.runUntilDone(() => out !== undefined, t1 + 120_000);
    expect(message(out as ApiResponse)).toBe(
      `Get "https://${ip}:10250/containerLogs/default/counter/counter?tailLines=1": dial tcp ${ip}:10250: i/o timeout`,
    );
    expect(c.sim.nowMs - t1).toBeGreaterThanOrEqual(DIAL_TIMEOUT_MS);
  });

  it('follows: new lines arrive as simulated time passes, until the client hangs up', () => {
    const c = boot();
    createPod(c, 'counter', [COUNTER]);
    c.sim.runUntil(c.sim.nowMs + 10_000);
    const pieces: string[] = [];
    const abort = { aborted: false };
    let ended: ApiOutcome | undefined;
    c.outsideClient().request(
      {
        verb: 'get',
        resource: 'pods',
        subresource: 'log',
        namespace: 'default',
        name: 'counter',
        logOptions: { follow: true, tailLines: 1 },
        abort,
        onLogData: (t) => pieces.push(t),
      },
      (o) => {
        ended = o;
      },
    );
    c.sim.runUntil(c.sim.nowMs + 5_000);
    expect(ended).toBeUndefined();
    const lines = pieces.join('').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    const numbers = lines.map((l) => Number(l.split(':')[0]));
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[i - 1]! + 1);
    abort.aborted = true;
    c.sim.runUntil(c.sim.nowMs + 2_000);
    expect(ended).toEqual({ code: 200, body: '' });
  });

  it('a followed log ends with what the image prints when its pod is deleted', () => {
    const c = boot();
    createPod(c, 'web', [{ name: 'web', image: 'nginx:1.27' }]);
    c.sim.runUntil(c.sim.nowMs + 10_000);
    const pieces: string[] = [];
    let ended: ApiOutcome | undefined;
    c.outsideClient().request(
      {
        verb: 'get',
        resource: 'pods',
        subresource: 'log',
        namespace: 'default',
        name: 'web',
        logOptions: { follow: true, tailLines: 0 },
        onLogData: (t) => pieces.push(t),
      },
      (o) => {
        ended = o;
      },
    );
    c.sim.runUntil(c.sim.nowMs + 3_000);
    expect(pieces).toEqual([]);
    call(c, { verb: 'delete', resource: 'pods', namespace: 'default', name: 'web' });
    c.sim.runUntilDone(() => ended !== undefined, c.sim.nowMs + 60_000);
    expect(ended).toEqual({ code: 200, body: '' });
    const text = pieces.join('');
    expect(text).toMatch(/\[notice\] 1#1: signal 3 \(SIGQUIT\) received, shutting down\n/);
    expect(text.endsWith('[notice] 1#1: exit\n')).toBe(true);
  });
});
