/**
 * Stateless seeded hashing, for data the simulation generates lazily instead of storing (container
 * log lines, resource usage samples): the same seed and inputs always give the same value, in any
 * order and any number of times, without drawing from (and so shifting) the seeded RNG streams.
 */

/** A 32-bit hash of a seed and some parts (FNV-1a over the parts, then murmur3's finalizer). */
export function hash32(seed: number, ...parts: readonly (string | number)[]): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (const part of parts) {
    if (typeof part === 'number') {
      // Numbers mix in by value (their two 32-bit halves), without becoming strings.
      const hi = Math.floor(part / 0x1_0000_0000);
      h = Math.imul(h ^ (part >>> 0), 0x01000193);
      h = Math.imul(h ^ (hi | 0), 0x01000193);
      h = Math.imul(h ^ Math.round((part % 1) * 1e9), 0x01000193);
      h = Math.imul(h ^ 0xfe, 0x01000193);
      continue;
    }
    const text = part;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    // A separator, so ('ab', 'c') and ('a', 'bc') differ.
    h = Math.imul(h ^ 0xff, 0x01000193);
  }
  return fmix32(h);
}

/** 64 hex digits (a sha256's or a CRI id's length) from a seed and some parts. */
export function hex64(seed: number, ...parts: readonly (string | number)[]): string {
  let out = '';
  for (let i = 0; i < 8; i++)
    out += hash32(seed + i, ...parts)
      .toString(16)
      .padStart(8, '0');
  return out;
}

/** A float uniform in [0, 1) from a seed and some parts. */
export function unitFloat(seed: number, ...parts: readonly (string | number)[]): number {
  return hash32(seed, ...parts) / 0x1_0000_0000;
}

function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
