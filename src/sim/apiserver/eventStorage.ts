import type { EventObject, KubeObject } from '../api/types';

/**
 * How the API server keeps an Event in etcd: only what varies per event, the rest (reason,
 * message, source, type, reporting fields) shared with every event that says the same thing.
 * Events are most of what a big cluster writes (four or five per pod) and are rarely read; the
 * real kube-apiserver does not even cache them (DefaultWatchCacheSizes: events 0). A reader gets
 * the full object back, built anew, key for key what was written.
 */
export class StoredEvent {
  constructor(
    readonly name: string,
    readonly namespace: string,
    readonly uid: string,
    readonly creationTimestamp: string,
    readonly involvedObject: EventObject['involvedObject'],
    readonly message: string,
    readonly says: EventText,
    readonly firstTimestamp: string,
    readonly lastTimestamp: string,
    readonly count: number,
  ) {}
}

/** What the events of one component and reason share. */
interface EventText {
  readonly reason: string;
  readonly source: EventObject['source'];
  readonly type: EventObject['type'];
  readonly reportingComponent: string;
  readonly reportingInstance: string;
}

/** The keys of an Event as client-go's recorder writes it, in order (and of its metadata once stored). */
const EVENT_KEYS = [
  'apiVersion',
  'kind',
  'metadata',
  'involvedObject',
  'reason',
  'message',
  'source',
  'firstTimestamp',
  'lastTimestamp',
  'count',
  'type',
  'eventTime',
  'reportingComponent',
  'reportingInstance',
];
const META_KEYS = ['name', 'namespace', 'uid', 'creationTimestamp'];

/**
 * The stored form of `obj`: compact for an Event exactly as recorders write them (anything else,
 * e.g. one a user created with more fields, is stored as it is).
 */
export function forStorage(obj: KubeObject): unknown {
  if (obj.kind !== 'Event' || obj.apiVersion !== 'v1' || !sameKeys(obj, EVENT_KEYS)) return obj;
  const e = obj as EventObject;
  const m = e.metadata;
  if (!sameKeys(m, META_KEYS) || e.eventTime !== null || typeof e.count !== 'number') return obj;
  const strings = [m.name, m.namespace, m.uid, m.creationTimestamp, e.reason, e.message, e.firstTimestamp];
  if (!strings.every((s) => typeof s === 'string') || typeof e.lastTimestamp !== 'string') return obj;
  return new StoredEvent(
    m.name,
    m.namespace as string,
    m.uid as string,
    m.creationTimestamp as string,
    e.involvedObject,
    e.message,
    sharedText(e),
    e.firstTimestamp,
    e.lastTimestamp,
    e.count,
  );
}

/** What a stored value decodes to: the object itself, or a stored Event built back in full. */
export function fromStorage(value: unknown): unknown {
  if (!(value instanceof StoredEvent)) return value;
  const t = value.says;
  const event: EventObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: value.name,
      namespace: value.namespace,
      uid: value.uid,
      creationTimestamp: value.creationTimestamp,
    },
    involvedObject: value.involvedObject,
    reason: t.reason,
    message: value.message,
    source: t.source,
    firstTimestamp: value.firstTimestamp,
    lastTimestamp: value.lastTimestamp,
    count: value.count,
    type: t.type,
    eventTime: null,
    reportingComponent: t.reportingComponent,
    reportingInstance: t.reportingInstance,
  };
  return event;
}

function sameKeys(o: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) {
    if (k !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}

/** One EventText per source (each recorder has one object) and reason: a few per component. */
function sharedText(e: EventObject): EventText {
  let bySource = texts.get(e.source);
  if (!bySource) texts.set(e.source, (bySource = new Map()));
  let variants = bySource.get(e.reason);
  if (!variants) bySource.set(e.reason, (variants = []));
  for (const t of variants) {
    if (
      t.type === e.type &&
      t.reportingComponent === e.reportingComponent &&
      t.reportingInstance === e.reportingInstance
    )
      return t;
  }
  const text: EventText = {
    reason: e.reason,
    source: e.source,
    type: e.type,
    reportingComponent: e.reportingComponent,
    reportingInstance: e.reportingInstance,
  };
  variants.push(text);
  return text;
}

/** Keyed by the source object, so a source that goes away takes its texts with it; then by reason. */
const texts = new WeakMap<object, Map<string, EventText[]>>();
