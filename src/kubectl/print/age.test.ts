import { describe, expect, it } from 'vitest';
import { humanDuration } from '../../sim/api/duration';
import { ageSince, rfc1123z } from './time';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

describe('AGE (apimachinery duration.HumanDuration, the implementation kubectl uses)', () => {
  it('matches the upstream boundary table', () => {
    const cases: [number, string][] = [
      [1 * S, '1s'],
      [70 * S, '70s'],
      [190 * S, '3m10s'],
      [70 * M, '70m'],
      [47 * H, '47h'],
      [49 * H, '2d1h'],
      [8 * D + 2 * H, '8d'],
      [367 * D, '367d'],
      [2 * Y + 25 * H, '2y1d'],
      [8 * Y + 2 * H, '8y'],
      [2 * M - 1, '119s'],
      [2 * M, '2m'],
      [2 * M + S, '2m1s'],
      [10 * M - 1, '9m59s'],
      [10 * M, '10m'],
      [10 * M + S, '10m'],
      [3 * H - 1, '179m'],
      [3 * H, '3h'],
      [3 * H + M, '3h1m'],
      [8 * H - 1, '7h59m'],
      [8 * H, '8h'],
      [8 * H + 59 * M, '8h'],
      [48 * H - 1, '47h'],
      [48 * H, '2d'],
      [8 * D - 1, '7d23h'],
      [8 * D, '8d'],
      [8 * D + 23 * H, '8d'],
      [730 * D - 1, '729d'],
      [730 * D, '2y'],
      [731 * D, '2y1d'],
      [8 * Y - 1, '7y364d'],
      [8 * Y, '8y'],
      [-2 * S, '<invalid>'],
      [-2 * S + 1, '0s'],
    ];
    for (const [ms, want] of cases) expect(humanDuration(ms), `${ms}ms`).toBe(want);
  });

  it('measures describe ages against the simulated clock', () => {
    expect(ageSince('2026-11-25T09:00:00Z', 90 * S)).toBe('90s');
    expect(ageSince(undefined, 0)).toBe('<unknown>');
  });

  it('formats dates as Go time.RFC1123Z', () => {
    expect(rfc1123z('2026-11-25T09:00:31Z')).toBe('Wed, 25 Nov 2026 09:00:31 +0000');
    expect(rfc1123z('2026-11-25T09:00:31.123456Z')).toBe('Wed, 25 Nov 2026 09:00:31 +0000');
  });
});
