import type { Task } from '../../sim/kernel/task';
import type { FlagSpec } from '../flags';
import type { Invocation } from './invocation';

/**
 * A kubectl (sub)command, described the way cobra describes one: name, aliases, one-line summary,
 * help text, flags, subcommands and what it runs. Adding a verb is one file exporting a
 * CommandSpec plus one line in the registry.
 */
export interface CommandSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** The summary shown in command lists (`Display one or many resources`). */
  readonly short: string;
  readonly help?: HelpText;
  /** The command's own flags; the global ones (`-n`, `--context`, …) are always accepted too. */
  readonly flags?: readonly FlagSpec[];
  readonly subcommands?: readonly CommandSpec[];
  readonly run?: (inv: Invocation) => Task<number>;
  /** Flags are not checked (commands not implemented yet, which do not know their flags). */
  readonly lenientFlags?: boolean;
  /** Flags cobra requires (MarkFlagRequired): missing ones fail before the command runs. */
  readonly requiredFlags?: readonly string[];
  /** Words that should suggest this command when typed as an unknown one (cobra's SuggestFor). */
  readonly suggestFor?: readonly string[];
  /** Hidden from lists and suggestions (cobra's IsAvailableCommand is false). */
  readonly unavailable?: boolean;
}

/** The parts of `kubectl CMD --help` that are text rather than generated from flags. */
export interface HelpText {
  /** Everything before `Examples:` (the long description), without the trailing newline. */
  readonly long: string;
  /** The example lines, each already indented by two spaces. */
  readonly examples?: string;
  /** The usage line without the leading `  ` (e.g. `kubectl version [flags] [options]`). */
  readonly usage: string;
}
