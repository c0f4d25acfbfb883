/**
 * `-o json` as kubectl prints it: Go's encoding/json over an unstructured object (maps, so keys
 * sorted byte-wise), re-indented with `json.MarshalIndent(obj, "", "    ")`, plus a newline.
 * Strings are escaped the way Go escapes them: HTML-sensitive `<`, `>`, `&` and U+2028/U+2029 as
 * \uXXXX, control characters as \n, \r, \t, \b, \f (Go 1.22+) or \u00XX.
 */
export function toGoJson(value: unknown, indent = '    ', sortKeys = true): string {
  return encode(value, indent, '', sortKeys);
}

/** What `kubectl get -o json` writes for one object or list. */
export function printJson(value: unknown): string {
  return `${toGoJson(value)}\n`;
}

function encode(value: unknown, indent: string, prefix: string, sortKeys: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'number') return goJsonNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const inner = prefix + indent;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + encode(v, indent, inner, sortKeys)).join(',\n')}\n${prefix}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  // Go sorts map keys by their UTF-8 bytes; for the keys Kubernetes objects carry that is the same
  // as comparing UTF-16 code units.
  if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{\n${entries.map(([k, v]) => `${inner}${goJsonString(k)}: ${encode(v, indent, inner, sortKeys)}`).join(',\n')}\n${prefix}}`;
}

export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '<':
      case '>':
      case '&':
        out += `\\u00${c.toString(16)}`;
        continue;
    }
    if (c < 0x20) out += `\\u00${c.toString(16).padStart(2, '0')}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's encoding/json float formatting: plain decimal in [1e-6, 1e21), exponent form outside. */
export function goJsonNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  const abs = Math.abs(n);
  // Go cleans its e-07 up to e-7, which is what JavaScript writes in the first place.
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return n.toExponential();
  return String(n);
}
