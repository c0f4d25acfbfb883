import type { Terminal } from '@xterm/xterm';
import { parseCommandLine } from '../../shell/parse';
import type { LabClient } from '../../store/labClient';
import { LineEditor } from './lineEditor';

export const PROMPT = '\x1b[1;32m$\x1b[0m ';
const CONTINUATION_PROMPT = '> ';

export interface CommandResult {
  readonly output: string;
  readonly exitCode: number;
}

interface QueuedCommand {
  readonly line: string;
  readonly heredoc: string;
  /** Lines the user did not type (clicks, window.cplab) are echoed as if typed. */
  readonly echo: boolean;
  readonly resolve: (r: CommandResult) => void;
}

/** Terminal newlines: xterm needs \r\n where programs print \n. */
const toTerminal = (text: string): string => text.replace(/\r?\n/g, '\r\n');

/**
 * Glue between xterm, the line editor and the simulation: typed lines (and heredoc bodies) become
 * commands, one at a time; output streams in as the worker produces it; Ctrl-C cancels. Commands
 * from clicks and window.cplab queue behind the user's and are echoed like typed ones.
 */
export class TerminalController {
  private readonly editor = new LineEditor(PROMPT);
  /** The prompt outside heredocs: the lab's, or a container shell's while one is attached. */
  private basePrompt = PROMPT;
  private readonly queue: QueuedCommand[] = [];
  private running = false;
  private heredoc: { line: string; delimiter: string; body: string[] } | undefined;

  constructor(
    private readonly term: Terminal,
    private readonly client: LabClient,
  ) {}

  start(banner: string): void {
    this.term.write(toTerminal(banner));
    this.term.write(this.editor.render());
  }

  /** Gives the keyboard back to the terminal (after the editor pane closes). */
  focus(): void {
    this.term.focus();
  }

  /** Keys and pasted text from xterm. */
  onData(data: string): void {
    if (this.running && data === '\x03') {
      this.term.write('^C\r\n');
      this.client.cancel();
      return;
    }
    const { echo, events } = this.editor.feed(data);
    if (!this.running) this.term.write(echo);
    for (const e of events) {
      if (e.type === 'interrupt') {
        this.heredoc = undefined;
        this.editor.prompt = this.basePrompt;
        if (!this.running) this.term.write(this.editor.render());
      } else if (e.type === 'clearScreen') {
        this.term.clear();
      } else if (e.type === 'complete') {
        if (!this.running) void this.complete(e.before, e.list);
      } else this.submit(e.line);
    }
  }

  private async complete(before: string, list: boolean): Promise<void> {
    const { from, candidates } = await this.client.complete(before);
    if (this.running) return;
    this.term.write(this.editor.completed(before, from, candidates, list));
  }

  /** Runs a command on behalf of the page (a click, window.cplab), echoed in the terminal. */
  runExternal(line: string, heredoc = ''): Promise<CommandResult> {
    return new Promise((resolve) => {
      this.queue.push({ line, heredoc, echo: true, resolve });
      this.pump();
    });
  }

  private submit(line: string): void {
    if (this.heredoc) {
      if (line.trim() === this.heredoc.delimiter) {
        const { line: command, body } = this.heredoc;
        this.heredoc = undefined;
        this.editor.prompt = this.basePrompt;
        this.enqueue(command, body.map((l) => `${l}\n`).join(''));
      } else {
        this.heredoc.body.push(line);
        if (!this.running) this.term.write(this.editor.render());
      }
      return;
    }
    const parsed = parseCommandLine(line);
    if (parsed.ok && parsed.list.heredocDelimiter !== undefined) {
      this.heredoc = { line, delimiter: parsed.list.heredocDelimiter, body: [] };
      this.editor.prompt = CONTINUATION_PROMPT;
      if (!this.running) this.term.write(this.editor.render());
      return;
    }
    this.enqueue(line, '');
  }

  private enqueue(line: string, heredoc: string): void {
    if (line.trim() === '') {
      if (!this.running) this.term.write(this.editor.render());
      return;
    }
    this.queue.push({ line, heredoc, echo: false, resolve: () => {} });
    this.pump();
  }

  private pump(): void {
    if (this.running) return;
    const next = this.queue.shift();
    if (!next) return;
    this.running = true;
    if (next.echo) this.term.write(`\r\x1b[K${this.basePrompt}${next.line}\r\n`);
    let output = '';
    void this.client
      .run(next.line, next.heredoc, (_stream, text) => {
        output += text;
        this.term.write(toTerminal(text));
      })
      .then(async (exitCode) => {
        // `kubectl exec -it` hands the terminal to a container's shell, with its own prompt.
        this.basePrompt = (await this.client.prompt()) ?? PROMPT;
        if (!this.heredoc) this.editor.prompt = this.basePrompt;
        this.running = false;
        next.resolve({ output, exitCode });
        if (this.queue.length > 0) this.pump();
        else this.term.write(this.editor.render());
      });
  }
}
