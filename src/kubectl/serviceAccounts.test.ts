import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';

function ok(s: Session, line: string): string {
  const r = s.run(line);
  expect(r.code, r.output).toBe(0);
  return r.stdout;
}

describe('ServiceAccounts', () => {
  it('every namespace gets a default one; kubectl create serviceaccount adds more', () => {
    const s = new Session({ scenario: 'ha', seed: 17 });
    expect(ok(s, 'kubectl get sa')).toMatch(/^NAME\s+SECRETS\s+AGE\ndefault\s+0\s+\S+\n$/);
    ok(s, 'kubectl create namespace dev');
    ok(s, 'advance 2s');
    expect(ok(s, 'kubectl get serviceaccounts -n dev -o name')).toBe('serviceaccount/default\n');
    expect(ok(s, 'kubectl create serviceaccount robot -n dev')).toBe('serviceaccount/robot created\n');
    expect(
      ok(s, 'kubectl get sa -n dev --no-headers')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['default', 'robot']);
    // Deleted, the default one comes back.
    ok(s, 'kubectl delete sa default -n dev');
    ok(s, 'advance 2s');
    expect(ok(s, 'kubectl get sa default -n dev -o name')).toBe('serviceaccount/default\n');
  });
});
