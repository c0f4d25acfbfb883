import type { ResourceInfo } from '../../sim/api/resources';
import { toTable } from '../../sim/api/table';
import type { KubeObject } from '../../sim/api/types';
import type { ApiWatchEvent } from '../../sim/apiserver/request';
import { suspend, type Task } from '../../sim/kernel/task';
import { parseDurationMs } from '../../sim/kernel/time';
import { errorExit } from '../cli/common';
import { groupKind, kindPrefix } from '../cli/discovery';
import type { Invocation } from '../cli/invocation';
import { flagBool, flagList, flagString } from '../flags';
import { goJsonNumber, goJsonString, printJson } from '../print/json';
import { type Table, type TableColumnDefinition, TablePrinter } from '../print/table';
import { GET_TABWRITER, TabWriter } from '../print/tabwriter';
import type { ObjectPrinter } from '../print/templatePrinters';
import { toYaml } from '../print/yaml';

/**
 * `kubectl get -w|--watch|--watch-only [--output-watch-events]`: get.go's watch(). The object or
 * list is fetched and printed (not with --watch-only), then a watch from the list's
 * resourceVersion prints every change as it comes: the row again (a DELETED object too), with an
 * EVENT column first under --output-watch-events. One tabwriter serves the whole watch, flushed
 * after each event, with kubectl's RememberWidths: a column widens for a longer cell and never
 * narrows, so later rows may stand out of line with the header, as in a real terminal.
 *
 * It runs until Ctrl-C (the task's cancellation aborts the stream), until the stream ends (the API
 * server went away: kubectl then exits 0 without a word, as UntilWithoutRetry's error is dropped),
 * or until --request-timeout, which bounds the watch request itself (exit 0 as well).
 *
 * The simulated API server sends watch events as objects; the one-row Tables a real server sends
 * for `as=Table` are made here with the server's own printer (`toTable`), at the event's instant.
 */

/** One kind's fetch result, as get.ts made it. */
export interface WatchStart {
  readonly info: ResourceInfo;
  readonly name?: string;
  /** What was fetched: one Table per object or list (human-readable output) or the objects. */
  readonly tables: readonly Table[];
  readonly objects: readonly KubeObject[];
  /** The list's (or object's) resourceVersion: the watch starts after it. */
  readonly resourceVersion: number;
  /**
   * Several objects were named (`get pods a b -w`): kubectl prints them, then its Builder refuses
   * to watch more than one source.
   */
  readonly several: boolean;
}

export interface WatchOptions {
  readonly output: string;
  readonly humanReadable: boolean;
  readonly allNamespaces: boolean;
  /** The template printer for jsonpath, go-template and custom-columns outputs. */
  readonly printer?: ObjectPrinter;
}

const EVENT_COLUMN: TableColumnDefinition = { name: 'Event', type: 'string', format: '', priority: 0 };
const NAMESPACE_COLUMN: TableColumnDefinition = {
  name: 'Namespace',
  type: 'string',
  format: '',
  priority: 0,
};

/** kubectl's --request-timeout: a bare number of seconds or a duration; 0 means none. */
export function requestTimeoutMs(inv: Invocation): number | 'invalid' {
  const text = flagString(inv.flags, 'request-timeout') ?? '0';
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  return parseDurationMs(text) ?? 'invalid';
}

