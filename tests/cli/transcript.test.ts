import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScript, runScript } from '../../src/script/script';
import { Session } from '../../src/script/session';

const SCRIPT = `# quorum loss and recovery
kubectl get nodes
kill node cp-1
kill node cp-2
kubectl create namespace during-outage
etcdctl endpoint status --cluster -w table
start node cp-1
advance 10s
kubectl create namespace after-recovery
kubectl get namespaces | grep after
`;

function transcript(seed: number): string {
  const parsed = parseScript(SCRIPT);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  let out = '';
  runScript(new Session({ scenario: 'ha', seed }), parsed.commands, (t) => {
    out += t;
  });
  return out;
}

describe('scenario scripts', () => {
  it('echo each command, then its output', () => {
    const t = transcript(5);
    expect(t.startsWith('$ kubectl get nodes\nNAME ')).toBe(true);
    expect(t).toContain('$ kill node cp-1\ncp-1 is down');
    expect(t).toContain('$ kubectl create namespace after-recovery\nnamespace/after-recovery created\n');
    expect(t).toMatch(
      /\$ kubectl create namespace during-outage\n(Error from server: etcdserver: request timed out|.*was refused)/,
    );
  });

  it('the same seed gives the same transcript', () => {
    expect(transcript(11)).toBe(transcript(11));
  });

  it('heredocs feed the first command and are echoed with continuation prompts', () => {
    const parsed = parseScript('grep b <<EOF\na\nb\nEOF\necho done\n');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    let out = '';
    runScript(new Session({ scenario: 'single', seed: 1 }), parsed.commands, (t) => {
      out += t;
    });
    expect(out).toBe('$ grep b <<EOF\n> a\n> b\n> EOF\nb\n$ echo done\ndone\n');
  });

  it('reports every malformed line with its number', () => {
    expect(parseScript('kubectl get nodes\nkubeclt get pods\necho "open\n')).toEqual({
      ok: false,
      errors: [
        { lineNo: 2, message: 'unknown command "kubeclt"' },
        { lineNo: 3, message: 'bash: unexpected EOF while looking for matching `"\'' },
      ],
    });
    expect(parseScript('grep x <<EOF\nno end\n')).toMatchObject({ ok: false, errors: [{ lineNo: 1 }] });
  });
});

describe('bin/cplab', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cplab-'));

  it('runs a script and exits 0', () => {
    const file = join(dir, 'ok.cplab');
    writeFileSync(file, 'kubectl get nodes | wc -l\netcdctl member list | wc -l\n');
    const out = execFileSync('bin/cplab', ['run', file, '--seed', '3', '--scenario', 'single'], {
      encoding: 'utf8',
    });
    expect(out).toBe('$ kubectl get nodes | wc -l\n5\n$ etcdctl member list | wc -l\n1\n');
  });

  it('exits 2 on a malformed line and runs nothing', () => {
    const file = join(dir, 'bad.cplab');
    writeFileSync(file, 'echo first\nkubectl get nodes |\n');
    const r = spawnSync('bin/cplab', ['run', file], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`cplab: ${file}:2: bash: syntax error: unexpected end of file after \`|'\n`);
  });

  it('rejects bad flags with usage', () => {
    const r = spawnSync('bin/cplab', ['run', 'x', '--seed', 'abc'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--seed must be a non-negative integer/);
  });
});

describe('long waits', () => {
  it('advance may run longer than the usual command limit', () => {
    const s = new Session({ scenario: 'single', seed: 1 });
    const before = s.cluster.sim.nowMs;
    expect(s.run('advance 2h')).toMatchObject({ code: 0 });
    expect(s.cluster.sim.nowMs - before).toBeGreaterThanOrEqual(2 * 3_600_000);
  });
});

describe('examples/zone-failure.cplab', () => {
  const run = (seed: number): string => {
    const parsed = parseScript(readFileSync('examples/zone-failure.cplab', 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    let out = '';
    runScript(new Session({ scenario: 'ha', seed }), parsed.commands, (t) => {
      out += t;
    });
    return out;
  };

  it('tells the same story for the same seed: replacement after a zone failure, undo after a bad image', () => {
    const first = run(4);
    expect(run(4)).toBe(first);
    expect(first).toContain('deployment "web" successfully rolled out');
    expect(first).toMatch(/worker-1 +NotReady/);
    expect(first).toMatch(/Terminating +0 +\S+ +10\.244\.\d+\.\d+ +worker-[14] /);
    expect(first).toContain('deployment.apps/web rolled back');
  });
});
