import type { EventObject, KubeObject } from '../api/types';
import type { Sim } from '../kernel/sim';
import { EPOCH_UNIX_MS, rfc3339 } from '../kernel/time';
import type { ApiClient } from './apiClient';

/** Repeats of one event within this window are folded into its count (client-go's aggregation). */
export const EVENT_AGGREGATION_WINDOW_MS = 10 * 60_000;
/** Events remembered for aggregation (client-go's maxLruCacheEntries). */
export const EVENT_CACHE_SIZE = 4096;

interface Seen {
  readonly name: string;
  readonly namespace: string;
  readonly firstTimestamp: string;
  count: number;
  lastMs: number;
}

export interface EventSource {
  readonly component: string;
  readonly host?: string;
}

/**
 * client-go's event recorder: components report what they did as core/v1 Events through the API,
 * fire-and-forget (a lost event never blocks work). An identical event seen again bumps the count
 * and lastTimestamp of the first, which describe shows as "(x5 over 2m)".
 */
export class EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private lastNanos = 0n;

  constructor(
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly source: EventSource,
  ) {}

  normal(obj: KubeObject, reason: string, message: string, fieldPath?: string): void {
    this.record(obj, 'Normal', reason, message, fieldPath);
  }

  warning(obj: KubeObject, reason: string, message: string, fieldPath?: string): void {
    this.record(obj, 'Warning', reason, message, fieldPath);
  }

  private record(
    obj: KubeObject,
    type: EventObject['type'],
    reason: string,
    message: string,
    fieldPath?: string,
  ): void {
    const namespace = obj.metadata.namespace ?? 'default';
    const seenBefore = this.seen.get(`${obj.metadata.uid}|${type}|${reason}|${message}|${fieldPath ?? ''}`);
    if (this.sim.trace.enabled) {
      this.sim.trace.emit({
        type: 'k8s.event',
        atMs: this.sim.nowMs,
        eventType: type,
        reason,
        object: `${obj.kind.toLowerCase()}/${obj.metadata.name}`,
        message,
        component: this.source.host ? `${this.source.component}, ${this.source.host}` : this.source.component,
        count:
          seenBefore && this.sim.nowMs - seenBefore.lastMs < EVENT_AGGREGATION_WINDOW_MS
            ? seenBefore.count + 1
            : 1,
      });
    }
    const key = `${obj.metadata.uid}|${type}|${reason}|${message}|${fieldPath ?? ''}`;
    const now = this.sim.nowMs;
    const prev = this.seen.get(key);
    if (prev && now - prev.lastMs < EVENT_AGGREGATION_WINDOW_MS) {
      prev.count++;
      prev.lastMs = now;
      this.client.request(
        {
          verb: 'patch',
          resource: 'events',
          namespace: prev.namespace,
          name: prev.name,
          patch: { count: prev.count, lastTimestamp: rfc3339(now) },
        },
        () => {},
      );
      return;
    }
    const name = `${obj.metadata.name}.${this.uniqueNanos().toString(16)}`;
    const timestamp = rfc3339(now);
    const event: EventObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: obj.metadata.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source: this.source,
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
    };
    this.seen.set(key, { name, namespace, firstTimestamp: timestamp, count: 1, lastMs: now });
    // client-go's aggregation cache is an LRU of 4096 entries: memory stays bounded however many pods.
    if (this.seen.size > EVENT_CACHE_SIZE) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.client.request({ verb: 'create', resource: 'events', namespace, body: event }, () => {});
  }

  /** Event names end in the wall-clock nanoseconds in hex; two in one instant get consecutive values. */
  private uniqueNanos(): bigint {
    const nanos = BigInt(Math.floor((EPOCH_UNIX_MS + this.sim.nowMs) * 1000)) * 1000n;
    this.lastNanos = nanos > this.lastNanos ? nanos : this.lastNanos + 1n;
    return this.lastNanos;
  }
}
