import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import { buildInfos } from '../cli/builder';
import type { CommandSpec } from '../cli/command';
import {
  ALL_NAMESPACES_FLAG,
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  DRY_RUN_FLAG,
  errorExit,
  FIELD_SELECTOR_FLAG,
  FILENAME_FLAG,
  fieldManagerFlag,
  KUSTOMIZE_FLAG,
  ObjectPrinter,
  OUTPUT_FLAG,
  RECURSIVE_FLAG,
  refuseUnsupported,
  SELECTOR_FLAG,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
} from '../cli/common';
import { kindPrefix } from '../cli/discovery';
import { dryRunStrategy, dryRunSuffix } from '../cli/dryRun';
import { type CommandError, reportCommandErrors, textError } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import { flagBool, flagString } from '../flags';
import { metadataMapMergePatch, resourcesAndPairs } from './label';

/**
 * `kubectl annotate TYPE NAME k=v k2-`: label's twin (the same argument split and merge patch),
 * with annotate's own rules: values are free text, an existing different value needs
 * `--overwrite` (all conflicts of an object in one error), and every change prints `annotated`.
 */

/** cmdutil.ParsePairs(args, "annotation", true). */
export function parseAnnotations(
  specs: readonly string[],
): { add: Map<string, string>; remove: string[] } | { error: string } {
  const add = new Map<string, string>();
  const remove: string[] = [];
  const invalid: string[] = [];
  for (const spec of specs) {
    if (spec.includes('=') && spec[0] !== '=') {
      const at = spec.indexOf('=');
      add.set(spec.slice(0, at), spec.slice(at + 1));
    } else if (spec.endsWith('-') && spec !== '-') remove.push(spec.slice(0, -1));
    else invalid.push(spec);
  }
  if (invalid.length > 0) return { error: `invalid annotation format: ${invalid.join(', ')}` };
  return { add, remove };
}

/** The kubernetes.io/change-cause annotation may always be overwritten. */
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

/** validateNoAnnotationOverwrites (keys sorted; Go walks its map in random order). */
function overwriteError(
  current: Readonly<Record<string, string>>,
  add: ReadonlyMap<string, string>,
): string | undefined {
  const conflicts = [...add]
    .filter(([k, v]) => k !== CHANGE_CAUSE && k in current && current[k] !== v)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k]) => `'${k}' already has a value (${current[k]})`);
  if (conflicts.length === 0) return undefined;
  return `--overwrite is false but found the following declared annotation(s): ${conflicts.join('; ')}`;
}

function* run(inv: Invocation): Task<number> {
  const refused = refuseUnsupported(inv, ['filename', 'kustomize', 'local', 'resource-version']);
  if (refused !== undefined) return refused;
  // Complete
  const list = flagBool(inv.flags, 'list');
  const output = flagString(inv.flags, 'output') ?? '';
  // Unlike label, annotate lets --list and --output go together (--list wins).
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return errorExit(inv, strategy.error);
  const printer = new ObjectPrinter(inv, output);
  const printerError = printer.check();
  if (printerError) return errorExit(inv, printerError);
  const split = resourcesAndPairs(inv.args, 'annotation');
  if ('error' in split) return errorExit(inv, split.error);
  const changes = parseAnnotations(split.pairs);
  if ('error' in changes) return errorExit(inv, changes.error);
  // Validate
  const all = flagBool(inv.flags, 'all');
  const selector = flagString(inv.flags, 'selector') ?? '';
  const fieldSelector = flagString(inv.flags, 'field-selector') ?? '';
  if (all && selector !== '') return errorExit(inv, 'cannot set --all and --selector at the same time');
  if (all && fieldSelector !== '')
    return errorExit(inv, 'cannot set --all and --field-selector at the same time');
  if (split.resources.length === 0)
    return errorExit(
      inv,
      'one or more resources must be specified as <resource> <name> or <resource>/<name>',
    );
  if (changes.add.size === 0 && changes.remove.length === 0 && !list)
    return errorExit(inv, 'at least one annotation update is required');
  const both = changes.remove.filter((k) => changes.add.has(k));
  if (both.length > 0)
    return errorExit(
      inv,
      `can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`,
    );

  // RunAnnotate
  const built = yield* buildInfos(inv, split.resources, {
    selector,
    fieldSelector,
    all,
    allNamespaces: flagBool(inv.flags, 'all-namespaces'),
    requireObject: true,
  });
  if (!built.ok) return built.code;
  const errors: CommandError[] = [...built.errors];
  // IntoSingleItemImplied: one TYPE NAME or TYPE/NAME.
  const single =
    built.infos.length + built.errors.length === 1 && !all && selector === '' && fieldSelector === '';
  const overwrite = flagBool(inv.flags, 'overwrite');
  for (const target of built.infos) {
    const before = target.object!;
    const old = before.metadata.annotations ?? {};
    if (!overwrite) {
      const conflict = overwriteError(old, changes.add);
      if (conflict) {
        errors.push(textError(conflict));
        continue;
      }
    }
    const next: Record<string, string> = { ...old };
    for (const [k, v] of changes.add) next[k] = v;
    for (const k of changes.remove) delete next[k];
    let result: KubeObject = { ...before, metadata: { ...before.metadata, annotations: next } };
    if (strategy !== 'client' && !list) {
      const r = yield* call<KubeObject>(inv, {
        verb: 'patch',
        resource: target.info.resource,
        name: target.name,
        ...(target.namespace ? { namespace: target.namespace } : {}),
        patch: metadataMapMergePatch('annotations', old, next, before.metadata.annotations === undefined),
        ...(strategy === 'server' ? { dryRun: true } : {}),
      });
      if (!r.ok) {
        errors.push(r.failure);
        continue;
      }
      result = r.body;
    }
    if (list) {
      if (!single)
        inv.out(`Listing annotations for ${target.info.kind}.${target.info.group}/${target.name}:\n`);
      const shown = result.metadata.annotations ?? {};
      // Go prints its map in random order; sorted here.
      for (const k of Object.keys(shown).sort()) inv.out(`${single ? '' : ' '}${k}=${shown[k]}\n`);
      continue;
    }
    printer.print(result, `${kindPrefix(target.info)}/${target.name}`, `annotated${dryRunSuffix(strategy)}`);
  }
  return reportCommandErrors(inv.err, errors);
}

