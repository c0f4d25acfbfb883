import type { EventObject, KubeObject } from '../api/types';
import { intern } from '../kernel/intern';
import type { Sim } from '../kernel/sim';
import { EPOCH_UNIX_MS, rfc3339 } from '../kernel/time';
import type { ApiClient } from './apiClient';

/** Repeats of one event within this window are folded into its count (client-go's aggregation). */
export const EVENT_AGGREGATION_WINDOW_MS = 10 * 60_000;
/** Events remembered for aggregation (client-go's maxLruCacheEntries). */
export const EVENT_CACHE_SIZE = 4096;

/**
 * An event already sent, remembered so that a repeat bumps its count. Lean, as there are a few per
 * pod on every kubelet: the namespace is its object's, and the list is linked (an array grows to
 * 17 slots on its first push).
 */
interface Seen {
  readonly type: EventObject['type'];
  readonly reason: string;
  readonly message: string;
  readonly fieldPath: string | undefined;
  readonly name: string;
  count: number;
  lastMs: number;
  /** The next (newer) event about the same object. */
  next: Seen | undefined;
}

/** What the recorder remembers per involved object (keyed by its uid, a string the object already holds). */
interface SeenForObject {
  /** Oldest first, linked through `next`. */
  first: Seen | undefined;
  last: Seen | undefined;
  size: number;
  /** The namespace of the object's events. */
  readonly namespace: string;
  /** By message, once there are many (a ReplicaSet's thousands of "Created pod: …"). */
  index: Map<string, Seen[]> | undefined;
  /** When an event about the object was last recorded (the map is kept in this order). */
  lastMs: number;
  /** The last involvedObject reference sent: the next event about the same version shares it. */
  reference: EventObject['involvedObject'] | undefined;
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
  private readonly seen = new Map<string, SeenForObject>();
  private seenCount = 0;
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
    // Thousands of pods get the same "Pulling image …" or "Started container …": share the text.
    message = intern(message);
    if (fieldPath) fieldPath = intern(fieldPath);
    const namespace = obj.metadata.namespace ?? 'default';
    const now = this.sim.nowMs;
    // An object without a uid is keyed by its namespace, so an entry's events share one namespace.
    const uid = obj.metadata.uid ?? `\0${namespace}`;
    const forObject = this.seen.get(uid);
    const prev = forObject && findSeen(forObject, type, reason, message, fieldPath);
    const repeat = prev !== undefined && now - prev.lastMs < EVENT_AGGREGATION_WINDOW_MS;
    if (this.sim.trace.enabled) {
      this.sim.trace.emit({
        type: 'k8s.event',
        atMs: now,
        eventType: type,
        reason,
        object: `${obj.kind.toLowerCase()}/${obj.metadata.name}`,
        ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
        message,
        component: this.source.host ? `${this.source.component}, ${this.source.host}` : this.source.component,
        count: repeat ? prev.count + 1 : 1,
      });
    }
    if (repeat) {
      prev.count++;
      prev.lastMs = now;
      this.touch(uid, forObject!, now);
      this.client.request(
        {
          verb: 'patch',
          resource: 'events',
          namespace: forObject!.namespace,
          name: prev.name,
          patch: { count: prev.count, lastTimestamp: rfc3339(now) },
        },
        () => {},
      );
      return;
    }
    const name = [obj.metadata.name, '.', this.uniqueNanos().toString(16)].join('');
    const timestamp = rfc3339(now);
    const last = forObject?.reference;
    const involvedObject =
      last && last.resourceVersion === obj.metadata.resourceVersion && last.fieldPath === fieldPath
        ? last
        : {
            kind: obj.kind,
            namespace: obj.metadata.namespace,
            name: obj.metadata.name,
            uid: obj.metadata.uid,
            apiVersion: obj.apiVersion,
            resourceVersion: obj.metadata.resourceVersion,
            ...(fieldPath ? { fieldPath } : {}),
          };
    const event: EventObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
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
    this.remember(uid, forObject, namespace, involvedObject, {
      type,
      reason,
      message,
      fieldPath,
      name,
      count: 1,
      lastMs: now,
      next: undefined,
    });
    this.client.request({ verb: 'create', resource: 'events', namespace, body: event }, () => {});
  }

  /**
   * client-go's aggregation cache is an LRU of 4096 entries: memory stays bounded however many
   * pods. Entries past the aggregation window can never be bumped again, so they go first.
   */
  private remember(
    uid: string,
    forObject: SeenForObject | undefined,
    namespace: string,
    reference: EventObject['involvedObject'],
    seen: Seen,
  ): void {
    const now = seen.lastMs;
    const entry: SeenForObject = forObject ?? {
      first: undefined,
      last: undefined,
      size: 0,
      namespace,
      index: undefined,
      lastMs: now,
      reference,
    };
    entry.reference = reference;
    if (entry.last) entry.last.next = seen;
    else entry.first = seen;
    entry.last = seen;
    entry.size++;
    if (entry.index) addToIndex(entry.index, seen);
    else if (entry.size > INDEX_THRESHOLD) {
      entry.index = new Map();
      for (let e = entry.first; e; e = e.next) addToIndex(entry.index, e);
    }
    this.seenCount++;
    this.touch(uid, entry, now);
    for (const [oldUid, old] of this.seen) {
      const expired = now - old.lastMs >= EVENT_AGGREGATION_WINDOW_MS;
      if (!expired && this.seenCount <= EVENT_CACHE_SIZE) break;
      if (old === entry) {
        // One object fills the cache on its own: forget its oldest events.
        while (this.seenCount > EVENT_CACHE_SIZE && entry.size > 1) {
          const gone = entry.first!;
          entry.first = gone.next;
          gone.next = undefined;
          entry.size--;
          if (entry.index) removeFromIndex(entry.index, gone);
          this.seenCount--;
        }
        break;
      }
      this.seen.delete(oldUid);
      this.seenCount -= old.size;
    }
  }

  /** Marks an object's entry most recently used. */
  private touch(uid: string, entry: SeenForObject, now: number): void {
    entry.lastMs = now;
    this.seen.delete(uid);
    this.seen.set(uid, entry);
  }

  /** Event names end in the wall-clock nanoseconds in hex; two in one instant get consecutive values. */
  private uniqueNanos(): bigint {
    const nanos = BigInt(Math.floor((EPOCH_UNIX_MS + this.sim.nowMs) * 1000)) * 1000n;
    this.lastNanos = nanos > this.lastNanos ? nanos : this.lastNanos + 1n;
    return this.lastNanos;
  }
}

/** Past this many events about one object, look them up by message. */
const INDEX_THRESHOLD = 16;

/** The first (oldest) event remembered about an object that a new one repeats. */
function findSeen(
  entry: SeenForObject,
  type: EventObject['type'],
  reason: string,
  message: string,
  fieldPath: string | undefined,
): Seen | undefined {
  const same = (e: Seen): boolean =>
    e.type === type && e.reason === reason && e.message === message && e.fieldPath === fieldPath;
  if (entry.index) return entry.index.get(message)?.find(same);
  for (let e = entry.first; e; e = e.next) if (same(e)) return e;
  return undefined;
}

function addToIndex(index: Map<string, Seen[]>, seen: Seen): void {
  const list = index.get(seen.message);
  if (list) list.push(seen);
  else index.set(seen.message, [seen]);
}

function removeFromIndex(index: Map<string, Seen[]>, seen: Seen): void {
  const list = index.get(seen.message);
  if (!list) return;
  const i = list.indexOf(seen);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) index.delete(seen.message);
}
