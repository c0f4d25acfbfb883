/**
 * Table layout as kubectl prints it.
 *
 * kubectl writes every table row as tab-separated cells into a tabwriter
 * (github.com/liggitt/tabwriter, a fork of Go's text/tabwriter) configured with
 * minwidth 6, padding 3, pad char ' ' and the RememberWidths flag. `tabwrite` below
 * reproduces that writer's elastic-tabstop algorithm, so the quirks come for free:
 * columns are at least 6 wide, the last cell of a line is never padded, and an empty
 * last cell leaves the padding of the previous column as trailing spaces
 * (`kubectl config get-contexts` shows it: "*         a      c         u          ").
 *
 * `printTable` then ports the decoration and filtering that kubectl applies to a
 * server-side `meta.k8s.io/v1 Table` (cli-runtime `printers/tableprinter.go`).
 */

/** tabwriter minwidth used by kubectl (`printers.GetNewTabWriter`). */
export const TAB_MIN_WIDTH = 6;
/** tabwriter padding used by kubectl: three spaces after the widest cell. */
export const TAB_PADDING = 3;

// ---------------------------------------------------------------------------
// Text helpers shared with other printers

/** Width as the tabwriter counts it: one per Unicode code point (Go's utf8.RuneCount). */
export function textWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Go's `strings.ToUpper`: simple, per-code-point case mapping. JavaScript's
 * `toUpperCase` uses full mapping (`ß` -> `SS`), which Go does not, so a code point
 * whose upper case is longer than one code point is left alone.
 */
export function goToUpper(s: string): string {
  let out = '';
  for (const ch of s) {
    const up = ch.toUpperCase();
    out += textWidth(up) === 1 ? up : ch;
  }
  return out;
}

/**
 * A column header as kubectl prints it: the server's column name upper-cased
 * ("Nominated Node" -> "NOMINATED NODE", "Port(s)" -> "PORT(S)"). Idempotent, so
 * callers may pass names that are already upper case.
 */
export function columnHeader(name: string): string {
  return goToUpper(name);
}

/** Header of a `-L key` label column: the last `/`-separated segment, upper-cased. */
export function labelColumnHeader(labelKey: string): string {
  const parts = labelKey.split('/');
  return goToUpper(parts[parts.length - 1] ?? '');
}

export type LabelMap = Readonly<Record<string, string>>;

/**
 * apimachinery `labels.FormatLabels`: `k=v` pairs sorted by key and joined with
 * commas, or `<none>` when there are none (the LABELS column of --show-labels).
 */
