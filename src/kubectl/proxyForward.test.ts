import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';
import { requestFor } from './commands/proxy';

/**
 * kubectl proxy and port-forward serve local ports that the lab's curl reaches; from outside the
 * cluster only NodePorts on node addresses answer. Help and usage errors were checked against the
 * real kubectl v1.32.4.
 */

function ok(s: Session, line: string): string {
  const r = s.run(line);
  expect(r.code, r.output).toBe(0);
  return r.stdout;
}

function withWeb(): Session {
  const s = new Session({ scenario: 'ha', seed: 2 });
  ok(s, 'kubectl create deployment web --image=nginx:1.27 --replicas=2 --port=80');
  ok(s, 'kubectl rollout status deployment/web');
  return s;
}

describe('the proxy routes REST paths as the API server does', () => {
  it('maps paths to requests', () => {
    const q = new URLSearchParams('labelSelector=app%3Dweb');
    expect(requestFor('/api/v1/namespaces/default/pods', q)).toEqual({
      verb: 'list',
      resource: 'pods',
      namespace: 'default',
      labelSelector: 'app=web',
    });
    expect(requestFor('/api/v1/nodes/worker-1', new URLSearchParams())).toEqual({
      verb: 'get',
      resource: 'nodes',
      name: 'worker-1',
    });
    expect(
      requestFor('/apis/apps/v1/namespaces/default/deployments/web', new URLSearchParams()),
    ).toMatchObject({
      verb: 'get',
      resource: 'deployments',
      name: 'web',
    });
    expect(
      requestFor('/api/v1/namespaces/default/pods/web-1:8080/proxy/a/b', new URLSearchParams()),
    ).toMatchObject({
      name: 'web-1',
      subresource: 'proxy',
      proxy: { port: '8080', path: '/a/b' },
    });
    expect(requestFor('/api/v1/namespaces/default/nodes', new URLSearchParams())).toBeUndefined();
    expect(requestFor('/apis/apps/v1/pods', new URLSearchParams())).toBeUndefined();
  });
});

describe('kubectl proxy', () => {
  it('serves the API on localhost until stopped, pretty JSON as for curl', () => {
    const s = withWeb();
    expect(s.run('kubectl proxy --port=8011 &').stdout).toBe('Starting to serve on 127.0.0.1:8011\n');
    const list = JSON.parse(ok(s, "curl -s 'localhost:8011/apis/apps/v1/namespaces/default/deployments'"));
    expect(list.kind).toBe('DeploymentList');
    expect(list.items.map((d: { metadata: { name: string } }) => d.metadata.name)).toEqual(['web']);
    const pod = ok(s, "kubectl get pods -o jsonpath='{.items[0].metadata.name}'");
    expect(ok(s, `curl -s localhost:8011/api/v1/namespaces/default/pods/${pod}/proxy/`)).toContain(
      'Welcome to nginx!',
    );
    // Exec through the proxy is refused by its default --reject-paths.
    expect(ok(s, `curl -s localhost:8011/api/v1/namespaces/default/pods/${pod}/exec`)).toBe('Forbidden\n');
    const second = s.run('kubectl proxy --port=8011');
    expect(second.stderr).toBe('error: listen tcp 127.0.0.1:8011: bind: address already in use\n');
    ok(s, 'kill %1');
    expect(s.run('curl localhost:8011/version').stderr).toBe(
      "curl: (7) Failed to connect to localhost port 8011 after 0 ms: Couldn't connect to server\n",
    );
  });
});

describe('kubectl port-forward', () => {
  it('refuses what kubectl refuses', () => {
    const s = withWeb();
    expect(s.run('kubectl port-forward web').output).toBe(
      "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n",
    );
    expect(s.run('kubectl port-forward deploy/web 8080:http').output).toMatch(
      /^error: Pod 'web-[a-z0-9]+-[a-z0-9]{5}' does not have a named port 'http'\n$/,
    );
    expect(s.run('kubectl port-forward deploy/web x:80').output).toBe(
      'error: Error parsing local port \'x\': strconv.ParseUint: parsing "x": invalid syntax\n',
    );
  });

  it('forwards a local port to the pod behind a Service, and ends when a connection finds nothing there', () => {
    const s = withWeb();
    ok(s, 'kubectl expose deployment web --port=8000 --target-port=80');
    s.run('kubectl port-forward svc/web 8080:8000 &');
    const started = ok(s, 'sleep 1');
    expect(started).toBe('Forwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\n');
    const page = s.run('curl -s localhost:8080');
    expect(page.stdout).toBe(`Handling connection for 8080\n${page.stdout.split('\n').slice(1).join('\n')}`);
    expect(page.stdout).toContain('<title>Welcome to nginx!</title>');
    s.run('kubectl port-forward deploy/web 9000:81 &');
    ok(s, 'sleep 1');
    const broken = s.run('curl localhost:9000');
    expect(broken.stderr).toContain('curl: (52) Empty reply from server\n');
    expect(broken.stderr).toMatch(
      /portforward\.go:424\] "Unhandled Error" err="an error occurred forwarding 9000 -> 81/,
    );
    expect(broken.stderr).toContain('error: lost connection to pod\n');
    expect(broken.stderr).toMatch(/\[2\]\+ {2}Exit 1 {18}kubectl port-forward deploy\/web 9000:81\n/);
  });

  it('a pod that is not running cannot be forwarded to', () => {
    const s = new Session({ scenario: 'ha', seed: 2 });
    ok(s, 'kubectl create deployment slow --image=nginx:1.27');
    const r = s.run('kubectl port-forward deploy/slow 8080:80');
    expect(r.output).toBe(
      'error: unable to forward port because pod is not running. Current status=Pending\n',
    );
  });
});

describe('curl from the learner machine', () => {
  it('reaches a NodePort on any node, and nothing inside the cluster network', () => {
    const s = withWeb();
    ok(s, 'kubectl expose deployment web --type=NodePort --port=80');
    const port = ok(s, "kubectl get svc web -o jsonpath='{.spec.ports[0].nodePort}'");
    const nodeIp = ok(s, "kubectl get node worker-3 -o jsonpath='{.status.addresses[0].address}'");
    expect(ok(s, `curl -s http://${nodeIp}:${port}/`)).toContain('Welcome to nginx!');
    const clusterIp = ok(s, "kubectl get svc web -o jsonpath='{.spec.clusterIP}'");
    expect(s.run(`curl -sS ${clusterIp}`).stderr).toBe(
      `curl: (28) Failed to connect to ${clusterIp} port 80 after 130914 ms: Couldn't connect to server\n`,
    );
    expect(s.run('curl -sS web').stderr).toBe('curl: (6) Could not resolve host: web\n');
    ok(s, 'kill node worker-3');
    expect(s.run(`curl -s http://${nodeIp}:${port}/`).code).toBe(28);
  });
});
