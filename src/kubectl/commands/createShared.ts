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
import { INVALID_TIMEOUT_MESSAGE, isValidRequestTimeout } from '../cli/requestTimeout';
import { type FlagSpec, flagBool, flagString } from '../flags';
import { isTemplateOutput, type PrinterResult, templatePrinter } from '../print/templatePrinters';
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

/** `-o`, or go-template when only `--template` is given (PrintFlags.ToPrinter). */
function createOutput(inv: Invocation): string {
  return flagString(inv.flags, 'output') || (flagString(inv.flags, 'template') ? 'go-template' : '');
}

/** The jsonpath or go-template printer `-o` asks for (with `--template`), over typed objects. */
function createTemplatePrinter(inv: Invocation, output: string): PrinterResult {
  return templatePrinter({
    output,
    template: flagString(inv.flags, 'template') ?? '',
    allowMissingKeys: flagBool(inv.flags, 'allow-missing-template-keys'),
    noHeaders: false,
    typed: true,
    readFile: (path) => {
      const r = inv.ctx.session.files.readFile(path);
      return r.ok ? r.value : undefined;
    },
  });
}

/**
 * Prints a created object: the name printer by default (`namespace/foo created`), -o
 * yaml/json/name, or a jsonpath or go-template. The exit code (a template can fail on the object).
 */
export function printCreated(inv: Invocation, obj: KubeObject, kindPrefix: string, suffix: string): number {
  const output = createOutput(inv);
  if (output === 'yaml') inv.out(toYaml(obj));
  else if (output === 'json') inv.out(typedJson(obj as unknown as Record<string, unknown>));
  else if (output === 'name') inv.out(`${kindPrefix}/${obj.metadata.name}\n`);
  else if (isTemplateOutput(output)) {
    const made = createTemplatePrinter(inv, output);
    if (!made.ok) return errorExit(inv, made.error.replace(/\n$/, ''));
    // The printer sees the typed object as json.Marshal writes it, in struct order.
    const printed = made.printer.print(JSON.parse(typedJson(obj as unknown as Record<string, unknown>)));
    inv.out(printed.out);
    if (printed.error !== undefined) return errorExit(inv, printed.error);
  } else inv.out(`${kindPrefix}/${obj.metadata.name} created${suffix}\n`);
  return 0;
}

/**
 * The checks every generator makes before building its object, in kubectl's order: `--dry-run`,
 * then `-o`. The strategy, or the exit code of the error already printed.
 */
export function generatorStrategy(inv: Invocation): DryRunStrategy | { readonly exit: number } {
  // Complete builds the client (and reads --request-timeout) before anything else.
  if (!isValidRequestTimeout(flagString(inv.flags, 'request-timeout') ?? ''))
    return { exit: errorExit(inv, INVALID_TIMEOUT_MESSAGE) };
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return { exit: errorExit(inv, strategy.error) };
  const output = createOutput(inv);
  if (isTemplateOutput(output)) {
    // The printer is made (and its template parsed) before anything is sent.
    const made = createTemplatePrinter(inv, output);
    return made.ok ? strategy : { exit: errorExit(inv, made.error.replace(/\n$/, '')) };
  }
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
  if (strategy === 'client') return printCreated(inv, obj, kindPrefix, dryRunSuffix(strategy));
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
  return printCreated(inv, r.body, kindPrefix, dryRunSuffix(strategy));
}
