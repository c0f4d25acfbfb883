import type { ResourceInfo } from '../../sim/api/resources';
import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import {
  ALL_NAMESPACES_FLAG,
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  DRY_RUN_FLAG,
  errorExit,
  FIELD_SELECTOR_FLAG,
  FILENAME_FLAG,
  KUSTOMIZE_FLAG,
  outputFormatError,
  RECURSIVE_FLAG,
  refuseUnsupported,
  SELECTOR_FLAG,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
} from '../cli/common';
import { discover, kindPrefix, mappingAttempts, mapResource } from '../cli/discovery';
import { dryRunStrategy, dryRunSuffix } from '../cli/dryRun';
import { type ApiFailure, enhanceListError, failureLine, failureMessage, plainError } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import { parseResourceArgs } from '../cli/resourceArgs';
import { flagBool, flagString } from '../flags';
import { toGoJson } from '../print/json';
import { toYaml } from '../print/yaml';

/** One failure of `kubectl label`: from the server, or kubectl's own (like the overwrite check). */
type LabelError = { readonly api: ApiFailure } | { readonly texts: readonly string[] };

/** cmdutil.GetResourcesAndPairs: resources first, then `key=value` / `key-` changes. */
export function resourcesAndPairs(
  args: readonly string[],
  pairType: string,
): { resources: string[]; pairs: string[] } | { error: string } {
  const resources: string[] = [];
  const pairs: string[] = [];
  let foundPair = false;
  for (const s of args) {
    const nonResource = (s.includes('=') && s[0] !== '=') || (s.endsWith('-') && s !== '-');
    if (nonResource) {
      foundPair = true;
      pairs.push(s);
    } else if (!foundPair) resources.push(s);
    else return { error: `all resources must be specified before ${pairType} changes: ${s}` };
  }
  return { resources, pairs };
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** apimachinery's IsValidLabelValue, with its messages. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value))
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  return errs;
}

/** label.go's parseLabels. */
export function parseLabels(
  specs: readonly string[],
): { add: Map<string, string>; remove: string[] } | { error: string } {
  const add = new Map<string, string>();
  const remove: string[] = [];
  for (const spec of specs) {
    if (spec.includes('=')) {
      const parts = spec.split('=');
      if (parts.length !== 2) return { error: `invalid label spec: ${spec}` };
      const errs = labelValueErrors(parts[1]!);
      if (errs.length > 0)
        return { error: `invalid label value: ${JSON.stringify(spec)}: ${errs.join(';')}` };
      add.set(parts[0]!, parts[1]!);
    } else if (spec.endsWith('-')) remove.push(spec.slice(0, -1));
    else return { error: `unknown label spec: ${spec}` };
  }
  if (remove.some((r) => add.has(r)))
    return { error: 'can not both modify and remove a label in the same command' };
  return { add, remove };
}

interface Target {
  readonly info: ResourceInfo;
  readonly name: string;
  readonly namespace?: string;
}

