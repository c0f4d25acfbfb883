import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { templatePrinter } from '../templatePrinters';
import { parseGoNumber } from './parse';

/**
 * Cases recorded from kubectl v1.32.4 (`kubectl label --local -f object.json foo=bar
 * -o go-template=T`, see testdata/): stdout, stderr and exit code of each template.
 */
interface RecordedCase {
  readonly template: string;
  readonly allowMissingKeys: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: number;
}

const here = join(__dirname, 'testdata');
const cases = JSON.parse(readFileSync(join(here, 'realKubectlCases.json'), 'utf8')) as RecordedCase[];
const object = JSON.parse(readFileSync(join(here, 'object.json'), 'utf8')) as unknown;

/** What kubectl prints for one template: stdout, stderr (checkErr's `error: `) and exit code. */
function run(template: string, allowMissingKeys = true, data: unknown = object) {
  const made = templatePrinter({
    output: `go-template=${template}`,
    template: '',
    allowMissingKeys,
    noHeaders: false,
    readFile: () => undefined,
  });
  const errText = (m: string) => `error: ${m.endsWith('\n') ? m : `${m}\n`}`;
  if (!made.ok) return { stdout: '', stderr: errText(made.error), exit: 1 };
  const printed = made.printer.print(data);
  return printed.error === undefined
    ? { stdout: printed.out, stderr: '', exit: 0 }
    : { stdout: printed.out, stderr: errText(printed.error), exit: 1 };
}

describe('go-template printer, as kubectl v1.32.4', () => {
  it.each(cases.map((c) => [`${c.template}${c.allowMissingKeys ? '' : ' (missingkey=error)'}`, c] as const))(
    '%s',
    (_, c) => {
      expect(run(c.template, c.allowMissingKeys)).toEqual({
        stdout: c.stdout,
        stderr: c.stderr,
        exit: c.exit,
      });
    },
  );
});

describe('go-template properties', () => {
  it('prints text without actions as itself', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => s !== '' && !s.includes('{{')),
        (text) => {
          expect(run(text)).toEqual({ stdout: text, stderr: '', exit: 0 });
        },
      ),
    );
  });

  it('prints a string field as it is', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(run('{{.v}}', true, { v: value }).stdout).toBe(value);
      }),
    );
  });

  it('ranges over a list in order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), (items) => {
        expect(run('{{range .items}}{{.}},{{end}}', true, { items }).stdout).toBe(
          items.map((i) => `${i},`).join(''),
        );
      }),
    );
  });

  it('reads decimal integer constants as ints', () => {
    fc.assert(
      fc.property(fc.nat(), (n) => {
        expect(parseGoNumber(String(n))).toEqual({ kind: 'int', value: n });
      }),
    );
  });
});
