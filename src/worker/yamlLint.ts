import { parseAllDocuments } from 'yaml';

/** A YAML parse error at [from, to) of the text, for the editor pane's inline marks. */
export interface YamlProblem {
  readonly from: number;
  readonly to: number;
  readonly message: string;
}

/**
 * The parse errors of a YAML stream (every document), as the editor pane marks them while the
 * user types. It runs in the worker, which already holds the `yaml` package, so the page's
 * editor chunk does not carry a second copy.
 */
export function yamlProblems(text: string): YamlProblem[] {
  const out: YamlProblem[] = [];
  for (const doc of parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false })) {
    for (const e of doc.errors) {
      const from = Math.min(e.pos[0], text.length);
      const to = Math.max(from, Math.min(e.pos[1], text.length));
      out.push({ from, to, message: e.message.split('\n')[0] ?? e.message });
    }
  }
  return out;
}
