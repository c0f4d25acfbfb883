import { describe, expect, it } from 'vitest';
import { Session } from '../../src/script/session';
import type { DeploymentObject, PodObject, ReplicaSetObject } from '../../src/sim/api/types';
import {
  newReplicaSetReplicas,
  oldReplicasToScaleDown,
  resolveIntOrPercent,
  rollingLimits,
} from '../../src/sim/controlplane/deploymentController';
import { booted as bootedCluster } from './bootedCluster';

function booted(seed = 1) {
  const b = bootedCluster(seed);
  const deploy = (name: string, image: string, replicas: number) =>
    b.call({
      verb: 'create',
      resource: 'deployments',
      namespace: 'default',
      body: deployment(name, image, replicas),
    });
  return { ...b, deploy };
}

function deployment(name: string, image: string, replicas: number): DeploymentObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } },
    },
  };
}

const running = (pods: PodObject[]) =>
  pods.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);

describe('rolling-update arithmetic', () => {
  it('resolves 25% surge up and 25% unavailable down, as intstr does', () => {
    expect(resolveIntOrPercent('25%', 10, true, '25%')).toBe(3);
    expect(resolveIntOrPercent('25%', 10, false, '25%')).toBe(2);
    expect(resolveIntOrPercent(undefined, 1, true, '25%')).toBe(1);
    expect(resolveIntOrPercent(undefined, 1, false, '25%')).toBe(0);
    expect(resolveIntOrPercent(2, 10, true, '25%')).toBe(2);
  });

  it('never lets both limits be zero', () => {
    const d = deployment('x', 'nginx', 3);
    const zero = {
      ...d,
      spec: {
        ...d.spec,
        strategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
      },
    };
    expect(rollingLimits(zero)).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(rollingLimits(d)).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  it('grows the new ReplicaSet within the surge and shrinks old ones within availability', () => {
    // 10 desired, surge 3: with 10 old replicas the new one may start 3.
    expect(newReplicaSetReplicas(10, 3, 0, 10)).toBe(3);
    // Never above desired.
    expect(newReplicaSetReplicas(10, 3, 9, 12)).toBe(10);
    // No room: total already at desired + surge.
    expect(newReplicaSetReplicas(10, 3, 3, 13)).toBe(3);
    // 13 pods, min available 8, new RS has 3 of which 0 available: 13 - 8 - 3 = 2 old may go.
    expect(oldReplicasToScaleDown(10, 2, 13, 3, 0)).toBe(2);
    // Once the new pods are available, more old ones may go.
    expect(oldReplicasToScaleDown(10, 2, 13, 3, 3)).toBe(5);
  });
});

describe('workload controllers, scheduler and kubelets together', () => {
  it('a Deployment of 6 gets a ReplicaSet and 6 Running pods spread over the workers', () => {
    const { call, list, advance, deploy } = booted(3);
    expect(deploy('web', 'nginx:1.27', 6).code).toBe(201);
    advance(8000);
    const rs = list<ReplicaSetObject>('replicasets');
    expect(rs).toHaveLength(1);
    expect(rs[0]?.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs[0]?.status).toMatchObject({ replicas: 6, readyReplicas: 6, availableReplicas: 6 });
    const pods = running(list<PodObject>('pods'));
    expect(pods).toHaveLength(6);
    for (const p of pods)
      expect(p.metadata.name).toMatch(
        new RegExp(`^${rs[0]?.metadata.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`),
      );
    // Control planes are tainted; the six pods land on the six workers.
    expect(new Set(pods.map((p) => p.spec.nodeName))).toEqual(
      new Set(['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5', 'worker-6']),
    );
    const d = call({ verb: 'get', resource: 'deployments', namespace: 'default', name: 'web' })
      .body as DeploymentObject;
    expect(d.status).toMatchObject({
      replicas: 6,
      updatedReplicas: 6,
      availableReplicas: 6,
      observedGeneration: 1,
    });
    expect(d.status?.conditions?.map((c) => c.reason)).toEqual([
      'MinimumReplicasAvailable',
      'NewReplicaSetAvailable',
    ]);
  });

  it('a new image rolls out, keeping availability, and leaves the old ReplicaSet at zero', () => {
    const { call, list, advance, deploy } = booted(5);
    deploy('web', 'nginx:1.27', 4);
    advance(8000);
    const cur = call({ verb: 'get', resource: 'deployments', namespace: 'default', name: 'web' })
      .body as DeploymentObject;
    const next = {
      ...cur,
      spec: {
        ...cur.spec,
        template: { ...cur.spec.template, spec: { containers: [{ name: 'main', image: 'nginx:1.26' }] } },
      },
    };
    expect(
      call({ verb: 'update', resource: 'deployments', namespace: 'default', name: 'web', body: next }).code,
    ).toBe(200);
    let minRunning = 4;
    for (let t = 0; t < 30; t++) {
      advance(500);
      minRunning = Math.min(
        minRunning,
        running(list<PodObject>('pods')).filter((p) =>
          p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        ).length,
      );
    }
    // maxUnavailable 25% of 4 = 1: at least 3 ready pods throughout.
    expect(minRunning).toBeGreaterThanOrEqual(3);
    const rs = list<ReplicaSetObject>('replicasets').sort(
      (a, b) => (a.spec.replicas ?? 0) - (b.spec.replicas ?? 0),
    );
    expect(rs.map((r) => r.spec.replicas)).toEqual([0, 4]);
    expect(rs[1]?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const images = running(list<PodObject>('pods')).map((p) => p.spec.containers[0]?.image);
    expect(images).toEqual(['nginx:1.26', 'nginx:1.26', 'nginx:1.26', 'nginx:1.26']);
  });

  it('deleting the Deployment removes its ReplicaSets and pods (garbage collection)', () => {
    const { call, list, advance, deploy } = booted(6);
    deploy('web', 'nginx:1.27', 3);
    advance(8000);
    expect(call({ verb: 'delete', resource: 'deployments', namespace: 'default', name: 'web' }).code).toBe(
      200,
    );
    advance(15_000);
    expect(list('replicasets')).toEqual([]);
    expect(list('pods')).toEqual([]);
  });

  it('a pod on a node is deleted gracefully: Terminating first, gone once the kubelet stopped it', () => {
    const { call, list, advance, deploy } = booted(7);
    deploy('web', 'nginx:1.27', 1);
    advance(8000);
    const [pod] = running(list<PodObject>('pods'));
    const res = call({ verb: 'delete', resource: 'pods', namespace: 'default', name: pod!.metadata.name });
    expect(res.code).toBe(200);
    expect((res.body as PodObject).metadata.deletionTimestamp).toBeDefined();
    expect((res.body as PodObject).metadata.deletionGracePeriodSeconds).toBe(30);
    advance(5000);
    const names = list<PodObject>('pods').map((p) => p.metadata.name);
    expect(names).not.toContain(pod!.metadata.name);
    // The ReplicaSet replaced it.
    expect(running(list<PodObject>('pods'))).toHaveLength(1);
  });

  it('an unknown image ends in ImagePullBackOff; a tool image with nothing to run crash-loops', () => {
    const { list, advance, deploy } = booted(8);
    deploy('typo', 'nginxx:latest', 1);
    deploy('tool', 'busybox:1.36', 1);
    advance(30_000);
    const byApp = (app: string) => list<PodObject>('pods').find((p) => p.metadata.labels?.app === app)!;
    const typo = byApp('typo').status?.containerStatuses?.[0]?.state.waiting;
    expect(typo?.reason).toMatch(/ImagePullBackOff|ErrImagePull/);
    const tool = byApp('tool').status?.containerStatuses?.[0];
    expect(tool?.restartCount).toBeGreaterThanOrEqual(1);
  });

  it('binding a pod twice is a conflict', () => {
    const { call, list, advance, deploy } = booted(9);
    deploy('web', 'nginx:1.27', 1);
    advance(8000);
    const [pod] = list<PodObject>('pods');
    const res = call({
      verb: 'create',
      resource: 'pods',
      subresource: 'binding',
      namespace: 'default',
      name: pod!.metadata.name,
      body: { target: { name: 'worker-1' } } as never,
    });
    expect(res.code).toBe(409);
    expect((res.body as { message: string }).message).toBe(
      `Operation cannot be fulfilled on pods/binding "${pod!.metadata.name}": pod ${pod!.metadata.name} is already assigned to node "${pod!.spec.nodeName}"`,
    );
  });
});

describe('binding races', () => {
  it('two schedulers binding one pod at once: one wins, the other hears where it went', () => {
    const { c, call, advance } = booted(10);
    // A pod no node fits, so the scheduler leaves it Pending.
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'contested', namespace: 'default' },
      spec: { nodeSelector: { nowhere: 'true' }, containers: [{ name: 'main', image: 'nginx:1.27' }] },
    };
    expect(call({ verb: 'create', resource: 'pods', namespace: 'default', body: pod as never }).code).toBe(
      201,
    );
    advance(2000);
    const client = c.outsideClient();
    const answers: { node: string; code: number; message?: string }[] = [];
    for (const node of ['worker-1', 'worker-2', 'worker-3']) {
      client.request(
        {
          verb: 'create',
          resource: 'pods',
          subresource: 'binding',
          namespace: 'default',
          name: 'contested',
          body: { target: { name: node } } as never,
        },
        (o) => {
          if ('code' in o)
            answers.push({ node, code: o.code, message: (o.body as { message?: string }).message });
        },
      );
    }
    c.sim.runUntilDone(() => answers.length === 3, c.sim.nowMs + 20_000);
    const won = answers.filter((a) => a.code === 201);
    expect(won).toHaveLength(1);
    const bound = call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'contested' })
      .body as PodObject;
    expect(bound.spec.nodeName).toBe(won[0]!.node);
    for (const lost of answers.filter((a) => a.code !== 201)) {
      expect(lost.code).toBe(409);
      expect(lost.message).toBe(
        `Operation cannot be fulfilled on pods/binding "contested": pod contested is already assigned to node "${won[0]!.node}"`,
      );
    }
  });
});

