import type { PodObject } from '../api/types';

/**
 * Completion indexes of Indexed Jobs (pkg/controller/job/indexed_job_utils.go): the pod
 * annotation and label that carry them, and the compressed interval strings of
 * `status.completedIndexes` ("0-2,4,6,7": a run of two is written as a pair, of three or more as
 * a range).
 */
export const JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
export const JOB_COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

/** The pod's completion index, or -1 when it has none (or a malformed one). */
export function completionIndexOf(pod: PodObject): number {
  const v = pod.metadata.annotations?.[JOB_COMPLETION_INDEX];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return -1;
  const n = Number.parseInt(v, 10);
  return n < 0 ? -1 : n;
}

/** Parses `status.completedIndexes`, keeping the indexes below `completions`; bad parts are skipped. */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  if (!text) return out;
  for (const part of text.split(',')) {
    const [a, b] = part.split('-');
    const first = Number.parseInt(a ?? '', 10);
    if (!Number.isFinite(first)) continue;
    if (first >= completions) break;
    let last = first;
    if (b !== undefined) {
      last = Number.parseInt(b, 10);
      if (!Number.isFinite(last)) continue;
      last = Math.min(last, completions - 1);
    }
    for (let i = first; i <= last; i++) out.add(i);
  }
  return out;
}

/** The interval string of a set of indexes, in increasing order, as orderedIntervals.String(). */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((x, y) => x - y);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    const first = sorted[i] as number;
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    const last = sorted[j] as number;
    if (last === first) parts.push(String(first));
    else if (last === first + 1) parts.push(`${first},${last}`);
    else parts.push(`${first}-${last}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The first `count` indexes below `completions` that are neither done nor running (firstPendingIndexes). */
export function firstPendingIndexes(
  count: number,
  completions: number,
  taken: ReadonlySet<number>,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!taken.has(i)) out.push(i);
  return out;
}
