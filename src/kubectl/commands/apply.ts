import type { KubeObject } from '../../sim/api/types';
import { isPlainObject } from '../../sim/apiserver/mergePatch';
import { schemaForKind } from '../../sim/apiserver/strategicMerge';
import type { Task } from '../../sim/kernel/task';
import { buildInfos } from '../cli/builder';
import type { CommandSpec } from '../cli/command';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  DRY_RUN_FLAG,
  errorExit,
  FILENAME_FLAG,
  KUSTOMIZE_FLAG,
  notImplemented,
  outputFormatError,
  PRINT_FLAGS_FORMATS,
  RECURSIVE_FLAG,
  refuseUnsupported,
  SELECTOR_FLAG,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
  usageError,
} from '../cli/common';
import { kindPrefix } from '../cli/discovery';
import { type DryRunStrategy, dryRunStrategy, dryRunSuffix } from '../cli/dryRun';
import { failureMessage } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import {
  LAST_APPLIED,
  modifiedConfiguration,
  originalConfiguration,
  withApplyAnnotation,
} from '../cli/lastApplied';
import { goJsonCompact } from '../cli/manifestDecode';
import {
  infoString,
  isObject,
  type ManifestObject,
  objectUrl,
  readManifests,
  validationDirective,
} from '../cli/manifests';
import { createThreeWayMergePatch } from '../cli/threeWayPatch';
import { aggregate, reportVisitErrors, type VisitError, withSource } from '../cli/visitErrors';
import { type FlagSpec, flagList, flagString } from '../flags';
import { toGoJson } from '../print/json';
import { toYaml } from '../print/yaml';
import { VALIDATE_FLAG } from './createShared';
import { CASCADE_FLAG, DELETE_TIMEOUT_FLAG, FORCE_FLAG, GRACE_PERIOD_FLAG, waitFlag } from './delete';

/**
 * `kubectl apply -f FILE|DIR|-`: client-side apply. Each object is fetched; a missing one is
 * created with the last-applied-configuration annotation (`created`); otherwise kubectl sends
 * the three-way strategic merge patch between the annotation (what was applied last time), the
 * file and the live object (`configured`), or nothing when that patch is empty (`unchanged`).
 * With `-o yaml|json` the objects are printed at the end instead, a List when there are several.
 */

type Obj = Record<string, unknown>;

interface Printing {
  readonly output: string;
  readonly strategy: DryRunStrategy;
}

/** The name printer's line, or the printer's error for an unusable -o (found at print time, as kubectl does). */
function printName(
  inv: Invocation,
  p: Printing,
  o: ManifestObject,
  operation: string,
): VisitError | undefined {
  if (p.output !== '' && p.output !== 'name') {
    const formatError = outputFormatError(
      p.output,
      PRINT_FLAGS_FORMATS,
      flagString(inv.flags, 'template') ?? '',
    );
    if (formatError) return { kind: 'text', text: formatError };
  }
  const name = `${kindPrefix(o.info)}/${o.name}`;
  inv.out(p.output === 'name' ? `${name}\n` : `${name} ${operation}${dryRunSuffix(p.strategy)}\n`);
  return undefined;
}

/** Whether objects are printed whole at the end (-o yaml / json) rather than named as they go. */
function printsObjects(output: string): boolean {
  return output !== '' && output !== 'name';
}

