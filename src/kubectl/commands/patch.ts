import type { KubeObject } from '../../sim/api/types';
import { applyJsonPatch, JsonPatchError } from '../../sim/apiserver/jsonPatch';
import { mergePatch } from '../../sim/apiserver/mergePatch';
import { PatchError, schemaForKind, strategicMergePatch } from '../../sim/apiserver/strategicMerge';
import type { Task } from '../../sim/kernel/task';
import { buildInfos, type Info } from '../cli/builder';
import type { CommandSpec } from '../cli/command';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  DRY_RUN_FLAG,
  errorExit,
  FILENAME_FLAG,
  fieldManagerFlag,
  KUSTOMIZE_FLAG,
  ObjectPrinter,
  OUTPUT_FLAG,
  RECURSIVE_FLAG,
  refuseUnsupported,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
} from '../cli/common';
import { kindPrefix } from '../cli/discovery';
import { dryRunStrategy } from '../cli/dryRun';
import { type ApiFailure, type CommandError, reportCommandErrors, textError } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import { scanJsonValue, yamlToJson } from '../cli/manifestDecode';
import { flagBool, flagString } from '../flags';
import { toGoJson } from '../print/json';

/**
 * `kubectl patch TYPE NAME -p PATCH`: the patch (JSON or YAML, from `-p` or `--patch-file`) is
 * sent as it is, of `--type` strategic (the default), merge or json; each object is read first
 * (the Builder's GET) so that an unchanged answer prints `patched (no change)`. With
 * `--dry-run=client` the patch is applied here, to the object read. `--subresource scale` works
 * on the autoscaling/v1 Scale of a Deployment or ReplicaSet; `--subresource status` is sent as a
 * patch of the object (this API server does not split status from spec on patches).
 */

type PatchType = 'strategic' | 'merge' | 'json';
const PATCH_TYPES: readonly PatchType[] = ['json', 'merge', 'strategic'];

/** The kinds with a scale subresource in this cluster. */
const SCALABLE = new Set(['deployments', 'replicasets']);

/** apimachinery's yaml.ToJSON: text starting with `{` is taken as JSON as it is; else YAML. */
export function patchToJson(
  text: string,
): { ok: true; value: unknown; invalidJson?: string } | { ok: false; error: string } {
  if (/^\s*\{/.test(text)) {
    // Sent as it is: the server's json.Unmarshal is what refuses it.
    const start = text.search(/\S/);
    const end = scanJsonValue(text, start);
    if (typeof end === 'string') return { ok: true, value: undefined, invalidJson: goUnmarshalError(end) };
    const rest = text.slice(end);
    if (/\S/.test(rest)) {
      const at = rest.search(/\S/);
      return {
        ok: true,
        value: undefined,
        invalidJson: `invalid character ${quoteGoChar(rest[at]!)} after top-level value`,
      };
    }
    return { ok: true, value: JSON.parse(text) };
  }
  let r = yamlToJson(text);
  // go-yaml's parser counts an unfinished last line as a line of its own at the end of the stream.
  if (!r.ok && r.error.includes('did not find') && !text.endsWith('\n')) r = yamlToJson(`${text}\n`);
  if (!r.ok) return { ok: false, error: `unable to parse ${JSON.stringify(text)}: ${r.error}` };
  return { ok: true, value: r.value };
}

/** json.Unmarshal's wording of a decoder error (no offset; a cut-off text is "unexpected end"). */
function goUnmarshalError(decoderError: string): string {
  if (decoderError === 'unexpected EOF') return 'unexpected end of JSON input';
  return decoderError.replace(/^json: offset \d+: /, '');
}

function quoteGoChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  return `'${JSON.stringify(c).slice(1, -1)}'`;
}

/** A Status the server would answer with. */
function statusFailure(message: string, reason: string, code: number): ApiFailure {
  return {
    kind: 'status',
    status: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code },
  };
}

/** The server's BadRequest for a patch body it cannot decode. */
const badRequest = (message: string): ApiFailure => statusFailure(message, 'BadRequest', 400);
/** What kube-apiserver answers for a JSON patch that does not apply. */
const unprocessable = (message: string): ApiFailure => statusFailure(message, 'Invalid', 422);

/** An autoscaling/v1 Scale for a Deployment or ReplicaSet, as the scale subresource answers. */
function scaleOf(obj: KubeObject): KubeObject {
  const o = obj as KubeObject & {
    spec?: { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
    status?: { replicas?: number };
  };
  const labels = o.spec?.selector?.matchLabels ?? {};
  const selector = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
      uid: o.metadata.uid!,
      resourceVersion: o.metadata.resourceVersion!,
      creationTimestamp: o.metadata.creationTimestamp!,
    },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: { replicas: o.status?.replicas ?? 0, ...(selector ? { selector } : {}) },
  } as KubeObject;
}

