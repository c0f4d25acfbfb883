import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMS } from '../../src/script/programs';
import { Session } from '../../src/script/session';
import { watch, watchHeader, xargs } from '../../src/shell/jobTools';
import { awk, base64, column, cut, sort, tr, uniq } from '../../src/shell/moreTools';
import { parseCommandLine } from '../../src/shell/parse';
import type { Program } from '../../src/shell/program';
import { runProgram } from '../../src/shell/runProgram';
import { Cluster } from '../../src/sim/cluster/cluster';

let cluster: Cluster;
beforeAll(() => {
  cluster = new Cluster('single', 1);
});
const run = (p: Program, argv: string[], stdin = '') => runProgram(cluster, p, argv, { stdin });

describe('sort', () => {
  it('sorts text, numbers, keys, reversed and unique', () => {
    expect(run(sort, [], 'b\na\nc\n').stdout).toBe('a\nb\nc\n');
    expect(run(sort, ['-n'], '10\n9\n100\n').stdout).toBe('9\n10\n100\n');
    expect(run(sort, ['-rn'], '10\n9\n100\n').stdout).toBe('100\n10\n9\n');
    expect(run(sort, ['-k', '2', '-n'], 'a 3\nb 1\nc 2\n').stdout).toBe('b 1\nc 2\na 3\n');
    expect(run(sort, ['-t', ',', '-k2'], 'x,b\ny,a\n').stdout).toBe('y,a\nx,b\n');
    expect(run(sort, ['-u'], 'a\nb\na\n').stdout).toBe('a\nb\n');
  });
  it('rejects unknown options like GNU sort', () => {
    expect(run(sort, ['-z']).stderr).toBe(
      "sort: invalid option -- 'z'\nTry 'sort --help' for more information.\n",
    );
    expect(run(sort, ['-k']).stderr).toContain("option requires an argument -- 'k'");
  });
});

describe('uniq', () => {
  it('collapses adjacent lines and counts them as GNU does', () => {
    expect(run(uniq, [], 'a\na\nb\na\n').stdout).toBe('a\nb\na\n');
    expect(run(uniq, ['-c'], 'a\na\nb\n').stdout).toBe('      2 a\n      1 b\n');
    expect(run(uniq, ['-x']).code).toBe(1);
  });
});

describe('cut', () => {
  it('cuts fields and characters', () => {
    expect(run(cut, ['-d', '/', '-f', '2'], 'pod/web\npod/db\n').stdout).toBe('web\ndb\n');
    expect(run(cut, ['-d:', '-f1,3'], 'a:b:c\n').stdout).toBe('a:c\n');
    expect(run(cut, ['-c', '1-3'], 'abcdef\n').stdout).toBe('abc\n');
    expect(run(cut, ['-f', '2'], 'no tab\n').stdout).toBe('no tab\n');
  });
  it('needs a list', () => {
    expect(run(cut, []).stderr).toBe(
      "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n",
    );
    expect(run(cut, ['-f', '0']).stderr).toContain('fields and positions are numbered from 1');
  });
});

describe('tr, column, base64', () => {
  it('translates, deletes and squeezes', () => {
    expect(run(tr, ['a-z', 'A-Z'], 'web\n').stdout).toBe('WEB\n');
    expect(run(tr, ['[:lower:]', '[:upper:]'], 'x\n').stdout).toBe('X\n');
    expect(run(tr, ['-d', '\\n'], 'a\nb\n').stdout).toBe('ab');
    expect(run(tr, ['-s', ' '], 'a   b\n').stdout).toBe('a b\n');
    expect(run(tr, ['a']).stderr).toContain("missing operand after 'a'");
  });
  it('column -t aligns whitespace-separated columns', () => {
    expect(run(column, ['-t'], 'NAME AGE\nweb-1 5m\n').stdout).toBe('NAME   AGE\nweb-1  5m\n');
    expect(run(column, ['-t', '-s', ','], 'a,bb\nccc,d\n').stdout).toBe('a    bb\nccc  d\n');
  });
  it('base64 encodes and decodes (secrets)', () => {
    expect(run(base64, [], 'hello').stdout).toBe('aGVsbG8=\n');
    expect(run(base64, ['-d'], 'aGVsbG8=').stdout).toBe('hello');
    expect(run(base64, ['--decode'], 'cGFzc3dvcmQ=\n').stdout).toBe('password');
    expect(run(base64, ['-d'], '!!!')).toMatchObject({ code: 1, stderr: 'base64: invalid input\n' });
  });
});

describe('awk (the tutorial subset)', () => {
  const table = 'NAME READY STATUS\nweb-1 1/1 Running\ndb-1 0/1 Pending\n';
  it('prints fields, NF, with NR patterns and -F', () => {
    expect(run(awk, ['{print $1}'], table).stdout).toBe('NAME\nweb-1\ndb-1\n');
    expect(run(awk, ['NR>1 {print $1, $3}'], table).stdout).toBe('web-1 Running\ndb-1 Pending\n');
    expect(run(awk, ['{print $NF}'], table).stdout).toBe('STATUS\nRunning\nPending\n');
    expect(run(awk, ['-F', '/', '{print $2}'], 'pod/web\n').stdout).toBe('web\n');
    expect(run(awk, ['-F:', '{ print $1 }'], 'a:b\n').stdout).toBe('a\n');
    expect(run(awk, ['/Running/ {print $1}'], table).stdout).toBe('web-1\n');
    expect(run(awk, ['$3=="Pending" {print $1}'], table).stdout).toBe('db-1\n');
    expect(run(awk, ['NR==1'], table).stdout).toBe('NAME READY STATUS\n');
  });
  it('says clearly what it does not know', () => {
    const r = run(awk, ['{sum += $2} END {print sum}'], table);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^awk: cmd\. line:1: .*\nawk: this lab's awk knows only/);
    expect(run(awk, []).stderr).toBe("usage: awk [-F fs] 'program' [file ...]\n");
  });
});

