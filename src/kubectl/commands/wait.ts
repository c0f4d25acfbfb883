import type { ResourceInfo } from '../../sim/api/resources';
import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import { buildInfos, type Info } from '../cli/builder';
import type { CommandSpec } from '../cli/command';
import {
  ALL_NAMESPACES_FLAG,
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  durationFlag,
  errorExit,
  FIELD_SELECTOR_FLAG,
  ObjectPrinter,
  OUTPUT_FLAG,
  refuseUnsupported,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
} from '../cli/common';
import { kindPrefix, sleep } from '../cli/discovery';
import { type CommandError, reportCommandErrors, textError } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import { untilWithSync } from '../cli/watch';
import { flagBool, flagString } from '../flags';
import { goPrint, INVALID, JsonPath, JsonPathError } from '../print/jsonpath';
import { relaxedJsonPath } from '../print/templatePrinters';

/**
 * `kubectl wait --for=condition=NAME[=VALUE] | --for=delete | --for=create TYPE/NAME...`: for
 * each object, watches it (list, then watch, by name) until the condition holds, in simulated
 * time, and prints `deployment.apps/web condition met`. One --timeout (30s by default; 0 checks
 * once; negative means a week) covers all the objects. Errors of one object do not stop the
 * others; they are reported together at the end.
 */

/** With a negative --timeout, kubectl waits a week. */
const WEEK_MS = 168 * 3600 * 1000;
/** How often `--for=create` looks again (kubectl polls every half second). */
const CREATE_POLL_MS = 500;

type Condition =
  | { readonly kind: 'delete' }
  | { readonly kind: 'create' }
  | { readonly kind: 'condition'; readonly name: string; readonly value: string }
  /** `jsonpath='{.status.phase}'=Running`, or without a value: the field exists. */
  | { readonly kind: 'jsonpath'; readonly path: JsonPath; readonly value: string | undefined };

const JSONPATH_FORMAT =
  "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'";

/** conditionFuncFor. */
function parseCondition(text: string): Condition | { error: string } {
  if (text.toLowerCase() === 'delete') return { kind: 'delete' };
  if (text.toLowerCase() === 'create') return { kind: 'create' };
  if (text.startsWith('condition=')) {
    const rest = text.slice('condition='.length);
    const eq = rest.indexOf('=');
    return eq === -1
      ? { kind: 'condition', name: rest, value: 'true' }
      : { kind: 'condition', name: rest.slice(0, eq), value: rest.slice(eq + 1) };
  }
  if (text.startsWith('jsonpath=')) return parseJsonPathCondition(text.slice('jsonpath='.length));
  return { error: `unrecognized condition: ${JSON.stringify(text)}` };
}

/** processJSONPathInput: the expression, then an optional value after a single `=`. */
function parseJsonPathCondition(input: string): Condition | { error: string } {
  const parts = splitOnSingleEquals(input);
  if (parts.length < 1 || parts.length > 2) return { error: JSONPATH_FORMAT };
  const relaxed = relaxedJsonPath(parts[0] ?? '');
  if (!relaxed.ok) return { error: relaxed.error };
  let value: string | undefined;
  if (parts.length === 2) {
    value = (parts[1] ?? '').replace(/^['"]+|['"]+$/g, '');
    if (value === '')
      return {
        error:
          "jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3",
      };
  }
  if (relaxed.path === '') return { error: 'jsonpath expression cannot be empty' };
  const path = new JsonPath('wait');
  path.allowMissingKeys = true;
  try {
    path.parse(relaxed.path);
  } catch (e) {
    if (e instanceof JsonPathError) return { error: e.message };
    throw e;
  }
  return { kind: 'jsonpath', path, value };
}

/** splitJSONPathInput: splits on a single `=`; `==` (a filter's comparison) stays whole. */
function splitOnSingleEquals(input: string): string[] {
  const out: string[] = [];
  let part = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== '=') part += input[i];
    else if (input[i + 1] === '=') {
      part += '==';
      i++;
    } else {
      out.push(part);
      part = '';
    }
  }
  out.push(part);
  return out;
}

