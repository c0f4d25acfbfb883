/** Simulated milliseconds since the cluster was created. Never wall-clock time. */
export type SimTimeMs = number;

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;

/**
 * The wall-clock instant the simulated cluster is created at, used only to print timestamps
 * (creationTimestamp, describe's dates). A fixed epoch keeps transcripts identical across runs.
 */
export const EPOCH_UNIX_MS = Date.UTC(2026, 10, 25, 9, 0, 0);

/** RFC 3339 in whole seconds, as Kubernetes serializes metav1.Time. */
export function rfc3339(atMs: SimTimeMs): string {
  const second = Math.floor(atMs / 1000);
  let text = recentStamps.get(second);
  if (text === undefined) {
    // Joined, not concatenated, so the string is flat; cached, so the thousands of objects written
    // in the same second share one string.
    text = [new Date(EPOCH_UNIX_MS + second * 1000).toISOString().slice(0, 19), 'Z'].join('');
    if (recentStamps.size >= MAX_CACHED_STAMPS) recentStamps.delete(recentStamps.keys().next().value!);
    recentStamps.set(second, text);
  }
  return text;
}

const MAX_CACHED_STAMPS = 512;
const recentStamps = new Map<number, string>();

/** The simulated instant an RFC 3339 timestamp of this cluster stands for (NaN if unparsable). */
export function parseSimTime(text: string): SimTimeMs {
  return Date.parse(text) - EPOCH_UNIX_MS;
}

/** Parses "30s", "5m", "1h30m", "250ms" (Go duration syntax) into milliseconds, or undefined. */
export function parseDurationMs(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  // Go's time.ParseDuration accepts a bare "0" (e.g. `--timeout=0`); any other number needs a unit.
  if (text === '0') return 0;
  if (!/^(\d+(?:\.\d+)?(ms|s|m|h))+$/.test(text)) return undefined;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const m of text.matchAll(re)) total += Number(m[1]) * (unit[m[2]!] ?? 0);
  return total;
}
