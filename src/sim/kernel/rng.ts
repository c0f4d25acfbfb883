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

/** The character codes of the hex digits, by value. */
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DASH = '-'.charCodeAt(0);

/** Reused character-code buffers, one per length: an id costs one flat string and nothing else. */
const scratch: number[][] = [];
const codesOfLength = (n: number): number[] => (scratch[n] ??= new Array<number>(n).fill(0));

/** Fills `codes` from `at` with `n` random hex digit codes; returns where it stopped. */
function hexCodes(rng: Rng, codes: number[], at: number, n: number): number {
  for (let i = 0; i < n; i++) codes[at++] = HEX_CODES[rng.int(0, 15)]!;
  return at;
}

/**
 * `n` random hex digits, as one flat string built from character codes: V8 keeps `s += c` as a
 * chain of rope nodes (~30 bytes per character) for as long as the string lives.
 */
export function randomHex(rng: Rng, n: number): string {
  const codes = codesOfLength(n);
  hexCodes(rng, codes, 0, n);
  return String.fromCharCode.apply(null, codes);
}

/** A version-4-shaped UUID from the seeded RNG (object uids, leader-election identities). */
export function uuid(rng: Rng): string {
  // 8-4-4-4-12 digits: the third group starts with the version (4), the fourth with the variant.
  const codes = codesOfLength(36);
  let at = hexCodes(rng, codes, 0, 8);
  codes[at++] = DASH;
  at = hexCodes(rng, codes, at, 4);
  codes[at++] = DASH;
  codes[at++] = HEX_CODES[4]!;
  at = hexCodes(rng, codes, at, 3);
  codes[at++] = DASH;
  codes[at++] = HEX_CODES[8 + rng.int(0, 3)]!;
  at = hexCodes(rng, codes, at, 3);
  codes[at++] = DASH;
  hexCodes(rng, codes, at, 12);
  return String.fromCharCode.apply(null, codes);
}
