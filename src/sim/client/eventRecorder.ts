import type { EventObject, KubeObject } from '../api/types';
import type { ApiRequest } from '../apiserver/request';
import { intern } from '../kernel/intern';
import type { Sim } from '../kernel/sim';
import { EPOCH_UNIX_MS, rfc3339 } from '../kernel/time';
import type { ApiClient } from './apiClient';

/** client-go's EventCorrelator defaults (tools/record/events_cache.go). */
/** Similar events (same reason, other messages) seen this many times within the window are combined. */
export const EVENT_AGGREGATE_MAX_EVENTS = 10;
export const EVENT_AGGREGATE_WINDOW_MS = 600_000;
/** A source may burst this many events about one object, then one more every 5 minutes. */
export const EVENT_SPAM_BURST = 25;
export const EVENT_SPAM_REFILL_MS = 300_000;
/** Events remembered for counting repeats (client-go's maxLruCacheEntries). */
export const EVENT_CACHE_SIZE = 4096;
/** The message prefix of an event standing for similar ones (EventAggregatorByReasonMessageFunc). */
export const COMBINED_PREFIX = '(combined from similar events): ';

/**
 * An event already sent, remembered so that a repeat bumps its count. Lean, as there are a few per
 * pod on every kubelet: the namespace is its object's, and the list is linked (an array grows to
 * 17 slots on its first push).
 */
interface Seen {
  readonly type: EventObject['type'];
  readonly reason: string;
  /** The message, or for a combined event the reason it stands for ("" as its message changes). */
  readonly message: string;
  readonly fieldPath: string | undefined;
  readonly name: string;
  /** Whether this is the combined event of its reason (client-go keys it by the aggregate key). */
  readonly combined: boolean;
  count: number;
  lastMs: number;
  /** The next (newer) event about the same object. */
  next: Seen | undefined;
}

/** Similar events of one reason (client-go's aggregateRecord): their distinct messages, oldest first. */
interface Similar {
  readonly type: EventObject['type'];
  readonly reason: string;
  messages: string[];
  lastMs: number;
}

/** What the recorder remembers per involved object (keyed by its uid, a string the object already holds). */
interface SeenForObject {
  /** Oldest first, linked through `next`. */
  first: Seen | undefined;
  last: Seen | undefined;
  size: number;
  /** The namespace of the object's events. */
  readonly namespace: string;
  /** By message, once there are many (a ReplicaSet's "Created pod: …" before they are combined). */
  index: Map<string, Seen[]> | undefined;
  /** The spam filter's token bucket for this source and object, as its theoretical arrival time. */
  spamTatMs: number;
  /** Per reason, once the object has had events of more than one message for it (most have none). */
  similar: Similar[] | undefined;
  /** The last involvedObject reference sent: the next event about the same version shares it. */
  reference: EventObject['involvedObject'] | undefined;
}

export interface EventSource {
  readonly component: string;
  readonly host?: string;
  /**
   * Records through events.k8s.io/v1 (client-go's tools/events, as kube-scheduler does): each
   * event is written on its own, with no spam filter or aggregation; a repeat bumps its count.
   */
  readonly eventsApi?: boolean;
}

/** Events waiting to be written before new ones are dropped (client-go's maxQueuedEvents). */
export const MAX_QUEUED_EVENTS = 1000;

/**
 * client-go's event recorder: components report what they did as core/v1 Events through the API,
 * fire-and-forget (a lost event never blocks work). Each event passes client-go's correlator:
 * - the spam filter: a source may send 25 events about one object, then one per 5 minutes; the
 *   rest are dropped (a ReplicaSet creating 150,000 pods records 25 events, not 150,000);
 * - aggregation: from the 10th distinct message of one reason within 10 minutes, the events are
 *   combined into one "(combined from similar events): …" event whose count goes up;
 * - counting: an identical event seen again bumps the count and lastTimestamp of the first, which
 *   describe shows as "(x5 over 2m)".
 * The writes go out one at a time, in order. kube-scheduler's recorder (`eventsApi`) skips all but
 * the counting and writes each event on its own.
 */
