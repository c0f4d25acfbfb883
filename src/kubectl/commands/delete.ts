import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import { parseDurationMs } from '../../sim/kernel/time';
import { type BuilderResult, buildInfos, type Info } from '../cli/builder';
import type { CommandSpec } from '../cli/command';
import {
  ALL_NAMESPACES_FLAG,
  DRY_RUN_FLAG,
  errorExit,
  FIELD_SELECTOR_FLAG,
  FILENAME_FLAG,
  KUSTOMIZE_FLAG,
  RECURSIVE_FLAG,
  refuseUnsupported,
  SELECTOR_FLAG,
} from '../cli/common';
import { kindPrefix, sleep } from '../cli/discovery';
import { dryRunStrategy } from '../cli/dryRun';
import type { ApiFailure } from '../cli/errors';
import { readFilenameObjects } from '../cli/filenameObjects';
import { call, type Invocation, requestUrl } from '../cli/invocation';
import { isObject, type ManifestEntry } from '../cli/manifests';
import { reportVisitErrors, type VisitError, withSource } from '../cli/visitErrors';
import { type FlagSpec, flagBool, flagInt, flagList, flagString } from '../flags';
import { reportErrors } from './get';

/**
 * `kubectl delete TYPE NAME... | TYPE -l SELECTOR | TYPE --all`: one DELETE per object (with the
 * grace period and cascading policy as DeleteOptions), `pod "x" deleted` for each, then — unless
 * --wait=false — waiting until every deleted object is gone. Pods on a node leave only once the
 * kubelet has stopped them, so the wait is what makes `kubectl delete pod` take a while.
 */

/** How often the wait for deletion looks again (a real kubectl watches; this polls the API). */
export const DELETE_POLL_MS = 250;
/** With --timeout=0, the wait gives up after a week, as kubectl's does. */
const DEFAULT_WAIT_MS = 168 * 3600 * 1000;

export const CASCADE_FLAG: FlagSpec = {
  name: 'cascade',
  type: 'string',
  defaultValue: 'background',
  noOptDefault: 'background',
  usage:
    'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.',
};
export const FORCE_FLAG: FlagSpec = {
  name: 'force',
  type: 'bool',
  defaultValue: 'false',
  usage:
    'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.',
};
export const GRACE_PERIOD_FLAG: FlagSpec = {
  name: 'grace-period',
  type: 'int',
  defaultValue: '-1',
  usage:
    'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).',
};
export const DELETE_TIMEOUT_FLAG: FlagSpec = {
  name: 'timeout',
  type: 'string',
  defaultValue: '0s',
  shownDefault: '0s',
  usage:
    'The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object',
};
export const waitFlag = (defaultValue: 'true' | 'false'): FlagSpec => ({
  name: 'wait',
  type: 'bool',
  defaultValue,
  usage: 'If true, wait for resources to be gone before returning. This waits for finalizers.',
});

/** cmdutil.GetCascadingStrategy, with its deprecation warnings for boolean values. */
function cascadingStrategy(inv: Invocation): string | { error: string } {
  const value = flagString(inv.flags, 'cascade') ?? 'background';
  switch (value) {
    case 'true':
    case 'false': {
      const to = value === 'true' ? 'background' : 'orphan';
      inv.err(
        `warning: --cascade=${value} is deprecated (boolean value) and can be replaced with --cascade=${to}.\n`,
      );
      return value === 'true' ? 'Background' : 'Orphan';
    }
    case 'background':
      return 'Background';
    case 'orphan':
      return 'Orphan';
    case 'foreground':
      return 'Foreground';
    default:
      return { error: `invalid cascade value (${value}). Must be "background", "foreground", or "orphan"` };
  }
}

