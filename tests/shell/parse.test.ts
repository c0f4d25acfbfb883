import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/shell/parse';

const ok = (line: string) => {
  const r = parseCommandLine(line);
  if (!r.ok) throw new Error(r.error);
  return r.list;
};

describe('parseCommandLine', () => {
  it('splits pipes and keeps quoted words whole', () => {
    const list = ok(`kubectl get nodes | grep "cp-1 x" | wc -l`);
    expect(list.pipelines).toHaveLength(1);
    expect(list.pipelines[0]?.commands).toEqual([
      ['kubectl', 'get', 'nodes'],
      ['grep', 'cp-1 x'],
      ['wc', '-l'],
    ]);
  });

  it('joins pipelines with && || and ;', () => {
    const list = ok('a && b || c ; d');
    expect(list.pipelines.map((p) => p.commands[0]?.[0])).toEqual(['a', 'b', 'c', 'd']);
    expect(list.connectors).toEqual(['&&', '||', ';']);
  });

  it('drops comments and tolerates a trailing semicolon', () => {
    expect(ok('echo hi # greet').pipelines[0]?.commands[0]).toEqual(['echo', 'hi']);
    expect(ok('echo hi;').connectors).toEqual([]);
  });

  it('marks variables for expansion at run time and leaves globs to be matched then', () => {
    const list = ok("echo $HOME *.yaml '$HOME'");
    expect(list.pipelines[0]?.commands[0]).toEqual(['echo', '\u00010\u0001', '*.yaml', '$HOME']);
    expect(list.expansions).toEqual([{ kind: 'var', name: 'HOME', quoted: false }]);
  });

  it('marks quoted pattern characters as literal, and ~, parameters and $((…)) as expansions', () => {
    const list = ok(`echo "*" '?' \\[ ~ ~/x a~ \${X:-d} $((1+2))`);
    expect(list.pipelines[0]?.commands[0]).toEqual([
      'echo',
      '\u0002',
      '\u0003',
      '\u0004',
      '\u00010\u0001',
      '\u00011\u0001/x',
      'a~',
      '\u00012\u0001',
      '\u00013\u0001',
    ]);
    expect(list.expansions).toEqual([
      { kind: 'tilde', quoted: true },
      { kind: 'tilde', quoted: true },
      { kind: 'param', name: 'X', op: ':-', word: 'd', text: `\${X:-d}`, quoted: false },
      { kind: 'arith', expr: '1+2', quoted: false },
    ]);
  });

  it('recognises a heredoc on the first command', () => {
    expect(ok('kubectl apply -f - <<EOF').heredocDelimiter).toBe('EOF');
    expect(ok("cat <<'END'").heredocDelimiter).toBe('END');
  });

  it.each([
    ['echo "open', 'bash: unexpected EOF while looking for matching `"\''],
    ["echo 'open", "bash: unexpected EOF while looking for matching `''"],
    ['| wc', "bash: syntax error near unexpected token `|'"],
    ['a | | b', "bash: syntax error near unexpected token `|'"],
    ['a &&', "bash: syntax error: unexpected end of file after `&&'"],
    ['a |', "bash: syntax error: unexpected end of file after `|'"],
  ])('rejects %j', (line, error) => {
    expect(parseCommandLine(line)).toEqual({ ok: false, error });
  });

  it('parses > >> and < redirections onto their pipeline', () => {
    expect(ok('kubectl get nodes -o yaml > nodes.yaml').pipelines[0]).toEqual({
      commands: [['kubectl', 'get', 'nodes', '-o', 'yaml']],
      redirect: { path: 'nodes.yaml', append: false },
    });
    expect(ok('echo hi >> log.txt').pipelines[0]?.redirect).toEqual({ path: 'log.txt', append: true });
    expect(ok('wc -l < nodes.txt').pipelines[0]?.input).toBe('nodes.txt');
    expect(parseCommandLine('echo >')).toEqual({
      ok: false,
      error: "bash: syntax error near unexpected token `newline'",
    });
  });

  it('refuses the redirections it does not model, clearly', () => {
    const r = parseCommandLine('kubectl get nodes 2>&1');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/redirection/);
  });
});
