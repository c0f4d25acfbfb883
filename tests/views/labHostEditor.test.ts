import { describe, expect, it } from 'vitest';
import { LabHost } from '../../src/worker/labHost';

/** The editor pane as the page drives it: the request arrives in a frame, the answer resumes the command. */
function start(h: LabHost, line: string) {
  const r = { out: '', code: undefined as number | undefined };
  const id = h.run(
    line,
    '',
    (_s, t) => void (r.out += t),
    (c) => void (r.code = c),
  );
  return { r, id: id as number };
}

describe('LabHost editor pane', () => {
  it('posts the request in a frame once, and a save resumes the command at once', () => {
    const h = new LabHost({ scenario: 'single', seed: 2 }, () => 0);
    h.frame(true);
    const { r } = start(h, 'vi notes.txt');
    const f = h.frame();
    expect(f.editor).toMatchObject({ title: 'notes.txt (new file) — vi', text: '', language: 'text' });
    expect(h.frame().editor).toBeUndefined();
    // The clock keeps running while the user types.
    const t0 = h.session.cluster.sim.nowMs;
    h.tick(100);
    expect(h.session.cluster.sim.nowMs).toBeGreaterThan(t0);
    expect(r.code).toBeUndefined();
    h.closeEditor(f.editor!.id, 'hello\n');
    expect(r.code).toBe(0);
    expect(h.frame().editor).toBeNull();
    expect(h.session.files.readFile('notes.txt')).toEqual({ ok: true, value: 'hello\n' });
  });

  it('kubectl edit patches on save and prints edited within the head start', () => {
    const h = new LabHost({ scenario: 'single', seed: 2 }, () => 0);
    start(h, 'kubectl create deployment web --image=nginx --replicas=2');
    for (let i = 0; i < 20; i++) h.tick(50);
    const { r } = start(h, 'kubectl edit deployment web');
    for (let i = 0; i < 4 && !h.frame().editor; i++) h.tick(50);
    const open = (h as unknown as { editor: { request: { id: number; text: string } } }).editor.request;
    h.closeEditor(open.id, open.text.replace('replicas: 2', 'replicas: 4'));
    for (let i = 0; i < 20 && r.code === undefined; i++) h.tick(50);
    expect(r.out).toBe('deployment.apps/web edited\n');
    expect(r.code).toBe(0);
  });

  it('Ctrl-C cancels the command and closes the pane; a stale answer is ignored', () => {
    const h = new LabHost({ scenario: 'single', seed: 2 }, () => 0);
    const { r, id } = start(h, 'vi notes.txt');
    const f = h.frame();
    h.cancel(id);
    expect(r.code).toBe(130);
    expect(h.frame().editor).toBeNull();
    h.closeEditor(f.editor!.id, 'late\n');
    expect(h.session.files.readFile('notes.txt').ok).toBe(false);
  });

  it('a paused clock stays paused while the pane is open', () => {
    const h = new LabHost({ scenario: 'single', seed: 2 }, () => 0);
    h.session.setPaused(true);
    start(h, 'vi notes.txt');
    const t0 = h.session.cluster.sim.nowMs;
    h.tick(1000);
    expect(h.session.cluster.sim.nowMs).toBe(t0);
  });
});