/** Applies a patch here, as kubectl's getPatchedJSON does for --dry-run=client (and the server). */
function applyLocally(obj: KubeObject, patch: unknown, type: PatchType): KubeObject {
  if (type === 'json') return applyJsonPatch(obj, patch) as KubeObject;
  if (type === 'merge') return mergePatch(obj, patch) as KubeObject;
  return strategicMergePatch(obj, patch, schemaForKind(obj.kind)) as KubeObject;
}

function* run(inv: Invocation): Task<number> {
  const refused = refuseUnsupported(inv, ['filename', 'kustomize', 'recursive']);
  if (refused !== undefined) return refused;
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return errorExit(inv, strategy.error);
  const printer = new ObjectPrinter(inv, flagString(inv.flags, 'output') ?? '');
  const printerError = printer.check();
  if (printerError) return errorExit(inv, printerError);

  // Validate
  let text = flagString(inv.flags, 'patch') ?? '';
  const patchFile = flagString(inv.flags, 'patch-file') ?? '';
  if (text !== '' && patchFile !== '')
    return errorExit(inv, 'cannot specify --patch and --patch-file together');
  if (text === '' && patchFile === '')
    return errorExit(inv, 'must specify --patch or --patch-file containing the contents of the patch');
  const local = flagBool(inv.flags, 'local');
  if (local && inv.args.length > 0) return errorExit(inv, 'cannot specify --local and server resources');
  if (local && strategy === 'server')
    return errorExit(inv, 'cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
  const typeFlag = flagString(inv.flags, 'type') ?? 'strategic';
  const type = typeFlag.toLowerCase() as PatchType;
  if (typeFlag !== '' && !PATCH_TYPES.includes(type))
    return errorExit(
      inv,
      `--type must be one of [${PATCH_TYPES.join(' ')}], not ${JSON.stringify(typeFlag)}`,
    );
  if (local) return errorExit(inv, '--local is not supported by this simulated kubectl yet');

  // RunPatch
  if (patchFile !== '') {
    const r = inv.ctx.session.files.readFile(patchFile);
    if (!r.ok)
      return errorExit(inv, `unable to read patch file: open ${patchFile}: no such file or directory`);
    text = r.value;
  }
  const parsed = patchToJson(text);
  if (!parsed.ok) return errorExit(inv, parsed.error);
  const subresource = flagString(inv.flags, 'subresource') ?? '';

  const built = yield* buildInfos(inv, inv.args, { requireObject: false });
  if (!built.ok) return built.code;
  const errors: CommandError[] = [...built.errors];
  let count = 0;
  for (const target of built.infos) {
    count++;
    const r = yield* patchOne(inv, target, parsed, type, subresource, strategy);
    if ('error' in r) {
      errors.push(r.error);
      continue;
    }
    const operation = r.changed ? 'patched' : 'patched (no change)';
    const name =
      r.object.kind === 'Scale'
        ? `scale.autoscaling/${target.name}`
        : `${kindPrefix(target.info)}/${target.name}`;
    // patch's printer has no dry-run suffix (it does not use PrintFlagsWithDryRunStrategy).
    printer.print(r.object, name, operation);
  }
  if (count === 0 && errors.length === 0) return errorExit(inv, 'no objects passed to patch');
  return reportCommandErrors(inv.err, errors);
}

type PatchOutcome =
  | { readonly object: KubeObject; readonly changed: boolean }
  | { readonly error: CommandError };

function* patchOne(
  inv: Invocation,
  target: Info,
  parsed: { value: unknown; invalidJson?: string },
  type: PatchType,
  subresource: string,
  strategy: 'none' | 'client' | 'server',
): Task<PatchOutcome> {
  const ns = target.namespace ? { namespace: target.namespace } : {};
  const at = { resource: target.info.resource, name: target.name, ...ns };
  const notFound = statusFailure('the server could not find the requested resource', 'NotFound', 404);
  const scale = subresource === 'scale';
  if (
    (scale && !SCALABLE.has(target.info.resource)) ||
    (subresource !== '' && !['scale', 'status'].includes(subresource))
  )
    return { error: notFound };
  // The Builder's GET of the object (or of its subresource).
  const got = yield* call<KubeObject>(inv, { verb: 'get', ...at });
  if (!got.ok) return { error: got.failure };
  const before = scale ? scaleOf(got.body) : got.body;
  if (parsed.invalidJson !== undefined)
    return { error: badRequest(type === 'merge' ? 'Invalid JSON Patch' : parsed.invalidJson) };

  if (strategy === 'client' || scale) {
    let after: KubeObject;
    try {
      after = applyLocally(before, parsed.value, type);
    } catch (e) {
      if (!(e instanceof PatchError || e instanceof JsonPatchError)) throw e;
      if (strategy === 'client') return { error: textError(e.message) };
      return {
        error: e instanceof JsonPatchError ? unprocessable(e.message) : badRequest(e.message),
      };
    }
    if (strategy === 'client')
      return { object: after, changed: toGoJson(before, '') !== toGoJson(after, '') };
    // The scale subresource: only spec.replicas reaches the object.
    const replicas = (after as { spec?: { replicas?: unknown } }).spec?.replicas;
    const r = yield* call<KubeObject>(inv, {
      verb: 'patch',
      ...at,
      patch: { spec: { replicas } },
      ...(strategy === 'server' ? { dryRun: true } : {}),
    });
    if (!r.ok) return { error: r.failure };
    const result = scaleOf(r.body);
    return { object: result, changed: toGoJson(before, '') !== toGoJson(result, '') };
  }
  const r = yield* call<KubeObject>(inv, {
    verb: 'patch',
    ...at,
    patch: parsed.value,
    patchType: type,
    ...(strategy === 'server' ? { dryRun: true } : {}),
  });
  if (!r.ok) return { error: r.failure };
  return { object: r.body, changed: toGoJson(before, '') !== toGoJson(r.body, '') };
}

export const patchCommand: CommandSpec = {
  name: 'patch',
  short: 'Update fields of a resource',
  flags: [
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    DRY_RUN_FLAG,
    fieldManagerFlag('kubectl-patch'),
    FILENAME_FLAG('identifying the resource to update'),
    KUSTOMIZE_FLAG,
    {
      name: 'local',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, patch will operate on the content of the file, not the server-side resource.',
    },
    OUTPUT_FLAG,
    {
      name: 'patch',
      short: 'p',
      type: 'string',
      defaultValue: '',
      usage: 'The patch to be applied to the resource JSON file.',
    },
    {
      name: 'patch-file',
      type: 'string',
      defaultValue: '',
      usage: 'A file containing a patch to be applied to the resource.',
    },
    RECURSIVE_FLAG,
    SHOW_MANAGED_FIELDS_FLAG,
    {
      name: 'subresource',
      type: 'string',
      defaultValue: '',
      usage:
        'If specified, patch will operate on the subresource of the requested object. This flag is beta and may change in the future.',
    },
    TEMPLATE_FLAG,
    {
      name: 'type',
      type: 'string',
      defaultValue: 'strategic',
      usage: 'The type of patch being provided; one of [json merge strategic]',
    },
  ],
  help: {
    long:
      'Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.\n\n' +
      ' JSON and YAML formats are accepted.\n\n' +
      ' Note: Strategic merge patch is not supported for custom resources.',
    examples: [
      '  # Partially update a node using a strategic merge patch, specifying the patch as JSON',
      `  kubectl patch node k8s-node-1 -p '{"spec":{"unschedulable":true}}'`,
      '  ',
      '  # Partially update a node using a strategic merge patch, specifying the patch as YAML',
      `  kubectl patch node k8s-node-1 -p $'spec:\\n unschedulable: true'`,
      '  ',
      '  # Partially update a node identified by the type and name specified in "node.json" using strategic merge patch',
      `  kubectl patch -f node.json -p '{"spec":{"unschedulable":true}}'`,
      '  ',
      "  # Update a container's image; spec.containers[*].name is required because it's a merge key",
      `  kubectl patch pod valid-pod -p '{"spec":{"containers":[{"name":"kubernetes-serve-hostname","image":"new image"}]}}'`,
      '  ',
      "  # Update a container's image using a JSON patch with positional arrays",
      `  kubectl patch pod valid-pod --type='json' -p='[{"op": "replace", "path": "/spec/containers/0/image", "value":"new image"}]'`,
      '  ',
      "  # Update a deployment's replicas through the 'scale' subresource using a merge patch",
      `  kubectl patch deployment nginx-deployment --subresource='scale' --type='merge' -p '{"spec":{"replicas":2}}'`,
    ].join('\n'),
    usage: 'kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]',
  },
  run,
};