function* run(inv: Invocation): Task<number> {
  const refused = refuseUnsupported(inv, ['filename', 'kustomize', 'local', 'resource-version']);
  if (refused !== undefined) return refused;
  const split = resourcesAndPairs(inv.args, 'label');
  if ('error' in split) return errorExit(inv, split.error);
  const labels = parseLabels(split.pairs);
  if ('error' in labels) return errorExit(inv, labels.error);
  const list = flagBool(inv.flags, 'list');
  const output = flagString(inv.flags, 'output') ?? '';
  if (list && output !== '') return errorExit(inv, '--list and --output may not be specified together');
  const all = flagBool(inv.flags, 'all');
  const selector = flagString(inv.flags, 'selector') ?? '';
  if (all && selector !== '') return errorExit(inv, 'cannot set --all and --selector at the same time');
  if (split.resources.length === 0)
    return errorExit(
      inv,
      'one or more resources must be specified as <resource> <name> or <resource>/<name>',
    );
  if (labels.add.size === 0 && labels.remove.length === 0 && !list)
    return errorExit(inv, 'at least one label update is required');
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return errorExit(inv, strategy.error);

  const parsed = parseResourceArgs(split.resources);
  if (parsed.kind === 'error') return errorExit(inv, parsed.message);
  if (parsed.kind === 'none')
    return errorExit(
      inv,
      'one or more resources must be specified as <resource> <name> or <resource>/<name>',
    );
  const typeArgs = parsed.kind === 'types' ? parsed.types : parsed.tuples.map((t) => t.type);
  const discovery = yield* discover(inv, mappingAttempts(typeArgs, parsed.kind === 'tuples'));
  if (!discovery.ok) {
    inv.err(failureMessage(discovery.failure));
    return 1;
  }

  const allNamespaces = flagBool(inv.flags, 'all-namespaces');
  const nsFor = (info: ResourceInfo): string | undefined => (info.namespaced ? inv.namespace : undefined);
  const errors: LabelError[] = [];
  const targets: Target[] = [];
  if (parsed.kind === 'tuples') {
    for (const t of parsed.tuples) {
      const m = mapResource(discovery.resources, t.type);
      if (!m.ok) return errorExit(inv, m.error);
      targets.push({ info: m.info, name: t.name, ...(nsFor(m.info) ? { namespace: nsFor(m.info)! } : {}) });
    }
  } else {
    const infos: ResourceInfo[] = [];
    for (const type of parsed.types) {
      const m = mapResource(discovery.resources, type);
      if (!m.ok) return errorExit(inv, m.error);
      infos.push(m.info);
    }
    if (parsed.names.length > 0) {
      if (selector !== '') return errorExit(inv, 'name cannot be provided when a selector is specified');
      for (const info of infos)
        for (const name of parsed.names)
          targets.push({ info, name, ...(nsFor(info) ? { namespace: nsFor(info)! } : {}) });
    } else if (all || selector !== '') {
      for (const info of infos) {
        const namespace = info.namespaced && !allNamespaces ? inv.namespace : undefined;
        const r = yield* call<{ items: KubeObject[] }>(inv, {
          verb: 'list',
          resource: info.resource,
          ...(namespace ? { namespace } : {}),
          ...(selector ? { labelSelector: selector } : {}),
        });
        if (!r.ok) {
          errors.push({ api: enhanceListError(r.failure, info, selector) });
          continue;
        }
        for (const o of r.body.items)
          targets.push({
            info,
            name: o.metadata.name,
            ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
          });
      }
    } else return errorExit(inv, 'resource(s) were provided, but no name was specified');
  }
  const one =
    (parsed.kind === 'types' && parsed.types.length === 1 && parsed.names.length === 1) ||
    (parsed.kind === 'tuples' && parsed.tuples.length === 1);
  if (output !== '') {
    const formatError = outputFormatError(output, ['json', 'yaml', 'name']);
    if (formatError) return errorExit(inv, formatError);
  }

  for (const t of targets) {
    const got = yield* call<KubeObject>(inv, {
      verb: 'get',
      resource: t.info.resource,
      name: t.name,
      ...(t.namespace ? { namespace: t.namespace } : {}),
    });
    if (!got.ok) {
      errors.push({ api: got.failure });
      continue;
    }
    const before = got.body;
    const oldLabels = before.metadata.labels ?? {};
    if (!flagBool(inv.flags, 'overwrite')) {
      // validateNoOverwrites: every conflicting key is reported, and this object is skipped.
      const conflicts = [...labels.add]
        .filter(([k, v]) => k in oldLabels && oldLabels[k] !== v)
        .map(([k]) => `'${k}' already has a value (${oldLabels[k]}), and --overwrite is false`);
      if (conflicts.length > 0) {
        errors.push({ texts: conflicts });
        continue;
      }
    }
    const newLabels: Record<string, string> = { ...oldLabels };
    for (const [k, v] of labels.add) newLabels[k] = v;
    for (const k of labels.remove) delete newLabels[k];
    const after: KubeObject = { ...before, metadata: { ...before.metadata, labels: newLabels } };

    let result = after;
    if (strategy !== 'client' && !list) {
      for (const k of labels.remove)
        if (!(k in oldLabels)) inv.out(`label ${JSON.stringify(k)} not found.\n`);
      const patch = metadataMapMergePatch(
        'labels',
        oldLabels,
        newLabels,
        before.metadata.labels === undefined,
      );
      const r = yield* call<KubeObject>(inv, {
        verb: 'patch',
        resource: t.info.resource,
        name: t.name,
        ...(t.namespace ? { namespace: t.namespace } : {}),
        patch,
        ...(strategy === 'server' ? { dryRun: true } : {}),
      });
      if (!r.ok) {
        errors.push({ api: r.failure });
        continue;
      }
      result = r.body;
    }
    if (list) {
      if (!one) inv.out(`Listing labels for ${t.info.kind}.${t.info.group}/${t.name}:\n`);
      const shown = result.metadata.labels ?? {};
      for (const k of Object.keys(shown).sort()) inv.out(`${one ? '' : ' '}${k}=${shown[k]}\n`);
      continue;
    }
    if (output === 'yaml') inv.out(toYaml(result));
    else if (output === 'json') inv.out(`${toGoJson(result)}\n`);
    else if (output === 'name') inv.out(`${kindPrefix(t.info)}/${t.name}\n`);
    else {
      const message = changeMessage(before, after, flagBool(inv.flags, 'overwrite'));
      inv.out(`${kindPrefix(t.info)}/${t.name} ${message}${dryRunSuffix(strategy)}\n`);
    }
  }
  return reportLabelErrors(inv, errors);
}

/**
 * label.go's updateDataChangeMsg compares the JSON of the object before and after: `not labeled`
 * when equal; `unlabeled` when it got shorter (and --overwrite was not given); else `labeled`.
 */
