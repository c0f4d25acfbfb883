import type { CommandSpec } from '../kubectl/cli/command';
import { GLOBAL_FLAGS } from '../kubectl/cli/globalFlags';
import { COMMAND_GROUPS, OTHER_COMMANDS } from '../kubectl/commands/registry';
import type { FlagSpec } from '../kubectl/flags';
import type { DirEntry } from '../shell/vfs';
import { findResource, RESOURCES, type ResourceInfo } from '../sim/api/resources';

/**
 * Tab completion for the terminal, as bash with kubectl's completion script offers it: program
 * names, kubectl verbs and subcommands, flags, resource types, object names (from the cluster),
 * namespaces, and file names. Pure: everything it needs comes through a CompletionSource.
 */
export interface CompletionSource {
  readonly programs: readonly string[];
  /** The current kubectl namespace (kubeconfig context). */
  readonly namespace: string;
  /** Names of objects of one resource (all namespaces when `namespace` is undefined). */
  objectNames(resource: ResourceInfo, namespace: string | undefined): readonly string[];
  /** Entries of a directory of the lab filesystem (relative paths from the shell's folder). */
  listDir(path: string): readonly DirEntry[];
}

export interface Completion {
  /** Where in the line the word being completed starts. */
  readonly from: number;
  /** Full replacements for that word, sorted; a directory ends in `/`. */
  readonly candidates: readonly string[];
}

const NONE = (from: number): Completion => ({ from, candidates: [] });

/** Verbs whose first argument is a resource type (or TYPE/NAME) and the next ones names. */
const TYPE_THEN_NAMES = new Set([
  'get',
  'describe',
  'delete',
  'edit',
  'label',
  'annotate',
  'scale',
  'expose',
  'wait',
  'patch',
  'explain',
  'autoscale',
]);
/** Verbs (and subcommands) that take pod names. */
const POD_VERBS = new Set(['logs', 'exec', 'attach', 'port-forward', 'cp']);
const NODE_VERBS = new Set(['cordon', 'uncordon', 'drain']);
/** kubectl flags whose value is the next word, by what they complete to. */
const NAMESPACE_FLAGS = new Set(['-n', '--namespace']);
const FILE_FLAGS = new Set(['-f', '--filename', '--from-file', '--from-env-file', '--patch-file']);
const ETCDCTL_COMMANDS = [
  'alarm',
  'compaction',
  'del',
  'endpoint',
  'get',
  'lease',
  'member',
  'put',
  'version',
  'watch',
];
const ETCDCTL_SUBCOMMANDS: Readonly<Record<string, readonly string[]>> = {
  alarm: ['disarm', 'list'],
  endpoint: ['health', 'status'],
  lease: ['grant', 'keep-alive', 'list', 'revoke', 'timetolive'],
  member: ['add', 'list', 'remove'],
};
const FILE_PROGRAMS = new Set([
  'cat',
  'ls',
  'rm',
  'cd',
  'mkdir',
  'head',
  'tail',
  'wc',
  'grep',
  'vi',
  'nano',
  'vim',
]);

