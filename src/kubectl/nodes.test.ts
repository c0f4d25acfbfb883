import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';
import type { NodeObject, PodObject } from '../sim/api/types';

/**
 * cordon, uncordon, drain and taint through a booted cluster: the scheduler honours
 * spec.unschedulable and NoSchedule taints, the kubelets stop evicted pods and the ReplicaSet
 * controller replaces them elsewhere. Texts were checked against kubectl v1.32.4 with
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
const allPods = (s: Session): PodObject[] =>
  json<{ items: PodObject[] }>(s, 'kubectl get pods -A -o json').items;
const isDaemon = (p: PodObject): boolean =>
  p.metadata.ownerReferences?.some((r) => r.controller && r.kind === 'DaemonSet') ?? false;
const nsName = (p: PodObject): string => `${p.metadata.namespace}/${p.metadata.name}`;
const node = (s: Session, name: string): NodeObject =>
  json<NodeObject>(s, `kubectl get node ${name} -o json`);

/** The node with the most of the given pods on it. */
function busiest(list: readonly PodObject[]): string {
  const counts = new Map<string, number>();
  for (const p of list) counts.set(p.spec.nodeName!, (counts.get(p.spec.nodeName!) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

describe('kubectl cordon and uncordon', () => {
  it('marks nodes unschedulable and back, as kubectl says it', () => {
    const s = session();
    expect(s.run('kubectl cordon worker-1').output).toBe('node/worker-1 cordoned\n');
    expect(s.run('kubectl cordon worker-1').output).toBe('node/worker-1 already cordoned\n');
    expect(node(s, 'worker-1').spec.unschedulable).toBe(true);
    expect(s.run('kubectl get node worker-1').stdout).toContain('Ready,SchedulingDisabled');
    expect(s.run('kubectl uncordon worker-1 worker-2').output).toBe(
      'node/worker-1 uncordoned\nnode/worker-2 already uncordoned\n',
    );
    expect(node(s, 'worker-1').spec.unschedulable).toBeUndefined();
    expect(s.run('kubectl cordon -l kubernetes.io/hostname=worker-3 --dry-run=client').output).toBe(
      'node/worker-3 cordoned (dry run)\n',
    );
    expect(node(s, 'worker-3').spec.unschedulable).toBeUndefined();
    expect(s.run('kubectl cordon').output).toBe(
      "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples\n",
    );
    expect(s.run('kubectl cordon nope').output).toBe(
      'Error from server (NotFound): nodes "nope" not found\n',
    );
    expect(s.run('kubectl cordon pod/x').output).toBe('Error from server (NotFound): pods "x" not found\n');
  });
});

describe('kubectl drain', () => {
  it('evicts the pods of a node; their ReplicaSet brings them back on other nodes', () => {
    const s = session();
    s.run('kubectl create deployment web --image=nginx:1.26 --replicas=6');
    expect(s.run('kubectl rollout status deployment/web').code).toBe(0);
    const before = pods(s);
    const target = busiest(before);
    const onTarget = before.filter((p) => p.spec.nodeName === target).map((p) => p.metadata.name);
    expect(onTarget.length).toBeGreaterThan(0);
    // Every pod of the node goes (a CoreDNS pod too) but its kube-proxy, which is only warned about.
    const everyOnTarget = allPods(s).filter((p) => p.spec.nodeName === target);
    const proxy = everyOnTarget.filter(isDaemon).map(nsName);
    expect(proxy).toHaveLength(1);
    const evicted = everyOnTarget.filter((p) => !isDaemon(p));

    const r = s.run(`kubectl drain ${target} --ignore-daemonsets --delete-emptydir-data --force`);
    expect(r.code, r.output).toBe(0);
    expect(r.stderr).toBe(`Warning: ignoring DaemonSet-managed Pods: ${proxy[0]}\n`);
    expect(r.stdout).toBe(
      [
        `node/${target} cordoned`,
        ...evicted.map((p) => `evicting pod ${nsName(p)}`),
        ...evicted.map((p) => `pod/${p.metadata.name} evicted`),
        `node/${target} drained`,
        '',
      ].join('\n'),
    );
    expect(s.run('kubectl rollout status deployment/web').code).toBe(0);
    const after = pods(s);
    expect(after).toHaveLength(6);
    for (const p of after) {
      expect(p.spec.nodeName).not.toBe(target);
      expect(p.status?.phase).toBe('Running');
      expect(onTarget).not.toContain(p.metadata.name);
    }
    expect(node(s, target).spec.unschedulable).toBe(true);
    // The kube-proxy pod stays; drained again, nothing is left to evict.
    expect(
      allPods(s)
        .filter((p) => p.spec.nodeName === target)
        .map(nsName),
    ).toEqual(proxy);
    expect(s.run(`kubectl drain ${target} --ignore-daemonsets`).output).toBe(
      `node/${target} already cordoned\nWarning: ignoring DaemonSet-managed Pods: ${proxy[0]}\nnode/${target} drained\n`,
    );
    expect(s.run(`kubectl uncordon ${target}`).output).toBe(`node/${target} uncordoned\n`);
  });

  it('refuses bare pods without --force, deletes them with it', () => {
    const s = session();
    s.run('kubectl run bare --image=nginx');
    s.run('advance 10s');
    const where = pods(s)[0]!.spec.nodeName!;
    const proxy = allPods(s)
      .filter((p) => p.spec.nodeName === where && isDaemon(p))
      .map(nsName)[0];
    const others = allPods(s).filter(
      (p) => p.spec.nodeName === where && !isDaemon(p) && p.metadata.name !== 'bare',
    );
    expect(others).toEqual([]); // only the bare pod and kube-proxy on that node
    const refused = s.run(`kubectl drain ${where} --ignore-daemonsets`);
    expect(refused.code).toBe(1);
    expect(refused.output).toBe(
      `node/${where} cordoned\n` +
        `error: unable to drain node "${where}" due to error: cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare, continuing command...\n` +
        `There are pending nodes to be drained:\n ${where}\n` +
        'cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare\n',
    );
    expect(pods(s)).toHaveLength(1);
    expect(s.run(`kubectl drain ${where} --force --dry-run=client --ignore-daemonsets`).output).toBe(
      `node/${where} already cordoned (dry run)\n` +
        // Grouped in the order the pods are listed (kubectl's own map order is random).
        `Warning: deleting Pods that declare no controller: default/bare; ignoring DaemonSet-managed Pods: ${proxy}\n` +
        'evicting pod default/bare (dry run)\n' +
        `node/${where} drained (dry run)\n`,
    );
    const forced = s.run(`kubectl drain ${where} --force --ignore-daemonsets`);
    expect(forced.code, forced.output).toBe(0);
    expect(forced.stderr).toBe(
      `Warning: deleting Pods that declare no controller: default/bare; ignoring DaemonSet-managed Pods: ${proxy}\n`,
    );
    expect(forced.stdout).toBe(
      `node/${where} already cordoned\nevicting pod default/bare\npod/bare evicted\nnode/${where} drained\n`,
    );
    expect(pods(s)).toHaveLength(0);
  });

  it('refuses DaemonSet-managed pods without --ignore-daemonsets, and never touches them', () => {
    const s = session();
    const proxy = allPods(s)
      .filter((p) => p.spec.nodeName === 'worker-1' && isDaemon(p))
      .map(nsName);
    expect(proxy).toHaveLength(1);
    const refused = s.run('kubectl drain worker-1');
    expect(refused.code).toBe(1);
    const fatal = `cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${proxy[0]}`;
    const onNode = allPods(s).filter((p) => p.spec.nodeName === 'worker-1' && !isDaemon(p));
    expect(refused.output).toBe(
      'node/worker-1 cordoned\n' +
        `error: unable to drain node "worker-1" due to error: ${fatal}, continuing command...\n` +
        'There are pending nodes to be drained:\n worker-1\n' +
        `${fatal}\n`,
    );
    // Nothing was evicted.
    expect(allPods(s).filter((p) => p.spec.nodeName === 'worker-1')).toHaveLength(onNode.length + 1);
  });

  it('never evicts the mirror pods of a control-plane node', () => {
    const s = session();
    const mirrors = allPods(s)
      .filter((p) => p.spec.nodeName === 'cp-1' && p.metadata.annotations?.['kubernetes.io/config.mirror'])
      .map((p) => p.metadata.name)
      .sort();
    expect(mirrors).toEqual([
      'etcd-cp-1',
      'kube-apiserver-cp-1',
      'kube-controller-manager-cp-1',
      'kube-scheduler-cp-1',
    ]);
    const r = s.run('kubectl drain cp-1 --ignore-daemonsets');
    expect(r.code, r.output).toBe(0);
    // Mirror pods are skipped silently; only kube-proxy is named.
    expect(r.stderr).toMatch(/^Warning: ignoring DaemonSet-managed Pods: kube-system\/kube-proxy-\w{5}\n$/);
    expect(r.stdout).not.toContain('evicting');
    expect(
      allPods(s)
        .filter((p) => p.spec.nodeName === 'cp-1' && p.metadata.annotations?.['kubernetes.io/config.mirror'])
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual(mirrors);
  });

  it('gives up at --timeout on a dead node whose pods cannot go', () => {
    const s = session();
    s.run('kubectl create deployment web --image=nginx:1.26 --replicas=6');
    expect(s.run('kubectl rollout status deployment/web').code).toBe(0);
    const target = busiest(pods(s));
    const onTarget = allPods(s).filter((p) => p.spec.nodeName === target);
    const stuckPods = onTarget.filter((p) => !isDaemon(p));
    const stuck = stuckPods.map((p) => p.metadata.name);
    const proxy = onTarget.filter(isDaemon).map(nsName);
    s.run(`kill node ${target}`);
    const t0 = s.cluster.sim.nowMs;
    const r = s.run(`kubectl drain ${target} --timeout=20s --ignore-daemonsets`);
    expect(r.code).toBe(1);
    expect(s.cluster.sim.nowMs - t0).toBeGreaterThanOrEqual(20_000);
    const why = stuckPods.map(
      (p) =>
        `error when waiting for pod "${p.metadata.name}" in namespace "${p.metadata.namespace}" to terminate: context deadline exceeded`,
    );
    const agg = why.length === 1 ? why[0] : `[${why.join(', ')}]`;
    expect(r.stderr).toBe(
      `Warning: ignoring DaemonSet-managed Pods: ${proxy[0]}\n` +
        `There are pending pods in node "${target}" when an error occurred: ${agg}\n` +
        stuck.map((n) => `pod/${n}\n`).join('') +
        `error: unable to drain node "${target}" due to error: ${agg}, continuing command...\n` +
        `There are pending nodes to be drained:\n ${target}\n` +
        why.map((w) => `${w}\n`).join(''),
    );
  });
});

describe('kubectl taint', () => {
  it('a NoSchedule taint keeps new pods off the node; removal lets them back', () => {
    const s = session();
    expect(s.run('kubectl taint nodes worker-1 dedicated=gpu:NoSchedule').output).toBe(
      'node/worker-1 tainted\n',
    );
    expect(node(s, 'worker-1').spec.taints).toEqual([
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    ]);
    expect(s.run('kubectl taint nodes worker-1 dedicated=cpu:NoSchedule').output).toBe(
      'error: node worker-1 already has dedicated taint(s) with same effect(s) and --overwrite is false\n',
    );
    expect(s.run('kubectl taint nodes worker-1 dedicated=cpu:NoSchedule --overwrite').output).toBe(
      'node/worker-1 modified\n',
    );
    s.run('kubectl create deployment web --image=nginx:1.26 --replicas=12');
    expect(s.run('kubectl rollout status deployment/web').code).toBe(0);
    const placed = pods(s);
    expect(placed).toHaveLength(12);
    expect(placed.filter((p) => p.spec.nodeName === 'worker-1')).toEqual([]);

    expect(s.run('kubectl taint nodes worker-1 dedicated:NoSchedule-').output).toBe(
      'node/worker-1 untainted\n',
    );
    expect(node(s, 'worker-1').spec.taints).toBeUndefined();
    expect(s.run('kubectl taint nodes worker-1 dedicated-').output).toBe(
      'error: taint "dedicated" not found\n',
    );
    s.run('kubectl scale deployment web --replicas=24');
    expect(s.run('kubectl rollout status deployment/web').code).toBe(0);
    expect(pods(s).some((p) => p.spec.nodeName === 'worker-1')).toBe(true);
  });

  it('parses taints and refuses bad ones as kubectl does', () => {
    const s = session();
    expect(s.run('kubectl taint nodes worker-2 a=b:Foo').output).toBe(
      "error: invalid taint effect: Foo, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n",
    );
    expect(s.run('kubectl taint nodes worker-2').output).toBe(
      'error: at least one taint update is required\n',
    );
    expect(s.run('kubectl taint pods x a=b:NoSchedule').output).toBe(
      'error: invalid resource type pods, only node types are supported\n',
    );
    expect(s.run('kubectl taint nodes worker-2 a=b:NoSchedule a-').output).toBe(
      'error: can not both modify and remove the following taint(s) in the same command: a=\n',
    );
    expect(s.run('kubectl taint nodes worker-2 worker-3 k:NoExecute x=y:PreferNoSchedule').output).toBe(
      'node/worker-2 tainted\nnode/worker-3 tainted\n',
    );
    expect(node(s, 'worker-2').spec.taints).toEqual([
      { key: 'k', effect: 'NoExecute' },
      { key: 'x', value: 'y', effect: 'PreferNoSchedule' },
    ]);
    expect(s.run('kubectl taint nodes --all k- --dry-run=client').output).toBe(
      'node/worker-2 untainted\nnode/worker-3 untainted\n' + 'taint "k" not found\n'.repeat(7),
    );
    expect(s.run('kubectl taint nodes worker-2 nope k- -o name').output).toBe(
      'node/worker-2\nError from server (NotFound): nodes "nope" not found\n',
    );
    expect(node(s, 'worker-2').spec.taints).toEqual([{ key: 'x', value: 'y', effect: 'PreferNoSchedule' }]);
  });
});
