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

describe('kubectl get --raw', () => {
  it('prints what the API server answers for a path: ok for the health checks, compact JSON for the API', () => {
    const s = new Session({ scenario: 'ha', seed: 19 });
    expect(ok(s, 'kubectl get --raw /healthz')).toBe('ok');
    expect(ok(s, 'kubectl get --raw /readyz')).toBe('ok');
    const list = JSON.parse(ok(s, 'kubectl get --raw /api/v1/namespaces/default/serviceaccounts'));
    expect(list.kind).toBe('ServiceAccountList');
    expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['default']);
    expect(ok(s, 'kubectl get --raw /api/v1/namespaces')).not.toContain('\n  ');
    expect(s.run('kubectl get --raw /nope').stderr).toBe(
      'Error from server (NotFound): the server could not find the requested resource\n',
    );
    expect(s.run('kubectl get pods --raw /healthz').stderr).toBe(
      'error: arguments may not be passed when --raw is specified\n',
    );
  });
});
