import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';

function ok(s: Session, line: string): string {
  const r = s.run(line);
  expect(r.code, r.output).toBe(0);
  return r.stdout;
}

describe('EndpointSlices', () => {
  it('the endpoint slice controller keeps one slice per Service, listing its pods with their readiness and zone', () => {
    const s = new Session({ scenario: 'ha', seed: 9 });
    ok(s, 'kubectl create service clusterip empty --tcp=80:80');
    ok(s, 'kubectl create deployment web --image=nginx:1.27 --replicas=4');
    ok(s, 'kubectl expose deployment web --port=80');
    ok(s, 'advance 20s');
    const table = ok(s, 'kubectl get endpointslices');
    expect(table).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE\n/);
    // A Service without pods keeps an empty slice; web's lists three addresses and "+ 1 more...".
    expect(table).toMatch(/\nempty-[a-z0-9]{5}\s+IPv4\s+<unset>\s+<unset>\s+\d+s\n/);
    expect(table).toMatch(
      /\nweb-[a-z0-9]{5}\s+IPv4\s+80\s+(10\.244\.\d+\.\d+,){2}10\.244\.\d+\.\d+ \+ 1 more\.\.\.\s+\d+s\n/,
    );
    const sel = '-l kubernetes.io/service-name=web';
    expect(
      ok(s, `kubectl get endpointslices ${sel} -o jsonpath='{.items[0].endpoints[*].conditions.ready}'`),
    ).toBe('true true true true');
    expect(ok(s, `kubectl get endpointslices ${sel} -o jsonpath='{.items[0].endpoints[*].zone}'`)).toMatch(
      /^zone-[abc]( zone-[abc]){3}$/,
    );
    expect(
      ok(s, `kubectl get endpointslices ${sel} -o jsonpath='{.items[0].metadata.ownerReferences[0].kind}'`),
    ).toBe('Service');
    ok(s, 'kubectl delete svc web');
    ok(s, 'advance 2s');
    expect(ok(s, `kubectl get endpointslices ${sel} -o name`)).toBe('');
  });
});