export function* watchAndPrint(inv: Invocation, start: WatchStart, opts: WatchOptions): Task<number> {
  const sim = inv.ctx.cluster.sim;
  const timeout = requestTimeoutMs(inv);
  if (timeout === 'invalid')
    return errorExit(
      inv,
      'Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)',
    );
  const watchOnly = flagBool(inv.flags, 'watch-only');
  const withEvents = flagBool(inv.flags, 'output-watch-events');
  const { info } = start;
  const withNamespace = opts.allNamespaces && info.namespaced;

  // ---- the printer: one per watch, as ToPrinter makes it ----
  const w = new TabWriter(GET_TABWRITER);
  let flushed = 0;
  const tables = new TablePrinter({
    wide: opts.output === 'wide',
    noHeaders: flagBool(inv.flags, 'no-headers'),
    showLabels: flagBool(inv.flags, 'show-labels'),
    columnLabels: flagList(inv.flags, 'label-columns'),
    ...(flagBool(inv.flags, 'show-kind') ? { kind: groupKind(info) } : {}),
  });
  let yamlCount = 0;
  /** Writes a Table (human-readable output) into the tabwriter. */
  const printTable = (table: Table, event: string | undefined): void => {
    // The EVENT column goes before NAMESPACE: tableprinter adds it after decorating the table.
    const extra = [...(event ? [EVENT_COLUMN] : []), ...(withNamespace ? [NAMESPACE_COLUMN] : [])];
    // formatEventType pads every type to 8 characters, so the column never widens.
    const eventCell = event ? (event.length < 8 ? event.padEnd(8) : event) : undefined;
    const decorated: Table =
      extra.length === 0
        ? table
        : {
            columnDefinitions:
              table.columnDefinitions.length > 0 ? [...extra, ...table.columnDefinitions] : [],
            rows: table.rows.map((row) => ({
              ...row,
              cells: [
                ...(eventCell ? [eventCell] : []),
                ...(withNamespace ? [row.object?.metadata?.namespace ?? ''] : []),
                ...row.cells,
              ],
            })),
          };
    tables.print(decorated, w);
  };
  /** writer.Flush(): after the whole first list, then after each event. */
  const flush = (): void => {
    w.flush();
    const text = w.output;
    inv.out(text.slice(flushed));
    flushed = text.length;
  };
  /** Prints an object (or its watch event); the error text if a template failed. */
  const printObject = (object: KubeObject, event: string | undefined): string | undefined => {
    const o = opts.output;
    if (o === 'name') {
      inv.out(`${kindPrefix(info)}/${object.metadata.name}\n`);
      return undefined;
    }
    if (o === 'yaml') {
      if (yamlCount++ > 0) inv.out('---\n');
      inv.out(toYaml(event ? { object, type: event } : object));
      return undefined;
    }
    if (o === 'json') {
      // A WatchEvent is printed as compact JSON (json.Marshal), an object indented.
      inv.out(
        event ? `{"type":${goJsonString(event)},"object":${compactJson(object)}}\n` : printJson(object),
      );
      return undefined;
    }
    if (opts.printer) {
      const printed = opts.printer.print((event ? { type: event, object } : object) as never);
      inv.out(printed.out);
      return printed.error;
    }
    return undefined;
  };

  // ---- the watch, opened before anything is printed; events up to the list's version are old ----
  const abort = { aborted: false };
  const queue: ApiWatchEvent[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const namespace =
    info.namespaced && !(opts.allNamespaces && start.name === undefined) ? inv.namespace : undefined;
  const labelSelector = start.name === undefined ? flagString(inv.flags, 'selector') || undefined : undefined;
  const fieldSelector =
    start.name !== undefined
      ? `metadata.name=${start.name}`
      : flagString(inv.flags, 'field-selector') || undefined;
  inv.ctx.client.request(
    {
      verb: 'watch',
      resource: info.resource,
      ...(namespace ? { namespace } : {}),
      ...(labelSelector ? { labelSelector } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
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
    if (!watchOnly) {
      const event = withEvents ? 'ADDED' : undefined;
      if (opts.humanReadable) {
        for (const table of start.tables) printTable(table, event);
        flush();
      } else {
        for (const object of start.objects) {
          const error = printObject(object, event);
          if (error !== undefined) {
            inv.err(`error: unable to output the provided object: ${error}\n`);
            return 1;
          }
        }
      }
    }
    if (start.several)
      return errorExit(inv, 'you may only watch a single resource or type of resource at a time');
    const deadline = timeout > 0 ? sim.nowMs + timeout : Number.POSITIVE_INFINITY;
    for (;;) {
      const e = queue.shift();
      if (e) {
        if (rv(e.object) <= start.resourceVersion) continue;
        const event = withEvents ? e.type : undefined;
        if (opts.humanReadable) {
          const table = toTable(
            info.resource,
            [e.object],
            String(rv(e.object)),
            sim.nowMs,
          ) as unknown as Table;
          printTable(table, event);
          flush();
        } else if (printObject(e.object, event) !== undefined) return 0;
        continue;
      }
      if (ended || sim.nowMs >= deadline) return 0;
      yield* suspend<void>((resume) => {
        const timer = Number.isFinite(deadline)
          ? sim.schedule(deadline - sim.nowMs, () => resume())
          : undefined;
        wake = () => {
          timer?.cancel();
          resume();
        };
        return () => {
          wake = undefined;
          timer?.cancel();
        };
      });
      wake = undefined;
    }
  } finally {
    abort.aborted = true;
    wake = undefined;
  }
}

const rv = (o: KubeObject): number => Number(o.metadata.resourceVersion ?? 0);

/** Go's json.Marshal of an unstructured object: compact, map keys sorted. */
function compactJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'number') return goJsonNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(compactJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${goJsonString(k)}:${compactJson(v)}`).join(',')}}`;
}
