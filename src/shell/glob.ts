import type { VirtualFs } from './vfs';

/**
 * bash's patterns: `*`, `?` and `[…]` (`[!…]`, `[^…]`, ranges, `[:alpha:]`), for pathname
 * expansion over the lab's filesystem and for `${X#…}`, `${X%…}`, `${X/…/…}`.
 *
 * A pattern travels as an "encoded" string: a `*`, `?` or `[` that was quoted or escaped, and so
 * only stands for itself, is replaced by a private control character; the characters left as
 * they are still have their pattern meaning.
 */

const LITERAL: Readonly<Record<string, string>> = { '*': '\u0002', '?': '\u0003', '[': '\u0004' };
const UNLITERAL: Readonly<Record<string, string>> = { '\u0002': '*', '\u0003': '?', '\u0004': '[' };

/** Marks every pattern character of `text` as literal. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[]/g, (c) => LITERAL[c] as string);
}

/** The plain text of an encoded string. */
export function unescapeGlob(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the literal marks are control characters
  return text.replace(/[\u0002-\u0004]/g, (c) => UNLITERAL[c] as string);
}

/** Whether an encoded string has an active `*`, `?` or `[`. */
export function hasGlob(text: string): boolean {
  return /[*?[]/.test(text);
}

const escapeRe = (c: string): string => (/[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c);
const classChar = (c: string): string => `\\u{${(c.codePointAt(0) as number).toString(16)}}`;

const CLASSES: Readonly<Record<string, string>> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  blank: ' \\t',
  xdigit: '0-9a-fA-F',
  punct: '!-\\/:-@\\[-`{-~',
  word: '\\w',
};

/** The regular expression source (for the `u` flag) of an encoded pattern. */
export function patternSource(pattern: string): string {
  const chars = [...pattern];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === '*') {
      out += '[\\s\\S]*';
      while (chars[i + 1] === '*') i++;
    } else if (c === '?') out += '[\\s\\S]';
    else if (c === '[') {
      const bracket = parseBracket(chars, i);
      if (bracket) {
        out += bracket.source;
        i = bracket.end;
      } else out += '\\[';
    } else out += escapeRe(UNLITERAL[c] ?? c);
  }
  return out;
}

/** `[…]` starting at `start`: its regex and the index of its `]`, or undefined if it never closes. */
function parseBracket(chars: readonly string[], start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  const negate = chars[i] === '!' || chars[i] === '^';
  if (negate) i++;
  let body = '';
  let first = true;
  for (; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === ']' && !first) return { source: `[${negate ? '^' : ''}${body}]`, end: i };
    first = false;
    if (c === '[' && chars[i + 1] === ':') {
      const close = chars.indexOf(':', i + 2);
      const name = close > 0 && chars[close + 1] === ']' ? chars.slice(i + 2, close).join('') : undefined;
      if (name !== undefined && CLASSES[name] !== undefined) {
        body += CLASSES[name];
        i = close + 1;
        continue;
      }
    }
    const lit = UNLITERAL[c] ?? c;
    if (chars[i + 1] === '-' && chars[i + 2] !== undefined && chars[i + 2] !== ']') {
      const to = UNLITERAL[chars[i + 2] as string] ?? (chars[i + 2] as string);
      if ((lit.codePointAt(0) as number) <= (to.codePointAt(0) as number))
        body += `${classChar(lit)}-${classChar(to)}`;
      i += 2;
      continue;
    }
    body += classChar(lit);
  }
  return undefined;
}

/** A whole-string matcher for an encoded pattern. */
export function patternRegExp(pattern: string): RegExp {
  return new RegExp(`^(?:${patternSource(pattern)})$`, 'u');
}

/**
 * Pathname expansion: the paths of the lab's filesystem an encoded pattern matches, sorted, in
 * the form the pattern was written (relative stays relative); [] when nothing matches. As bash,
 * a leading `.` must be matched explicitly, and a trailing `/` matches directories only.
 */
export function globPaths(pattern: string, fs: VirtualFs): string[] {
  const segments = pattern.split('/');
  const absolute = pattern.startsWith('/');
  let found: string[] = [absolute ? '/' : ''];
  const join = (base: string, name: string): string =>
    base === '' ? name : base.endsWith('/') ? base + name : `${base}/${name}`;
  for (let k = absolute ? 1 : 0; k < segments.length; k++) {
    const seg = segments[k] as string;
    const last = k === segments.length - 1;
    if (seg === '') {
      if (last) found = found.filter((p) => fs.isDir(p)).map((p) => (p.endsWith('/') ? p : `${p}/`));
      continue;
    }
    if (!hasGlob(seg)) {
      found = found.map((p) => join(p, unescapeGlob(seg)));
      continue;
    }
    const re = patternRegExp(seg);
    const dotOk = seg.startsWith('.');
    const next: string[] = [];
    for (const base of found) {
      const listing = fs.isDir(base === '' ? '.' : base) ? fs.list(base === '' ? '.' : base) : undefined;
      if (!listing?.ok) continue;
      for (const e of listing.value) {
        if (e.name.startsWith('.') && !dotOk) continue;
        if (!last && !e.dir) continue;
        if (re.test(e.name)) next.push(join(base, e.name));
      }
    }
    found = next;
    if (found.length === 0) return [];
  }
  return found.filter((p) => fs.list(p).ok).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