describe('node failure with workloads', () => {
  it('pods on a dead worker are evicted after 300 s and replaced elsewhere; the old ones stay Terminating', () => {
    const { c, list, advance, deploy } = booted(11);
    deploy('web', 'nginx:1.27', 6);
    advance(8000);
    const victim = running(list<PodObject>('pods')).find((p) => p.spec.nodeName === 'worker-1')!;
    c.killHost('worker-1');
    // Grace period (50 s) plus the 300 s toleration: nothing is evicted at 5 minutes…
    advance(300_000);
    expect(
      list<PodObject>('pods').find((p) => p.metadata.name === victim.metadata.name)?.metadata
        .deletionTimestamp,
    ).toBeUndefined();
    // …and by 6 minutes the pod is Terminating and a replacement runs on another node.
    advance(60_000 + 10_000);
    const pods = list<PodObject>('pods');
    expect(
      pods.find((p) => p.metadata.name === victim.metadata.name)?.metadata.deletionTimestamp,
    ).toBeDefined();
    const live = running(pods);
    expect(live).toHaveLength(6);
    expect(live.every((p) => p.spec.nodeName !== 'worker-1')).toBe(true);
  });
});

describe('workload validation', () => {
  it('refuses a pod without containers and a deployment whose selector does not match its labels', () => {
    const { call, list } = booted(12);
    const pod = call({
      verb: 'create',
      resource: 'pods',
      namespace: 'default',
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'empty' }, spec: { containers: [] } } as never,
    });
    expect(pod.code).toBe(422);
    expect((pod.body as { message: string }).message).toBe(
      'Pod "empty" is invalid: spec.containers: Required value',
    );
    const d = deployment('web', 'nginx', 1);
    const bad = { ...d, spec: { ...d.spec, selector: { matchLabels: { app: 'other' } } } };
    const res = call({ verb: 'create', resource: 'deployments', namespace: 'default', body: bad });
    expect(res.code).toBe(422);
    expect((res.body as { message: string }).message).toBe(
      'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    );
    expect(list('deployments')).toEqual([]);
    expect(list('pods')).toEqual([]);
  });
});

