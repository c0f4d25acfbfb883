/**
 * Go's text/tabwriter, which every kubectl table and `describe` goes through: cells end with '\t',
 * a column's width is set per block of consecutive lines that have a cell in that column, and the
 * last cell of a line is never padded. Porting the algorithm (not just "pad to the widest") is what
 * makes describe's oddly-aligned sections match the real thing.
 */
export interface TabwriterOptions {
  /** Minimal cell width, padding included (kubectl get: 6; describe: 0). */
  readonly minWidth: number;
  /** Spaces added to the widest cell of a column (kubectl get: 3; describe: 2). */
  readonly padding: number;
}

export const GET_TABWRITER: TabwriterOptions = { minWidth: 6, padding: 3 };
export const DESCRIBE_TABWRITER: TabwriterOptions = { minWidth: 0, padding: 2 };

export function tabwrite(text: string, opts: TabwriterOptions): string {
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      let s = '';
      for (let j = 0; j < cells.length; j++) {
        const cell = cells[j]!;
        s += cell;
        if (j < cells.length - 1 && j < widths.length) s += ' '.repeat(Math.max(0, widths[j]! - width(cell)));
      }
      out.push(s);
    }
  };

  const format = (line0In: number, line1: number): void => {
    let line0 = line0In;
    const column = widths.length;
    for (let current = line0; current < line1; current++) {
      if (column >= lines[current]!.length - 1) continue;
      writeLines(line0, current);
      line0 = current;
      let w = opts.minWidth;
      for (; current < line1; current++) {
        const cells = lines[current]!;
        if (column >= cells.length - 1) break;
        w = Math.max(w, width(cells[column]!) + opts.padding);
      }
      widths.push(w);
      format(line0, current);
      widths.pop();
      // The line that ended the block has no cell in this column, so skipping it is safe.
      line0 = current;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}

function width(cell: string): number {
  return [...cell].length;
}
