/**
 * Go's text/tabwriter, which every kubectl table and `describe` goes through. Text is split into
 * cells at '\t'; a column's width is set per block of consecutive lines that have a cell in that
 * column (elastic tabstops), and the last cell of a line is never padded. Porting the algorithm, not
 * just "pad to the widest", is what makes describe's oddly-aligned sections match the real thing.
 *
 * kubectl uses two configurations:
 * - `kubectl get` and friends (`printers.GetNewTabWriter`): minwidth 6, padding 3, and the
 *   RememberWidths flag of liggitt/tabwriter (a column never gets narrower after a flush);
 * - `describe` (`tabbedString`): minwidth 0, padding 2, no flags.
 */
export interface TabwriterOptions {
  /** Minimal cell width, padding included. */
  readonly minWidth: number;
  /** Spaces added to the widest cell of a column. */
  readonly padding: number;
  /** liggitt/tabwriter's RememberWidths: widths carry over flushes and only ever grow. */
  readonly rememberWidths?: boolean;
}

export const GET_TABWRITER: TabwriterOptions = { minWidth: 6, padding: 3, rememberWidths: true };
export const DESCRIBE_TABWRITER: TabwriterOptions = { minWidth: 0, padding: 2 };

/**
 * A tabwriter with Go's Write/Flush split: text is buffered until `flush`, which lays out what was
 * written since the last flush and appends it to `output`. describe's events table relies on the
 * flush (it is aligned on its own, not with the lines above it).
 */
export class TabWriter {
  private buffer = '';
  private out = '';
  /** Widths remembered across flushes (RememberWidths), indexed by column. */
  private remembered: number[] = [];

  constructor(private readonly opts: TabwriterOptions) {}

  write(text: string): void {
    this.buffer += text;
  }

  flush(): void {
    if (this.buffer === '') return;
    this.out += layout(this.buffer, this.opts, this.opts.rememberWidths ? this.remembered : undefined);
    this.buffer = '';
  }

  /** Forgets remembered widths, as kubectl get does before each new kind (`SetRememberedWidths(nil)`). */
  resetRememberedWidths(): void {
    this.remembered = [];
  }

  /** Everything flushed so far. */
  get output(): string {
    return this.out;
  }
}

/** Lays out `text` in one go (a write followed by a flush). */
export function tabwrite(text: string, opts: TabwriterOptions): string {
  const w = new TabWriter(opts);
  w.write(text);
  w.flush();
  return w.output;
}

/** Width as the tabwriter counts it: one per Unicode code point (Go counts runes). */
export function cellWidth(cell: string): number {
  let n = 0;
  for (const _ of cell) n++;
  return n;
}

function layout(text: string, opts: TabwriterOptions, remembered: number[] | undefined): string {
  // Every line but the last was ended by a newline; the text after the last newline is the open
  // last line, whose pending cell Go terminates on Flush and writes without a newline.
  const lines = text.split('\n').map((l) => l.split('\t'));
  // An open last line ending in a tab has no pending cell in Go (an empty cell is only terminated
  // by a newline), so that tab does not make the line take part in the column.
  const last = lines[lines.length - 1]!;
  if (last.length > 1 && last[last.length - 1] === '') last.pop();
  const widthOf = lines.map((cells) => cells.map(cellWidth));
  const rendered = new Array<string>(lines.length).fill('');
  const widths: number[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      let s = '';
      for (let j = 0; j < cells.length; j++) {
        s += cells[j]!;
        // The last cell of a line is not tab-terminated, so it is never padded.
        if (j < cells.length - 1 && j < widths.length) s += ' '.repeat(widths[j]! - widthOf[i]![j]!);
      }
      rendered[i] = s;
    }
  };

  // Go's `format`: find each block of consecutive lines with a tab-terminated cell in the current
  // column, size the column over that block, then recurse into the next column for the block.
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= lines[i]!.length - 1) continue;
      writeLines(start, i);
      start = i;
      let width = opts.minWidth;
      for (; i < line1; i++) {
        if (column >= lines[i]!.length - 1) break;
        width = Math.max(width, widthOf[i]![column]! + opts.padding);
      }
      if (remembered) width = rememberWidth(remembered, widths, width);
      widths.push(width);
      format(start, i);
      widths.pop();
      // The line that ended the block has no cell in this column; the loop moves past it.
      start = i;
    }
    writeLines(start, line1);
  };

  format(0, lines.length);
  return rendered.join('\n');
}

/** liggitt/tabwriter's RememberWidths rule: a column is never narrower than it was before. */
function rememberWidth(remembered: number[], widths: readonly number[], width: number): number {
  const column = widths.length;
  for (let c = remembered.length; c < column; c++) remembered.push(widths[c]!);
  const prior = remembered[column];
  if (prior === undefined) {
    remembered.push(width);
    return width;
  }
  if (prior > width) return prior;
  remembered[column] = width;
  return width;
}
