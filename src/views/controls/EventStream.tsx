import { useEffect, useRef } from 'react';
import { rfc3339 } from '../../sim/kernel/time';
import { useLabStore } from '../../store/labStore';

/**
 * The Kubernetes Events components record, as they happen (like `kubectl get events -w`), with
 * the component that acted. Text only, rendered by React (never as HTML).
 */
export function EventStream() {
  const events = useLabStore((s) => s.events);
  const end = useRef<HTMLTableRowElement>(null);
  const count = events.length;
  useEffect(() => {
    // Follow the stream as it grows, as `-w` does.
    if (count > 0) end.current?.scrollIntoView({ block: 'nearest' });
  }, [count]);
  if (events.length === 0) {
    return (
      <p className="events-empty">
        No events yet. Create a Deployment or kill a node, and what each component does appears here.
      </p>
    );
  }
  return (
    <div className="events" data-testid="event-stream">
      <table>
        <thead>
          <tr>
            <th>TIME</th>
            <th>TYPE</th>
            <th>REASON</th>
            <th>OBJECT</th>
            <th>SOURCE</th>
            <th>MESSAGE</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e, i) => (
            <tr
              // Events have no identity of their own here; position in the stream is stable.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              key={i}
              className={e.type === 'Warning' ? 'warning' : undefined}
              ref={i === events.length - 1 ? end : undefined}
            >
              <td>{rfc3339(e.atMs).slice(11, 19)}</td>
              <td>{e.type === 'Warning' ? '⚠ Warning' : 'Normal'}</td>
              <td>{e.reason}</td>
              <td>{e.object}</td>
              <td>{e.source}</td>
              <td>
                {e.message}
                {e.count > 1 ? ` (x${e.count})` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
