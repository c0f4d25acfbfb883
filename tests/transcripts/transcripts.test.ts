import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScript, runScript } from '../../src/script/script';
import { Session } from '../../src/script/session';

/**
 * Golden transcripts of whole terminal sessions: each `NAME.cplab` script (the CLI's format; a
 * `# seed: N` and `# scenario: NAME` header picks the cluster) is run headless and its transcript
 * compared with `NAME.out`. Regenerate with UPDATE_TRANSCRIPTS=1 and read the diff before
 * committing: a changed line is a changed behaviour. kubectl's own client-side paths have finer
 * transcripts in src/kubectl/testdata, checked against the real binary.
 */
const DIR = fileURLToPath(new URL('.', import.meta.url));
const scripts = readdirSync(DIR).filter((f) => f.endsWith('.cplab'));

function transcript(text: string): string {
  const seed = Number(/^# seed: (\d+)$/m.exec(text)?.[1] ?? 1);
  const scenario = (/^# scenario: (\S+)$/m.exec(text)?.[1] ?? 'ha') as never;
  const parsed = parseScript(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  let out = '';
  runScript(new Session({ scenario, seed }), parsed.commands, (t) => {
    out += t;
  });
  return out;
}

describe('golden terminal transcripts', () => {
  it('there is a corpus', () => expect(scripts.length).toBeGreaterThan(3));

  for (const script of scripts) {
    it(script, () => {
      const actual = transcript(readFileSync(`${DIR}${script}`, 'utf8'));
      const golden = `${DIR}${script.replace(/\.cplab$/, '.out')}`;
      if (process.env.UPDATE_TRANSCRIPTS) writeFileSync(golden, actual);
      expect(actual).toBe(readFileSync(golden, 'utf8'));
    });
  }
});
