/**
 * Kubernetes resource quantities (apimachinery `resource.Quantity`), as far as the scheduler needs
 * them: parse the text form and read it at a scale, rounding up the way `Quantity.MilliValue()` and
 * `Quantity.Value()` do (so "0.1" bytes is 1 byte, "0.5m" CPU is 1 millicore).
 *
 * Grammar (k8s.io/apimachinery/pkg/api/resource):
 *   <quantity>        ::= <signedNumber><suffix>
 *   <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
 *   <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
 *   <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>
 *
 * Arithmetic is exact (BigInt) so "0.1" CPU is 100m, not 100.00000000000001m rounded up to 101m.
 * Parsed values are memoised by text: requests repeat ("100m", "128Mi") across thousands of pods.
 */

/** The error apimachinery returns for text that is not a quantity. */
export const ERR_FORMAT_WRONG =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/** The error apimachinery returns for a well-formed number with an unknown suffix. */
export const ERR_SUFFIX = "unable to parse quantity's suffix";

export interface ParsedQuantity {
  readonly negative: boolean;
  /** All significant digits, integer and fraction, without the decimal point. */
  readonly digits: bigint;
  /** Power of ten to apply to `digits` (fraction length and decimal suffix folded in). */
  readonly exp10: number;
  /** Power of two to apply (binary suffixes). */
  readonly exp2: number;
}

export type QuantityParse = { ok: true; quantity: ParsedQuantity } | { ok: false; error: string };

const DECIMAL_SUFFIX: Readonly<Record<string, number>> = {
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
const BINARY_SUFFIX: Readonly<Record<string, number>> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};

const NUMBER_RE = /^([+-]?)(\d*)(?:\.(\d*))?/;
const SUFFIX_CHARS = 'eEinumkKMGTP';

/** Parses the text form of a quantity. */
export function parseQuantity(text: string): QuantityParse {
  if (text.length === 0) return { ok: false, error: ERR_FORMAT_WRONG };
  const m = NUMBER_RE.exec(text);
  const intPart = m?.[2] ?? '';
  const fracPart = m?.[3] ?? '';
  if (!m || (intPart === '' && fracPart === '')) return { ok: false, error: ERR_FORMAT_WRONG };
  const rest = text.slice(m[0].length);
  // Suffix: letters from the suffix alphabet, then an optional sign and digits (for e/E exponents).
  let i = 0;
  while (i < rest.length && SUFFIX_CHARS.includes(rest[i]!)) i++;
  let j = i;
  if (j < rest.length && (rest[j] === '+' || rest[j] === '-')) j++;
  while (j < rest.length && rest[j]! >= '0' && rest[j]! <= '9') j++;
  if (j !== rest.length) return { ok: false, error: ERR_FORMAT_WRONG };
  const suffix = rest;
  let exp10 = -fracPart.length;
  let exp2 = 0;
  const dec = DECIMAL_SUFFIX[suffix];
  const bin = BINARY_SUFFIX[suffix];
  if (dec !== undefined) exp10 += dec;
  else if (bin !== undefined) exp2 = bin;
  else if (
    suffix.length > 1 &&
    (suffix[0] === 'e' || suffix[0] === 'E') &&
    /^[+-]?\d+$/.test(suffix.slice(1))
  ) {
    exp10 += Number.parseInt(suffix.slice(1), 10);
  } else return { ok: false, error: ERR_SUFFIX };
  const digits = BigInt(`${intPart}${fracPart}` || '0');
  return { ok: true, quantity: { negative: m[1] === '-' && digits !== 0n, digits, exp10, exp2 } };
}

/**
 * The quantity multiplied by 10^scale, rounded away from zero to an integer (apimachinery's
 * `ScaledValue`, which `MilliValue` (scale 3) and `Value` (scale 0) call).
 */
export function scaledValue(q: ParsedQuantity, scale: number): number {
  const e = q.exp10 + scale;
  let magnitude: bigint;
  const binary = q.exp2 > 0 ? 1n << BigInt(q.exp2) : 1n;
  if (e >= 0) magnitude = q.digits * 10n ** BigInt(e) * binary;
  else {
    const num = q.digits * binary;
    const den = 10n ** BigInt(-e);
    magnitude = num / den;
    if (num % den !== 0n) magnitude += 1n;
  }
  const n = Number(magnitude);
  return q.negative ? -n : n;
}

const MEMO_LIMIT = 4096;
const milliMemo = new Map<string, number>();
const valueMemo = new Map<string, number>();

function memoised(memo: Map<string, number>, text: string, scale: number): number {
  const hit = memo.get(text);
  if (hit !== undefined) return hit;
  const parsed = parseQuantity(text);
  if (!parsed.ok) throw new Error(parsed.error);
  const v = scaledValue(parsed.quantity, scale);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(text, v);
  return v;
}

/** `Quantity.MilliValue()`: CPU in millicores ("1" → 1000, "250m" → 250, "0.1" → 100). Throws on bad text. */
export function milliValue(text: string): number {
  return memoised(milliMemo, text, 3);
}

/** `Quantity.Value()`: memory / ephemeral-storage in bytes, pods as a count ("128Mi" → 134217728). Throws on bad text. */
export function value(text: string): number {
  return memoised(valueMemo, text, 0);
}

/** CPU quantity → millicores. */
export const cpuToMilli = milliValue;
/** Memory or ephemeral-storage quantity → bytes. */
export const memoryToBytes = value;
