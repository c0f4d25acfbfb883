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

describe('LineEditor: Tab completion and Ctrl-R', () => {
  const completeEvent = (ed: LineEditor) => ed.feed('\t').events.find((e) => e.type === 'complete');

  it('Tab asks for a completion of the text before the cursor, and a second Tab asks for a list', () => {
    const ed = new LineEditor('$ ');
    ed.feed('kubectl get po');
    expect(completeEvent(ed)).toEqual({ type: 'complete', before: 'kubectl get po', list: false });
    expect(completeEvent(ed)).toEqual({ type: 'complete', before: 'kubectl get po', list: true });
    expect(ed.line).toBe('kubectl get po'); // a tab never lands in the line
  });

  it('one candidate replaces the word and adds a space; several extend to their common prefix', () => {
    const ed = new LineEditor('$ ');
    ed.feed('kubectl get po');
    ed.completed('kubectl get po', 12, ['pods'], false);
    expect(ed.line).toBe('kubectl get pods ');
    ed.feed('we');
    ed.completed('kubectl get pods we', 17, ['web-7d4b9-abcde', 'web-7d4b9-fghij'], false);
    expect(ed.line).toBe('kubectl get pods web-7d4b9-');
  });

  it('a directory completes without a space; a second Tab lists ambiguous candidates', () => {
    const ed = new LineEditor('$ ');
    ed.feed('cat ex');
    ed.completed('cat ex', 4, ['examples/'], false);
    expect(ed.line).toBe('cat examples/');
    const listed = ed.completed('cat examples/', 4, ['examples/a.yaml', 'examples/b.yaml'], true);
    expect(listed).toContain('examples/a.yaml');
    expect(listed).toContain('examples/b.yaml');
    expect(ed.line).toBe('cat examples/');
  });

  it('a completion that arrives after the line changed is dropped', () => {
    const ed = new LineEditor('$ ');
    ed.feed('kubectl get po');
    ed.feed('d');
    expect(ed.completed('kubectl get po', 12, ['pods'], false)).toBe('');
    expect(ed.line).toBe('kubectl get pod');
  });

  it('Ctrl-R finds the newest matching line, Ctrl-R again an older one, Enter runs it', () => {
    const ed = new LineEditor('$ ');
    for (const l of ['kubectl get pods', 'kubectl get nodes', 'etcdctl member list', 'kubectl get pods -A'])
      submitted(ed, `${l}\r`);
    const shown = ed.feed('\x12get p').echo;
    expect(shown).toContain("(reverse-i-search)`get p': kubectl get pods -A");
    expect(ed.feed('\x12').echo).toContain("`get p': kubectl get pods");
    expect(submitted(ed, '\r')).toEqual(['kubectl get pods']);
  });

  it('Ctrl-R with no match says so; Ctrl-G gives back the line; an arrow key accepts the match for editing', () => {
    const ed = new LineEditor('$ ');
    submitted(ed, 'kubectl get nodes\r');
    ed.feed('draft');
    expect(ed.feed('\x12zzz').echo).toContain('(failed reverse-i-search)');
    ed.feed('\x07');
    expect(ed.line).toBe('draft');
    ed.feed('\x12nodes');
    ed.feed(LEFT);
    expect(ed.line).toBe('kubectl get nodes');
  });
});

describe('LineEditor: a reverse search started while a command runs', () => {
  it('is what the prompt shows when it comes back', () => {
    const ed = new LineEditor('$ ');
    ed.feed('kubectl get nodes\r');
    ed.feed('\x12nodes'); // typed while the command still runs: nothing echoed yet
    expect(ed.render()).toContain("(reverse-i-search)`nodes': kubectl get nodes");
  });
});