export class EventRecorder {
  /** Least recently used first (client-go's LRU caches, here one per involved object). */
  private readonly seen = new Map<string, SeenForObject>();
  private seenCount = 0;
  private lastNanos = 0n;
  /** Writes waiting their turn: the broadcaster sends one at a time, in order. */
  private readonly queue: ApiRequest[] = [];
  private sending = false;
  private readonly source: EventSource;
  private readonly eventsApi: boolean;

  constructor(
    private readonly client: ApiClient,
    private readonly sim: Sim,
    { eventsApi, ...source }: EventSource,
  ) {
    this.source = source;
    this.eventsApi = eventsApi === true;
  }

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
    // Whole milliseconds: small integers stay inside the records, where a fraction needs a box.
    const now = Math.floor(this.sim.nowMs);
    // An object without a uid is keyed by its namespace, so an entry's events share one namespace.
    const uid = obj.metadata.uid ?? `\0${namespace}`;
    const entry = this.entryFor(uid, namespace);
    if (!this.eventsApi && !takeToken(entry, now)) {
      // Dropped before it reaches the API; the trace still tells the page what the component did.
      this.trace(obj, type, reason, message, undefined);
      return;
    }
    const combined = !this.eventsApi && isCombined(entry, type, reason, message, now);
    if (combined) message = intern(COMBINED_PREFIX + message);
    const prev = combined
      ? findCombined(entry, type, reason)
      : findSeen(entry, type, reason, message, fieldPath);
    this.trace(obj, type, reason, message, prev ? prev.count + 1 : 1);
    const timestamp = rfc3339(now);
    if (prev) {
      prev.count++;
      prev.lastMs = now;
      this.send({
        verb: 'patch',
        resource: 'events',
        namespace: entry.namespace,
        name: prev.name,
        patch: { count: prev.count, lastTimestamp: timestamp, message },
      });
      return;
    }
    const name = [obj.metadata.name, '.', this.uniqueNanos().toString(16)].join('');
    const last = entry.reference;
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
      // client-go's combined event is built anew and leaves the reporting fields empty.
      reportingComponent: combined ? '' : this.source.component,
      reportingInstance: combined ? '' : (this.source.host ?? ''),
    };
    entry.reference = involvedObject;
    this.remember(entry, {
      type,
      reason,
      message: combined ? reason : message,
      fieldPath,
      name,
      combined,
      count: 1,
      lastMs: now,
      next: undefined,
    });
    this.send({ verb: 'create', resource: 'events', namespace, body: event });
  }

  /**
   * client-go's core/v1 broadcaster writes one event at a time, in order (so counts never go back),
   * and drops new events while 1000 wait. Fire-and-forget: a failed write is not retried here.
   */
  private send(req: ApiRequest): void {
    if (this.eventsApi) return this.client.request(req, () => {});
    if (this.queue.length >= MAX_QUEUED_EVENTS) return;
    this.queue.push(req);
    if (!this.sending) this.sendNext();
  }

  private sendNext(): void {
    const req = this.queue.shift();
    this.sending = req !== undefined;
    if (req) this.client.request(req, () => this.sendNext());
  }

  /** Traces what the component reported; `count` is undefined when the spam filter dropped it. */
  private trace(
    obj: KubeObject,
    type: EventObject['type'],
    reason: string,
    message: string,
    count: number | undefined,
  ): void {
    if (!this.sim.trace.enabled) return;
    this.sim.trace.emit({
      type: 'k8s.event',
      atMs: this.sim.nowMs,
      eventType: type,
      reason,
      object: `${obj.kind.toLowerCase()}/${obj.metadata.name}`,
      ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      message,
      component: this.source.host ? `${this.source.component}, ${this.source.host}` : this.source.component,
      count: count ?? 0,
      ...(count === undefined ? { dropped: true as const } : {}),
    });
  }

  /** The object's entry, made most recently used; a new one starts with a full token bucket. */
  private entryFor(uid: string, namespace: string): SeenForObject {
    let entry = this.seen.get(uid);
    if (entry) this.seen.delete(uid);
    else {
      entry = {
        first: undefined,
        last: undefined,
        size: 0,
        namespace,
        index: undefined,
        spamTatMs: 0,
        similar: undefined,
        reference: undefined,
      };
    }
    this.seen.set(uid, entry);
    return entry;
  }

  /**
   * client-go's caches are LRUs of 4096 entries: memory stays bounded however many pods. Here the
   * least recently used objects go first; one object filling the cache alone forgets its oldest.
   */
  private remember(entry: SeenForObject, seen: Seen): void {
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
    for (const [oldUid, old] of this.seen) {
      if (this.seenCount <= EVENT_CACHE_SIZE) break;
      if (old === entry) {
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

  /** Event names end in the wall-clock nanoseconds in hex; two in one instant get consecutive values. */
  private uniqueNanos(): bigint {
    const nanos = BigInt(Math.floor((EPOCH_UNIX_MS + this.sim.nowMs) * 1000)) * 1000n;
    this.lastNanos = nanos > this.lastNanos ? nanos : this.lastNanos + 1n;
    return this.lastNanos;
  }
}

/**
 * The spam filter (EventSourceObjectSpamFilter): a token bucket of 25, refilled one per 5 minutes,
 * kept as the generic cell rate algorithm does (one integer: when the bucket would be full again
 * after the events let through), which allows and refuses exactly as the bucket does.
 */
function takeToken(entry: SeenForObject, now: number): boolean {
  const tat = Math.max(entry.spamTatMs, now);
  if (tat - now > (EVENT_SPAM_BURST - 1) * EVENT_SPAM_REFILL_MS) return false;
  entry.spamTatMs = tat + EVENT_SPAM_REFILL_MS;
  return true;
}

/**
 * The aggregator (EventAggregator): counts the distinct messages of one reason about the object
 * within 10 minutes of the last; at the 10th the event is combined, and one message is forgotten
 * so the set stays below the threshold (Go pops an arbitrary one; here the oldest). A reason with a
 * single message so far needs no record: it is made from the events sent once a second one comes.
 */
function isCombined(
  entry: SeenForObject,
  type: EventObject['type'],
  reason: string,
  message: string,
  now: number,
): boolean {
  let record = entry.similar?.find((r) => r.type === type && r.reason === reason);
  if (!record) {
    let lastMs = Number.NEGATIVE_INFINITY;
    let others: string[] | undefined;
    for (let e = entry.first; e; e = e.next) {
      if (e.combined || e.type !== type || e.reason !== reason) continue;
      lastMs = Math.max(lastMs, e.lastMs);
      if (e.message !== message && !others?.includes(e.message)) (others ??= []).push(e.message);
    }
    if (!others || now - lastMs > EVENT_AGGREGATE_WINDOW_MS) return false;
    record = { type, reason, messages: others, lastMs };
    (entry.similar ??= []).push(record);
  }
  if (now - record.lastMs > EVENT_AGGREGATE_WINDOW_MS) record.messages = [];
  record.lastMs = now;
  if (!record.messages.includes(message)) record.messages.push(message);
  if (record.messages.length < EVENT_AGGREGATE_MAX_EVENTS) return false;
  record.messages.shift();
  return true;
}

function findCombined(entry: SeenForObject, type: EventObject['type'], reason: string): Seen | undefined {
  for (let e = entry.first; e; e = e.next) if (e.combined && e.type === type && e.reason === reason) return e;
  return undefined;
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
    !e.combined &&
    e.type === type &&
    e.reason === reason &&
    e.message === message &&
    e.fieldPath === fieldPath;
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
