import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import { parseDurationMs } from '../../sim/kernel/time';
import { buildInfos } from '../cli/builder';
import type { CommandSpec } from '../cli/command';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  DRY_RUN_FLAG,
  errorExit,
  FILENAME_FLAG,
  KUSTOMIZE_FLAG,
  outputFormatError,
  RECURSIVE_FLAG,
  refuseUnsupported,
  SELECTOR_FLAG,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
} from '../cli/common';
import { kindPrefix, sleep } from '../cli/discovery';
import { dryRunStrategy, dryRunSuffix } from '../cli/dryRun';
import { type ApiFailure, failureMessage, transportErrorText } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import { flagBool, flagInt, flagString } from '../flags';
import { toGoJson } from '../print/json';
import { toYaml } from '../print/yaml';
import { reportErrors } from './get';

/**
 * `kubectl scale TYPE NAME --replicas=N`: fetches each object, then sets its replicas as the
 * scale subresource would (a merge patch of spec.replicas; with --current-replicas or
 * --resource-version, a read-check-update instead), and prints `deployment.apps/web scaled`.
 */

/** The kinds with a scale subresource in this cluster. */
const SCALABLE = new Set(['deployments', 'replicasets']);

interface ScalableObject extends KubeObject {
  readonly spec?: { readonly replicas?: number };
  readonly status?: { readonly replicas?: number; readonly observedGeneration?: number };
}

function* run(inv: Invocation): Task<number> {
  const timeoutText = flagString(inv.flags, 'timeout') ?? '0s';
  const timeoutMs = parseDurationMs(timeoutText);
  if (timeoutMs === undefined) {
    inv.err(
      `Error: invalid argument "${timeoutText}" for "--timeout" flag: time: invalid duration "${timeoutText}"\nSee '${inv.path} --help' for usage.\n`,
    );
    return 1;
  }
  const refused = refuseUnsupported(inv, ['filename', 'kustomize']);
  if (refused !== undefined) return refused;
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return errorExit(inv, strategy.error);
  const output = flagString(inv.flags, 'output') ?? '';
  if (output !== '') {
    const formatError = outputFormatError(output, [
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
    ]);
    if (formatError) return errorExit(inv, formatError);
  }
  // Validate
  const replicas = flagInt(inv.flags, 'replicas') ?? 0;
  if (replicas < 0)
    return errorExit(
      inv,
      'The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0',
    );
  const currentReplicas = flagInt(inv.flags, 'current-replicas') ?? -1;
  if (currentReplicas < -1)
    return errorExit(inv, 'The --current-replicas must specify an integer of -1 or greater');

  const built = yield* buildInfos(inv, inv.args, {
    selector: flagString(inv.flags, 'selector') ?? '',
    all: flagBool(inv.flags, 'all'),
    requireObject: true,
  });
  if (!built.ok) return built.code;

  // The objects that could be read are scaled; read errors are reported at the end.
  const infos = built.infos;
  const resourceVersion = flagString(inv.flags, 'resource-version') ?? '';
  if (resourceVersion !== '' && infos.length > 1)
    return errorExit(inv, 'cannot use --resource-version with multiple resources');
  if (infos.length === 0) {
    const errs = built.errors.map(errorText);
    const why = errs.length === 0 ? '' : errs.length === 1 ? ` ${errs[0]}` : ` [${errs.join(', ')}]`;
    return errorExit(inv, `no objects passed to scale${why}`);
  }
  const precondition = currentReplicas !== -1 || resourceVersion !== '';

  for (const target of infos) {
    const ns = target.namespace ? { namespace: target.namespace } : {};
    if (strategy !== 'client') {
      if (!SCALABLE.has(target.info.resource)) {
        // The PATCH of TYPE/NAME/scale finds no such subresource: a bare 404 from the server.
        inv.err('Error from server (NotFound): the server could not find the requested resource\n');
        return 1;
      }
      const dryRun = strategy === 'server' ? { dryRun: true } : {};
      if (precondition) {
        const got = yield* call<ScalableObject>(inv, {
          verb: 'get',
          resource: target.info.resource,
          name: target.name,
          ...ns,
        });
        if (!got.ok) {
          inv.err(failureMessage(got.failure));
          return 1;
        }
        const current = got.body;
        const size = current.spec?.replicas ?? 1;
        if (currentReplicas !== -1 && size !== currentReplicas)
          return errorExit(inv, `Expected replicas to be ${currentReplicas}, was ${size}`);
        const rv = current.metadata.resourceVersion ?? '';
        if (resourceVersion !== '' && rv !== resourceVersion)
          return errorExit(inv, `Expected resource version to be ${resourceVersion}, was ${rv}`);
        const updated = yield* call<KubeObject>(inv, {
          verb: 'update',
          resource: target.info.resource,
          name: target.name,
          ...ns,
          body: { ...current, spec: { ...current.spec, replicas } } as KubeObject,
          ...dryRun,
        });
        if (!updated.ok) {
          inv.err(failureMessage(updated.failure));
          return 1;
        }
      } else {
        const patched = yield* call<KubeObject>(inv, {
          verb: 'patch',
          resource: target.info.resource,
          name: target.name,
          ...ns,
          patch: { spec: { replicas } },
          ...dryRun,
        });
        if (!patched.ok) {
          inv.err(failureMessage(patched.failure));
          return 1;
        }
      }
      if (timeoutMs > 0) {
        const waited = yield* waitForReplicas(
          inv,
          target.info.resource,
          target.name,
          target.namespace,
          replicas,
          timeoutMs,
        );
        if (waited !== 0) return waited;
      }
    }
    // The object as it was fetched before scaling, as kubectl prints it.
    const obj = target.object!;
    if (output === 'yaml') inv.out(toYaml(obj));
    else if (output === 'json') inv.out(`${toGoJson(obj)}\n`);
    else if (output === 'name') inv.out(`${kindPrefix(target.info)}/${target.name}\n`);
    else inv.out(`${kindPrefix(target.info)}/${target.name} scaled${dryRunSuffix(strategy)}\n`);
  }
  return reportErrors(inv, built.errors);
}

