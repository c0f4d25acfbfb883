import type { CronJobObject } from '../../sim/api/batchTypes';
import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  DRY_RUN_FLAG,
  errorExit,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
} from '../cli/common';
import { failureMessage } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import { type FlagSpec, flagString } from '../flags';
import { nameFromArgs } from './createDeployment';
import {
  CREATE_OUTPUT_FLAG,
  generatorStrategy,
  SAVE_CONFIG_FLAG,
  sendGenerated,
  VALIDATE_FLAG,
} from './createShared';

/**
 * `kubectl create job NAME --image=I [-- CMD]`, `kubectl create job NAME --from=cronjob/CJ` and
 * `kubectl create cronjob NAME --image=I --schedule=S [--restart=P] [-- CMD]`, building the
 * objects create_job.go and create_cronjob.go build.
 */

function podTemplate(name: string, image: string, command: readonly string[], restartPolicy: string) {
  return {
    metadata: { creationTimestamp: null },
    spec: {
      containers: [{ name, image, ...(command.length > 0 ? { command: [...command] } : {}), resources: {} }],
      restartPolicy,
    },
  };
}

function* runJob(inv: Invocation): Task<number> {
  const name = nameFromArgs(inv);
  if (typeof name !== 'string') return name.error;
  const image = flagString(inv.flags, 'image') ?? '';
  const from = flagString(inv.flags, 'from') ?? '';
  if ((image === '') === (from === '')) return errorExit(inv, 'either --image or --from must be specified');
  const command = inv.args.slice(1);
  if (from !== '' && command.length > 0) return errorExit(inv, 'cannot specify --from and command');
  const strategy = generatorStrategy(inv);
  if (typeof strategy === 'object') return strategy.exit;
  const namespace = inv.explicitNamespace ? { namespace: inv.namespace } : {};
  if (image !== '') {
    const job = {
      kind: 'Job',
      apiVersion: 'batch/v1',
      metadata: { name, ...namespace, creationTimestamp: null },
      spec: { template: podTemplate(name, image, command, 'Never') },
      status: {},
    } as unknown as KubeObject;
    return yield* sendGenerated(inv, 'jobs', 'job.batch', job, strategy);
  }
  const [type, cronName] = from.includes('/') ? from.split('/', 2) : [from, ''];
  if (!['cronjob', 'cronjobs', 'cj', 'cronjob.batch', 'cronjobs.batch'].includes((type ?? '').toLowerCase()))
    return errorExit(inv, 'from must be an existing cronjob');
  const r = yield* call<CronJobObject>(inv, {
    verb: 'get',
    resource: 'cronjobs',
    namespace: inv.namespace,
    name: cronName ?? '',
  });
  if (!r.ok) {
    inv.err(failureMessage(r.failure));
    return 1;
  }
  const cj = r.body;
  const template = cj.spec.jobTemplate;
  const job = {
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: {
      name,
      ...namespace,
      creationTimestamp: null,
      ...(template.metadata?.labels ? { labels: template.metadata.labels } : {}),
      annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', ...template.metadata?.annotations },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: cj.metadata.name,
          uid: cj.metadata.uid,
          controller: true,
        },
      ],
    },
    spec: template.spec,
    status: {},
  } as unknown as KubeObject;
  return yield* sendGenerated(inv, 'jobs', 'job.batch', job, strategy);
}

function* runCronJob(inv: Invocation): Task<number> {
  const name = nameFromArgs(inv);
  if (typeof name !== 'string') return name.error;
  const command = inv.args.slice(1);
  const strategy = generatorStrategy(inv);
  if (typeof strategy === 'object') return strategy.exit;
  const image = flagString(inv.flags, 'image') ?? '';
  const schedule = flagString(inv.flags, 'schedule') ?? '';
  const restart = flagString(inv.flags, 'restart') || 'OnFailure';
  const cronJob = {
    kind: 'CronJob',
    apiVersion: 'batch/v1',
    metadata: {
      name,
      ...(inv.explicitNamespace ? { namespace: inv.namespace } : {}),
      creationTimestamp: null,
    },
    spec: {
      schedule,
      jobTemplate: {
        metadata: { name, creationTimestamp: null },
        spec: { template: podTemplate(name, image, command, restart) },
      },
    },
    status: {},
  } as unknown as KubeObject;
  return yield* sendGenerated(inv, 'cronjobs', 'cronjob.batch', cronJob, strategy);
}

const FIELD_MANAGER: FlagSpec = {
  name: 'field-manager',
  type: 'string',
  defaultValue: 'kubectl-create',
  usage: 'Name of the manager used to track field ownership.',
};
const IMAGE: FlagSpec = { name: 'image', type: 'string', defaultValue: '', usage: 'Image name to run.' };

export const createJobCommand: CommandSpec = {
  name: 'job',
  short: 'Create a job with the specified name',
  flags: [
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    DRY_RUN_FLAG,
    FIELD_MANAGER,
    {
      name: 'from',
      type: 'string',
      defaultValue: '',
      usage: 'The name of the resource to create a Job from (only cronjob is supported).',
    },
    IMAGE,
    CREATE_OUTPUT_FLAG,
    SAVE_CONFIG_FLAG,
    SHOW_MANAGED_FIELDS_FLAG,
    TEMPLATE_FLAG,
    VALIDATE_FLAG,
  ],
  help: {
    long: 'Create a job with the specified name.',
    examples: [
      '  # Create a job',
      '  kubectl create job my-job --image=busybox',
      '  ',
      '  # Create a job with a command',
      '  kubectl create job my-job --image=busybox -- date',
      '  ',
      '  # Create a job from a cron job named "a-cronjob"',
      '  kubectl create job test-job --from=cronjob/a-cronjob',
    ].join('\n'),
    usage: 'kubectl create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...] [options]',
  },
  run: runJob,
};

export const createCronJobCommand: CommandSpec = {
  name: 'cronjob',
  aliases: ['cj'],
  short: 'Create a cron job with the specified name',
  requiredFlags: ['image', 'schedule'],
  flags: [
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    DRY_RUN_FLAG,
    FIELD_MANAGER,
    IMAGE,
    CREATE_OUTPUT_FLAG,
    {
      name: 'restart',
      type: 'string',
      defaultValue: '',
      usage: "job's restart policy. supported values: OnFailure, Never",
    },
    SAVE_CONFIG_FLAG,
    {
      name: 'schedule',
      type: 'string',
      defaultValue: '',
      usage: 'A schedule in the Cron format the job should be run with.',
    },
    SHOW_MANAGED_FIELDS_FLAG,
    TEMPLATE_FLAG,
    VALIDATE_FLAG,
  ],
  help: {
    long: 'Create a cron job with the specified name.',
    examples: [
      '  # Create a cron job',
      '  kubectl create cronjob my-job --image=busybox --schedule="*/1 * * * *"',
      '  ',
      '  # Create a cron job with a command',
      '  kubectl create cronjob my-job --image=busybox --schedule="*/1 * * * *" -- date',
    ].join('\n'),
    usage:
      "kubectl create cronjob NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...] [flags] [options]",
  },
  run: runCronJob,
};
