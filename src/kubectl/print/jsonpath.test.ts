import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goSharpV, JsonPath, JsonPathError, parseJsonPath } from './jsonpath';
import { naturalLess, sortByField } from './sorter';
import { relaxedJsonPath, templatePrinter } from './templatePrinters';

const LIST = {
  kind: 'List',
  apiVersion: 'v1',
  items: [
    {
      metadata: { name: 'b', labels: { app: 'web' } },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      spec: { replicas: 3 },
    },
    {
      metadata: { name: 'a', labels: { app: 'db' } },
      status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }] },
      spec: { replicas: 10 },
    },
  ],
};

function run(template: string, data: unknown = LIST, allowMissing = true): string {
  const j = new JsonPath('out');
  j.allowMissingKeys = allowMissing;
  j.parse(template);
  return j.execute(data);
}

describe('jsonpath (client-go dialect)', () => {
  it('prints fields, wildcards, ranges, filters, unions and slices', () => {
    expect(run('{.items[*].metadata.name}')).toBe('b a');
    expect(run('{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}')).toBe(
      'b\tRunning\na\tPending\n',
    );
    expect(run('{.items[?(@.status.phase=="Pending")].metadata.name}')).toBe('a');
    expect(run('{.items[*].status.conditions[?(@.type=="Ready")].status}')).toBe('True False');
    expect(run('{.items[?(@.spec.replicas>5)].metadata.name}')).toBe('a');
    expect(run('{.items[-1:].metadata.name}|{.items[0,1].metadata.name}|{.items[::2].metadata.name}')).toBe(
      'a|b a|b',
    );
    expect(run("{.items[0].metadata['name']}")).toBe('b');
    expect(run('{..app}')).toBe('web db');
    expect(run('x{@.kind}y')).toBe('xListy');
  });

  it('prints maps and lists as compact JSON with sorted keys and scalars as Go does', () => {
    expect(run('{.items[0].metadata.labels}')).toBe('{"app":"web"}');
    expect(run('{.items[0].status.conditions}')).toBe('[{"status":"True","type":"Ready"}]');
    expect(run('{.x}', { x: null })).toBe('<nil>');
    expect(run('{.x} {.y} {2.50} {true}', { x: 0.5, y: 1e21 })).toBe('0.5 1e+21 2.5 true');
    expect(run('{.x}', { x: '<&>' })).toBe('<&>');
    expect(run('{.x}', { x: ['<'] })).toBe('["\\u003c"]');
  });

  it('reports client-go errors', () => {
    const err = (t: string, allow = true): string => {
      try {
        run(t, LIST, allow);
        return '';
      } catch (e) {
        expect(e).toBeInstanceOf(JsonPathError);
        return (e as Error).message;
      }
    };
    expect(err('{.foo')).toBe('unclosed action');
    expect(err('{.items[9]}')).toBe('array index out of bounds: index 9, length 2');
    expect(err('{.items[1:0]}')).toBe('starting index 1 is greater than ending index 0');
    expect(err('{end}')).toBe('not in range, nothing to end');
    expect(err('{.nope}', false)).toBe('nope is not found');
    expect(err('{.kind[0]}')).toBe('string is not array or slice');
    expect(err('{.items[?(@.x=~"a")]}')).toBe("unrecognized character in action: U+007E '~'");
    expect(err('{.items[?(@.spec.replicas=="3")]}')).toBe('incompatible types for comparison');
    expect(err('{....}')).toBe('invalid multiple recursive descent');
    expect(err('{[a]}')).toBe('invalid array index a');
  });

  it("formats objects as Go's %#v", () => {
    expect(goSharpV({ b: [1, 'x'], a: null, c: { d: true } })).toBe(
      'map[string]interface {}{"a":interface {}(nil), "b":[]interface {}{1, "x"}, "c":map[string]interface {}{"d":true}}',
    );
  });

  it('never throws anything but a JsonPathError on random templates', () => {
    const alphabet = fc.constantFrom(...'{}[]().@$*?,:\'"\\-+=!<>~ abc019\n\t'.split(''));
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 30 }).map((a) => a.join('')),
        (template) => {
          try {
            parseJsonPath(template);
            run(template);
          } catch (e) {
            if (!(e instanceof JsonPathError)) throw e;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives a kubectl-style error or output for every random template through the printer', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (template) => {
        const p = templatePrinter({
          output: `jsonpath=${template}`,
          template: '',
          allowMissingKeys: true,
          noHeaders: false,
          readFile: () => undefined,
        });
        if (!p.ok) return p.error.length > 0;
        const r = p.printer.print(LIST);
        return r.error === undefined || r.error.startsWith('error executing jsonpath');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('custom-columns', () => {
  const print = (spec: string, noHeaders = false): string => {
    const p = templatePrinter({
      output: `custom-columns=${spec}`,
      template: '',
      allowMissingKeys: true,
      noHeaders,
      readFile: () => undefined,
    });
    if (!p.ok) return `error: ${p.error}`;
    const r = p.printer.print(LIST);
    return r.out + (r.error ? `error: ${r.error}` : '');
  };
  it('prints a column per spec, <none> for missing values, lists joined with commas', () => {
    expect(print('NAME:.metadata.name,APP:metadata.labels.app,X:{.x},C:{.status.conditions[*].type}')).toBe(
      'NAME   APP   X        C\nb      web   <none>   Ready\na      db    <none>   Ready\n',
    );
    expect(print('NAME:.metadata.name', true)).toBe('b\na\n');
    expect(print('L:.metadata.labels')).toBe('L\nmap[app:web]\nmap[app:db]\n');
  });
  it('reports kubectl errors', () => {
    expect(print('NAME')).toBe(
      'error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>',
    );
    expect(relaxedJsonPath('{.a')).toMatchObject({ ok: false });
    expect(relaxedJsonPath('a.b')).toEqual({ ok: true, path: '{.a.b}' });
  });
  it('reads a two-line template file', () => {
    const p = templatePrinter({
      output: 'custom-columns-file=cols',
      template: '',
      allowMissingKeys: true,
      noHeaders: true,
      readFile: () => 'NAME  PHASE\n.metadata.name   {.status.phase}\n',
    });
    expect(p.ok && p.printer.print(LIST).out).toBe('NAME   PHASE\nb      Running\na      Pending\n');
  });
});

describe('--sort-by', () => {
  const items = LIST.items;
  const names = (field: string): string[] | string => {
    const r = sortByField(items, field, (i) => i, false);
    return r.ok ? r.items.map((i) => i.metadata.name) : r.error;
  };
  it('sorts numbers numerically, strings naturally, quantities by value', () => {
    expect(names('{.spec.replicas}')).toEqual(['b', 'a']);
    expect(names('{.metadata.name}')).toEqual(['a', 'b']);
    expect(naturalLess('pod-2', 'pod-10')).toBe(true);
    expect(naturalLess('a01', 'a1')).toBe(false);
    const q = [{ m: '1Gi' }, { m: '512Mi' }, { m: '2G' }];
    const r = sortByField(q, '{.m}', (i) => i, false);
    expect(r.ok && r.items.map((i) => i.m)).toEqual(['512Mi', '1Gi', '2G']);
  });
  it('puts objects without the field first and fails when no object has it', () => {
    const r = sortByField([{ a: 2 }, {}, { a: 1 }], '{.a}', (i) => i, false);
    expect(r.ok && r.items).toEqual([{}, { a: 1 }, { a: 2 }]);
    expect(names('{.nope}')).toBe('couldn\'t find any field with path "{.nope}" in the list of objects');
    expect(sortByField(items, '{.x', (i) => i, true)).toEqual({
      ok: false,
      error: 'sorting error: unclosed action',
    });
  });
});
