import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';

function ok(s: Session, line: string): string {
  const r = s.run(line);
  expect(r.code, r.output).toBe(0);
  return r.stdout;
}

describe("the Kubernetes docs' example URLs", () => {
  it('apply, get and delete -f take the docs examples by URL; other URLs are unreachable', () => {
    const s = new Session({ scenario: 'ha', seed: 16 });
    expect(ok(s, 'kubectl apply -f https://k8s.io/examples/application/deployment.yaml')).toBe(
      'deployment.apps/nginx-deployment created\n',
    );
    ok(s, 'advance 15s');
    expect(ok(s, 'kubectl get -f https://k8s.io/examples/application/deployment.yaml --no-headers')).toMatch(
      /^nginx-deployment\s+2\/2\s+2\s+2\s/,
    );
    // nginx 1.14 logs nothing at start (no entrypoint script before 1.19).
    expect(ok(s, 'kubectl logs deploy/nginx-deployment')).toBe('');
    expect(
      ok(
        s,
        'kubectl apply -f https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/application/deployment-update.yaml',
      ),
    ).toBe('deployment.apps/nginx-deployment configured\n');
    ok(s, 'kubectl rollout status deployment/nginx-deployment --timeout=60s');
    expect(
      ok(s, "kubectl get deploy nginx-deployment -o jsonpath='{.spec.template.spec.containers[0].image}'"),
    ).toBe('nginx:1.16.1');
    const missing = s.run('kubectl apply -f https://k8s.io/examples/nope.yaml');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such host');
  });
});