/**
 * JSONPathWait.isJSONPathConditionMet: the expression must give one plain value, equal to the
 * wanted one as Go prints it (or any value, when none is wanted). A string is an error to report.
 */
function jsonPathMet(c: Extract<Condition, { kind: 'jsonpath' }>, obj: KubeObject): boolean | string {
  let results: unknown[][];
  try {
    results = c.path.findResults(obj);
  } catch (e) {
    if (e instanceof JsonPathError) return e.message;
    throw e;
  }
  const found = results.map((r) => r.filter((v) => v !== INVALID));
  if (found.length === 0 || found[0]?.length === 0) return false;
  if (found.length > 1) return 'given jsonpath expression matches more than one list';
  if ((found[0]?.length ?? 0) > 1) return 'given jsonpath expression matches more than one value';
  if (c.value === undefined) return true;
  const v = found[0]?.[0];
  if (typeof v === 'object' && v !== null)
    return 'jsonpath leads to a nested object or list which is not supported';
  return goPrint(v).trim() === c.value.trim();
}

/** Whether `obj` meets a condition= or jsonpath= wait (a string: the error that ends the wait). */
function met(c: Condition, obj: KubeObject): boolean | string {
  if (c.kind === 'jsonpath') return jsonPathMet(c, obj);
  if (c.kind === 'condition') return conditionMet(obj, c.name, c.value);
  return false;
}

interface Conditions {
  readonly metadata: { readonly generation?: number };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly conditions?: readonly { type?: string; status?: string; observedGeneration?: number }[];
  };
}

/** ConditionalWait.checkCondition: the named condition (case-insensitive) has the wanted status. */
function conditionMet(obj: KubeObject, name: string, value: string): boolean {
  const o = obj as unknown as Conditions;
  for (const c of o.status?.conditions ?? []) {
    if (typeof c.type !== 'string' || c.type.toLowerCase() !== name.toLowerCase()) continue;
    if (typeof c.status !== 'string') continue;
    const generation = o.metadata.generation;
    if (generation !== undefined) {
      const observed = c.observedGeneration ?? o.status?.observedGeneration;
      if (observed !== undefined && observed < generation) return false;
    }
    return c.status.toLowerCase() === value.toLowerCase();
  }
  return false;
}

/** info.ObjectName(): `deployments/web` (the resource, without its group). */
const objectName = (info: ResourceInfo, name: string): string => `${info.resource}/${name}`;

