/**
 * The prompt's line editing, as readline does it, kept apart from xterm so it can be tested: input
 * is what xterm's onData delivers (keys as characters and escape sequences, or pasted text), the
 * result is what to echo and what happened.
 */
export type EditorEvent =
  | { readonly type: 'submit'; readonly line: string }
  | { readonly type: 'interrupt' }
  | { readonly type: 'clearScreen' };

export interface EditorOutput {
  /** Bytes to write to the terminal (echo and cursor movement). */
  readonly echo: string;
  readonly events: readonly EditorEvent[];
}

/** Most lines of history kept. */
export const HISTORY_LIMIT = 500;

export class LineEditor {
  private buffer = '';
  private cursor = 0;
  private readonly history: string[] = [];
  /** Position while browsing history; history.length means "the line being typed". */
  private historyIndex = 0;
  private draft = '';

  constructor(public prompt: string) {}

  get line(): string {
    return this.buffer;
  }

  get historyEntries(): readonly string[] {
    return this.history;
  }

  /** Feeds one chunk of input (a key, or pasted text with newlines) and returns what to do. */
  feed(data: string): EditorOutput {
    let echo = '';
    const events: EditorEvent[] = [];
    let i = 0;
    while (i < data.length) {
      const rest = data.slice(i);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escape sequences is the point
      const seq = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/.exec(rest)?.[0];
      if (seq) {
        echo += this.escape(seq);
        i += seq.length;
        continue;
      }
      const ch = data[i] as string;
      i++;
      switch (ch) {
        case '\r':
        case '\n': {
          if (ch === '\n' && data[i - 2] === '\r') break; // \r\n from a paste: one line break
          const line = this.buffer;
          echo += '\r\n';
          events.push({ type: 'submit', line });
          this.remember(line);
          this.reset();
          break;
        }
        case '\x7f':
        case '\b':
          if (this.cursor > 0) {
            this.buffer = this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor);
            this.cursor--;
            echo += this.redraw();
          }
          break;
        case '\x03':
          echo += '^C\r\n';
          events.push({ type: 'interrupt' });
          this.reset();
          break;
        case '\x0c':
          events.push({ type: 'clearScreen' });
          break;
        case '\x01':
          this.cursor = 0;
          echo += this.redraw();
          break;
        case '\x05':
          this.cursor = this.buffer.length;
          echo += this.redraw();
          break;
        case '\x15':
          this.buffer = this.buffer.slice(this.cursor);
          this.cursor = 0;
          echo += this.redraw();
          break;
        case '\x0b':
          this.buffer = this.buffer.slice(0, this.cursor);
          echo += this.redraw();
          break;
        case '\x17': {
          const before = this.buffer.slice(0, this.cursor).replace(/\S+\s*$/, '');
          this.buffer = before + this.buffer.slice(this.cursor);
          this.cursor = before.length;
          echo += this.redraw();
          break;
        }
        case '\t':
          break; // completion comes later; a tab never lands in the line
        default:
          if (ch >= ' ') {
            this.buffer = this.buffer.slice(0, this.cursor) + ch + this.buffer.slice(this.cursor);
            this.cursor++;
            echo += this.cursor === this.buffer.length ? ch : this.redraw();
          }
      }
    }
    return { echo, events };
  }

  /** The prompt and the current line, for after output or a clear. */
  render(): string {
    return `${this.prompt}${this.buffer}${this.buffer.length > this.cursor ? `\x1b[${this.buffer.length - this.cursor}D` : ''}`;
  }

  private escape(seq: string): string {
    switch (seq) {
      case '\x1b[D':
      case '\x1bOD':
        if (this.cursor === 0) return '';
        this.cursor--;
        return '\x1b[D';
      case '\x1b[C':
      case '\x1bOC':
        if (this.cursor === this.buffer.length) return '';
        this.cursor++;
        return '\x1b[C';
      case '\x1b[A':
      case '\x1bOA':
        return this.browse(-1);
      case '\x1b[B':
      case '\x1bOB':
        return this.browse(1);
      case '\x1b[H':
      case '\x1bOH':
      case '\x1b[1~':
        this.cursor = 0;
        return this.redraw();
      case '\x1b[F':
      case '\x1bOF':
      case '\x1b[4~':
        this.cursor = this.buffer.length;
        return this.redraw();
      case '\x1b[3~':
        if (this.cursor === this.buffer.length) return '';
        this.buffer = this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1);
        return this.redraw();
      default:
        return '';
    }
  }

  private browse(delta: number): string {
    const next = this.historyIndex + delta;
    if (next < 0 || next > this.history.length) return '';
    if (this.historyIndex === this.history.length) this.draft = this.buffer;
    this.historyIndex = next;
    this.buffer = next === this.history.length ? this.draft : (this.history[next] as string);
    this.cursor = this.buffer.length;
    return this.redraw();
  }

  private remember(line: string): void {
    if (line.trim() !== '' && this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      if (this.history.length > HISTORY_LIMIT) this.history.shift();
    }
  }

  private reset(): void {
    this.buffer = '';
    this.cursor = 0;
    this.historyIndex = this.history.length;
    this.draft = '';
  }

  /** Carriage return, prompt, line, erase the rest, put the cursor back where it belongs. */
  private redraw(): string {
    return `\r\x1b[K${this.render()}`;
  }
}
