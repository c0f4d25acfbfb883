import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';
import type { DeploymentObject, PodObject, ReplicaSetObject } from '../sim/api/types';
import { rfc3339 } from '../sim/kernel/time';
import { deploymentStatus } from './commands/rolloutStatus';

/**
 * set image, rollout (status, history, undo, restart, pause, resume) and wait, run through a
 * booted cluster: the Deployment controller, scheduler and kubelets do the rolling, and the
 * commands that wait take simulated time. Texts were checked against kubectl v1.32.4 with
 * testdata/compareWithRealKubectl.ts.
 */

function session(): Session {
  return new Session({ scenario: 'ha', seed: 1 });
}

function json<T>(s: Session, line: string): T {
  const r = s.run(line);
  expect(r.code, r.output).toBe(0);
  return JSON.parse(r.stdout) as T;
}

const pods = (s: Session): PodObject[] => json<{ items: PodObject[] }>(s, 'kubectl get pods -o json').items;

/** A Deployment `web` of 3 nginx:1.26 replicas, rolled out. */
function withWeb(): Session {
  const s = session();
  expect(s.run('kubectl create deployment web --image=nginx:1.26 --replicas=3').code).toBe(0);
  const r = s.run('kubectl rollout status deployment/web');
  expect(r.code, r.output).toBe(0);
  expect(r.stdout.endsWith('deployment "web" successfully rolled out\n')).toBe(true);
  return s;
}

