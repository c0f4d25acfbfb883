import { describe, expect, it } from 'vitest';
import { decodeStream, goJsonCompact, splitYamlDocuments } from './manifestDecode';

/**
 * How kubectl reads manifests. The parse errors below are what kubectl v1.32.4 printed for each
 * input (`error: error parsing FILE: <this>`), collected with the real binary.
 */
const REAL_ERRORS: readonly [string, string][] = [
  ['a: b: c\n', 'error converting YAML to JSON: yaml: mapping values are not allowed in this context'],
  ['a:\n  b: 1\n c: 2\n', 'error converting YAML to JSON: yaml: line 2: did not find expected key'],
  [
    'a:\n\tb: 1\n',
    'error converting YAML to JSON: yaml: line 2: found character that cannot start any token',
  ],
  ['a: "unclosed\nb: 2\n', 'error converting YAML to JSON: yaml: line 3: found unexpected end of stream'],
  ['- a\nb: 1\n', "error converting YAML to JSON: yaml: line 1: did not find expected '-' indicator"],
  ['a: [1, 2\nb: 3\n', "error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'"],
  [
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels\n    a: b\n',
    "error converting YAML to JSON: yaml: line 6: could not find expected ':'",
  ],
  [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n',
    "error converting YAML to JSON: yaml: line 3: did not find expected ',' or '}'",
  ],
  [
    'key: value\n  other: 1\n',
    'error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context',
  ],
  ['a: &x 1\nb: *y\n', "error converting YAML to JSON: yaml: unknown anchor 'y' referenced"],
  [
    '{"apiVersion": "v1", "kind": "Pod",}\n',
    "json: offset 36: invalid character '}' looking for beginning of object key string",
  ],
  [
    '{"apiVersion": "v1" "kind": "Pod"}\n',
    "json: offset 21: invalid character '\"' after object key:value pair",
  ],
  ['a: 1\n- b\n', 'error converting YAML to JSON: yaml: line 1: did not find expected key'],
  ['a: {b: 1}}\n', 'error converting YAML to JSON: yaml: did not find expected key'],
  ['a: @x\n', 'error converting YAML to JSON: yaml: found character that cannot start any token'],
  ['a: `x\n', 'error converting YAML to JSON: yaml: found character that cannot start any token'],
  ['a: |\n b\nc\n', "error converting YAML to JSON: yaml: line 4: could not find expected ':'"],
  [
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: web\n     image: nginx\n',
    'error converting YAML to JSON: yaml: line 8: mapping values are not allowed in this context',
  ],
  [
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: web\n   image: nginx\n',
    'error converting YAML to JSON: yaml: line 7: did not find expected key',
  ],
  [
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: web\n    image:nginx\n    ports:\n    - containerPort: 80\n',
    "error converting YAML to JSON: yaml: line 9: could not find expected ':'",
  ],
  [
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n spec:\n  containers: []\n',
    'error converting YAML to JSON: yaml: line 4: did not find expected key',
  ],
  [
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: web\n      image: nginx\n     command: ["a"]\n',
    "error converting YAML to JSON: yaml: line 8: did not find expected '-' indicator",
  ],
  [
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "x\nspec: {}\n',
    'error converting YAML to JSON: yaml: line 6: found unexpected end of stream',
  ],
  [
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n    app: web\n   tier: fe\n',
    'error converting YAML to JSON: yaml: line 6: did not find expected key',
  ],
  [
    'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n',
    'error converting YAML to JSON: yaml: line 4: found character that cannot start any token',
  ],
  [
    'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    args: [a, b\n  - name: b\n',
    "error converting YAML to JSON: yaml: line 6: did not find expected ',' or ']'",
  ],
  [
    'apiVersion: v1\nkind Pod\nmetadata:\n  name: x\n',
    "error converting YAML to JSON: yaml: line 3: could not find expected ':'",
  ],
  [
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  annotations:\n    a: "b" c\n',
    'error converting YAML to JSON: yaml: line 5: did not find expected key',
  ],
  [
    'apiVersion: v1\nkind: Pod\nmetadata: x\n  name: y\n',
    'error converting YAML to JSON: yaml: line 4: mapping values are not allowed in this context',
  ],
  [
    'apiVersion: v1\nkind: Pod\n- a\n',
    'error converting YAML to JSON: yaml: line 2: did not find expected key',
  ],
  ['key: [a, b]]\n', 'error converting YAML to JSON: yaml: did not find expected key'],
  [
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n    labels: {}\n',
    'error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context',
  ],
];

const values = (text: string): unknown[] => {
  const r = decodeStream(text);
  if (!r.ok) throw new Error(r.error);
  return r.documents.map((d) => d.value);
};

describe('manifest decoding', () => {
  it.each(REAL_ERRORS)('reports %j as kubectl does', (text, expected) => {
    const r = decodeStream(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(expected);
  });

  it('cuts YAML streams at --- lines, dropping empty and null documents', () => {
    expect(
      values('---\na: 1\n---\n# only a comment\n---\n\n--- # separator with a comment\nb: 2\n...\n'),
    ).toEqual([{ a: 1 }, { b: 2 }]);
    expect(splitYamlDocuments('a: 1\n--- x\nb: 2\n').error).toBe('invalid Yaml document separator: x');
  });

  it('reads YAML 1.1 scalars as go-yaml v2 does', () => {
    expect(
      values(
        'a: yes\nb: off\nc: y\nd: 0777\ne: 0x1F\nf: 1_000\ng: 0o17\nh: 2001-12-14\ni: 1:20\nj: ~\nk: 1.5\nl: "y"\nm: 1e3\n',
      ),
    ).toEqual([
      {
        a: true,
        b: false,
        c: true,
        d: 511,
        e: 31,
        f: 1000,
        g: 15,
        h: '2001-12-14',
        i: '1:20',
        j: null,
        k: 1.5,
        l: 'y',
        m: 1000,
      },
    ]);
  });

  it('resolves anchors, aliases and merge keys; duplicate keys keep the last', () => {
    expect(values('base: &b {x: 1}\nuse: *b\nmerged:\n  <<: *b\n  z: 2\ndup: 1\ndup: 2\n')).toEqual([
      { base: { x: 1 }, use: { x: 1 }, merged: { x: 1, z: 2 }, dup: 2 },
    ]);
  });

  it('reads a stream of JSON objects, with Go JSON errors and offsets', () => {
    expect(values('{"a": 1}\n{"b": [true, null]}')).toEqual([{ a: 1 }, { b: [true, null] }]);
    const r = decodeStream('{"a": 1}\n{"b": tru}');
    expect(r.ok ? '' : r.error).toBe(
      "json: offset 19: invalid character '}' in literal true (expecting 'e')",
    );
    expect(r.documents).toHaveLength(1);
    const eof = decodeStream('{"a": [1, 2');
    expect(eof.ok ? '' : eof.error).toBe('unexpected EOF');
  });

  it('keeps the documents before a broken one', () => {
    const r = decodeStream('a: 1\n---\nb: c: d\n---\ne: 2\n');
    expect(r.ok).toBe(false);
    expect(r.documents.map((d) => d.value)).toEqual([{ a: 1 }]);
  });

  it('writes compact JSON as Go does: sorted keys, HTML escaped', () => {
    expect(goJsonCompact({ b: [1, 0.5, 'x<y&z>'], a: { d: null, c: true } })).toBe(
      '{"a":{"c":true,"d":null},"b":[1,0.5,"x\\u003cy\\u0026z\\u003e"]}',
    );
  });
});
