import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  DRY_RUN_FLAG,
  errorExit,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
  usageError,
} from '../cli/common';
import { dryRunSuffix } from '../cli/dryRun';
import { failureLine, SERVER_URL, transportErrorText } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import { flagInt, flagList } from '../flags';
import {
  CREATE_OUTPUT_FLAG,
  generatorStrategy,
  printCreated,
  SAVE_CONFIG_FLAG,
  VALIDATE_FLAG,
} from './createShared';

/**
 * `kubectl create deployment NAME --image=IMAGE... [--replicas=N] [--port=P] [-- COMMAND...]`:
 * builds the Deployment create_deployment.go builds (label and selector `app=NAME`, one container
 * per image named after the image) and POSTs it with the typed client (no discovery).
 */

/** cmdutil NameFromCommandArgs: exactly one name before `--`. */
export function nameFromArgs(inv: Invocation): string | { error: number } {
  const atDash = inv.flags.argsLenAtDash ?? -1;
  const count = atDash === -1 ? inv.args.length : atDash;
  if (count !== 1) return { error: usageError(inv, `exactly one NAME is required, got ${count}`) };
  return inv.args[0]!;
}

/** The container name create deployment derives from an image: its last path part, untagged, made DNS-safe. */
function containerName(image: string, randomSuffix: () => string): string {
  let name = image.split('/').pop() ?? '';
  if (name.includes(':')) name = name.split(':')[0]!;
  if (name.includes('@')) name = name.split('@')[0]!;
  if (/[_.]/.test(name)) name = `${name.replaceAll('_', '-').replaceAll('.', '-')}-${randomSuffix()}`;
  return name;
}

/** The Deployment object, keys in the order of the Go structs (as `-o json` shows them). */
export function buildDeployment(opts: {
  name: string;
  namespace?: string;
  images: readonly string[];
  replicas: number;
  port: number;
  command: readonly string[];
  randomSuffix: () => string;
}): KubeObject {
  const labels = { app: opts.name };
  const containers = opts.images.map((image, i) => ({
    name: containerName(image, opts.randomSuffix),
    image,
    ...(opts.command.length > 0 ? { command: [...opts.command] } : {}),
    ...(i === 0 && opts.port >= 0 ? { ports: [{ containerPort: opts.port }] } : {}),
    resources: {},
  }));
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: {
      name: opts.name,
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
      creationTimestamp: null,
      labels,
    },
    spec: {
      replicas: opts.replicas,
      selector: { matchLabels: { ...labels } },
      template: {
        metadata: { creationTimestamp: null, labels: { ...labels } },
        spec: { containers },
      },
      strategy: {},
    },
    status: {},
  } as unknown as KubeObject;
}

function* run(inv: Invocation): Task<number> {
  const name = nameFromArgs(inv);
  if (typeof name !== 'string') return name.error;
  const command = inv.args.slice(1);
  const images = flagList(inv.flags, 'image');
  if (images.length > 1 && command.length > 0)
    return errorExit(inv, 'cannot specify multiple --image options and command');
  const strategy = generatorStrategy(inv);
  if (typeof strategy === 'object') return strategy.exit;
  const deployment = buildDeployment({
    name,
    ...(inv.explicitNamespace ? { namespace: inv.namespace } : {}),
    images,
    replicas: flagInt(inv.flags, 'replicas') ?? 1,
    port: flagInt(inv.flags, 'port') ?? -1,
    command,
    randomSuffix: () => inv.ctx.cluster.sim.rng.suffix(5),
  });
  if (strategy === 'client') return printCreated(inv, deployment, 'deployment.apps', dryRunSuffix(strategy));
  const req = {
    verb: 'create' as const,
    resource: 'deployments',
    namespace: inv.namespace,
    body: deployment,
    ...(strategy === 'server' ? { dryRun: true } : {}),
  };
  const r = yield* call<KubeObject>(inv, req);
  if (!r.ok) {
    // create_deployment.go wraps the client's error: `failed to create deployment: <err>`.
    const f = r.failure;
    const why =
      f.kind === 'transport'
        ? `Post "${SERVER_URL}/apis/apps/v1/namespaces/${inv.namespace}/deployments?fieldManager=kubectl-create&fieldValidation=Strict": ${transportErrorText(f.error)}`
        : f.status.message || failureLine(f);
    return errorExit(inv, `failed to create deployment: ${why}`);
  }
  return printCreated(inv, r.body, 'deployment.apps', dryRunSuffix(strategy));
}

export const createDeploymentCommand: CommandSpec = {
  name: 'deployment',
  aliases: ['deploy'],
  short: 'Create a deployment with the specified name',
  requiredFlags: ['image'],
  flags: [
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    DRY_RUN_FLAG,
    {
      name: 'field-manager',
      type: 'string',
      defaultValue: 'kubectl-create',
      usage: 'Name of the manager used to track field ownership.',
    },
    {
      name: 'image',
      type: 'stringSlice',
      usage: 'Image names to run. A deployment can have multiple images set for multi-container pod.',
    },
    CREATE_OUTPUT_FLAG,
    {
      name: 'port',
      type: 'int',
      defaultValue: '-1',
      usage: 'The containerPort that this deployment exposes.',
    },
    {
      name: 'replicas',
      short: 'r',
      type: 'int',
      defaultValue: '1',
      usage: 'Number of replicas to create. Default is 1.',
    },
    SAVE_CONFIG_FLAG,
    SHOW_MANAGED_FIELDS_FLAG,
    TEMPLATE_FLAG,
    VALIDATE_FLAG,
  ],
  help: {
    long: 'Create a deployment with the specified name.',
    examples: [
      '  # Create a deployment named my-dep that runs the busybox image',
      '  kubectl create deployment my-dep --image=busybox',
      '  ',
      '  # Create a deployment with a command',
      '  kubectl create deployment my-dep --image=busybox -- date',
      '  ',
      '  # Create a deployment named my-dep that runs the nginx image with 3 replicas',
      '  kubectl create deployment my-dep --image=nginx --replicas=3',
      '  ',
      '  # Create a deployment named my-dep that runs the busybox image and expose port 5701',
      '  kubectl create deployment my-dep --image=busybox --port=5701',
      '  ',
      '  # Create a deployment named my-dep that runs multiple containers',
      '  kubectl create deployment my-dep --image=busybox:latest --image=ubuntu:latest --image=nginx',
    ].join('\n'),
    usage: 'kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]',
  },
  run,
};