function* run(inv: Invocation): Task<number> {
  const forText = flagString(inv.flags, 'for') ?? '';
  const condition = parseCondition(forText);
  if ('error' in condition) return errorExit(inv, condition.error);
  const refused = refuseUnsupported(inv, ['filename', 'local']);
  if (refused !== undefined) return refused;
  const printer = new ObjectPrinter(inv, flagString(inv.flags, 'output') ?? '');
  const printerError = printer.check();
  if (printerError) return errorExit(inv, printerError);
  let timeoutMs = durationFlag(inv, 'timeout', '30s');
  if (timeoutMs === undefined) return 1;
  if (timeoutMs < 0) timeoutMs = WEEK_MS;
  const sim = inv.ctx.cluster.sim;
  const deadline = sim.nowMs + timeoutMs;

  const built = yield* buildInfos(inv, inv.args, {
    selector: flagString(inv.flags, 'selector') ?? '',
    fieldSelector: flagString(inv.flags, 'field-selector') ?? '',
    all: flagBool(inv.flags, 'all'),
    allNamespaces: flagBool(inv.flags, 'all-namespaces'),
    requireObject: false,
  });
  if (!built.ok) return built.code;
  const errors: CommandError[] = [...built.errors];
  const isNotFound = (e: CommandError): boolean => e.kind === 'status' && e.status.reason === 'NotFound';

  const fetch = function* (
    t: Info,
  ): Task<{ ok: true; obj: KubeObject } | { ok: false; error: CommandError }> {
    if (t.object) return { ok: true, obj: t.object };
    const r = yield* call<KubeObject>(inv, {
      verb: 'get',
      resource: t.info.resource,
      name: t.name,
      ...(t.namespace ? { namespace: t.namespace } : {}),
    });
    return r.ok ? { ok: true, obj: r.body } : { ok: false, error: r.failure };
  };

  if (condition.kind === 'create') {
    // Poll until every named object exists (or the deadline).
    for (;;) {
      let missing = false;
      for (const t of built.infos) {
        const got = yield* fetch(t);
        if (!got.ok && isNotFound(got.error)) missing = true;
      }
      if (!missing) break;
      if (sim.nowMs >= deadline) return errorExit(inv, 'timed out waiting for the condition');
      yield* sleep(inv, Math.min(CREATE_POLL_MS, Math.max(1, deadline - sim.nowMs)));
    }
  }

  let visited = 0;
  for (const t of built.infos) {
    const got = yield* fetch(t);
    if (!got.ok) {
      // --for=delete ignores what is already gone.
      if (!(condition.kind === 'delete' && isNotFound(got.error))) errors.push(got.error);
      continue;
    }
    visited++;
    const name = `${kindPrefix(t.info)}/${t.name}`;
    const target = {
      resource: t.info.resource,
      name: t.name,
      ...(t.namespace ? { namespace: t.namespace } : {}),
    };
    const timedOut = textError(`timed out waiting for the condition on ${objectName(t.info, t.name)}`);
    if (condition.kind === 'create') {
      printer.print(got.obj, name, 'condition met');
      continue;
    }
    if (condition.kind === 'delete') {
      // IsDeleted: gone already, or watch until it is.
      const now = yield* fetch({
        info: t.info,
        name: t.name,
        ...(t.namespace ? { namespace: t.namespace } : {}),
      });
      if (!now.ok && isNotFound(now.error)) {
        printer.print(got.obj, name, 'condition met');
        continue;
      }
      if (!now.ok) {
        errors.push(now.error);
        continue;
      }
      if (timeoutMs === 0) {
        errors.push(textError(`condition not met for ${objectName(t.info, t.name)}`));
        continue;
      }
      const r = yield* untilWithSync<true>(
        inv,
        target,
        deadline,
        (e) => (e.type === 'DELETED' ? { done: true, value: true } : { done: false }),
        (exists) => (exists ? { done: false } : { done: true, value: true }),
      );
      if (!r.ok) errors.push(timedOut);
      else printer.print(now.obj, name, 'condition met');
      continue;
    }
    // condition=NAME[=VALUE]
    if (timeoutMs === 0) {
      const now = yield* fetch({
        info: t.info,
        name: t.name,
        ...(t.namespace ? { namespace: t.namespace } : {}),
      });
      const verdict = now.ok ? met(condition, now.obj) : false;
      if (!now.ok) errors.push(now.error);
      else if (typeof verdict === 'string') errors.push(textError(verdict));
      else if (!verdict) errors.push(textError(`condition not met for ${objectName(t.info, t.name)}`));
      else printer.print(now.obj, name, 'condition met');
      continue;
    }
    if (sim.nowMs >= deadline) {
      errors.push(timedOut);
      continue;
    }
    let metBy: KubeObject | undefined;
    let failure: string | undefined;
    const r = yield* untilWithSync<'met' | 'gone' | 'failed'>(
      inv,
      target,
      deadline,
      (e) => {
        if (e.type === 'DELETED') return { done: false };
        const verdict = met(condition, e.object);
        if (typeof verdict === 'string') {
          failure = verdict;
          return { done: true, value: 'failed' };
        }
        if (!verdict) return { done: false };
        metBy = e.object;
        return { done: true, value: 'met' };
      },
      (exists) => (exists ? { done: false } : { done: true, value: 'gone' }),
    );
    if (!r.ok) errors.push(timedOut);
    else if (r.value === 'failed') errors.push(textError(failure ?? ''));
    else if (r.value === 'gone') {
      const group = t.info.group === '' ? '' : `.${t.info.group}`;
      errors.push({
        kind: 'status',
        status: {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'NotFound',
          code: 404,
          message: `${t.info.resource}${group} ${JSON.stringify(t.name)} not found`,
        },
      });
    } else printer.print(metBy!, name, 'condition met');
  }
  if (visited === 0 && condition.kind !== 'delete' && errors.length === 0)
    return errorExit(inv, 'no matching resources found');
  return reportCommandErrors(inv.err, errors);
}

