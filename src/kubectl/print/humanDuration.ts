/**
 * Age strings as kubectl prints them (AGE, LAST SEEN, "5 (112s ago)").
 *
 * A port of apimachinery `pkg/util/duration` (release-1.32). Inputs are milliseconds
 * because the simulator clock counts milliseconds; Go works on int64 nanoseconds, and
 * every branch below truncates toward zero exactly as Go's integer division does.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's int(x) conversion: drop the fraction, keep the sign. */
const trunc = (x: number): number => Math.trunc(x);

/**
 * Decimal text of an integral number without exponent notation. `String(1e21)` would
 * print "1e+21", which Go never does for an int, so very large values go through BigInt.
 */
function intText(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
}

/**
 * Renders a duration with ~2-3 significant figures, e.g. `70s`, `3m10s`, `179m`,
 * `7h59m`, `47h`, `2d1h`, `729d`, `2y1d`, `8y`.
 *
 * Durations a little in the past (down to -1.999s) print `0s`, to tolerate clock skew;
 * anything further in the future prints `<invalid>`. NaN and ±Infinity cannot occur
 * in Go (durations are integers), so they also print `<invalid>` instead of throwing.
 */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '<invalid>';
  const seconds = trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  // Seconds are shown up to two minutes so that a fresh pod reads "70s", not "1m10s".
  if (seconds < 120) return `${intText(seconds)}s`;

  const minutes = trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;

  const hours = trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    const days = trunc(hours / 24);
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = trunc(hours / 24);
    const years = trunc(days / 365);
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${intText(trunc(trunc(hours / 24) / 365))}y`;
}

/**
 * Single-unit variant (`59s`, `1m`, `23h`, `364d`, `1y`). kubectl `get` does not use it
 * for AGE; a few other printers (and older tools) do.
 */
export function shortHumanDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '<invalid>';
  const seconds = trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = trunc(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = trunc(ms / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${trunc(hours / 24)}d`;
  // Go computes the year count from the floating-point hour count, not from whole days.
  return `${intText(trunc(ms / HOUR / 24 / 365))}y`;
}

/**
 * The AGE cell for an object: `<unknown>` when it has no timestamp (Go's zero time),
 * otherwise `humanDuration(now - timestamp)`. Kubernetes timestamps carry whole seconds
 * only, so callers should pass the creation time already truncated to the second.
 */
export function translateTimestampSince(nowMs: number, timestampMs: number | null | undefined): string {
  if (timestampMs === null || timestampMs === undefined) return '<unknown>';
  return humanDuration(nowMs - timestampMs);
}
