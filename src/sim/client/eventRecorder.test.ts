import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import type { ApiRequest } from '../apiserver/request';
import { Sim } from '../kernel/sim';
import { rfc3339 } from '../kernel/time';
import { ApiClient } from './apiClient';
import {
  COMBINED_PREFIX,
  EVENT_AGGREGATE_WINDOW_MS,
  EVENT_SPAM_BURST,
  EVENT_SPAM_REFILL_MS,
  EventRecorder,
  MAX_QUEUED_EVENTS,
} from './eventRecorder';

/** A recorder whose API requests are kept instead of sent. */
function recorder(component = 'replicaset-controller') {
  const sim = new Sim(1);
  sim.trace.enabled = true;
  const sent: ApiRequest[] = [];
  const client = new ApiClient({ name: 'cp-1', zone: 'a', up: true } as never, (_from, req, done) => {
    sent.push(req);
    done({ code: 200, body: {} } as never);
  });
  return { sim, sent, events: new EventRecorder(client, sim, { component }) };
}

const replicaSet: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web-7d4b9c8f6d', namespace: 'default', uid: 'rs-uid', resourceVersion: '7' },
};

function pod(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `${name}-uid` } };
}

const creates = (sent: readonly ApiRequest[]) => sent.filter((r) => r.verb === 'create');
const patches = (sent: readonly ApiRequest[]) => sent.filter((r) => r.verb === 'patch');
const message = (r: ApiRequest) => (r.body as unknown as { message: string }).message;

