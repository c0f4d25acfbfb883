import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';

/**
 * `kubectl get -w` / `--watch-only` / `--output-watch-events`, streaming as simulated time passes
 * until Ctrl-C. Texts were checked byte for byte against kubectl v1.32.4 with
 * testdata/compareWithRealKubectl.ts (same scenario, seed and steps).
 */

function withWeb(): Session {
  const s = new Session({ scenario: 'ha', seed: 1 });
  expect(s.run('kubectl create deployment web --image=nginx:1.26 --replicas=2').code).toBe(0);
  s.run('advance 30s');
  return s;
}

interface Watching {
  readonly output: () => string;
  readonly exits: number[];
  cancel(): void;
}

function watch(s: Session, line: string): Watching {
  let out = '';
  const exits: number[] = [];
  const started = s.start(line, '', { stdout: (t) => (out += t), stderr: (t) => (out += t) }, (c) =>
    exits.push(c),
  );
  if (!started.ok) throw new Error(started.error);
  return { output: () => out, exits, cancel: () => started.handle.cancel() };
}

const advance = (s: Session, ms: number): void => s.cluster.sim.runUntil(s.cluster.sim.nowMs + ms);

describe('kubectl get --watch', () => {
  it('prints the list, then a row per change (deletions too) until Ctrl-C', () => {
    const s = withWeb();
    const w = watch(s, 'kubectl get pods -w');
    advance(s, 2000);
    expect(w.output()).toBe(
      'NAME                  READY   STATUS    RESTARTS   AGE\n' +
        'web-f46497585-2jfd6   1/1     Running   0          30s\n' +
        'web-f46497585-86kws   1/1     Running   0          30s\n',
    );
    expect(s.run('kubectl scale deployment web --replicas=3').code).toBe(0);
    advance(s, 10_000);
    expect(s.run('kubectl scale deployment web --replicas=1').code).toBe(0);
    advance(s, 60_000);
    expect(w.exits).toEqual([]);
    // One tabwriter for the whole watch, with remembered widths: STATUS widens and stays wide.
    const rows = w.output().split('\n');
    expect(rows.slice(0, 9).join('\n')).toBe(
      'NAME                  READY   STATUS    RESTARTS   AGE\n' +
        'web-f46497585-2jfd6   1/1     Running   0          30s\n' +
        'web-f46497585-86kws   1/1     Running   0          30s\n' +
        'web-f46497585-6tr7j   0/1     Pending   0          0s\n' +
        'web-f46497585-6tr7j   0/1     Pending   0          0s\n' +
        'web-f46497585-6tr7j   0/1     ContainerCreating   0          0s\n' +
        'web-f46497585-6tr7j   1/1     Running             0          3s\n' +
        'web-f46497585-6tr7j   1/1     Terminating         0          10s\n' +
        'web-f46497585-2jfd6   1/1     Terminating         0          42s',
    );
    // Then each kubelet reports its pod's containers stopping, in whichever order they get to it.
    expect(rows.slice(9).sort()).toEqual([
      '',
      'web-f46497585-2jfd6   1/1     Terminating         0          42s',
      'web-f46497585-6tr7j   1/1     Terminating         0          10s',
    ]);
    w.cancel();
    expect(w.exits).toEqual([1]);
    const seen = w.output();
    s.run('kubectl scale deployment web --replicas=2');
    advance(s, 30_000);
    expect(w.output()).toBe(seen);
    expect(s.run('kubectl get deploy web').stdout).toContain('web    2/2');
  });

  it('--output-watch-events: an EVENT column first (before NAMESPACE with -A), 8 characters wide', () => {
    const s = withWeb();
    const w = watch(s, 'kubectl get pods -A -w --output-watch-events');
    advance(s, 1000);
    s.run('kubectl scale deployment web --replicas=1');
    advance(s, 60_000);
    w.cancel();
    const lines = w.output().split('\n');
    expect(lines[0]).toBe(
      'EVENT      NAMESPACE     NAME                           READY   STATUS    RESTARTS   AGE',
    );
    expect(lines[1]).toBe(
      'ADDED      default       web-f46497585-2jfd6            1/1     Running   0          30s',
    );
    expect(lines.filter((l) => l.startsWith('ADDED ')).length).toBe(25);
    // (The pod's age when it goes depends on the instant of deletion: 31 or 32 s.)
    const last = lines.slice(-3).map((l) => l.replace(/ 3[12]s$/, ' 3Xs'));
    expect(last).toEqual([
      'MODIFIED   default       web-f46497585-2jfd6            1/1     Terminating   0          3Xs',
      'DELETED    default       web-f46497585-2jfd6            1/1     Terminating   0          3Xs',
      '',
    ]);
  });

  it('--watch-only skips the list; the header comes with the first event', () => {
    const s = withWeb();
    const w = watch(s, 'kubectl get pods --watch-only -l app=web');
    advance(s, 5000);
    expect(w.output()).toBe('');
    s.run('kubectl scale deployment web --replicas=3');
    advance(s, 10_000);
    w.cancel();
    expect(w.output()).toBe(
      'NAME                  READY   STATUS    RESTARTS   AGE\n' +
        'web-f46497585-6tr7j   0/1     Pending   0          0s\n' +
        'web-f46497585-6tr7j   0/1     Pending   0          0s\n' +
        'web-f46497585-6tr7j   0/1     ContainerCreating   0          0s\n' +
        'web-f46497585-6tr7j   1/1     Running             0          3s\n',
    );
  });

  it('streams objects: -o name, -o yaml with --- between them, -o json events as compact lines', () => {
    const s = withWeb();
    const names = watch(s, 'kubectl get pods -w -o name');
    const yaml = watch(s, 'kubectl get deploy -w -o yaml');
    const json = watch(s, 'kubectl get pods -w -o json --output-watch-events');
    advance(s, 1000);
    s.run('kubectl scale deployment web --replicas=3');
    advance(s, 10_000);
    for (const w of [names, yaml, json]) w.cancel();
    expect(names.output()).toBe(
      `${['2jfd6', '86kws', '6tr7j', '6tr7j', '6tr7j', '6tr7j'].map((p) => `pod/web-f46497585-${p}`).join('\n')}\n`,
    );
    const docs = yaml.output().split('---\n');
    expect(docs.length).toBeGreaterThan(2);
    expect(docs[0]).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\n/);
    expect(docs.at(-1)).toContain('  replicas: 3\n');
    const events = json
      .output()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    expect(events.map((e) => e.type)).toEqual([
      'ADDED',
      'ADDED',
      'ADDED',
      'MODIFIED',
      'MODIFIED',
      'MODIFIED',
    ]);
    expect(json.output().startsWith('{"type":"ADDED","object":{"apiVersion":"v1","kind":"Pod",')).toBe(true);
  });

  it('a named object: printed once, then only its changes', () => {
    const s = withWeb();
    const w = watch(s, 'kubectl get deploy web -w');
    advance(s, 1000);
    s.run('kubectl scale deployment web --replicas=3');
    advance(s, 10_000);
    w.cancel();
    expect(w.output()).toBe(
      'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\n' +
        'web    2/2     2            2           30s\n' +
        'web    2/3     2            2           31s\n' +
        'web    2/3     2            2           31s\n' +
        'web    2/3     3            2           31s\n' +
        'web    3/3     3            3           34s\n',
    );
  });

  it('--request-timeout ends the watch quietly with 0; so does losing the API servers', () => {
    const s = withWeb();
    const t0 = s.cluster.sim.nowMs;
    const timed = s.run('kubectl get pods -w --request-timeout=20s');
    expect(timed.code).toBe(0);
    expect(timed.stderr).toBe('');
    expect(timed.stdout.split('\n')[0]).toBe('NAME                  READY   STATUS    RESTARTS   AGE');
    expect(s.cluster.sim.nowMs - t0).toBeGreaterThanOrEqual(20_000);

    const w = watch(s, 'kubectl get pods -w');
    advance(s, 1000);
    for (const host of ['cp-1', 'cp-2', 'cp-3']) s.cluster.killHost(host);
    advance(s, 5000);
    expect(w.exits).toEqual([0]);
    expect(w.output()).not.toContain('error');
  });

  it('refuses what kubectl refuses', () => {
    const s = withWeb();
    expect(s.run('kubectl get pods,deploy -w').output).toBe(
      'error: you may only specify a single resource type\n',
    );
    expect(s.run('kubectl get all -w').output).toBe('error: you may only specify a single resource type\n');
    expect(s.run('kubectl get pod nope -w').output).toBe(
      'Error from server (NotFound): pods "nope" not found\n',
    );
    // Several named objects are printed, then the watch is refused.
    const two = s.run('kubectl get pods etcd-cp-1 kube-apiserver-cp-1 -n kube-system -w');
    expect(two.code).toBe(1);
    expect(two.output).toBe(
      'NAME                  READY   STATUS    RESTARTS   AGE\n' +
        'etcd-cp-1             1/1     Running   0          58s\n' +
        'kube-apiserver-cp-1   1/1     Running   0          58s\n' +
        'error: you may only watch a single resource or type of resource at a time\n',
    );
    const sorted = s.run('kubectl get deploy -w --sort-by=.metadata.name --request-timeout=5s');
    expect(sorted.code).toBe(0);
    expect(sorted.stderr).toBe(
      'warning: --watch requested, --sort-by will be ignored for watch events received\n',
    );
    expect(s.run('kubectl get pods -w --request-timeout=abc').output).toBe(
      'error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)\n',
    );
  });
});
