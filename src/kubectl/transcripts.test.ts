/**
 * Golden transcripts (testdata/*.txt), in the style of etcd-io/raft's testdata: each file replays
 * kubectl commands and lab actions on a freshly booted HA cluster and compares every output byte
 * for byte. The expected outputs were checked against a real kubectl v1.32.4 with
 * testdata/compareWithRealKubectl.ts where a real client can produce them (see each file's
 * header). After an intended change, rewrite them with
 *
 *   UPDATE_TRANSCRIPTS=1 npx vitest run src/kubectl/transcripts.test.ts
 *
 * and review the diff.
 *
 * Format: `$ kubectl ARGS` runs a command; the lines up to `[exit N]` are its stdout and stderr
 * as the terminal shows them. `> kill HOST`, `> start HOST`, `> advance DURATION` and
 * `> namespace NS` act on the cluster or session. A command ending in `<<EOF` reads the lines up
 * to `EOF` on stdin (a heredoc); `> write PATH <<EOF` writes them to a file of the lab's
 * filesystem (paths relative to ~). Other lines (comments, blank lines) are kept.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { headlessSession, runProgram } from '../shell/runProgram';
import { Cluster } from '../sim/cluster/cluster';
import { parseDurationMs } from '../sim/kernel/time';
import { kubectl } from './kubectl';

const DIR = fileURLToPath(new URL('./testdata', import.meta.url));
const BOOT_MS = 30_000;

/** Splits a kubectl command line into argv: whitespace-separated, with '…' or "…" quoting. */
function splitArgs(line: string): string[] {
  const args: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|([^\s'"]+)/g;
  let current: string | undefined;
  let last = -1;
  for (const m of line.matchAll(re)) {
    const text = m[1] ?? m[2] ?? m[3] ?? '';
    // Adjacent pieces (a='b c') form one argument.
    if (current !== undefined && m.index === last) current += text;
    else {
      if (current !== undefined) args.push(current);
      current = text;
    }
    last = m.index! + m[0].length;
  }
  if (current !== undefined) args.push(current);
  return args;
}

/** Replays a transcript and returns it with the actual outputs in place of the expected ones. */
function replay(text: string): string {
  const cluster = new Cluster('ha', 1);
  cluster.sim.runUntil(BOOT_MS);
  const session = headlessSession();
  const lines = text.split('\n');
  const out: string[] = [];
  /** The heredoc after line `i` (its lines up to the delimiter, which are kept in the output). */
  const heredoc = (i: number, delimiter: string): { text: string; end: number } => {
    let end = i + 1;
    let text = '';
    while (end < lines.length && lines[end] !== delimiter) {
      out.push(lines[end]!);
      text += `${lines[end]}\n`;
      end++;
    }
    out.push(delimiter);
    return { text, end };
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const here = /\s*<<(\w+)$/.exec(line);
    if (line.startsWith('$ kubectl')) {
      out.push(line);
      let stdin = '';
      if (here) {
        const h = heredoc(i, here[1]!);
        stdin = h.text;
        i = h.end;
      }
      const argv = splitArgs(line.slice('$ kubectl'.length, here ? here.index : undefined));
      const r = runProgram(cluster, kubectl, argv, { session, stdin });
      out.push(`${r.output}[exit ${r.code}]`);
      // Skip the recorded output, through its [exit N] line.
      while (i + 1 < lines.length && !/^\[exit \d+\]$/.test(lines[i + 1]!)) i++;
      i++;
      continue;
    }
    if (line.startsWith('> write ') && here) {
      out.push(line);
      const h = heredoc(i, here[1]!);
      session.files.writeFile(line.slice('> write '.length, here.index).trim(), h.text);
      i = h.end;
      continue;
    }
    if (line.startsWith('> ')) {
      const [action, arg = ''] = line.slice(2).split(/\s+/);
      if (action === 'kill') cluster.killHost(arg);
      else if (action === 'start') cluster.startHost(arg);
      else if (action === 'advance') cluster.sim.runUntil(cluster.sim.nowMs + (parseDurationMs(arg) ?? 0));
      else if (action === 'namespace') session.namespace = arg;
      else throw new Error(`unknown transcript action: ${line}`);
    }
    out.push(line);
  }
  return out.join('\n');
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.txt'));

describe('kubectl transcripts', () => {
  for (const file of files) {
    it(file, () => {
      const path = join(DIR, file);
      const expected = readFileSync(path, 'utf8');
      const actual = replay(expected);
      if (process.env.UPDATE_TRANSCRIPTS) writeFileSync(path, actual);
      else expect(actual).toBe(expected);
    });
  }
});

describe('splitArgs', () => {
  it('splits on whitespace and honours quotes', () => {
    expect(splitArgs(' get nodes -l a=b')).toEqual(['get', 'nodes', '-l', 'a=b']);
    expect(splitArgs(`label node cp-1 'a b=c' x="y z"`)).toEqual(['label', 'node', 'cp-1', 'a b=c', 'x=y z']);
    expect(splitArgs(`''`)).toEqual(['']);
  });
});
