import { describe, expect, it } from 'vitest';
import { Session } from '../../src/script/session';
import { HOME, VirtualFs } from '../../src/shell/vfs';

describe('VirtualFs', () => {
  it('resolves ~, . and .. against the working directory', () => {
    const fs = new VirtualFs();
    expect(fs.resolve('a.yaml')).toBe(`${HOME}/a.yaml`);
    expect(fs.resolve('~/x/../y/./z')).toBe(`${HOME}/y/z`);
    expect(fs.resolve('/etc//hosts')).toBe('/etc/hosts');
  });

  it('writes, appends, lists and removes files', () => {
    const fs = new VirtualFs({ [`${HOME}/examples/a.yaml`]: 'a: 1\n' });
    expect(fs.writeFile('notes.txt', 'one\n').ok).toBe(true);
    fs.writeFile('notes.txt', 'two\n', true);
    expect(fs.readFile('notes.txt')).toEqual({ ok: true, value: 'one\ntwo\n' });
    expect(fs.list('.')).toMatchObject({
      ok: true,
      value: [
        { name: 'examples', dir: true },
        { name: 'notes.txt', dir: false },
      ],
    });
    expect(fs.remove('notes.txt').ok).toBe(true);
    expect(fs.readFile('notes.txt')).toEqual({ ok: false, error: 'notes.txt: No such file or directory' });
    expect(fs.readFile('examples')).toEqual({ ok: false, error: 'examples: Is a directory' });
    expect(fs.writeFile('/etc/passwd', 'x')).toEqual({
      ok: false,
      error: '/etc/passwd: No such file or directory',
    });
  });

  it('falls back to an external reader (a script folder) for files it does not hold', () => {
    const fs = new VirtualFs({}, (abs) => (abs === `${HOME}/app.yaml` ? 'kind: Pod\n' : undefined));
    expect(fs.readFile('app.yaml')).toEqual({ ok: true, value: 'kind: Pod\n' });
  });
});

describe('shell file commands and redirection', () => {
  it('> writes a command output to a file that cat, wc and grep then read', () => {
    const s = new Session({ scenario: 'single', seed: 1 });
    expect(s.run('kubectl get nodes -o name > nodes.txt').output).toBe('');
    expect(s.run('wc -l nodes.txt').stdout).toBe('4\n');
    expect(s.run('grep cp nodes.txt').stdout).toBe('node/cp-1\n');
    expect(s.run('echo extra >> nodes.txt && tail -1 nodes.txt').stdout).toBe('extra\n');
    expect(s.run('wc -l < nodes.txt').stdout).toBe('5\n');
    // A script's output is not a terminal: one name per line, as GNU ls does into a file.
    expect(s.run('ls').stdout).toBe('examples\nnodes.txt\n');
    let onTerminal = '';
    s.start('ls', '', { stdout: (t) => void (onTerminal += t), stderr: () => {}, terminal: true }, () => {});
    expect(onTerminal).toBe('examples  nodes.txt\n');
    expect(s.run('cat nope.yaml')).toMatchObject({
      code: 1,
      stderr: 'cat: nope.yaml: No such file or directory\n',
    });
    expect(s.run('cat examples/nginx-deployment.yaml | grep -c image').stdout).toBe('1\n');
  });
});