function* run(inv: Invocation): Task<number> {
  // --timeout is a Go duration flag: pflag rejects a bad value before the command runs.
  const timeoutText = flagString(inv.flags, 'timeout') ?? '0s';
  const timeoutMs = parseDurationMs(timeoutText);
  if (timeoutMs === undefined) {
    inv.err(
      `Error: invalid argument "${timeoutText}" for "--timeout" flag: time: invalid duration "${timeoutText}"\nSee '${inv.path} --help' for usage.\n`,
    );
    return 1;
  }

  const refused = refuseUnsupported(inv, ['kustomize', 'raw', 'interactive']);
  if (refused !== undefined) return refused;
  // The cascading policy (background by default) is left to the garbage collector's default.
  const cascade = cascadingStrategy(inv);
  if (typeof cascade === 'object') return errorExit(inv, cascade.error);
  const all = flagBool(inv.flags, 'all');
  const selector = flagString(inv.flags, 'selector') ?? '';
  const fieldSelector = flagString(inv.flags, 'field-selector') ?? '';
  const force = flagBool(inv.flags, 'force');
  let ignoreNotFound = flagBool(inv.flags, 'ignore-not-found');
  if ((all || selector !== '' || fieldSelector !== '') && !inv.flags.changed?.has('ignore-not-found'))
    ignoreNotFound = true;
  let grace = flagInt(inv.flags, 'grace-period') ?? -1;
  if (flagBool(inv.flags, 'now')) {
    if (grace !== -1) return errorExit(inv, '--now and --grace-period cannot be specified together');
    grace = 1;
  }
  if (grace === 0 && !force) grace = 1;
  if (force && grace < 0) grace = 0;
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return errorExit(inv, strategy.error);
  const allNamespaces = flagBool(inv.flags, 'all-namespaces');
  const fromFiles = flagList(inv.flags, 'filename').length > 0;
  // With -f, the objects come from the manifests: errors of the calls carry their file, and what
  // reading met is reported after them.
  let built: BuilderResult;
  let fileErrors: { entries: readonly ManifestEntry[]; readErrors: readonly VisitError[] } | undefined;
  if (fromFiles) {
    const files = yield* readFilenameObjects(inv);
    if (!files.ok) return files.code;
    const read = files.read;
    fileErrors = read;
    built = {
      ok: true,
      infos: read.entries.filter(isObject).map((o) => ({
        info: o.info,
        name: o.name,
        ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
        source: o.source,
      })),
      errors: [],
    };
  } else
    built = yield* buildInfos(inv, inv.args, {
      selector,
      fieldSelector,
      all,
      allNamespaces,
      requireObject: false,
    });
  if (!built.ok) return built.code;

  // Validate
  const output = flagString(inv.flags, 'output') ?? '';
  if (output !== '' && output !== 'name')
    return errorExit(inv, `unexpected -o output mode: ${output}. We only support '-o name'`);
  if (all && fieldSelector !== '')
    return errorExit(inv, 'cannot set --all and --field-selector at the same time');
  if (grace === 0 && force)
    inv.err(
      'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
    );
  else if (grace > 0 && force)
    return errorExit(inv, '--force and --grace-period greater than 0 cannot be specified together');

  const errors: ApiFailure[] = [...built.errors].filter(
    (f) => !(ignoreNotFound && f.kind === 'status' && f.status.reason === 'NotFound'),
  );
  // With -f: the errors in visiting order (a namespace that does not match -n, failed deletes).
  const visitErrors: VisitError[] = [];
  const deleted: { target: Info; uid: string | undefined }[] = [];
  let warnClusterScope = inv.explicitNamespace && !allNamespaces;
  let found = 0;
  const targets: (Info & { source?: string })[] = [...built.infos];
  let nextTarget = 0;
  for (const entry of fileErrors?.entries ?? built.infos) {
    if (fileErrors && !isObject(entry as ManifestEntry)) {
      visitErrors.push(entry as VisitError);
      continue;
    }
    const target = targets[nextTarget++]!;
    found++;
    if (warnClusterScope && !target.info.namespaced) {
      inv.err('Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n');
      warnClusterScope = false;
    }
    if (strategy === 'client') {
      printDeleted(inv, target, grace, ' (dry run)', output);
      continue;
    }
    const r = yield* call<KubeObject>(inv, {
      verb: 'delete',
      resource: target.info.resource,
      name: target.name,
      ...(target.namespace ? { namespace: target.namespace } : {}),
      ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}),
      ...(strategy === 'server' ? { dryRun: true } : {}),
    });
    if (!r.ok) {
      if (!(ignoreNotFound && r.failure.kind === 'status' && r.failure.status.reason === 'NotFound')) {
        if (target.source !== undefined)
          visitErrors.push(
            withSource(r.failure, 'deleting', target.source, {
              method: 'Delete',
              url: `${requestUrl({ verb: 'delete', resource: target.info.resource, name: target.name, ...(target.namespace ? { namespace: target.namespace } : {}) })}`,
            }),
          );
        else errors.push(r.failure);
      }
      continue;
    }
    printDeleted(inv, target, grace, strategy === 'server' ? ' (server dry run)' : '', output);
    deleted.push({ target, uid: (r.body as KubeObject | undefined)?.metadata?.uid });
  }
  if (fileErrors) {
    const all = [...visitErrors, ...fileErrors.readErrors];
    if (all.length > 0) return reportVisitErrors(inv.err, all);
  }
  if (errors.length > 0) return reportErrors(inv, errors);
  if (found === 0) {
    inv.out('No resources found\n');
    return 0;
  }
  if (!flagBool(inv.flags, 'wait') || strategy !== 'none') return 0;
  return yield* waitForDeletion(inv, deleted, timeoutMs === 0 ? DEFAULT_WAIT_MS : timeoutMs);
}

