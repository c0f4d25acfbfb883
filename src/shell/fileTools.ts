import type { Program } from './program';
import type { DirEntry } from './vfs';

/** ls, cat, rm, mkdir, pwd and cd over the lab's filesystem (coreutils' messages). */

export const ls: Program = function* (argv, ctx) {
  const fs = ctx.session.files;
  const long = argv.includes('-l') || argv.includes('-la') || argv.includes('-al');
  const paths = argv.filter((a) => !a.startsWith('-'));
  // As GNU ls: names across the line on a terminal, one per line into a pipe or a file.
  const sep = ctx.stdoutIsTerminal ? '  ' : '\n';
  const print = (entries: readonly DirEntry[]): void => {
    if (long) {
      for (const e of entries)
        ctx.stdout(
          `${e.dir ? 'drwxr-xr-x' : '-rw-r--r--'} 1 learner learner ${String(e.size).padStart(5)} Nov 25 09:00 ${e.name}\n`,
        );
    } else if (entries.length > 0) ctx.stdout(`${entries.map((e) => e.name).join(sep)}\n`);
  };
  let code = 0;
  // Files named on the line first (as written, e.g. from a glob), then each folder's listing.
  const files: DirEntry[] = [];
  const dirs: string[] = [];
  for (const p of paths.length > 0 ? paths : ['.']) {
    const r = fs.list(p);
    if (!r.ok) {
      ctx.stderr(`ls: ${r.error}\n`);
      code = 2;
    } else if (fs.isDir(p)) dirs.push(p);
    else files.push({ ...(r.value[0] as DirEntry), name: p });
  }
  print(files);
  dirs.forEach((p, i) => {
    const r = fs.list(p);
    if (!r.ok) return;
    if (files.length > 0 || i > 0) ctx.stdout('\n');
    if (paths.length > 1) ctx.stdout(`${p}:\n`);
    if (long) ctx.stdout(`total ${r.value.length * 4}\n`);
    print(r.value);
  });
  return code;
};

export const cat: Program = function* (argv, ctx) {
  if (argv.length === 0 || (argv.length === 1 && argv[0] === '-')) {
    ctx.stdout(ctx.stdin);
    return 0;
  }
  let code = 0;
  for (const p of argv) {
    const r = ctx.session.files.readFile(p);
    if (r.ok) ctx.stdout(r.value);
    else {
      ctx.stderr(`cat: ${r.error}\n`);
      code = 1;
    }
  }
  return code;
};

export const rm: Program = function* (argv, ctx) {
  const force = argv.includes('-f');
  const paths = argv.filter((a) => !a.startsWith('-'));
  if (paths.length === 0) {
    ctx.stderr("rm: missing operand\nTry 'rm --help' for more information.\n");
    return 1;
  }
  let code = 0;
  for (const p of paths) {
    const r = ctx.session.files.remove(p);
    if (!r.ok && !(force && r.error.endsWith('No such file or directory'))) {
      ctx.stderr(`rm: ${r.error}\n`);
      code = 1;
    }
  }
  return code;
};

export const mkdir: Program = function* (argv, ctx) {
  const paths = argv.filter((a) => !a.startsWith('-'));
  if (paths.length === 0) {
    ctx.stderr("mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
    return 1;
  }
  let code = 0;
  for (const p of paths) {
    const r = ctx.session.files.mkdir(p);
    if (!r.ok && !(argv.includes('-p') && r.error.endsWith('File exists'))) {
      ctx.stderr(`mkdir: ${r.error}\n`);
      code = 1;
    }
  }
  return code;
};

export const pwd: Program = function* (_argv, ctx) {
  ctx.stdout(`${ctx.session.files.cwd}\n`);
  return 0;
};

export const cd: Program = function* (argv, ctx) {
  const fs = ctx.session.files;
  const target = argv[0] ?? '~';
  if (!fs.isDir(target)) {
    ctx.stderr(`bash: cd: ${target}: No such file or directory\n`);
    return 1;
  }
  fs.cwd = fs.resolve(target);
  return 0;
};
