import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';
import type { EditorRequest } from '../shell/program';
import { editHeader, manualStrip, stripComments } from './commands/edit';

/**
 * kubectl edit and vi against a session whose editor pane is scripted: each opening of the pane
 * is answered by the next function of `answers` (the text saved, or undefined for Cancel).
 */
type Answer = (request: EditorRequest) => string | undefined;

function lab(answers: Answer[] = []): { s: Session; opened: EditorRequest[] } {
  const s = new Session({ scenario: 'single', seed: 7 });
  const opened: EditorRequest[] = [];
  s.openEditor = function* (request) {
    opened.push(request);
    const next = answers.shift();
    return next ? next(request) : undefined;
  };
  return { s, opened };
}

function withDeployment(answers: Answer[]): { s: Session; opened: EditorRequest[] } {
  const l = lab(answers);
  expect(l.s.run('kubectl create deployment web --image=nginx --replicas=2').code).toBe(0);
  return l;
}

const replicas = (s: Session): string =>
  s.run("kubectl get deploy web -o jsonpath='{.spec.replicas}'").stdout;

describe('kubectl edit', () => {
  it('opens the object as YAML under kubectl header, and an untouched save changes nothing', () => {
    const { s, opened } = withDeployment([(r) => r.text]);
    const yaml = s.run('kubectl get deployment web -o yaml').stdout;
    const r = s.run('kubectl edit deployment web');
    expect(opened).toHaveLength(1);
    expect(opened[0]?.title).toBe('kubectl edit deployment/web');
    expect(opened[0]?.language).toBe('yaml');
    expect(opened[0]?.text).toBe(
      "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
        '# and an empty file will abort the edit. If an error occurs while saving this file will be\n' +
        '# reopened with the relevant failures.\n' +
        '#\n' +
        yaml,
    );
    expect(r.output).toBe('Edit cancelled, no changes made.\n');
    expect(r.code).toBe(0);
  });

  it('Cancel is quitting the editor without saving', () => {
    const { s } = withDeployment([() => undefined]);
    const r = s.run('kubectl edit deploy/web');
    expect(r.output).toBe('Edit cancelled, no changes made.\n');
    expect(r.code).toBe(0);
  });

  it('patches what changed and prints edited; the Deployment scales', () => {
    const { s } = withDeployment([(r) => r.text.replace('replicas: 2', 'replicas: 4')]);
    const r = s.run('kubectl edit deployment/web --output-patch');
    expect(r.output).toBe('Patch: {"spec":{"replicas":4}}\ndeployment.apps/web edited\n');
    expect(r.code).toBe(0);
    expect(replicas(s)).toBe('4');
    s.run('advance 30s');
    expect(s.run('kubectl get pods -l app=web --no-headers').stdout.trim().split('\n')).toHaveLength(4);
  });

  it('comments only or whitespace changes are no change; an emptied file is cancelled', () => {
    const { s } = withDeployment([(r) => `# my note\n${r.text}\n\n`]);
    expect(s.run('kubectl edit deployment web').output).toBe('Edit cancelled, no changes made.\n');
    const empty = withDeployment([() => '# nothing left\n']);
    expect(empty.s.run('kubectl edit deployment web').output).toBe('Edit cancelled, saved file was empty.\n');
  });

  it('reopens a file that does not parse with the syntax error on top; an unchanged save gives up', () => {
    const broken = (r: EditorRequest) => r.text.replace('replicas: 2', 'replicas: [2');
    const { s, opened } = withDeployment([broken, (r) => r.text]);
    const r = s.run('kubectl edit deployment web');
    expect(opened).toHaveLength(2);
    const second = opened[1]?.text ?? '';
    expect(second).toMatch(
      /^# Please edit[\s\S]*#\n# The edited file had a syntax error: error parsing edited-file: error converting YAML to JSON: yaml: line \d+: [^\n]+\n#\n/,
    );
    expect(second).toContain('replicas: [2');
    expect(second.split('\n').filter((l) => l.startsWith('# Please edit'))).toHaveLength(1);
    expect(r.output).toMatch(
      /^A copy of your changes has been stored to "\/tmp\/kubectl-edit-\d+\.yaml"\nerror: Edit cancelled, no valid changes were saved\.\n$/,
    );
    expect(r.code).toBe(1);
    expect(replicas(s)).toBe('2');
  });

  it('an object the server refuses reopens with the causes; a fix then goes through', () => {
    const { s, opened } = withDeployment([
      (r) => r.text.replace('replicas: 2', 'replicas: -1'),
      (r) => r.text.replace('replicas: -1', 'replicas: 3'),
    ]);
    const r = s.run('kubectl edit deployment web');
    expect(opened).toHaveLength(2);
    expect(opened[1]?.text).toContain(
      '#\n# deployments.apps "web" was not valid:\n# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n#\n',
    );
    expect(r.output).toBe('error: deployments.apps "web" is invalid\ndeployment.apps/web edited\n');
    expect(r.code).toBe(0);
    expect(replicas(s)).toBe('3');
  });

  it('cancelling after a refusal keeps nothing', () => {
    const { s } = withDeployment([(r) => r.text.replace('replicas: 2', 'replicas: -1'), () => undefined]);
    const r = s.run('kubectl edit deployment web');
    expect(r.output).toMatch(
      /^error: deployments.apps "web" is invalid\nA copy of your changes has been stored to "\/tmp\/kubectl-edit-\d+\.yaml"\nerror: Edit cancelled, no valid changes were saved\.\n$/,
    );
    expect(r.code).toBe(1);
    expect(replicas(s)).toBe('2');
  });

  it('reports a missing object as get does, and -o yaml prints the edited object', () => {
    const { s, opened } = withDeployment([(r) => r.text.replace('replicas: 2', 'replicas: 1')]);
    expect(s.run('kubectl edit deployment nope').output).toBe(
      'Error from server (NotFound): deployments.apps "nope" not found\n',
    );
    expect(opened).toHaveLength(0);
    const r = s.run('kubectl edit deployment web -o yaml');
    expect(r.stdout).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\n/);
    expect(r.stdout).toContain('  replicas: 1\n');
  });

  it('says it needs the editor pane where there is none', () => {
    const s = new Session({ scenario: 'single', seed: 7 });
    const r = s.run('kubectl edit namespace default');
    expect(r.output).toBe(
      "error: kubectl edit needs the page's editor pane; in scripts, change objects with kubectl apply -f, scale, set image or label\n",
    );
    expect(r.code).toBe(1);
    // The objects are resolved first, as kubectl does: unknown objects and missing arguments fail as there.
    expect(s.run('kubectl edit deployment web').output).toBe(
      'Error from server (NotFound): deployments.apps "web" not found\n',
    );
    expect(s.run('kubectl edit').output).toMatch(
      /^error: You must provide one or more resources by argument or filename\.\n/,
    );
  });

  it('prints kubectl help', () => {
    const r = lab().s.run('kubectl edit --help');
    expect(r.stdout).toMatch(/^Edit a resource from the default editor\.\n/);
    expect(r.stdout).toContain('    --output-patch=false:\n\tOutput the patch if the resource is edited.\n');
    expect(r.stdout).toContain('Usage:\n  kubectl edit (RESOURCE/NAME | -f FILENAME) [options]\n');
  });

  it('writes header reasons and strips comments as kubectl does', () => {
    expect(editHeader([{ head: 'a\nb', other: ['x: y'] }])).toMatch(/#\n# a\n# b:\n# \* x: y\n#\n$/);
    expect(manualStrip('# c\na: 1\n  # d\n#!keep\n')).toBe('a: 1\n#!keep\n');
    expect(stripComments('# c\nb: 2\na: 1\n')).toBe('{"a":1,"b":2}');
  });
});

