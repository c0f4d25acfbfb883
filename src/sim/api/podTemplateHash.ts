import { NAME_ALPHABET } from '../kernel/rng';
import type { PodTemplateSpec } from './types';

/** JSON with object keys sorted, so equal templates hash equally whatever their key order. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The pod-template-hash label of a Deployment's ReplicaSets: FNV-32a of the template, printed in
 * decimal and mapped through apimachinery's SafeEncodeString alphabet (as controller.ComputeHash
 * does; the bytes hashed differ from Go's deep-hash printer, so the values are not Kubernetes' own).
 */
export function podTemplateHash(template: PodTemplateSpec): string {
  let h = 0x811c9dc5;
  const text = stableJson(template);
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let out = '';
  for (const digit of String(h)) out += NAME_ALPHABET[digit.charCodeAt(0) % NAME_ALPHABET.length];
  return out;
}
