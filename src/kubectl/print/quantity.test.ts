import { describe, expect, it } from 'vitest';
import { addQuantity, canonicalQuantity, milliValue, parseQuantity } from './quantity';

describe('resource quantities', () => {
  it('prints the canonical form Quantity.String() gives', () => {
    const cases: [string, string][] = [
      ['4194304Ki', '4Gi'],
      ['4091904Ki', '3996Mi'],
      ['102625208Ki', '102625208Ki'],
      ['94580335255', '94580335255'],
      ['2', '2'],
      ['2000m', '2'],
      ['1500m', '1500m'],
      ['0', '0'],
      ['1000', '1k'],
      ['512', '512'],
      ['1Ki', '1Ki'],
      ['0.5', '500m'],
      ['100Mi', '100Mi'],
      ['1e3', '1e3'],
    ];
    for (const [input, want] of cases) expect(canonicalQuantity(input), input).toBe(want);
  });

  it('adds in the format of the first operand', () => {
    const sum = addQuantity(parseQuantity('100m')!, parseQuantity('1')!);
    expect(canonicalQuantity('1100m')).toBe('1100m');
    expect(milliValue(sum)).toBe(1100n);
  });

  it('rejects what is not a quantity', () => {
    expect(parseQuantity('abc')).toBeUndefined();
    expect(parseQuantity('1Xi')).toBeUndefined();
  });
});
