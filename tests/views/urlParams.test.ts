import { describe, expect, it } from 'vitest';
import { parsePageParams } from '../../src/embed/urlParams';

describe('parsePageParams', () => {
  it('takes a valid scenario and seed', () => {
    expect(parsePageParams('?scenario=ha5&seed=42')).toEqual({ scenario: 'ha5', seed: 42, warnings: [] });
  });

  it('defaults when absent', () => {
    expect(parsePageParams('')).toEqual({ scenario: 'ha', seed: 1, warnings: [] });
  });

  it('ignores hostile values with a bounded, escaped warning', () => {
    const p = parsePageParams(
      `?scenario=${encodeURIComponent('<img src=x onerror=alert(1)>'.repeat(5))}&seed=1e9`,
    );
    expect(p.scenario).toBe('ha');
    expect(p.seed).toBe(1);
    expect(p.warnings).toHaveLength(2);
    expect(p.warnings[0]!.length).toBeLessThan(140);
    expect(p.warnings[1]).toMatch(/ignored seed="1e9"/);
  });
});
