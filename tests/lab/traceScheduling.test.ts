import { describe, expect, it } from 'vitest';
import { Session } from '../../src/script/session';

describe('trace scheduling', () => {
  it("prints every node's filter verdict and scores, and marks the winner", () => {
    const s = new Session({ scenario: 'ha', seed: 2 });
    s.run('kubectl create deployment web --image=nginx:1.27 --replicas=3');
    s.run('advance 5s');
    const pod = s.run('kubectl get pods -o name').stdout.trim().split('\n')[0]!;
    const node = s.run(`kubectl get ${pod} -o jsonpath={.spec.nodeName}`);
    const out = s.run(`trace scheduling ${pod}`);
    expect(out.code).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toMatch(/^Pod default\/web-\w+-\w{5}: scheduled on worker-\d \(total score \d+\)$/);
    expect(lines[1]).toBe('9 nodes; looked for 9 feasible, evaluated 9, 6 passed every filter.');
    const cp = lines.find((l) => l.startsWith('cp-1 '));
    expect(cp).toMatch(
      /✗ TaintToleration: node\(s\) had untolerated taint \{node-role.kubernetes.io\/control-plane: \}$/,
    );
    const chosen = lines.filter((l) => l.endsWith('← chosen'));
    expect(chosen).toHaveLength(1);
    if (node.code === 0 && node.stdout !== '') expect(chosen[0]?.startsWith(node.stdout.trim())).toBe(true);
    // The winner's total is the highest of all rows.
    const totals = lines
      .filter((l) => /^worker-\d /.test(l))
      .map((l) => Number(l.replace(' ← chosen', '').trim().split(/\s+/).pop()));
    const winner = Number(chosen[0]!.replace(' ← chosen', '').trim().split(/\s+/).pop());
    expect(winner).toBe(Math.max(...totals));
  });

  it('explains when there is no attempt', () => {
    const s = new Session({ scenario: 'single', seed: 1 });
    const r = s.run('trace scheduling nope');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no attempt for pod "default\/nope"/);
  });
});
