import { type Document, parseDocument, type YAMLError } from 'yaml';
import { goJsonNumber, goJsonString } from '../print/json';

/**
 * How kubectl reads a manifest stream (apimachinery's YAMLOrJSONDecoder): a stream whose first
 * non-space character is `{` is a sequence of JSON values; anything else is YAML, cut into
 * documents at `---` lines (YAMLReader) and each converted to JSON by sigs.k8s.io/yaml, which
 * parses YAML 1.1 with go-yaml v2: `yes`/`no`/`on`/`off`/`y`/`n` are booleans, `0777` is octal,
 * and timestamps stay strings. Errors carry kubectl's texts (`error converting YAML to JSON:
 * yaml: line 3: ...`, `json: offset 12: invalid character ...`); go-yaml's own wording and line
 * numbers are recovered from the `yaml` package's errors as closely as it allows.
 */

/** One document of a stream: its JSON value and, for errors that quote it, its JSON text. */
export interface DecodedDocument {
  readonly value: unknown;
  /** The document as JSON: the text as written for JSON input, Go's compact JSON for YAML. */
  readonly raw: string;
}

export type DecodeResult =
  | { readonly ok: true; readonly documents: readonly DecodedDocument[] }
  /** Decoding stopped at `error`; the documents before it were read. */
  | { readonly ok: false; readonly documents: readonly DecodedDocument[]; readonly error: string };

/** Decodes a whole stream. Empty documents (and `null`) are skipped, as kubectl skips them. */
export function decodeStream(text: string): DecodeResult {
  return /^\s*\{/.test(text) ? decodeJsonStream(text) : decodeYamlStream(text);
}

// ---- YAML ----

/** The documents of a YAML stream as YAMLReader cuts them (the `---` lines themselves dropped). */
export function splitYamlDocuments(text: string): { chunks: string[]; error?: string } {
  const chunks: string[] = [];
  let buffer = '';
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  for (const line of lines) {
    if (line.startsWith('---')) {
      const after = line.slice(3).trim();
      if (after.length > 0 && !after.startsWith('#')) {
        if (buffer !== '') chunks.push(buffer);
        return { chunks, error: `invalid Yaml document separator: ${after}` };
      }
      if (buffer !== '') chunks.push(buffer);
      buffer = '';
      continue;
    }
    buffer += line;
  }
  if (buffer !== '') chunks.push(buffer);
  return { chunks };
}

function decodeYamlStream(text: string): DecodeResult {
  const { chunks, error } = splitYamlDocuments(text);
  const documents: DecodedDocument[] = [];
  for (const chunk of chunks) {
    const r = yamlToJson(chunk);
    if (!r.ok) return { ok: false, documents, error: `error converting YAML to JSON: ${r.error}` };
    if (r.value === null || r.value === undefined) continue;
    documents.push({ value: r.value, raw: goJsonCompact(r.value) });
  }
  if (error) return { ok: false, documents, error };
  return { ok: true, documents };
}

/** go-yaml v2's scalar resolution on top of the `yaml` package's YAML 1.1 schema. */
const YAML_OPTIONS = {
  version: '1.1' as const,
  uniqueKeys: false,
  merge: true,
  prettyErrors: false,
  customTags: (tags: unknown[]) => {
    const kept = (tags as { tag?: string; format?: string; test?: RegExp }[]).filter(
      (t) =>
        // go-yaml v2 hands timestamps to interface{} as strings, and has no sexagesimal numbers.
        t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME',
    );
    return [
      ...kept,
      {
        // Go's strconv.ParseInt(s, 0, 64) also reads 0o17.
        identify: (v: unknown) => Number.isInteger(v),
        default: true,
        tag: 'tag:yaml.org,2002:int',
        format: 'OCT',
        test: /^[-+]?0o[0-7_]+$/,
        resolve: (s: string) =>
          (s.startsWith('-') ? -1 : 1) * Number.parseInt(s.replace(/^[-+]?0o|_/g, ''), 8),
      },
    ] as never;
  },
};

/** One YAML document to its JSON value, or go-yaml's error text (`yaml: line 3: ...`). */
export function yamlToJson(chunk: string): { ok: true; value: unknown } | { ok: false; error: string } {
  let doc: Document.Parsed;
  try {
    doc = parseDocument(chunk, YAML_OPTIONS);
  } catch (e) {
    return { ok: false, error: `yaml: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (doc.errors.length > 0) return { ok: false, error: goYamlError(chunk, doc.errors) };
  try {
    return { ok: true, value: normalize(doc.toJS({ maxAliasCount: -1 })) };
  } catch (e) {
    const alias = /alias.*: (.*)$/.exec(e instanceof Error ? e.message : '');
    if (alias) return { ok: false, error: `yaml: unknown anchor '${alias[1]}' referenced` };
    return { ok: false, error: `yaml: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** What YAMLToJSON makes of the values: map keys as strings, non-finite floats refused. */
function normalize(v: unknown): unknown {
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) out[String(k)] = normalize(x);
    return out;
  }
  if (v instanceof Set) return [...v].map(normalize);
  if (Array.isArray(v)) return v.map(normalize);
  if (v instanceof Uint8Array) return btoa(String.fromCharCode(...v));
  if (typeof v === 'number' && !Number.isFinite(v))
    throw new Error(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = normalize(x);
    return out;
  }
  return v;
}

/** The 0-based line of offset `pos` in `text`. */
function lineOf(text: string, pos: number): number {
  let n = 0;
  for (let i = 0; i < Math.min(pos, text.length); i++) if (text[i] === '\n') n++;
  return n;
}

/**
 * go-yaml v2 prints a scanner error's line 1-based and a parser error's line 0-based (its problem
 * mark), and no line at all when that is 0: the quirks of `yaml: line N: ...`.
 */
function goYamlMessage(kind: 'scanner' | 'parser', line: number, message: string): string {
  const shown = kind === 'scanner' ? (line === 0 ? 0 : line + 1) : line;
  return `yaml: ${shown !== 0 ? `line ${shown}: ` : ''}${message}`;
}

/** The position of the next `:` that starts a mapping value, from `from` on (outside quotes). */
function nextMappingColon(text: string, from: number): number {
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === ':' && (i + 1 >= text.length || /\s/.test(text[i + 1]!))) return i;
  }
  return text.length;
}

