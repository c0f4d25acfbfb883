import { goJsonNumber, goJsonString } from '../json';
import { compactJson, goQuote, type JpValue } from '../jsonpath';
import { executeTemplate } from './exec';
import { sprintValue } from './fmt';
import { parseTemplate, TemplateParseError } from './parse';

/**
 * cli-runtime's GoTemplatePrinter: the template is parsed once as "output" (with kubectl's
 * `exists` and `base64decode`), then executed per object with missingkey=default, or
 * missingkey=error under `--allow-missing-template-keys=false`. An execution error writes what
 * was printed so far and a debugging block to stdout, then fails.
 */
export class GoTemplatePrinter {
  private constructor(
    private readonly raw: string,
    private readonly parsed: ReturnType<typeof parseTemplate>,
    private readonly allowMissingKeys: boolean,
    private readonly keepKeyOrder: boolean,
  ) {}

  /**
   * The printer, or Go's parse error. `keepKeyOrder` is for typed objects, which json.Marshal
   * writes in struct order (what the debugging block's `raw data` shows).
   */
  static make(
    raw: string,
    allowMissingKeys: boolean,
    keepKeyOrder = false,
  ): { ok: true; printer: GoTemplatePrinter } | { ok: false; error: string } {
    try {
      const parsed = parseTemplate('output', raw);
      return { ok: true, printer: new GoTemplatePrinter(raw, parsed, allowMissingKeys, keepKeyOrder) };
    } catch (e) {
      if (!(e instanceof TemplateParseError)) throw e;
      return { ok: false, error: `error parsing template ${raw}, ${e.message}\n` };
    }
  }

  print(obj: JpValue): { readonly out: string; readonly error?: string } {
    const r = executeTemplate(this.parsed, 'output', obj, !this.allowMissingKeys);
    if (r.error === undefined) return { out: r.out };
    const rawData = this.keepKeyOrder ? compactJsonInOrder(obj) : compactJson(obj);
    const info =
      `Error executing template: ${r.error}. Printing more information for debugging the template:\n` +
      `\ttemplate was:\n\t\t${this.raw}\n` +
      `\traw data was:\n\t\t${rawData}\n` +
      `\tobject given to template engine was:\n\t\t${sprintValue(obj)}\n\n`;
    return { out: r.out + info, error: `error executing template ${goQuote(this.raw)}: ${r.error}` };
  }
}

/** json.Marshal of a typed object: compact, keys in the order given. */
function compactJsonInOrder(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number') return goJsonNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `[${v.map(compactJsonInOrder).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  return `{${entries.map(([k, x]) => `${goJsonString(k)}:${compactJsonInOrder(x)}`).join(',')}}`;
}
