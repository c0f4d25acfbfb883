import type { TabWriter } from './tabwriter';
import { goFormatG } from './yaml';

/**
 * How `kubectl get` prints a server-side `meta.k8s.io/v1 Table`: a port of cli-runtime's
 * HumanReadablePrinter for tables (`printers/tableprinter.go`). The server chooses the columns and
 * fills the cells; kubectl drops priority-1 columns unless `-o wide`, adds NAMESPACE (`-A`) first,
 * label columns (`-L`) and LABELS (`--show-labels`) last, prefixes names with the kind when several
 * kinds are printed, upper-cases headers, and writes tab-separated lines into a tabwriter.
 */

/** A cell as decoded from Table JSON (apimachinery keeps integral numbers as int64). */
export type TableCell = string | number | boolean | null;

export interface TableColumnDefinition {
  readonly name: string;
  readonly type: string;
  readonly format?: string;
  readonly description?: string;
  /** 0 = always shown; anything else only with `-o wide`. */
  readonly priority: number;
}

export interface TableRow {
  readonly cells: readonly TableCell[];
  /** The row's object (a PartialObjectMetadata): kubectl reads namespace and labels from it. */
  readonly object?: { readonly metadata?: { readonly namespace?: string; readonly labels?: LabelMap } };
}

export interface Table {
  readonly columnDefinitions: readonly TableColumnDefinition[];
  readonly rows: readonly TableRow[];
}

export type LabelMap = Readonly<Record<string, string>>;

export interface TablePrintOptions {
  /** `-o wide`: include priority-1 columns. */
  readonly wide?: boolean;
  readonly noHeaders?: boolean;
  /** `-A` on a namespaced kind: a NAMESPACE column first. */
  readonly withNamespace?: boolean;
  /** `--show-labels`: a LABELS column last. */
  readonly showLabels?: boolean;
  /** `-L key,...`: one column per key, before LABELS. */
  readonly columnLabels?: readonly string[];
  /**
   * The GroupKind to prefix names with (`Node`, `Lease.coordination.k8s.io`), set when several
   * kinds are printed together or with --show-kind. Printed lower-cased: `node/cp-1`.
   */
  readonly kind?: string;
}

/**
 * One printer per kind, as kubectl makes one per REST mapping: it prints the header once for
 * consecutive tables with the same columns (`kubectl get nodes a b` shows one header), and no
 * header at all for a table without rows.
 */
export class TablePrinter {
  private printedHeaders = false;
  private lastColumns: readonly TableColumnDefinition[] | undefined;

  constructor(private readonly opts: TablePrintOptions) {}

  print(table: Table, w: TabWriter): void {
    let noHeaders = this.opts.noHeaders ?? false;
    const sameColumns =
      this.lastColumns !== undefined && sameDefinitions(table.columnDefinitions, this.lastColumns);
    if (this.printedHeaders && (table.columnDefinitions.length === 0 || sameColumns)) noHeaders = true;
    let columns = table.columnDefinitions;
    if (columns.length === 0) columns = this.lastColumns ?? [];
    else if (!sameColumns) {
      this.lastColumns = columns;
      this.printedHeaders = false;
    }
    if (table.rows.length > 0) this.printedHeaders = true;
    const decorated = decorateTable({ columnDefinitions: columns, rows: table.rows }, this.opts);
    w.write(formatTable(decorated, { ...this.opts, noHeaders }));
  }
}

