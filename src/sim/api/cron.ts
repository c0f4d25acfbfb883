/**
 * Cron schedules as the CronJob controller reads them (robfig/cron v3's standard parser:
 * minute hour day-of-month month day-of-week, with `*`, `?`, `a-b`, `/step`, lists, month and
 * weekday names, and the `@hourly`… descriptors), with the parser's own error texts, which
 * kube-apiserver returns verbatim for an invalid `spec.schedule`. Times are UTC, or a CronJob's
 * `spec.timeZone` (nextActivationInZone).
 */

export interface CronSchedule {
  readonly minute: bigint;
  readonly hour: bigint;
  readonly dom: bigint;
  readonly month: bigint;
  readonly dow: bigint;
  /** @every DURATION: a fixed interval (ms) instead of fields. */
  readonly everyMs?: number;
}

const STAR = 1n << 63n;

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: {
    jan: 1,
    feb: 2,
    mar: 3,
    apr: 4,
    may: 5,
    jun: 6,
    jul: 7,
    aug: 8,
    sep: 9,
    oct: 10,
    nov: 11,
    dec: 12,
  },
};
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

class CronError extends Error {}

function bits(min: number, max: number, step: number): bigint {
  let b = 0n;
  for (let i = min; i <= max; i += step) b |= 1n << BigInt(i);
  return b;
}

/** Go's strconv.Atoi, with its error text. */
function mustParseInt(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr))
    throw new CronError(
      `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`,
    );
  const n = Number.parseInt(expr, 10);
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, r: Bounds): number {
  const named = r.names?.[expr.toLowerCase()];
  return named ?? mustParseInt(expr);
}

function getRange(expr: string, r: Bounds): bigint {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let extra = 0n;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
    extra = STAR;
  } else {
    start = parseIntOrName(lowAndHigh[0] ?? '', r);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1] ?? '', r);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1] ?? '');
    if (single) end = r.max;
    if (step > 1) extra = 0n;
  } else if (rangeAndStep.length > 2) throw new CronError(`too many slashes: ${expr}`);
  if (start < r.min) throw new CronError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
  return bits(start, end, step) | extra;
}

function getField(field: string, r: Bounds): bigint {
  let b = 0n;
  for (const expr of field.split(',')) b |= getRange(expr, r);
  return b;
}

const ALL = (r: Bounds): bigint => bits(r.min, r.max, 1) | STAR;

/** A Go duration (`90s`, `1h30m`), in ms, or undefined. */
function goDuration(text: string): number | undefined {
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * (units[m[2] as string] as number);
    at = re.lastIndex;
  }
  return at === 0 ? undefined : total;
}

function descriptor(spec: string): CronSchedule {
  const every = (m: bigint, h: bigint, d: bigint, mo: bigint, w: bigint): CronSchedule => ({
    minute: m,
    hour: h,
    dom: d,
    month: mo,
    dow: w,
  });
  const one = (n: number): bigint => 1n << BigInt(n);
  switch (spec) {
    case '@yearly':
    case '@annually':
      return every(one(0), one(0), one(1), one(1), ALL(DOW));
    case '@monthly':
      return every(one(0), one(0), one(1), ALL(MONTHS), ALL(DOW));
    case '@weekly':
      return every(one(0), one(0), ALL(DOM), ALL(MONTHS), one(0));
    case '@daily':
    case '@midnight':
      return every(one(0), one(0), ALL(DOM), ALL(MONTHS), ALL(DOW));
    case '@hourly':
      return every(one(0), ALL(HOURS), ALL(DOM), ALL(MONTHS), ALL(DOW));
  }
  if (spec.startsWith('@every ')) {
    const text = spec.slice('@every '.length);
    const ms = goDuration(text);
    if (ms === undefined)
      throw new CronError(`failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(text)}`);
    // robfig rounds the interval to whole seconds, at least one.
    return { ...every(0n, 0n, 0n, 0n, 0n), everyMs: Math.max(1000, Math.floor(ms / 1000) * 1000) };
  }
  throw new CronError(`unrecognized descriptor: ${spec}`);
}

/** cron.ParseStandard: the schedule, or the parser's error message. */
export function parseCron(spec: string): CronSchedule | { error: string } {
  try {
    if (spec.length === 0) throw new CronError('empty spec string');
    if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
      const i = spec.indexOf(' ');
      const zone = spec.slice(spec.indexOf('=') + 1, i < 0 ? undefined : i);
      if (zone !== 'UTC' && zone !== 'Etc/UTC')
        throw new CronError(`provided bad location ${zone}: unknown time zone ${zone}`);
      spec = spec.slice(i + 1).trim();
    }
    if (spec.startsWith('@')) return descriptor(spec);
    const fields = spec.split(/\s+/).filter((f) => f !== '');
    if (fields.length !== 5)
      throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
    const [mi, h, d, mo, w] = fields as [string, string, string, string, string];
    return {
      minute: getField(mi, MINUTES),
      hour: getField(h, HOURS),
      dom: getField(d, DOM),
      month: getField(mo, MONTHS),
      dow: getField(w, DOW),
    };
  } catch (e) {
    if (e instanceof CronError) return { error: e.message };
    throw e;
  }
}

const has = (b: bigint, n: number): boolean => (b & (1n << BigInt(n))) !== 0n;

