import type { Program } from './program';

/** `env`, `printenv`, `true` and `false`, as coreutils has them. */

const NAME_VALUE = /^([^=]+)=(.*)$/s;

export const printenv: Program = function* (argv, ctx) {
  const env = ctx.env ?? new Map<string, string>();
  if (argv.length === 0) {
    for (const [k, v] of env) ctx.stdout(`${k}=${v}\n`);
    return 0;
  }
  let code = 0;
  for (const name of argv) {
    const v = env.get(name);
    if (v === undefined) code = 1;
    else ctx.stdout(`${v}\n`);
  }
  return code;
};

/** `env [NAME=VALUE]... [COMMAND [ARG]...]`: prints the environment, or runs a command in it. */
export const env: Program = function* (argv, ctx) {
  const vars = new Map(ctx.env ?? []);
  let i = 0;
  for (; i < argv.length; i++) {
    const m = NAME_VALUE.exec(argv[i] as string);
    if (!m) break;
    vars.delete(m[1] as string);
    vars.set(m[1] as string, m[2] as string);
  }
  if (i === argv.length) {
    for (const [k, v] of vars) ctx.stdout(`${k}=${v}\n`);
    return 0;
  }
  const command = argv.slice(i);
  if ((command[0] as string).startsWith('-')) {
    ctx.stderr(
      `env: invalid option -- '${(command[0] as string).slice(1, 2)}'\nTry 'env --help' for more information.\n`,
    );
    return 125;
  }
  if (!ctx.shell) {
    ctx.stderr('env: cannot run commands from here\n');
    return 126;
  }
  const code = yield* ctx.shell.run(command, ctx.stdin, ctx, vars);
  if (code === 127) return 127;
  return code;
};

export const trueProgram: Program = function* () {
  return 0;
};

export const falseProgram: Program = function* () {
  return 1;
};