function* applyOne(
  inv: Invocation,
  o: ManifestObject,
  p: Printing,
): Task<{ object?: Obj; error?: VisitError }> {
  if (o.name === '') {
    const meta = isPlainObject(o.object.metadata) ? o.object.metadata : {};
    if (typeof meta.generateName === 'string' && meta.generateName !== '')
      return {
        error: { kind: 'text', text: `from ${meta.generateName}: cannot use generate name with apply` },
      };
  }
  const modified = modifiedConfiguration(o.object, true);
  const got = yield* call<KubeObject>(inv, {
    verb: 'get',
    resource: o.info.resource,
    name: o.name,
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
  });
  if (!got.ok && !(got.failure.kind === 'status' && got.failure.status.reason === 'NotFound')) {
    const verb = `retrieving current configuration of:\n${infoString(o)}\nfrom server for:`;
    return { error: withSource(got.failure, verb, o.source, { method: 'Get', url: objectUrl(o) }) };
  }
  if (!got.ok) {
    // Not there: created, with the annotation, and no three-way merge.
    let object: Obj = withApplyAnnotation(o.object);
    if (p.strategy !== 'client') {
      const created = yield* call<KubeObject>(inv, {
        verb: 'create',
        resource: o.info.resource,
        ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
        body: object as unknown as KubeObject,
        ...(p.strategy === 'server' ? { dryRun: true } : {}),
      });
      if (!created.ok)
        return {
          error: withSource(created.failure, 'creating', o.source, {
            method: 'Post',
            url: `${objectUrl(o, false)}?fieldManager=kubectl-client-side-apply&fieldValidation=Strict`,
          }),
        };
      object = created.body as unknown as Obj;
    }
    if (printsObjects(p.output)) return { object };
    return { object, ...errorField(printName(inv, p, o, 'created')) };
  }
  const live = got.body as unknown as Obj;
  if (p.strategy === 'client') {
    if (printsObjects(p.output)) return { object: live };
    return { object: live, ...errorField(printName(inv, p, o, 'configured')) };
  }
  const liveMeta = isPlainObject(live.metadata) ? live.metadata : {};
  const liveAnnotations = isPlainObject(liveMeta.annotations) ? liveMeta.annotations : {};
  if (!(LAST_APPLIED in liveAnnotations))
    inv.err(
      `Warning: resource ${o.info.resource}/${o.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`,
    );
  const patch = createThreeWayMergePatch(
    originalConfiguration(live) ?? {},
    JSON.parse(modified) as Obj,
    live,
    schemaForKind(o.info.kind),
  );
  let object = live;
  const unchanged = Object.keys(patch).length === 0;
  if (!unchanged) {
    const patched = yield* call<KubeObject>(inv, {
      verb: 'patch',
      resource: o.info.resource,
      name: o.name,
      ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
      patch,
      patchType: 'strategic',
      ...(p.strategy === 'server' ? { dryRun: true } : {}),
    });
    if (!patched.ok) {
      const inner = withSource(patched.failure, 'patching', o.source, {
        method: 'Patch',
        url: `${objectUrl(o)}?fieldManager=kubectl-client-side-apply&fieldValidation=Strict`,
      });
      const verb = `applying patch:\n${goJsonCompact(patch)}\nto:\n${infoString(o)}\nfor:`;
      const error =
        inner.kind === 'status'
          ? withSource(inner, verb, o.source, { method: '', url: '' })
          : ({
              kind: 'text',
              text: `error when ${verb} ${JSON.stringify(o.source)}: ${inner.kind === 'text' ? inner.text : ''}`,
            } as const);
      return { error };
    }
    object = patched.body as unknown as Obj;
  }
  if (printsObjects(p.output)) return { object };
  return { object, ...errorField(printName(inv, p, o, unchanged ? 'unchanged' : 'configured')) };
}

function errorField(error: VisitError | undefined): { error?: VisitError } {
  return error ? { error } : {};
}

/** printObjects: one object as itself, several as a List (kind, apiVersion, metadata, items in -o json). */
function printObjects(inv: Invocation, output: string, objects: readonly Obj[]): VisitError | undefined {
  const formatError = outputFormatError(output, PRINT_FLAGS_FORMATS, flagString(inv.flags, 'template') ?? '');
  if (formatError) return { kind: 'text', text: formatError };
  if (objects.length === 0) return undefined;
  if (objects.length === 1) {
    inv.out(output === 'json' ? `${toGoJson(objects[0])}\n` : toYaml(objects[0]));
    return undefined;
  }
  if (output === 'json') {
    // A typed v1.List: its own fields in struct order, the items (unstructured) with sorted keys.
    const items = objects.map((o) => `        ${toGoJson(o).replaceAll('\n', '\n        ')}`).join(',\n');
    inv.out(
      `{\n    "kind": "List",\n    "apiVersion": "v1",\n    "metadata": {},\n    "items": [\n${items}\n    ]\n}\n`,
    );
  } else inv.out(toYaml({ apiVersion: 'v1', items: objects, kind: 'List', metadata: {} }));
  return undefined;
}