describe('kubectl set image and rollout', () => {
  it('a bad image leaves the rollout stuck; undo brings the old ReplicaSet back', () => {
    const s = withWeb();
    const [oldRS] = json<{ items: ReplicaSetObject[] }>(s, 'kubectl get rs -o json').items;
    expect(s.run('kubectl set image deployment/web nginx=nginx:doesnotexist').output).toBe(
      'deployment.apps/web image updated\n',
    );

    const stuck = s.run('kubectl rollout status deployment/web --timeout=60s');
    expect(stuck.code).toBe(1);
    expect(stuck.stderr).toBe('error: timed out waiting for the condition\n');
    const lines = stuck.stdout.split('\n').filter((l) => l !== '');
    // The controller observed the new spec before the first look: it says how far the rollout is.
    expect(lines[0]).toBe(
      'Waiting for deployment "web" rollout to finish: 0 out of 3 new replicas have been updated...',
    );
    expect(lines.at(-1)).toBe(
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
    );
    // It took the whole minute of simulated time.
    const broken = pods(s).filter((p) => p.spec.containers[0]!.image === 'nginx:doesnotexist');
    expect(broken).toHaveLength(1);
    expect(broken[0]!.status?.containerStatuses?.[0]?.state.waiting?.reason).toMatch(
      /ErrImagePull|ImagePullBackOff/,
    );

    expect(s.run('kubectl rollout history deployment/web').output).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n',
    );
    expect(s.run('kubectl rollout undo deployment/web').output).toBe('deployment.apps/web rolled back\n');
    const done = s.run('kubectl rollout status deployment/web');
    expect(done.code, done.output).toBe(0);
    s.run('advance 1m');

    // The old ReplicaSet is the newest revision again, with every replica; the broken one is empty.
    const rss = json<{ items: ReplicaSetObject[] }>(s, 'kubectl get rs -o json').items;
    const back = rss.find((rs) => rs.metadata.name === oldRS!.metadata.name)!;
    expect(back.spec.replicas).toBe(3);
    expect(back.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(rss.filter((rs) => rs !== back).map((rs) => rs.spec.replicas)).toEqual([0]);
    const running = pods(s);
    expect(running).toHaveLength(3);
    for (const p of running) {
      expect(p.status?.phase).toBe('Running');
      expect(p.spec.containers[0]!.image).toBe('nginx:1.26');
      expect(p.metadata.labels?.['pod-template-hash']).toBe(oldRS!.metadata.labels?.['pod-template-hash']);
    }
    expect(s.run('kubectl rollout history deployment/web').stdout).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n',
    );
    // The template of a revision, with the tabs a PrefixWriter without tabwriter leaves.
    const rev = s.run('kubectl rollout history deployment/web --revision=3');
    expect(rev.stdout).toContain('deployment.apps/web with revision #3\nPod Template:\n  Labels:\tapp=web\n');
    expect(rev.stdout).toContain('    Image:\tnginx:1.26\n');
    expect(s.run('kubectl rollout history deployment/web --revision=1').output).toBe(
      'error: unable to find the specified revision\n',
    );
    expect(s.run('kubectl rollout undo deployment/web --to-revision=3').output).toBe(
      'deployment.apps/web skipped rollback (current template already matches revision 3)\n',
    );
    expect(s.run('kubectl rollout undo deployment/web --to-revision=7').output).toBe(
      'error: unable to find specified revision 7 in history\n',
    );
  });

  it('set image: unknown containers, no change, other kinds, wrong arguments', () => {
    const s = withWeb();
    expect(s.run('kubectl set image deployment/web nginx=nginx:1.26').output).toBe('');
    expect(s.run('kubectl set image deployment/web foo=bar').output).toBe(
      'error: unable to find container named "foo"\n',
    );
    expect(s.run('kubectl set image deploy/web *=nginx:1.27 --dry-run=client').output).toBe(
      'deployment.apps/web image updated (dry run)\n',
    );
    expect(s.run('kubectl set image node/cp-1 a=b').output).toBe(
      'error: nodes/cp-1 the object is not a pod or does not have a pod template: *v1.Node\n',
    );
    expect(s.run('kubectl set image deployment/nope a=b').output).toBe(
      'Error from server (NotFound): deployments.apps "nope" not found\n',
    );
    expect(s.run('kubectl set image deployment/web nginx-').output).toBe(
      'error: invalid image format: nginx-\n',
    );
    expect(s.run('kubectl set image deployment web nginx=nginx:1.27 -o name').output).toBe(
      'deployment.apps/web\n',
    );
    const d = json<DeploymentObject>(s, 'kubectl get deployment web -o json');
    expect(d.spec.template.spec.containers.map((c) => c.image)).toEqual(['nginx:1.27']);
    expect(d.spec.template.spec.containers[0]!.imagePullPolicy).toBe('IfNotPresent');
  });

  it('pause, resume and restart', () => {
    const s = withWeb();
    expect(s.run('kubectl rollout pause deployment/web').output).toBe('deployment.apps/web paused\n');
    expect(s.run('kubectl rollout pause deployment/web').output).toBe(
      'error: deployments.apps "web" is already paused\n',
    );
    expect(s.run('kubectl rollout restart deployment/web').output).toBe(
      `error: deployments.apps "web" can't restart paused deployment (run rollout resume first)\n`,
    );
    s.run('kubectl set image deployment/web nginx=nginx:1.27');
    s.run('advance 20s');
    // Paused: the new template is not rolled out.
    expect(pods(s).every((p) => p.spec.containers[0]!.image === 'nginx:1.26')).toBe(true);
    // Paused, there is no second revision yet; the first one exists but cannot be rolled back to.
    expect(s.run('kubectl rollout undo deployment/web').output).toBe(
      'error: no rollout history found for deployment "web"\n',
    );
    expect(s.run('kubectl rollout undo deployment/web --to-revision=1').output).toBe(
      "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n",
    );
    expect(s.run('kubectl rollout resume deployment/web').output).toBe('deployment.apps/web resumed\n');
    expect(s.run('kubectl rollout resume deployment/web').output).toBe(
      'error: deployments.apps "web" is not paused\n',
    );
    expect(s.run('kubectl rollout status deployment/web').code).toBe(0);
    s.run('advance 1m');
    expect(pods(s).map((p) => p.spec.containers[0]!.image)).toEqual([
      'nginx:1.27',
      'nginx:1.27',
      'nginx:1.27',
    ]);

    const hashBefore = pods(s)[0]!.metadata.labels?.['pod-template-hash'];
    const at = s.cluster.sim.nowMs;
    expect(s.run('kubectl rollout restart deployment/web').output).toBe('deployment.apps/web restarted\n');
    const d = json<DeploymentObject>(s, 'kubectl get deployment web -o json');
    expect(d.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe(rfc3339(at));
    expect(s.run('kubectl rollout status deployment/web').code).toBe(0);
    s.run('advance 1m');
    const after = pods(s);
    expect(after).toHaveLength(3);
    expect(new Set(after.map((p) => p.metadata.labels?.['pod-template-hash'])).size).toBe(1);
    expect(after[0]!.metadata.labels?.['pod-template-hash']).not.toBe(hashBefore);
    expect(s.run('kubectl rollout history deployment/web').stdout).toContain('3         <none>\n');
    expect(s.run('kubectl rollout pause node/cp-1').output).toBe(
      'error: nodes "cp-1" pausing is not supported\n',
    );
  });

  it('rollout status: --watch=false, other kinds, errors', () => {
    const s = withWeb();
    s.run('kubectl set image deployment/web nginx=nginx:1.27');
    expect(s.run('kubectl rollout status deployment/web --watch=false').output).toBe(
      'Waiting for deployment "web" rollout to finish: 0 out of 3 new replicas have been updated...\n',
    );
    expect(s.run('kubectl rollout status rs/nope').output).toBe(
      'Error from server (NotFound): replicasets.apps "nope" not found\n',
    );
    expect(s.run('kubectl rollout status node/cp-1').output).toBe(
      'error: no status viewer has been implemented for Node\n',
    );
    expect(s.run('kubectl rollout status').output).toBe('error: required resource not specified\n');
    expect(s.run('kubectl rollout status deployment/web --revision=-1').output).toBe(
      'error: revision must be a positive integer: -1\n',
    );
    expect(s.run('kubectl rollout status deployment/web --revision=1').output).toBe(
      'error: desired revision (1) is different from the running revision (2)\n',
    );
    expect(s.run('kubectl rollout status deployment/web --timeout=x').output).toBe(
      `Error: invalid argument "x" for "--timeout" flag: time: invalid duration "x"\nSee 'kubectl rollout status --help' for usage.\n`,
    );
    // A bare type means every object of it (one here).
    expect(s.run('kubectl rollout status deployment').stdout).toContain(
      'deployment "web" successfully rolled out\n',
    );
  });

  it('Ctrl-C ends a rollout status that waits with status 1 (the interrupt handler), and nothing of it runs afterwards', () => {
    const s = withWeb();
    s.run('kubectl set image deployment/web nginx=nginx:doesnotexist');
    let output = '';
    const exits: number[] = [];
    const started = s.start(
      'kubectl rollout status deployment/web --timeout=2m',
      '',
      { stdout: (t) => (output += t), stderr: (t) => (output += t) },
      (code) => exits.push(code),
    );
    if (!started.ok) throw new Error(started.error);
    const sim = s.cluster.sim;
    sim.runUntil(sim.nowMs + 10_000);
    expect(output).toContain('Waiting for deployment');
    expect(exits).toEqual([]);
    started.handle.cancel();
    expect(exits).toEqual([1]);
    const seen = output;
    // Past the --timeout: no timeout message, no status line, no second exit.
    sim.runUntil(sim.nowMs + 5 * 60_000);
    expect(output).toBe(seen);
    expect(exits).toEqual([1]);
    // The next command still works.
    expect(s.run('kubectl rollout undo deployment/web').output).toBe('deployment.apps/web rolled back\n');
  });
});