export const annotateCommand: CommandSpec = {
  name: 'annotate',
  short: 'Update the annotations on a resource',
  flags: [
    {
      name: 'all',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Select all resources, in the namespace of the specified resource types.',
    },
    { ...ALL_NAMESPACES_FLAG, usage: 'If true, check the specified action in all namespaces.' },
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    DRY_RUN_FLAG,
    fieldManagerFlag('kubectl-annotate'),
    FIELD_SELECTOR_FLAG,
    FILENAME_FLAG('identifying the resource to update the annotation'),
    KUSTOMIZE_FLAG,
    {
      name: 'list',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, display the annotations for a given resource.',
    },
    {
      name: 'local',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, annotation will NOT contact api-server but run locally.',
    },
    OUTPUT_FLAG,
    {
      name: 'overwrite',
      type: 'bool',
      defaultValue: 'false',
      usage:
        'If true, allow annotations to be overwritten, otherwise reject annotation updates that overwrite existing annotations.',
    },
    RECURSIVE_FLAG,
    {
      name: 'resource-version',
      type: 'string',
      defaultValue: '',
      usage:
        'If non-empty, the annotation update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.',
    },
    SELECTOR_FLAG,
    SHOW_MANAGED_FIELDS_FLAG,
    TEMPLATE_FLAG,
  ],
  help: {
    long:
      'Update the annotations on one or more resources.\n\n' +
      ' All Kubernetes objects support the ability to store additional data with the object as annotations. Annotations are key/value pairs that can be larger than labels and include arbitrary string values such as structured JSON. Tools and system extensions may use annotations to store their own data.\n\n' +
      ' Attempting to set an annotation that already exists will fail unless --overwrite is set. If --resource-version is specified and does not match the current resource version on the server the command will fail.\n\n' +
      'Use "kubectl api-resources" for a complete list of supported resources.',
    examples: [
      "  # Update pod 'foo' with the annotation 'description' and the value 'my frontend'",
      '  # If the same annotation is set multiple times, only the last value will be applied',
      "  kubectl annotate pods foo description='my frontend'",
      '  ',
      '  # Update a pod identified by type and name in "pod.json"',
      "  kubectl annotate -f pod.json description='my frontend'",
      '  ',
      "  # Update pod 'foo' with the annotation 'description' and the value 'my frontend running nginx', overwriting any existing value",
      "  kubectl annotate --overwrite pods foo description='my frontend running nginx'",
      '  ',
      '  # Update all pods in the namespace',
      "  kubectl annotate pods --all description='my frontend running nginx'",
      '  ',
      "  # Update pod 'foo' only if the resource is unchanged from version 1",
      "  kubectl annotate pods foo description='my frontend running nginx' --resource-version=1",
      '  ',
      "  # Update pod 'foo' by removing an annotation named 'description' if it exists",
      '  # Does not require the --overwrite flag',
      '  kubectl annotate pods foo description-',
    ].join('\n'),
    usage:
      'kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  },
  run,
};
