import { isPlainObject } from '../../sim/apiserver/mergePatch';
import { goJsonCompact } from './manifestDecode';

/**
 * The `kubectl.kubernetes.io/last-applied-configuration` annotation, as kubectl's apply util
 * writes it: the object's JSON (unstructured, so keys sorted) with that annotation taken out and
 * an empty `annotations: {}` left in its place when there are no others, plus the newline
 * json.Encoder ends with.
 */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Obj = Record<string, unknown>;

function annotationsOf(obj: Obj): Record<string, string> {
  const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
  return isPlainObject(meta.annotations) ? { ...(meta.annotations as Record<string, string>) } : {};
}

function withAnnotations(obj: Obj, annotations: Record<string, string>): Obj {
  const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
  return { ...obj, metadata: { ...meta, annotations } };
}

/**
 * GetModifiedConfiguration: the object's JSON without the annotation, or (annotate) with the
 * annotation set to that JSON. Both end in a newline.
 */
export function modifiedConfiguration(obj: Obj, annotate: boolean): string {
  const annotations = annotationsOf(obj);
  delete annotations[LAST_APPLIED];
  const plain = `${goJsonCompact(withAnnotations(obj, annotations))}\n`;
  if (!annotate) return plain;
  return `${goJsonCompact(withAnnotations(obj, { ...annotations, [LAST_APPLIED]: plain }))}\n`;
}

/** CreateApplyAnnotation: the object with its annotation set to its configuration. */
export function withApplyAnnotation(obj: Obj): Obj {
  const annotations = annotationsOf(obj);
  return withAnnotations(obj, { ...annotations, [LAST_APPLIED]: modifiedConfiguration(obj, false) });
}

/** GetOriginalConfiguration: the annotation of a live object, parsed; undefined when absent. */
export function originalConfiguration(obj: Obj): Obj | undefined {
  const text = annotationsOf(obj)[LAST_APPLIED];
  if (text === undefined || text === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
