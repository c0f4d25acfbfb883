import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';
import type { PodObject } from '../sim/api/types';

/**
 * kubectl logs (and `ssh NODE crictl logs`) against a booted cluster: the lines come from the
 * kubelets through the API server's pods/log subresource. Messages were checked against kubectl
 * v1.32.4 with testdata/compareWithRealKubectl.ts.
 */

const COUNTER = `sh -c 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done'`;

function session(): Session {
  return new Session({ scenario: 'ha', seed: 1 });
}

function ok(s: Session, line: string): string {
  const r = s.run(line);
  expect(r.code, r.output).toBe(0);
  return r.stdout;
}

function createPod(s: Session, body: PodObject): void {
  let code: number | undefined;
  s.cluster.outsideClient().request({ verb: 'create', resource: 'pods', namespace: 'default', body }, (o) => {
    code = 'transport' in o ? 0 : o.code;
  });
  s.cluster.sim.runUntilDone(() => code !== undefined, s.cluster.sim.nowMs + 60_000);
  expect(code).toBe(201);
}

function advance(s: Session, ms: number): void {
  s.cluster.sim.runUntil(s.cluster.sim.nowMs + ms);
}

describe('kubectl logs', () => {
  it('prints usage errors as kubectl does', () => {
    const s = session();
    const usage =
      "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n";
    expect(s.run('kubectl logs').stderr).toBe(usage);
    expect(s.run('kubectl logs a b c').stderr).toBe(usage);
    expect(s.run('kubectl logs -l app=x a').stderr).toBe(
      "error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples\n",
    );
    expect(s.run('kubectl logs nope').stderr).toBe(
      'error: error from server (NotFound): pods "nope" not found in namespace "default"\n',
    );
    expect(s.run('kubectl logs x --since-time=yesterday').stderr).toBe(
      'error: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"\n',
    );
    expect(s.run('kubectl logs x --since=soon').stderr).toBe(
      `Error: invalid argument "soon" for "--since" flag: time: invalid duration "soon"\nSee 'kubectl logs --help' for usage.\n`,
    );
  });

  it('reads a pod, the pod kubectl picks for a Deployment, and every pod of a selector', () => {
    const s = session();
    ok(s, 'kubectl create deployment web --image=nginx:1.27 --replicas=3');
    ok(s, 'kubectl rollout status deployment/web');
    const r = s.run('kubectl logs deploy/web');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^Found 3 pods, using pod\/web-[a-z0-9]+-[a-z0-9]{5}\n$/);
    expect(r.stdout).toContain('[notice] 1#1: nginx/1.27.3\n');
    const pod = /pod\/(\S+)/.exec(r.stderr)![1]!;
    expect(ok(s, `kubectl logs ${pod}`)).toBe(r.stdout);
    // A selector reads every pod, 10 lines each by default; --prefix says whose line it is.
    const all = ok(s, 'kubectl logs -l app=web --prefix').split('\n').filter(Boolean);
    expect(all).toHaveLength(30);
    expect(all[0]).toMatch(/^\[pod\/web-[a-z0-9-]+\/nginx\] \d{4}\/\d\d\/\d\d /);
    expect(ok(s, 'kubectl logs -l app=web --tail=1').split('\n').filter(Boolean)).toHaveLength(3);
    expect(s.run('kubectl logs -l app=nope').stderr).toBe('No resources found in default namespace.\n');
  });

  it('defaults to the first container of several, or reads them all', () => {
    const s = session();
    createPod(s, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'two' },
      spec: {
        containers: [
          { name: 'web', image: 'nginx' },
          { name: 'side', image: 'busybox', args: ['sh', '-c', 'while true; do echo tick; sleep 5; done'] },
        ],
      },
    });
    advance(s, 20_000);
    const r = s.run('kubectl logs two');
    expect(r.stderr).toBe('Defaulted container "web" out of: web, side\n');
    expect(r.stdout).toContain('nginx/');
    expect(ok(s, 'kubectl logs two -c side --tail=2')).toBe('tick\ntick\n');
    expect(ok(s, 'kubectl logs two side --tail=1')).toBe('tick\n');
    const both = ok(s, 'kubectl logs two --all-containers --prefix --tail=1');
    expect(both).toMatch(/^\[pod\/two\/web\] .*\n\[pod\/two\/side\] tick\n$/);
    expect(s.run('kubectl logs two -c nope').stderr).toBe('error: container nope is not valid for pod two\n');
    expect(s.run('kubectl logs two --all-containers -c side').stderr).toBe(
      'error: --all-containers=true should not be specified with container name side\n',
    );
    expect(s.run('kubectl logs two side -c web').stderr).toBe(
      'error: only one of -c or an inline [CONTAINER] arg is allowed\n',
    );
  });

  it('reads the previous container of a crash-looping pod, and says when there is none', () => {
    const s = session();
    ok(s, 'kubectl run db --image=postgres:17');
    ok(s, 'kubectl run web --image=nginx');
    advance(s, 30_000);
    expect(s.run('kubectl logs web -p').stderr).toBe(
      'Error from server (BadRequest): previous terminated container "web" in pod "web" not found\n',
    );
    expect(ok(s, 'kubectl logs db -p --tail=2')).toBe(
      '       See PostgreSQL documentation about "trust":\n       https://www.postgresql.org/docs/current/auth-trust.html\n',
    );
    ok(s, 'kubectl run img --image=nginx:nope');
    advance(s, 1_500);
    expect(s.run('kubectl logs img').stderr).toBe(
      'Error from server (BadRequest): container "img" in pod "img" is waiting to start: image can\'t be pulled\n',
    );
  });

  it('follows a log as simulated time passes, until Ctrl-C', () => {
    const s = session();
    ok(s, `kubectl run counter --image=busybox -- ${COUNTER}`);
    advance(s, 10_000);
    let out = '';
    let code: number | undefined;
    const started = s.start(
      'kubectl logs -f counter --tail=1',
      '',
      { stdout: (t) => (out += t), stderr: (t) => (out += t) },
      (c) => {
        code = c;
      },
    );
    if (!started.ok) throw new Error(started.error);
    advance(s, 1_000);
    const first = out.split('\n').filter(Boolean).length;
    advance(s, 5_000);
    const lines = out.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(first + 4);
    expect(code).toBeUndefined();
    started.handle.cancel();
    expect(code).toBe(130);
    const at = out;
    advance(s, 5_000);
    expect(out).toBe(at);
    // A streamed line is the same line a plain read gives.
    expect(ok(s, 'kubectl logs counter')).toContain(lines[2]!);
  });

  it('follows several pods at once, within --max-log-requests', () => {
    const s = session();
    ok(
      s,
      'kubectl create deployment c --image=busybox --replicas=2 -- sh -c "while true; do echo hi; sleep 2; done"',
    );
    advance(s, 15_000);
    expect(s.run('kubectl logs -f -l app=c --max-log-requests=1').stderr).toBe(
      'error: you are attempting to follow 2 log streams, but maximum allowed concurrency is 1, use --max-log-requests to increase the limit\n',
    );
    let out = '';
    const started = s.start(
      'kubectl logs -f -l app=c --prefix --tail=0',
      '',
      { stdout: (t) => (out += t), stderr: (t) => (out += t) },
      () => {},
    );
    if (!started.ok) throw new Error(started.error);
    advance(s, 6_000);
    started.handle.cancel();
    const pods = new Set(
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => /^\[pod\/([^/]+)\//.exec(l)?.[1]),
    );
    expect(pods.size).toBe(2);
  });

  it('ssh NODE crictl logs gives the same lines as kubectl logs', () => {
    const s = session();
    ok(s, `kubectl run counter --image=busybox -- ${COUNTER}`);
    advance(s, 20_000);
    const pod = JSON.parse(ok(s, 'kubectl get pod counter -o json')) as {
      spec: { nodeName: string };
      status: { containerStatuses: { containerID: string }[] };
    };
    const id = pod.status.containerStatuses[0]!.containerID.replace('containerd://', '').slice(0, 13);
    const viaNode = s.run(`ssh ${pod.spec.nodeName} crictl logs --tail 3 ${id}`);
    expect(viaNode.code, viaNode.output).toBe(0);
    expect(viaNode.stdout).toBe(ok(s, 'kubectl logs counter --tail=3'));
    expect(s.run(`ssh ${pod.spec.nodeName} crictl logs 0123456789ab`).stderr).toBe(
      'FATA[0000] rpc error: code = NotFound desc = an error occurred when try to find container "0123456789ab": not found\n',
    );
  });
});
