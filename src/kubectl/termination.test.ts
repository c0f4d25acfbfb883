import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';

function ok(s: Session, line: string): string {
  const r = s.run(line);
  expect(r.code, r.output).toBe(0);
  return r.stdout;
}

describe('graceful termination', () => {
  it('a server stops at once on SIGTERM; a sleep running as PID 1 ignores it and is killed after the grace period', () => {
    const s = new Session({ scenario: 'ha', seed: 12 });
    ok(s, 'kubectl run web --image=nginx:1.27');
    ok(s, 'kubectl run bb --image=busybox:1.36 -- sleep 3600');
    ok(
      s,
      'kubectl run trapper --image=busybox:1.36 -- sh -c \'trap "exit 0" TERM; while true; do sleep 1; done\'',
    );
    ok(s, 'advance 20s');
    ok(s, 'kubectl delete pod web bb trapper --wait=false');
    ok(s, 'advance 5s');
    const listed = ok(s, 'kubectl get pods --no-headers');
    expect(listed).toMatch(/^bb\s+1\/1\s+Terminating/m);
    expect(listed).not.toMatch(/^web\s/m);
    expect(listed).not.toMatch(/^trapper\s/m);
    ok(s, 'advance 26s');
    expect(s.run('kubectl get pod bb').stderr).toBe('Error from server (NotFound): pods "bb" not found\n');
  });
});