/** delete.go's PrintObj: `kind[.group] "name" deleted`, or `kind[.group]/name` with -o name. */
function printDeleted(inv: Invocation, target: Info, grace: number, suffix: string, output: string): void {
  const kind = kindPrefix(target.info);
  if (output === 'name') {
    inv.out(`${kind}/${target.name}\n`);
    return;
  }
  inv.out(`${kind} "${target.name}" ${grace === 0 ? 'force deleted' : 'deleted'}${suffix}\n`);
}

/**
 * wait.go's IsDeleted for every deleted object: done when a GET answers NotFound, or finds an
 * object of the same name with another uid (a new one). The API is polled on the simulated clock;
 * errors in between (the API server down for a moment) are waited out, as a watch would be.
 */
function* waitForDeletion(
  inv: Invocation,
  deleted: readonly { target: Info; uid: string | undefined }[],
  timeoutMs: number,
): Task<number> {
  const sim = inv.ctx.cluster.sim;
  const deadline = sim.nowMs + timeoutMs;
  for (const { target, uid } of deleted) {
    for (;;) {
      const r = yield* call<KubeObject>(inv, {
        verb: 'get',
        resource: target.info.resource,
        name: target.name,
        ...(target.namespace ? { namespace: target.namespace } : {}),
      });
      if (!r.ok && r.failure.kind === 'status' && r.failure.status.reason === 'NotFound') break;
      if (r.ok && uid !== undefined && r.body.metadata.uid !== uid) break;
      if (sim.nowMs >= deadline) {
        const group = target.info.group === '' ? '' : `.${target.info.group}`;
        return errorExit(
          inv,
          `timed out waiting for the condition on ${target.info.resource}${group}/${target.name}`,
        );
      }
      yield* sleep(inv, Math.min(DELETE_POLL_MS, Math.max(1, deadline - sim.nowMs)));
    }
  }
  return 0;
}