export function formatLabels(labels: LabelMap | null | undefined): string {
  if (!labels) return '<none>';
  // Go sorts keys by byte order; for the ASCII label keys Kubernetes allows, code-unit
  // order is the same thing.
  const keys = Object.keys(labels).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels[k]}`).join(',');
}

/**
 * The prefix kubectl puts before names when one `get` prints several kinds
 * (`get all`, `get pods,svc`): lower-case `Kind[.group]`, e.g. `pod`, `service`,
 * `deployment.apps`, `replicaset.apps`.
 */
export function kindPrefix(kind: string, group?: string): string {
  const gk = group ? `${kind}.${group}` : kind;
  return gk.toLowerCase();
}

// ---------------------------------------------------------------------------
// tabwriter

interface Cell {
  readonly text: string;
  readonly width: number;
}

export interface TabwriteResult {
  /** The aligned text. A trailing newline in the input stays a trailing newline. */
  readonly text: string;
  /**
   * Column widths remembered by the writer (RememberWidths). Pass them back in to keep
   * later output aligned with earlier output, as `kubectl get --watch` does between
   * flushes; `get` starts from no remembered widths for every new kind.
   */
  readonly widths: readonly number[];
}

/**
 * Aligns tab-separated text exactly like kubectl's tabwriter.
 *
 * Cells end at `\t` or `\v`; lines end at `\n`. Cells terminated by a tab in
 * consecutive lines form a column as wide as its widest cell plus 3 (at least 6); the
 * text after the last tab of a line belongs to no column and is not padded. A `\f`
 * ends the line and flushes: columns do not continue across it. Text after the last
 * newline is written as-is, as the Go writer does on Flush.
 */
export function tabwrite(text: string, rememberedWidths: readonly number[] = []): TabwriteResult {
  const remembered = [...rememberedWidths];
  // A formfeed forces a flush, so each formfeed-terminated section is laid out alone;
  // remembered widths still carry over, as they do across Go flushes.
  const sections = text.split('\f');
  const out = sections.map((section, i) =>
    i < sections.length - 1 ? layoutSection(`${section}\n`, remembered) : layoutSection(section, remembered),
  );
  return { text: out.join(''), widths: remembered };
}

function toCells(parts: readonly string[]): Cell[] {
  return parts.map((t) => ({ text: t, width: textWidth(t) }));
}

function layoutSection(text: string, remembered: number[]): string {
  const rawLines = text.split('\n');
  // Every line but the last was terminated by a newline, so all its parts are cells.
  // The last line is still open: Go has only its tab-terminated cells in the line list
  // and keeps the rest as a pending cell that is printed verbatim.
  const last = (rawLines.pop() ?? '').split(/[\t\v]/);
  const pending = last.pop() ?? '';
  const lines: Cell[][] = rawLines.map((l) => toCells(l.split(/[\t\v]/)));
  lines.push(toCells(last));

  const rendered: string[] = new Array<string>(lines.length).fill('');
  const widths: number[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const line = lines[i] ?? [];
      let s = '';
      for (let j = 0; j < line.length; j++) {
        const cell = line[j]!;
        s += cell.text;
        const w = widths[j];
        if (w !== undefined) s += ' '.repeat(w - cell.width);
      }
      rendered[i] = s;
    }
  };

  // Elastic tabstops (Go text/tabwriter `format`): find each block of consecutive lines
  // that have a cell in the current column, size the column over that block, then
  // recurse into the next column for the same block.
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= (lines[i]?.length ?? 0) - 1) continue;
      writeLines(start, i);
      start = i;
      let width = TAB_MIN_WIDTH;
      for (; i < line1; i++) {
        const line = lines[i] ?? [];
        if (column >= line.length - 1) break;
        const w = line[column]!.width + TAB_PADDING;
        if (w > width) width = w;
      }
      width = rememberWidth(remembered, widths, width);
      widths.push(width);
      format(start, i);
      widths.pop();
      start = i;
    }
    writeLines(start, line1);
  };

  format(0, lines.length);
  rendered[rendered.length - 1] += pending;
  return rendered.join('\n');
}

/** The RememberWidths rule: a column never gets narrower than it was before. */
function rememberWidth(remembered: number[], widths: readonly number[], width: number): number {
  const column = widths.length;
  while (remembered.length < column) remembered.push(widths[remembered.length] ?? 0);
  const prior = remembered[column];
  if (prior === undefined) {
    remembered.push(width);
    return width;
  }
  if (prior > width) return prior;
  remembered[column] = width;
  return width;
}

/**
 * Lays out a header line and rows as one kubectl table. Every line, including the
 * last, ends with `\n`. Headers are upper-cased with `columnHeader`.
 *
 * This is the raw layout primitive: cells are not sanitized (a tab or newline inside a
 * cell would split it, as it would in kubectl's own non-Table printers), and the header
 * is printed even with no rows, as `kubectl api-resources` does. Use `printTable` for
 * server Tables, which has kubectl's "no rows, no header" rule.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  opts: { readonly noHeaders?: boolean } = {},
): string {
  const lines: string[] = [];
  if (!opts.noHeaders) lines.push(headers.map(columnHeader).join('\t'));
  for (const row of rows) lines.push(row.join('\t'));
  if (lines.length === 0) return '';
  return tabwrite(`${lines.join('\n')}\n`).text;
}

/**
 * Joins the tables of one `kubectl get` that printed several kinds: one blank line
 * between non-empty tables, none when headers are off (get.go only inserts the
 * separator when headers are printed).
 */
export function joinTables(tables: readonly string[], opts: { readonly noHeaders?: boolean } = {}): string {
  const nonEmpty = tables.filter((t) => t.length > 0);
  return nonEmpty.join(opts.noHeaders ? '' : '\n');
}

// ---------------------------------------------------------------------------
// meta.k8s.io/v1 Table

/** A cell as decoded from Table JSON. apimachinery decodes integral numbers to int64. */
export type TableCell = string | number | boolean | null;

export interface TableColumnDefinition {
  readonly name: string;
  readonly type: string;
  readonly format?: string;
  readonly description?: string;
  /** 0 = always shown; anything else only with `-o wide` (kubectl tests `!= 0`). */
  readonly priority: number;
}

export interface TableRow {
  readonly cells: readonly TableCell[];
  readonly object?: unknown;
}

export interface Table {
  readonly columnDefinitions: readonly TableColumnDefinition[];
  readonly rows: readonly TableRow[];
}

export interface PrintTableOptions {
  /** `-o wide`: include priority-1 columns. */
  readonly wide?: boolean;
  /** `--no-headers`. */
  readonly noHeaders?: boolean;
  /**
   * `--show-labels`: the labels of each row's object, in row order. Adds a LABELS
   * column last. A missing entry prints `<none>`.
   */
  readonly showLabels?: readonly (LabelMap | undefined)[];
  /** `-L key1,key2`: one column per key, after the table's own columns, before LABELS. */
  readonly labelColumns?: {
    readonly keys: readonly string[];
    readonly labels: readonly (LabelMap | undefined)[];
  };
  /**
   * `-A`: the namespace of each row's object, in row order. Adds a NAMESPACE column
   * first. kubectl never passes this for cluster-scoped kinds.
   */
  readonly namespaceColumn?: readonly (string | undefined)[];
  /**
   * Prefix for the name column when several kinds are printed, e.g. `pod` or
   * `deployment.apps` (see `kindPrefix`). Applies to the first column whose format is
   * `name` and type `string`. Lower-cased, as kubectl does.
   */
  readonly namePrefix?: string;
}

/**
 * Go's `fmt.Sprint` for a decoded JSON number: integers (apimachinery decodes integral
 * JSON numbers as int64) print in plain decimal, other floats in Go's `%v` form, which
 * switches to exponent notation from 1e21 and below 1e-4 (`1e-05`, `1.5e+21`).
 */
export function goNumberText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  // Shortest round-trip digits, same as Go's strconv 'g' with precision -1.
  const [mantissa = '0', expText = '0'] = n.toExponential().split('e');
  const exp = Number(expText);
  // Go's %v uses %g with the shortest representation, whose exponent threshold is 21.
  if (exp < -4 || exp >= 21) {
    const sign = exp < 0 ? '-' : '+';
    const abs = Math.abs(exp);
    return `${mantissa}e${sign}${abs < 10 ? `0${abs}` : abs}`;
  }
  // In this range JavaScript's shortest decimal form matches Go's.
  return String(n);
}

/**
 * The text kubectl prints for one Table cell: `null` prints nothing; strings are cut at
 * the first line break (\n, \r or \f) with `...` appended; ESC is shown as `^[` so
 * cells cannot drive the terminal (kubernetes/kubernetes#101695).
 */
export function cellText(cell: TableCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  const raw = typeof cell === 'string' ? cell : typeof cell === 'number' ? goNumberText(cell) : String(cell);
  const brk = raw.search(/[\f\n\r]/);
  const shown = brk >= 0 ? raw.slice(0, brk) : raw;
  // `\r` would also be escaped, but it can no longer occur after the cut above.
  return shown.replaceAll('\x1b', '^[') + (brk >= 0 ? '...' : '');
}

/**
 * Prints a server-side Table the way `kubectl get` does: drops priority-1 columns
 * unless wide, adds NAMESPACE (-A) first and label columns / LABELS (--show-labels)
 * last, prefixes names for multi-kind output, upper-cases headers, and prints nothing
 * at all when there are no rows (unless --no-headers, which prints no rows anyway).
 * The result ends with `\n` unless empty.
 */
export function printTable(table: Table, opts: PrintTableOptions = {}): string {
  const columns: TableColumnDefinition[] = [];
  if (opts.namespaceColumn) columns.push({ name: 'Namespace', type: 'string', priority: 0 });
  columns.push(...table.columnDefinitions);
  for (const key of opts.labelColumns?.keys ?? []) {
    columns.push({ name: labelColumnHeader(key), type: 'string', priority: 0 });
  }
  if (opts.showLabels) columns.push({ name: 'Labels', type: 'string', priority: 0 });

  const nameColumn =
    opts.namePrefix === undefined
      ? -1
      : table.columnDefinitions.findIndex((c) => c.format === 'name' && c.type === 'string');

  const rows = table.rows.map((row, r): TableCell[] => {
    const cells: TableCell[] = [...row.cells];
    if (nameColumn >= 0 && nameColumn < cells.length) {
      cells[nameColumn] = `${(opts.namePrefix ?? '').toLowerCase()}/${cellText(cells[nameColumn])}`;
    }
    if (opts.namespaceColumn) cells.unshift(opts.namespaceColumn[r] ?? '');
    if (opts.labelColumns || opts.showLabels) {
      // kubectl pads short rows with nil cells before appending label cells, so label
      // values always land in the label columns.
      while (
        cells.length <
        columns.length - (opts.labelColumns?.keys.length ?? 0) - (opts.showLabels ? 1 : 0)
      ) {
        cells.push(null);
      }
      const colLabels = opts.labelColumns?.labels[r];
      for (const key of opts.labelColumns?.keys ?? []) cells.push(colLabels?.[key] ?? '');
      if (opts.showLabels) cells.push(formatLabels(opts.showLabels[r]));
    }
    return cells;
  });

  const visible = (c: TableColumnDefinition): boolean => opts.wide === true || c.priority === 0;

  const lines: string[] = [];
  if (!opts.noHeaders) {
    // kubectl avoids printing a lone header for an empty table.
    if (rows.length === 0) return '';
    lines.push(
      columns
        .filter(visible)
        .map((c) => columnHeader(c.name))
        .join('\t'),
    );
  }
  for (const cells of rows) {
    const shown: string[] = [];
    // Cells beyond the column definitions are ignored (kubernetes/kubernetes#66379).
    const n = Math.min(cells.length, columns.length);
    for (let i = 0; i < n; i++) {
      if (visible(columns[i]!)) shown.push(cellText(cells[i]));
    }
    lines.push(shown.join('\t'));
  }
  if (lines.length === 0) return '';
  return tabwrite(`${lines.join('\n')}\n`).text;
}
