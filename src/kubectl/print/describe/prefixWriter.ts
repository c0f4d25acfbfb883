import type { Taint } from '../../../sim/api/types';
import { escapeTerminal } from '../table';
import { DESCRIBE_TABWRITER, TabWriter } from '../tabwriter';

/**
 * kubectl describe's PrefixWriter: text written at an indentation level (two spaces per level)
 * into a tabwriter with minwidth 0 and padding 2, so every `Label:\tvalue` block lines up.
 */
export class PrefixWriter {
  private readonly w: TabWriter | undefined;
  private raw = '';

  /**
   * `tabbed: false` is a PrefixWriter straight onto a buffer, with no tabwriter: the tabs stay
   * in the text (what `rollout history --revision` prints).
   */
  constructor(tabbed = true) {
    this.w = tabbed ? new TabWriter(DESCRIBE_TABWRITER) : undefined;
  }

  private put(text: string): void {
    if (this.w) this.w.write(text);
    else this.raw += text;
  }

  write(level: number, text: string): void {
    this.put(escapeTerminal('  '.repeat(level) + text));
  }

  /** Go's WriteLine: the values joined with spaces, then a newline, at no indentation. */
  writeLine(...values: string[]): void {
    this.put(escapeTerminal(`${values.join(' ')}\n`));
  }

  flush(): void {
    this.w?.flush();
  }

  /** The finished text (tabbedString). */
  text(): string {
    if (!this.w) return this.raw;
    this.w.flush();
    return this.w.output;
  }
}

function sortedKeys(map: Readonly<Record<string, string>> | undefined): string[] {
  return Object.keys(map ?? {}).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** printLabelsMultiline: `Labels:\tk=v` then one `\tk=v` line per further label, or `<none>`. */
export function printLabelsMultiline(
  w: PrefixWriter,
  title: string,
  labels: Readonly<Record<string, string>> | undefined,
): void {
  w.write(0, `${title}:\t`);
  const keys = sortedKeys(labels);
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    w.write(0, `${key}=${labels![key]}\n`);
  });
}

/** describe's cap on one annotation line before it is shown on its own, shortened, lines. */
export const MAX_ANNOTATION_LEN = 140;
/** Annotations describe never shows. */
const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

/** printAnnotationsMultiline: like labels, but `key: value`, with long values folded and shortened. */
export function printAnnotationsMultiline(
  w: PrefixWriter,
  title: string,
  annotations: Readonly<Record<string, string>> | undefined,
): void {
  w.write(0, `${title}:\t`);
  const keys = sortedKeys(annotations).filter((k) => !SKIP_ANNOTATIONS.has(k));
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = annotations![key]!.replace(/\n$/, '');
    if (utf8Length(value) + utf8Length(key) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${key}:\n`);
      for (const s of value.split('\n')) w.write(0, `\t  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(0, `${key}: ${value}\n`);
    }
  });
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Go's shorten, which cuts bytes (len(s) > max → s[:max] + "..."). */
function shorten(s: string, max: number): string {
  const bytes = new TextEncoder().encode(s);
  if (bytes.length <= max) return s;
  return `${new TextDecoder().decode(bytes.slice(0, max))}...`;
}

/** Taint.ToString: `key=value:Effect` or `key:Effect`. */
export function taintString(t: Taint): string {
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

/** printTaintsMultiline: sorted by effect, then key. */
export function printTaintsMultiline(
  w: PrefixWriter,
  title: string,
  taints: readonly Taint[] | undefined,
): void {
  w.write(0, `${title}:\t`);
  if (!taints || taints.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const sortKey = (t: Taint): string => `${t.effect},${t.key}`;
  const sorted = [...taints].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    w.write(0, `${taintString(t)}\n`);
  });
}