export const deleteCommand: CommandSpec = {
  name: 'delete',
  short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector',
  suggestFor: ['rm'],
  flags: [
    {
      name: 'all',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Delete all resources, in the namespace of the specified resource types.',
    },
    ALL_NAMESPACES_FLAG,
    CASCADE_FLAG,
    DRY_RUN_FLAG,
    FIELD_SELECTOR_FLAG,
    { ...FILENAME_FLAG(''), usage: 'containing the resource to delete.' },
    FORCE_FLAG,
    GRACE_PERIOD_FLAG,
    {
      name: 'ignore-not-found',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Treat "resource not found" as a successful delete. Defaults to "true" when --all is specified.',
    },
    {
      name: 'interactive',
      short: 'i',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, delete resource only when user confirms.',
    },
    {
      ...KUSTOMIZE_FLAG,
      usage: "Process a kustomization directory. This flag can't be used together with -f or -R.",
    },
    {
      name: 'now',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).',
    },
    {
      name: 'output',
      short: 'o',
      type: 'string',
      defaultValue: '',
      usage: 'Output mode. Use "-o name" for shorter output (resource/name).',
    },
    {
      name: 'raw',
      type: 'string',
      defaultValue: '',
      usage: 'Raw URI to DELETE to the server.  Uses the transport specified by the kubeconfig file.',
    },
    RECURSIVE_FLAG,
    SELECTOR_FLAG,
    DELETE_TIMEOUT_FLAG,
    waitFlag('true'),
  ],
  help: {
    long:
      'Delete resources by file names, stdin, resources and names, or by resources and label selector.\n\n' +
      ' JSON and YAML formats are accepted. Only one type of argument may be specified: file names, resources and names, or resources and label selector.\n\n' +
      ' Some resources, such as pods, support graceful deletion. These resources define a default period before they are forcibly terminated (the grace period) but you may override that value with the --grace-period flag, or pass --now to set a grace-period of 1. Because these resources often represent entities in the cluster, deletion may not be acknowledged immediately. If the node hosting a pod is down or cannot reach the API server, termination may take significantly longer than the grace period. To force delete a resource, you must specify the --force flag. Note: only a subset of resources support graceful deletion. In absence of the support, the --grace-period flag is ignored.\n\n' +
      " IMPORTANT: Force deleting pods does not wait for confirmation that the pod's processes have been terminated, which can leave those processes running until the node detects the deletion and completes graceful deletion. If your processes use shared storage or talk to a remote API and depend on the name of the pod to identify themselves, force deleting those pods may result in multiple processes running on different machines using the same identification which may lead to data corruption or inconsistency. Only force delete pods when you are sure the pod is terminated, or if your application can tolerate multiple copies of the same pod running at once. Also, if you force delete pods, the scheduler may place new pods on those nodes before the node has released those resources and causing those pods to be evicted immediately.\n\n" +
      ' Note that the delete command does NOT do resource version checks, so if someone submits an update to a resource right when you submit a delete, their update will be lost along with the rest of the resource.\n\n' +
      ' After a CustomResourceDefinition is deleted, invalidation of discovery cache may take up to 6 hours. If you don\'t want to wait, you might want to run "kubectl api-resources" to refresh the discovery cache.',
    examples: [
      '  # Delete a pod using the type and name specified in pod.json',
      '  kubectl delete -f ./pod.json',
      '  ',
      '  # Delete resources from a directory containing kustomization.yaml - e.g. dir/kustomization.yaml',
      '  kubectl delete -k dir',
      '  ',
      "  # Delete resources from all files that end with '.json'",
      "  kubectl delete -f '*.json'",
      '  ',
      '  # Delete a pod based on the type and name in the JSON passed into stdin',
      '  cat pod.json | kubectl delete -f -',
      '  ',
      '  # Delete pods and services with same names "baz" and "foo"',
      '  kubectl delete pod,service baz foo',
      '  ',
      '  # Delete pods and services with label name=myLabel',
      '  kubectl delete pods,services -l name=myLabel',
      '  ',
      '  # Delete a pod with minimal delay',
      '  kubectl delete pod foo --now',
      '  ',
      '  # Force delete a pod on a dead node',
      '  kubectl delete pod foo --force',
      '  ',
      '  # Delete all pods',
      '  kubectl delete pods --all',
      '  ',
      '  # Delete all pods only if the user confirms the deletion',
      '  kubectl delete pods --all --interactive',
    ].join('\n'),
    usage: 'kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]',
  },
  run,
};
