import { GoTemplatePrinter } from './goTemplate/printer';
import { goPrint, goQuote, goSharpV, type JpValue, JsonPath, JsonPathError } from './jsonpath';
import { escapeTerminal } from './table';
import { TabWriter } from './tabwriter';

/**
 * The printers behind `-o jsonpath=`, `-o jsonpath-file=`, `-o jsonpath-as-json=`,
 * `-o go-template=`/`go-template-file=` (and their aliases `template`, `templatefile`) and
 * `-o custom-columns=`/`custom-columns-file=` (cli-runtime's JSONPathPrintFlags and
 * GoTemplatePrintFlags, kubectl's CustomColumnsPrintFlags). Made once per command, then given each object (or the `List` that
 * `kubectl get` builds); both return text for stdout or an error as checkErr prints it.
 */
export interface ObjectPrinter {
  print(obj: JpValue): { readonly out: string; readonly error?: string };
  /** What a tabwriter still holds (custom columns flush at the end of each PrintObj). */
}

export type PrinterResult = { ok: true; printer: ObjectPrinter } | { ok: false; error: string };

const JSON_FORMATS = ['jsonpath', 'jsonpath-as-json', 'jsonpath-file'];
const COLUMNS_FORMATS = ['custom-columns', 'custom-columns-file'];
const GO_TEMPLATE_FORMATS = ['go-template', 'go-template-file', 'template', 'templatefile'];

/** Whether `-o FORMAT` is one of these printers (with or without its `=argument`). */
export function isTemplateOutput(output: string): boolean {
  const base = output.split('=')[0]!;
  return JSON_FORMATS.includes(base) || COLUMNS_FORMATS.includes(base) || GO_TEMPLATE_FORMATS.includes(base);
}

export interface TemplatePrinterOptions {
  /** `-o` as given. */
  readonly output: string;
  /** `--template`. */
  readonly template: string;
  /** `--allow-missing-template-keys` (default true). */
  readonly allowMissingKeys: boolean;
  readonly noHeaders: boolean;
  readonly readFile: (path: string) => string | undefined;
  /** The objects are typed (json.Marshal keeps struct order): only error texts show it. */
  readonly typed?: boolean;
}

