import { beforeAll, describe, expect, it } from 'vitest';
import { etcdctl } from '../../src/etcdctl/etcdctl';
import { storedBytes, terminalText } from '../../src/etcdctl/protobuf';
import { Session } from '../../src/script/session';
import { runProgram } from '../../src/shell/runProgram';
import { COMPACTION_INTERVAL_MS } from '../../src/sim/apiserver/compactor';
import { Cluster } from '../../src/sim/cluster/cluster';
import { ERR_COMPACTED, MvccStore } from '../../src/sim/etcd/mvcc/store';
import { warmUp } from '../../src/sim/warmUp';

describe('MVCC history and compaction', () => {
  it('reads past revisions, forgets them at compaction, and keeps memory bounded', () => {
    const s = new MvccStore();
    const put = (key: string, value: string) =>
      s.txn({ compare: [], success: [{ type: 'put', key, value }], failure: [] }).revision;
    const r1 = put('a', 'one');
    const r2 = put('a', 'two');
    s.txn({ compare: [], success: [{ type: 'delete', key: 'a' }], failure: [] });
    const r4 = put('b', 'x');
    expect(s.rangeAt('a', false, r1)).toMatchObject({ ok: true, value: { kvs: [{ value: 'one' }] } });
    expect(s.rangeAt('a', false, r2)).toMatchObject({ ok: true, value: { kvs: [{ value: 'two' }] } });
    expect(s.rangeAt('a', false, r4)).toMatchObject({ ok: true, value: { count: 0 } });
    expect(s.rangeAt('', true, r2)).toMatchObject({ ok: true, value: { count: 1 } });
    expect(s.rangeAt('a', false, r4 + 1)).toEqual({
      ok: false,
      error: 'etcdserver: mvcc: required revision is a future revision',
    });
    expect(s.historySize).toBe(3); // one, two, tombstone
    expect(s.compact(r2)).toEqual({ ok: true });
    expect(s.rangeAt('a', false, r1)).toEqual({ ok: false, error: ERR_COMPACTED });
    expect(s.rangeAt('a', false, r2)).toMatchObject({ ok: true, value: { kvs: [{ value: 'two' }] } });
    expect(s.compact(r4)).toEqual({ ok: true });
    expect(s.historySize).toBe(0);
    expect(s.compact(r4)).toEqual({ ok: false, error: ERR_COMPACTED });
  });
});

describe('stored values look like kube-apiserver protobuf', () => {
  it('starts with k8s\\0 and the type, strings readable between binary', () => {
    const bytes = storedBytes({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', labels: { app: 'web' } },
    });
    expect([...bytes.slice(0, 4)]).toEqual([0x6b, 0x38, 0x73, 0]);
    const text = terminalText(bytes);
    expect(text.startsWith('k8s')).toBe(true);
    expect(text).toContain('v1');
    expect(text).toContain('Pod');
    expect(text).toContain('web');
    expect(text).not.toContain('\x00');
    expect(terminalText(storedBytes('plain'))).toBe('plain');
  });
});

