/**
 * cobra's "Did you mean this?" for an unknown command: every available command whose name is
 * within Levenshtein distance 2 of what was typed (case-insensitive), or starts with it, or that
 * lists the word in its SuggestFor (`rm` → delete), in the order the commands were added.
 */
export const SUGGESTIONS_MINIMUM_DISTANCE = 2;

export type SuggestionCandidate = string | { readonly name: string; readonly suggestFor?: readonly string[] };

export function suggestionsFor(typed: string, commands: readonly SuggestionCandidate[]): string[] {
  const t = typed.toLowerCase();
  const out: string[] = [];
  for (const c of commands) {
    const name = typeof c === 'string' ? c : c.name;
    if (
      levenshtein(t, name.toLowerCase()) <= SUGGESTIONS_MINIMUM_DISTANCE ||
      name.toLowerCase().startsWith(t)
    )
      out.push(name);
    if (typeof c !== 'string')
      for (const word of c.suggestFor ?? []) if (word.toLowerCase() === t) out.push(name);
  }
  return out;
}

/** cobra's ld(): edit distance over bytes (insert, delete and substitute each cost 1). */
export function levenshtein(s: string, t: string): number {
  const a = new TextEncoder().encode(s);
  const b = new TextEncoder().encode(t);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The text cobra appends to `unknown command` errors. */
export function suggestionText(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  return `\n\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join('')}`;
}