describe('kubectl wait', () => {
  it('waits for a JSONPath value, or for the field to exist, as kubectl v1.32 does', () => {
    const s = session();
    s.run('kubectl create deployment web --image=nginx:1.26 --replicas=2');
    const t0 = s.cluster.sim.nowMs;
    expect(s.run("kubectl wait --for=jsonpath='{.status.readyReplicas}'=2 deployment/web").output).toBe(
      'deployment.apps/web condition met\n',
    );
    expect(s.cluster.sim.nowMs - t0).toBeGreaterThan(1000);
    s.run('kubectl run nap --image=busybox --restart=Never -- sleep 3');
    expect(s.run("kubectl wait --for=jsonpath='{.status.phase}'=Succeeded pod/nap").output).toBe(
      'pod/nap condition met\n',
    );
    expect(s.run("kubectl wait --for=jsonpath='{.status.podIP}' pod/nap").output).toBe(
      'pod/nap condition met\n',
    );
    expect(
      s.run(
        `kubectl wait --for='jsonpath={.status.conditions[?(@.type=="Available")].status}=True' deploy/web`,
      ).output,
    ).toBe('deployment.apps/web condition met\n');
    expect(s.run("kubectl wait --for=jsonpath='{.status.phase}'=Failed pod/nap --timeout=2s").output).toBe(
      'error: timed out waiting for the condition on pods/nap\n',
    );
    // What real kubectl refuses, with its words.
    const refused: [string, string][] = [
      [
        "jsonpath='{.status.conditions[*].type}'=Ready",
        'given jsonpath expression matches more than one value',
      ],
      ["jsonpath='{.status}'=x", 'jsonpath leads to a nested object or list which is not supported'],
      [
        "jsonpath='{.status.phase}'=",
        "jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3",
      ],
      [
        "jsonpath='{.status.phase}'=a=b",
        "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'",
      ],
      ['jsonpath=', 'jsonpath expression cannot be empty'],
      [
        "jsonpath='{.status.phase'",
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
      ],
    ];
    for (const [cond, message] of refused)
      expect(s.run(`kubectl wait --for=${cond} pod/nap --timeout=2s`).output).toBe(`error: ${message}\n`);
  });

  it('waits for a condition, for deletion, for creation', () => {
    const s = session();
    s.run('kubectl create deployment web --image=nginx:1.26 --replicas=2');
    const t0 = s.cluster.sim.nowMs;
    expect(s.run('kubectl wait --for=condition=Available deployment/web').output).toBe(
      'deployment.apps/web condition met\n',
    );
    expect(s.cluster.sim.nowMs - t0).toBeGreaterThan(1000);
    expect(s.run('kubectl wait --for=condition=Available=false deployment/web --timeout=5s').output).toBe(
      'error: timed out waiting for the condition on deployments/web\n',
    );
    expect(s.run('kubectl wait --for=condition=Available deployment/web --timeout=0').output).toBe(
      'deployment.apps/web condition met\n',
    );
    expect(s.run('kubectl wait --for=condition=Available deployment/nope').output).toBe(
      'Error from server (NotFound): deployments.apps "nope" not found\n',
    );
    expect(s.run('kubectl wait --for=condition=Ready pod -l app=web').stdout.split('\n')).toHaveLength(3);
    expect(s.run('kubectl wait --for=condition=Ready pod -l app=nope').output).toBe(
      'error: no matching resources found\n',
    );

    s.run('kubectl run bare --image=nginx');
    // Running first: its deletion then takes nginx's shutdown, which the wait sees through.
    s.run('kubectl wait --for=condition=Ready pod/bare');
    expect(s.run('kubectl wait --for=delete pod/bare --timeout=0').output).toBe(
      'error: condition not met for pods/bare\n',
    );
    expect(s.run('kubectl delete pod bare --wait=false').code).toBe(0);
    const w = s.run('kubectl wait --for=delete pod/bare');
    expect(w.output).toBe('pod/bare condition met\n');
    expect(s.run('kubectl get pod bare').output).toBe(
      'Error from server (NotFound): pods "bare" not found\n',
    );
    expect(s.run('kubectl wait --for=delete pod/bare').output).toBe('');
    expect(s.run('kubectl wait --for=create pod/later --timeout=2s').output).toBe(
      'error: timed out waiting for the condition\n',
    );
    expect(s.run('kubectl wait deployment/web').output).toBe('error: unrecognized condition: ""\n');
  });
});

describe('rollout status of a Deployment', () => {
  const deployment = (generation: number, observedGeneration: number): DeploymentObject =>
    ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', generation },
      spec: { replicas: 3 },
      status: { observedGeneration, replicas: 3, updatedReplicas: 3, availableReplicas: 3 },
    }) as unknown as DeploymentObject;

  it('waits while the controller has not observed the newest spec', () => {
    expect(deploymentStatus(deployment(2, 1), 0)).toEqual({
      text: 'Waiting for deployment spec update to be observed...\n',
      done: false,
    });
    expect(deploymentStatus(deployment(2, 2), 0)).toEqual({
      text: 'deployment "web" successfully rolled out\n',
      done: true,
    });
  });
});
