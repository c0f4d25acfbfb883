import type { ResourceInfo } from '../../sim/api/resources';
import type { EventObject, KubeObject } from '../../sim/api/types';
import type { ApiWatchEvent } from '../../sim/apiserver/request';
import { suspend, type Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import {
  ALL_NAMESPACES_FLAG,
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  CHUNK_SIZE_FLAG,
  errorExit,
  OUTPUT_FLAG,
  outputFormatError,
  PRINT_FLAGS_FORMATS,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
} from '../cli/common';
import { discover } from '../cli/discovery';
import { enhanceListError, failureMessage } from '../cli/errors';
import { exitOnInterrupt } from '../cli/interrupt';
import { call, type Invocation } from '../cli/invocation';
import { flagBool, flagList, flagString } from '../flags';
import { goSort } from '../print/goSort';
import { toGoJson } from '../print/json';
import { escapeTerminal } from '../print/table';
import { GET_TABWRITER, TabWriter } from '../print/tabwriter';
import { isTemplateOutput, type ObjectPrinter, templatePrinter } from '../print/templatePrinters';
import { ageSince } from '../print/time';
import { METADATA_FIELD_ORDER } from '../print/typedJson';
import { toYaml } from '../print/yaml';

/**
 * `kubectl events` (pkg/cmd/events): the namespace's (or every namespace's, with -A) Events,
 * filtered by `--types` and `--for TYPE/NAME` (a field selector on the involved object's kind,
 * apiVersion and name), sorted by their last time (sort.Sort, so ties fall where Go's pdqsort
 * puts them) and printed by the EventPrinter (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE) or by
 * PrintFlags' printers for `-o`. With `-w` the events are watched and printed as they come,
 * unsorted, until Ctrl-C: a watch with no resourceVersion, which a real API server opens with the
 * existing events as ADDED; the simulated one watches from "now", so they are listed first.
 */

type Obj = Record<string, unknown>;

/** EventPrinter: the header once, then one row per event (the NAMESPACE column with -A). */
class EventTablePrinter {
  private headersPrinted = false;

  constructor(
    private readonly noHeaders: boolean,
    private readonly allNamespaces: boolean,
  ) {}

  /** Ages are measured at `nowMs`, when printed (a watch prints each event as it comes). */
  print(events: readonly EventObject[], w: TabWriter, nowMs: number): void {
    if (!this.noHeaders && !this.headersPrinted) {
      w.write(`${this.allNamespaces ? 'NAMESPACE\t' : ''}LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n`);
      this.headersPrinted = true;
    }
    for (const e of events) {
      const io = e.involvedObject ?? {};
      w.write(
        `${this.allNamespaces ? `${e.metadata.namespace ?? ''}\t` : ''}${interval(e, nowMs)}\t` +
          `${escapeTerminal(e.type ?? '')}\t${escapeTerminal(e.reason ?? '')}\t` +
          `${escapeTerminal(io.kind ?? '')}/${escapeTerminal(io.name ?? '')}\t` +
          `${escapeTerminal((e.message ?? '').trim())}\n`,
      );
    }
  }
}

interface SeriesView {
  readonly count?: number;
  readonly lastObservedTime?: string;
}

const seriesOf = (e: EventObject): SeriesView | undefined =>
  (e as unknown as { series?: SeriesView }).series ?? undefined;

/** getInterval: `LAST (xN over FIRST)` for repeated events, else the first time's age. */
export function interval(e: EventObject, nowMs: number): string {
  const eventTime = (e as unknown as { eventTime?: string | null }).eventTime;
  const first = eventTime ? ageSince(eventTime, nowMs) : ageSince(e.firstTimestamp || undefined, nowMs);
  const series = seriesOf(e);
  if (series) return `${ageSince(series.lastObservedTime, nowMs)} (x${series.count ?? 0} over ${first})`;
  if ((e.count ?? 0) > 1)
    return `${ageSince(e.lastTimestamp || undefined, nowMs)} (x${e.count} over ${first})`;
  return first;
}

/** Go's zero time, which an unset timestamp sorts as. */
const ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

function timeMs(text: string | null | undefined): number {
  if (!text) return ZERO_TIME_MS;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? ZERO_TIME_MS : ms;
}

/** eventTime(): what kubectl events sorts by (the series' last time, the last timestamp, the event time). */
export function sortTime(e: EventObject): number {
  const series = seriesOf(e);
  if (series) return timeMs(series.lastObservedTime);
  if (e.lastTimestamp) return timeMs(e.lastTimestamp);
  return timeMs((e as unknown as { eventTime?: string | null }).eventTime);
}

/** SortableEvents with sort.Sort. */
export function sortEvents<T extends EventObject>(events: T[]): T[] {
  return goSort(events, (a, b) => sortTime(a) < sortTime(b));
}

// ---- typed JSON (json.MarshalIndent of corev1.Event keeps the struct's field order) ----

const EVENT_FIELDS = [
  'kind',
  'apiVersion',
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
  'series',
  'action',
  'related',
  'reportingComponent',
  'reportingInstance',
];
const REFERENCE_FIELDS = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

function ordered(obj: Obj, keys: readonly string[]): Obj {
  const out: Obj = {};
  for (const k of keys) if (k in obj && obj[k] !== undefined) out[k] = obj[k];
  for (const [k, v] of Object.entries(obj)) if (!(k in out) && v !== undefined) out[k] = v;
  return out;
}

const sortedMap = (m: unknown): unknown =>
  m && typeof m === 'object'
    ? Object.fromEntries(Object.entries(m as Obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : m;

function typedEvent(e: Obj): Obj {
  const meta = { ...((e.metadata as Obj | undefined) ?? {}) };
  if (!('creationTimestamp' in meta)) meta.creationTimestamp = null;
  for (const k of ['labels', 'annotations']) if (k in meta) meta[k] = sortedMap(meta[k]);
  const out = ordered({ ...e, metadata: ordered(meta, METADATA_FIELD_ORDER) }, EVENT_FIELDS);
  if (out.involvedObject && typeof out.involvedObject === 'object')
    out.involvedObject = ordered(out.involvedObject as Obj, REFERENCE_FIELDS);
  if (out.source && typeof out.source === 'object')
    out.source = ordered(out.source as Obj, ['component', 'host']);
  for (const k of ['reason', 'message']) if (!(k in out)) out[k] = undefined;
  return out;
}

/** The Event as a typed client decodes it: kind and apiVersion set (Run sets them when empty), no managedFields. */
function asTyped(e: KubeObject, showManagedFields: boolean): Obj {
  const o: Obj = { ...(e as unknown as Obj), kind: 'Event', apiVersion: 'v1' };
  if (!showManagedFields && (o.metadata as Obj | undefined)?.managedFields !== undefined) {
    const { managedFields: _drop, ...meta } = o.metadata as Obj;
    o.metadata = meta;
  }
  return o;
}

/** What prints events: the EventPrinter, or PrintFlags' printer for -o. */
interface Printer {
  /** A list (the first listing) or one event (watch); returns an error text. */
  print(events: readonly EventObject[], list: boolean, w: TabWriter): string | undefined;
}

function makePrinter(
  inv: Invocation,
  output: string,
  allNamespaces: boolean,
): { ok: true; printer: Printer } | { ok: false; error: string } {
  const showManagedFields = flagBool(inv.flags, 'show-managed-fields');
  const nowMs = () => inv.ctx.cluster.sim.nowMs;
  if (output === '') {
    const table = new EventTablePrinter(flagBool(inv.flags, 'no-headers'), allNamespaces);
    return {
      ok: true,
      printer: {
        print(events, _list, w) {
          table.print(events, w, nowMs());
          return undefined;
        },
      },
    };
  }
  const listOf = (events: readonly EventObject[]): Obj => ({
    kind: 'EventList',
    apiVersion: 'v1',
    metadata: {},
    items: events.map((e) => asTyped(e, showManagedFields)),
  });
  const value = (events: readonly EventObject[], list: boolean): Obj =>
    list ? listOf(events) : asTyped(events[0]!, showManagedFields);
  const template = flagString(inv.flags, 'template') ?? '';
  if (isTemplateOutput(output)) {
    const made = templatePrinter({
      output,
      template,
      allowMissingKeys: flagBool(inv.flags, 'allow-missing-template-keys'),
      noHeaders: flagBool(inv.flags, 'no-headers'),
      typed: true,
      readFile: (path) => {
        const r = inv.ctx.session.files.readFile(path);
        return r.ok ? r.value : undefined;
      },
    });
    if (!made.ok) return made;
    const p: ObjectPrinter = made.printer;
    return {
      ok: true,
      printer: {
        print(events, list, w) {
          const printed = p.print(value(events, list) as never);
          w.write(printed.out);
          return printed.error;
        },
      },
    };
  }
  const formatError = outputFormatError(output, PRINT_FLAGS_FORMATS, template);
  if (formatError) return { ok: false, error: formatError };
  let count = 0;
  return {
    ok: true,
    printer: {
      print(events, list, w) {
        if (output === 'name') {
          // The name printer refuses typed lists ("list types are not supported by name
          // printing"), an error Run drops: the listing prints nothing, a watch each name.
          if (list) return 'list types are not supported by name printing: *v1.EventList';
          for (const e of events) w.write(`event/${e.metadata.name}\n`);
          return undefined;
        }
        const v = value(events, list);
        if (output === 'yaml') {
          if (count++ > 0) w.write('---\n');
          w.write(toYaml(v));
          return undefined;
        }
        const typed = list ? { ...v, items: (v.items as Obj[]).map(typedEvent) } : typedEvent(v as Obj);
        w.write(`${toGoJson(typed, '    ', false)}\n`);
        return undefined;
      },
    },
  };
}

/** decodeResourceTypeName: `TYPE/NAME` mapped through discovery; undefined without a slash. */
function* decodeFor(
  inv: Invocation,
  value: string,
): Task<{ ok: true; info: ResourceInfo; name: string } | { ok: false; code: number }> {
  if (!value.includes('/')) return { ok: false, code: errorExit(inv, '--for must be in resource/name form') };
  const seg = value.split('/');
  if (seg.length !== 2)
    return {
      ok: false,
      code: errorExit(inv, 'arguments in resource/name form may not have more than one slash'),
    };
  const [type = '', name = ''] = seg;
  const discovery = yield* discover(inv, 1);
  if (!discovery.ok) {
    inv.err(failureMessage(discovery.failure));
    return { ok: false, code: 1 };
  }
  const info = resourceFor(discovery.resources, type.toLowerCase());
  if (!info) {
    // checkErr prints a NoResourceMatchError without the `error: ` prefix.
    inv.err(`the server doesn't have a resource type ${JSON.stringify(type.toLowerCase().split('.')[0])}\n`);
    return { ok: false, code: 1 };
  }
  return { ok: true, info, name };
}

/** RESTMapper.ResourceFor of a lower-cased `resource[.version.group]` or `resource[.group]`. */
function resourceFor(resources: readonly ResourceInfo[], typed: string): ResourceInfo | undefined {
  const matches = (r: ResourceInfo, n: string): boolean =>
    r.resource === n || r.singular === n || r.shortNames.includes(n);
  const dots = typed.split('.');
  if (dots.length >= 3) {
    const [n = '', version = '', ...group] = dots;
    const found = resources.find(
      (r) => matches(r, n) && r.version === version && r.group === group.join('.'),
    );
    if (found) return found;
  }
  const dot = typed.indexOf('.');
  const n = dot >= 0 ? typed.slice(0, dot) : typed;
  const group = dot >= 0 ? typed.slice(dot + 1) : undefined;
  return resources.find((r) => matches(r, n) && (group === undefined || r.group === group));
}

function* run(inv: Invocation): Task<number> {
  const allNamespaces = flagBool(inv.flags, 'all-namespaces');
  const namespace = inv.namespace;
  let fieldSelector: string | undefined;
  const forObject = flagString(inv.flags, 'for') ?? '';
  if (forObject !== '') {
    const decoded = yield* decodeFor(inv, forObject);
    if (!decoded.ok) return decoded.code;
    const { info, name } = decoded;
    const apiVersion = info.group === '' ? info.version : `${info.group}/${info.version}`;
    fieldSelector = `involvedObject.apiVersion=${apiVersion},involvedObject.kind=${info.kind},involvedObject.name=${name}`;
  }
  const types = [...new Set(flagList(inv.flags, 'types'))].sort();
  const output = flagString(inv.flags, 'output') ?? '';
  const made = makePrinter(inv, output, allNamespaces);
  if (!made.ok) return errorExit(inv, made.error.replace(/\n$/, ''));
  for (const t of types) {
    if (t.toLowerCase() !== 'normal' && t.toLowerCase() !== 'warning')
      return errorExit(inv, 'valid --types are Normal or Warning');
  }
  const wanted = (e: EventObject): boolean =>
    types.length === 0 || types.some((t) => t.toLowerCase() === (e.type ?? '').toLowerCase());

  const listed = yield* call<{ items: EventObject[]; metadata?: { resourceVersion?: string } }>(inv, {
    verb: 'list',
    resource: 'events',
    ...(allNamespaces ? {} : { namespace }),
    ...(fieldSelector ? { fieldSelector } : {}),
  });
  if (!listed.ok) {
    inv.err(failureMessage(enhanceListError(listed.failure, 'events', '', fieldSelector ?? '')));
    return 1;
  }
  const w = new TabWriter(GET_TABWRITER);
  let flushed = 0;
  const flush = (): void => {
    w.flush();
    inv.out(w.output.slice(flushed));
    flushed = w.output.length;
  };
  if (flagBool(inv.flags, 'watch'))
    return yield* exitOnInterrupt(
      watchEvents(inv, made.printer, w, flush, {
        initial: listed.body.items.filter(wanted),
        resourceVersion: Number(listed.body.metadata?.resourceVersion ?? 0),
        wanted,
        ...(allNamespaces ? {} : { namespace }),
        ...(fieldSelector ? { fieldSelector } : {}),
      }),
    );

  const events = sortEvents(listed.body.items.filter(wanted));
  if (events.length === 0) {
    inv.err(allNamespaces ? 'No events found.\n' : `No events found in ${namespace} namespace.\n`);
    return 0;
  }
  // Run ignores what PrintObj returns: a failing template prints what it had, and exits 0.
  made.printer.print(events, true, w);
  flush();
  return 0;
}

interface WatchStart {
  readonly initial: readonly EventObject[];
  readonly resourceVersion: number;
  readonly wanted: (e: EventObject) => boolean;
  readonly namespace?: string;
  readonly fieldSelector?: string;
}

/** runWatch: every event not deleted, as it comes, each flushed on its own; ends only with Ctrl-C or the stream. */
function* watchEvents(
  inv: Invocation,
  printer: Printer,
  w: TabWriter,
  flush: () => void,
  start: WatchStart,
): Task<number> {
  const abort = { aborted: false };
  const queue: ApiWatchEvent[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  inv.ctx.client.request(
    {
      verb: 'watch',
      resource: 'events',
      ...(start.namespace ? { namespace: start.namespace } : {}),
      ...(start.fieldSelector ? { fieldSelector: start.fieldSelector } : {}),
      abort,
      onWatchEvent: (e) => {
        if (abort.aborted) return;
        queue.push(e);
        wake?.();
      },
    },
    () => {
      ended = true;
      wake?.();
    },
  );
  try {
    // The watch's initial ADDED events: each printed (and flushed) on its own, unsorted.
    for (const e of start.initial) {
      printer.print([e], false, w);
      flush();
    }
    for (;;) {
      const e = queue.shift();
      if (e) {
        if (Number(e.object.metadata.resourceVersion ?? 0) <= start.resourceVersion) continue;
        if (e.type === 'DELETED') continue;
        const event = e.object as EventObject;
        if (!start.wanted(event)) continue;
        printer.print([event], false, w);
        flush();
        continue;
      }
      if (ended) return 0;
      yield* suspend<void>((resume) => {
        wake = resume;
        return () => {
          wake = undefined;
        };
      });
      wake = undefined;
    }
  } finally {
    abort.aborted = true;
    wake = undefined;
  }
}

export const eventsCommand: CommandSpec = {
  name: 'events',
  short: 'List events',
  flags: [
    ALL_NAMESPACES_FLAG,
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    CHUNK_SIZE_FLAG,
    {
      name: 'for',
      type: 'string',
      defaultValue: '',
      usage: 'Filter events to only those pertaining to the specified resource.',
    },
    {
      name: 'no-headers',
      type: 'bool',
      defaultValue: 'false',
      usage: "When using the default output format, don't print headers.",
    },
    OUTPUT_FLAG,
    SHOW_MANAGED_FIELDS_FLAG,
    TEMPLATE_FLAG,
    { name: 'types', type: 'stringSlice', usage: 'Output only events of given types.' },
    {
      name: 'watch',
      short: 'w',
      type: 'bool',
      defaultValue: 'false',
      usage: 'After listing the requested events, watch for more events.',
    },
  ],
  help: {
    long:
      'Display events.\n\n' +
      ' Prints a table of the most important information about events. You can request events for a namespace, for all namespace, or filtered to only those pertaining to a specified resource.',
    examples: [
      '  # List recent events in the default namespace',
      '  kubectl events',
      '  ',
      '  # List recent events in all namespaces',
      '  kubectl events --all-namespaces',
      '  ',
      '  # List recent events for the specified pod, then wait for more events and list them as they arrive',
      '  kubectl events --for pod/web-pod-13je7 --watch',
      '  ',
      '  # List recent events in YAML format',
      '  kubectl events -oyaml',
      '  ',
      "  # List recent only events of type 'Warning' or 'Normal'",
      '  kubectl events --types=Warning,Normal',
    ].join('\n'),
    usage:
      'kubectl events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning] [options]',
  },
  run,
};