function* run(inv: Invocation): Task<number> {
  if (inv.args.length > 0) return usageError(inv, `Unexpected args: [${inv.args.join(' ')}]`);
  const refused = refuseUnsupported(inv, [
    'server-side',
    'prune',
    'prune-allowlist',
    'kustomize',
    'force-conflicts',
    'subresource',
    'force',
  ]);
  if (refused !== undefined) return refused;
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return errorExit(inv, strategy.error);
  if (flagList(inv.flags, 'filename').length === 0) return errorExit(inv, 'must specify one of -f and -k');
  const validation = validationDirective(inv);
  if (typeof validation === 'object') return errorExit(inv, validation.error);
  const output = flagString(inv.flags, 'output') ?? '';
  const read = yield* readManifests(inv, { validate: validation !== 'ignore' });
  if (!read.ok) return reportVisitErrors(inv.err, read.errors);
  // The builder's errors (namespace mismatches, then what reading met) come first, as one.
  const builderErrors: VisitError[] = [
    ...read.entries.filter((e) => !isObject(e)).map((e) => e as VisitError),
    ...read.readErrors,
  ];
  const errors: VisitError[] =
    builderErrors.length === 0
      ? []
      : [builderErrors.length === 1 ? builderErrors[0]! : aggregate(builderErrors)];
  const objects = read.entries.filter(isObject);
  if (objects.length === 0 && errors.length === 0) return errorExit(inv, 'no objects passed to apply');
  const printing: Printing = { output, strategy };
  const results: Obj[] = [];
  for (const o of objects) {
    const r = yield* applyOne(inv, o, printing);
    if (r.error) errors.push(r.error);
    if (r.object) results.push(r.object);
  }
  if (errors.length > 0) return reportVisitErrors(inv.err, errors);
  if (printsObjects(output)) {
    const e = printObjects(inv, output, results);
    if (e) return reportVisitErrors(inv.err, [e]);
  }
  return 0;
}

// ---- apply view-last-applied ----

function* runViewLastApplied(inv: Invocation): Task<number> {
  const output = flagString(inv.flags, 'output') ?? 'yaml';
  if (output !== 'yaml' && output !== 'json')
    return errorExit(inv, `Unexpected -o output mode: ${output}, the flag 'output' must be one of yaml|json`);
  const all = inv.flags.values.get('all') === true;
  const built = yield* buildInfos(inv, inv.args, {
    requireObject: true,
    ...(all ? { all: true } : {}),
    selector: flagString(inv.flags, 'selector') ?? '',
  });
  if (!built.ok) return built.code;
  if (built.errors.length > 0) {
    inv.err(failureMessage(built.errors[0]!));
    return 1;
  }
  for (const target of built.infos) {
    const annotations = (target.object?.metadata.annotations ?? {}) as Record<string, string>;
    const text = annotations[LAST_APPLIED];
    if (text === undefined) continue;
    const value: unknown = JSON.parse(text);
    inv.out(output === 'json' ? `${JSON.stringify(value, null, 2)}\n` : toYaml(value));
  }
  return 0;
}

const viewLastAppliedCommand: CommandSpec = {
  name: 'view-last-applied',
  short: 'View the latest last-applied-configuration annotations of a resource/object',
  flags: [
    {
      name: 'all',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Select all resources in the namespace of the specified resource types',
    },
    {
      ...FILENAME_FLAG(''),
      usage: 'Filename, directory, or URL to files that contains the last-applied-configuration annotations',
    },
    {
      ...KUSTOMIZE_FLAG,
      usage: "Process the kustomization directory. This flag can't be used together with -f or -R.",
    },
    {
      name: 'output',
      short: 'o',
      type: 'string',
      defaultValue: 'yaml',
      usage: 'Output format. Must be one of (yaml, json)',
    },
    RECURSIVE_FLAG,
    SELECTOR_FLAG,
  ],
  help: {
    long:
      'View the latest last-applied-configuration annotations by type/name or file.\n\n' +
      ' The default output will be printed to stdout in YAML format. You can use the -o option to change the output format.',
    examples: [
      '  # View the last-applied-configuration annotations by type/name in YAML',
      '  kubectl apply view-last-applied deployment/nginx',
      '  ',
      '  # View the last-applied-configuration annotations by file in JSON',
      '  kubectl apply view-last-applied -f deploy.yaml -o json',
    ].join('\n'),
    usage: 'kubectl apply view-last-applied (TYPE [NAME | -l label] | TYPE/NAME | -f FILENAME) [options]',
  },
  run: runViewLastApplied,
};

