import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineEditor } from '../../src/views/terminal/lineEditor';

const LEFT = '\x1b[D';
const UP = '\x1b[A';
const DOWN = '\x1b[B';

function submitted(editor: LineEditor, data: string): string[] {
  return editor.feed(data).events.flatMap((e) => (e.type === 'submit' ? [e.line] : []));
}

describe('LineEditor', () => {
  it('submits the typed line on Enter', () => {
    const ed = new LineEditor('$ ');
    expect(submitted(ed, 'kubectl get nodes\r')).toEqual(['kubectl get nodes']);
    expect(ed.line).toBe('');
  });

  it('inserts at the cursor and deletes before it', () => {
    const ed = new LineEditor('$ ');
    ed.feed(`kubectl get nods${LEFT}e`);
    expect(ed.line).toBe('kubectl get nodes');
    ed.feed('\x7f');
    expect(ed.line).toBe('kubectl get nods');
  });

  it('Ctrl-A, Ctrl-E, Ctrl-U, Ctrl-K and Ctrl-W edit like readline', () => {
    const ed = new LineEditor('$ ');
    ed.feed('get pods -n kube-system');
    ed.feed('\x17');
    expect(ed.line).toBe('get pods -n ');
    ed.feed('\x01x');
    expect(ed.line).toBe('xget pods -n ');
    ed.feed('\x0b');
    expect(ed.line).toBe('x');
    ed.feed('\x05yz\x15');
    expect(ed.line).toBe('');
  });

  it('walks history with Up and Down, keeping the draft', () => {
    const ed = new LineEditor('$ ');
    ed.feed('one\rtwo\rdraft');
    ed.feed(UP);
    expect(ed.line).toBe('two');
    ed.feed(UP + UP);
    expect(ed.line).toBe('one');
    ed.feed(DOWN + DOWN);
    expect(ed.line).toBe('draft');
  });

  it('Ctrl-C abandons the line with ^C', () => {
    const ed = new LineEditor('$ ');
    const out = ed.feed('kubectl\x03');
    expect(out.events).toEqual([{ type: 'interrupt' }]);
    expect(out.echo).toContain('^C');
    expect(ed.line).toBe('');
  });

  it('a multi-line paste submits every line in order', () => {
    const ed = new LineEditor('$ ');
    expect(submitted(ed, 'a\r\nb\nc\r')).toEqual(['a', 'b', 'c']);
  });

  it('never lets control characters into the line (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (data) => {
        const ed = new LineEditor('$ ');
        const lines = submitted(ed, data);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is checked
        for (const l of [...lines, ed.line]) expect(/[\x00-\x1f\x7f]/.test(l)).toBe(false);
      }),
    );
  });
});