describe('etcdctl 3.5 commands', () => {
  let cluster: Cluster;
  const run = (...argv: string[]) => runProgram(cluster, etcdctl, argv);

  beforeAll(() => {
    cluster = new Cluster('ha', 11);
    warmUp(cluster);
  });

  it('gets /registry objects as binary protobuf, keys in the real layout', () => {
    const r = run('get', '/registry/namespaces/default');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('/registry/namespaces/default\nk8s')).toBe(true);
    expect(r.stdout).toContain('Namespace');
    const nodes = run('get', '/registry/minions/', '--prefix', '--keys-only').stdout;
    expect(nodes).toMatch(/^\/registry\/minions\/cp-1\n\n/);
    const svc = run('get', '/registry/services/specs/default/kubernetes', '--keys-only').stdout;
    expect(svc).toBe('/registry/services/specs/default/kubernetes\n\n');
  });

  it('--limit and -w json print the header, base64 keys and values, count and more', () => {
    const r = run('get', '/registry/minions/', '--prefix', '--limit', '2', '-w', 'json');
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j.header)).toEqual(['cluster_id', 'member_id', 'revision', 'raft_term']);
    expect(j.kvs).toHaveLength(2);
    expect(atob(j.kvs[0].key)).toBe('/registry/minions/cp-1');
    expect(atob(j.kvs[0].value).startsWith('k8s\x00')).toBe(true);
    expect(j.more).toBe(true);
    expect(j.count).toBeGreaterThan(2);
    expect(JSON.parse(run('get', '/nothing', '-w', 'json').stdout)).not.toHaveProperty('kvs');
  });

  it('--rev reads the past until the API server compacts it', () => {
    run('put', '/lab/color', 'red');
    const j = JSON.parse(run('get', '/lab/color', '-w', 'json').stdout);
    const rev = j.kvs[0].mod_revision as number;
    run('put', '/lab/color', 'blue');
    expect(run('get', '/lab/color', '--rev', String(rev)).stdout).toBe('/lab/color\nred\n');
    expect(run('get', '/lab/color').stdout).toBe('/lab/color\nblue\n');
    // The compactor compacts to the revision it saw one interval earlier.
    cluster.sim.runUntil(cluster.sim.nowMs + 2 * COMPACTION_INTERVAL_MS + 1000);
    const old = run('get', '/lab/color', `--rev=${rev}`);
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(
      /"level":"warn".*"error":"rpc error: code = OutOfRange desc = etcdserver: mvcc: required revision has been compacted"/,
    );
    expect(old.stderr).toMatch(/Error: etcdserver: mvcc: required revision has been compacted\n$/);
    expect(run('get', 'compact_rev_key').stdout).toMatch(/^compact_rev_key\n\d+\n$/);
    const future = run('get', '/lab/color', '--rev', '99999999');
    expect(future.stderr).toContain('Error: etcdserver: mvcc: required revision is a future revision');
  });

  it('del --prefix counts deletions; member list, endpoint status and health in json', () => {
    run('put', '/lab/d/1', 'a');
    run('put', '/lab/d/2', 'b');
    expect(run('del', '/lab/d/', '--prefix').stdout).toBe('2\n');
    expect(run('del', '/lab/d/', '--prefix').stdout).toBe('0\n');
    const members = JSON.parse(run('member', 'list', '-w', 'json').stdout);
    expect(members.members).toHaveLength(3);
    expect(members.members[0]).toEqual({
      ID: expect.any(Number),
      name: 'cp-1',
      peerURLs: ['https://10.0.0.2:2380'],
      clientURLs: ['https://10.0.0.2:2379'],
    });
    const status = JSON.parse(run('endpoint', 'status', '-w', 'json').stdout);
    expect(status).toHaveLength(3);
    expect(Object.keys(status[0].Status)).toEqual([
      'header',
      'version',
      'dbSize',
      'leader',
      'raftIndex',
      'raftTerm',
      'raftAppliedIndex',
      'dbSizeInUse',
    ]);
    const health = JSON.parse(run('endpoint', 'health', '--cluster', '-w', 'json').stdout);
    expect(health[0]).toEqual({
      endpoint: expect.stringMatching(/^https:/),
      health: true,
      took: expect.any(String),
    });
  });

  it('--endpoints narrows to one member; a dead one hits the deadline', () => {
    const one = run('--endpoints=https://10.0.32.2:2379', 'endpoint', 'status');
    expect(one.stdout.trim().split('\n')).toHaveLength(1);
    expect(one.stdout).toContain('https://10.0.32.2:2379');
    const nobody = run('--endpoints=10.9.9.9:2379', 'get', 'x');
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/Error: context deadline exceeded\n$/);
  });

  it('alarm list is empty; version; member add/remove check their arguments', () => {
    expect(run('alarm', 'list')).toMatchObject({ code: 0, stdout: '' });
    expect(run('version').stdout).toBe('etcdctl version: 3.5.16\nAPI version: 3.5\n');
    expect(run('member', 'remove').stderr).toBe('Error: member ID is not provided\n');
    expect(run('member', 'remove', 'zz').stderr).toBe(
      'Error: bad member ID arg (strconv.ParseUint: parsing "zz": invalid syntax), expecting ID in Hex\n',
    );
    expect(run('member', 'remove', 'abc').stderr).toContain('Error: etcdserver: member not found\n');
    expect(run('member', 'add', 'cp-4').stderr).toBe('Error: member peer urls not provided\n');
    expect(run('member', 'add', 'cp-4', '--peer-urls=https://10.0.0.2:2380').stderr).toContain(
      'Error: etcdserver: Peer URLs already exists\n',
    );
  });
});

describe('etcdctl watch', () => {
  it('streams PUT and DELETE until Ctrl-C', () => {
    const session = new Session({ scenario: 'ha', seed: 3 });
    let out = '';
    let exit: number | undefined;
    const started = session.start(
      'etcdctl watch /lab/ --prefix',
      '',
      { stdout: (t) => void (out += t), stderr: (t) => void (out += t) },
      (c) => {
        exit = c;
      },
    );
    if (!started.ok) throw new Error(started.error);
    session.run('etcdctl put /lab/a 1');
    session.run('etcdctl del /lab/a');
    session.cluster.sim.runUntil(session.cluster.sim.nowMs + 1000);
    expect(out).toBe('PUT\n/lab/a\n1\nDELETE\n/lab/a\n\n');
    expect(exit).toBeUndefined();
    started.handle.cancel();
    expect(exit).toBe(130);
    session.run('etcdctl put /lab/b 2');
    expect(out).not.toContain('/lab/b');
  });
});
