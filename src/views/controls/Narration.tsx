import { rfc3339 } from '../../sim/kernel/time';
import { useLabStore } from '../../store/labStore';

/** The last few things that happened, in plain words; screen readers hear each new line. */
export function Narration() {
  const narration = useLabStore((s) => s.narration);
  const recent = narration.slice(-3);
  return (
    <ol className="narration" aria-live="polite" aria-label="What just happened">
      {recent.length === 0 && (
        <li>Nothing has happened yet. Kill a control-plane node and watch etcd react.</li>
      )}
      {recent.map((h) => (
        <li key={`${h.atMs}-${h.text}`} title={h.text}>
          <time>{rfc3339(h.atMs).slice(11, 19)}</time> {h.text}
        </li>
      ))}
    </ol>
  );
}
