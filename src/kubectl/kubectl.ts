import type { Program, ProgramContext } from '../shell/program';
import type { Task } from '../sim/kernel/task';
import type { CommandSpec } from './cli/command';
import { GLOBAL_FLAGS, HELP_FLAG } from './cli/globalFlags';
import { commandList, renderHelp, renderOptions } from './cli/help';
import type { Invocation } from './cli/invocation';
import { goQuote, klogErrorLine } from './cli/klog';
import { InvalidRequestTimeout } from './cli/requestTimeout';
import { suggestionsFor, suggestionText } from './cli/suggest';
import { COMMAND_GROUPS, OTHER_COMMANDS } from './commands/registry';
import { type FlagSpec, flagBool, flagString, parseFlags } from './flags';

/**
 * kubectl v1.32 for the simulated cluster: finds the (sub)command the way cobra does, parses
 * flags the way pflag does, and runs the command against the cluster's API through the user's
 * client. `argv` excludes the word `kubectl`.
 */
export const kubectl: Program = function* (argv: readonly string[], ctx: ProgramContext): Task<number> {
  const found = find(ROOT, argv);
  if (found.cmd === ROOT && stripFlags(found.args, flagsOf(ROOT)).length > 0) {
    // kubectl first looks for a plugin named after the words typed; flags before them stop that.
    if (argv[0]?.startsWith('-')) {
      ctx.stderr(`Error: flags cannot be placed before plugin name: ${argv[0]}\n`);
      return 1;
    }
    ctx.stderr(unknownCommandMessage(stripFlags(found.args, flagsOf(ROOT))[0]!));
    return 1;
  }
  return yield* execute(found.cmd, found.path, found.args, ctx);
};

function* execute(
  cmd: CommandSpec,
  path: string,
  args: readonly string[],
  ctx: ProgramContext,
): Task<number> {
  let parsed = parseFlags(args, flagsOf(cmd));
  if (!parsed.ok && cmd.lenientFlags) {
    const wantsHelp = args.includes('--help') || args.includes('-h');
    parsed = { ok: true, parsed: { values: new Map([['help', wantsHelp]]), args: [], changed: new Set() } };
  }
  if (!parsed.ok) {
    ctx.stderr(`Error: ${parsed.error}\nSee '${path} --help' for usage.\n`);
    return 1;
  }
  const namespaceFlag = flagString(parsed.parsed, 'namespace') ?? '';
  const inv: Invocation = {
    ctx,
    path,
    args: parsed.parsed.args,
    flags: parsed.parsed,
    namespace: namespaceFlag !== '' ? namespaceFlag : ctx.session.namespace,
    explicitNamespace: namespaceFlag !== '',
    out: (text) => ctx.stdout(text),
    err: (text) => ctx.stderr(text),
  };
  if (flagBool(parsed.parsed, 'help')) {
    ctx.stdout(helpFor(cmd, path));
    return 0;
  }
  if (!cmd.run) {
    ctx.stdout(helpFor(cmd, path));
    return 0;
  }
  // cobra's ValidateRequiredFlags; kubectl's main logs the error with klog.
  const missing = (cmd.requiredFlags ?? []).filter((f) => !parsed.parsed.changed?.has(f));
  if (missing.length > 0) {
    const err = `required flag(s) ${missing.map((f) => `"${f}"`).join(', ')} not set`;
    ctx.stderr(klogErrorLine(ctx.cluster.sim.nowMs, 'run.go:72', `"command failed" err=${goQuote(err)}`));
    return 1;
  }
  try {
    return yield* cmd.run(inv);
  } catch (e) {
    if (!(e instanceof InvalidRequestTimeout)) throw e;
    ctx.stderr(`error: ${e.message}\n`);
    return 1;
  }
}

function helpFor(cmd: CommandSpec, path: string): string {
  if (cmd === ROOT) return ROOT_HELP;
  if (cmd === OPTIONS) return '';
  return renderHelp(cmd, path);
}

// ---- the root command and the commands cobra and kubectl add around the groups ----

const ALPHA: CommandSpec = {
  name: 'alpha',
  short: 'Commands for features in alpha',
  unavailable: true,
  *run(inv) {
    inv.err('No alpha commands are available in this version of kubectl\n');
    return 0;
  },
};

const OPTIONS: CommandSpec = {
  name: 'options',
  short: 'Print the list of flags inherited by all commands',
  *run(inv) {
    inv.out(renderOptions());
    return 0;
  },
};

