import type { FlagSpec } from '../flags';
import type { CommandSpec } from './command';
import { GLOBAL_FLAGS } from './globalFlags';

/**
 * Help output in kubectl's layout (its templater over cobra): description, aliases, examples,
 * subcommands, options (one block per flag: `    -o, --output='':` then the usage on a tab-indented
 * line), usage line and the closing hints. Only the flags this simulator implements are listed.
 */
export function renderHelp(spec: CommandSpec, path: string): string {
  const help = spec.help;
  // Each block ends with a newline; blocks are separated by one blank line.
  const blocks: string[] = [`${help?.long ?? `${spec.short}.`}\n`];
  if (spec.aliases && spec.aliases.length > 0)
    blocks.push(`Aliases:\n${[spec.name, ...spec.aliases].join(', ')}\n`);
  if (help?.examples) blocks.push(`Examples:\n${help.examples}\n`);
  const subs = (spec.subcommands ?? []).filter((s) => !s.unavailable);
  if (subs.length > 0) blocks.push(`Available Commands:\n${commandList(subs)}`);
  const flags = (spec.flags ?? []).filter((f) => !f.hidden);
  if (flags.length > 0) blocks.push(`Options:\n${flagUsages(flags).slice(0, -1)}`);
  blocks.push(`Usage:\n  ${help?.usage ?? `${path} [flags] [options]`}\n`);
  let text = `${blocks.join('\n')}\n`;
  if (subs.length > 0) text += `Use "${path} <command> --help" for more information about a given command.\n`;
  return `${text}Use "kubectl options" for a list of global command-line options (applies to all commands).\n`;
}

/** `  name<padding>summary` lines, padded as cobra's NamePadding (at least 11) plus kubectl's gap. */
export function commandList(
  commands: readonly CommandSpec[],
  allForWidth: readonly CommandSpec[] = commands,
): string {
  const width = Math.max(11, ...allForWidth.map((c) => c.name.length)) + 3;
  return commands.map((c) => `  ${c.name.padEnd(width)}${c.short}`).join('\n') + '\n';
}

/** The Options section: flags sorted by name, each as a two-line block and a blank line. */
export function flagUsages(flags: readonly FlagSpec[]): string {
  return [...flags]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => `    ${f.short ? `-${f.short}, ` : ''}--${f.name}=${defaultText(f)}:\n\t${f.usage}\n\n`)
    .join('');
}

function defaultText(f: FlagSpec): string {
  if (f.shownDefault !== undefined) return f.shownDefault;
  switch (f.type) {
    case 'string':
      return `'${f.defaultValue ?? ''}'`;
    case 'bool':
      return f.defaultValue ?? 'false';
    case 'int':
      return f.defaultValue ?? '0';
    default:
      return `[${f.defaultValue ?? ''}]`;
  }
}

/** `kubectl options`. */
export function renderOptions(): string {
  return `The following options can be passed to any command:\n\n${flagUsages(GLOBAL_FLAGS)}`;
}
