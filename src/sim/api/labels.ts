/**
 * Label selectors as apimachinery parses them: equality-based (`a=b`, `a==b`, `a!=b`) and set-based
 * (`a in (x,y)`, `a notin (x)`, `a`, `!a`), comma-separated requirements that must all hold.
 */
export type Requirement =
  | { readonly op: 'eq' | 'neq'; readonly key: string; readonly value: string }
  | { readonly op: 'in' | 'notin'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'exists' | 'notexists'; readonly key: string };

export type Selector = readonly Requirement[];

export type Labels = Readonly<Record<string, string>> | undefined;

/** Parses a selector; returns an error message (as kubectl would print after "error: ") on bad syntax. */
export function parseSelector(text: string): { ok: true; selector: Selector } | { ok: false; error: string } {
  const reqs: Requirement[] = [];
  const parts = splitTopLevel(text.trim());
  if (text.trim() === '') return { ok: true, selector: [] };
  for (const raw of parts) {
    const part = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^([^\s!=,()]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const values = m[3]!
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      reqs.push({ op: m[2] as 'in' | 'notin', key: m[1]!, values });
    } else if ((m = part.match(/^([^\s!=,()]+)\s*(==|=|!=)\s*([^\s!=,()]*)$/))) {
      reqs.push({ op: m[2] === '!=' ? 'neq' : 'eq', key: m[1]!, value: m[3]! });
    } else if ((m = part.match(/^!\s*([^\s!=,()]+)$/))) {
      reqs.push({ op: 'notexists', key: m[1]! });
    } else if ((m = part.match(/^([^\s!=,()]+)$/))) {
      reqs.push({ op: 'exists', key: m[1]! });
    } else {
      return { ok: false, error: `unable to parse requirement: found '${part}', expected: identifier` };
    }
  }
  return { ok: true, selector: reqs };
}

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function matches(selector: Selector, labels: Labels): boolean {
  return selector.every((r) => {
    const v = labels?.[r.key];
    switch (r.op) {
      case 'eq':
        return v === r.value;
      case 'neq':
        return v !== r.value;
      case 'in':
        return v !== undefined && r.values.includes(v);
      case 'notin':
        return v === undefined || !r.values.includes(v);
      case 'exists':
        return v !== undefined;
      default:
        return v === undefined; // notexists
    }
  });
}

/** `k=v` pairs sorted by key, comma-joined — how kubectl shows labels and selectors. */
export function formatLabels(labels: Labels): string {
  if (!labels) return '';
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}
