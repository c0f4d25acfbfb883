import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_HISTORY_RECORDS,
  MvccStore,
  type Op,
  type TxnRequest,
  type WatchEvent,
} from '../../src/sim/etcd/mvcc/store';

/**
 * The members of a cluster share one keyspace, each reading it at its own revision. Whatever the
 * pace at which each member applies the common log, every answer must be what a store of its own
 * would give: transaction results, reads now and in the past, compaction errors, watch events.
 */

const KEYS = ['/registry/pods/a', '/registry/pods/b', '/registry/events/x', '/registry/leases/n'];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ type: fc.constant('put' as const), key: fc.constantFrom(...KEYS), value: fc.nat(9) }),
  fc.record({ type: fc.constant('delete' as const), key: fc.constantFrom(...KEYS) }),
  fc.record({
    type: fc.constant('delete' as const),
    key: fc.constant('/registry/pods/'),
    prefix: fc.constant(true),
  }),
  fc.record({
    type: fc.constant('range' as const),
    key: fc.constant('/registry/'),
    prefix: fc.constant(true),
  }),
);

/** A log entry: a transaction (maybe guarded by a version compare), or a compaction. */
type Entry = { kind: 'txn'; txn: TxnRequest } | { kind: 'compact'; back: number };

const entryArb: fc.Arbitrary<Entry> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .array(opArb, { minLength: 1, maxLength: 3 })
      .map((success): Entry => ({ kind: 'txn', txn: { compare: [], success, failure: [] } })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...KEYS), fc.nat(3), fc.array(opArb, { minLength: 1, maxLength: 2 }))
      .map(
        ([key, equals, success]): Entry => ({
          kind: 'txn',
          txn: { compare: [{ key, target: 'version', equals }], success, failure: [{ type: 'range', key }] },
        }),
      ),
  },
  { weight: 1, arbitrary: fc.nat(4).map((back): Entry => ({ kind: 'compact', back })) },
);

/** One member: the store under test and a reference store of its own, fed the same entries. */
function member(shared: MvccStore | undefined) {
  const store = new MvccStore();
  shared?.share(store);
  const reference = new MvccStore();
  const seen: WatchEvent[][] = [];
  const expected: WatchEvent[][] = [];
  store.watch('/registry/pods/', (events) => void seen.push([...events]));
  reference.watch('/registry/pods/', (events) => void expected.push([...events]));
  return { store, reference, seen, expected, applied: 0 };
}

function apply(m: ReturnType<typeof member>, entry: Entry): void {
  if (entry.kind === 'txn') {
    expect(m.store.txn(entry.txn)).toEqual(m.reference.txn(entry.txn));
  } else {
    // Every member compacts at the same point of the log, relative to the revision there.
    const rev = Math.max(1, m.reference.revision - entry.back);
    expect(m.store.compact(rev)).toEqual(m.reference.compact(rev));
  }
  m.applied++;
}

function sameReads(m: ReturnType<typeof member>): void {
  expect(m.store.revision).toBe(m.reference.revision);
  expect(m.store.range('/registry/', true)).toEqual(m.reference.range('/registry/', true));
  for (const k of KEYS) expect(m.store.get(k)).toEqual(m.reference.get(k));
  for (let rev = 1; rev <= m.reference.revision; rev++) {
    expect(m.store.rangeAt('/registry/', true, rev)).toEqual(m.reference.rangeAt('/registry/', true, rev));
  }
  expect(m.seen).toEqual(m.expected);
}

