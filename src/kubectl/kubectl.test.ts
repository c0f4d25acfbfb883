import { describe, expect, it } from 'vitest';
import type { ProgramContext } from '../shell/program';
import { headlessSession, runProgram } from '../shell/runProgram';
import { Cluster } from '../sim/cluster/cluster';
import { spawn } from '../sim/kernel/task';
import { kubectl } from './kubectl';

function booted(): Cluster {
  const c = new Cluster('ha', 1);
  c.sim.runUntil(30_000);
  return c;
}

describe('kubectl against a failing control plane', () => {
  it('waits out etcd’s request timeout (about 7s) when quorum is lost', () => {
    const c = booted();
    c.killHost('cp-1');
    c.killHost('cp-2');
    c.sim.runUntil(40_000);
    const before = c.sim.nowMs;
    const r = runProgram(c, kubectl, ['create', 'namespace', 'team-a']);
    const took = c.sim.nowMs - before;
    expect(r).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'Error from server: etcdserver: request timed out\n',
    });
    expect(took).toBeGreaterThanOrEqual(7000);
    expect(took).toBeLessThan(8000);
  });

  it('reports EOF when the API server dies while answering', () => {
    const c = booted();
    c.killHost('cp-1');
    c.killHost('cp-2');
    c.sim.runUntil(40_000);
    let stderr = '';
    let code: number | undefined;
    const ctx: ProgramContext = {
      cluster: c,
      client: c.outsideClient(),
      stdin: '',
      stdout: () => {},
      stderr: (t) => {
        stderr += t;
      },
      session: headlessSession(),
    };
    spawn(kubectl(['create', 'namespace', 'team-a'], ctx), (o) => {
      code = o.ok ? o.value : -1;
    });
    // The write hangs on the only API server left; then its host dies.
    c.sim.runUntil(c.sim.nowMs + 2000);
    expect(code).toBeUndefined();
    c.killHost('cp-3');
    c.sim.runUntilDone(() => code !== undefined, c.sim.nowMs + 60_000);
    expect(code).toBe(1);
    expect(stderr).toBe('Unable to connect to the server: EOF\n');
  });

  it('works in the session’s namespace unless -n says otherwise', () => {
    const c = booted();
    const session = headlessSession('kube-node-lease');
    expect(runProgram(c, kubectl, ['get', 'lease', 'cp-1'], { session }).stdout).toMatch(
      /^NAME\s+HOLDER\s+AGE\ncp-1\s+cp-1\s+/,
    );
    expect(runProgram(c, kubectl, ['get', 'lease', 'cp-1', '-n', 'default'], { session }).stderr).toBe(
      'Error from server (NotFound): leases.coordination.k8s.io "cp-1" not found\n',
    );
  });
});
