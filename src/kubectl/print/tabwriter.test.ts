import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DESCRIBE_TABWRITER, GET_TABWRITER, TabWriter, tabwrite } from './tabwriter';

describe('tabwriter (Go text/tabwriter)', () => {
  it('pads each column to its widest cell plus padding, at least minwidth', () => {
    expect(tabwrite('a\tb\tc\naaa\tbbbb\tc\n', GET_TABWRITER)).toBe('a     b      c\naaa   bbbb   c\n');
    expect(tabwrite('a\tb\naaa\tbbbb\n', DESCRIBE_TABWRITER)).toBe('a    b\naaa  bbbb\n');
  });

  it('never pads the last cell of a line, even when it is empty', () => {
    expect(tabwrite('NAME\tZONE\tX\na\tzone-a\t\n', GET_TABWRITER)).toBe(
      'NAME   ZONE     X\na      zone-a   \n',
    );
  });

  it('sizes a column per block of consecutive lines that have a cell in it', () => {
    const text =
      'Name:\tcp-1\nSystem Info:\n  Machine ID:\tx\n  Kubelet Version:\tv1\nPodCIDR:\t10.0.0.0/24\n';
    expect(tabwrite(text, DESCRIBE_TABWRITER)).toBe(
      'Name:  cp-1\nSystem Info:\n  Machine ID:       x\n  Kubelet Version:  v1\nPodCIDR:            10.0.0.0/24\n',
    );
  });

  it('counts code points, not UTF-16 units', () => {
    expect(tabwrite('é\tx\nab\ty\n', DESCRIBE_TABWRITER)).toBe('é   x\nab  y\n');
  });

  it('writes an unterminated last line without padding a trailing tab', () => {
    expect(tabwrite('abc\tdef\nx\t', DESCRIBE_TABWRITER)).toBe('abc\tdef'.replace('\t', '  ') + '\nx');
  });

  it('lays out each flush on its own, like describe before its events table', () => {
    const w = new TabWriter(DESCRIBE_TABWRITER);
    w.write('Long label here:\tx\n');
    w.flush();
    w.write('A:\ty\n');
    w.flush();
    expect(w.output).toBe('Long label here:  x\nA:  y\n');
  });

  it('remembers widths across flushes with RememberWidths (kubectl get)', () => {
    const w = new TabWriter(GET_TABWRITER);
    w.write('a-long-name\tb\n');
    w.flush();
    w.write('a\tb\n');
    w.flush();
    expect(w.output).toBe('a-long-name   b\na             b\n');
    w.resetRememberedWidths();
    w.write('a\tb\n');
    w.flush();
    expect(w.output.endsWith('\na     b\n')).toBe(true);
  });

  it('aligns every column of a regular table (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', '-', '<', '1'), minLength: 0, maxLength: 8 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        (cols, rows) => {
          const table = rows.map((r) => r.slice(0, cols));
          const out = tabwrite(`${table.map((r) => r.join('\t')).join('\n')}\n`, GET_TABWRITER)
            .split('\n')
            .slice(0, -1);
          let start = 0;
          for (let c = 0; c < cols; c++) {
            const width = c === cols - 1 ? 0 : Math.max(6, ...table.map((r) => r[c]!.length + 3));
            table.forEach((r, i) => {
              expect(out[i]!.slice(start, start + r[c]!.length)).toBe(r[c]);
              if (c < cols - 1) expect(out[i]!.slice(start + r[c]!.length, start + width).trim()).toBe('');
            });
            start += width;
          }
        },
      ),
    );
  });
});
