import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventObject, KubeObject } from '../api/types';
import { forStorage, fromStorage, StoredEvent } from './eventStorage';

const kubelet = { component: 'kubelet', host: 'worker-1' };

function event(name: string, message: string, count = 1): EventObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: '2026-11-25T09:00:01Z',
    },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'pod-uid', apiVersion: 'v1' },
    reason: 'Started',
    message,
    source: kubelet,
    firstTimestamp: '2026-11-25T09:00:01Z',
    lastTimestamp: '2026-11-25T09:00:02Z',
    count,
    type: 'Normal',
    eventTime: null,
    reportingComponent: 'kubelet',
    reportingInstance: 'worker-1',
  };
}

describe('Events as the API server stores them', () => {
  it('stores a recorder-written Event compactly and reads it back key for key', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.nat(1000), (name, message, count) => {
        const e = event(name, message, count);
        const stored = forStorage(e);
        expect(stored).toBeInstanceOf(StoredEvent);
        expect(JSON.stringify(fromStorage(stored))).toBe(JSON.stringify(e));
      }),
    );
  });

  it('shares what the events of one component and reason have in common', () => {
    const a = forStorage(event('a', 'Started container nginx')) as StoredEvent;
    const b = forStorage(event('b', 'Started container redis')) as StoredEvent;
    expect(a.says).toBe(b.says);
  });

  it('keeps any other object, or an Event with fields of its own, as it is', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } };
    expect(forStorage(pod)).toBe(pod);
    const labelled = { ...event('c', 'm'), metadata: { ...event('c', 'm').metadata, labels: { a: 'b' } } };
    expect(forStorage(labelled)).toBe(labelled);
    const withSeries = { ...event('d', 'm'), series: { count: 2 } } as unknown as KubeObject;
    expect(forStorage(withSeries)).toBe(withSeries);
    expect(fromStorage('plain string')).toBe('plain string');
  });
});
