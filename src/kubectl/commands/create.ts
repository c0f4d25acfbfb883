import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  DRY_RUN_FLAG,
  errorExit,
  FILENAME_FLAG,
  KUSTOMIZE_FLAG,
  notImplemented,
  RECURSIVE_FLAG,
  refuseUnsupported,
  SELECTOR_FLAG,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
  usageError,
} from '../cli/common';
import type { Invocation } from '../cli/invocation';
import { flagList } from '../flags';
import { createConfigMapCommand, createSecretCommand } from './createData';
import { createDeploymentCommand } from './createDeployment';
import { runFromFiles } from './createFromFiles';
import { createCronJobCommand, createJobCommand } from './createJob';
import { createServiceCommand } from './createService';

const BATCH_AND_DATA_COMMANDS: Readonly<Record<string, CommandSpec>> = {
  configmap: createConfigMapCommand,
  cronjob: createCronJobCommand,
  job: createJobCommand,
  secret: createSecretCommand,
  service: createServiceCommand,
};

import {
  CREATE_GENERATOR_FLAGS,
  CREATE_OUTPUT_FLAG,
  generatorStrategy,
  SAVE_CONFIG_FLAG,
  sendGenerated,
  VALIDATE_FLAG,
} from './createShared';

/**
 * `create namespace NAME` and `create serviceaccount NAME`: one name, then the object kubectl
 * builds (a typed object marshals its zero creationTimestamp as null) sent with the dry-run
 * strategy. They use the typed client: no discovery, so an unreachable server fails at the POST.
 */
function* createNamed(
  inv: Invocation,
  resource: string,
  kindPrefix: string,
  build: (name: string) => object,
): Task<number> {
  if (inv.args.length !== 1) return usageError(inv, `exactly one NAME is required, got ${inv.args.length}`);
  const strategy = generatorStrategy(inv);
  if (typeof strategy === 'object') return strategy.exit;
  return yield* sendGenerated(inv, resource, kindPrefix, build(inv.args[0]!) as KubeObject, strategy);
}

function runCreateNamespace(inv: Invocation): Task<number> {
  return createNamed(inv, 'namespaces', 'namespace', (name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, creationTimestamp: null },
    spec: {},
    status: {},
  }));
}

function* runCreate(inv: Invocation): Task<number> {
  if (inv.args.length > 0) return usageError(inv, `Unexpected args: [${inv.args.join(' ')}]`);
  const refused = refuseUnsupported(inv, ['kustomize', 'raw', 'edit']);
  if (refused !== undefined) return refused;
  if (flagList(inv.flags, 'filename').length === 0) return errorExit(inv, 'must specify one of -f and -k');
  return yield* runFromFiles(inv, 'create');
}

function runCreateServiceAccount(inv: Invocation): Task<number> {
  return createNamed(inv, 'serviceaccounts', 'serviceaccount', (name) => ({
    kind: 'ServiceAccount',
    apiVersion: 'v1',
    metadata: {
      name,
      ...(inv.explicitNamespace ? { namespace: inv.namespace } : {}),
      creationTimestamp: null,
    },
  }));
}

const createServiceAccountCommand: CommandSpec = {
  name: 'serviceaccount',
  aliases: ['sa'],
  short: 'Create a service account with the specified name',
  flags: CREATE_GENERATOR_FLAGS,
  help: {
    long: 'Create a service account with the specified name.',
    examples:
      '  # Create a new service account named my-service-account\n  kubectl create serviceaccount my-service-account',
    usage: 'kubectl create serviceaccount NAME [--dry-run=server|client|none] [options]',
  },
  run: runCreateServiceAccount,
};

export const createNamespaceCommand: CommandSpec = {
  name: 'namespace',
  aliases: ['ns'],
  short: 'Create a namespace with the specified name',
  flags: CREATE_GENERATOR_FLAGS,
  help: {
    long: 'Create a namespace with the specified name.',
    examples: '  # Create a new namespace named my-namespace\n  kubectl create namespace my-namespace',
    usage: 'kubectl create namespace NAME [--dry-run=server|client|none] [options]',
  },
  run: runCreateNamespace,
};

/** `kubectl create` subcommands of v1.32; `namespace` and `deployment` are implemented so far. */
const CREATE_SUBCOMMANDS: readonly [string, string][] = [
  ['clusterrole', 'Create a cluster role'],
  ['clusterrolebinding', 'Create a cluster role binding for a particular cluster role'],
  ['configmap', 'Create a config map from a local file, directory or literal value'],
  ['cronjob', 'Create a cron job with the specified name'],
  ['deployment', 'Create a deployment with the specified name'],
  ['ingress', 'Create an ingress with the specified name'],
  ['job', 'Create a job with the specified name'],
  ['namespace', ''],
  ['poddisruptionbudget', 'Create a pod disruption budget with the specified name'],
  ['priorityclass', 'Create a priority class with the specified name'],
  ['quota', 'Create a quota with the specified name'],
  ['role', 'Create a role with single rule'],
  ['rolebinding', 'Create a role binding for a particular role or cluster role'],
  ['secret', 'Create a secret using a specified subcommand'],
  ['service', 'Create a service using a specified subcommand'],
  ['serviceaccount', 'Create a service account with the specified name'],
  ['token', 'Request a service account token'],
];

export const createCommand: CommandSpec = {
  name: 'create',
  short: 'Create a resource from a file or from stdin',
  subcommands: CREATE_SUBCOMMANDS.map(([name, short]) =>
    name === 'namespace'
      ? createNamespaceCommand
      : name === 'deployment'
        ? createDeploymentCommand
        : name === 'serviceaccount'
          ? createServiceAccountCommand
          : (BATCH_AND_DATA_COMMANDS[name] ?? {
              name,
              short,
              lenientFlags: true,
              run: notImplemented(`kubectl create ${name}`),
            }),
  ),
  flags: [
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    DRY_RUN_FLAG,
    {
      name: 'edit',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Edit the API resource before creating',
    },
    {
      name: 'field-manager',
      type: 'string',
      defaultValue: 'kubectl-create',
      usage: 'Name of the manager used to track field ownership.',
    },
    FILENAME_FLAG('to use to create the resource'),
    KUSTOMIZE_FLAG,
    CREATE_OUTPUT_FLAG,
    {
      name: 'raw',
      type: 'string',
      defaultValue: '',
      usage: 'Raw URI to POST to the server.  Uses the transport specified by the kubeconfig file.',
    },
    RECURSIVE_FLAG,
    SAVE_CONFIG_FLAG,
    SELECTOR_FLAG,
    SHOW_MANAGED_FIELDS_FLAG,
    TEMPLATE_FLAG,
    VALIDATE_FLAG,
    {
      name: 'windows-line-endings',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Only relevant if --edit=true. Defaults to the line ending native to your platform.',
    },
  ],
  help: {
    long: 'Create a resource from a file or from stdin.\n\n JSON and YAML formats are accepted.',
    examples: [
      '  # Create a pod using the data in pod.json',
      '  kubectl create -f ./pod.json',
      '  ',
      '  # Create a pod based on the JSON passed into stdin',
      '  cat pod.json | kubectl create -f -',
      '  ',
      '  # Edit the data in registry.yaml in JSON then create the resource using the edited data',
      '  kubectl create -f registry.yaml --edit -o json',
    ].join('\n'),
    usage: 'kubectl create -f FILENAME [options]',
  },
  run: runCreate,
};
