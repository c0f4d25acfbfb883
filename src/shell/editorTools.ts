import type { Program } from './program';

/**
 * `vi FILE`, `vim FILE`, `nano FILE`: open a lab file in the page's editor pane (a new file
 * starts empty), and write it back on save. What the editor shows and does is the pane's, not
 * vi's keys: the names are there because they are what people type. Without a pane (the CLI,
 * scripts) they fail with a pointer to a heredoc, which does the same in a script.
 */

/** The error where there is no editor pane. */
export function noEditorMessage(name: string): string {
  return `error: ${name} needs the page's editor pane; in scripts, write files with cat > FILE <<EOF\n`;
}

/** YAML highlighting and checking for manifests; plain text for anything else. */
export function languageOf(path: string): 'yaml' | 'text' {
  return /\.(ya?ml|json)$/i.test(path) ? 'yaml' : 'text';
}

function countLines(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function editorProgram(name: 'vi' | 'vim' | 'nano'): Program {
  return function* (argv, ctx) {
    // `+N` (start at line N) and flags mean nothing to the pane; the file names matter.
    const unknown = argv.find((a) => a.startsWith('-') && a !== '--');
    if (unknown !== undefined) {
      ctx.stderr(`${name}: unsupported option ${unknown}; usage: ${name} FILE\n`);
      return 2;
    }
    const paths = argv.filter((a) => !a.startsWith('+') && a !== '--');
    if (paths.length !== 1) {
      ctx.stderr(
        paths.length === 0
          ? `${name}: a file name is needed; usage: ${name} FILE\n`
          : `${name}: one file at a time; usage: ${name} FILE\n`,
      );
      return 2;
    }
    const path = paths[0] as string;
    const files = ctx.session.files;
    if (files.isDir(path)) {
      ctx.stderr(`${name}: ${path}: Is a directory\n`);
      return 1;
    }
    const openEditor = ctx.session.openEditor;
    if (!openEditor) {
      ctx.stderr(noEditorMessage(name));
      return 1;
    }
    const existing = files.readFile(path);
    const text = existing.ok ? existing.value : '';
    const shown = path.slice(path.lastIndexOf('/') + 1) || path;
    const edited = yield* openEditor.call(ctx.session, {
      title: `${shown}${existing.ok ? '' : ' (new file)'} — ${name}`,
      text,
      language: languageOf(path),
    });
    if (edited === undefined) return 0;
    const written = files.writeFile(path, edited);
    if (!written.ok) {
      ctx.stderr(`${name}: ${written.error}\n`);
      return 1;
    }
    const lines = countLines(edited);
    // What each editor says on its status line after a write.
    if (name === 'nano') ctx.stdout(`[ Wrote ${lines} line${lines === 1 ? '' : 's'} ]\n`);
    else
      ctx.stdout(
        `"${path}"${existing.ok ? '' : ' [New]'} ${lines}L, ${new TextEncoder().encode(edited).length}B written\n`,
      );
    return 0;
  };
}

export const vi = editorProgram('vi');
export const vim = editorProgram('vim');
export const nano = editorProgram('nano');