/** A failure as Go's err.Error() reads (inside another message). */
function errorText(f: ApiFailure): string {
  return f.kind === 'status' ? f.status.message : `${f.url}: ${transportErrorText(f.error)}`;
}

/** WaitForScaleHasDesiredReplicas: until status.replicas matches and the change was observed. */
function* waitForReplicas(
  inv: Invocation,
  resource: string,
  name: string,
  namespace: string | undefined,
  replicas: number,
  timeoutMs: number,
): Task<number> {
  const sim = inv.ctx.cluster.sim;
  const deadline = sim.nowMs + timeoutMs;
  for (;;) {
    const r = yield* call<ScalableObject>(inv, {
      verb: 'get',
      resource,
      name,
      ...(namespace ? { namespace } : {}),
    });
    if (r.ok) {
      const o = r.body;
      const observed = (o.status?.observedGeneration ?? 0) >= (o.metadata.generation ?? 0);
      if (observed && (o.status?.replicas ?? 0) === replicas) return 0;
    }
    if (sim.nowMs >= deadline) return errorExit(inv, 'timed out waiting for the condition');
    yield* sleep(inv, Math.min(1000, Math.max(1, deadline - sim.nowMs)));
  }
}

export const scaleCommand: CommandSpec = {
  name: 'scale',
  short: 'Set a new size for a deployment, replica set, or replication controller',
  requiredFlags: ['replicas'],
  flags: [
    {
      name: 'all',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Select all resources in the namespace of the specified resource types',
    },
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    {
      name: 'current-replicas',
      type: 'int',
      defaultValue: '-1',
      usage:
        'Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition.',
    },
    DRY_RUN_FLAG,
    FILENAME_FLAG('identifying the resource to set a new size'),
    KUSTOMIZE_FLAG,
    {
      name: 'output',
      short: 'o',
      type: 'string',
      defaultValue: '',
      usage:
        'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
    },
    RECURSIVE_FLAG,
    {
      name: 'replicas',
      type: 'int',
      defaultValue: '0',
      usage: 'The new desired number of replicas. Required.',
    },
    {
      name: 'resource-version',
      type: 'string',
      defaultValue: '',
      usage:
        'Precondition for resource version. Requires that the current resource version match this value in order to scale.',
    },
    SELECTOR_FLAG,
    SHOW_MANAGED_FIELDS_FLAG,
    TEMPLATE_FLAG,
    {
      name: 'timeout',
      type: 'string',
      defaultValue: '0s',
      shownDefault: '0s',
      usage:
        "The length of time to wait before giving up on a scale operation, zero means don't wait. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).",
    },
  ],
  help: {
    long:
      'Set a new size for a deployment, replica set, replication controller, or stateful set.\n\n' +
      ' Scale also allows users to specify one or more preconditions for the scale action.\n\n' +
      ' If --current-replicas or --resource-version is specified, it is validated before the scale is attempted, and it is guaranteed that the precondition holds true when the scale is sent to the server.',
    examples: [
      "  # Scale a replica set named 'foo' to 3",
      '  kubectl scale --replicas=3 rs/foo',
      '  ',
      '  # Scale a resource identified by type and name specified in "foo.yaml" to 3',
      '  kubectl scale --replicas=3 -f foo.yaml',
      '  ',
      "  # If the deployment named mysql's current size is 2, scale mysql to 3",
      '  kubectl scale --current-replicas=2 --replicas=3 deployment/mysql',
      '  ',
      '  # Scale multiple replication controllers',
      '  kubectl scale --replicas=5 rc/example1 rc/example2 rc/example3',
      '  ',
      "  # Scale stateful set named 'web' to 3",
      '  kubectl scale --replicas=3 statefulset/web',
    ].join('\n'),
    usage:
      'kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]',
  },
  run,
};
