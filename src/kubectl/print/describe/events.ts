import type { EventView } from '../../../sim/api/table';
import { ageSince } from '../time';
import type { PrefixWriter } from './prefixWriter';

/**
 * describe.go's DescribeEvents: `Events: <none>`, or a table of the object's events (aligned on
 * its own: the writer is flushed first) sorted by last timestamp, with repeats shown as
 * `10s (x25 over 6m30s)`.
 */
export function describeEvents(w: PrefixWriter, events: readonly EventView[], nowMs: number): void {
  if (events.length === 0) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  const time = (t: string | null | undefined): number => (t ? Date.parse(t) : Number.NEGATIVE_INFINITY);
  // SortableEvents: by lastTimestamp (Go's sort is stable for short lists; this one always is).
  const sorted = [...events].sort((a, b) => time(a.lastTimestamp) - time(b.lastTimestamp));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = e.eventTime ? ageSince(e.eventTime, nowMs) : ageSince(e.firstTimestamp ?? undefined, nowMs);
    let interval = first;
    if (e.series)
      interval = `${ageSince(e.series.lastObservedTime, nowMs)} (x${e.series.count ?? 0} over ${first})`;
    else if ((e.count ?? 0) > 1)
      interval = `${ageSince(e.lastTimestamp ?? undefined, nowMs)} (x${e.count} over ${first})`;
    const source = e.source?.component || e.reportingComponent || '';
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${(e.message ?? '').trim()}\n`);
  }
}

/** The events describe shows for an object, or undefined for no Events section (--show-events=false). */
export type EventsSection = { readonly events: readonly EventView[]; readonly nowMs: number } | undefined;

export function writeEvents(w: PrefixWriter, section: EventsSection): void {
  if (section) describeEvents(w, section.events, section.nowMs);
}
