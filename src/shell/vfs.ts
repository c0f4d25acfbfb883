/**
 * The lab's small filesystem: a home directory with example manifests, files the user writes with
 * `>` / `>>`, and (for scripts run by the CLI) read-only access to the script's own folder. Paths
 * are POSIX-like; `~` is the home directory. Kept in memory, so it works the same in the page.
 */
export const HOME = '/home/learner';

export type FsResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface DirEntry {
  readonly name: string;
  readonly dir: boolean;
  readonly size: number;
}

/** Reads a file outside the lab (the CLI passes the script folder's files); undefined when absent. */
export type ExternalReader = (absolutePath: string) => string | undefined;

export class VirtualFs {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Set<string>(['/', '/home', HOME]);
  cwd = HOME;

  constructor(
    initial: Readonly<Record<string, string>> = {},
    private readonly external?: ExternalReader,
  ) {
    for (const [path, text] of Object.entries(initial)) this.writeFile(path, text);
  }

  /** Absolute, normalised form of `path` (handles `~`, `.`, `..`, repeated slashes). */
  resolve(path: string): string {
    const expanded = path === '~' ? HOME : path.startsWith('~/') ? HOME + path.slice(1) : path;
    const absolute = expanded.startsWith('/') ? expanded : `${this.cwd}/${expanded}`;
    const parts: string[] = [];
    for (const p of absolute.split('/')) {
      if (p === '' || p === '.') continue;
      if (p === '..') parts.pop();
      else parts.push(p);
    }
    return `/${parts.join('/')}`;
  }

  isDir(path: string): boolean {
    return this.dirs.has(this.resolve(path));
  }

  readFile(path: string): FsResult<string> {
    const abs = this.resolve(path);
    if (this.dirs.has(abs)) return { ok: false, error: `${path}: Is a directory` };
    const text = this.files.get(abs) ?? this.external?.(abs);
    return text === undefined
      ? { ok: false, error: `${path}: No such file or directory` }
      : { ok: true, value: text };
  }

  writeFile(path: string, text: string, append = false): FsResult<void> {
    const abs = this.resolve(path);
    if (this.dirs.has(abs)) return { ok: false, error: `${path}: Is a directory` };
    const parent = abs.slice(0, abs.lastIndexOf('/')) || '/';
    if (!this.dirs.has(parent)) {
      // Writing into a new folder under home creates it, as an editor's save-as would; elsewhere is refused.
      if (!parent.startsWith(`${HOME}/`)) return { ok: false, error: `${path}: No such file or directory` };
      this.mkdirs(parent);
    }
    this.files.set(abs, append ? (this.files.get(abs) ?? '') + text : text);
    return { ok: true, value: undefined };
  }

  remove(path: string): FsResult<void> {
    const abs = this.resolve(path);
    if (this.dirs.has(abs)) return { ok: false, error: `cannot remove '${path}': Is a directory` };
    if (!this.files.delete(abs))
      return { ok: false, error: `cannot remove '${path}': No such file or directory` };
    return { ok: true, value: undefined };
  }

  mkdir(path: string): FsResult<void> {
    const abs = this.resolve(path);
    if (this.dirs.has(abs) || this.files.has(abs))
      return { ok: false, error: `cannot create directory '${path}': File exists` };
    const parent = abs.slice(0, abs.lastIndexOf('/')) || '/';
    if (!this.dirs.has(parent))
      return { ok: false, error: `cannot create directory '${path}': No such file or directory` };
    this.dirs.add(abs);
    return { ok: true, value: undefined };
  }

  list(path: string): FsResult<DirEntry[]> {
    const abs = this.resolve(path);
    if (this.files.has(abs)) {
      const name = abs.slice(abs.lastIndexOf('/') + 1);
      return { ok: true, value: [{ name, dir: false, size: (this.files.get(abs) as string).length }] };
    }
    if (!this.dirs.has(abs))
      return { ok: false, error: `cannot access '${path}': No such file or directory` };
    const prefix = abs === '/' ? '/' : `${abs}/`;
    const entries = new Map<string, DirEntry>();
    for (const d of this.dirs) {
      if (d !== abs && d.startsWith(prefix) && !d.slice(prefix.length).includes('/')) {
        entries.set(d.slice(prefix.length), { name: d.slice(prefix.length), dir: true, size: 4096 });
      }
    }
    for (const [f, text] of this.files) {
      if (f.startsWith(prefix) && !f.slice(prefix.length).includes('/')) {
        entries.set(f.slice(prefix.length), {
          name: f.slice(prefix.length),
          dir: false,
          size: new TextEncoder().encode(text).length,
        });
      }
    }
    return { ok: true, value: [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : 1)) };
  }

  private mkdirs(abs: string): void {
    let cur = '';
    for (const p of abs.split('/').filter((x) => x !== '')) {
      cur += `/${p}`;
      this.dirs.add(cur);
    }
  }
}
