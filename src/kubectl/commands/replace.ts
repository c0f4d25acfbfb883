import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  DRY_RUN_FLAG,
  durationFlag,
  errorExit,
  FILENAME_FLAG,
  KUSTOMIZE_FLAG,
  OUTPUT_FLAG,
  outputFormatError,
  PRINT_FLAGS_FORMATS,
  RECURSIVE_FLAG,
  refuseUnsupported,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
} from '../cli/common';
import { kindPrefix, sleep } from '../cli/discovery';
import { dryRunStrategy } from '../cli/dryRun';
import { call, type Invocation } from '../cli/invocation';
import { withApplyAnnotation } from '../cli/lastApplied';
import {
  isObject,
  type ManifestObject,
  objectUrl,
  readManifests,
  validationDirective,
} from '../cli/manifests';
import { reportVisitErrors, type VisitError, withSource } from '../cli/visitErrors';
import { flagBool, flagInt, flagList, flagString } from '../flags';
import { toGoJson } from '../print/json';
import { toYaml } from '../print/yaml';
import { runFromFiles } from './createFromFiles';
import { SAVE_CONFIG_FLAG, VALIDATE_FLAG } from './createShared';
import { CASCADE_FLAG, DELETE_TIMEOUT_FLAG, FORCE_FLAG, GRACE_PERIOD_FLAG, waitFlag } from './delete';

/**
 * `kubectl replace -f FILE`: PUT each object over the live one (`deployment.apps/web replaced`).
 * With `--force`, delete every object, wait until each is gone (polling every second, five
 * minutes unless --timeout says otherwise), then create them again.
 */

function* run(inv: Invocation): Task<number> {
  const refused = refuseUnsupported(inv, ['kustomize', 'raw', 'subresource']);
  if (refused !== undefined) return refused;
  if (flagList(inv.flags, 'filename').length === 0) return errorExit(inv, 'must specify one of -f and -k');
  const force = flagBool(inv.flags, 'force');
  if ((flagInt(inv.flags, 'grace-period') ?? -1) >= 0 && !force)
    return errorExit(inv, '--grace-period must have --force specified');
  const timeoutMs = durationFlag(inv, 'timeout', '0s');
  if (timeoutMs === undefined) return 1;
  if (timeoutMs !== 0 && !force) return errorExit(inv, '--timeout must have --force specified');
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return errorExit(inv, strategy.error);
  if (force && strategy !== 'none') return errorExit(inv, '--dry-run can not be used when --force is set');
  if (force) return yield* forceReplace(inv, timeoutMs);
  return yield* runFromFiles(inv, 'replace');
}

/** replace --force: DeleteResult, a wait for every object to be gone, then a create of each. */
function* forceReplace(inv: Invocation, timeoutMs: number): Task<number> {
  const validation = validationDirective(inv);
  if (typeof validation === 'object') return errorExit(inv, validation.error);
  const read = yield* readManifests(inv, { validate: false });
  if (!read.ok) return reportVisitErrors(inv.err, read.errors);
  const grace = flagInt(inv.flags, 'grace-period') ?? -1;
  const errors: VisitError[] = [];
  const objects = read.entries.filter(isObject);
  for (const entry of read.entries) {
    if (!isObject(entry)) {
      errors.push(entry);
      continue;
    }
    const r = yield* call<KubeObject>(inv, {
      verb: 'delete',
      resource: entry.info.resource,
      name: entry.name,
      ...(entry.namespace !== undefined ? { namespace: entry.namespace } : {}),
      ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}),
    });
    if (!r.ok) {
      errors.push(
        withSource(r.failure, 'deleting', entry.source, { method: 'Delete', url: objectUrl(entry) }),
      );
      continue;
    }
    inv.out(`${kindPrefix(entry.info)} "${entry.name}" deleted\n`);
  }
  errors.push(...read.readErrors);
  if (errors.length > 0) return reportVisitErrors(inv.err, errors);
  const sim = inv.ctx.cluster.sim;
  const deadline = sim.nowMs + (timeoutMs === 0 ? 5 * 60_000 : timeoutMs);
  for (const o of objects) {
    for (;;) {
      const got = yield* call<KubeObject>(inv, {
        verb: 'get',
        resource: o.info.resource,
        name: o.name,
        ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
      });
      if (!got.ok && got.failure.kind === 'status' && got.failure.status.reason === 'NotFound') break;
      if (sim.nowMs >= deadline) return errorExit(inv, 'timed out waiting for the condition');
      yield* sleep(inv, Math.min(1000, Math.max(1, deadline - sim.nowMs)));
    }
  }
  // The files are read again, now with validation.
  const again = yield* readManifests(inv, { validate: validation !== 'ignore' });
  if (!again.ok) return reportVisitErrors(inv.err, again.errors);
  const output = flagString(inv.flags, 'output') ?? '';
  let count = 0;
  const createErrors: VisitError[] = [];
  for (const entry of again.entries) {
    if (!isObject(entry)) {
      createErrors.push(entry);
      continue;
    }
    const r = yield* createOne(inv, entry);
    if ('error' in r) {
      createErrors.push(r.error);
      continue;
    }
    count++;
    if (output !== '' && output !== 'name') {
      const e = outputFormatError(output, PRINT_FLAGS_FORMATS, flagString(inv.flags, 'template') ?? '');
      if (e) {
        createErrors.push({ kind: 'text', text: e });
        continue;
      }
    }
    const name = `${kindPrefix(entry.info)}/${entry.name}`;
    if (output === 'yaml') inv.out(`${count > 1 ? '---\n' : ''}${toYaml(r.object)}`);
    else if (output === 'json') inv.out(`${toGoJson(r.object)}\n`);
    else inv.out(output === 'name' ? `${name}\n` : `${name} replaced\n`);
  }
  createErrors.push(...again.readErrors);
  if (createErrors.length > 0) return reportVisitErrors(inv.err, createErrors);
  if (count === 0) return errorExit(inv, 'no objects passed to replace');
  return 0;
}

