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
import { type DryRunStrategy, dryRunStrategy, dryRunSuffix } from '../cli/dryRun';
import { type CommandError, reportCommandErrors, textError } from '../cli/errors';
import { renderHelp } from '../cli/help';
import { call, type Invocation } from '../cli/invocation';
import { createStrategicMergePatch, isEmptyPatch } from '../cli/patch';
import { type FlagSpec, flagBool, flagString } from '../flags';
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

/** The dry-run strategy and the printer, checked before anything else (as kubectl's Complete does). */
function preflight(inv: Invocation): { strategy: DryRunStrategy; printer: ObjectPrinter } | number {
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return errorExit(inv, strategy.error);
  const printer = new ObjectPrinter(inv, flagString(inv.flags, 'output') ?? '');
  const printerError = printer.check();
  if (printerError) return errorExit(inv, printerError);
  return { strategy, printer };
}

function* runSetImage(inv: Invocation): Task<number> {
  const pre = preflight(inv);
  if (typeof pre === 'number') return pre;
  const split = resourcesAndPairs(inv.args, 'image');
  if ('error' in split) return errorExit(inv, split.error);
  const images = parseImagePairs(split.pairs);
  if ('error' in images) return errorExit(inv, images.error);
  const invalid: CommandError[] = [];
  if (images.size === 0) invalid.push(textError('at least one image update is required'));
  else if (images.size > 1 && images.has('*'))
    invalid.push(
      textError(
        'all containers are already specified by *, but saw more than one container_name=container_image pairs',
      ),
    );
  return yield* setOnPodSpecs(
    inv,
    pre,
    split.resources,
    invalid,
    'image updated',
    'image update',
    (spec, errors) => {
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
    },
  );
}

/**
 * `kubectl set env (TYPE NAME | TYPE/NAME) KEY=VALUE ... KEY-`: sets (or with `KEY-` removes)
 * environment variables in the containers of each object's pod spec, all of them or those `-c`
 * names: `deployment.apps/web env updated`.
 */
function* runSetEnv(inv: Invocation): Task<number> {
  const pre = preflight(inv);
  if (typeof pre === 'number') return pre;
  const split = resourcesAndPairs(inv.args, 'env');
  if ('error' in split) return errorExit(inv, split.error);
  const set = new Map<string, string>();
  const remove = new Set<string>();
  for (const p of split.pairs) {
    if (p.endsWith('-') && !p.includes('=')) remove.add(p.slice(0, -1));
    else set.set(p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1));
  }
  const wanted = flagString(inv.flags, 'containers') ?? '*';
  const invalid: CommandError[] = [];
  if (set.size === 0 && remove.size === 0)
    invalid.push(textError('at least one environment variable must be provided'));
  return yield* setOnPodSpecs(
    inv,
    pre,
    split.resources,
    invalid,
    'env updated',
    'env update',
    (spec, errors) => {
      let found = false;
      const update = (c: Container): Container => {
        if (wanted !== '*' && c.name !== wanted) return c;
        found = true;
        type Env = { readonly name: string; readonly value?: string };
        let env = ((c as { env?: readonly Env[] }).env ?? []).filter((e) => !remove.has(e.name));
        for (const [name, value] of set) {
          const at = env.findIndex((e) => e.name === name);
          env = at >= 0 ? env.map((e, i) => (i === at ? { name, value } : e)) : [...env, { name, value }];
        }
        const { env: _old, ...rest } = c as Container & { env?: readonly Env[] };
        return (env.length > 0 ? { ...rest, env } : rest) as Container;
      };
      const containers = spec.containers.map(update);
      if (!found) errors.push(textError(`error: unable to find container named ${JSON.stringify(wanted)}`));
      return { ...spec, containers } as PodSpec;
    },
  );
}

/**
 * What `set image` and `set env` share: fetch the objects, compute every patch first (the pod spec
 * of a pod, or of a workload's template), then patch what changed, printing `<name> <done>`; an
 * object left unchanged is skipped silently, as kubectl does.
 */
function* setOnPodSpecs(
  inv: Invocation,
  { strategy, printer }: Exclude<ReturnType<typeof preflight>, number>,
  resources: readonly string[],
  changeErrors: readonly CommandError[],
  done: string,
  what: string,
  update: (spec: PodSpec, errors: CommandError[]) => PodSpec,
): Task<number> {
  const refused = refuseUnsupported(inv, ['filename', 'kustomize', 'local']);
  if (refused !== undefined) return refused;
  const all = flagBool(inv.flags, 'all');
  const selector = flagString(inv.flags, 'selector') ?? '';

  const built = yield* buildInfos(inv, resources, {
    selector,
    allowEmptySelector: all,
    requireObject: true,
  });
  if (!built.ok) return built.code;
  if (built.errors.length > 0) return reportCommandErrors(inv.err, built.errors);

  // Validate
  const invalid: CommandError[] = [];
  if (all && selector !== '') invalid.push(textError('cannot set --all and --selector at the same time'));
  if (resources.length === 0)
    invalid.push(
      textError('one or more resources must be specified as <resource> <name> or <resource>/<name>'),
    );
  invalid.push(...changeErrors);
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
    const after = withPodSpec(before, (spec) => update(spec, errors));
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
      printer.print(p.after!, name, `${done}${dryRunSuffix(strategy)}`);
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
      errors.push(textError(`failed to patch ${what} to pod template: ${why}`));
      continue;
    }
    printer.print(r.body, name, `${done}${dryRunSuffix(strategy)}`);
  }
  return reportCommandErrors(inv.err, errors);
}

/** The flags `set image` and `set env` end with: -f, -k, --local, -o, -R, -l and the printer's. */
function setFlags(sub: string, filenameUsage: string): FlagSpec[] {
  return [
    fieldManagerFlag('kubectl-set'),
    FILENAME_FLAG(filenameUsage),
    KUSTOMIZE_FLAG,
    {
      name: 'local',
      type: 'bool',
      defaultValue: 'false',
      usage: `If true, set ${sub} will NOT contact api-server but run locally.`,
    },
    OUTPUT_FLAG,
    RECURSIVE_FLAG,
    SELECTOR_FLAG,
    SHOW_MANAGED_FIELDS_FLAG,
    TEMPLATE_FLAG,
  ];
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
    ...setFlags('image', 'identifying the resource to get from a server.'),
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

export const setEnvCommand: CommandSpec = {
  name: 'env',
  short: 'Update environment variables on a pod template',
  flags: [
    {
      name: 'all',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, select all resources in the namespace of the specified resource types',
    },
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    {
      name: 'containers',
      short: 'c',
      type: 'string',
      defaultValue: '*',
      usage: 'The names of containers in the selected pod templates to change - may use wildcards',
    },
    DRY_RUN_FLAG,
    ...setFlags('env', 'the resource to update the env'),
  ],
  help: {
    long: 'Update environment variables on a pod template.\n\n List environment variable definitions in one or more pods, pod templates. Add, update, or remove container environment variable definitions in one or more pod templates (within replication controllers or deployment configurations).',
    examples: [
      "  # Update deployment 'registry' with a new environment variable",
      '  kubectl set env deployment/registry STORAGE_DIR=/local',
      '  ',
      "  # Remove the environment variable ENV from container 'c1' in all deployment configs",
      '  kubectl set env deployments --all --containers="c1" ENV-',
    ].join('\n'),
    usage: 'kubectl set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]',
  },
  run: runSetEnv,
};

const SET_SUBCOMMANDS: readonly CommandSpec[] = [
  setEnvCommand,
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
