import { describe, expect, it } from 'vitest';
import { add, ssh, unitsHumanDuration } from '../../src/lab/nodeCommands';
import { runProgram } from '../../src/shell/runProgram';
import { Cluster } from '../../src/sim/cluster/cluster';
import { takeSnapshot } from '../../src/sim/snapshot';
import { warmUp } from '../../src/sim/warmUp';

function booted() {
  const c = new Cluster('ha', 4);
  warmUp(c);
  return c;
}

function deploy(c: Cluster, replicas: number): void {
  let done = false;
  c.outsideClient().request(
    {
      verb: 'create',
      resource: 'deployments',
      namespace: 'default',
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          replicas,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
          },
        },
      } as never,
    },
    () => {
      done = true;
    },
  );
  c.sim.runUntilDone(() => done, c.sim.nowMs + 10_000);
  c.sim.runUntil(c.sim.nowMs + 8_000);
}

describe('ssh NODE crictl', () => {
  it('lists the containers and sandboxes the node runs, even with the control plane down', () => {
    const c = booted();
    deploy(c, 6);
    for (const cp of ['cp-1', 'cp-2', 'cp-3']) c.killHost(cp);
    const ps = runProgram(c, ssh, ['worker-1', 'crictl', 'ps']);
    expect(ps.code).toBe(0);
    const lines = ps.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^CONTAINER {11}IMAGE {15}CREATED {13}STATE {15}NAME {16}ATTEMPT {13}POD ID {14}POD +NAMESPACE$/,
    );
    // nginx and the node's kube-proxy (a CoreDNS pod may run there too).
    const web = lines.filter((l) => / web-/.test(l));
    expect(web).toHaveLength(1);
    expect(lines.filter((l) => / kube-proxy-\w{5} +kube-system$/.test(l))).toHaveLength(1);
    expect(web[0]).toMatch(
      /^[0-9a-f]{13} {7}[0-9a-f]{13} {7}\d+ seconds ago +Running +nginx +0 +[0-9a-f]{13} +web-\w+-\w{5} +default$/,
    );
    const pods = runProgram(c, ssh, ['worker-1', 'crictl', 'pods']);
    expect(pods.stdout).toMatch(/Ready +web-\w+-\w{5} +default +0 +\(default\)\n/);
  });

  it('cannot reach a dead node', () => {
    const c = booted();
    c.killHost('worker-3');
    const r = runProgram(c, ssh, ['worker-3', 'crictl', 'ps']);
    expect(r.code).toBe(255);
    expect(r.stderr).toBe('ssh: connect to host worker-3 port 22: No route to host\n');
  });
});

describe('add node', () => {
  it('joins a worker that registers Ready with its labels and taints', () => {
    const c = booted();
    const r = runProgram(c, add, [
      'node',
      'gpu-1',
      '--zone',
      'zone-c',
      '--cpu',
      '8',
      '--memory',
      '16Gi',
      '--labels',
      'gpu=a100',
      '--taints',
      'gpu=true:NoSchedule',
    ]);
    expect(r.stdout).toBe(
      'gpu-1 joined zone-c at 10.0.64.5 (8 CPU, 16384Mi); its kubelet is registering the node.\n',
    );
    c.sim.runUntil(c.sim.nowMs + 5000);
    const node = takeSnapshot(c).nodes.find((n) => n.name === 'gpu-1');
    expect(node).toMatchObject({ zone: 'zone-c', role: 'worker', ready: 'Ready' });
  });

  it.each([
    [['node', 'cp-1'], 'error: node "cp-1" already exists\n'],
    [['node', 'Bad_Name'], `error: invalid node name "Bad_Name": use lower-case letters, digits and '-'\n`],
    [['node', 'x', '--zone', 'zone-z'], 'error: zone "zone-z" not found (zones: zone-a, zone-b, zone-c)\n'],
    [
      ['node', 'x', '--taints', 'a=b'],
      'error: invalid taint "a=b": expected key[=value]:NoSchedule|PreferNoSchedule|NoExecute\n',
    ],
  ])('refuses %j and adds nothing', (argv, error) => {
    const c = booted();
    const before = c.hosts.size;
    const r = runProgram(c, add, argv);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(error);
    expect(c.hosts.size).toBe(before);
  });
});

describe('unitsHumanDuration', () => {
  it.each([
    [500, 'Less than a second'],
    [1000, '1 second'],
    [45_000, '45 seconds'],
    [90_000, 'About a minute'],
    [150_000, '2 minutes'],
    [3_600_000, 'About an hour'],
    [5 * 3_600_000, '5 hours'],
    [72 * 3_600_000, '3 days'],
  ])('%i ms → %s', (ms, text) => expect(unitsHumanDuration(ms)).toBe(text));
});
