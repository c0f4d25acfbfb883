/**
 * Go's time.Parse with layout RFC 3339 ("2006-01-02T15:04:05Z07:00"), as kubectl's
 * util.ParseRFC3339 uses it for `--since-time`: the instant, or Go's error text
 * (`parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`).
 */
const LAYOUT = '2006-01-02T15:04:05Z07:00';

export type GoTimeResult =
  | { readonly ok: true; readonly unixMs: number }
  | { readonly ok: false; readonly error: string };

const quote = (s: string): string => JSON.stringify(s);

export function parseGoRfc3339(value: string): GoTimeResult {
  const cannot = (rest: string, elem: string): GoTimeResult => ({
    ok: false,
    error: `parsing time ${quote(value)} as ${quote(LAYOUT)}: cannot parse ${quote(rest)} as ${quote(elem)}`,
  });
  const range = (what: string): GoTimeResult => ({
    ok: false,
    error: `parsing time ${quote(value)}: ${what} out of range`,
  });
  const isDigit = (s: string, i: number): boolean => i < s.length && s[i]! >= '0' && s[i]! <= '9';
  /** getnum: one or (fixed) exactly two digits. */
  const getnum = (s: string, fixed: boolean): [number, string] | undefined => {
    if (!isDigit(s, 0)) return undefined;
    if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
    return [Number(s.slice(0, 2)), s.slice(2)];
  };
  let v = value;
  const skip = (lit: string): boolean => {
    if (!v.startsWith(lit)) return false;
    v = v.slice(lit.length);
    return true;
  };
  // 2006
  if (v.length < 4 || !/^\d{4}/.test(v)) return cannot(v, '2006');
  const year = Number(v.slice(0, 4));
  v = v.slice(4);
  if (!skip('-')) return cannot(v, '-');
  const mon = getnum(v, true);
  if (!mon) return cannot(v, '01');
  if (mon[0] < 1 || mon[0] > 12) return range('month');
  v = mon[1];
  if (!skip('-')) return cannot(v, '-');
  const day = getnum(v, true);
  if (!day) return cannot(v, '02');
  v = day[1];
  if (!skip('T')) return cannot(v, 'T');
  const hour = getnum(v, false);
  if (!hour) return cannot(v, '15');
  if (hour[0] > 23) return range('hour');
  v = hour[1];
  if (!skip(':')) return cannot(v, ':');
  const min = getnum(v, true);
  if (!min) return cannot(v, '04');
  if (min[0] > 59) return range('minute');
  v = min[1];
  if (!skip(':')) return cannot(v, ':');
  const sec = getnum(v, true);
  if (!sec) return cannot(v, '05');
  if (sec[0] > 59) return range('second');
  v = sec[1];
  let fracMs = 0;
  const frac = /^[.,](\d+)/.exec(v);
  if (frac) {
    fracMs = Number(`0.${frac[1]}`) * 1000;
    v = v.slice(frac[0].length);
  }
  let offsetMin = 0;
  if (v.startsWith('Z')) v = v.slice(1);
  else {
    const hold = v;
    const m = /^([+-])(\d\d):(\d\d)/.exec(v);
    if (!m) return cannot(hold, 'Z07:00');
    offsetMin = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
    v = v.slice(6);
  }
  if (v !== '') return { ok: false, error: `parsing time ${quote(value)}: extra text: ${quote(v)}` };
  const daysIn = new Date(Date.UTC(year, mon[0], 0)).getUTCDate();
  if (day[0] < 1 || day[0] > daysIn)
    return { ok: false, error: `parsing time ${quote(value)}: day out of range` };
  const unixMs = Date.UTC(year, mon[0] - 1, day[0], hour[0], min[0], sec[0]) + fracMs - offsetMin * 60_000;
  return { ok: true, unixMs };
}
