import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';

/**
 * Scripts that call network tools in a loop (a load generator hitting a Service, a pod waiting for
 * one to exist): the kubelet runs them as time passes, each call on the cluster network as it is
 * at that instant, and their logs and their end follow from what each call found.
 */

function ok(s: Session, line: string): string {
  const r = s.run(line);
  expect(r.code, r.output).toBe(0);
  return r.stdout;
}

describe('a script that loops over network tools', () => {
  it("prints what each call found at its instant, and its log's past does not change", () => {
    const s = new Session({ scenario: 'ha', seed: 2 });
    ok(
      s,
      'kubectl run client --image=busybox:1.36 -- sh -c "while true; do wget -qO- -T 2 http://web | grep title; sleep 2; done"',
    );
    ok(s, 'advance 10s');
    const before = ok(s, 'kubectl logs client');
    expect(before).toMatch(/^(wget: bad address 'web'\n){3,}$/);
    ok(s, 'kubectl create deployment web --image=nginx:1.27 --replicas=2');
    ok(s, 'kubectl expose deployment web --port=80');
    ok(s, 'advance 20s');
    const after = ok(s, 'kubectl logs client');
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toContain('<title>Welcome to nginx!</title>\n');
    expect(ok(s, 'kubectl logs client --tail=1')).toBe('<title>Welcome to nginx!</title>\n');
  });

  it('a pod waiting for a Service runs until the Service exists, then completes', () => {
    const s = new Session({ scenario: 'ha', seed: 4 });
    ok(
      s,
      'kubectl run waiter --image=busybox:1.36 --restart=Never -- sh -c "until nslookup db >/dev/null 2>&1; do echo waiting for db; sleep 2; done; echo db is up"',
    );
    ok(s, 'advance 10s');
    expect(ok(s, 'kubectl get pod waiter --no-headers')).toMatch(/^waiter\s+1\/1\s+Running\s+0/);
    ok(s, 'kubectl create service clusterip db --tcp=5432:5432');
    ok(s, 'advance 5s');
    expect(ok(s, 'kubectl get pod waiter --no-headers')).toMatch(/^waiter\s+0\/1\s+Completed\s+0/);
    const log = ok(s, 'kubectl logs waiter');
    expect(log).toMatch(/^(waiting for db\n){3,}db is up\n$/);
  });
});

describe("the container's busybox wget", () => {
  it('takes -T, -O FILE and -U, and refuses an unknown option as busybox does', () => {
    const s = new Session({ scenario: 'single', seed: 1 });
    ok(s, 'kubectl create deployment web --image=nginx:1.27');
    ok(s, 'kubectl expose deployment web --port=80');
    ok(s, 'kubectl run bb --image=busybox:1.36 -- sleep 3600');
    ok(s, 'advance 20s');
    ok(s, 'kubectl exec bb -- wget -q -T 5 -U probe -O /tmp/page.html http://web');
    expect(ok(s, 'kubectl exec bb -- cat /tmp/page.html')).toContain('<title>Welcome to nginx!</title>');
    const bad = s.run('kubectl exec bb -- wget -Z http://web');
    expect(bad.code).not.toBe(0);
    expect(bad.output).toContain('wget: unrecognized option: Z');
  });
});