/** The start of the next line holding something other than blanks and comments, or the end. */
function nextContentLine(text: string, from: number): number {
  let i = text.indexOf('\n', from);
  while (i >= 0) {
    const start = i + 1;
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    if (line.trim() !== '' && !line.trim().startsWith('#')) return start;
    if (end < 0) break;
    i = end;
  }
  return text.length;
}

/**
 * Whether the block collection around `pos` is an indented sequence (`- item` lines at its
 * indentation, deeper than the key that holds it): go-yaml then expects another `-`. After an
 * indentless sequence (`- ` at the column of its key) it expects the next key instead.
 */
function inBlockSequence(text: string, pos: number): boolean {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const indent = /^ */.exec(text.slice(lineStart))![0].length;
  const before = text
    .slice(0, lineStart)
    .split('\n')
    .reverse()
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const isDash = (l: string): boolean => /^ *-( |$)/.test(l);
  const indentOf = (l: string): number => /^ */.exec(l)![0].length;
  const at = before.findIndex((l) => indentOf(l) <= indent);
  if (at < 0 || !isDash(before[at]!)) return false;
  const dash = indentOf(before[at]!);
  for (const l of before.slice(at + 1)) {
    if (indentOf(l) < dash) return true;
    if (indentOf(l) === dash && !isDash(l)) return false;
  }
  return true;
}

/** go-yaml's error for the first error the `yaml` package found in `chunk`. */
function goYamlError(chunk: string, errors: readonly YAMLError[]): string {
  const first = [...errors].sort((a, b) => a.pos[0] - b.pos[0])[0]!;
  const pos = first.pos[0];
  const line = (p: number) => lineOf(chunk, p);
  const eofLine = line(chunk.length);
  const msg = first.message.split('\n')[0] ?? '';
  switch (first.code) {
    case 'TAB_AS_INDENT':
    case 'BAD_SCALAR_START':
      return goYamlMessage('scanner', line(pos), 'found character that cannot start any token');
    case 'BLOCK_AS_IMPLICIT_KEY':
      return goYamlMessage(
        'scanner',
        line(nextMappingColon(chunk, pos)),
        'mapping values are not allowed in this context',
      );
    case 'MULTILINE_IMPLICIT_KEY': {
      if (errors.some((e) => e.code === 'UNEXPECTED_TOKEN' && /block-seq-ind/.test(e.message))) {
        const seq = errors.find((e) => /block-seq-ind/.test(e.message))!;
        return goYamlMessage('parser', line(seq.pos[0]), 'did not find expected key');
      }
      return goYamlMessage('scanner', line(first.pos[1]), "could not find expected ':'");
    }
    case 'MISSING_CHAR':
      if (/quote/.test(msg)) return goYamlMessage('scanner', eofLine, 'found unexpected end of stream');
      if (/without - indicator/.test(msg))
        return goYamlMessage(
          'parser',
          line(pos),
          inBlockSequence(chunk, pos) ? "did not find expected '-' indicator" : 'did not find expected key',
        );
      if (/map values/.test(msg))
        return goYamlMessage('scanner', line(nextContentLine(chunk, pos)), "could not find expected ':'");
      return goYamlMessage('parser', line(pos), 'did not find expected key');
    case 'BAD_INDENT':
      if (/Flow (sequence|map)/.test(msg)) {
        // An opened collection with nothing in it yet still wants its first node.
        const open = Math.max(chunk.lastIndexOf('[', pos), chunk.lastIndexOf('{', pos));
        if (open >= 0 && chunk.slice(open + 1, pos).trim() === '')
          return goYamlMessage('parser', line(pos), 'did not find expected node content');
        return goYamlMessage(
          'parser',
          line(pos),
          /Flow sequence/.test(msg) ? "did not find expected ',' or ']'" : "did not find expected ',' or '}'",
        );
      }
      return goYamlMessage(
        'parser',
        line(pos),
        inBlockSequence(chunk, pos) ? "did not find expected '-' indicator" : 'did not find expected key',
      );
    case 'UNEXPECTED_TOKEN':
      if (/at node end/.test(msg) && inBlockSequence(chunk, pos))
        return goYamlMessage('parser', line(pos), "did not find expected '-' indicator");
      return goYamlMessage('parser', line(pos), 'did not find expected key');
    case 'DUPLICATE_KEY':
      return goYamlMessage('parser', line(pos), 'did not find expected key');
    default:
      return goYamlMessage('parser', line(pos), 'did not find expected node content');
  }
}

