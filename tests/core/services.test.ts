import { describe, expect, it } from 'vitest';
import { Session } from '../../src/script/session';
import type { EndpointsObject, ServiceObject } from '../../src/sim/api/types';

function api(s: Session, req: Parameters<ReturnType<Session['cluster']['outsideClient']>['request']>[0]) {
  let res: { code: number; body: unknown } | undefined;
  s.cluster.outsideClient().request(req, (r) => {
    res = r as never;
  });
  s.cluster.sim.runUntilDone(() => res !== undefined, s.cluster.sim.nowMs + 20_000);
  return res!;
}

describe('services and endpoints', () => {
  it('the kubernetes Service points at the live API servers', () => {
    const s = new Session({ scenario: 'ha', seed: 3 });
    const svc = api(s, { verb: 'get', resource: 'services', namespace: 'default', name: 'kubernetes' })
      .body as ServiceObject;
    expect(svc.spec.clusterIP).toBe('10.96.0.1');
    expect(svc.spec.ports?.[0]).toMatchObject({
      name: 'https',
      port: 443,
      targetPort: 6443,
      protocol: 'TCP',
    });
    const ips = () =>
      (
        api(s, { verb: 'get', resource: 'endpoints', namespace: 'default', name: 'kubernetes' })
          .body as EndpointsObject
      ).subsets?.[0]?.addresses?.map((a) => a.ip);
    expect(ips()).toEqual(['10.0.0.2', '10.0.32.2', '10.0.64.2']);
    s.run('kill node cp-1');
    s.run('advance 15s');
    expect(ips()).toEqual(['10.0.32.2', '10.0.64.2']);
  });

  it("a Service's Endpoints follow its pods' readiness", () => {
    const s = new Session({ scenario: 'ha', seed: 4 });
    s.run('kubectl create deployment web --image=nginx:1.27 --replicas=3');
    const created = api(s, {
      verb: 'create',
      resource: 'services',
      namespace: 'default',
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web' },
        spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      } as never,
    });
    expect(created.code).toBe(201);
    const svc = created.body as ServiceObject;
    expect(svc.spec.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    expect(svc.spec.type).toBe('ClusterIP');
    s.run('advance 10s');
    const ep = () =>
      api(s, { verb: 'get', resource: 'endpoints', namespace: 'default', name: 'web' })
        .body as EndpointsObject;
    expect(ep().subsets?.[0]?.addresses).toHaveLength(3);
    expect(ep().subsets?.[0]?.ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    // A dead worker's pod is marked not ready by the node controller and leaves the ready addresses.
    const node = ep().subsets?.[0]?.addresses?.[0]?.nodeName as string;
    s.run(`kill node ${node}`);
    s.run('advance 70s');
    expect(ep().subsets?.[0]?.addresses).toHaveLength(2);
    expect(ep().subsets?.[0]?.notReadyAddresses).toHaveLength(1);
    api(s, { verb: 'delete', resource: 'services', namespace: 'default', name: 'web' });
    s.run('advance 2s');
    expect(api(s, { verb: 'get', resource: 'endpoints', namespace: 'default', name: 'web' }).code).toBe(404);
  });

  it('refuses a Service without ports', () => {
    const s = new Session({ scenario: 'single', seed: 1 });
    const res = api(s, {
      verb: 'create',
      resource: 'services',
      namespace: 'default',
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'bad' },
        spec: { selector: { a: 'b' } },
      } as never,
    });
    expect(res.code).toBe(422);
    expect((res.body as { message: string }).message).toBe(
      'Service "bad" is invalid: spec.ports: Required value',
    );
  });
});
