import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MvccStore, type Op, type TxnRequest, type WatchEvent } from '../../src/sim/etcd/mvcc/store';

const put = (key: string, value: unknown): Op => ({ type: 'put', key, value });
const del = (key: string, prefix = false): Op => ({ type: 'delete', key, prefix });
const txn = (store: MvccStore, ...success: Op[]) => store.txn({ compare: [], success, failure: [] });

describe('MvccStore revisions', () => {
  it('starts at revision 1 with no keys', () => {
    const s = new MvccStore();
    expect(s.revision).toBe(1);
    expect(s.keyCount).toBe(0);
    expect(s.range('/a')).toEqual({ kvs: [], count: 0, revision: 1 });
  });

  it('bumps the revision once per writing transaction, however many keys it writes', () => {
    const s = new MvccStore();
    expect(txn(s, put('/a', 1)).revision).toBe(2);
    expect(txn(s, put('/b', 1), put('/c', 1), del('/a')).revision).toBe(3);
    expect(s.revision).toBe(3);
    for (const k of ['/b', '/c']) expect(s.range(k).kvs[0]?.modRevision).toBe(3);
  });

  it('does not bump the revision for a read-only transaction or a delete of nothing', () => {
    const s = new MvccStore();
    txn(s, put('/a', 1));
    expect(txn(s, { type: 'range', key: '/a' }).revision).toBe(2);
    expect(txn(s, del('/missing')).revision).toBe(2);
    expect(txn(s, del('/zzz/', true)).revision).toBe(2);
    expect(txn(s).revision).toBe(2);
  });

  it('tracks create revision, mod revision and version per key', () => {
    const s = new MvccStore();
    txn(s, put('/a', 'v1')); // rev 2
    txn(s, put('/b', 'x')); // rev 3
    txn(s, put('/a', 'v2')); // rev 4
    expect(s.range('/a').kvs[0]).toEqual({
      key: '/a',
      value: 'v2',
      createRevision: 2,
      modRevision: 4,
      version: 2,
    });
  });

  it('starts a key over (new create revision, version 1) after it was deleted', () => {
    const s = new MvccStore();
    txn(s, put('/a', 1)); // 2
    txn(s, del('/a')); // 3
    expect(s.range('/a').count).toBe(0);
    txn(s, put('/a', 2)); // 4
    expect(s.range('/a').kvs[0]).toMatchObject({ createRevision: 4, modRevision: 4, version: 1 });
  });

  it('shares stored values instead of copying them', () => {
    const s = new MvccStore();
    const obj = { metadata: { name: 'x' } };
    txn(s, put('/a', obj));
    expect(s.range('/a').kvs[0]?.value).toBe(obj);
  });

  it('keeps revisions strictly increasing under random writes (property)', () => {
    const opArb = fc.oneof(
      fc.record({
        type: fc.constant('put' as const),
        key: fc.constantFrom('/a', '/b', '/c/1', '/c/2'),
        value: fc.nat(),
      }),
      fc.record({
        type: fc.constant('delete' as const),
        key: fc.constantFrom('/a', '/c/'),
        prefix: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(opArb, { maxLength: 3 }), { maxLength: 30 }), (txns) => {
        const s = new MvccStore();
        let last = s.revision;
        for (const ops of txns) {
          const r = txn(s, ...ops);
          expect(r.revision).toBeGreaterThanOrEqual(last);
          if (r.revision > last) expect(r.revision).toBe(last + 1);
          last = r.revision;
          for (const kv of s.range('/', true).kvs) {
            expect(kv.modRevision).toBeLessThanOrEqual(s.revision);
            expect(kv.createRevision).toBeLessThanOrEqual(kv.modRevision);
            expect(kv.version).toBeGreaterThanOrEqual(1);
          }
        }
      }),
    );
  });
});

describe('MvccStore transactions', () => {
  it('runs the success branch when every compare holds', () => {
    const s = new MvccStore();
    txn(s, put('/a', 1)); // rev 2
    const r = s.txn({
      compare: [
        { key: '/a', target: 'mod', equals: 2 },
        { key: '/b', target: 'create', equals: 0 },
      ],
      success: [put('/b', 'created')],
      failure: [{ type: 'range', key: '/a' }],
    });
    expect(r.succeeded).toBe(true);
    expect(r.revision).toBe(3);
    expect(s.range('/b').kvs[0]?.value).toBe('created');
  });

  it('runs the failure branch when any compare fails, writing nothing', () => {
    const s = new MvccStore();
    txn(s, put('/a', 1)); // rev 2
    txn(s, put('/a', 2)); // rev 3
    const req: TxnRequest = {
      compare: [{ key: '/a', target: 'mod', equals: 2 }], // stale
      success: [put('/a', 'lost update')],
      failure: [{ type: 'range', key: '/a' }],
    };
    const r = s.txn(req);
    expect(r.succeeded).toBe(false);
    expect(r.revision).toBe(3);
    expect(r.results[0]?.kvs[0]).toMatchObject({ value: 2, modRevision: 3 });
    expect(s.range('/a').kvs[0]?.value).toBe(2);
  });

  it('compares a missing key as revision 0 (create-if-absent)', () => {
    const s = new MvccStore();
    const create = (v: string) =>
      s.txn({
        compare: [{ key: '/k', target: 'create', equals: 0 }],
        success: [put('/k', v)],
        failure: [],
      });
    expect(create('first').succeeded).toBe(true);
    expect(create('second').succeeded).toBe(false);
    expect(s.range('/k').kvs[0]?.value).toBe('first');
    expect(
      s.txn({ compare: [{ key: '/none', target: 'mod', equals: 0 }], success: [], failure: [] }).succeeded,
    ).toBe(true);
  });

  it('returns the previous value for a put and the deleted values for a delete', () => {
    const s = new MvccStore();
    expect(txn(s, put('/a', 1)).results[0]?.kvs).toEqual([]);
    expect(txn(s, put('/a', 2)).results[0]?.kvs[0]?.value).toBe(1);
    expect(txn(s, del('/a')).results[0]?.kvs[0]?.value).toBe(2);
  });
});

