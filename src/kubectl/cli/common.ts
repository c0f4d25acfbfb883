import type { Task } from '../../sim/kernel/task';
import type { FlagSpec } from '../flags';
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
