import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';

/**
 * Init containers as the kubelet runs them: one by one, each to its end, before the app's
 * containers; a failing one is restarted with back-off (or fails the pod under Never); a sidecar
 * (restartPolicy Always) starts in order and keeps running. STATUS, READY, describe and logs read
 * as kubectl prints them.
 */

function ok(s: Session, line: string, heredoc = ''): string {
  const r = s.run(line, heredoc);
  expect(r.code, r.output).toBe(0);
  return r.stdout;
}

const status = (s: Session, pod: string): string =>
  ok(s, `kubectl get pod ${pod} --no-headers`).split(/\s+/).slice(1, 4).join(' ');

function pod(name: string, restartPolicy: string, inits: string, containers: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  restartPolicy: ${restartPolicy}\n  initContainers:\n${inits}  containers:\n${containers}`;
}

describe('init containers', () => {
  it('run one after the other, each waiting for its Service, before the app starts', () => {
    const s = new Session({ scenario: 'ha', seed: 3 });
    // The docs' example: two init containers waiting for Services (~/examples/init-containers.yaml).
    ok(s, 'kubectl apply -f examples/init-containers.yaml');
    ok(s, 'advance 10s');
    expect(status(s, 'myapp-pod')).toBe('0/1 Init:0/2 0');
    const logs = s.run('kubectl logs myapp-pod');
    expect(logs.stderr).toBe(
      'Defaulted container "myapp-container" out of: myapp-container, init-myservice (init), init-mydb (init)\n' +
        'Error from server (BadRequest): container "myapp-container" in pod "myapp-pod" is waiting to start: PodInitializing\n',
    );
    // busybox 1.28's nslookup, as the docs show it.
    expect(ok(s, 'kubectl logs myapp-pod -c init-myservice')).toContain(
      "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nnslookup: can't resolve 'myservice.default.svc.cluster.local'\nwaiting for myservice\n",
    );
    expect(
      ok(s, `kubectl get pod myapp-pod -o jsonpath='{.status.conditions[?(@.type=="Initialized")].message}'`),
    ).toBe('containers with incomplete status: [init-myservice init-mydb]');
    ok(s, 'kubectl create service clusterip myservice --tcp=80:9376');
    ok(s, 'advance 5s');
    expect(status(s, 'myapp-pod')).toBe('0/1 Init:1/2 0');
    ok(s, 'kubectl create service clusterip mydb --tcp=80:9377');
    ok(s, 'advance 10s');
    expect(status(s, 'myapp-pod')).toBe('1/1 Running 0');
    expect(ok(s, 'kubectl logs myapp-pod -c myapp-container')).toBe('The app is running!\n');
    const describe = ok(s, 'kubectl describe pod myapp-pod');
    expect(describe).toMatch(
      /init-mydb:\n(?:.*\n)*?\s+State:\s+Terminated\n\s+Reason:\s+Completed\n\s+Exit Code:\s+0\n/,
    );
    expect(describe).toContain('Normal  Started    ');
    expect(describe).toContain('Started container init-mydb');
    expect(ok(s, "kubectl get pod myapp-pod -o jsonpath='{.status.initContainerStatuses[*].ready}'")).toBe(
      'true true',
    );
  });

  it('a failing init container is restarted with back-off (Init:CrashLoopBackOff), or fails the pod under Never', () => {
    const s = new Session({ scenario: 'ha', seed: 5 });
    const failing =
      '  - name: setup\n    image: busybox:1.36\n    command: ["sh", "-c", "echo cannot set up; exit 3"]\n';
    const app = '  - name: app\n    image: nginx:1.27\n';
    ok(s, 'kubectl apply -f - <<EOF', pod('retry', 'Always', failing, app));
    ok(s, 'kubectl apply -f - <<EOF', pod('once', 'Never', failing, app));
    ok(s, 'advance 40s');
    expect(status(s, 'retry')).toMatch(/^0\/1 Init:(CrashLoopBackOff|Error) [2-9]/);
    expect(ok(s, 'kubectl logs retry -c setup')).toBe('cannot set up\n');
    expect(status(s, 'once')).toBe('0/1 Init:Error 0');
    expect(ok(s, "kubectl get pod once -o jsonpath='{.status.phase}'")).toBe('Failed');
    // The app's container never started in either.
    expect(
      ok(s, "kubectl get pod retry -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}'"),
    ).toBe('PodInitializing');
  });

  it('a sidecar (restartPolicy Always) starts first and keeps running next to the app', () => {
    const s = new Session({ scenario: 'ha', seed: 7 });
    const sidecar =
      '  - name: logger\n    image: busybox:1.36\n    restartPolicy: Always\n    command: ["sh", "-c", "while true; do echo tick; sleep 5; done"]\n';
    ok(
      s,
      'kubectl apply -f - <<EOF',
      pod('withside', 'Always', sidecar, '  - name: app\n    image: nginx:1.27\n'),
    );
    ok(s, 'advance 30s');
    expect(status(s, 'withside')).toBe('2/2 Running 0');
    expect(ok(s, 'kubectl logs withside -c logger')).toMatch(/^(tick\n){3,}$/);
  });
});
