import { humanDuration } from '../../sim/api/duration';
import { EPOCH_UNIX_MS } from '../../sim/kernel/time';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z layout (`Wed, 25 Nov 2026 09:00:00 +0000`), in UTC as the simulation is. */
export function rfc1123z(timestamp: string): string {
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) return timestamp;
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}

/** The zero time as Go formats it (an unset metav1.Time). */
export const ZERO_TIME_RFC1123Z = 'Mon, 01 Jan 0001 00:00:00 +0000';

/**
 * describe's translateTimestampSince: `<unknown>` for no timestamp, else the age at the simulated
 * time `nowMs` (kubectl measures against its own clock; here that is the simulation's).
 */
export function ageSince(timestamp: string | undefined, nowMs: number): string {
  if (!timestamp) return '<unknown>';
  return humanDuration(EPOCH_UNIX_MS + nowMs - Date.parse(timestamp));
}
