import { describe, expect, it } from 'vitest';
import { etcdctl } from '../../src/etcdctl/etcdctl';
import { LAB_COMMANDS } from '../../src/lab/lab';
import { runProgram } from '../../src/shell/runProgram';
import type { PodObject } from '../../src/sim/api/types';
import { Cluster } from '../../src/sim/cluster/cluster';
import { takeSnapshot } from '../../src/sim/snapshot';
import { warmUp } from '../../src/sim/warmUp';

/**
 * `etcdctl member add` / `member remove` as etcdctl 3.5 prints them, on Raft configuration
 * changes, and `add node NAME --control-plane` doing what kubeadm join does for etcd.
 */

function newCluster(seed: number): Cluster {
  const cluster = new Cluster('ha', seed);
  warmUp(cluster);
  return cluster;
}

const etcd = (cluster: Cluster, ...argv: string[]) => runProgram(cluster, etcdctl, argv);
const lab = (cluster: Cluster, name: string, ...argv: string[]) =>
  runProgram(cluster, LAB_COMMANDS[name]!, argv);
const advance = (cluster: Cluster, ms: number) => cluster.sim.runUntil(cluster.sim.nowMs + ms);
/** The Ready condition of a kube-system pod, as etcd on `host` has it. */
function mirrorReady(cluster: Cluster, host: string, pod: string): string | undefined {
  const kv = cluster.etcdMember(host)!.store.range(`/registry/pods/kube-system/${pod}`).kvs[0];
  const p = kv?.value as PodObject | undefined;
  return p?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

const idOf = (cluster: Cluster, name: string): string =>
  etcd(cluster, 'member', 'list')
    .stdout.split('\n')
    .find((l) => l.includes(`, ${name}, `))!
    .split(', ')[0]!;

describe('etcdctl member add', () => {
  it('adds an unstarted member and prints the environment for the new etcd', () => {
    const cluster = newCluster(21);
    const r = etcd(cluster, 'member', 'add', 'cp-4', '--peer-urls=https://10.0.0.9:2380');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Member [0-9a-f ]{16} added to cluster 9a3bd1f3c0cb2b2e$/);
    expect(lines.slice(1)).toEqual([
      '',
      'ETCD_NAME="cp-4"',
      'ETCD_INITIAL_CLUSTER="cp-1=https://10.0.0.2:2380,cp-2=https://10.0.32.2:2380,cp-3=https://10.0.64.2:2380,cp-4=https://10.0.0.9:2380"',
      'ETCD_INITIAL_ADVERTISE_PEER_URLS="https://10.0.0.9:2380"',
      'ETCD_INITIAL_CLUSTER_STATE="existing"',
      '',
    ]);
    const id = lines[0]!.split(' ')[1]!;
    const list = etcd(cluster, 'member', 'list').stdout.trim().split('\n');
    expect(list).toHaveLength(4);
    expect(list[3]).toBe(`${id}, unstarted, , https://10.0.0.9:2380, , false`);
    const json = JSON.parse(etcd(cluster, 'member', 'list', '-w', 'json').stdout);
    expect(json.members[3]).toEqual({ ID: Number(BigInt(`0x${id}`)), peerURLs: ['https://10.0.0.9:2380'] });
    // Every member applied the change: each Raft configuration has four voters now.
    for (const h of cluster.etcdHosts()) expect(cluster.etcdMember(h.name)!.raft.voters).toHaveLength(4);
    // A quorum of four is three: with the new member never started, one more failure stops writes.
    lab(cluster, 'kill', 'node', 'cp-3');
    const put = etcd(cluster, 'put', '/lab/x', '1');
    expect(put.code).toBe(1);
    expect(put.stderr).toMatch(/Error: (context deadline exceeded|etcdserver: request timed out)\n$/);
  });

  it('refuses a peer URL in use, bad URLs, and a change that would lose quorum', () => {
    const cluster = newCluster(22);
    const taken = etcd(cluster, 'member', 'add', 'x', '--peer-urls=https://10.0.32.2:2380');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(
      /"error":"rpc error: code = FailedPrecondition desc = etcdserver: Peer URLs already exists"}\nError: etcdserver: Peer URLs already exists\n$/,
    );
    expect(etcd(cluster, 'member', 'add', 'x', '--peer-urls=10.0.0.9').stderr).toMatch(
      /Error: etcdserver: given member URLs are invalid\n$/,
    );
    // One member down: the answering member is not connected to every voter.
    lab(cluster, 'kill', 'node', 'cp-2');
    advance(cluster, 1000);
    const unhealthy = etcd(cluster, 'member', 'add', 'x', '--peer-urls=https://10.0.0.9:2380');
    expect(unhealthy.stderr).toMatch(
      /code = Unavailable desc = etcdserver: unhealthy cluster.*\nError: etcdserver: unhealthy cluster\n$/,
    );
    expect(etcd(cluster, 'member', 'list').stdout.trim().split('\n')).toHaveLength(3);
    // Unstarted members count against the started ones: with two started of three, a fourth
    // member would leave fewer started members than its quorum of three.
    lab(cluster, 'start', 'node', 'cp-2');
    advance(cluster, 10_000);
    expect(etcd(cluster, 'member', 'remove', idOf(cluster, 'cp-3')).code).toBe(0);
    advance(cluster, 3000);
    expect(etcd(cluster, 'member', 'add', 'a', '--peer-urls=https://10.0.0.9:2380').code).toBe(0);
    expect(etcd(cluster, 'member', 'add', 'b', '--peer-urls=https://10.0.0.10:2380').stderr).toMatch(
      /code = FailedPrecondition desc = etcdserver: re-configuration failed due to not enough started members.*\nError: etcdserver: re-configuration failed due to not enough started members\n$/,
    );
  });
});

