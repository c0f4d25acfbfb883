import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';
import { headlessSession, runProgram } from '../shell/runProgram';
import type { EventObject } from '../sim/api/types';
import { Cluster } from '../sim/cluster/cluster';
import { diffTimestamp, maskSecrets, unifiedDiff } from './commands/diff';
import { interval, sortEvents } from './commands/events';
import { kubectl } from './kubectl';
import { goSort } from './print/goSort';

const event = (name: string, last: string, extra: Partial<EventObject> = {}): EventObject =>
  ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'p', apiVersion: 'v1' },
    reason: 'R',
    message: 'm',
    source: { component: 'c' },
    firstTimestamp: last,
    lastTimestamp: last,
    count: 1,
    type: 'Normal',
    eventTime: null,
    reportingComponent: 'c',
    reportingInstance: '',
    ...extra,
  }) as EventObject;

describe('goSort (Go sort.Sort)', () => {
  it('sorts, keeping every element', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 300 }), (xs) => {
        const sorted = goSort(
          xs.map((v, i) => ({ v, i })),
          (a, b) => a.v < b.v,
        );
        expect(sorted.map((x) => x.v)).toEqual([...xs].sort((a, b) => a - b));
        expect(new Set(sorted.map((x) => x.i)).size).toBe(xs.length);
      }),
    );
  });

  it('is an insertion sort (stable) up to 12 elements', () => {
    const items = [3, 1, 3, 2, 1, 3, 2].map((v, i) => ({ v, i }));
    expect(goSort(items, (a, b) => a.v < b.v).map((x) => x.i)).toEqual([1, 4, 3, 6, 0, 2, 5]);
  });

  it('puts equal elements of a longer list where pdqsort does, not in input order', () => {
    // 20 equal keys then one smaller: pdqsort's partitioning moves the equal ones around.
    const items = Array.from({ length: 21 }, (_, i) => ({ v: i === 20 ? 0 : 1, i }));
    const order = goSort(items, (a, b) => a.v < b.v).map((x) => x.i);
    expect(order[0]).toBe(20);
    expect(order.slice(1)).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

describe('kubectl events sorting and ages', () => {
  it('sorts by series last time, then last timestamp, then event time', () => {
    const a = event('a', '2026-11-25T09:00:05Z');
    const b = event('b', '2026-11-25T09:00:01Z');
    const c = {
      ...event('c', ''),
      lastTimestamp: '',
      eventTime: '2026-11-25T09:00:03.000000Z',
    } as unknown as EventObject;
    const d = {
      ...event('d', '2026-11-25T09:00:09Z'),
      series: { count: 2, lastObservedTime: '2026-11-25T09:00:00.000000Z' },
    } as unknown as EventObject;
    expect(sortEvents([a, b, c, d]).map((e) => e.metadata.name)).toEqual(['d', 'b', 'c', 'a']);
  });

  it('shows repeated events as LAST (xN over FIRST)', () => {
    const e = { ...event('a', '2026-11-25T09:01:00Z'), firstTimestamp: '2026-11-25T09:00:00Z', count: 4 };
    // The simulation's epoch is 2026-11-25T09:00:00Z; at t=130s.
    expect(interval(e as EventObject, 130_000)).toBe('70s (x4 over 2m10s)');
    expect(interval(event('b', '2026-11-25T09:00:00Z'), 5_000)).toBe('5s');
  });
});

describe('kubectl diff', () => {
  const file = (live: string, merged: string) => ({
    name: 'v1.ConfigMap.default.x',
    live,
    merged,
    liveNs: 1_795_597_200_123_456_789n,
    mergedNs: 1_795_597_200_123_456_789n,
  });

  it('prints GNU diff -u -N hunks: no count for one line, the line before an empty range', () => {
    expect(unifiedDiff('/tmp/L/x', '/tmp/M/x', file('', 'a: 1\n'))).toBe(
      'diff -u -N /tmp/L/x /tmp/M/x\n' +
        '--- /tmp/L/x\t2026-11-25 09:00:00.123456789 +0000\n' +
        '+++ /tmp/M/x\t2026-11-25 09:00:00.123456789 +0000\n' +
        '@@ -0,0 +1 @@\n+a: 1\n',
    );
    expect(unifiedDiff('/a', '/b', file('x\n', 'x\n'))).toBe('');
    const text = unifiedDiff('/a', '/b', file('a\nb\nc\n', 'a\nB\nc\n'));
    expect(text.split('\n').slice(3).join('\n')).toBe('@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
  });

  it('formats file times as diff does', () => {
    expect(diffTimestamp(1_000_000_001n)).toBe('1970-01-01 00:00:01.000000001 +0000');
  });

  it('masks Secret data, marking changed values', () => {
    const [from, to] = maskSecrets({ data: { a: 'x', b: 'y' } }, { data: { a: 'x', b: 'z', c: 'w' } });
    expect(from).toEqual({ data: { a: '***', b: '*** (before)' } });
    expect(to).toEqual({ data: { a: '***', b: '*** (after)', c: '***' } });
  });

  it('exits 0 without differences, 1 with some, 2 on errors', () => {
    const cluster = new Cluster('ha', 1);
    cluster.sim.runUntil(30_000);
    const session = headlessSession();
    const run = (args: string[], stdin = '') => runProgram(cluster, kubectl, args, { session, stdin });
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n';
    expect(run(['diff', '-f', '-'], cm).code).toBe(1);
    expect(run(['apply', '-f', '-'], cm).code).toBe(0);
    const same = run(['diff', '-f', '-'], cm);
    expect(same).toMatchObject({ code: 0, output: '' });
    const changed = run(['diff', '-f', '-'], cm.replace('"1"', '"2"'));
    expect(changed.code).toBe(1);
    expect(changed.output).toContain('-  a: "1"\n+  a: "2"\n');
    // Nothing was changed by the dry run.
    expect(run(['get', 'cm', 'x', '-o', 'jsonpath={.data.a}']).output).toBe('1');
    expect(run(['diff', '-f', 'missing.yaml']).code).toBe(2);
    expect(run(['diff']).code).toBe(2);
  });
});

describe('kubectl events --watch', () => {
  it('prints the existing events, then each new one as it comes, until Ctrl-C', () => {
    const s = new Session({ scenario: 'ha', seed: 1 });
    s.run('advance 30s');
    let out = '';
    const exits: number[] = [];
    const started = s.start(
      'kubectl events -w --types=Normal',
      '',
      { stdout: (t) => (out += t), stderr: (t) => (out += t) },
      (c) => exits.push(c),
    );
    if (!started.ok) throw new Error(started.error);
    s.cluster.sim.runUntil(s.cluster.sim.nowMs + 1000);
    // Nothing in default yet: no header, no "No events found".
    expect(out).toBe('');
    expect(s.run('kubectl create deployment web --image=nginx --replicas=1').code).toBe(0);
    s.cluster.sim.runUntil(s.cluster.sim.nowMs + 20_000);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(out).toContain('ScalingReplicaSet');
    expect(out).toContain('Started container nginx');
    expect(exits).toEqual([]);
    started.handle.cancel();
    expect(exits).toEqual([1]);
  });
});
