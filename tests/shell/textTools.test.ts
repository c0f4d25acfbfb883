import { describe, expect, it } from 'vitest';
import type { Program, ProgramContext } from '../../src/shell/program';
import { headlessSession } from '../../src/shell/runProgram';
import { echo, grep, head, tail, wc } from '../../src/shell/textTools';
import { spawn } from '../../src/sim/kernel/task';

/** Runs a text tool (they never wait on the cluster) and returns what it printed. */
function run(program: Program, argv: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  let code = -1;
  const ctx = {
    cluster: undefined as never,
    client: undefined as never,
    stdin,
    stdout: (t: string) => void (stdout += t),
    stderr: (t: string) => void (stderr += t),
    session: headlessSession(),
  } satisfies ProgramContext;
  spawn(program(argv, ctx), (o) => {
    code = o.ok ? o.value : 99;
  });
  return { stdout, stderr, code };
}

const table = 'NAME       STATUS\ncp-1       Ready\ncp-2       NotReady\nworker-1   Ready\n';

describe('text tools', () => {
  it('echo joins its arguments, -n drops the newline', () => {
    expect(run(echo, ['a', 'b']).stdout).toBe('a b\n');
    expect(run(echo, ['-n', 'a']).stdout).toBe('a');
  });

  it('grep filters lines and exits 1 when nothing matches', () => {
    expect(run(grep, ['Ready'], table).stdout).toBe(
      'cp-1       Ready\ncp-2       NotReady\nworker-1   Ready\n',
    );
    expect(run(grep, ['-w', 'Ready'], table).stdout).toBe('cp-1       Ready\nworker-1   Ready\n');
    expect(run(grep, ['-v', 'Ready'], table).stdout).toBe('NAME       STATUS\n');
    expect(run(grep, ['-c', 'cp'], table).stdout).toBe('2\n');
    expect(run(grep, ['-i', 'name'], table).stdout).toBe('NAME       STATUS\n');
    expect(run(grep, ['-E', 'cp-1|worker'], table).stdout).toBe('cp-1       Ready\nworker-1   Ready\n');
    expect(run(grep, ['cp-1\\|worker'], table).stdout).toBe('cp-1       Ready\nworker-1   Ready\n');
    expect(run(grep, ['zzz'], table).code).toBe(1);
  });

  it('grep reports usage and bad options with status 2', () => {
    expect(run(grep, []).code).toBe(2);
    expect(run(grep, ['--bogus', 'x']).stderr).toMatch(/^grep: unrecognized option '--bogus'\n/);
    expect(run(grep, ['-Z', 'x']).stderr).toMatch(/^grep: invalid option -- 'Z'\n/);
    expect(run(grep, ['-A', 'x', 'y']).stderr).toBe('grep: x: invalid context length argument\n');
  });

  it('grep shows context (-A, -B, -C, "--" between groups), -o matches and -q', () => {
    const text = 'a\nEvents:\nb\nc\nd\nWarning x\ne\n';
    expect(run(grep, ['-A1', 'Events:'], text).stdout).toBe('Events:\nb\n');
    expect(run(grep, ['-B', '1', '-n', 'Warning'], text).stdout).toBe('5-d\n6:Warning x\n');
    expect(run(grep, ['-C1', '-e', 'Events:'], text).stdout).toBe('a\nEvents:\nb\n');
    expect(run(grep, ['--context=1', 'Events:\\|Warning'], text).stdout).toBe(
      'a\nEvents:\nb\n--\nd\nWarning x\ne\n',
    );
    expect(run(grep, ['-o', 'W[a-z]*'], text).stdout).toBe('Warning\n');
    expect(run(grep, ['-q', 'Warning'], text)).toMatchObject({ stdout: '', code: 0 });
  });

  it('grep matches any of several -e patterns; head and tail take bytes with -c', () => {
    expect(run(grep, ['-e', 'cp-1', '-e', 'worker'], table).stdout).toBe(
      'cp-1       Ready\nworker-1   Ready\n',
    );
    expect(run(grep, ['-c', '-eNAME', '-e', 'Not'], table).stdout).toBe('2\n');
    expect(run(head, ['-c', '4'], table).stdout).toBe('NAME');
    expect(run(tail, ['-c6'], table).stdout).toBe('Ready\n');
    expect(run(head, ['--bytes=2'], table).stdout).toBe('NA');
    expect(run(head, ['-c', 'x'], table).stderr).toMatch(/invalid number of bytes: 'x'/);
  });

  it('head and tail take -n N, -nN and -N', () => {
    expect(run(head, ['-n', '2'], table).stdout).toBe('NAME       STATUS\ncp-1       Ready\n');
    expect(run(head, ['-1'], table).stdout).toBe('NAME       STATUS\n');
    expect(run(tail, ['-n1'], table).stdout).toBe('worker-1   Ready\n');
    expect(run(tail, ['-n', 'x'], table).stderr).toMatch(/invalid number of lines: 'x'/);
  });

  it('wc prints GNU columns', () => {
    expect(run(wc, ['-l'], table).stdout).toBe('4\n');
    expect(run(wc, [], 'a b\nc\n').stdout).toBe('      2       3       6\n');
  });

  it('file arguments fail: there is no filesystem yet', () => {
    const r = run(head, ['notes.txt'], table);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('head: notes.txt: No such file or directory\n');
  });
});
