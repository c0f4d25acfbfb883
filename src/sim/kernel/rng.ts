import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * The simulation's only source of randomness. Seeded, so the same seed and the same inputs replay
 * the same run byte for byte. Components that need their own stream call `fork` so that adding a
 * draw in one component does not shift every other component's draws.
 */
export class Rng {
  private readonly gen: ReturnType<typeof xoroshiro128plus>;

  constructor(readonly seed: number) {
    this.gen = xoroshiro128plus(seed | 0);
  }

  /** An integer uniform in [from, to] (both included). */
  int(from: number, to: number): number {
    return uniformInt(this.gen, from, to);
  }

  /** A float uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.gen);
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }

  /** A new independent stream derived from this one and a label. */
  fork(label: string): Rng {
    let h = this.int(-0x80000000, 0x7fffffff);
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x9e3779b1);
    return new Rng(h);
  }

  /** `n` characters from Kubernetes' name-suffix alphabet (no vowels, no 0/1/3). */
  suffix(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += NAME_ALPHABET[this.int(0, NAME_ALPHABET.length - 1)];
    return s;
  }
}

/** The alphabet apimachinery's rand.String uses for generated names. */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * `n` random hex digits. Joined from an array rather than appended one by one: V8 keeps `s += c`
 * as a chain of rope nodes (~30 bytes per character) for as long as the string lives.
 */
export function randomHex(rng: Rng, n: number): string {
  const digits = new Array<string>(n);
  for (let i = 0; i < n; i++) digits[i] = HEX_DIGITS[rng.int(0, 15)]!;
  return digits.join('');
}

const HEX_DIGITS = '0123456789abcdef';

/** A version-4-shaped UUID from the seeded RNG (object uids, leader-election identities). */
export function uuid(rng: Rng): string {
  const a = randomHex(rng, 8);
  const b = randomHex(rng, 4);
  const c = randomHex(rng, 3);
  const variant = '89ab'[rng.int(0, 3)]!;
  const d = randomHex(rng, 3);
  const e = randomHex(rng, 12);
  return [a, '-', b, '-4', c, '-', variant, d, '-', e].join('');
}