function dayMatches(s: CronSchedule, t: Date): boolean {
  const domMatch = has(s.dom, t.getUTCDate());
  const dowMatch = has(s.dow, t.getUTCDay());
  if ((s.dom & STAR) !== 0n || (s.dow & STAR) !== 0n) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

/**
 * The first activation strictly after `unixMs` (Unix ms, UTC), as SpecSchedule.Next: whole
 * minutes, searched at most five years ahead; undefined if the schedule never fires.
 */
export function nextActivation(s: CronSchedule, unixMs: number): number | undefined {
  if (s.everyMs !== undefined) return Math.floor(unixMs / 1000) * 1000 + s.everyMs;
  const t = new Date(Math.floor(unixMs / 60_000) * 60_000 + 60_000);
  const limit = t.getUTCFullYear() + 5;
  while (t.getUTCFullYear() <= limit) {
    if (!has(s.month, t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(s, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!has(s.hour, t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!has(s.minute, t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return t.getTime();
  }
  return undefined;
}

/*
 * Time zones (CronJob `spec.timeZone`). Offsets come from the IANA database the runtime's Intl
 * carries, asked for one instant at a time: a pure function of the instant, so the simulated
 * clock stays the only time source.
 */

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(zone: string): Intl.DateTimeFormat {
  let f = zoneFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(zone, f);
  }
  return f;
}

/**
 * Whether Go's time.LoadLocation knows the zone: an IANA name, matched case-sensitively as the
 * zoneinfo files are ("UTC" and "Local" are built in).
 */
export function isKnownTimeZone(zone: string): boolean {
  if (zone === 'UTC' || zone === 'Local' || zone === '') return true;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  // Intl accepts any casing and answers the canonical name: only an alias may differ from it.
  return resolved === zone || resolved.toLowerCase() !== zone.toLowerCase();
}

/** The zone's offset from UTC at that instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(zone: string | undefined, unixMs: number): number {
  if (!zone || zone === 'UTC' || zone === 'Local') return 0;
  const parts: Record<string, number> = {};
  const seconds = Math.floor(unixMs / 1000) * 1000;
  for (const p of zoneFormat(zone).formatToParts(seconds))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - seconds;
}

/** Go's t.In(zone).Format(time.RFC3339): `2026-11-25T10:00:00+01:00`, or `Z` for a zero offset. */
export function rfc3339InZone(unixMs: number, zone: string | undefined): string {
  const offset = zoneOffsetMs(zone, unixMs);
  const wall = new Date(Math.floor(unixMs / 1000) * 1000 + offset).toISOString().slice(0, 19);
  if (offset === 0) return `${wall}Z`;
  const minutes = Math.round(Math.abs(offset) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${wall}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** Go's time.RFC1123Z of a UTC instant: `Wed, 25 Nov 2026 09:05:00 +0000`. */
export function rfc1123zUtc(unixMs: number): string {
  const d = new Date(unixMs);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${two(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** Wall-clock fields of an instant in a zone. */
interface Wall {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly dow: number;
}

function wallOf(unixMs: number, zone: string): Wall {
  const d = new Date(unixMs + zoneOffsetMs(zone, unixMs));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    dow: d.getUTCDay(),
  };
}

/** Go's time.Date(y, mo, d, h, mi, 0, 0, zone): fields normalized, then the zone's offset there. */
function fromWall(
  zone: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const guess = wall - zoneOffsetMs(zone, wall);
  return wall - zoneOffsetMs(zone, guess);
}

/**
 * SpecSchedule.Next in a time zone (robfig/cron v3 with a Location): the fields are matched on the
 * zone's wall clock; hours and minutes advance in real time, so an hour skipped by a
 * daylight-saving change is skipped, and days in wall-clock days.
 */
export function nextActivationInZone(
  s: CronSchedule,
  unixMs: number,
  zone: string | undefined,
): number | undefined {
  if (!zone || zone === 'UTC' || zone === 'Local' || s.everyMs !== undefined)
    return nextActivation(s, unixMs);
  let t = Math.floor(unixMs / 60_000) * 60_000 + 60_000;
  let added = false;
  const yearLimit = wallOf(t, zone).year + 5;
  wrap: for (;;) {
    let w = wallOf(t, zone);
    if (w.year > yearLimit) return undefined;
    while (!has(s.month, w.month)) {
      if (!added) {
        added = true;
        t = fromWall(zone, w.year, w.month, 1, 0, 0);
        w = wallOf(t, zone);
      }
      t = fromWall(zone, w.year, w.month + 1, w.day, w.hour, w.minute);
      w = wallOf(t, zone);
      if (w.month === 1) continue wrap;
    }
    while (!dayMatchesWall(s, w)) {
      if (!added) {
        added = true;
        t = fromWall(zone, w.year, w.month, w.day, 0, 0);
        w = wallOf(t, zone);
      }
      t = fromWall(zone, w.year, w.month, w.day + 1, w.hour, w.minute);
      w = wallOf(t, zone);
      // Back to midnight if a daylight-saving change moved the hour.
      if (w.hour !== 0) {
        t += (w.hour > 12 ? 24 - w.hour : -w.hour) * 3_600_000;
        w = wallOf(t, zone);
      }
      if (w.day === 1) continue wrap;
    }
    while (!has(s.hour, w.hour)) {
      if (!added) {
        added = true;
        t = fromWall(zone, w.year, w.month, w.day, w.hour, 0);
      }
      t += 3_600_000;
      w = wallOf(t, zone);
      if (w.hour === 0) continue wrap;
    }
    while (!has(s.minute, w.minute)) {
      added = true;
      t += 60_000;
      w = wallOf(t, zone);
      if (w.minute === 0) continue wrap;
    }
    return t;
  }
}

function dayMatchesWall(s: CronSchedule, w: Wall): boolean {
  const domMatch = has(s.dom, w.day);
  const dowMatch = has(s.dow, w.dow);
  if ((s.dom & STAR) !== 0n || (s.dow & STAR) !== 0n) return domMatch && dowMatch;
  return domMatch || dowMatch;
}
