// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell lines, where ${…} is the shell's
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { complete } from '../../src/script/complete';
import { Session } from '../../src/script/session';
import { ArithError, evalArith } from '../../src/shell/arith';
import { escapeGlob, globPaths, patternRegExp } from '../../src/shell/glob';
import { parseCommandLine } from '../../src/shell/parse';
import { VirtualFs } from '../../src/shell/vfs';

/**
 * The shell's expansions, each checked against what GNU bash 5.2 prints for the same line
 * (interactive: an expansion error stops the rest of the line with status 1).
 */

let s: Session;
beforeAll(() => {
  s = new Session({ scenario: 'single', seed: 3 });
});
const sh = (line: string) => s.run(line);
const out = (line: string) => sh(line).output;

describe('parameter expansion', () => {
  it('defaults, assignments and alternatives, with and without the colon', () => {
    expect(out('unset U; E=; V=set; echo ${U:-d} ${U-d} ${E:-d} [${E-d}] ${V:-d}')).toBe('d d d [] set\n');
    expect(out('unset N; echo ${N:=seven} $N; E=; echo [${E=x}] ${E:=y} $E')).toBe('seven seven\n[] y y\n');
    expect(out('unset U; E=; V=v; echo [${U:+a}] [${E:+a}] [${E+a}] ${V:+alt}')).toBe('[] [] [a] alt\n');
    expect(out('unset U; echo ${U:-$((2+3))} "${U:-$(echo a   b)}" ${U:-~/x}')).toBe(
      '5 a b /home/learner/x\n',
    );
    // bash keeps single quotes inside a double-quoted ${…}, removes double quotes.
    expect(out(`unset Z; echo "\${Z:-'q'}" \${Z:-'q r'} "\${Z:-"a b"}"`)).toBe("'q' q r a b\n");
  });

  it('splits an unquoted default into words, but not a quoted one', () => {
    expect(out('unset U; echo ${U:-a  b} "${U:-a  b}"')).toBe('a b a  b\n');
    expect(out("unset U; echo ${U:-'a  b'}x")).toBe('a  bx\n');
  });

  it("${VAR:?} stops the line with bash's messages", () => {
    expect(sh('unset U; echo ${U:?unset here}; echo after')).toMatchObject({
      output: 'bash: U: unset here\n',
      code: 1,
    });
    expect(out('unset U; echo ${U?}')).toBe('bash: U: parameter not set\n');
    expect(out('E=; echo ${E:?}')).toBe('bash: E: parameter null or not set\n');
    expect(out('echo $?')).toBe('1\n');
  });

  it('length, prefixes, suffixes, substitution, case and substrings', () => {
    const x = 'X=/root/a:/root/b;';
    expect(out(`${x} echo \${#X} \${X#*/} \${X##*/} \${X%/*} [\${X%%/*}]`)).toBe(
      '15 root/a:/root/b b /root/a:/root []\n',
    );
    expect(out(`${x} echo \${X/a/Q} \${X//\\//_} \${X/%b/E} \${X/#\\/root/H}`)).toBe(
      '/root/Q:/root/b _root_a:_root_b /root/a:/root/E H/a:/root/b\n',
    );
    expect(out(`${x} echo \${X:2} \${X:2:3} \${X: -2} \${X:1:-1}`)).toBe(
      'oot/a:/root/b oot /b root/a:/root/\n',
    );
    expect(out('Y=heLLo; echo ${Y^} ${Y^^} ${Y,,} ${Y,} ${Y^^[lo]}')).toBe('HeLLo HELLO hello heLLo heLLO\n');
    expect(out('X=abc; echo ${X//*/Q} ${X//b*/Q} ${X/#/P} ${X/%/S} ${X//?/<&>} ${X/b/\\&}')).toBe(
      'Q aQ Pabc abcS <a><b><c> a&c\n',
    );
    expect(out('X=; echo ${X/*/Q} ${X//*/Q}')).toBe('Q Q\n');
    expect(out('X=abc; echo ${X:1:-5}')).toBe('bash: -5: substring expression < 0\n');
    expect(out("X=a.b.c; echo ${X%.*} ${X%%.*} ${X#*.} ${X##*.} ${X//[.]/-} ${X/'.'/_}")).toBe(
      'a.b a b.c c a-b-c a_b.c\n',
    );
    expect(out('IMG=nginx:1.27; echo ${IMG%%:*} ${IMG#*:}')).toBe('nginx 1.27\n');
    expect(out('N=X; X=hi; echo ${!N}')).toBe('hi\n');
  });

  it('bad substitutions fail when they run, after the commands before them', () => {
    expect(sh('echo hi; echo ${a b}; echo after')).toMatchObject({
      output: 'hi\nbash: ${a b}: bad substitution\n',
      code: 1,
    });
    for (const bad of ['${}', '${X:}', '${#X:-1}', '${1x}', '${!}'])
      expect(out(`echo ${bad}`)).toBe(`bash: ${bad}: bad substitution\n`);
    expect(parseCommandLine('echo ${a')).toEqual({ ok: false, error: 'bash: ${a: bad substitution' });
  });

  it('positional and special parameters of an interactive shell', () => {
    expect(out('echo [$#] [$1] [${1:-one}] [$@] $0')).toBe('[0] [] [one] [] bash\n');
  });
});

