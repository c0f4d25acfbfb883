import { describe, expect, it } from 'vitest';
import { cellText, formatLabels, goToUpper, type Table, TablePrinter } from './table';
import { GET_TABWRITER, TabWriter } from './tabwriter';

const TABLE: Table = {
  columnDefinitions: [
    { name: 'Name', type: 'string', format: 'name', priority: 0 },
    { name: 'Holder', type: 'string', priority: 0 },
    { name: 'Internal-IP', type: 'string', priority: 1 },
  ],
  rows: [
    {
      cells: ['cp-1', 'cp-1', '10.0.0.2'],
      object: { metadata: { namespace: 'kube-node-lease', labels: { b: '2', a: '1' } } },
    },
    { cells: ['worker-1', 'worker-1', '10.0.0.3'], object: { metadata: { namespace: 'kube-node-lease' } } },
  ],
};

function print(opts: ConstructorParameters<typeof TablePrinter>[0], ...tables: Table[]): string {
  const w = new TabWriter(GET_TABWRITER);
  const p = new TablePrinter(opts);
  for (const t of tables) p.print(t, w);
  w.flush();
  return w.output;
}

describe('server-side Table printing', () => {
  it('upper-cases headers and hides priority-1 columns unless wide', () => {
    expect(print({})).toBe('');
    expect(print({}, TABLE)).toBe('NAME       HOLDER\ncp-1       cp-1\nworker-1   worker-1\n');
    expect(print({ wide: true }, TABLE).split('\n')[0]).toBe('NAME       HOLDER     INTERNAL-IP');
  });

  it('adds NAMESPACE first, label columns and LABELS last, and kind prefixes', () => {
    expect(
      print(
        { withNamespace: true, showLabels: true, columnLabels: ['a'], kind: 'Lease.coordination.k8s.io' },
        TABLE,
      ),
    ).toBe(
      'NAMESPACE         NAME                                 HOLDER     A     LABELS\n' +
        'kube-node-lease   lease.coordination.k8s.io/cp-1       cp-1       1     a=1,b=2\n' +
        'kube-node-lease   lease.coordination.k8s.io/worker-1   worker-1         <none>\n',
    );
  });

  it('prints the header once for consecutive tables with the same columns, none for empty ones', () => {
    const empty: Table = { columnDefinitions: TABLE.columnDefinitions, rows: [] };
    expect(print({}, empty, TABLE, TABLE).match(/NAME/g)?.length).toBe(1);
    expect(print({ noHeaders: true }, TABLE)).toBe('cp-1       cp-1\nworker-1   worker-1\n');
  });

  it('renders cells as kubectl does', () => {
    expect(cellText(null)).toBe('');
    expect(cellText('two\nlines')).toBe('two...');
    expect(cellText('\x1b[31mred')).toBe('^[[31mred');
    expect(cellText(3)).toBe('3');
    expect(cellText(2.5)).toBe('2.5');
    expect(cellText(true)).toBe('true');
    expect(formatLabels({})).toBe('<none>');
    expect(goToUpper('Nominated Node ß')).toBe('NOMINATED NODE ß');
  });
});