describe('etcdctl member remove', () => {
  it('removes a follower: it stops, drops out of the list, and the rest keep quorum', () => {
    const cluster = newCluster(23);
    const leader = takeSnapshot(cluster).etcd.leader!;
    const follower = ['cp-1', 'cp-2', 'cp-3'].find((n) => n !== leader)!;
    const id = idOf(cluster, follower);
    const r = etcd(cluster, 'member', 'remove', id);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`Member ${id} removed from cluster 9a3bd1f3c0cb2b2e\n`);
    advance(cluster, 3000);
    expect(cluster.etcdMember(follower)).toBeUndefined();
    expect(cluster.etcdMemberRemoved(follower)).toBe(true);
    expect(etcd(cluster, 'member', 'list').stdout).not.toContain(follower);
    expect(etcd(cluster, 'endpoint', 'health', '--cluster').stderr).toBe('');
    // Two voters: both are needed, and both are up.
    expect(etcd(cluster, 'put', '/lab/after', 'ok').stdout).toBe('OK\n');
    // Restarting the machine does not bring the removed member back.
    lab(cluster, 'kill', 'node', follower);
    lab(cluster, 'start', 'node', follower);
    advance(cluster, 5000);
    expect(cluster.etcdMember(follower)).toBeUndefined();
    // Its mirror pod reports etcd not ready.
    advance(cluster, 30_000);
    expect(mirrorReady(cluster, leader, `etcd-${follower}`)).toBe('False');
    const same = etcd(cluster, 'member', 'remove', id);
    expect(same.stderr).toMatch(
      /code = NotFound desc = etcdserver: member not found.*\nError: etcdserver: member not found\n$/,
    );
  });

  it('removes the leader: it steps down, and the others elect a new one', () => {
    const cluster = newCluster(24);
    const leader = takeSnapshot(cluster).etcd.leader!;
    const id = idOf(cluster, leader);
    expect(etcd(cluster, 'member', 'remove', id).code).toBe(0);
    advance(cluster, 5000);
    expect(cluster.etcdMember(leader)).toBeUndefined();
    const after = takeSnapshot(cluster).etcd;
    expect(after.members.map((m) => m.name)).not.toContain(leader);
    expect(after.leader).not.toBe(leader);
    expect(after.quorum).toBe(true);
    expect(etcd(cluster, 'put', '/lab/after', 'ok').stdout).toBe('OK\n');
  });

  it('checks the ID, and waits out its deadline without quorum', () => {
    const cluster = newCluster(25);
    expect(etcd(cluster, 'member', 'remove', 'abc').stderr).toMatch(/Error: etcdserver: member not found\n$/);
    const id = idOf(cluster, 'cp-3');
    lab(cluster, 'kill', 'node', 'cp-2');
    lab(cluster, 'kill', 'node', 'cp-3');
    advance(cluster, 3000);
    const r = etcd(cluster, '--endpoints=https://10.0.0.2:2379', 'member', 'remove', id);
    expect(r.code).toBe(1);
    // cp-3 is down, so removing it passes the strict checks; without quorum it never commits.
    expect(r.stderr).toMatch(/Error: context deadline exceeded\n$/);
    expect(cluster.etcdMember('cp-1')!.raft.voters).toHaveLength(3);
  });
});