describe('one keyspace shared by the members of a cluster', () => {
  it('answers every member as its own store would, whatever pace each applies the log at', () => {
    fc.assert(
      fc.property(
        fc.array(entryArb, { minLength: 1, maxLength: 25 }),
        fc.array(fc.nat(2), { minLength: 1, maxLength: 80 }),
        (log, turns) => {
          const first = member(undefined);
          const members = [first, member(first.store), member(first.store)];
          // Members take turns applying their next entry; a member left behind reads the past.
          for (const t of turns) {
            const m = members[t]!;
            if (m.applied < log.length) apply(m, log[m.applied]!);
            for (const each of members) sameReads(each);
          }
          for (const m of members) while (m.applied < log.length) apply(m, log[m.applied]!);
          for (const m of members) sameReads(m);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a member that applies something the others never did goes on alone, and they are unaffected', () => {
    const a = new MvccStore();
    const b = new MvccStore();
    a.share(b);
    const common: TxnRequest = { compare: [], success: [{ type: 'put', key: '/k', value: 1 }], failure: [] };
    a.txn(common);
    b.txn(common);
    a.txn({ compare: [], success: [{ type: 'put', key: '/k', value: 2 }], failure: [] });
    a.txn({ compare: [], success: [{ type: 'put', key: '/k', value: 3 }], failure: [] });
    // b diverges (a store outside Raft, as only a test makes one): it sees its own write, a keeps its own.
    b.txn({ compare: [], success: [{ type: 'put', key: '/k', value: 'b' }], failure: [] });
    expect(a.get('/k')?.value).toBe(3);
    expect(b.get('/k')?.value).toBe('b');
    expect(a.revision).toBe(4);
    expect(b.revision).toBe(3);
    // b's past is its own: the version it replaced, not a's.
    expect(b.snapshot().history?.map(([k, past]) => [k, past.map((kv) => kv.value)])).toEqual([['/k', [1]]]);
    expect(a.snapshot().history?.map(([k, past]) => [k, past.map((kv) => kv.value)])).toEqual([
      ['/k', [1, 2]],
    ]);
  });

  it('restoring a snapshot reads the sender’s keyspace at the snapshot revision, not later', () => {
    const leader = new MvccStore();
    leader.txn({ compare: [], success: [{ type: 'put', key: '/a', value: 1 }], failure: [] });
    const snap = leader.snapshot();
    leader.txn({ compare: [], success: [{ type: 'put', key: '/a', value: 2 }], failure: [] });
    const follower = new MvccStore();
    const events: WatchEvent[] = [];
    follower.watch('/', (es) => void events.push(...es));
    follower.restore(snap);
    expect(follower.revision).toBe(2);
    expect(follower.get('/a')?.value).toBe(1);
    expect(events.map((e) => [e.type, e.kv.key, e.kv.value])).toEqual([['PUT', '/a', 1]]);
  });
});

describe('the outcome a request carries', () => {
  /** What the request holds under the store's symbol (the store keeps it there, out of JSON's sight). */
  const held = (req: TxnRequest): unknown[] =>
    Object.getOwnPropertySymbols(req).map((s) => (req as unknown as Record<symbol, unknown>)[s]);

  it('is let go once every sharing member applied it; a member still to apply keeps it', () => {
    const a = new MvccStore();
    const b = new MvccStore();
    const c = new MvccStore();
    a.share(b);
    a.share(c);
    const req: TxnRequest = { compare: [], success: [{ type: 'put', key: '/k', value: 1 }], failure: [] };
    a.txn(req);
    expect(held(req).filter((o) => o !== undefined)).toHaveLength(1);
    b.txn(req);
    expect(held(req).filter((o) => o !== undefined)).toHaveLength(1);
    const answer = c.txn(req);
    expect(held(req).filter((o) => o !== undefined)).toHaveLength(0);
    // The last member still got the shared answer and sees the write.
    expect(answer.revision).toBe(2);
    expect(c.get('/k')?.value).toBe(1);
  });
});

describe('a member far behind', () => {
  it('gets a copy of its own when the shared history outgrows its bound, and reads as it did', () => {
    const a = new MvccStore();
    const b = new MvccStore();
    const down = new MvccStore();
    a.share(b);
    a.share(down);
    const first: TxnRequest = { compare: [], success: [{ type: 'put', key: '/k', value: 0 }], failure: [] };
    a.txn(first);
    b.txn(first);
    down.txn(first);
    // The member `down` applies nothing more (its host is off); the others go on past the bound.
    for (let i = 1; i <= MAX_HISTORY_RECORDS + 10; i++) {
      const req: TxnRequest = { compare: [], success: [{ type: 'put', key: '/k', value: i }], failure: [] };
      a.txn(req);
      b.txn(req);
    }
    expect(a.historySize).toBeLessThanOrEqual(MAX_HISTORY_RECORDS);
    expect(down.get('/k')?.value).toBe(0);
    expect(down.revision).toBe(2);
    expect(b.get('/k')?.value).toBe(MAX_HISTORY_RECORDS + 10);
    // Back up, it applies the same log on its own copy.
    const next: TxnRequest = {
      compare: [],
      success: [{ type: 'put', key: '/k', value: 'late' }],
      failure: [],
    };
    expect(down.txn(next).revision).toBe(3);
    expect(down.get('/k')?.value).toBe('late');
    expect(a.get('/k')?.value).toBe(MAX_HISTORY_RECORDS + 10);
  });
});
