/**
 * Interning of strings that thousands of objects repeat (image references, event messages and
 * reasons): one flat copy shared by all, instead of one rope per object. Bounded: two generations
 * of at most LIMIT entries, so a stream of unique strings cannot grow it. Results are equal strings
 * either way, so this changes memory only, never behaviour.
 */
const LIMIT = 4096;
let current = new Map<string, string>();
let previous = new Map<string, string>();

export function intern(text: string): string {
  let shared = current.get(text);
  if (shared !== undefined) return shared;
  shared = previous.get(text) ?? flat(text);
  if (current.size >= LIMIT) {
    previous = current;
    current = new Map();
  }
  current.set(text, shared);
  return shared;
}

/** A flat copy: V8 keeps concatenations as ropes of pieces, which cost more than the characters. */
function flat(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}
