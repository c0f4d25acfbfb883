import { describe, expect, test } from 'vitest';
import { ERR_FORMAT_WRONG, ERR_SUFFIX, milliValue, parseQuantity, value } from './quantity';

describe('quantity: cpu → millicores (Quantity.MilliValue)', () => {
  test.each([
    ['1', 1000],
    ['4', 4000],
    ['250m', 250],
    ['100m', 100],
    ['0.1', 100], // exact decimal arithmetic, not 100.00000000000001 → 101
    ['1.5', 1500],
    ['.5', 500],
    ['2.', 2000],
    ['0.5m', 1], // rounds up to a whole millicore
    ['1e3', 1_000_000],
    ['1E-3', 1],
    ['2k', 2_000_000],
    ['+3', 3000],
    ['0', 0],
    ['500000n', 1], // 0.0005 cores → 0.5m → 1m
    ['1500u', 2], // 1.5m → 2m
  ])('%s → %d', (q, m) => expect(milliValue(q)).toBe(m));
});

describe('quantity: memory → bytes (Quantity.Value)', () => {
  test.each([
    ['128Mi', 128 * 1024 * 1024],
    ['1Gi', 1024 ** 3],
    ['8Gi', 8 * 1024 ** 3],
    ['7934550Ki', 7934550 * 1024],
    ['1.5Gi', 1610612736],
    ['1G', 1e9],
    ['500M', 5e8],
    ['1k', 1000],
    ['1Ki', 1024],
    ['1e3', 1000],
    ['12E2', 1200],
    ['1Ti', 1024 ** 4],
    ['1Pi', 1024 ** 5],
    ['0.1', 1], // a fraction of a byte rounds up
    ['100m', 1],
    ['110', 110],
  ])('%s → %d', (q, b) => expect(value(q)).toBe(b));
});

describe('quantity: rejects what apimachinery rejects', () => {
  test.each(['', 'abc', '1x', 'Mi', '1 Mi', '.', '1.2.3', '--1', '1Mi5x'])('%j is not a quantity', (q) => {
    const r = parseQuantity(q);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(ERR_FORMAT_WRONG);
  });
  test('well-formed number, unknown suffix', () => {
    expect(parseQuantity('1Ki3')).toEqual({ ok: false, error: ERR_SUFFIX });
    expect(parseQuantity('5mi')).toEqual({ ok: false, error: ERR_SUFFIX });
    expect(() => milliValue('1x')).toThrow(ERR_FORMAT_WRONG);
  });
});
