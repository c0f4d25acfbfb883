import { describe, expect, it } from 'vitest';
import { ageSince, rfc1123z } from './time';

const S = 1000;

// The AGE boundary table itself is tested with humanDuration in tests/core/api.test.ts.
describe('ages and dates in describe output', () => {
  it('measures describe ages against the simulated clock', () => {
    expect(ageSince('2026-11-25T09:00:00Z', 90 * S)).toBe('90s');
    expect(ageSince(undefined, 0)).toBe('<unknown>');
  });

  it('formats dates as Go time.RFC1123Z', () => {
    expect(rfc1123z('2026-11-25T09:00:31Z')).toBe('Wed, 25 Nov 2026 09:00:31 +0000');
    expect(rfc1123z('2026-11-25T09:00:31.123456Z')).toBe('Wed, 25 Nov 2026 09:00:31 +0000');
  });
});
