import { findResource } from '../../sim/api/resources';
import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  DRY_RUN_FLAG,
  errorExit,
  outputFormatError,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
} from '../cli/common';
import { type DryRunStrategy, dryRunStrategy, dryRunSuffix } from '../cli/dryRun';
import { failureMessage } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import type { FlagSpec } from '../flags';
import { typedJson } from '../print/typedJson';
import { toYaml } from '../print/yaml';

/** Flags and printing the `kubectl create` subcommands share. */

/** The -o formats the create subcommands accept (no tables). */
export const CREATE_OUTPUT_FORMATS = [
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

export const CREATE_OUTPUT_FLAG: FlagSpec = {
  name: 'output',
  short: 'o',
  type: 'string',
  defaultValue: '',
  usage:
    'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
};

export const SAVE_CONFIG_FLAG: FlagSpec = {
  name: 'save-config',
  type: 'bool',
  defaultValue: 'false',
  usage:
    'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.',
};

export const VALIDATE_FLAG: FlagSpec = {
  name: 'validate',
  type: 'string',
  defaultValue: 'strict',
  noOptDefault: 'strict',
  usage:
    'Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.',
};

/** The flags every `kubectl create <kind> NAME` generator has (before its own), sorted as help lists them. */
export const CREATE_GENERATOR_FLAGS: readonly FlagSpec[] = [
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  DRY_RUN_FLAG,
  {
    name: 'field-manager',
    type: 'string',
    defaultValue: 'kubectl-create',
    usage: 'Name of the manager used to track field ownership.',
  },
  CREATE_OUTPUT_FLAG,
  SAVE_CONFIG_FLAG,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
  VALIDATE_FLAG,
];

/** Prints a created object: the name printer by default (`namespace/foo created`), or -o yaml/json/name. */
export function printCreated(inv: Invocation, obj: KubeObject, kindPrefix: string, suffix: string): void {
  const output = (inv.flags.values.get('output') as string | undefined) ?? '';
  if (output === 'yaml') inv.out(toYaml(obj));
  else if (output === 'json') inv.out(typedJson(obj as unknown as Record<string, unknown>));
  else if (output === 'name') inv.out(`${kindPrefix}/${obj.metadata.name}\n`);
  else inv.out(`${kindPrefix}/${obj.metadata.name} created${suffix}\n`);
}

/**
 * The checks every generator makes before building its object, in kubectl's order: `--dry-run`,
 * then `-o`. The strategy, or the exit code of the error already printed.
 */
export function generatorStrategy(inv: Invocation): DryRunStrategy | { readonly exit: number } {
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return { exit: errorExit(inv, strategy.error) };
  const output = (inv.flags.values.get('output') as string | undefined) ?? '';
  const formatError = output === '' ? undefined : outputFormatError(output, CREATE_OUTPUT_FORMATS);
  return formatError ? { exit: errorExit(inv, formatError) } : strategy;
}

/**
 * createGeneratedObject's end: a client dry run prints the object as built; otherwise it is POSTed
 * (with dryRun for a server dry run) and what the server answered is printed.
 */
export function* sendGenerated(
  inv: Invocation,
  resource: string,
  kindPrefix: string,
  obj: KubeObject,
  strategy: DryRunStrategy,
): Task<number> {
  if (strategy === 'client') {
    printCreated(inv, obj, kindPrefix, dryRunSuffix(strategy));
    return 0;
  }
  const r = yield* call<KubeObject>(inv, {
    verb: 'create',
    resource,
    ...(findResource(resource)?.namespaced === false ? {} : { namespace: inv.namespace }),
    body: obj,
    ...(strategy === 'server' ? { dryRun: true } : {}),
  });
  if (!r.ok) {
    inv.err(failureMessage(r.failure));
    return 1;
  }
  printCreated(inv, r.body, kindPrefix, dryRunSuffix(strategy));
  return 0;
}
