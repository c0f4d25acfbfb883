/**
 * `{ ...base, ...extra }`, for objects that are kept. In optimized code, V8 (Node 20) gives a spread
 * followed by a key the source lacks a hidden class of its own per object (a Map, descriptors and
 * an enum cache, ~450 bytes each); Object.assign onto `{}` reuses the source's hidden class. Same
 * keys in the same order; an own `__proto__` key (which assign would treat as the prototype)
 * takes the spread.
 */
export function extend<T extends object, U extends object>(base: T, extra: U): Omit<T, keyof U> & U {
  if (Object.hasOwn(base, '__proto__') || Object.hasOwn(extra, '__proto__')) return { ...base, ...extra };
  return Object.assign({}, base, extra);
}