describe('EventRecorder (client-go EventCorrelator)', () => {
  it('writes 25 events about one object, drops the rest, then allows one more per 5 minutes', () => {
    const { sim, sent, events } = recorder();
    for (let i = 0; i < 40; i++) events.normal(replicaSet, 'Reason' + i, `message ${i}`);
    expect(sent).toHaveLength(EVENT_SPAM_BURST);
    sim.runUntil(EVENT_SPAM_REFILL_MS - 1);
    events.normal(replicaSet, 'Late', 'too early');
    expect(sent).toHaveLength(EVENT_SPAM_BURST);
    sim.runUntil(EVENT_SPAM_REFILL_MS);
    events.normal(replicaSet, 'Late', 'after the refill');
    events.normal(replicaSet, 'Late', 'one token only');
    expect(sent).toHaveLength(EVENT_SPAM_BURST + 1);
    expect(message(sent.at(-1)!)).toBe('after the refill');
  });

  it('keeps a bucket per object: other pods are not throttled by a noisy one', () => {
    const { sent, events } = recorder('kubelet');
    for (let i = 0; i < 30; i++)
      events.warning(pod('crashy'), 'BackOff', 'Back-off restarting failed container');
    events.normal(pod('calm'), 'Started', 'Started container nginx');
    expect(sent).toHaveLength(EVENT_SPAM_BURST + 1);
    expect(sent.at(-1)?.verb).toBe('create');
  });

  it('combines the 10th distinct message of one reason, then bumps the combined event', () => {
    const { sent, events } = recorder();
    for (let i = 1; i <= 12; i++) events.normal(replicaSet, 'SuccessfulCreate', `Created pod: web-${i}`);
    const made = creates(sent);
    expect(made).toHaveLength(10);
    expect(made.slice(0, 9).map(message)).toEqual(
      Array.from({ length: 9 }, (_, i) => `Created pod: web-${i + 1}`),
    );
    const combined = made[9]?.body as unknown as Record<string, unknown> & { metadata: { name: string } };
    expect(combined.message).toBe(`${COMBINED_PREFIX}Created pod: web-10`);
    expect(combined.reportingComponent).toBe('');
    expect(combined.metadata.name).toMatch(/^web-7d4b9c8f6d\.[0-9a-f]+$/);
    expect(patches(sent).map((r) => [r.name, r.patch])).toEqual([
      [
        combined.metadata.name,
        expect.objectContaining({ count: 2, message: `${COMBINED_PREFIX}Created pod: web-11` }),
      ],
      [
        combined.metadata.name,
        expect.objectContaining({ count: 3, message: `${COMBINED_PREFIX}Created pod: web-12` }),
      ],
    ]);
  });

  it('does not combine messages more than 10 minutes apart', () => {
    const { sim, sent, events } = recorder();
    for (let i = 1; i <= 12; i++) {
      sim.runUntil(i * (EVENT_AGGREGATE_WINDOW_MS + 1));
      events.normal(replicaSet, 'SuccessfulCreate', `Created pod: web-${i}`);
    }
    expect(
      creates(sent)
        .map(message)
        .some((m) => m.startsWith(COMBINED_PREFIX)),
    ).toBe(false);
  });

  it('counts an identical event as a repeat of the first, however late', () => {
    const { sim, sent, events } = recorder('kubelet');
    events.warning(pod('crashy'), 'BackOff', 'Back-off restarting failed container');
    sim.runUntil(3_600_000);
    events.warning(pod('crashy'), 'BackOff', 'Back-off restarting failed container');
    expect(creates(sent)).toHaveLength(1);
    expect(patches(sent)[0]?.patch).toEqual({
      count: 2,
      lastTimestamp: rfc3339(3_600_000),
      message: 'Back-off restarting failed container',
    });
  });

  it('writes one event at a time, in order, and drops new ones while 1000 wait', () => {
    const sim = new Sim(1);
    const inFlight: (() => void)[] = [];
    const sent: ApiRequest[] = [];
    const client = new ApiClient({ name: 'cp-1', zone: 'a', up: true } as never, (_from, req, done) => {
      sent.push(req);
      inFlight.push(() => done({ code: 201, body: {} } as never));
    });
    const events = new EventRecorder(client, sim, { component: 'kubelet', host: 'worker-1' });
    for (let i = 0; i < MAX_QUEUED_EVENTS + 10; i++)
      events.normal(pod(`p${i}`), 'Started', 'Started container');
    expect(sent).toHaveLength(1);
    let answered = 0;
    while (inFlight.length > 0) {
      inFlight.shift()!();
      answered++;
    }
    // The first went out at once; 1000 waited behind it; the last 9 found the queue full.
    expect(answered).toBe(MAX_QUEUED_EVENTS + 1);
    expect(
      sent.map((r) => (r.body as unknown as { involvedObject: { name: string } }).involvedObject.name),
    ).toEqual(Array.from({ length: MAX_QUEUED_EVENTS + 1 }, (_, i) => `p${i}`));
  });

  it('records for kube-scheduler through the events API: no spam filter, no aggregation', () => {
    const sim = new Sim(1);
    const sent: ApiRequest[] = [];
    const client = new ApiClient(
      { name: 'cp-1', zone: 'a', up: true } as never,
      (_from, req) => void sent.push(req),
    );
    const events = new EventRecorder(client, sim, { component: 'default-scheduler', eventsApi: true });
    for (let i = 0; i < 40; i++)
      events.warning(pod('pending'), 'FailedScheduling', `0/${i} nodes are available`);
    expect(creates(sent)).toHaveLength(40);
    expect(creates(sent).every((r) => !message(r).startsWith(COMBINED_PREFIX))).toBe(true);
    expect((creates(sent)[0]!.body as unknown as { source: object }).source).toEqual({
      component: 'default-scheduler',
    });
  });

  it('traces dropped events as dropped, so the page still sees what the controller did', () => {
    const { sim, events } = recorder();
    for (let i = 0; i < 30; i++) events.normal(replicaSet, 'SuccessfulCreate', `Created pod: web-${i}`);
    const traced = sim.trace.drain().filter((e) => e.type === 'k8s.event');
    expect(traced).toHaveLength(30);
    expect(traced.filter((e) => e.type === 'k8s.event' && e.dropped)).toHaveLength(30 - EVENT_SPAM_BURST);
  });
});