describe('vi, vim, nano', () => {
  it('open a new file empty and write it on save', () => {
    const { s, opened } = lab([() => 'hello\nworld\n']);
    const r = s.run('vi notes.txt');
    expect(opened[0]).toEqual({ title: 'notes.txt (new file) — vi', text: '', language: 'text' });
    expect(r.output).toBe('"notes.txt" [New] 2L, 12B written\n');
    expect(s.run('cat notes.txt').stdout).toBe('hello\nworld\n');
  });

  it('open an existing file relative to the working directory; Cancel leaves it alone', () => {
    const { s, opened } = lab([(r) => `${r.text}more\n`, () => undefined]);
    s.run('mkdir work');
    s.run('cd work');
    s.run('echo first > a.yaml');
    expect(s.run('nano a.yaml').output).toBe('[ Wrote 2 lines ]\n');
    expect(opened[0]).toMatchObject({ title: 'a.yaml — nano', text: 'first\n', language: 'yaml' });
    expect(s.run('vim a.yaml').output).toBe('');
    expect(s.run('cat ~/work/a.yaml').stdout).toBe('first\nmore\n');
  });

  it('fail clearly without the editor pane, on folders and without a file', () => {
    const s = new Session({ scenario: 'single', seed: 7 });
    expect(s.run('vi notes.txt').output).toBe(
      "error: vi needs the page's editor pane; in scripts, write files with cat > FILE <<EOF\n",
    );
    expect(s.run('vi examples').output).toBe('vi: examples: Is a directory\n');
    expect(s.run('nano').output).toBe('nano: a file name is needed; usage: nano FILE\n');
  });
});