function* createOne(
  inv: Invocation,
  o: ManifestObject,
): Task<{ object: KubeObject } | { error: VisitError }> {
  const body = flagBool(inv.flags, 'save-config') ? withApplyAnnotation(o.object) : o.object;
  const r = yield* call<KubeObject>(inv, {
    verb: 'create',
    resource: o.info.resource,
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
    body: body as unknown as KubeObject,
  });
  if (!r.ok)
    return {
      error: withSource(r.failure, 'creating', o.source, { method: 'Post', url: objectUrl(o, false) }),
    };
  return { object: r.body };
}

export const replaceCommand: CommandSpec = {
  name: 'replace',
  short: 'Replace a resource by file name or stdin',
  flags: [
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    CASCADE_FLAG,
    DRY_RUN_FLAG,
    {
      name: 'field-manager',
      type: 'string',
      defaultValue: 'kubectl-replace',
      usage: 'Name of the manager used to track field ownership.',
    },
    { ...FILENAME_FLAG(''), usage: 'The files that contain the configurations to replace.' },
    FORCE_FLAG,
    GRACE_PERIOD_FLAG,
    {
      ...KUSTOMIZE_FLAG,
      usage: "Process a kustomization directory. This flag can't be used together with -f or -R.",
    },
    OUTPUT_FLAG,
    {
      name: 'raw',
      type: 'string',
      defaultValue: '',
      usage: 'Raw URI to PUT to the server.  Uses the transport specified by the kubeconfig file.',
    },
    RECURSIVE_FLAG,
    SAVE_CONFIG_FLAG,
    SHOW_MANAGED_FIELDS_FLAG,
    {
      name: 'subresource',
      type: 'string',
      defaultValue: '',
      usage:
        'If specified, replace will operate on the subresource of the requested object. This flag is beta and may change in the future.',
    },
    TEMPLATE_FLAG,
    DELETE_TIMEOUT_FLAG,
    VALIDATE_FLAG,
    waitFlag('false'),
  ],
  help: {
    long:
      'Replace a resource by file name or stdin.\n\n' +
      ' JSON and YAML formats are accepted. If replacing an existing resource, the complete resource spec must be provided. This can be obtained by\n\n' +
      '        $ kubectl get TYPE NAME -o yaml',
    examples: [
      '  # Replace a pod using the data in pod.json',
      '  kubectl replace -f ./pod.json',
      '  ',
      '  # Replace a pod based on the JSON passed into stdin',
      '  cat pod.json | kubectl replace -f -',
      '  ',
      "  # Update a single-container pod's image version (tag) to v4",
      "  kubectl get pod mypod -o yaml | sed 's/\\(image: myimage\\):.*$/\\1:v4/' | kubectl replace -f -",
      '  ',
      '  # Force replace, delete and then re-create the resource',
      '  kubectl replace --force -f ./pod.json',
    ].join('\n'),
    usage: 'kubectl replace -f FILENAME [options]',
  },
  run,
};