describe('add node --control-plane', () => {
  it('joins as kubeadm does: member add, then the new etcd catches up and publishes its name', () => {
    const cluster = newCluster(26);
    etcd(cluster, 'put', '/lab/before', 'joined');
    const r = lab(cluster, 'add', 'node', 'cp-4', '--control-plane', '--zone', 'zone-a');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /^cp-4 joined zone-a at 10\.0\.0\.\d+ as a control-plane node: etcd member [0-9a-f]{16} added \(4 members\)/,
    );
    advance(cluster, 10_000);
    const list = etcd(cluster, 'member', 'list').stdout.trim().split('\n');
    expect(list).toHaveLength(4);
    expect(list[3]).toMatch(
      /^[0-9a-f]{16}, started, cp-4, https:\/\/10\.0\.0\.\d+:2380, https:\/\/10\.0\.0\.\d+:2379, false$/,
    );
    const status = etcd(cluster, 'endpoint', 'status', '-w', 'json');
    expect(JSON.parse(status.stdout)).toHaveLength(4);
    const ip = cluster.host('cp-4')!.spec.ip;
    expect(etcd(cluster, `--endpoints=https://${ip}:2379`, 'get', '/lab/before').stdout).toBe(
      '/lab/before\njoined\n',
    );
    // Four voters: losing two of them loses quorum.
    expect(takeSnapshot(cluster).etcd.members).toHaveLength(4);
    advance(cluster, 60_000);
    expect(mirrorReady(cluster, 'cp-1', 'etcd-cp-4')).toBe('True');
    expect(mirrorReady(cluster, 'cp-1', 'kube-apiserver-cp-4')).toBe('True');
    // Then it can be removed again, as `kubeadm reset` would.
    const id = idOf(cluster, 'cp-4');
    expect(etcd(cluster, 'member', 'remove', id).stdout).toBe(
      `Member ${id} removed from cluster 9a3bd1f3c0cb2b2e\n`,
    );
    advance(cluster, 3000);
    expect(cluster.etcdMember('cp-4')).toBeUndefined();
    expect(etcd(cluster, 'endpoint', 'health', '--cluster').code).toBe(0);
  });

  it('fails as kubeadm does when the cluster is unhealthy', () => {
    const cluster = newCluster(27);
    lab(cluster, 'kill', 'node', 'cp-3');
    advance(cluster, 1000);
    const r = lab(cluster, 'add', 'node', 'cp-4', '--control-plane');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error execution phase control-plane-join/etcd: error creating local etcd static pod manifest file: etcdserver: unhealthy cluster\n',
    );
    expect(cluster.host('cp-4')).toBeUndefined();
  });
});
