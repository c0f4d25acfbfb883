import { beforeEach, describe, expect, it } from 'vitest';
import { LAB_COMMANDS } from '../../src/lab/lab';
import { headlessSession, runProgram } from '../../src/shell/runProgram';
import { Cluster } from '../../src/sim/cluster/cluster';
import { takeSnapshot } from '../../src/sim/snapshot';
import { warmUp } from '../../src/sim/warmUp';

describe('lab commands', () => {
  let cluster: Cluster;
  const session = headlessSession();
  const run = (name: string, ...argv: string[]) =>
    runProgram(cluster, LAB_COMMANDS[name]!, argv, { session });

  beforeEach(() => {
    cluster = new Cluster('ha', 3);
    warmUp(cluster);
  });

  it('kill node stops the host, start node brings it back', () => {
    expect(run('kill', 'node', 'cp-1').stdout).toMatch(/^cp-1 is down/);
    expect(cluster.host('cp-1')?.up).toBe(false);
    expect(run('kill', 'node', 'cp-1').stderr).toBe('error: node "cp-1" is already down\n');
    expect(run('start', 'node', 'cp-1').code).toBe(0);
    expect(cluster.host('cp-1')?.up).toBe(true);
  });

  it('kill zone stops every host of the zone', () => {
    const r = run('kill', 'zone', 'zone-b');
    expect(r.stdout).toBe('zone-b is down: cp-2, worker-2, worker-5 stopped.\n');
    expect(takeSnapshot(cluster).zones.find((z) => z.name === 'zone-b')?.down).toBe(true);
  });

  it('partition cuts zones off and heal removes the cut', () => {
    expect(run('partition', 'zone-a').stdout).toBe('zone-a is cut off from zone-b, zone-c.\n');
    expect(cluster.network.activeCuts()).toEqual([['zone-a']]);
    run('heal');
    expect(cluster.network.activeCuts()).toEqual([]);
  });

  it('advance lets exactly that much simulated time pass', () => {
    const before = cluster.sim.nowMs;
    expect(run('advance', '1m30s').code).toBe(0);
    expect(cluster.sim.nowMs - before).toBe(90_000);
  });

  it('speed, pause and resume drive the session clock', () => {
    run('speed', '10');
    expect(session.speed).toBe(10);
    run('pause');
    expect(session.paused).toBe(true);
    run('resume');
    expect(session.paused).toBe(false);
  });

  it.each([
    [['kill', 'node', 'nope'], 'error: node "nope" not found\n'],
    [['kill', 'host', 'cp-1'], 'error: usage: kill node NAME | kill zone ZONE\n'],
    [['partition', 'zone-q'], 'error: zone "zone-q" not found (zones: zone-a, zone-b, zone-c)\n'],
    [['partition', 'zone-a,zone-b,zone-c'], 'error: a partition needs zones on both sides of the cut\n'],
    [['advance', 'soon'], 'error: usage: advance DURATION (e.g. 30s, 5m, 1h30m)\n'],
    [['speed', '1000'], 'error: usage: speed X (X from 0.25 to 100, e.g. speed 10)\n'],
    [
      ['scenario', 'tiny'],
      'error: unknown scenario "tiny" (choose one of: single, ha, ha5, even, large, huge)\n',
    ],
  ])('%j is refused and changes nothing', (argv, error) => {
    const before = JSON.stringify(takeSnapshot(cluster));
    const r = run(argv[0]!, ...argv.slice(1));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(error);
    expect(JSON.stringify(takeSnapshot(cluster))).toBe(before);
  });
});
