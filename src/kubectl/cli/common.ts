import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import { parseDurationMs } from '../../sim/kernel/time';
import { type FlagSpec, flagString } from '../flags';
import { toGoJson } from '../print/json';
import { toYaml } from '../print/yaml';
import { plainError } from './errors';
import type { Invocation } from './invocation';

/** cmdutil.UsageErrorf: the message, then where to find help. */
export function usageError(inv: Invocation, message: string): number {
  inv.err(`error: ${message}\nSee '${inv.path} -h' for help and examples\n`);
  return 1;
}

/** Prints `error: <message>` and returns kubectl's exit code. */
export function errorExit(inv: Invocation, message: string): number {
  inv.err(plainError(message));
  return 1;
}

/** The run of a kubectl command this simulator does not implement yet. */
export function notImplemented(path: string): (inv: Invocation) => Task<number> {
  return function* (inv) {
    return errorExit(inv, `${path} is not available in this simulated cluster yet`);
  };
}

/**
 * Flags real kubectl has but this simulator does not implement. They are accepted by the parser
 * (so the error is not a misleading "unknown flag") and refused when used.
 */
export function refuseUnsupported(inv: Invocation, names: readonly string[]): number | undefined {
  for (const name of names) {
    if (inv.flags.changed?.has(name))
      return errorExit(inv, `--${name} is not supported by this simulated kubectl yet`);
  }
  return undefined;
}

// Flag definitions shared by several commands, with kubectl's help text.

export const ALL_NAMESPACES_FLAG: FlagSpec = {
  name: 'all-namespaces',
  short: 'A',
  type: 'bool',
  defaultValue: 'false',
  usage:
    'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.',
};

export const SELECTOR_FLAG: FlagSpec = {
  name: 'selector',
  short: 'l',
  type: 'string',
  defaultValue: '',
  usage:
    "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.",
};

export const FIELD_SELECTOR_FLAG: FlagSpec = {
  name: 'field-selector',
  type: 'string',
  defaultValue: '',
  usage:
    "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.",
};

export const CHUNK_SIZE_FLAG: FlagSpec = {
  name: 'chunk-size',
  type: 'int',
  defaultValue: '500',
  usage:
    'Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.',
};

export const DRY_RUN_FLAG: FlagSpec = {
  name: 'dry-run',
  type: 'string',
  defaultValue: 'none',
  noOptDefault: 'unchanged',
  usage:
    'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
};

export const SHOW_MANAGED_FIELDS_FLAG: FlagSpec = {
  name: 'show-managed-fields',
  type: 'bool',
  defaultValue: 'false',
  usage: 'If true, keep the managedFields when printing objects in JSON or YAML format.',
};

export const TEMPLATE_FLAG: FlagSpec = {
  name: 'template',
  type: 'string',
  defaultValue: '',
  usage:
    'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].',
};

export const ALLOW_MISSING_TEMPLATE_KEYS_FLAG: FlagSpec = {
  name: 'allow-missing-template-keys',
  type: 'bool',
  defaultValue: 'true',
  usage:
    'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.',
};

export const FILENAME_FLAG = (what: string): FlagSpec => ({
  name: 'filename',
  short: 'f',
  type: 'stringSlice',
  usage: `Filename, directory, or URL to files ${what}`,
});

export const KUSTOMIZE_FLAG: FlagSpec = {
  name: 'kustomize',
  short: 'k',
  type: 'string',
  defaultValue: '',
  usage: "Process the kustomization directory. This flag can't be used together with -f or -R.",
};

export const RECURSIVE_FLAG: FlagSpec = {
  name: 'recursive',
  short: 'R',
  type: 'bool',
  defaultValue: 'false',
  usage:
    'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.',
};

/** The -o formats of cli-runtime's PrintFlags, as listed in its "unable to match a printer" error. */
export const ALL_OUTPUT_FORMATS = [
  'custom-columns',
  'custom-columns-file',
  'go-template',
  'go-template-file',
  'json',
  'jsonpath',
  'jsonpath-as-json',
  'jsonpath-file',
  'name',
  'template',
  'templatefile',
  'wide',
  'yaml',
];

const TEMPLATE_FORMATS = [
  'go-template',
  'go-template-file',
  'template',
  'templatefile',
  'jsonpath',
  'jsonpath-as-json',
  'jsonpath-file',
];

/**
 * The printer for `-o FORMAT`: yaml, json and name are implemented; the template-based formats
 * real kubectl also has are refused with a clear message.
 */
