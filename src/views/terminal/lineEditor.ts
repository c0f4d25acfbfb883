/**
 * The prompt's line editing, as readline does it, kept apart from xterm so it can be tested: input
 * is what xterm's onData delivers (keys as characters and escape sequences, or pasted text), the
 * result is what to echo and what happened.
 */
export type EditorEvent =
  | { readonly type: 'submit'; readonly line: string }
  | { readonly type: 'interrupt' }
  | { readonly type: 'clearScreen' }
  /** Tab: complete the word before the cursor (`before` is the line up to it). */
  | { readonly type: 'complete'; readonly before: string; readonly list: boolean };

export interface EditorOutput {
  /** Bytes to write to the terminal (echo and cursor movement). */
  readonly echo: string;
  readonly events: readonly EditorEvent[];
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escape sequences is the point
const ESCAPE_SEQUENCE = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/;

/** Most lines of history kept. */
export const HISTORY_LIMIT = 500;

export class LineEditor {
  private buffer = '';
  private cursor = 0;
  private readonly history: string[] = [];
  /** Position while browsing history; history.length means "the line being typed". */
  private historyIndex = 0;
  private draft = '';
  /** Consecutive Tabs: the second one lists the candidates, as bash does. */
  private tabs = 0;
  /** Ctrl-R's reverse incremental search, while it is on. */
  private search: { query: string; match: number; original: string } | undefined;

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
      if (this.search) {
        const key = ESCAPE_SEQUENCE.exec(rest)?.[0] ?? (data[i] as string);
        i += key.length;
        echo += this.searchKey(key, events);
        continue;
      }
      if (data[i] !== '\t') this.tabs = 0;
      const seq = ESCAPE_SEQUENCE.exec(rest)?.[0];
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
          this.tabs++;
          events.push({ type: 'complete', before: this.buffer.slice(0, this.cursor), list: this.tabs > 1 });
          break;
        case '\x12':
          this.search = { query: '', match: this.history.length, original: this.buffer };
          echo += this.searchLine();
          break;
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

  /**
   * Applies a completion of the word that starts at `from`: one candidate replaces it (with a
   * space after, unless it is a directory or ends in `=`); several extend it to their common
   * prefix, and a second Tab lists them under the line. Ignored if the line changed meanwhile.
   */
  completed(before: string, from: number, candidates: readonly string[], list: boolean): string {
    if (this.buffer.slice(0, this.cursor) !== before || this.search) return '';
    const word = before.slice(from);
    if (candidates.length === 0 || !candidates.every((c) => c.startsWith(word))) return '';
    const single = candidates.length === 1 ? candidates[0]! : undefined;
    const insert = single
      ? single.slice(word.length) + (single.endsWith('/') || single.endsWith('=') ? '' : ' ')
      : commonPrefixOf(candidates).slice(word.length);
    if (insert === '') return list ? `\r\n${columns(candidates)}${this.render()}` : '';
    this.buffer = before + insert + this.buffer.slice(this.cursor);
    this.cursor = before.length + insert.length;
    return this.redraw();
  }

  /** The prompt and the current line, for after output or a clear. */
  render(): string {
    // Keys typed while a command ran (Ctrl-R included) show once the prompt comes back.
    if (this.search) return this.searchLine();
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

  /** One key while searching (bash's reverse-i-search); any editing key accepts the match. */
  private searchKey(key: string, events: EditorEvent[]): string {
    const search = this.search!;
    switch (key) {
      case '\x12': // Ctrl-R again: the next older match
        search.match = this.findMatch(search.query, search.match - 1);
        return this.searchLine();
      case '\x7f':
      case '\b':
        search.query = search.query.slice(0, -1);
        search.match = this.findMatch(search.query, this.history.length - 1);
        return this.searchLine();
      case '\x03':
      case '\x07': // Ctrl-C, Ctrl-G: back to the line as it was
        this.search = undefined;
        this.buffer = search.original;
        this.cursor = this.buffer.length;
        return this.redraw();
      case '\r':
      case '\n': {
        this.search = undefined;
        const line = this.history[search.match] ?? search.original;
        events.push({ type: 'submit', line });
        this.buffer = line;
        const echo = `${this.redraw()}\r\n`;
        this.remember(line);
        this.reset();
        return echo;
      }
      default:
        if (key.length === 1 && key >= ' ') {
          search.query += key;
          search.match = this.findMatch(search.query, Math.min(search.match, this.history.length - 1));
          return this.searchLine();
        }
        // Anything else accepts the match for editing.
        this.search = undefined;
        this.buffer = this.history[search.match] ?? search.original;
        this.cursor = this.buffer.length;
        return this.redraw();
    }
  }

  /** The newest history line at or before `start` containing `query` (history.length: none). */
  private findMatch(query: string, start: number): number {
    for (let i = start; i >= 0; i--) if ((this.history[i] as string).includes(query)) return i;
    return query === '' ? this.history.length : -1;
  }

  private searchLine(): string {
    const s = this.search!;
    const found = s.match >= 0 && s.match < this.history.length;
    const label = s.match === -1 ? '(failed reverse-i-search)' : '(reverse-i-search)';
    return `\r\x1b[K${label}\`${s.query}': ${found ? this.history[s.match] : ''}`;
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

function commonPrefixOf(candidates: readonly string[]): string {
  let prefix = candidates[0] ?? '';
  for (const c of candidates) while (!c.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** Candidates in columns across an 80-column line, as bash lists them. */
function columns(candidates: readonly string[]): string {
  const width = Math.max(...candidates.map((c) => c.length)) + 2;
  const perLine = Math.max(1, Math.floor(80 / width));
  let out = '';
  candidates.forEach((c, i) => {
    out += i % perLine === perLine - 1 || i === candidates.length - 1 ? c : c.padEnd(width);
    if (i % perLine === perLine - 1 || i === candidates.length - 1) out += '\r\n';
  });
  return out;
}