const APPLY_FLAGS: readonly FlagSpec[] = [
  {
    name: 'all',
    type: 'bool',
    defaultValue: 'false',
    usage: 'Select all resources in the namespace of the specified resource types.',
  },
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  CASCADE_FLAG,
  DRY_RUN_FLAG,
  {
    name: 'field-manager',
    type: 'string',
    defaultValue: 'kubectl-client-side-apply',
    usage: 'Name of the manager used to track field ownership.',
  },
  { ...FILENAME_FLAG(''), usage: 'The files that contain the configurations to apply.' },
  FORCE_FLAG,
  {
    name: 'force-conflicts',
    type: 'bool',
    defaultValue: 'false',
    usage: 'If true, server-side apply will force the changes against conflicts.',
  },
  GRACE_PERIOD_FLAG,
  {
    ...KUSTOMIZE_FLAG,
    usage: "Process a kustomization directory. This flag can't be used together with -f or -R.",
  },
  {
    name: 'openapi-patch',
    type: 'bool',
    defaultValue: 'true',
    usage:
      'If true, use openapi to calculate diff when the openapi presents and the resource can be found in the openapi spec. Otherwise, fall back to use baked-in types.',
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
    defaultValue: 'true',
    usage:
      'Automatically resolve conflicts between the modified and live configuration by using values from the modified configuration',
  },
  {
    name: 'prune',
    type: 'bool',
    defaultValue: 'false',
    usage:
      'Automatically delete resource objects, that do not appear in the configs and are created by either apply or create --save-config. Should be used with either -l or --all.',
  },
  {
    name: 'prune-allowlist',
    type: 'stringArray',
    usage: 'Overwrite the default allowlist with <group/version/kind> for --prune',
  },
  RECURSIVE_FLAG,
  SELECTOR_FLAG,
  {
    name: 'server-side',
    type: 'bool',
    defaultValue: 'false',
    usage: 'If true, apply runs in the server instead of the client.',
  },
  SHOW_MANAGED_FIELDS_FLAG,
  {
    name: 'subresource',
    type: 'string',
    defaultValue: '',
    usage:
      'If specified, apply will operate on the subresource of the requested object.  Only allowed when using --server-side. This flag is beta and may change in the future.',
  },
  TEMPLATE_FLAG,
  DELETE_TIMEOUT_FLAG,
  VALIDATE_FLAG,
  waitFlag('false'),
];

export const applyCommand: CommandSpec = {
  name: 'apply',
  short: 'Apply a configuration to a resource by file name or stdin',
  subcommands: [
    {
      name: 'edit-last-applied',
      short: 'Edit latest last-applied-configuration annotations of a resource/object',
      lenientFlags: true,
      run: notImplemented('kubectl apply edit-last-applied'),
    },
    {
      name: 'set-last-applied',
      short: 'Set the last-applied-configuration annotation on a live object to match the contents of a file',
      lenientFlags: true,
      run: notImplemented('kubectl apply set-last-applied'),
    },
    viewLastAppliedCommand,
  ],
  flags: APPLY_FLAGS,
  help: {
    long:
      "Apply a configuration to a resource by file name or stdin. The resource name must be specified. This resource will be created if it doesn't exist yet. To use 'apply', always create the resource initially with either 'apply' or 'create --save-config'.\n\n" +
      ' JSON and YAML formats are accepted.\n\n' +
      ' Alpha Disclaimer: the --prune functionality is not yet complete. Do not use unless you are aware of what the current state is. See https://issues.k8s.io/34274.',
    examples: [
      '  # Apply the configuration in pod.json to a pod',
      '  kubectl apply -f ./pod.json',
      '  ',
      '  # Apply resources from a directory containing kustomization.yaml - e.g. dir/kustomization.yaml',
      '  kubectl apply -k dir/',
      '  ',
      '  # Apply the JSON passed into stdin to a pod',
      '  cat pod.json | kubectl apply -f -',
      '  ',
      "  # Apply the configuration from all files that end with '.json'",
      "  kubectl apply -f '*.json'",
      '  ',
      '  # Note: --prune is still in Alpha',
      '  # Apply the configuration in manifest.yaml that matches label app=nginx and delete all other resources that are not in the file and match label app=nginx',
      '  kubectl apply --prune -f manifest.yaml -l app=nginx',
      '  ',
      '  # Apply the configuration in manifest.yaml and delete all the other config maps that are not in the file',
      '  kubectl apply --prune -f manifest.yaml --all --prune-allowlist=core/v1/ConfigMap',
    ].join('\n'),
    usage: 'kubectl apply (-f FILENAME | -k DIRECTORY) [options]',
  },
  run,
};
