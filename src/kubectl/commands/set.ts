import type { ResourceInfo } from '../../sim/api/resources';
import type { Container, KubeObject, PodSpec } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import { buildInfos } from '../cli/builder';
import type { CommandSpec } from '../cli/command';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  DRY_RUN_FLAG,
  defaultSubCommandRun,
  errorExit,
  FILENAME_FLAG,
  fieldManagerFlag,
  KUSTOMIZE_FLAG,
  notImplemented,
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
import { renderHelp } from '../cli/help';
import { call, type Invocation } from '../cli/invocation';
import { createStrategicMergePatch, isEmptyPatch } from '../cli/patch';
import { flagBool, flagString } from '../flags';
import { resourcesAndPairs } from './label';

/**
 * `kubectl set image (TYPE NAME | TYPE/NAME) CONTAINER=IMAGE...`: fetches each object, sets the
 * images of the named containers (init containers too; `*` means all) in its pod spec or pod
 * template, and patches what changed: `deployment.apps/web image updated`. An object whose
 * images already match is left alone, silently, as kubectl does.
 */

/** cmdutil.ParsePairs without removal: `name=value` pairs, or `invalid image format: ...`. */
function parseImagePairs(pairs: readonly string[]): Map<string, string> | { error: string } {
  const images = new Map<string, string>();
  const invalid: string[] = [];
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq > 0) images.set(p.slice(0, eq), p.slice(eq + 1));
    else invalid.push(p);
  }
  if (invalid.length > 0) return { error: `invalid image format: ${invalid.join(', ')}` };
  return images;
}

