import { describe, expect, it } from 'vitest';
import { humanDuration } from '../../src/sim/api/duration';
import { alreadyExists, conflict, internalFromEtcd, invalid, notFound } from '../../src/sim/api/errors';
import { formatLabels, matches, parseSelector } from '../../src/sim/api/labels';
import { etcdKey, findResource, qualifiedResource, resourceByName } from '../../src/sim/api/resources';
import { invalidValue, validateDns1123Label, validateDns1123Subdomain } from '../../src/sim/api/validation';
import { mergePatch } from '../../src/sim/apiserver/mergePatch';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

describe('humanDuration (AGE), apimachinery’s boundary table', () => {
  it.each([
    [1 * S, '1s'],
    [70 * S, '70s'],
    [190 * S, '3m10s'],
    [70 * M, '70m'],
    [47 * H, '47h'],
    [49 * H, '2d1h'],
    [8 * D + 2 * H, '8d'],
    [367 * D, '367d'],
    [2 * Y + 25 * H, '2y1d'],
    [8 * Y + 2 * H, '8y'],
    [2 * M - 1, '119s'],
    [2 * M, '2m'],
    [2 * M + S, '2m1s'],
    [10 * M - 1, '9m59s'],
    [10 * M, '10m'],
    [10 * M + S, '10m'],
    [3 * H - 1, '179m'],
    [3 * H, '3h'],
    [3 * H + M, '3h1m'],
    [8 * H - 1, '7h59m'],
    [8 * H, '8h'],
    [8 * H + 59 * M, '8h'],
    [48 * H - 1, '47h'],
    [48 * H, '2d'],
    [8 * D - 1, '7d23h'],
    [8 * D, '8d'],
    [8 * D + 23 * H, '8d'],
    [730 * D - 1, '729d'],
    [730 * D, '2y'],
    [731 * D, '2y1d'],
    [8 * Y - 1, '7y364d'],
    [8 * Y, '8y'],
    [-2 * S, '<invalid>'],
    [-2 * S + 1, '0s'],
    [0, '0s'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'frontend', env: '' };

  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app=web,tier=frontend', true],
    ['app=web,tier=backend', false],
    ['app in (web,db)', true],
    ['app in (db)', false],
    ['app notin (db)', true],
    ['missing notin (db)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['env=', true],
    ['tier in (frontend, backend),app', true],
  ])('%j matches {app=web,tier=frontend,env=}: %s', (text, expected) => {
    const parsed = parseSelector(text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(matches(parsed.selector, labels)).toBe(expected);
  });

  it('matches nothing but negations against an object without labels', () => {
    const sel = (t: string) => {
      const p = parseSelector(t);
      if (!p.ok) throw new Error(p.error);
      return p.selector;
    };
    expect(matches(sel('app=web'), undefined)).toBe(false);
    expect(matches(sel('!app'), undefined)).toBe(true);
    expect(matches(sel('app!=web'), undefined)).toBe(true);
  });

  it('rejects malformed selectors with apimachinery’s message', () => {
    const r = parseSelector('app=web,=x');
    expect(r).toEqual({ ok: false, error: "unable to parse requirement: found '=x', expected: identifier" });
  });

  it('formats labels sorted by key', () => {
    expect(formatLabels({ z: '1', a: '2' })).toBe('a=2,z=1');
    expect(formatLabels(undefined)).toBe('');
  });
});

describe('name validation', () => {
  it.each(['a', 'web-1', '123-abc', 'x'.repeat(63)])('accepts the DNS-1123 label %j', (n) => {
    expect(validateDns1123Label(n)).toBeUndefined();
  });

  it.each(['Foo', '-a', 'a-', 'a_b', 'a.b', ''])(
    'rejects the DNS-1123 label %j with the regex message',
    (n) => {
      expect(validateDns1123Label(n)).toBe(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      );
    },
  );

  it('rejects a 64-character label as too long', () => {
    expect(validateDns1123Label('x'.repeat(64))).toBe('must be no more than 63 characters');
  });

  it('accepts dotted subdomains and rejects upper case', () => {
    expect(validateDns1123Subdomain('worker-1.example.com')).toBeUndefined();
    expect(validateDns1123Subdomain('Worker')).toMatch(/^a lowercase RFC 1123 subdomain must consist of/);
    expect(validateDns1123Subdomain('x'.repeat(254))).toBe('must be no more than 253 characters');
  });

  it('quotes the value as field.ErrorList does', () => {
    expect(invalidValue('metadata.name', 'Foo', 'bad')).toEqual({
      field: 'metadata.name',
      message: 'Invalid value: "Foo": bad',
    });
  });
});

describe('Status errors', () => {
  const nodes = resourceByName('nodes');
  const leases = resourceByName('leases');

  it('names core resources bare and others with their group', () => {
    expect(notFound(nodes, 'n9').message).toBe('nodes "n9" not found');
    expect(notFound(leases, 'l').message).toBe('leases.coordination.k8s.io "l" not found');
    expect(alreadyExists(leases, 'l').message).toBe('leases.coordination.k8s.io "l" already exists');
  });

  it('builds a full metav1.Status for NotFound', () => {
    expect(notFound(nodes, 'n9')).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'nodes "n9" not found',
      reason: 'NotFound',
      code: 404,
      details: { name: 'n9', group: '', kind: 'nodes' },
    });
  });

  it('words Conflict exactly as kube-apiserver does', () => {
    expect(conflict(resourceByName('namespaces'), 'x')).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on namespaces "x": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it('names the kind (with group) in Invalid, and gives each cause its reason', () => {
    const s = invalid(leases, 'Bad', [
      { field: 'metadata.name', message: 'Invalid value: "Bad": x' },
      { field: 'spec.holderIdentity', message: 'Required value' },
    ]);
    expect(s.message).toBe(
      'Lease.coordination.k8s.io "Bad" is invalid: [metadata.name: Invalid value: "Bad": x, spec.holderIdentity: Required value]',
    );
    expect(s.details?.causes).toEqual([
      { reason: 'FieldValueInvalid', field: 'metadata.name', message: 'Invalid value: "Bad": x' },
      { reason: 'FieldValueRequired', field: 'spec.holderIdentity', message: 'Required value' },
    ]);
    expect(invalid(nodes, 'A', [{ field: 'metadata.name', message: 'Invalid value: "A": y' }]).message).toBe(
      'Node "A" is invalid: metadata.name: Invalid value: "A": y',
    );
  });

  it('passes etcd errors through as a 500 with an empty reason', () => {
    expect(internalFromEtcd('etcdserver: request timed out')).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'etcdserver: request timed out',
      reason: '',
      code: 500,
    });
  });
});