describe('the shell: variables, $(...), xargs, watch', () => {
  it('expands variables and command substitution, splitting unquoted output', () => {
    const s = new Session({ scenario: 'single', seed: 2 });
    const braced = ['X=hello; echo $X "$', '{X}!', '" ', "'$X'"].join('');
    expect(s.run(braced).stdout).toBe('hello hello! $X\n');
    expect(s.run('export GREETING=hi; echo $GREETING').stdout).toBe('hi\n');
    expect(s.run('echo [$NOPE]').stdout).toBe('[]\n');
    expect(s.run('X=\'a   b\'; echo $X "$X" $(echo $X)').stdout).toBe('a b a   b a b\n');
    s.run('kubectl create deployment web --image=nginx --replicas=2');
    s.run('advance 30s');
    const r = s.run('POD=$(kubectl get pods -o name | head -1); kubectl get $POD -o name');
    expect(r.stdout).toMatch(/^pod\/web-[a-z0-9]+-[a-z0-9]+\n$/);
    expect(s.run('nope; echo $?').stdout).toBe('127\n');
    expect(parseCommandLine('echo $(oops').ok).toBe(false);
  });

  it('xargs runs a command with stdin as arguments', () => {
    const s = new Session({ scenario: 'single', seed: 2 });
    expect(s.run('echo a b c | xargs echo x').stdout).toBe('x a b c\n');
    expect(s.run('echo a b c | xargs -n 1 echo').stdout).toBe('a\nb\nc\n');
    expect(s.run('echo -n | xargs echo [empty]').stdout).toBe('[empty]\n');
    expect(s.run('echo -n | xargs -r echo [empty]').stdout).toBe('');
    expect(s.run('echo one | xargs -I {} echo [{}]').stdout).toBe('[one]\n');
    expect(s.run('echo a | xargs nope').code).toBe(127);
    expect(s.run('echo a | xargs -q').stderr).toContain("xargs: invalid option -- 'q'");
    s.run('kubectl create namespace scratch');
    expect(s.run('kubectl get ns scratch -o name | xargs kubectl delete').stdout).toBe(
      'namespace "scratch" deleted\n',
    );
  });

  it('watch re-runs every N simulated seconds with procps header until Ctrl-C', () => {
    expect(watchHeader(2, 'date', 0)).toMatch(/^Every 2\.0s: date {2,}cplab: Wed Nov 25 09:00:00 2026$/);
    expect(watchHeader(2, 'date', 0)).toHaveLength(80);
    const s = new Session({ scenario: 'single', seed: 2 });
    let out = '';
    let exit: number | undefined;
    const started = s.start(
      'watch -n 5 echo tick',
      '',
      { stdout: (t) => void (out += t), stderr: (t) => void (out += t) },
      (c) => {
        exit = c;
      },
    );
    if (!started.ok) throw new Error(started.error);
    s.cluster.sim.runUntil(s.cluster.sim.nowMs + 12_000);
    expect(out.match(/Every 5\.0s: echo tick/g)).toHaveLength(3);
    expect(out).toContain('\x1b[H\x1b[2J');
    expect(out).toContain('\n\ntick\n');
    started.handle.cancel();
    expect(exit).toBe(130);
    const n = out.length;
    s.cluster.sim.runUntil(s.cluster.sim.nowMs + 12_000);
    expect(out).toHaveLength(n);
    expect(run(watch, []).stderr).toContain('Usage:\n watch [options] command');
    expect(run(watch, ['-n', 'x', 'date']).stderr).toBe("watch: failed to parse argument: 'x'\n");
    expect(run(xargs, [], 'a').stderr).toBe('xargs: cannot run commands from here\n');
  });
});

describe('robustness', () => {
  const tools: [string, Program][] = [
    ['sort', sort],
    ['uniq', uniq],
    ['cut', cut],
    ['tr', tr],
    ['awk', awk],
    ['column', column],
    ['base64', base64],
    ['xargs', xargs],
    ['watch', watch],
  ];
  it('random argument lists never throw', () => {
    const word = fc.oneof(
      fc.constantFrom(
        '-n',
        '-k',
        '-t',
        '-r',
        '-u',
        '-c',
        '-d',
        '-f',
        '-F',
        '-s',
        '-w',
        '-I',
        '--',
        '-',
        '{print $1}',
        'NR>1',
        '2',
        '0',
        '1-',
        ',',
        '/',
      ),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...tools),
        fc.array(word, { maxLength: 6 }),
        fc.string({ maxLength: 30 }),
        ([, p], argv, stdin) => {
          const r = runProgram(cluster, p, argv, { stdin, limitMs: 3000 });
          expect(typeof r.code).toBe('number');
          expect(r.stderr).not.toMatch(/^error: /m);
        },
      ),
      { numRuns: 300 },
    );
  });
  it('every new tool is registered', () => {
    for (const [name] of tools) expect(PROGRAMS.has(name)).toBe(true);
  });
});