/** The pod spec of a pod, or of the template of a workload (UpdatePodSpecForObject). */
function podSpecPath(kind: string): 'pod' | 'template' | undefined {
  if (kind === 'Pod') return 'pod';
  if (['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'ReplicationController', 'Job'].includes(kind))
    return 'template';
  return undefined;
}

function withPodSpec(obj: KubeObject, update: (spec: PodSpec) => PodSpec): KubeObject | undefined {
  const where = podSpecPath(obj.kind);
  const spec = obj.spec as { template?: { spec: PodSpec } } & PodSpec;
  if (where === 'pod') return { ...obj, spec: update(spec) };
  if (where === 'template' && spec?.template)
    return { ...obj, spec: { ...spec, template: { ...spec.template, spec: update(spec.template.spec) } } };
  return undefined;
}

function* runSetImage(inv: Invocation): Task<number> {
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return errorExit(inv, strategy.error);
  const printer = new ObjectPrinter(inv, flagString(inv.flags, 'output') ?? '');
  const printerError = printer.check();
  if (printerError) return errorExit(inv, printerError);
  const split = resourcesAndPairs(inv.args, 'image');
  if ('error' in split) return errorExit(inv, split.error);
  const images = parseImagePairs(split.pairs);
  if ('error' in images) return errorExit(inv, images.error);
  const refused = refuseUnsupported(inv, ['filename', 'kustomize', 'local']);
  if (refused !== undefined) return refused;
  const all = flagBool(inv.flags, 'all');
  const selector = flagString(inv.flags, 'selector') ?? '';

  const built = yield* buildInfos(inv, split.resources, {
    selector,
    allowEmptySelector: all,
    requireObject: true,
  });
  if (!built.ok) return built.code;
  if (built.errors.length > 0) return reportCommandErrors(inv.err, built.errors);

  // Validate
  const invalid: CommandError[] = [];
  if (all && selector !== '') invalid.push(textError('cannot set --all and --selector at the same time'));
  if (split.resources.length === 0)
    invalid.push(
      textError('one or more resources must be specified as <resource> <name> or <resource>/<name>'),
    );
  if (images.size === 0) invalid.push(textError('at least one image update is required'));
  else if (images.size > 1 && images.has('*'))
    invalid.push(
      textError(
        'all containers are already specified by *, but saw more than one container_name=container_image pairs',
      ),
    );
  if (invalid.length > 0) return reportCommandErrors(inv.err, invalid);

  // CalculatePatches first (every object), then the patches in order.
  const errors: CommandError[] = [];
  const patches: {
    info: ResourceInfo;
    name: string;
    namespace?: string;
    after?: KubeObject;
    patch?: Record<string, unknown>;
    error?: string;
  }[] = [];
  for (const target of built.infos) {
    const before = target.object!;
    const after = withPodSpec(before, (spec) => {
      let containers = spec.containers;
      let initContainers = (spec as { initContainers?: readonly Container[] }).initContainers;
      for (const [name, image] of images) {
        const set = (list: readonly Container[] | undefined): [readonly Container[] | undefined, boolean] => {
          if (!list) return [list, false];
          let found = false;
          const next = list.map((c) => {
            if (c.name !== name && name !== '*') return c;
            found = true;
            return { ...c, image };
          });
          return [next, found];
        };
        const [inits, inInit] = set(initContainers);
        const [main, inMain] = set(containers);
        initContainers = inits;
        containers = main ?? [];
        if (!inInit && !inMain)
          errors.push(textError(`error: unable to find container named ${JSON.stringify(name)}`));
      }
      return { ...spec, containers, ...(initContainers ? { initContainers } : {}) } as PodSpec;
    });
    const base = {
      info: target.info,
      name: target.name,
      ...(target.namespace ? { namespace: target.namespace } : {}),
    };
    if (!after) {
      // info.ObjectName() and the Go type of the object.
      const error = `error: ${target.info.resource}/${target.name} the object is not a pod or does not have a pod template: *v1.${target.info.kind}\n`;
      patches.push({ ...base, error });
      continue;
    }
    patches.push({ ...base, after, patch: createStrategicMergePatch(before, after) });
  }
  for (const p of patches) {
    if (p.error) {
      errors.push(textError(p.error));
      continue;
    }
    if (!p.patch || isEmptyPatch(p.patch)) continue;
    const name = `${kindPrefix(p.info)}/${p.name}`;
    if (strategy === 'client') {
      printer.print(p.after!, name, `image updated${dryRunSuffix(strategy)}`);
      continue;
    }
    const r = yield* call<KubeObject>(inv, {
      verb: 'patch',
      resource: p.info.resource,
      name: p.name,
      ...(p.namespace ? { namespace: p.namespace } : {}),
      patch: p.patch,
      patchType: 'strategic',
      ...(strategy === 'server' ? { dryRun: true } : {}),
    });
    if (!r.ok) {
      const why = r.failure.kind === 'status' ? r.failure.status.message : 'the server could not be reached';
      errors.push(textError(`failed to patch image update to pod template: ${why}`));
      continue;
    }
    printer.print(r.body, name, `image updated${dryRunSuffix(strategy)}`);
  }
  return reportCommandErrors(inv.err, errors);
}

export const setImageCommand: CommandSpec = {
  name: 'image',
  short: 'Update the image of a pod template',
  flags: [
    {
      name: 'all',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Select all resources, in the namespace of the specified resource types',
    },
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    DRY_RUN_FLAG,
    fieldManagerFlag('kubectl-set'),
    FILENAME_FLAG('identifying the resource to get from a server.'),
    KUSTOMIZE_FLAG,
    {
      name: 'local',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, set image will NOT contact api-server but run locally.',
    },
    OUTPUT_FLAG,
    RECURSIVE_FLAG,
    SELECTOR_FLAG,
    SHOW_MANAGED_FIELDS_FLAG,
    TEMPLATE_FLAG,
  ],
  help: {
    long:
      'Update existing container image(s) of resources.\n\n' +
      ' Possible resources include (case insensitive):\n\n' +
      '        pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)',
    examples: [
      "  # Set a deployment's nginx container image to 'nginx:1.9.1', and its busybox container image to 'busybox'",
      '  kubectl set image deployment/nginx busybox=busybox nginx=nginx:1.9.1',
      '  ',
      "  # Update all deployments' and rc's nginx container's image to 'nginx:1.9.1'",
      '  kubectl set image deployments,rc nginx=nginx:1.9.1 --all',
      '  ',
      "  # Update image of all containers of daemonset abc to 'nginx:1.9.1'",
      '  kubectl set image daemonset abc *=nginx:1.9.1',
      '  ',
      '  # Print result (in yaml format) of updating nginx container image from local file, without hitting the server',
      '  kubectl set image -f path/to/file.yaml nginx=nginx:1.9.1 --local -o yaml',
    ].join('\n'),
    usage:
      'kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]',
  },
  run: runSetImage,
};

const todoSub = (name: string, short: string): CommandSpec => ({
  name,
  short,
  lenientFlags: true,
  run: notImplemented(`kubectl set ${name}`),
});

const SET_SUBCOMMANDS: readonly CommandSpec[] = [
  todoSub('env', 'Update environment variables on a pod template'),
  setImageCommand,
  todoSub('resources', 'Update resource requests/limits on objects with pod templates'),
  todoSub('selector', 'Set the selector on a resource'),
  todoSub('serviceaccount', 'Update the service account of a resource'),
  todoSub('subject', 'Update the user, group, or service account in a role binding or cluster role binding'),
];

const SET_HELP = {
  long: 'Configure application resources.\n\n These commands help you make changes to existing application resources.',
  usage: 'kubectl set SUBCOMMAND [options]',
};

export const setCommand: CommandSpec = {
  name: 'set',
  short: 'Set specific features on objects',
  help: SET_HELP,
  subcommands: SET_SUBCOMMANDS,
  // DefaultSubCommandRun(streams.ErrOut): the help goes to stderr.
  run: defaultSubCommandRun(() => renderHelp(setCommand, 'kubectl set'), 'err'),
};
