import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';

/**
 * Pods of several containers, as the kubelet runs them: each container is pulled, created and
 * started in spec order, and restarts, backs off and ends on its own; the pod's READY, STATUS and
 * phase follow from all of them, as kubectl prints them.
 */

function session(): Session {
  return new Session({ scenario: 'ha', seed: 3 });
}

function ok(s: Session, line: string, heredoc = ''): string {
  const r = s.run(line, heredoc);
  expect(r.code, r.output).toBe(0);
  return r.stdout;
}

function pod(name: string, restartPolicy: string, containers: [string, string, string?][]): string {
  const list = containers
    .map(([c, image, command]) => {
      const cmd = command ? `\n    command: ["sh", "-c", ${JSON.stringify(command)}]` : '';
      return `  - name: ${c}\n    image: ${image}${cmd}`;
    })
    .join('\n');
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  restartPolicy: ${restartPolicy}\n  containers:\n${list}\n`;
}

const jsonpath = (s: Session, name: string, path: string): string =>
  ok(s, `kubectl get pod ${name} -o jsonpath='${path}'`);

describe('a pod of two containers', () => {
  it('pulls, creates and starts both, one after the other, and is 2/2 Running', () => {
    const s = session();
    ok(
      s,
      'kubectl apply -f - <<EOF',
      pod('two', 'Always', [
        ['web', 'nginx:1.27'],
        ['side', 'busybox', 'sleep 3600'],
      ]),
    );
    ok(s, 'kubectl wait --for=condition=Ready pod/two');
    expect(ok(s, 'kubectl get pod two --no-headers')).toMatch(/^two +2\/2 +Running +0 /);
    // Every container has its own Pulled/Created/Started, and the second starts after the first.
    const events = ok(
      s,
      'kubectl get events --field-selector involvedObject.name=two --sort-by=.metadata.creationTimestamp -o jsonpath=\'{range .items[*]}{.reason} {.involvedObject.fieldPath}{"\\n"}{end}\'',
    );
    const started = events.split('\n').filter((l) => l.startsWith('Started '));
    expect(started).toEqual(['Started spec.containers{web}', 'Started spec.containers{side}']);
    expect(events).toContain('Created spec.containers{side}');
    const [web, side] = jsonpath(s, 'two', '{.status.containerStatuses[*].state.running.startedAt}').split(
      ' ',
    );
    expect(web && side && web <= side).toBe(true);
    // The node's runtime holds two containers of one sandbox.
    const node = jsonpath(s, 'two', '{.spec.nodeName}');
    const ps = ok(s, `ssh ${node} crictl ps`);
    const rows = ps.split('\n').filter((l) => / two$/.test(l.trim()) || /\btwo\b/.test(l));
    expect(rows.map((r) => r.split(/\s{2,}/)[4]).sort()).toEqual(['side', 'web']);
    expect(ok(s, 'kubectl logs two -c web')).toContain('start worker processes');
    expect(ok(s, 'kubectl logs two -c side')).toBe('');
  });

  it('restarts a crashing sidecar on its own: 1/2 CrashLoopBackOff, the other keeps running', () => {
    const s = session();
    ok(
      s,
      'kubectl apply -f - <<EOF',
      pod('two', 'Always', [
        ['web', 'nginx:1.27'],
        ['side', 'busybox', 'echo bye; exit 1'],
      ]),
    );
    ok(s, 'advance 60s');
    expect(ok(s, 'kubectl get pod two --no-headers')).toMatch(
      /^two +1\/2 +CrashLoopBackOff +[2-9] \(\d+s ago\) /,
    );
    expect(jsonpath(s, 'two', '{.status.containerStatuses[0].restartCount}')).toBe('0');
    expect(jsonpath(s, 'two', '{.status.containerStatuses[0].state.running.startedAt}')).not.toBe('');
    expect(jsonpath(s, 'two', '{.status.containerStatuses[1].state.waiting.reason}')).toBe(
      'CrashLoopBackOff',
    );
    expect(jsonpath(s, 'two', '{.status.containerStatuses[1].lastState.terminated.exitCode}')).toBe('1');
    // Waiting to restart, its status keeps the ended instance's container and image IDs.
    const ended = jsonpath(s, 'two', '{.status.containerStatuses[1].lastState.terminated.containerID}');
    expect(ended).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(jsonpath(s, 'two', '{.status.containerStatuses[1].containerID}')).toBe(ended);
    expect(jsonpath(s, 'two', '{.status.containerStatuses[1].imageID}')).toMatch(/busybox@sha256:/);
    expect(jsonpath(s, 'two', '{.status.phase}')).toBe('Running');
    expect(ok(s, 'kubectl logs two -c side --previous')).toBe('bye\n');
    // The back-off names the container that failed.
    expect(ok(s, 'kubectl describe pod two')).toMatch(
      /Back-off restarting failed container side in pod two_default/,
    );
  });

  it('starts the second container when the first image cannot be pulled', () => {
    const s = session();
    ok(
      s,
      'kubectl apply -f - <<EOF',
      pod('two', 'Always', [
        ['bad', 'nginx:no-such-tag'],
        ['side', 'busybox', 'sleep 3600'],
      ]),
    );
    ok(s, 'advance 20s');
    expect(ok(s, 'kubectl get pod two --no-headers')).toMatch(/^two +1\/2 +ImagePullBackOff +0 /);
    expect(jsonpath(s, 'two', '{.status.containerStatuses[1].state.running.startedAt}')).not.toBe('');
    expect(jsonpath(s, 'two', '{.status.phase}')).toBe('Running');
    const ready = jsonpath(s, 'two', '{.status.conditions[?(@.type=="Ready")].message}');
    expect(ready).toBe('containers with unready status: [bad]');
  });

  it('under restartPolicy Never, is NotReady while one has ended, and Completed once both have', () => {
    const s = session();
    ok(
      s,
      'kubectl apply -f - <<EOF',
      pod('job', 'Never', [
        ['quick', 'busybox', 'echo done'],
        ['slow', 'busybox', 'sleep 20'],
      ]),
    );
    ok(s, 'kubectl wait --for=jsonpath={.status.containerStatuses[1].started}=true pod/job');
    ok(s, 'advance 2s');
    expect(ok(s, 'kubectl get pod job --no-headers')).toMatch(/^job +1\/2 +NotReady +0 /);
    expect(jsonpath(s, 'job', '{.status.containerStatuses[0].state.terminated.reason}')).toBe('Completed');
    ok(s, 'advance 25s');
    expect(ok(s, 'kubectl get pod job --no-headers')).toMatch(/^job +0\/2 +Completed +0 /);
    expect(jsonpath(s, 'job', '{.status.phase}')).toBe('Succeeded');
  });

  it('under restartPolicy Never, fails once every container ended and one of them failed', () => {
    const s = session();
    ok(
      s,
      'kubectl apply -f - <<EOF',
      pod('job', 'Never', [
        ['bad', 'busybox', 'exit 3'],
        ['ok', 'busybox', 'true'],
      ]),
    );
    ok(s, 'advance 30s');
    expect(jsonpath(s, 'job', '{.status.phase}')).toBe('Failed');
    // kubectl's STATUS is the reason of the first container that has one.
    expect(ok(s, 'kubectl get pod job --no-headers')).toMatch(/^job +0\/2 +Error +0 /);
    expect(jsonpath(s, 'job', '{.status.containerStatuses[*].state.terminated.exitCode}')).toBe('3 0');
  });

  it("the lab's sidecar example runs both containers, and each has its own log", () => {
    const s = session();
    ok(s, 'kubectl apply -f examples/sidecar-pod.yaml');
    ok(s, 'kubectl wait --for=condition=Ready pod/web-with-sidecar');
    ok(s, 'advance 25s');
    expect(ok(s, 'kubectl get pod web-with-sidecar --no-headers')).toMatch(
      /^web-with-sidecar +2\/2 +Running +0 /,
    );
    const beats = ok(s, 'kubectl logs web-with-sidecar -c heartbeat').trimEnd().split('\n');
    expect(beats.length).toBeGreaterThanOrEqual(3);
    for (const line of beats) expect(line).toMatch(/^\w{3} \w{3} +\d+ \d\d:\d\d:\d\d UTC 2026 web is up$/);
    expect(ok(s, 'kubectl logs web-with-sidecar -c web')).toContain(
      'Configuration complete; ready for start up',
    );
  });
});
