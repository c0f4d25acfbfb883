import { beforeAll, describe, expect, it } from 'vitest';
import { asciiTable, humanizeBytes } from '../../src/etcdctl/asciiTable';
import { etcdctl } from '../../src/etcdctl/etcdctl';
import { runProgram } from '../../src/shell/runProgram';
import { goDuration } from '../../src/sim/api/duration';
import { Cluster } from '../../src/sim/cluster/cluster';
import { warmUp } from '../../src/sim/warmUp';

describe('etcdctl formatting', () => {
  it('draws tablewriter boxes: centred upper-case headers, right-aligned cells', () => {
    expect(asciiTable(['ID', 'Name'], [['8e9e05c52164694d', 'cp-1']])).toBe(
      '+------------------+------+\n' +
        '|        ID        | NAME |\n' +
        '+------------------+------+\n' +
        '| 8e9e05c52164694d | cp-1 |\n' +
        '+------------------+------+\n',
    );
  });

  it('humanizes bytes like go-humanize', () => {
    expect(humanizeBytes(8)).toBe('8 B');
    expect(humanizeBytes(20_480)).toBe('20 kB');
    expect(humanizeBytes(2_125_000)).toBe('2.1 MB');
  });

  it('prints durations like Go', () => {
    expect(goDuration(1_864_937)).toBe('1.864937ms');
    expect(goDuration(812_500)).toBe('812.5µs');
    expect(goDuration(2_500_000_000)).toBe('2.5s');
  });
});

describe('etcdctl against the simulated members', () => {
  let cluster: Cluster;
  const run = (...argv: string[]) => runProgram(cluster, etcdctl, argv);

  beforeAll(() => {
    cluster = new Cluster('ha', 7);
    warmUp(cluster);
  });

  it('lists the three members', () => {
    const r = run('member', 'list');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^[0-9a-f]{16}, started, cp-1, https:\/\/10\.0\.0\.2:2380, https:\/\/10\.0\.0\.2:2379, false$/,
    );
  });

  it('endpoint status marks exactly one leader, all at the same term', () => {
    const r = run('endpoint', 'status', '--cluster', '-w', 'table');
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\|\s+https:/.test(l));
    expect(rows).toHaveLength(3);
    const cells = rows.map((l) => l.split('|').map((c) => c.trim()));
    expect(cells.filter((c) => c[5] === 'true')).toHaveLength(1);
    expect(new Set(cells.map((c) => c[7])).size).toBe(1);
  });

  it('puts and gets a key, and lists /registry keys', () => {
    expect(run('put', '/lab/greeting', 'hello').stdout).toBe('OK\n');
    expect(run('get', '/lab/greeting').stdout).toBe('/lab/greeting\nhello\n');
    const keys = run('get', '/registry/namespaces', '--prefix', '--keys-only').stdout;
    expect(keys).toContain('/registry/namespaces/kube-system\n\n');
  });

  it('all healthy while the cluster has quorum', () => {
    const r = run('endpoint', 'health', '--cluster');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/is healthy: successfully committed proposal: took = /g)).toHaveLength(3);
  });

  it('without quorum, writes hit the 5 s deadline and health fails', () => {
    cluster.killHost('cp-1');
    cluster.killHost('cp-2');
    const before = cluster.sim.nowMs;
    const put = run('put', '/lab/x', 'y');
    expect(put.code).toBe(1);
    expect(put.stderr).toMatch(/Error: context deadline exceeded\n$/);
    expect(cluster.sim.nowMs - before).toBeGreaterThanOrEqual(5000 - 1e-6);
    const health = run('endpoint', 'health', '--cluster');
    expect(health.code).toBe(1);
    expect(health.stderr).toContain('is unhealthy: failed to commit proposal: context deadline exceeded');
    expect(health.stderr).toMatch(/Error: unhealthy cluster\n$/);
    cluster.startHost('cp-1');
    cluster.sim.runUntil(cluster.sim.nowMs + 5000);
    expect(run('put', '/lab/x', 'y').stdout).toBe('OK\n');
  });

  it('reports unknown commands and flags like cobra', () => {
    expect(run('frobnicate').stderr).toBe(
      `Error: unknown command "frobnicate" for "etcdctl"\nRun 'etcdctl --help' for usage.\n`,
    );
    expect(run('get', 'k', '--bogus').stderr).toBe('Error: unknown flag: --bogus\n');
  });
});
