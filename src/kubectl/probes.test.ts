import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';

/**
 * Container probes as the kubelet runs them: readiness decides READY and the Service's endpoints,
 * liveness and startup probes that keep failing get the container killed and restarted, and each
 * failure is a Warning Unhealthy event worded as the kubelet words it.
 */

function ok(s: Session, line: string, heredoc = ''): string {
  const r = s.run(line, heredoc);
  expect(r.code, r.output).toBe(0);
  return r.stdout;
}

const row = (s: Session, pod: string): string =>
  ok(s, `kubectl get pod ${pod} --no-headers`)
    .split(/\s{2,}/)
    .slice(1, 4)
    .join(' ');

function web(name: string, probe: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels:\n    app: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n${probe}`;
}

describe('probes', () => {
  it("a liveness exec probe restarts the container once the file it reads is gone (the docs' example)", () => {
    const s = new Session({ scenario: 'ha', seed: 2 });
    // The docs' liveness-exec example (~/examples/liveness-exec.yaml).
    ok(s, 'kubectl apply -f examples/liveness-exec.yaml');
    ok(s, 'advance 20s');
    expect(row(s, 'liveness-exec')).toBe('1/1 Running 0');
    // The script's touch is in the container: exec sees the file.
    expect(ok(s, 'kubectl exec liveness-exec -- ls /tmp')).toBe('healthy\n');
    ok(s, 'advance 30s');
    const events = ok(s, 'kubectl describe pod liveness-exec');
    expect(events).toMatch(
      /Warning\s+Unhealthy\s+.*kubelet\s+Liveness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory\n/,
    );
    expect(events).toMatch(
      /Normal\s+Killing\s+.*Container liveness failed liveness probe, will be restarted\n/,
    );
    // sh as PID 1 ignores SIGTERM: it is killed when the 30 s grace period ends, then restarted.
    ok(s, 'advance 40s');
    expect(row(s, 'liveness-exec')).toMatch(/^1\/1 Running 1 \(\d+s ago\)$/);
    expect(
      ok(
        s,
        "kubectl get pod liveness-exec -o jsonpath='{.status.containerStatuses[0].lastState.terminated.exitCode}'",
      ),
    ).toBe('137');
  });

  it('readiness decides READY and which pods a Service sends traffic to', () => {
    const s = new Session({ scenario: 'ha', seed: 4 });
    const probe = (path: string) =>
      `    readinessProbe:\n      httpGet:\n        path: ${path}\n        port: 80\n      periodSeconds: 5\n`;
    ok(s, 'kubectl apply -f - <<EOF', web('good', probe('/')));
    ok(s, 'kubectl apply -f - <<EOF', web('bad', probe('/healthz')));
    ok(s, 'kubectl create service clusterip web --tcp=80:80');
    ok(s, 'advance 30s');
    expect(row(s, 'good')).toBe('1/1 Running 0');
    expect(row(s, 'bad')).toBe('0/1 Running 0');
    expect(ok(s, 'kubectl describe pod bad')).toMatch(
      /Warning\s+Unhealthy\s+\S+ \(x\d+ over \d+s\)\s+kubelet\s+Readiness probe failed: HTTP probe failed with statuscode: 404\n/,
    );
    const goodIp = ok(s, "kubectl get pod good -o jsonpath='{.status.podIP}'");
    const badIp = ok(s, "kubectl get pod bad -o jsonpath='{.status.podIP}'");
    expect(ok(s, "kubectl get endpoints web -o jsonpath='{.subsets[0].addresses[*].ip}'")).toBe(goodIp);
    expect(ok(s, "kubectl get endpoints web -o jsonpath='{.subsets[0].notReadyAddresses[*].ip}'")).toBe(
      badIp,
    );
    expect(ok(s, 'kubectl describe pod bad')).toContain(
      'Readiness:      http-get http://:80/healthz delay=0s timeout=1s period=5s #success=1 #failure=3',
    );
  });

  it('a startup probe holds the others back, and a container that never starts up is restarted', () => {
    const s = new Session({ scenario: 'ha', seed: 6 });
    const startup = (port: number) =>
      `    startupProbe:\n      tcpSocket:\n        port: ${port}\n      periodSeconds: 2\n      failureThreshold: 3\n    livenessProbe:\n      httpGet:\n        path: /nope\n        port: 80\n`;
    ok(s, 'kubectl apply -f - <<EOF', web('slow', startup(8080)));
    ok(s, 'advance 12s');
    const describe = ok(s, 'kubectl describe pod slow');
    expect(describe).toContain('Startup probe failed: dial tcp 10.244.');
    expect(describe).toContain(':8080: connect: connection refused');
    expect(describe).toContain('Container web failed startup probe, will be restarted');
    // The liveness probe never ran: its failures would name /nope.
    expect(describe).not.toContain('Liveness probe failed');
    ok(s, 'advance 5s');
    expect(row(s, 'slow')).toMatch(/^0\/1 (Running|CrashLoopBackOff) [1-9]/);
  });
});

describe('rollouts and readiness', () => {
  it('a rollout whose new pods never get ready stalls, and the old pods keep serving', () => {
    const s = new Session({ scenario: 'ha', seed: 14 });
    const deploy = (path: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 4\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        readinessProbe:\n          httpGet:\n            path: ${path}\n            port: 80\n          periodSeconds: 2\n`;
    ok(s, 'kubectl apply -f - <<EOF', deploy('/'));
    ok(s, 'kubectl expose deployment web --port=80');
    ok(s, 'advance 20s');
    expect(ok(s, "kubectl get deploy web -o jsonpath='{.status.availableReplicas}'")).toBe('4');
    ok(s, 'kubectl apply -f - <<EOF', deploy('/healthz'));
    ok(s, 'advance 60s');
    // maxSurge 25% and maxUnavailable 25%: one old pod goes, two new ones never get ready.
    const status = s.run('kubectl rollout status deployment/web --timeout=5s');
    expect(status.stdout).toContain(
      'Waiting for deployment "web" rollout to finish: 2 out of 4 new replicas have been updated...',
    );
    expect(status.stderr).toBe('error: timed out waiting for the condition\n');
    expect(ok(s, "kubectl get deploy web -o jsonpath='{.status.availableReplicas}'")).toBe('3');
    // The Service still has three ready endpoints: the old pods.
    expect(
      ok(s, "kubectl get endpoints web -o jsonpath='{.subsets[0].addresses[*].ip}'").split(' '),
    ).toHaveLength(3);
    ok(s, 'kubectl rollout undo deployment/web');
    ok(s, 'advance 30s');
    expect(ok(s, "kubectl get deploy web -o jsonpath='{.status.availableReplicas}'")).toBe('4');
  });
});