describe('resources', () => {
  it.each(['no', 'node', 'nodes', 'Node', 'NODES'])('resolves %j to nodes', (typed) => {
    expect(findResource(typed)?.resource).toBe('nodes');
  });

  it('resolves qualified names and rejects unknown ones', () => {
    expect(findResource('leases.coordination.k8s.io')?.resource).toBe('leases');
    expect(findResource('lease.coordination.k8s.io')?.resource).toBe('leases');
    expect(findResource('ns')?.resource).toBe('namespaces');
    expect(findResource('deployments.apps')?.resource).toBe('deployments');
    expect(findResource('po')?.resource).toBe('pods');
    expect(findResource('svc')?.resource).toBe('services');
    expect(findResource('ingresses')).toBeUndefined();
  });

  it('stores objects under the real etcd keys', () => {
    expect(etcdKey(resourceByName('nodes'), undefined, 'w1')).toBe('/registry/minions/w1');
    expect(etcdKey(resourceByName('leases'), 'kube-node-lease', 'w1')).toBe(
      '/registry/leases/kube-node-lease/w1',
    );
    expect(qualifiedResource(resourceByName('namespaces'))).toBe('namespaces');
  });
});

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects recursively, deletes on null and replaces arrays and scalars', () => {
    const target = { a: { b: 1, c: 2 }, list: [1, 2], keep: 'x' };
    const patched = mergePatch(target, { a: { b: 9, c: null, d: 3 }, list: [3], e: 'new' });
    expect(patched).toEqual({ a: { b: 9, d: 3 }, list: [3], keep: 'x', e: 'new' });
  });

  it('never mutates the target', () => {
    const target = { metadata: { labels: { a: '1' } } };
    const frozen = JSON.stringify(target);
    mergePatch(target, { metadata: { labels: { b: '2', a: null } } });
    expect(JSON.stringify(target)).toBe(frozen);
  });

  it('replaces the whole document with a non-object patch', () => {
    expect(mergePatch({ a: 1 }, 'x')).toBe('x');
    expect(mergePatch({ a: 1 }, [1])).toEqual([1]);
  });
});
