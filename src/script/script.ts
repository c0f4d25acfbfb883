import { parseCommandLine } from '../shell/parse';
import { PROGRAMS } from './programs';
import type { Session } from './session';

/** Words the shell itself runs (shell.ts), not programs. */
const SHELL_BUILTINS: ReadonlySet<string> = new Set(['export', 'unset']);

/** One command of a script: the line as written, and the heredoc body it feeds, if any. */
export interface ScriptCommand {
  readonly lineNo: number;
  readonly line: string;
  /** The heredoc's lines and its terminator, echoed in the transcript as a shell shows them. */
  readonly heredocLines: readonly string[];
  readonly heredoc: string;
}

export interface ScriptError {
  readonly lineNo: number;
  readonly message: string;
}

export type ParsedScript = { ok: true; commands: ScriptCommand[] } | { ok: false; errors: ScriptError[] };

/**
 * Splits a scenario script into commands: one a line, `#` comments and blank lines skipped, a
 * heredoc (`<<EOF` … `EOF`) spanning lines. Every line is checked before anything runs, so a
 * malformed script changes nothing.
 */
export function parseScript(text: string): ParsedScript {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const commands: ScriptCommand[] = [];
  const errors: ScriptError[] = [];
  // Lines after `kubectl exec -it POD -- sh` are typed into that shell, up to its `exit`.
  let inContainer = false;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    const lineNo = i + 1;
    if (line === '' || line.startsWith('#')) continue;
    if (inContainer) {
      commands.push({ lineNo, line, heredocLines: [], heredoc: '' });
      if (/^exit\b/.test(line)) inContainer = false;
      continue;
    }
    const parsed = parseCommandLine(line);
    if (!parsed.ok) {
      errors.push({ lineNo, message: parsed.error });
      continue;
    }
    inContainer = parsed.list.pipelines.some((p) => p.commands.some(opensShell));
    for (const p of parsed.list.pipelines) {
      for (const argv of p.commands) {
        // `VAR=value cmd` and a bare `VAR=$(…)` are the shell's: check the command, if any.
        const name = argv.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
        if (name !== undefined && !PROGRAMS.has(name) && !SHELL_BUILTINS.has(name))
          errors.push({ lineNo, message: `unknown command "${name}"` });
      }
    }
    const delimiter = parsed.list.heredocDelimiter;
    if (delimiter === undefined) {
      commands.push({ lineNo, line, heredocLines: [], heredoc: '' });
      continue;
    }
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && (lines[j] as string).trim() !== delimiter) body.push(lines[j++] as string);
    if (j >= lines.length) {
      errors.push({ lineNo, message: `here-document delimited by end-of-file (wanted \`${delimiter}')` });
      break;
    }
    commands.push({
      lineNo,
      line,
      heredocLines: [...body, delimiter],
      heredoc: body.map((l) => `${l}\n`).join(''),
    });
    i = j;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, commands };
}

/** Runs parsed commands on a session; each is echoed as `$ COMMAND` before its output. */
export function runScript(
  session: Session,
  commands: readonly ScriptCommand[],
  write: (text: string) => void,
): void {
  for (const c of commands) {
    write(`${session.prompt ?? '$ '}${c.line}\n`);
    for (const l of c.heredocLines) write(`> ${l}\n`);
    const result = session.run(c.line, c.heredoc);
    write(result.output);
  }
}

/**
 * `kubectl exec -i[t] POD -- sh`, `kubectl run -it NAME --image=… [-- sh]`, `kubectl attach -it
 * POD`: an interactive shell
 * that reads the lines that follow.
 */
function opensShell(argv: readonly string[]): boolean {
  const verb = argv.find((a, i) => i > 0 && !a.startsWith('-'));
  if (argv[0] !== 'kubectl' || (verb !== 'exec' && verb !== 'run' && verb !== 'attach')) return false;
  const dash = argv.indexOf('--');
  const flags = dash < 0 ? argv : argv.slice(0, dash);
  const stdin = flags.some((a) => a === '--stdin' || a === '--stdin=true' || /^-[a-z]*i[a-z]*$/.test(a));
  if (!stdin) return false;
  if (dash < 0) return verb === 'run' || verb === 'attach';
  if (argv.length !== dash + 2) return false;
  return ['sh', 'bash', 'ash'].includes((argv[dash + 1] as string).split('/').pop() ?? '');
}