const HELP: CommandSpec = {
  name: 'help',
  short: 'Help about any command',
  unavailable: true,
  help: {
    long: 'Help provides help for any command in the application.\nSimply type kubectl help [path to command] for full details.',
    usage: 'kubectl help [command] [flags] [options]',
  },
  *run(inv) {
    const found = find(ROOT, inv.args);
    if (found.cmd === ROOT && stripFlags(found.args, flagsOf(ROOT)).length > 0) {
      inv.err(`Unknown help topic [${inv.args.map((a) => `\`${a}\``).join(' ')}]\n\n\n${ROOT_BODY}`);
      return 0;
    }
    inv.out(helpFor(found.cmd, found.path));
    return 0;
  },
};

const GROUPED = COMMAND_GROUPS.flatMap((g) => g.commands);

/** Root subcommands in the order kubectl (then cobra, for `help`) adds them. */
const ROOT_COMMANDS: readonly CommandSpec[] = [...GROUPED, ALPHA, ...OTHER_COMMANDS, OPTIONS, HELP];

const ROOT: CommandSpec = {
  name: 'kubectl',
  short: 'kubectl controls the Kubernetes cluster manager',
  subcommands: ROOT_COMMANDS,
};

/** The listing part of `kubectl --help` (also what `kubectl help <unknown>` prints). */
const ROOT_BODY = (() => {
  const groups = COMMAND_GROUPS.map((g) =>
    g.commands.length === 0
      ? `${g.title}:`
      : `${g.title}:\n${commandList(g.commands, ROOT_COMMANDS).slice(0, -1)}`,
  );
  const others = [...OTHER_COMMANDS].sort((a, b) => (a.name < b.name ? -1 : 1));
  groups.push(`Other Commands:\n${commandList(others, ROOT_COMMANDS).slice(0, -1)}`);
  return (
    `${groups.join('\n\n')}\n\n` +
    'Usage:\n  kubectl [flags] [options]\n\n' +
    'Use "kubectl <command> --help" for more information about a given command.\n' +
    'Use "kubectl options" for a list of global command-line options (applies to all commands).\n'
  );
})();

const ROOT_HELP =
  'kubectl controls the Kubernetes cluster manager.\n\n' +
  ' Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\n' +
  ROOT_BODY;

function unknownCommandMessage(typed: string): string {
  const available = ROOT_COMMANDS.filter((c) => !c.unavailable);
  return `Error: unknown command "${typed}" for "kubectl"${suggestionText(suggestionsFor(typed, available))}\n`;
}

// ---- cobra's command lookup ----

function flagsOf(cmd: CommandSpec): readonly FlagSpec[] {
  return [...(cmd.flags ?? []), ...GLOBAL_FLAGS, HELP_FLAG];
}

interface Found {
  readonly cmd: CommandSpec;
  /** `kubectl create namespace` */
  readonly path: string;
  /** The arguments left for the command's flag parser (command words removed). */
  readonly args: readonly string[];
}

/** cobra's Find/innerfind: descend through subcommands named by the non-flag words. */
function find(root: CommandSpec, argv: readonly string[]): Found {
  let cmd = root;
  let path = 'kubectl';
  let args = [...argv];
  for (;;) {
    const words = stripFlags(args, flagsOf(cmd));
    const next = words[0];
    const sub =
      next === undefined
        ? undefined
        : (cmd.subcommands ?? []).find((c) => c.name === next || (c.aliases ?? []).includes(next));
    if (!sub) return { cmd, path, args };
    args = argsMinusFirst(args, next!, flagsOf(cmd));
    cmd = sub;
    path = `${path} ${sub.name}`;
  }
}

function takesValue(flag: FlagSpec | undefined): boolean {
  // An unknown flag is assumed to take a value, as cobra does.
  return !flag || (flag.type !== 'bool' && flag.noOptDefault === undefined);
}

function valueFlag(token: string, flags: readonly FlagSpec[]): boolean {
  if (token.includes('=')) return false;
  if (token.startsWith('--')) return takesValue(flags.find((f) => f.name === token.slice(2)));
  if (token.startsWith('-') && token.length === 2) return takesValue(flags.find((f) => f.short === token[1]));
  return false;
}

/** cobra's stripFlags: the non-flag words, skipping the values of flags that take one. */
export function stripFlags(args: readonly string[], flags: readonly FlagSpec[]): string[] {
  const words: string[] = [];
  const rest = [...args];
  while (rest.length > 0) {
    const s = rest.shift()!;
    if (s === '--') break;
    if (valueFlag(s, flags)) {
      // '-f arg': drop the value too, or stop when it is the last argument (cobra's quirk).
      if (rest.length <= 1) break;
      rest.shift();
      continue;
    }
    if (s !== '' && !s.startsWith('-')) words.push(s);
  }
  return words;
}

/** cobra's argsMinusFirstX: remove the first word equal to `x` that is not a flag's value. */
function argsMinusFirst(args: readonly string[], x: string, flags: readonly FlagSpec[]): string[] {
  for (let pos = 0; pos < args.length; pos++) {
    const s = args[pos]!;
    if (s === '--') break;
    if (valueFlag(s, flags)) {
      pos++;
      continue;
    }
    if (!s.startsWith('-') && s === x) return [...args.slice(0, pos), ...args.slice(pos + 1)];
  }
  return [...args];
}
