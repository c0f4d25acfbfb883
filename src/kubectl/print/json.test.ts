import { describe, expect, it } from 'vitest';
import { goJsonNumber, goJsonString, printJson } from './json';
import { typedJson } from './typedJson';

describe('Go JSON', () => {
  it('indents with four spaces and sorts map keys', () => {
    expect(printJson({ b: [1, { d: true, c: null }], a: {}, e: [] })).toBe(
      '{\n    "a": {},\n    "b": [\n        1,\n        {\n            "c": null,\n            "d": true\n        }\n    ],\n    "e": []\n}\n',
    );
  });

  it('escapes as encoding/json does', () => {
    expect(goJsonString('<none> & "x"\n\t\u0001\u2028')).toBe(
      '"\\u003cnone\\u003e \\u0026 \\"x\\"\\n\\t\\u0001\\u2028"',
    );
  });

  it('formats floats as encoding/json does', () => {
    expect(goJsonNumber(1.5)).toBe('1.5');
    expect(goJsonNumber(1e-7)).toBe('1e-7');
    expect(goJsonNumber(1e21)).toBe('1e+21');
    expect(goJsonNumber(100)).toBe('100');
  });

  it('keeps struct field order for typed objects (create namespace -o json)', () => {
    expect(
      typedJson({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' }, spec: {}, status: {} }),
    ).toBe(
      '{\n    "kind": "Namespace",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "x",\n        "creationTimestamp": null\n    },\n    "spec": {},\n    "status": {}\n}\n',
    );
  });
});
