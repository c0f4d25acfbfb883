import { describe, expect, it } from 'vitest';
import { Session } from '../../src/script/session';
import { parseCommandLine } from '../../src/shell/parse';

/** Background jobs as bash runs them: `cmd &`, `jobs`, `fg`, `wait`, `kill %N`, and `sleep`. */
describe('background jobs', () => {
  it('parses `&` as the end of a background pipeline', () => {
    const r = parseCommandLine('kubectl proxy --port=8001 & echo started');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.list.pipelines.map((p) => p.background ?? false)).toEqual([true, false]);
    expect(r.list.pipelines[0]?.text).toBe('kubectl proxy --port=8001');
    const bad = parseCommandLine('& ls');
    expect(bad.ok).toBe(false);
  });

  it('runs a job while later commands run, and tells when it ended', () => {
    const s = new Session({ scenario: 'ha', seed: 1 });
    const started = s.run('sleep 30 &');
    expect(started).toMatchObject({ code: 0, stderr: '[1] 4242\n' });
    expect(s.run('jobs').stdout).toBe('[1]+  Running                 sleep 30 &\n');
    expect(s.run('echo $?').stdout).toBe('0\n');
    // Time passes only while something runs: 31 s of sleep in the foreground ends the job.
    const later = s.run('sleep 31');
    expect(later.stderr).toBe('[1]+  Done                    sleep 30\n');
    expect(s.run('jobs').stdout).toBe('');
  });

  it('kill %N stops a job; fg waits for one; wait returns its status', () => {
    const s = new Session({ scenario: 'ha', seed: 1 });
    s.run('kubectl get pods -w &');
    s.run('sleep 60 &');
    const killed = s.run('kill %1');
    expect(killed.code).toBe(0);
    expect(killed.stderr).toContain('[1]-  Terminated              kubectl get pods -w\n');
    expect(s.run('kill %7').stderr).toBe('bash: kill: %7: no such job\n');
    expect(s.run('jobs').stdout).toBe('[2]+  Running                 sleep 60 &\n');
    s.run('kill %2');
    s.run('sleep 5 &');
    const fg = s.run('fg');
    expect(fg.stdout).toBe('sleep 5\n');
    expect(fg.code).toBe(0);
    expect(s.run('false &').stderr).toBe('[1] 4245\n[1]+  Exit 1                  false\n');
    s.run('sleep 5 &');
    expect(s.run('wait %1').code).toBe(0);
    expect(s.run('wait %1').stderr).toBe('bash: wait: %1: no such job\n');
    expect(s.run('fg').stderr).toBe('bash: fg: current: no such job\n');
  });

  it('prints what the job prints, under whichever command is in the foreground', () => {
    const s = new Session({ scenario: 'ha', seed: 1 });
    s.run('kubectl get deployments -w &');
    s.run('kubectl create deployment web --image=nginx');
    const later = s.run('sleep 20');
    expect(later.stdout).toMatch(/^web\s+0\/1\s+0\s+0\s+0s$/m);
    expect(later.stdout).toMatch(/^web\s+1\/1\s+1\s+1\s+\d+s$/m);
  });

  it('sleep refuses what GNU sleep refuses', () => {
    const s = new Session({ scenario: 'ha', seed: 1 });
    expect(s.run('sleep').stderr).toBe("sleep: missing operand\nTry 'sleep --help' for more information.\n");
    expect(s.run('sleep 1x').stderr).toBe(
      "sleep: invalid time interval '1x'\nTry 'sleep --help' for more information.\n",
    );
    const before = s.cluster.sim.nowMs;
    expect(s.run('sleep 1m 30').code).toBe(0);
    expect(s.cluster.sim.nowMs - before).toBeGreaterThanOrEqual(90_000);
  });
});