function sameDefinitions(a: readonly TableColumnDefinition[], b: readonly TableColumnDefinition[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

interface DecoratedTable {
  readonly columns: readonly TableColumnDefinition[];
  readonly rows: readonly (readonly TableCell[])[];
}

/** cli-runtime's decorateTable: namespace, label and kind decorations. */
export function decorateTable(table: Table, opts: TablePrintOptions): DecoratedTable {
  const columnLabels = opts.columnLabels ?? [];
  let columns: TableColumnDefinition[] = [...table.columnDefinitions];
  const width =
    columns.length + columnLabels.length + (opts.withNamespace ? 1 : 0) + (opts.showLabels ? 1 : 0);
  if (width !== table.columnDefinitions.length) {
    columns = [
      ...(opts.withNamespace ? [{ name: 'Namespace', type: 'string', priority: 0 }] : []),
      ...table.columnDefinitions,
      ...columnLabels.map((key) => ({ name: labelColumnHeader(key), type: 'string', priority: 0 })),
      ...(opts.showLabels ? [{ name: 'Labels', type: 'string', priority: 0 }] : []),
    ];
  }
  const nameColumn =
    opts.kind === undefined
      ? -1
      : table.columnDefinitions.findIndex((c) => c.format === 'name' && c.type === 'string');
  const includeLabels = columnLabels.length > 0 || (opts.showLabels ?? false);
  const rows = table.rows.map((row): TableCell[] => {
    let cells = [...row.cells];
    if (nameColumn >= 0) cells[nameColumn] = `${opts.kind!.toLowerCase()}/${cellText(cells[nameColumn])}`;
    if (!includeLabels && !opts.withNamespace) return cells;
    const meta = row.object?.metadata;
    if (!meta) {
      // Without the object, kubectl fills the added columns with nothing.
      if (opts.withNamespace) cells = [null, ...cells];
      while (cells.length < width) cells.push(null);
      return cells;
    }
    if (opts.withNamespace) cells = [meta.namespace ?? '', ...cells];
    if (includeLabels) {
      for (const key of columnLabels) cells.push(meta.labels?.[key] ?? '');
      if (opts.showLabels) cells.push(formatLabels(meta.labels));
    }
    return cells;
  });
  return { columns, rows };
}

/** The tab-separated text of a decorated table (cli-runtime's printTable). */
function formatTable(table: DecoratedTable, opts: TablePrintOptions): string {
  const show = (c: TableColumnDefinition): boolean => c.priority === 0 || opts.wide === true;
  let out = '';
  if (!opts.noHeaders) {
    // kubectl avoids printing a lone header for an empty table.
    if (table.rows.length === 0) return '';
    out += `${table.columns
      .filter(show)
      .map((c) => goToUpper(c.name))
      .join('\t')}\n`;
  }
  for (const cells of table.rows) {
    const shown: string[] = [];
    // Cells beyond the column definitions are ignored (kubernetes/kubernetes#66379).
    for (let i = 0; i < cells.length && i < table.columns.length; i++) {
      if (show(table.columns[i]!)) shown.push(cellText(cells[i]));
    }
    out += `${shown.join('\t')}\n`;
  }
  return out;
}

/**
 * The text kubectl prints for one cell: nothing for null; strings cut at the first line break
 * (\n, \r or \f) with `...` appended; numbers as Go's %v; ESC shown as `^[` so a cell cannot drive
 * the terminal.
 */
export function cellText(cell: TableCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') {
    const brk = cell.search(/[\f\n\r]/);
    const shown = brk >= 0 ? cell.slice(0, brk) : cell;
    return escapeTerminal(shown) + (brk >= 0 ? '...' : '');
  }
  if (typeof cell === 'number') return goNumberText(cell);
  return String(cell);
}

/** cli-runtime's EscapeTerminal: ESC becomes `^[`. */
export function escapeTerminal(s: string): string {
  return s.replaceAll('\x1b', '^[');
}

/** Go's %v for a decoded JSON number: int64 in decimal, float64 as strconv 'g' shortest. */
export function goNumberText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  return goFormatG(n);
}

/**
 * Go's `strings.ToUpper`: per-code-point mapping. JavaScript's `toUpperCase` maps `ß` to `SS`,
 * which Go does not, so a code point whose upper case is longer is left alone.
 */
export function goToUpper(s: string): string {
  let out = '';
  for (const ch of s) {
    const up = ch.toUpperCase();
    out += [...up].length === 1 ? up : ch;
  }
  return out;
}

/** Header of a `-L key` column: the last `/`-separated segment, upper-cased. */
export function labelColumnHeader(labelKey: string): string {
  const parts = labelKey.split('/');
  return goToUpper(parts[parts.length - 1] ?? '');
}

/** apimachinery `labels.FormatLabels`: sorted `k=v` pairs joined with commas, or `<none>`. */
export function formatLabels(labels: LabelMap | null | undefined): string {
  const keys = Object.keys(labels ?? {}).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}
