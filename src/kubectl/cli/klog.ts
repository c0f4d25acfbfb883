import { EPOCH_UNIX_MS } from '../../sim/kernel/time';

/**
 * kubectl's process id in klog headers. A real one changes every run; a fixed one keeps transcripts
 * identical across replays.
 */
export const KUBECTL_PID = 48213;

/**
 * A klog line as kubectl writes it to stderr: `E1125 09:00:31.004210   48213 file.go:265] msg`
 * (E for errors, W for warnings), stamped with the simulated wall-clock time (UTC; klog uses local
 * time, the simulation has none).
 */
export function klogLine(severity: 'E' | 'W', nowMs: number, location: string, message: string): string {
  const micros = Math.floor((EPOCH_UNIX_MS + nowMs) * 1000);
  const d = new Date(Math.floor(micros / 1000));
  const two = (n: number): string => String(n).padStart(2, '0');
  const stamp =
    `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.` +
    String(micros % 1_000_000).padStart(6, '0');
  return `${severity}${stamp} ${String(KUBECTL_PID).padStart(7, ' ')} ${location}] ${message}\n`;
}

export function klogErrorLine(nowMs: number, location: string, message: string): string {
  return klogLine('E', nowMs, location, message);
}

/** Go's strconv.Quote, which klog uses for structured values (`err="..."`). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