// ---- JSON ----

function decodeJsonStream(text: string): DecodeResult {
  const documents: DecodedDocument[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && /[ \t\r\n]/.test(text[i]!)) i++;
    if (i >= text.length) return { ok: true, documents };
    const r = scanJsonValue(text, i);
    if (typeof r === 'string') return { ok: false, documents, error: r };
    const raw = text.slice(i, r);
    i = r;
    const value: unknown = JSON.parse(raw);
    if (value === null) continue;
    documents.push({ value, raw });
  }
}

/** Go's quoteChar: how the JSON scanner shows the offending character. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c).slice(1, -1);
  return `'${q}'`;
}

/**
 * encoding/json's scanner over one value from `start`: the offset just after it, or the error
 * json.Decoder reports (`json: offset N: invalid character ...`, `unexpected EOF`).
 */
export function scanJsonValue(text: string, start: number): number | string {
  let i = start;
  const err = (what: string): string =>
    `json: offset ${i + 1}: invalid character ${quoteChar(text[i]!)} ${what}`;
  const ws = (): void => {
    while (i < text.length && /[ \t\r\n]/.test(text[i]!)) i++;
  };
  class Stop {
    constructor(readonly message: string) {}
  }
  const need = (): void => {
    if (i >= text.length) throw new Stop('unexpected EOF');
  };
  const value = (): void => {
    ws();
    need();
    const c = text[i]!;
    if (c === '{') {
      i++;
      ws();
      need();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        need();
        if (text[i] !== '"') throw new Stop(err('looking for beginning of object key string'));
        string();
        ws();
        need();
        if (text[i] !== ':') throw new Stop(err('after object key'));
        i++;
        value();
        ws();
        need();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        throw new Stop(err('after object key:value pair'));
      }
    }
    if (c === '[') {
      i++;
      ws();
      need();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        need();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        throw new Stop(err('after array element'));
      }
    }
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    for (const word of ['true', 'false', 'null']) {
      if (c !== word[0]) continue;
      i++;
      for (const expected of word.slice(1)) {
        need();
        if (text[i] !== expected)
          throw new Stop(err(`in literal ${word} (expecting ${quoteChar(expected)})`));
        i++;
      }
      return;
    }
    throw new Stop(err('looking for beginning of value'));
  };
  const string = (): void => {
    i++;
    for (;;) {
      need();
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        need();
        const e = text[i]!;
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            need();
            if (!/[0-9a-fA-F]/.test(text[i]!)) throw new Stop(err('in \\u hexadecimal character escape'));
          }
        } else if (!'"\\/bfnrt'.includes(e)) throw new Stop(err('in string escape code'));
        i++;
        continue;
      }
      if (c < ' ') throw new Stop(err('in string literal'));
      i++;
    }
  };
  const digits = (): void => {
    while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
  };
  const number = (): void => {
    if (text[i] === '-') {
      i++;
      need();
      if (!(text[i]! >= '0' && text[i]! <= '9')) throw new Stop(err('in numeric literal'));
    }
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      need();
      if (!(text[i]! >= '0' && text[i]! <= '9'))
        throw new Stop(err('after decimal point in numeric literal'));
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      need();
      if (text[i] === '+' || text[i] === '-') i++;
      need();
      if (!(text[i]! >= '0' && text[i]! <= '9')) throw new Stop(err('in exponent of numeric literal'));
      digits();
    }
  };
  try {
    value();
    return i;
  } catch (e) {
    if (e instanceof Stop) return e.message;
    throw e;
  }
}

// ---- Go's compact JSON ----

/**
 * encoding/json's Marshal of an unstructured value: map keys sorted, no spaces, `<`, `>`, `&`
 * and U+2028/U+2029 escaped, floats as Go prints them. What the last-applied-configuration
 * annotation holds, and how kubectl quotes a document in its errors.
 */
export function goJsonCompact(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'number') return goJsonNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(goJsonCompact).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${goJsonString(k)}:${goJsonCompact(v)}`).join(',')}}`;
}