/** The ToPrinter of the jsonpath and custom-columns flags, with their errors. */
export function templatePrinter(o: TemplatePrinterOptions): PrinterResult {
  let format = o.output;
  let value = '';
  const formats = format.startsWith('custom-columns')
    ? COLUMNS_FORMATS
    : GO_TEMPLATE_FORMATS.includes(format.split('=')[0]!)
      ? GO_TEMPLATE_FORMATS
      : JSON_FORMATS;
  if (o.template === '') {
    for (const f of formats) {
      if (format.startsWith(`${f}=`)) {
        value = format.slice(f.length + 1);
        format = f;
        break;
      }
    }
  } else value = o.template;
  if (COLUMNS_FORMATS.includes(format)) {
    if (value === '')
      return { ok: false, error: 'custom-columns format specified but no custom columns given' };
    if (format === 'custom-columns-file') {
      const text = o.readFile(value);
      if (text === undefined)
        return {
          ok: false,
          error: `error reading template ${value}, open ${value}: no such file or directory\n`,
        };
      return customColumnsFromTemplate(text);
    }
    return customColumnsFromSpec(value, o.noHeaders);
  }
  if (value === '') return { ok: false, error: 'template format specified but no template given' };
  if (GO_TEMPLATE_FORMATS.includes(format)) return goTemplatePrinter(o, format, value);
  if (format === 'jsonpath-file') {
    const text = o.readFile(value);
    if (text === undefined)
      return {
        ok: false,
        error: `error reading --template ${value}, open ${value}: no such file or directory\n`,
      };
    value = text;
  }
  const j = new JsonPath('out');
  try {
    j.parse(value);
  } catch (e) {
    if (!(e instanceof JsonPathError)) throw e;
    return { ok: false, error: `error parsing jsonpath ${value}, ${e.message}\n` };
  }
  j.allowMissingKeys = o.allowMissingKeys;
  j.outputJson = format === 'jsonpath-as-json';
  const raw = value;
  return {
    ok: true,
    printer: {
      print(obj) {
        try {
          return { out: j.execute(obj) };
        } catch (e) {
          if (!(e instanceof JsonPathError)) throw e;
          const info =
            `Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
            `\ttemplate was:\n\t\t${raw}\n` +
            `\tobject given to jsonpath engine was:\n\t\t${goSharpV(obj)}\n\n`;
          return { out: '', error: `error executing jsonpath ${goQuote(raw)}: ${info}\n` };
        }
      },
    },
  };
}

/** GoTemplatePrintFlags.ToPrinter once the format and its template are known. */
function goTemplatePrinter(o: TemplatePrinterOptions, format: string, value: string): PrinterResult {
  let text = value;
  if (format === 'go-template-file' || format === 'templatefile') {
    const read = o.readFile(value);
    if (read === undefined)
      return {
        ok: false,
        error: `error reading --template ${value}, open ${value}: no such file or directory\n`,
      };
    text = read;
  }
  const made = GoTemplatePrinter.make(text, o.allowMissingKeys, o.typed ?? false);
  return made.ok ? { ok: true, printer: made.printer } : made;
}

// ---------------------------------------------------------------- custom columns

interface Column {
  readonly header: string;
  readonly fieldSpec: string;
}

/**
 * RelaxedJSONPathExpression: `metadata.name`, `.metadata.name`, `{metadata.name}` and
 * `{.metadata.name}` all mean `{.metadata.name}`.
 */
export function relaxedJsonPath(expr: string): { ok: true; path: string } | { ok: false; error: string } {
  if (expr === '') return { ok: true, path: expr };
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/s.exec(expr);
  if (!m)
    return {
      ok: false,
      error:
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    };
  return { ok: true, path: `{.${m[1] || m[2]}}` };
}

function customColumnsFromSpec(spec: string, noHeaders: boolean): PrinterResult {
  const columns: Column[] = [];
  for (const part of spec.split(',')) {
    const i = part.indexOf(':');
    if (i < 0)
      return {
        ok: false,
        error: `unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`,
      };
    const r = relaxedJsonPath(part.slice(i + 1));
    if (!r.ok) return r;
    columns.push({ header: part.slice(0, i), fieldSpec: r.path });
  }
  return { ok: true, printer: new CustomColumnsPrinter(columns, noHeaders) };
}

/** bufio.ScanWords: fields separated by Unicode white space. */
function words(line: string): string[] {
  return line.split(/[\s\u0085\u00a0]+/u).filter((w) => w !== '');
}

function customColumnsFromTemplate(text: string): PrinterResult {
  // bufio.Scanner's lines: split at \n, a trailing \r dropped.
  const lines =
    text === ''
      ? []
      : text
          .replace(/\n$/, '')
          .split('\n')
          .map((l) => l.replace(/\r$/, ''));
  const expected =
    'Expected format is one line of space separated headers, one line of space separated column specs.';
  if (lines.length < 1) return { ok: false, error: `invalid template, missing header line. ${expected}` };
  if (lines.length < 2) return { ok: false, error: `invalid template, missing spec line. ${expected}` };
  const headers = words(lines[0]!);
  const specs = words(lines[1]!);
  if (headers.length !== specs.length)
    return {
      ok: false,
      error: `number of headers (${headers.length}) and field specifications (${specs.length}) don't match`,
    };
  const columns: Column[] = [];
  for (let i = 0; i < headers.length; i++) {
    const r = relaxedJsonPath(specs[i]!);
    if (!r.ok) return r;
    columns.push({ header: headers[i]!, fieldSpec: r.path });
  }
  return { ok: true, printer: new CustomColumnsPrinter(columns, false) };
}

/** kubectl's CustomColumnsPrinter: one tab-separated line per object, `<none>` when nothing matched. */
export class CustomColumnsPrinter implements ObjectPrinter {
  private printedHeader = false;

  constructor(
    private readonly columns: readonly Column[],
    private readonly noHeaders: boolean,
  ) {}

  print(obj: JpValue): { out: string; error?: string } {
    const w = new TabWriter({ minWidth: 6, padding: 3 });
    const flush = (): string => {
      w.flush();
      return w.output;
    };
    if (!this.noHeaders && !this.printedHeader) {
      w.write(`${this.columns.map((c) => c.header).join('\t')}\n`);
      this.printedHeader = true;
    }
    const parsers: JsonPath[] = [];
    for (let i = 0; i < this.columns.length; i++) {
      const j = new JsonPath(`column${i}`);
      j.allowMissingKeys = true;
      try {
        j.parse(this.columns[i]!.fieldSpec);
      } catch (e) {
        if (!(e instanceof JsonPathError)) throw e;
        return { out: flush(), error: e.message };
      }
      parsers.push(j);
    }
    const record = obj as { kind?: unknown; items?: unknown };
    const items =
      typeof record.kind === 'string' && record.kind.endsWith('List') && Array.isArray(record.items)
        ? record.items
        : [obj];
    for (const item of items) {
      const cells: string[] = [];
      for (const parser of parsers) {
        let values: JpValue[][];
        try {
          values = parser.findResults(item);
        } catch (e) {
          if (!(e instanceof JsonPathError)) throw e;
          return { out: flush(), error: e.message };
        }
        const texts: string[] = [];
        if (values.length === 0 || values[0]!.length === 0) texts.push('<none>');
        for (const group of values) for (const v of group) texts.push(escapeTerminal(goPrint(v)));
        cells.push(texts.join(','));
      }
      w.write(`${cells.join('\t')}\n`);
    }
    return { out: flush() };
  }
}