/** Completes the word that ends at the end of `before` (the line up to the cursor). */
export function complete(before: string, src: CompletionSource): Completion {
  // Only the last command of a pipeline or list matters.
  const after = (token: string): number => {
    const at = before.lastIndexOf(token);
    return at < 0 ? 0 : at + token.length;
  };
  const segmentStart = Math.max(after('|'), after(';'), after('&'), after('$('));
  const segment = before.slice(segmentStart);
  const word = /\S*$/.exec(segment)?.[0] ?? '';
  const from = before.length - word.length;
  const typed = segment
    .slice(0, segment.length - word.length)
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  // `NAME=value cmd`: the environment prefix is not the program.
  const prefix = typed.findIndex((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  const words = prefix < 0 ? [] : typed.slice(prefix);
  const previous = typed[typed.length - 1];
  if (previous === '>' || previous === '>>' || previous === '<') return files(word, from, src);
  if (words.length === 0) return matching(from, word, src.programs);
  const program = words[0]!;
  if (program === 'kubectl') return completeKubectl(words.slice(1), word, from, src);
  if (program === 'etcdctl') {
    if (words.length === 1) return matching(from, word, ETCDCTL_COMMANDS);
    const subs = words.length === 2 ? ETCDCTL_SUBCOMMANDS[words[1]!] : undefined;
    return subs ? matching(from, word, subs) : NONE(from);
  }
  if (FILE_PROGRAMS.has(program) || word.includes('/') || word.startsWith('.') || word.startsWith('~'))
    return files(word, from, src);
  return NONE(from);
}

function completeKubectl(
  args: readonly string[],
  word: string,
  from: number,
  src: CompletionSource,
): Completion {
  const previous = args[args.length - 1];
  if (previous && NAMESPACE_FLAGS.has(previous)) return namespaces(word, from, src);
  if (previous && FILE_FLAGS.has(previous)) return files(word, from, src);
  if (word.startsWith('--namespace='))
    return prefixed('--namespace=', namespaces(word.slice(12), from, src), from);
  if (word.startsWith('-f=') || word.startsWith('--filename='))
    return prefixed(
      word.slice(0, word.indexOf('=') + 1),
      files(word.slice(word.indexOf('=') + 1), from, src),
      from,
    );

  // Walk the command path: verb, then subcommands; collect positional arguments after it.
  let commands: readonly CommandSpec[] = [...COMMAND_GROUPS.flatMap((g) => g.commands), ...OTHER_COMMANDS];
  const path: CommandSpec[] = [];
  const positional: string[] = [];
  let namespace: string | undefined = src.namespace;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-A' || a === '--all-namespaces') namespace = undefined;
    if (NAMESPACE_FLAGS.has(a)) namespace = args[i + 1] ?? namespace;
    if (a.startsWith('--namespace=')) namespace = a.slice(12);
    if (a.startsWith('-')) {
      if (!a.includes('=') && takesValue(a, path)) i++;
      continue;
    }
    const sub =
      positional.length === 0 ? commands.find((c) => c.name === a || c.aliases?.includes(a)) : undefined;
    if (sub) {
      path.push(sub);
      commands = sub.subcommands ?? [];
      continue;
    }
    positional.push(a);
  }
  const command = path[path.length - 1];
  if (word.startsWith('-')) return matching(from, word, flagNames(command));
  if (!command) return matching(from, word, visible(commands));
  if (command.subcommands && positional.length === 0 && path.length === 1 && command.name !== 'create')
    return matching(from, word, visible(command.subcommands));
  if (command.subcommands && command.name === 'create' && path.length === 1)
    return matching(from, word, visible(command.subcommands));

  const verb = path.map((c) => c.name).join(' ');
  if (POD_VERBS.has(command.name) && positional.length === 0)
    return word.includes('/')
      ? typedNames(word, from, namespace, src)
      : names('pods', word, from, namespace, src);
  if (NODE_VERBS.has(command.name) || (command.name === 'taint' && positional.length > 0))
    return names('nodes', word, from, undefined, src);
  if (command.name === 'taint' && positional.length === 0) return matching(from, word, ['nodes']);
  if (command.name === 'top' && path.length === 2)
    return names(path[1]!.name === 'node' ? 'nodes' : 'pods', word, from, namespace, src);
  const typeFirst = TYPE_THEN_NAMES.has(command.name) || verb.startsWith('rollout ') || verb === 'set image';
  if (!typeFirst) return NONE(from);
  if (word.includes('/')) return typedNames(word, from, namespace, src);
  const typed = positional.find((p) => !p.includes('/'));
  if (!typed) return matching(from, word, resourceTypes(verb));
  const resource = typed.split(',').length === 1 ? findResource(typed) : undefined;
  return resource ? names(resource.resource, word, from, namespace, src) : NONE(from);
}

function takesValue(flag: string, path: readonly CommandSpec[]): boolean {
  const spec = findFlag(flag, path);
  return spec !== undefined && spec.type !== 'bool' && spec.noOptDefault === undefined;
}

function findFlag(flag: string, path: readonly CommandSpec[]): FlagSpec | undefined {
  const all = [...GLOBAL_FLAGS, ...path.flatMap((c) => c.flags ?? [])];
  return flag.startsWith('--')
    ? all.find((f) => f.name === flag.slice(2))
    : all.find((f) => f.short !== undefined && f.short === flag.slice(1));
}

function flagNames(command: CommandSpec | undefined): string[] {
  const own = (command?.flags ?? []).filter((f) => !f.hidden);
  return [...own, ...GLOBAL_FLAGS.filter((f) => !f.hidden)].map((f) => `--${f.name}`);
}

function visible(commands: readonly CommandSpec[]): string[] {
  return commands.filter((c) => !c.unavailable).map((c) => c.name);
}

/** Resource types as kubectl's completion lists them (plural names; rollout only the workloads). */
function resourceTypes(verb: string): string[] {
  if (verb.startsWith('rollout ')) return ['daemonset', 'deployment', 'statefulset'];
  if (verb === 'set image') return ['daemonset', 'deployment', 'pod', 'replicaset', 'statefulset'];
  return RESOURCES.filter((r) => !r.resource.includes('/')).map((r) => r.resource);
}

function typedNames(
  word: string,
  from: number,
  namespace: string | undefined,
  src: CompletionSource,
): Completion {
  const slash = word.indexOf('/');
  const type = word.slice(0, slash);
  const resource = findResource(type);
  if (!resource) return NONE(from);
  const found = names(resource.resource, word.slice(slash + 1), from, namespace, src);
  return { from, candidates: found.candidates.map((n) => `${type}/${n}`) };
}

function names(
  resource: string,
  word: string,
  from: number,
  namespace: string | undefined,
  src: CompletionSource,
): Completion {
  const info = findResource(resource);
  if (!info) return NONE(from);
  return matching(from, word, [...new Set(src.objectNames(info, info.namespaced ? namespace : undefined))]);
}

function namespaces(word: string, from: number, src: CompletionSource): Completion {
  return names('namespaces', word, from, undefined, src);
}

function files(word: string, from: number, src: CompletionSource): Completion {
  const slash = word.lastIndexOf('/');
  const dir = slash >= 0 ? word.slice(0, slash + 1) : '';
  const entries = src.listDir(dir === '' ? '.' : dir);
  const candidates = entries.map((e) => `${dir}${e.name}${e.dir ? '/' : ''}`);
  return matching(from, word, candidates);
}

function prefixed(prefix: string, inner: Completion, from: number): Completion {
  return { from, candidates: inner.candidates.map((c) => `${prefix}${c}`) };
}

function matching(from: number, word: string, options: readonly string[]): Completion {
  return { from, candidates: [...new Set(options.filter((o) => o.startsWith(word)))].sort() };
}