describe('MvccStore ranges and deletes', () => {
  function filled(): MvccStore {
    const s = new MvccStore();
    txn(s, put('/registry/pods/b/x', 1), put('/registry/pods/a/y', 2), put('/registry/pods/a/x', 3));
    txn(s, put('/registry/podsecurity', 4), put('/registry/nodes/n1', 5));
    return s;
  }

  it('returns prefix matches sorted by key, with count and the store revision', () => {
    const s = filled();
    const r = s.range('/registry/pods/', true);
    expect(r.kvs.map((kv) => kv.key)).toEqual([
      '/registry/pods/a/x',
      '/registry/pods/a/y',
      '/registry/pods/b/x',
    ]);
    expect(r.count).toBe(3);
    expect(r.revision).toBe(3);
  });

  it('limits a prefix range but still counts every match', () => {
    const r = filled().range('/registry/pods/', true, 2);
    expect(r.kvs).toHaveLength(2);
    expect(r.count).toBe(3);
  });

  it('treats a key without prefix as an exact match', () => {
    const s = filled();
    expect(s.range('/registry/pods').count).toBe(0);
    expect(s.range('/registry/podsecurity').count).toBe(1);
  });

  it('deletes every key under a prefix in one revision', () => {
    const s = filled();
    const r = txn(s, del('/registry/pods/a/', true));
    expect(r.revision).toBe(4);
    expect(r.results[0]?.kvs.map((kv) => kv.key)).toEqual(['/registry/pods/a/x', '/registry/pods/a/y']);
    expect(s.range('/registry/pods/', true).kvs.map((kv) => kv.key)).toEqual(['/registry/pods/b/x']);
    expect(s.keyCount).toBe(3);
  });
});

describe('MvccStore watches', () => {
  it('delivers PUT and DELETE events under the prefix, with previous values and the new revision', () => {
    const s = new MvccStore();
    const got: { events: readonly WatchEvent[]; rev: number }[] = [];
    s.watch('/registry/nodes/', (events, rev) => got.push({ events, rev }));
    txn(s, put('/registry/nodes/n1', 'v1')); // 2
    txn(s, put('/registry/nodes/n1', 'v2'), put('/registry/pods/p', 'ignored')); // 3
    txn(s, del('/registry/nodes/n1')); // 4
    expect(got.map((g) => g.rev)).toEqual([2, 3, 4]);
    expect(got[0]!.events).toEqual([
      {
        type: 'PUT',
        kv: { key: '/registry/nodes/n1', value: 'v1', createRevision: 2, modRevision: 2, version: 1 },
      },
    ]);
    expect(got[1]!.events).toHaveLength(1);
    expect(got[1]!.events[0]).toMatchObject({ type: 'PUT', kv: { value: 'v2' }, prevKv: { value: 'v1' } });
    expect(got[2]!.events[0]).toMatchObject({
      type: 'DELETE',
      kv: { key: '/registry/nodes/n1', modRevision: 4 },
      prevKv: { value: 'v2', modRevision: 3 },
    });
  });

  it('batches all events of one transaction into one callback', () => {
    const s = new MvccStore();
    const batches: number[] = [];
    s.watch('/', (events) => batches.push(events.length));
    txn(s, put('/a', 1), put('/b', 1), put('/c', 1));
    expect(batches).toEqual([3]);
  });

  it('sends nothing for failed or read-only transactions, and nothing after cancel', () => {
    const s = new MvccStore();
    let calls = 0;
    const cancel = s.watch('/', () => calls++);
    s.txn({ compare: [{ key: '/a', target: 'mod', equals: 99 }], success: [put('/a', 1)], failure: [] });
    txn(s, { type: 'range', key: '/', prefix: true });
    expect(calls).toBe(0);
    cancel();
    txn(s, put('/a', 1));
    expect(calls).toBe(0);
  });
});

describe('MvccStore snapshot and restore', () => {
  it('restores keys, per-key revisions and the store revision', () => {
    const a = new MvccStore();
    txn(a, put('/a', 1)); // 2
    txn(a, put('/b', 2)); // 3
    txn(a, put('/a', 3)); // 4
    const snap = a.snapshot();
    const b = new MvccStore();
    txn(b, put('/stale', 0));
    b.restore(snap);
    expect(b.revision).toBe(4);
    expect(b.range('/', true)).toEqual(a.range('/', true));
    expect(b.range('/stale').count).toBe(0);
    // Writes continue from the restored revision, and keep the key's history.
    txn(b, put('/a', 4));
    expect(b.range('/a').kvs[0]).toMatchObject({ createRevision: 2, modRevision: 5, version: 3 });
  });

  it('is not affected by writes made after it was taken', () => {
    const a = new MvccStore();
    txn(a, put('/a', 1));
    const snap = a.snapshot();
    txn(a, put('/a', 2), put('/b', 2));
    const b = new MvccStore();
    b.restore(snap);
    expect(b.revision).toBe(2);
    expect(b.range('/', true).kvs.map((kv) => kv.value)).toEqual([1]);
  });

  it('estimates a size that grows with the data', () => {
    const s = new MvccStore();
    const empty = s.approximateSizeBytes();
    expect(empty).toBe(20_480);
    txn(s, put('/registry/namespaces/default', { kind: 'Namespace' }));
    expect(s.approximateSizeBytes()).toBeGreaterThan(empty);
  });
});