function changeMessage(before: KubeObject, after: KubeObject, overwrite: boolean): string {
  const a = toGoJson(before, '');
  const b = toGoJson(after, '');
  if (a === b) return 'not labeled';
  return !overwrite && b.length < a.length ? 'unlabeled' : 'labeled';
}

/**
 * The JSON merge patch kubectl computes between the object before and after when only one map of
 * its metadata differs (`labels` for label, `annotations` for annotate).
 */
export function metadataMapMergePatch(
  field: 'labels' | 'annotations',
  oldMap: Readonly<Record<string, string>>,
  newMap: Readonly<Record<string, string>>,
  hadNone: boolean,
): unknown {
  const diff: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(newMap)) if (oldMap[k] !== v) diff[k] = v;
  for (const k of Object.keys(oldMap)) if (!(k in newMap)) diff[k] = null;
  if (Object.keys(diff).length === 0) return hadNone ? { metadata: { [field]: {} } } : {};
  return { metadata: { [field]: diff } };
}

/**
 * checkErr over label's errors. One object's overwrite conflicts form one aggregate: alone and
 * single it prints as `error: ...`; alone with several conflicts, one line each (no prefix);
 * among other errors, as Go prints an aggregate (`[a, b]`).
 */
function reportLabelErrors(inv: Invocation, errors: readonly LabelError[]): number {
  if (errors.length === 0) return 0;
  const line = (e: LabelError): string =>
    'api' in e ? failureLine(e.api) : e.texts.length === 1 ? e.texts[0]! : `[${e.texts.join(', ')}]`;
  if (errors.length === 1) {
    const e = errors[0]!;
    if ('api' in e) inv.err(failureMessage(e.api));
    else if (e.texts.length === 1) inv.err(plainError(e.texts[0]!));
    else inv.err(e.texts.map((t) => `${t}\n`).join(''));
  } else inv.err(errors.map((e) => `${line(e)}\n`).join(''));
  return 1;
}

export const labelCommand: CommandSpec = {
  name: 'label',
  short: 'Update the labels on a resource',
  flags: [
    {
      name: 'all',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Select all resources, in the namespace of the specified resource types',
    },
    { ...ALL_NAMESPACES_FLAG, usage: 'If true, check the specified action in all namespaces.' },
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    DRY_RUN_FLAG,
    {
      name: 'field-manager',
      type: 'string',
      defaultValue: 'kubectl-label',
      usage: 'Name of the manager used to track field ownership.',
    },
    FIELD_SELECTOR_FLAG,
    FILENAME_FLAG('identifying the resource to update the labels'),
    KUSTOMIZE_FLAG,
    {
      name: 'list',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, display the labels for a given resource.',
    },
    {
      name: 'local',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, label will NOT contact api-server but run locally.',
    },
    {
      name: 'output',
      short: 'o',
      type: 'string',
      defaultValue: '',
      usage:
        'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
    },
    {
      name: 'overwrite',
      type: 'bool',
      defaultValue: 'false',
      usage:
        'If true, allow labels to be overwritten, otherwise reject label updates that overwrite existing labels.',
    },
    RECURSIVE_FLAG,
    {
      name: 'resource-version',
      type: 'string',
      defaultValue: '',
      usage:
        'If non-empty, the labels update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.',
    },
    SELECTOR_FLAG,
    SHOW_MANAGED_FIELDS_FLAG,
    TEMPLATE_FLAG,
  ],
  help: {
    long:
      'Update the labels on a resource.\n\n' +
      '  *  A label key and value must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters each.\n' +
      "  *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.\n" +
      '  *  If --overwrite is true, then existing labels can be overwritten, otherwise attempting to overwrite a label will result in an error.\n' +
      '  *  If --resource-version is specified, then updates will use this resource version, otherwise the existing resource-version will be used.',
    examples: [
      "  # Update pod 'foo' with the label 'unhealthy' and the value 'true'",
      '  kubectl label pods foo unhealthy=true',
      '  ',
      "  # Update pod 'foo' with the label 'status' and the value 'unhealthy', overwriting any existing value",
      '  kubectl label --overwrite pods foo status=unhealthy',
      '  ',
      '  # Update all pods in the namespace',
      '  kubectl label pods --all status=unhealthy',
      '  ',
      '  # Update a pod identified by the type and name in "pod.json"',
      '  kubectl label -f pod.json status=unhealthy',
      '  ',
      "  # Update pod 'foo' only if the resource is unchanged from version 1",
      '  kubectl label pods foo status=unhealthy --resource-version=1',
      '  ',
      "  # Update pod 'foo' by removing a label named 'bar' if it exists",
      '  # Does not require the --overwrite flag',
      '  kubectl label pods foo bar-',
    ].join('\n'),
    usage:
      'kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  },
  run,
};
