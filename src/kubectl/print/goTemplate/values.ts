import { GoByte, GoFloat, INVALID, type JpValue } from '../jsonpath';

/**
 * The Go values a template sees. The object is unstructured JSON (kubectl decodes it into
 * `map[string]interface{}`, integral numbers as int64, others float64); the template adds Go's
 * `int` (constants, `len`, range indexes: `GoInt`), float64 constants (`GoFloat`), bytes of a
 * string (`GoByte`), and `INVALID`, reflect's zero Value: a missing key, printed `<no value>`.
 * JSON null is a nil `interface {}`.
 */
export class GoInt {
  constructor(readonly value: number) {}
}

export type Kind = 'invalid' | 'nil' | 'bool' | 'int' | 'uint' | 'float' | 'string' | 'slice' | 'map';

export function kindOf(v: JpValue): Kind {
  if (v === INVALID || v === undefined) return 'invalid';
  if (v === null) return 'nil';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return isInt64(v) ? 'int' : 'float';
  if (v instanceof GoInt) return 'int';
  if (v instanceof GoFloat) return 'float';
  if (v instanceof GoByte) return 'uint';
  if (Array.isArray(v)) return 'slice';
  return 'map';
}

export function isInt64(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63;
}

/** The number inside a numeric value. */
export function numberOf(v: JpValue): number {
  if (typeof v === 'number') return v;
  if (v instanceof GoInt || v instanceof GoFloat || v instanceof GoByte) return v.value;
  return Number.NaN;
}

/** reflect.Type's String() of a value (`<nil>` for nil, as %T prints it). */
export function typeName(v: JpValue): string {
  if (v instanceof GoInt) return 'int';
  if (v instanceof GoByte) return 'uint8';
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return '<nil>';
    case 'bool':
      return 'bool';
    case 'string':
      return 'string';
    case 'int':
      return 'int64';
    case 'float':
      return 'float64';
    case 'slice':
      return '[]interface {}';
    default:
      return 'map[string]interface {}';
  }
}

export function isMap(v: JpValue): v is Record<string, JpValue> {
  return kindOf(v) === 'map';
}

/** Go's map iteration for printing and range: keys in byte order. */
export function sortedKeys(m: Record<string, JpValue>): string[] {
  return Object.keys(m)
    .filter((k) => m[k] !== undefined)
    .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

/** len() of a string counts UTF-8 bytes. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** text/template's isTrue: the empty value of its type is false; nil and no value are false. */
export function truth(v: JpValue): boolean {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return false;
    case 'bool':
      return v as boolean;
    case 'string':
      return (v as string).length > 0;
    case 'slice':
      return (v as unknown[]).length > 0;
    case 'map':
      return sortedKeys(v as Record<string, JpValue>).length > 0;
    default:
      return numberOf(v) !== 0;
  }
}