describe('events', () => {
  it('every component reports what it did, as kubectl get events would list', () => {
    const { list, advance, deploy } = booted(13);
    deploy('web', 'nginx:1.27', 2);
    advance(8000);
    const events = list<{
      reason: string;
      message: string;
      source: { component: string };
      involvedObject: { kind: string };
    }>('events');
    const seen = new Set(events.map((e) => `${e.source.component}/${e.involvedObject.kind}/${e.reason}`));
    for (const want of [
      'deployment-controller/Deployment/ScalingReplicaSet',
      'replicaset-controller/ReplicaSet/SuccessfulCreate',
      'default-scheduler/Pod/Scheduled',
      'kubelet/Pod/Pulling',
      'kubelet/Pod/Pulled',
      'kubelet/Pod/Created',
      'kubelet/Pod/Started',
    ]) {
      expect(seen).toContain(want);
    }
    const scaled = events.find((e) => e.reason === 'ScalingReplicaSet')!;
    expect(scaled.message).toMatch(/^Scaled up replica set web-\w+ from 0 to 2$/);
    const scheduled = events.find((e) => e.reason === 'Scheduled')!;
    expect(scheduled.message).toMatch(/^Successfully assigned default\/web-\w+-\w{5} to worker-\d$/);
  });

  it("a big scale-up is summed up as client-go's correlator does: 9 events, one combined, then silence", () => {
    const { list, advance, deploy } = booted(5);
    deploy('web', 'nginx:1.27', 40);
    advance(20_000);
    const created = list<{ message: string; count: number; involvedObject: { kind: string } }>(
      'events',
    ).filter((e) => e.involvedObject.kind === 'ReplicaSet' && /Created pod/.test(e.message));
    const plain = created.filter((e) => e.message.startsWith('Created pod: '));
    const combined = created.filter((e) =>
      e.message.startsWith('(combined from similar events): Created pod: '),
    );
    expect(plain).toHaveLength(9);
    expect(combined).toHaveLength(1);
    // 25 events about the ReplicaSet pass the spam filter: 9 plain, then the combined one counted 16 times.
    expect(combined[0]?.count).toBe(16);
    const pods = list<PodObject>('pods').filter((p) => p.metadata.name.startsWith('web-'));
    expect(pods).toHaveLength(40);
  });
});