export const waitCommand: CommandSpec = {
  name: 'wait',
  short: 'Experimental: Wait for a specific condition on one or many resources',
  suggestFor: ['list', 'ps'],
  flags: [
    {
      name: 'all',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Select all resources in the namespace of the specified resource types',
    },
    ALL_NAMESPACES_FLAG,
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    FIELD_SELECTOR_FLAG,
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'identifying the resource.' },
    {
      name: 'for',
      type: 'string',
      defaultValue: '',
      usage:
        "The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true. Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity.",
    },
    {
      name: 'local',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, annotation will NOT contact api-server but run locally.',
    },
    OUTPUT_FLAG,
    {
      name: 'recursive',
      short: 'R',
      type: 'bool',
      defaultValue: 'true',
      usage:
        'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.',
    },
    {
      name: 'selector',
      short: 'l',
      type: 'string',
      defaultValue: '',
      usage:
        "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)",
    },
    SHOW_MANAGED_FIELDS_FLAG,
    TEMPLATE_FLAG,
    {
      name: 'timeout',
      type: 'string',
      defaultValue: '30s',
      shownDefault: '30s',
      usage:
        "The length of time to wait before giving up. Zero means check once and don't wait, negative means wait for a week.",
    },
  ],
  help: {
    long:
      'Experimental: Wait for a specific condition on one or many resources.\n\n' +
      ' The command takes multiple resources and waits until the specified condition is seen in the Status field of every given resource.\n\n' +
      ' Alternatively, the command can wait for the given set of resources to be created or deleted by providing the "create" or "delete" keyword as the value to the --for flag.\n\n' +
      ' A successful message will be printed to stdout indicating when the specified condition has been met. You can use -o option to change to output destination.',
    examples: [
      '  # Wait for the pod "busybox1" to contain the status condition of type "Ready"',
      '  kubectl wait --for=condition=Ready pod/busybox1',
      '  ',
      '  # The default value of status condition is true; you can wait for other targets after an equal delimiter (compared after Unicode simple case folding, which is a more general form of case-insensitivity)',
      '  kubectl wait --for=condition=Ready=false pod/busybox1',
      '  ',
      '  # Wait for the pod "busybox1" to contain the status phase to be "Running"',
      "  kubectl wait --for=jsonpath='{.status.phase}'=Running pod/busybox1",
      '  ',
      '  # Wait for pod "busybox1" to be Ready',
      '  kubectl wait --for=\'jsonpath={.status.conditions[?(@.type=="Ready")].status}=True\' pod/busybox1',
      '  ',
      '  # Wait for the service "loadbalancer" to have ingress',
      "  kubectl wait --for=jsonpath='{.status.loadBalancer.ingress}' service/loadbalancer",
      '  ',
      '  # Wait for the secret "busybox1" to be created, with a timeout of 30s',
      '  kubectl create secret generic busybox1',
      '  kubectl wait --for=create secret/busybox1 --timeout=30s',
      '  ',
      '  # Wait for the pod "busybox1" to be deleted, with a timeout of 60s, after having issued the "delete" command',
      '  kubectl delete pod/busybox1',
      '  kubectl wait --for=delete pod/busybox1 --timeout=60s',
    ].join('\n'),
    usage:
      "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
  },
  run,
};
