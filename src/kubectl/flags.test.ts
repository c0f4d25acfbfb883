import { describe, expect, it } from 'vitest';
import { type FlagSpec, flagBool, flagList, flagString, parseFlags } from './flags';

const SPECS: FlagSpec[] = [
  { name: 'all-namespaces', short: 'A', type: 'bool', usage: '' },
  { name: 'watch', short: 'w', type: 'bool', usage: '' },
  { name: 'output', short: 'o', type: 'string', defaultValue: '', usage: '' },
  { name: 'namespace', short: 'n', type: 'string', usage: '' },
  { name: 'no-headers', type: 'bool', defaultValue: 'false', usage: '' },
  { name: 'chunk-size', type: 'int', defaultValue: '500', usage: '' },
  { name: 'label-columns', short: 'L', type: 'stringSlice', usage: '' },
  { name: 'dry-run', type: 'string', defaultValue: 'none', noOptDefault: 'unchanged', usage: '' },
];

function ok(argv: string[]) {
  const r = parseFlags(argv, SPECS);
  if (!r.ok) throw new Error(r.error);
  return r.parsed;
}

function error(argv: string[]): string {
  const r = parseFlags(argv, SPECS);
  if (r.ok) throw new Error('parsed');
  return r.error;
}

describe('parseFlags (pflag)', () => {
  it('reads every value form and keeps arguments in order', () => {
    const p = ok([
      'nodes',
      '-ojson',
      '--namespace=x',
      'cp-1',
      '-Aw',
      '--chunk-size',
      '10',
      '-L',
      'a,b',
      '-L=c',
    ]);
    expect(p.args).toEqual(['nodes', 'cp-1']);
    expect(flagString(p, 'output')).toBe('json');
    expect(flagString(p, 'namespace')).toBe('x');
    expect(flagBool(p, 'all-namespaces') && flagBool(p, 'watch')).toBe(true);
    expect(p.values.get('chunk-size')).toBe(10);
    expect(flagList(p, 'label-columns')).toEqual(['a', 'b', 'c']);
    expect(p.changed?.has('no-headers')).toBe(false);
    expect(flagBool(p, 'no-headers')).toBe(false);
  });

  it('treats -o= as the value "=" and -o=json as "json", as pflag does', () => {
    expect(flagString(ok(['-o=']), 'output')).toBe('=');
    expect(flagString(ok(['-o=json']), 'output')).toBe('json');
  });

  it('gives flags with an optional value their implied value without eating the next argument', () => {
    const p = ok(['--dry-run', 'ns']);
    expect(flagString(p, 'dry-run')).toBe('unchanged');
    expect(p.args).toEqual(['ns']);
  });

  it('stops at --', () => {
    expect(ok(['a', '--', '-o', 'b']).args).toEqual(['a', '-o', 'b']);
  });

  it('reports errors in pflag words', () => {
    expect(error(['--foo'])).toBe('unknown flag: --foo');
    expect(error(['--foo=1'])).toBe('unknown flag: --foo');
    expect(error(['-x'])).toBe("unknown shorthand flag: 'x' in -x");
    expect(error(['-Ax'])).toBe("unknown shorthand flag: 'x' in -x");
    expect(error(['-n'])).toBe("flag needs an argument: 'n' in -n");
    expect(error(['--namespace'])).toBe('flag needs an argument: --namespace');
    expect(error(['--no-headers=foo'])).toBe(
      'invalid argument "foo" for "--no-headers" flag: strconv.ParseBool: parsing "foo": invalid syntax',
    );
    expect(error(['-A=maybe'])).toBe(
      'invalid argument "maybe" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
    );
    expect(error(['--chunk-size=x'])).toBe(
      'invalid argument "x" for "--chunk-size" flag: strconv.ParseInt: parsing "x": invalid syntax',
    );
    expect(error(['---x'])).toBe('bad flag syntax: ---x');
  });
});
