/**
 * The boxed tables `etcdctl -w table` prints (github.com/olekukonko/tablewriter as etcdctl
 * configures it): upper-case headers centred, cells right-aligned, one space of padding, `+-|`
 * borders.
 */
export function asciiTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const border = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+\n`;
  const line = (cells: readonly string[], align: (s: string, w: number) => string): string =>
    `|${cells.map((c, i) => ` ${align(c, widths[i] ?? 0)} `).join('|')}|\n`;
  let out =
    border +
    line(
      header.map((h) => h.toUpperCase()),
      centre,
    ) +
    border;
  for (const r of rows) out += line(r, (s, w) => s.padStart(w));
  return out + border;
}

/** tablewriter's Pad: the smaller half of the gap goes left. */
function centre(s: string, width: number): string {
  const gap = width - s.length;
  if (gap <= 0) return s;
  const left = Math.floor(gap / 2);
  return ' '.repeat(left) + s + ' '.repeat(gap - left);
}

/** go-humanize's Bytes: SI units, one decimal below 10 ("2.1 MB", "25 kB", "8 B"). */
export function humanizeBytes(n: number): string {
  if (n < 10) return `${n} B`;
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  const e = Math.floor(Math.log(n) / Math.log(1000));
  const value = Math.floor((n / 1000 ** e) * 10 + 0.5) / 10;
  return value < 10 ? `${value.toFixed(1)} ${units[e]}` : `${roundHalfEven(value)} ${units[e]}`;
}

/** Go's %.0f: halves round to even (20.5 → 20), where toFixed would round up. */
function roundHalfEven(v: number): number {
  const floor = Math.floor(v);
  const diff = v - floor;
  if (Math.abs(diff - 0.5) > 1e-9) return Math.round(v);
  return floor % 2 === 0 ? floor : floor + 1;
}
