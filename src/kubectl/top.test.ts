import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';
import { METRICS_RESOLUTION_MS } from '../sim/kubelet/resourceUsage';

/**
 * kubectl top against the metrics.k8s.io API of a booted cluster. Layout and messages were
 * checked against kubectl v1.32.4 with testdata/compareWithRealKubectl.ts (every cell ends in a
 * tab, so each line ends in padding).
 */

function session(): Session {
  return new Session({ scenario: 'ha', seed: 1 });
}

function advance(s: Session, ms: number): void {
  s.cluster.sim.runUntil(s.cluster.sim.nowMs + ms);
}

const ROW = /^\S+\s+\d+m\s+\d+Mi\s+$/;

describe('kubectl top', () => {
  it('top node: every node, CPU in millicores and memory in MiB, with their share of allocatable', () => {
    const s = session();
    const r = s.run('kubectl top node');
    expect(r.code, r.output).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toBe('NAME       CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   ');
    expect(lines).toHaveLength(10);
    for (const l of lines.slice(1)) expect(l).toMatch(/^(cp|worker)-\d\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s+$/);
    expect(s.run('kubectl top node worker-1 --no-headers').stdout).toMatch(
      /^worker-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s+\n$/,
    );
    const byMemory = s
      .run('kubectl top nodes --sort-by=memory --no-headers')
      .stdout.split('\n')
      .filter(Boolean)
      .map((l) => Number(/(\d+)Mi/.exec(l)![1]));
    expect([...byMemory].sort((a, b) => b - a)).toEqual(byMemory);
    expect(s.run('kubectl top node nope').stderr).toBe(
      'Error from server (NotFound): node "nope" not found\n',
    );
  });

  it('a node whose kubelet cannot be scraped shows as <unknown>', () => {
    const s = session();
    s.cluster.killHost('worker-2');
    const r = s.run('kubectl top node');
    expect(r.stdout).toContain('worker-2   <unknown>    <unknown>   <unknown>       <unknown>   \n');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^worker-2 /);
  });

  it('top pod: nothing for a window after a pod starts, then its usage', () => {
    const s = session();
    expect(s.run('kubectl top pod').stderr).toBe('No resources found in default namespace.\n');
    expect(s.run('kubectl create deployment web --image=nginx --replicas=2').code).toBe(0);
    advance(s, 5_000);
    const early = s.run('kubectl top pod');
    expect(early.code).toBe(1);
    expect(early.stderr).toBe('error: metrics not available yet\n');
    advance(s, 2 * METRICS_RESOLUTION_MS);
    const r = s.run('kubectl top pod');
    expect(r.code, r.output).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toBe('NAME                   CPU(cores)   MEMORY(bytes)   ');
    expect(lines.slice(1)).toHaveLength(2);
    for (const l of lines.slice(1)) expect(l).toMatch(ROW);

    const all = s.run('kubectl top pod -A --containers --sum').stdout.split('\n').filter(Boolean);
    // -A also lists kube-system's CoreDNS and kube-proxy pods (the static pods' usage is not modelled).
    expect(all[0]).toMatch(/^NAMESPACE {3,}POD {3,}NAME {3,}CPU\(cores\) {3}MEMORY\(bytes\) {3}$/);
    expect(all.filter((l) => l.startsWith('default '))).toHaveLength(2);
    expect(all.at(-2)).toMatch(/^\s+________\s+________\s+$/);
    expect(all.at(-1)).toMatch(/^\s+\d+m\s+\d+Mi\s+$/);
    expect(s.run('kubectl top pod -l app=web --no-headers').stdout.split('\n').filter(Boolean)).toHaveLength(
      2,
    );
    expect(s.run('kubectl top pod -l app=nope').stderr).toBe('No resources found in default namespace.\n');
  });

  it('a pod older than two minutes without metrics is an error of its own', () => {
    const s = session();
    expect(s.run('kubectl run bb --image=busybox').code).toBe(0);
    advance(s, 3 * 60_000);
    const r = s.run('kubectl top pod');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Metrics not available for pod default\/bb, age: 3m\d+(\.\d+)?s\n$/);
  });

  it('checks its flags as kubectl does', () => {
    const s = session();
    expect(s.run('kubectl top pod --sort-by=name').stderr).toBe(
      'error: --sort-by accepts only cpu or memory\n',
    );
    expect(s.run('kubectl top pod a -l x=y').stderr).toBe(
      'error: only one of NAME or selector can be provided\n',
    );
    expect(s.run('kubectl top node a -l x=y').stderr).toBe(
      'error: only one of NAME or --selector can be provided\n',
    );
    expect(s.run('kubectl top pod a b').stderr).toBe(
      "error: pod [NAME | -l label]\nSee 'kubectl top pod -h' for help and examples\n",
    );
    const help = s.run('kubectl top');
    expect(help.code).toBe(1);
    expect(help.stdout).toBe('');
    expect(help.stderr).toContain(
      'Available Commands:\n  node          Display resource (CPU/memory) usage of nodes\n',
    );
  });
});