describe('arithmetic expansion', () => {
  it('evaluates integers, operators and variables as bash does', () => {
    expect(
      out('echo $((x+1)) $((010)) $((0x1f)) $((2#101)) $((-7/2)) $((-7%2)) $((2**63)) $((1<2)) $((3>=4))'),
    ).toBe('1 8 31 5 -3 -1 -9223372036854775808 1 0\n');
    expect(out("b='1+2'; echo $((b*2)) $(($b*2))")).toBe('6 5\n');
    expect(
      out('echo $(( (1+2)*3 )) $((1 ? 2 : 3)) $(( 1 && 0 || 1 )) $(( -2 ** 2 )) $(( 2 ** 3 ** 2 ))'),
    ).toBe('9 2 1 4 512\n');
    expect(out('i=1; echo $((i++)) $i $((++i)) $((i+=10)) $i $((a=5)) $a')).toBe('1 2 3 13 13 5 5\n');
    expect(out('echo $(( ~5 )) $(( 6 & 3 )) $(( 6 | 3 )) $(( 6 ^ 3 )) $(( 1 << 4 )) $(( -16 >> 2 ))')).toBe(
      '-6 2 7 5 16 -4\n',
    );
    expect(out('echo $((9999999999999999999)) $(( 64#z )) $(( 1, 2 )) $(( )) "$(( $(echo 3) + 1 ))"')).toBe(
      '-8446744073709551617 35 2 0 4\n',
    );
    expect(out('echo $(( 0 && 1/0 )) $(( 1 || 1/0 )) $(( 0 ? 1/0 : 7 ))')).toBe('0 1 7\n');
  });

  it("reports errors with bash 5.2's words and stops the line", () => {
    const cases: [string, string][] = [
      ['$((1/0))', '1/0: division by 0 (error token is "0")'],
      ['$(( 5 % 0 ))', '5 % 0 : division by 0 (error token is "0 ")'],
      ['$(( 5 / (2 - 2) ))', '5 / (2 - 2) : division by 0 (error token is "(2 - 2) ")'],
      ['$((1+))', '1+: syntax error: operand expected (error token is "+")'],
      ['$((1 2))', '1 2: syntax error in expression (error token is "2")'],
      ['$((2**-1))', '2**-1: exponent less than 0 (error token is "1")'],
      ['$(( 1 +* 2 ))', '1 +* 2 : syntax error: operand expected (error token is "* 2 ")'],
      ['$(( 08 ))', '08: value too great for base (error token is "08")'],
      ['$(( 1 = 2 ))', '1 = 2 : attempted assignment to non-variable (error token is "= 2 ")'],
      ['$(( 1 ? 2 ))', '1 ? 2 : `:\' expected for conditional expression (error token is "2 ")'],
      ['$((x=))', 'x=: syntax error: operand expected (error token is "=")'],
      ['$((1.5 + 1))', '1.5 + 1: syntax error: invalid arithmetic operator (error token is ".5 + 1")'],
      ["$(( '3' + 1 ))", `'3' + 1 : syntax error: operand expected (error token is "'3' + 1 ")`],
    ];
    for (const [expr, message] of cases) {
      expect(sh(`echo ${expr}; echo after`), expr).toMatchObject({ output: `bash: ${message}\n`, code: 1 });
    }
    expect(out('a=3a; echo $((a+1))')).toBe('bash: 3a: value too great for base (error token is "3a")\n');
    expect(out('a=a; echo $((a))')).toBe(
      'bash: a: expression recursion level exceeded (error token is "a")\n',
    );
    expect(parseCommandLine('echo $(( 3 +')).toEqual({
      ok: false,
      error: "bash: unexpected EOF while looking for matching `)'",
    });
  });

  it('$((a+b)) is a+b for any 32-bit integers, and wraps as a 64-bit int', () => {
    const ses = new Session({ scenario: 'single', seed: 4 });
    fc.assert(
      fc.property(fc.integer(), fc.integer(), fc.constantFrom('+', '-', '*'), (a, b, op) => {
        const want = BigInt.asIntN(
          64,
          op === '+' ? BigInt(a) + BigInt(b) : op === '-' ? BigInt(a) - BigInt(b) : BigInt(a) * BigInt(b),
        );
        expect(
          ses.run(`a=${a}; echo $((a ${op} $b)) $(( ${a}${op}(${b}) ))`.replace('$b', String(b))).stdout,
        ).toBe(`${want} ${want}\n`);
      }),
      { numRuns: 150 },
    );
  });

  it('evalArith never throws anything but ArithError on random text', () => {
    const vars = { get: () => undefined, set: () => {} };
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        try {
          evalArith(text, vars);
        } catch (e) {
          expect(e).toBeInstanceOf(ArithError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('${#VAR}', () => {
  it('is the number of characters of any value', () => {
    const ses = new Session({ scenario: 'single', seed: 4 });
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (value) => {
        const quoted = `'${value.replaceAll("'", "'\\''")}'`;
        expect(ses.run(`V=${quoted}; echo \${#V}`).stdout).toBe(`${[...value].length}\n`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('environment prefix', () => {
  it("gives the command its variables without changing the shell's", () => {
    expect(out('X=old; X=1 Y=$X printenv Y; echo "X=$X"')).toBe('1\nX=old\n');
    expect(out('X=old; X=1 echo $X')).toBe('old\n');
    expect(out('unset Q; Q=5 printenv Q; echo "Q=[$Q]"')).toBe('5\nQ=[]\n');
    expect(out('A=1 B=2 env | grep "^[AB]="')).toBe('A=1\nB=2\n');
    expect(sh('Z=z; printenv Z').code).toBe(1);
    expect(out('export Z2=z; printenv Z2; env W=1 printenv W')).toBe('z\n1\n');
    expect(out('X=5; X=1 true; echo $X')).toBe('5\n');
  });

  it('export lists the exported variables as declare -x, sorted', () => {
    const ses = new Session({ scenario: 'single', seed: 4 });
    expect(ses.run('export B="a b" A; A=1; export').stdout).toBe(
      [
        'declare -x A="1"',
        'declare -x B="a b"',
        'declare -x HOME="/home/learner"',
        'declare -x PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"',
        'declare -x SHELL="/bin/bash"',
        'declare -x USER="learner"',
        '',
      ].join('\n'),
    );
  });
});

describe('$? and ~', () => {
  it('remembers the last status across lines', () => {
    expect(out('false; echo $?; true; echo $?')).toBe('1\n0\n');
    sh('false');
    expect(out('echo $?')).toBe('1\n');
    expect(out('X=$(false); echo $?')).toBe('1\n');
  });

  it('expands ~ at the start of words and after = and : in assignments', () => {
    expect(out('echo a=~ --x=~/y ~ ~/z "~" X=~:~ a~')).toBe(
      'a=/home/learner --x=~/y /home/learner /home/learner/z ~ X=/home/learner:/home/learner a~\n',
    );
    expect(out('X=~/a:~/b; echo $X $HOME')).toBe('/home/learner/a:/home/learner/b /home/learner\n');
  });
});

describe('pathname expansion', () => {
  it('matches the lab filesystem, sorted, and leaves a word that matches nothing', () => {
    const ses = new Session({ scenario: 'single', seed: 4 });
    const run = (l: string) => ses.run(l).output;
    expect(run('cd examples; echo n*; echo [nr]*-deployment.yaml; echo ?; echo ../*/')).toBe(
      'nginx-deployment.yaml nginx-service.yaml\nnginx-deployment.yaml redis-deployment.yaml\n?\n../examples/\n',
    );
    expect(run('echo "*" \\* x* [!a-z]*; X="*.crt"; echo $X "$X"')).toBe('* * x* [!a-z]*\ntls.crt *.crt\n');
    expect(run('cd; mkdir m; echo a > m/.hidden; echo b > m/b.yaml; echo m/* m/.*')).toBe(
      'm/b.yaml m/.hidden\n',
    );
    expect(run('ls ~/examples/*.crt ~/examples/*.key')).toBe(
      '/home/learner/examples/tls.crt\n/home/learner/examples/tls.key\n',
    );
    expect(run('cat nope*')).toBe('cat: nope*: No such file or directory\n');
    expect(run('cat m/*.yaml')).toBe('b\n');
  });

  it('kubectl apply -f with a glob: the shell expands it, as bash would', () => {
    const ses = new Session({ scenario: 'single', seed: 4 });
    expect(ses.run('cd examples && kubectl apply -f nginx-d*.yaml --dry-run=client').output).toBe(
      'deployment.apps/nginx created (dry run)\n',
    );
    // Two matches make the second a stray argument, the classic surprise of an unquoted -f glob…
    expect(ses.run('kubectl apply -f nginx-*.yaml --dry-run=client').output).toBe(
      "error: Unexpected args: [nginx-service.yaml]\nSee 'kubectl apply -h' for help and examples\n",
    );
    // …which quoting avoids: kubectl expands the pattern itself.
    expect(ses.run("kubectl apply -f 'nginx-*.yaml' --dry-run=client").output).toBe(
      'deployment.apps/nginx created (dry run)\nservice/nginx created (dry run)\n',
    );
  });

  it('glob patterns: classes, negation, literal marks', () => {
    expect(patternRegExp('[a-c]?*').test('bzz')).toBe(true);
    expect(patternRegExp('[!a-c]*').test('bzz')).toBe(false);
    expect(patternRegExp('[[:digit:]]x').test('7x')).toBe(true);
    expect(patternRegExp(escapeGlob('*')).test('abc')).toBe(false);
    expect(patternRegExp('[]]').test(']')).toBe(true);
    expect(patternRegExp('[a').test('[a')).toBe(true);
    const fs = new VirtualFs({ '/home/learner/a/x.yaml': '', '/home/learner/b/y.yaml': '' });
    expect(globPaths('*/*.yaml', fs)).toEqual(['a/x.yaml', 'b/y.yaml']);
    expect(globPaths('/home/learner/?/x.*', fs)).toEqual(['/home/learner/a/x.yaml']);
    expect(globPaths('nothing/*', fs)).toEqual([]);
  });
});

describe('Tab completion after an environment prefix', () => {
  it('looks past NAME=value words to the program', () => {
    const source = {
      programs: ['kubectl', 'kill'],
      namespace: 'default',
      objectNames: () => [],
      listDir: () => [],
    };
    expect(complete('KUBE_EDITOR=nano kub', source).candidates).toEqual(['kubectl']);
    expect(complete('A=1 B=2 kubectl get depl', source).candidates).toEqual(
      complete('kubectl get depl', source).candidates,
    );
  });
});
