import { describe, expect, it } from 'vitest';
import { goFloatG, keyLess, resolvesToString, toYaml } from './yaml';

describe('toYaml (go-yaml v2 as kubectl uses it)', () => {
  it('quotes strings that YAML 1.1 would read as something else, with double quotes', () => {
    expect(
      toYaml({ a: '1', b: 'true', c: 'yes', d: '', e: '~', f: '2026-11-25T09:00:00Z', g: '0755', h: '1:20' }),
    ).toBe('a: "1"\nb: "true"\nc: "yes"\nd: ""\ne: "~"\nf: "2026-11-25T09:00:00Z"\ng: "0755"\nh: "1:20"\n');
  });

  it('leaves plain strings plain and single-quotes indicators', () => {
    expect(
      toYaml({
        ip: '10.0.0.2',
        v: 'v1.32.4',
        minor: '32+',
        colon: 'a: b',
        dash: '- x',
        star: '*',
        quote: "it's",
      }),
    ).toBe("colon: 'a: b'\ndash: '- x'\nip: 10.0.0.2\nminor: 32+\nquote: it's\nstar: '*'\nv: v1.32.4\n");
    expect(toYaml({ lead: "'x'" })).toBe("lead: '''x'''\n");
  });

  it('double-quotes text with control characters, escaping them', () => {
    expect(toYaml({ tab: 'a\tb', nul: 'a\u0000' })).toBe('nul: "a\\0"\ntab: "a\\tb"\n');
  });

  it('uses literal blocks for multi-line text', () => {
    expect(toYaml({ a: 'one\ntwo\n', b: 'one\ntwo', c: ' lead\nx' })).toBe(
      'a: |\n  one\n  two\nb: |-\n  one\n  two\nc: |2-\n   lead\n  x\n',
    );
  });

  it('folds long scalars at a space past column 80, as real kubectl output shows', () => {
    const long =
      'This is a very long annotation value that goes on and on past the eighty column mark so that we can see how go-yaml folds it: and it has a colon';
    // Captured from kubectl v1.32.4 -o yaml.
    expect(toYaml({ metadata: { annotations: { 'example.com/long': long } } })).toBe(
      'metadata:\n  annotations:\n' +
        "    example.com/long: 'This is a very long annotation value that goes on and on past\n" +
        '      the eighty column mark so that we can see how go-yaml folds it: and it has a\n' +
        "      colon'\n",
    );
  });

  it('writes sequences in mappings unindented and empty collections in flow style', () => {
    expect(toYaml({ items: [{ a: 1, b: [] }, 'x'], meta: {} })).toBe(
      'items:\n- a: 1\n  b: []\n- x\nmeta: {}\n',
    );
    expect(toYaml([[1, 2], 3])).toBe('- - 1\n  - 2\n- 3\n');
  });

  it('orders keys as go-yaml does: digits numerically, non-letters before letters', () => {
    expect(keyLess('worker-2', 'worker-10')).toBe(true);
    expect(keyLess('a_b', 'aB')).toBe(true);
    expect(keyLess('apiVersion', 'kind')).toBe(true);
    expect(toYaml({ b: 1, a10: 2, a9: 3 })).toBe('a9: 3\na10: 2\nb: 1\n');
  });

  it('formats numbers like strconv', () => {
    expect(goFloatG(1.5)).toBe('1.5');
    expect(goFloatG(1234567.5)).toBe('1.2345675e+06');
    expect(goFloatG(0.00001)).toBe('1e-05');
    expect(goFloatG(42)).toBe('42');
  });

  it('knows which plain scalars resolve to strings', () => {
    for (const s of ['abc', '10.0.0.1', 'v1', '1.2.3', 'zone-a', '-x'])
      expect(resolvesToString(s)).toBe(true);
    for (const s of ['1', '-1', '0x1F', '1e3', '.5', 'No', 'NULL', '2025-1-2', '1_000', '+.inf'])
      expect(resolvesToString(s)).toBe(false);
  });
});
