import { GoByte, GoFloat, INVALID, type JpValue, JsonPath, JsonPathError } from './jsonpath';
import { parseQuantity } from './quantity';
import { relaxedJsonPath } from './templatePrinters';

/**
 * `kubectl get --sort-by`: a port of kubectl's `get/sorter.go`. The field is a (relaxed) JSONPath
 * evaluated on each object; the first value found orders it: numbers numerically, strings that
 * both parse as quantities by value, other strings in natural order (`pod-2` before `pod-10`),
 * anything without the field first. Sorting uses Go's `sort.Sort` for small inputs (an insertion
 * sort, which is stable); larger inputs are sorted the same way here.
 */

export type SortResult<T> = { ok: true; items: T[] } | { ok: false; error: string };

/** NewRuntimeSorter's field: the relaxed form when it parses as one, else as given. */
export function sortField(sortBy: string): string {
  const r = relaxedJsonPath(sortBy);
  return r.ok ? r.path : sortBy;
}

/**
 * Sorts `items` by the field of `objectOf(item)`. `table` selects the TableSorter's messages (the
 * human-readable path) rather than SortObjects' (yaml, json, jsonpath, ...).
 */
export function sortByField<T>(
  items: readonly T[],
  field: string,
  objectOf: (item: T) => JpValue,
  table: boolean,
): SortResult<T> {
  const parser = new JsonPath('sorting');
  parser.allowMissingKeys = true;
  try {
    parser.parse(field);
  } catch (e) {
    if (!(e instanceof JsonPathError)) throw e;
    return { ok: false, error: table ? `sorting error: ${e.message}` : e.message };
  }
  const firsts: (JpValue | undefined)[] = [];
  let found = false;
  for (const item of items) {
    let values: JpValue[][];
    try {
      values = parser.findResults(objectOf(item));
    } catch (e) {
      if (!(e instanceof JsonPathError)) throw e;
      return { ok: false, error: e.message };
    }
    const first = values.length > 0 && values[0]!.length > 0 ? values[0]![0] : undefined;
    if (first !== undefined) found = true;
    firsts.push(first);
  }
  if (items.length > 0 && !found)
    return {
      ok: false,
      error: `couldn't find any field with path ${JSON.stringify(field)} in the list of objects`,
    };
  const rows = items.map((item, i) => ({ item, value: firsts[i] }));
  const less = (a: (typeof rows)[number], b: (typeof rows)[number]): boolean => {
    if (a.value === undefined) return true;
    if (b.value === undefined) return false;
    return isLess(a.value, b.value);
  };
  // sort.Sort's insertionSort: Less(j, j-1), swapping while it holds.
  for (let i = 1; i < rows.length; i++) {
    for (let j = i; j > 0 && less(rows[j]!, rows[j - 1]!); j--) {
      const t = rows[j]!;
      rows[j] = rows[j - 1]!;
      rows[j - 1] = t;
    }
  }
  return { ok: true, items: rows.map((r) => r.item) };
}

/** sorter.go's isLess for values of an unstructured object (all interface-typed). */
export function isLess(i: JpValue, j: JpValue): boolean {
  if (i === INVALID || j === INVALID) return false;
  if (i === null && j === null) return false;
  if (i === null) return true;
  if (j === null) return false;
  if (typeof i === 'number' && typeof j === 'number') {
    // int64 with int64, float64 with float64; mixed kinds are unsortable (kubectl exits).
    return Number.isInteger(i) === Number.isInteger(j) ? i < j : false;
  }
  if (i instanceof GoByte && j instanceof GoByte) return i.value < j.value;
  if (i instanceof GoFloat && j instanceof GoFloat) return i.value < j.value;
  if (typeof i === 'string' && typeof j === 'string') {
    const qi = i.trim() === i ? parseQuantity(i) : undefined;
    if (!qi) return naturalLess(i, j);
    // kubectl ignores j's parse error: a non-quantity compares as zero.
    const qj = j.trim() === j ? parseQuantity(j) : undefined;
    return qi.nanos < (qj?.nanos ?? 0n);
  }
  return false;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** github.com/fvbommel/sortorder NaturalLess: digit runs compare as numbers, bytes otherwise. */
export function naturalLess(a: string, b: string): boolean {
  const s1 = Buffer.from(a, 'utf8');
  const s2 = Buffer.from(b, 'utf8');
  let i1 = 0;
  let i2 = 0;
  while (i1 < s1.length && i2 < s2.length) {
    const c1 = s1[i1]!;
    const c2 = s2[i2]!;
    const d1 = isDigit(c1);
    const d2 = isDigit(c2);
    if (d1 !== d2) return d1;
    if (!d1) {
      if (c1 !== c2) return c1 < c2;
      i1++;
      i2++;
      continue;
    }
    while (i1 < s1.length && s1[i1] === 0x30) i1++;
    while (i2 < s2.length && s2[i2] === 0x30) i2++;
    const nz1 = i1;
    const nz2 = i2;
    while (i1 < s1.length && isDigit(s1[i1]!)) i1++;
    while (i2 < s2.length && isDigit(s2[i2]!)) i2++;
    const len1 = i1 - nz1;
    const len2 = i2 - nz2;
    if (len1 !== len2) return len1 < len2;
    const n1 = s1.subarray(nz1, i1).toString('latin1');
    const n2 = s2.subarray(nz2, i2).toString('latin1');
    if (n1 !== n2) return n1 < n2;
    if (nz1 !== nz2) return nz1 < nz2;
  }
  return s1.length < s2.length;
}