export function outputFormatError(
  format: string,
  allowed: readonly string[],
  template = '',
): string | undefined {
  const base = format.split('=')[0]!;
  if (['json', 'yaml', 'name'].includes(format) || (format === 'wide' && allowed.includes('wide')))
    return undefined;
  const hasArgument = format.includes('=') || template !== '';
  if (TEMPLATE_FORMATS.includes(base) && allowed.includes(base) && !hasArgument)
    return 'template format specified but no template given';
  if (base.startsWith('custom-columns') && allowed.includes(base) && !hasArgument)
    return 'custom-columns format specified but no custom columns given';
  if (allowed.includes(base)) return `-o ${base} is not supported by this simulated kubectl yet`;
  return `unable to match a printer suitable for the output format "${format}", allowed formats are: ${allowed.join(',')}`;
}

/**
 * cmdutil.DefaultSubCommandRun, the run of a command group (`kubectl set`, `kubectl rollout`):
 * extra words are an unknown command; otherwise the help, to stdout or stderr as the group
 * chooses, and exit code 1.
 */
export function defaultSubCommandRun(
  help: () => string,
  stream: 'out' | 'err',
): (inv: Invocation) => Task<number> {
  return function* (inv) {
    if (inv.args.length > 0) return usageError(inv, `unknown command ${JSON.stringify(inv.args.join(' '))}`);
    (stream === 'out' ? inv.out : inv.err)(help());
    return 1;
  };
}

export const OUTPUT_FLAG: FlagSpec = {
  name: 'output',
  short: 'o',
  type: 'string',
  defaultValue: '',
  usage:
    'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
};

export const fieldManagerFlag = (defaultValue: string): FlagSpec => ({
  name: 'field-manager',
  type: 'string',
  defaultValue,
  usage: 'Name of the manager used to track field ownership.',
});

/** The -o formats of genericclioptions.PrintFlags (what `-o` accepts on mutating verbs). */
export const PRINT_FLAGS_FORMATS = [
  'go-template',
  'go-template-file',
  'json',
  'jsonpath',
  'jsonpath-as-json',
  'jsonpath-file',
  'name',
  'template',
  'templatefile',
  'yaml',
];

/**
 * genericclioptions.PrintFlags.ToPrinter for the verbs that print the objects they changed: the
 * name printer (`deployment.apps/web image updated`, or just the name with `-o name`), YAML
 * (documents separated by `---`) or JSON. `check()` is the error for an unusable `-o`.
 */
export class ObjectPrinter {
  private count = 0;

  constructor(
    private readonly inv: Invocation,
    readonly output: string,
  ) {}

  check(): string | undefined {
    if (this.output === '') return undefined;
    return outputFormatError(this.output, PRINT_FLAGS_FORMATS, flagString(this.inv.flags, 'template') ?? '');
  }

  /** `name` is `kind[.group]/name`; `operation` already carries any dry-run suffix. */
  print(obj: KubeObject, name: string, operation: string): void {
    this.count++;
    if (this.output === 'yaml') this.inv.out(`${this.count > 1 ? '---\n' : ''}${toYaml(obj)}`);
    else if (this.output === 'json') this.inv.out(`${toGoJson(obj)}\n`);
    else if (this.output === 'name' || operation === '') this.inv.out(`${name}\n`);
    else this.inv.out(`${name} ${operation}\n`);
  }
}

/**
 * A Go duration flag (`--timeout=30s`), as pflag parses it: the value in milliseconds (negative
 * allowed), or the parse error printed as pflag prints it (undefined returned).
 */
export function durationFlag(inv: Invocation, name: string, fallback: string): number | undefined {
  const text = flagString(inv.flags, name) ?? fallback;
  const negative = text.startsWith('-');
  const ms = parseDurationMs(negative || text.startsWith('+') ? text.slice(1) : text);
  if (ms === undefined) {
    inv.err(
      `Error: invalid argument "${text}" for "--${name}" flag: time: invalid duration "${text}"\nSee '${inv.path} --help' for usage.\n`,
    );
    return undefined;
  }
  return negative ? -ms : ms;
}

/** --pod-running-timeout of logs (20s), exec, port-forward and run (1m0s). */
export function podRunningTimeoutFlag(defaultValue: string): FlagSpec {
  return {
    name: 'pod-running-timeout',
    type: 'string',
    defaultValue,
    shownDefault: defaultValue,
    usage:
      'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running',
  };
}
