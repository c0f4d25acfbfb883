import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';

function ok(s: Session, line: string): string {
  const r = s.run(line);
  expect(r.code, r.output).toBe(0);
  return r.stdout;
}

describe('describe service and endpoints', () => {
  it("lists a Service's ready endpoints per port, three at most, as kubectl does", () => {
    const s = new Session({ scenario: 'ha', seed: 8 });
    ok(s, 'kubectl create deployment web --image=nginx:1.27 --replicas=4');
    ok(s, 'kubectl expose deployment web --port=80');
    // Before any pod is ready: the Endpoints line is empty.
    expect(ok(s, 'kubectl describe svc web')).toMatch(/\nEndpoints:\s*\n/);
    ok(s, 'advance 20s');
    const text = ok(s, 'kubectl describe svc web');
    expect(text).toMatch(
      /^Name:\s+web\nNamespace:\s+default\nLabels:\s+app=web\nAnnotations:\s+<none>\nSelector:\s+app=web\nType:\s+ClusterIP\n/,
    );
    expect(text).toMatch(
      /\nPort:\s+<unset> {2}80\/TCP\nTargetPort:\s+80\/TCP\nEndpoints:\s+(10\.244\.\d+\.\d+:80,){2}10\.244\.\d+\.\d+:80 \+ 1 more\.\.\.\n/,
    );
    expect(text).toMatch(/\nSession Affinity:\s+None\n/);
    const ep = ok(s, 'kubectl describe endpoints web');
    expect(ep).toMatch(
      /\nSubsets:\n {2}Addresses:\s+(10\.244\.\d+\.\d+,){3}10\.244\.\d+\.\d+\n {2}NotReadyAddresses:\s+<none>\n {2}Ports:\n {4}Name\s+Port\s+Protocol\n {4}----\s+----\s+--------\n {4}<unset>\s+80\s+TCP\n/,
    );
  });

  it('get and describe take the objects of a manifest with -f', () => {
    const s = new Session({ scenario: 'ha', seed: 8 });
    ok(s, 'kubectl apply -f examples/nginx-deployment.yaml -f examples/nginx-service.yaml');
    ok(s, 'advance 10s');
    const got = ok(s, 'kubectl get -f examples/nginx-deployment.yaml -f examples/nginx-service.yaml');
    expect(got).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\ndeployment\.apps\/nginx\s+3\/3/);
    expect(got).toMatch(
      /\n\nNAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nservice\/nginx\s+ClusterIP/,
    );
    expect(ok(s, 'kubectl get -f examples/nginx-service.yaml -o name')).toBe('service/nginx\n');
    expect(ok(s, 'kubectl describe -f examples/nginx-service.yaml')).toMatch(
      /^Name:\s+nginx\n(?:.*\n)*Endpoints:\s+\S+:80,/,
    );
    const both = s.run('kubectl get -f examples/nginx-service.yaml pods');
    expect(both.stderr).toBe(
      'error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n',
    );
  });
});
