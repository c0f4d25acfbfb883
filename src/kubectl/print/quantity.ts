/**
 * Kubernetes resource quantities (apimachinery `resource.Quantity`) as far as kubectl prints them:
 * parse `100m`, `4Gi`, `102625208Ki`, `94580335255`, add them, and print the canonical form that
 * `Quantity.String()` gives (`4194304Ki` prints as `4Gi`, `1500m` stays `1500m`, `2000m` is `2`).
 *
 * Values are kept exactly as BigInt nano-units, so sums never round.
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in units of 10^-9. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

const NANO = 1_000_000_000n;
const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };

export const ZERO: Quantity = { nanos: 0n, format: 'DecimalSI' };

export function parseQuantity(text: string): Quantity | undefined {
  const m = text.trim().match(/^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const sign = m[1] === '-' ? -1n : 1n;
  const whole = m[2] === '' ? 0n : BigInt(m[2]!);
  const fraction = m[3] ?? '';
  const suffix = m[4] ?? '';
  // value = (whole + fraction) * multiplier, exactly, in nanos; below a nano Go rounds up.
  let numerator = whole * 10n ** BigInt(fraction.length) + (fraction === '' ? 0n : BigInt(fraction));
  let denominator = 10n ** BigInt(fraction.length);
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in BINARY_SUFFIXES) {
    format = 'BinarySI';
    numerator *= 1024n ** BigInt(BINARY_SUFFIXES[suffix]!) * NANO;
  } else {
    let exp: number;
    if (suffix !== '' && /^[eE]/.test(suffix)) {
      format = 'DecimalExponent';
      exp = Number(suffix.slice(1));
    } else exp = DECIMAL_SUFFIXES[suffix]!;
    if (exp + 9 >= 0) numerator *= 10n ** BigInt(exp + 9);
    else denominator *= 10n ** BigInt(-(exp + 9));
  }
  let nanos = numerator / denominator;
  if (nanos * denominator !== numerator) nanos += 1n;
  return { nanos: sign * nanos, format };
}

/** Quantity.Add: the sum keeps the format of the left operand (kubectl sums into the first one). */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.format };
}

/** Quantity.String(): the canonical text. */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  const neg = q.nanos < 0n;
  const abs = neg ? -q.nanos : q.nanos;
  const sign = neg ? '-' : '';
  let format = q.format;
  if (format === 'BinarySI') {
    // Small values and values with a fraction of a unit are shown in decimal instead.
    if (abs < 1024n * NANO || abs % NANO !== 0n) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let value = abs / NANO;
    let exp = 0;
    while (exp < 6 && value % 1024n === 0n) {
      value /= 1024n;
      exp++;
    }
    return `${sign}${value}${['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][exp]}`;
  }
  // Decimal: the largest exponent (a multiple of 3, from -9 to 18) leaving an integer mantissa.
  let value = abs;
  let exp = -9;
  while (exp < 18 && value % 1000n === 0n) {
    value /= 1000n;
    exp += 3;
  }
  if (format === 'DecimalExponent') return `${sign}${value}${exp === 0 ? '' : `e${exp}`}`;
  const suffix = Object.entries(DECIMAL_SUFFIXES).find(([, e]) => e === exp)![0];
  return `${sign}${value}${suffix}`;
}

/** Canonical text of a quantity string, or the string itself when it does not parse. */
export function canonicalQuantity(text: string): string {
  const q = parseQuantity(text);
  return q ? formatQuantity(q) : text;
}

/** Value in milli-units (MilliValue), rounded up as Go does. */
export function milliValue(q: Quantity): bigint {
  const n = q.nanos / 1_000_000n;
  return n * 1_000_000n === q.nanos || q.nanos < 0n ? n : n + 1n;
}

/** Value in whole units (Value), rounded up. */
export function unitValue(q: Quantity): bigint {
  const n = q.nanos / NANO;
  return n * NANO === q.nanos || q.nanos < 0n ? n : n + 1n;
}