describe('status subresource', () => {
  it('PUT …/status takes only the status: a stale spec in the body changes nothing', () => {
    const { call, deploy, advance } = booted(2);
    deploy('web', 'nginx:1.27', 2);
    advance(5000);
    const rs = (
      call({ verb: 'list', resource: 'replicasets', namespace: 'default' }).body as {
        items: ReplicaSetObject[];
      }
    ).items[0]!;
    const res = call({
      verb: 'update',
      resource: 'replicasets',
      subresource: 'status',
      namespace: 'default',
      name: rs.metadata.name,
      body: {
        ...rs,
        spec: { ...rs.spec, replicas: 9 },
        status: { ...rs.status!, readyReplicas: 1 },
      } as never,
    });
    expect(res.code).toBe(200);
    const stored = res.body as ReplicaSetObject;
    expect(stored.spec.replicas).toBe(2);
    expect(stored.status?.readyReplicas).toBe(1);
    expect(stored.metadata.generation).toBe(rs.metadata.generation);
  });

  for (const seed of [1, 3]) {
    it(`scaling 2 → 5 is recorded as the Deployment controller's ScalingReplicaSet event (seed ${seed})`, () => {
      const { call, list, deploy, advance } = booted(seed);
      deploy('web', 'nginx:1.27', 2);
      advance(8000);
      call({
        verb: 'patch',
        resource: 'deployments',
        namespace: 'default',
        name: 'web',
        patch: { spec: { replicas: 5 } },
      });
      advance(8000);
      const messages = list<{ reason: string; message: string }>('events')
        .filter((e) => e.reason === 'ScalingReplicaSet')
        .map((e) => e.message);
      expect(messages.some((m) => /^Scaled up replica set web-\w+ from 2 to 5$/.test(m))).toBe(true);
    });
  }
});

describe('deployment progress', () => {
  it('a rollout stuck on a bad image exceeds its progress deadline; undo restores the revision', () => {
    const s = new Session({ scenario: 'ha', seed: 21 });
    s.run('kubectl create deployment web --image=nginx:1.27 --replicas=2');
    s.run('advance 10s');
    s.run('kubectl set image deployment/web nginx=nginx:9.99');
    s.run('advance 11m');
    const conditions = s.run("kubectl get deploy web -o jsonpath='{.status.conditions[1].reason}'");
    const described = s.run('kubectl describe deployment web').stdout;
    expect(conditions.code === 0 ? conditions.stdout : described).toMatch(/ProgressDeadlineExceeded/);
    s.run('kubectl rollout undo deployment/web');
    s.run('advance 10s');
    const yaml = s.run('kubectl get deploy web -o yaml').stdout;
    expect(yaml).toMatch(/deployment.kubernetes.io\/revision: "3"/);
    expect(yaml).toMatch(/reason: NewReplicaSetAvailable/);
  });
});

describe('rolling update without waste', () => {
  it.each([1, 2, 3, 4])(
    'seed %i: the new ReplicaSet creates exactly its replicas, and no pod of it is deleted',
    (seed) => {
      const s = new Session({ scenario: 'ha', seed });
      s.run('kubectl create deployment web --image=nginx:1.27 --replicas=5');
      s.run('advance 10s');
      // Every pod write, as etcd applies it: which pods came and went during the rollout.
      const created = new Set<string>();
      const deleted = new Set<string>();
      s.cluster.etcdMember('cp-1')!.store.watch('/registry/pods/default/', (events) => {
        for (const e of events) {
          const name = e.kv.key.split('/').pop()!;
          if (e.type === 'DELETE' || (e.kv.value as PodObject).metadata.deletionTimestamp) deleted.add(name);
          else if (e.kv.version === 1) created.add(name);
        }
      });
      s.run('kubectl set image deployment/web nginx=nginx:1.28');
      expect(s.run('kubectl rollout status deployment/web --timeout=60s').code).toBe(0);
      const [newRs] = (JSON.parse(s.run('kubectl get rs -o json').stdout).items as ReplicaSetObject[]).filter(
        (rs) => rs.spec.replicas === 5,
      );
      const ofNew = (names: Set<string>) =>
        [...names].filter((n) => n.startsWith(`${newRs!.metadata.name}-`));
      expect(ofNew(created)).toHaveLength(5);
      expect(ofNew(deleted)).toEqual([]);
    },
  );
});
