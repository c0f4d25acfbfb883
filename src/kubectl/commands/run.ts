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
  podRunningTimeoutFlag,
  RECURSIVE_FLAG,
  refuseUnsupported,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
  usageError,
} from '../cli/common';
import { discover, mapResource } from '../cli/discovery';
import { failureMessage } from '../cli/errors';
import type { Invocation } from '../cli/invocation';
import { flagBool, flagList, flagString } from '../flags';
import { CREATE_OUTPUT_FLAG, generatorStrategy, SAVE_CONFIG_FLAG, sendGenerated } from './createShared';
import { CASCADE_FLAG, DELETE_TIMEOUT_FLAG, FORCE_FLAG, GRACE_PERIOD_FLAG, waitFlag } from './delete';
import { createAndAttach } from './runAttach';

/**
 * `kubectl run NAME --image=IMAGE`: one bare Pod (labels `run=NAME` unless --labels), built as
 * run.go builds it and created through the REST mapping kubectl looks up first. With -i/-t,
 * --attach and --rm it attaches to the container afterwards (runAttach.ts).
 */

// distribution/reference's ReferenceRegexp, assembled from its parts.
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}';
const REFERENCE = new RegExp(
  `^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`,
);

/** Whether `image` is a valid image reference (`nginx`, `nginx:1.27`, `registry:5000/a/b@sha256:…`). */
export function validImageReference(image: string): boolean {
  return REFERENCE.test(image);
}

const SHELL = /^(?:\/bin\/|\/usr\/bin\/)?(?:sh|ash|bash|dash)$/;

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

function parseRunLabels(text: string): Parsed<Record<string, string> | undefined> {
  if (text === '') return { ok: true, value: undefined };
  const labels: Record<string, string> = {};
  for (const spec of text.split(',')) {
    const parts = spec.split('=');
    if (parts.length !== 2) return { ok: false, error: `unexpected label spec: ${spec}` };
    if (parts[0] === '') return { ok: false, error: 'unexpected empty label key' };
    labels[parts[0]!] = parts[1]!;
  }
  return { ok: true, value: labels };
}

function parseEnvs(specs: readonly string[]): Parsed<{ name: string; value: string }[]> {
  const envs: { name: string; value: string }[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const name = eq >= 0 ? spec.slice(0, eq) : '';
    if (eq < 0 || name === '' || !ENV_NAME.test(name)) return { ok: false, error: `invalid env: ${spec}` };
    envs.push({ name, value: spec.slice(eq + 1) });
  }
  return { ok: true, value: envs };
}

/** cmdutil.ParsePairs for --annotations: `key=value` each. */
function parseAnnotations(specs: readonly string[]): Parsed<Record<string, string> | undefined> {
  if (specs.length === 0) return { ok: true, value: undefined };
  const out: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) return { ok: false, error: `invalid annotation format: ${spec}` };
    out[spec.slice(0, eq)] = spec.slice(eq + 1);
  }
  return { ok: true, value: out };
}

function* run(inv: Invocation): Task<number> {
  const refused = refuseUnsupported(inv, ['expose', 'overrides', 'filename', 'kustomize']);
  if (refused !== undefined) return refused;
  const parsedAnnotations = parseAnnotations(flagList(inv.flags, 'annotations'));
  if (!parsedAnnotations.ok) return errorExit(inv, parsedAnnotations.error);
  const parsedLabels = parseRunLabels(flagString(inv.flags, 'labels') ?? '');
  if (!parsedLabels.ok) return errorExit(inv, parsedLabels.error);
  const parsedEnvs = parseEnvs(flagList(inv.flags, 'env'));
  if (!parsedEnvs.ok) return errorExit(inv, parsedEnvs.error);
  const annotations = parsedAnnotations.value;
  const labels = parsedLabels.value;
  const envs = parsedEnvs.value;
  const restart = flagString(inv.flags, 'restart') || 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart))
    return usageError(inv, `invalid restart policy: ${restart}`);
  const pullPolicy = flagString(inv.flags, 'image-pull-policy') ?? '';
  if (!['', 'Always', 'IfNotPresent', 'Never'].includes(pullPolicy))
    return errorExit(inv, `invalid image pull policy: ${pullPolicy}`);
  const strategy = generatorStrategy(inv);
  if (typeof strategy === 'object') return strategy.exit;

  // Validate
  if (inv.args.length === 0 || inv.flags.argsLenAtDash === 0)
    return usageError(inv, 'NAME is required for run');
  const image = flagString(inv.flags, 'image') ?? '';
  if (image === '') return errorExit(inv, '--image is required');
  if (!validImageReference(image))
    return errorExit(inv, `Invalid image name "${image}": invalid reference format`);
  const port = flagString(inv.flags, 'port') ?? '';
  if (port !== '' && !/^[+-]?\d+$/.test(port))
    return errorExit(inv, `strconv.Atoi: parsing ${JSON.stringify(port)}: invalid syntax`);

  // Attaching: -i, -t, --attach and --rm (run.go's Validate).
  const interactive = flagBool(inv.flags, 'stdin');
  const tty = flagBool(inv.flags, 'tty');
  const attach = flagBool(inv.flags, 'attach') || interactive;
  const remove = flagBool(inv.flags, 'rm');
  if (tty && !interactive) return usageError(inv, '-i/--stdin is required for containers with -t/--tty=true');
  if (remove && !attach) return usageError(inv, '--rm should only be used for attached containers');
  if (attach && strategy !== 'none')
    return usageError(
      inv,
      "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)",
    );
  const podRunningTimeoutMs = durationFlag(inv, 'pod-running-timeout', '1m0s');
  if (podRunningTimeoutMs === undefined) return 1;

  const name = inv.args[0]!;
  const args = inv.args.slice(1);
  const privileged = flagBool(inv.flags, 'privileged');
  const container = {
    name,
    image,
    ...(args.length > 0 && flagBool(inv.flags, 'command') ? { command: args } : {}),
    ...(args.length > 0 && !flagBool(inv.flags, 'command') ? { args } : {}),
    ...(port !== '' ? { ports: [{ containerPort: Number(port) }] } : {}),
    ...(envs.length > 0 ? { env: envs } : {}),
    resources: {},
    ...(pullPolicy ? { imagePullPolicy: pullPolicy } : {}),
    ...(privileged ? { securityContext: { privileged: true } } : {}),
    ...(interactive
      ? { stdin: true, ...(flagBool(inv.flags, 'leave-stdin-open') ? {} : { stdinOnce: true }) }
      : {}),
    ...(tty ? { tty: true } : {}),
  };
  const pod = {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name,
      ...(strategy === 'client' && inv.explicitNamespace ? { namespace: inv.namespace } : {}),
      creationTimestamp: null,
      labels: labels ?? { run: name },
      ...(annotations ? { annotations } : {}),
    },
    spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' },
    status: {},
  } as unknown as KubeObject;

  // createGeneratedObject: the REST mapping of Pod comes from discovery, even for a dry run.
  const discovery = yield* discover(inv, 1);
  if (!discovery.ok) {
    inv.err(failureMessage(discovery.failure));
    return 1;
  }
  const mapping = mapResource(discovery.resources, 'pods');
  if (!mapping.ok) return errorExit(inv, 'no matches for kind "Pod" in version "v1"');
  if (attach) {
    // The image's own shell when no command is given (busybox, alpine, ubuntu all have sh).
    const shell =
      interactive && (args.length === 0 || (args.length === 1 && SHELL.test(args[0] as string)))
        ? (args[0] ?? 'sh')
        : undefined;
    return yield* createAndAttach(inv, pod, { tty, remove, timeoutMs: podRunningTimeoutMs, shell });
  }
  return yield* sendGenerated(inv, 'pods', 'pod', pod, strategy);
}

export const runCommand: CommandSpec = {
  name: 'run',
  short: 'Run a particular image on the cluster',
  requiredFlags: ['image'],
  flags: [
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    {
      name: 'annotations',
      type: 'stringArray',
      usage: 'Annotations to apply to the pod.',
    },
    {
      name: 'attach',
      type: 'bool',
      defaultValue: 'false',
      usage:
        "If true, wait for the Pod to start running, and then attach to the Pod as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true. With '--restart=Never' the exit code of the container process is returned.",
    },
    CASCADE_FLAG,
    {
      name: 'command',
      type: 'bool',
      defaultValue: 'false',
      usage:
        "If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default.",
    },
    DRY_RUN_FLAG,
    { name: 'env', type: 'stringArray', usage: 'Environment variables to set in the container.' },
    {
      name: 'expose',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, create a ClusterIP service associated with the pod.  Requires `--port`.',
    },
    {
      name: 'field-manager',
      type: 'string',
      defaultValue: 'kubectl-run',
      usage: 'Name of the manager used to track field ownership.',
    },
    { ...FILENAME_FLAG(''), usage: 'to use to replace the resource.' },
    FORCE_FLAG,
    GRACE_PERIOD_FLAG,
    { name: 'image', type: 'string', defaultValue: '', usage: 'The image for the container to run.' },
    {
      name: 'image-pull-policy',
      type: 'string',
      defaultValue: '',
      usage:
        'The image pull policy for the container.  If left empty, this value will not be specified by the client and defaulted by the server.',
    },
    {
      ...KUSTOMIZE_FLAG,
      usage: "Process a kustomization directory. This flag can't be used together with -f or -R.",
    },
    {
      name: 'labels',
      short: 'l',
      type: 'string',
      defaultValue: '',
      usage: 'Comma separated labels to apply to the pod. Will override previous values.',
    },
    {
      name: 'leave-stdin-open',
      type: 'bool',
      defaultValue: 'false',
      usage:
        'If the pod is started in interactive mode or with stdin, leave stdin open after the first attach completes. By default, stdin will be closed after the first attach completes.',
    },
    CREATE_OUTPUT_FLAG,
    {
      name: 'override-type',
      type: 'string',
      defaultValue: 'merge',
      usage: 'The method used to override the generated object: json, merge, or strategic.',
    },
    {
      name: 'overrides',
      type: 'string',
      defaultValue: '',
      usage:
        'An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field.',
    },
    podRunningTimeoutFlag('1m0s'),
    { name: 'port', type: 'string', defaultValue: '', usage: 'The port that this container exposes.' },
    {
      name: 'privileged',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, run the container in privileged mode.',
    },
    {
      name: 'quiet',
      short: 'q',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, suppress prompt messages.',
    },
    RECURSIVE_FLAG,
    {
      name: 'restart',
      type: 'string',
      defaultValue: 'Always',
      usage: 'The restart policy for this Pod.  Legal values [Always, OnFailure, Never].',
    },
    {
      name: 'rm',
      type: 'bool',
      defaultValue: 'false',
      usage:
        "If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with '--attach' or with '-i/--stdin'.",
    },
    SAVE_CONFIG_FLAG,
    SHOW_MANAGED_FIELDS_FLAG,
    {
      name: 'stdin',
      short: 'i',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Keep stdin open on the container in the pod, even if nothing is attached.',
    },
    TEMPLATE_FLAG,
    DELETE_TIMEOUT_FLAG,
    {
      name: 'tty',
      short: 't',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Allocate a TTY for the container in the pod.',
    },
    waitFlag('false'),
  ],
  help: {
    long: 'Create and run a particular image in a pod.',
    examples: [
      '  # Start a nginx pod',
      '  kubectl run nginx --image=nginx',
      '  ',
      '  # Start a hazelcast pod and let the container expose port 5701',
      '  kubectl run hazelcast --image=hazelcast/hazelcast --port=5701',
      '  ',
      '  # Start a hazelcast pod and set environment variables "DNS_DOMAIN=cluster" and "POD_NAMESPACE=default" in the container',
      '  kubectl run hazelcast --image=hazelcast/hazelcast --env="DNS_DOMAIN=cluster" --env="POD_NAMESPACE=default"',
      '  ',
      '  # Start a hazelcast pod and set labels "app=hazelcast" and "env=prod" in the container',
      '  kubectl run hazelcast --image=hazelcast/hazelcast --labels="app=hazelcast,env=prod"',
      '  ',
      '  # Dry run; print the corresponding API objects without creating them',
      '  kubectl run nginx --image=nginx --dry-run=client',
      '  ',
      '  # Start a nginx pod, but overload the spec with a partial set of values parsed from JSON',
      `  kubectl run nginx --image=nginx --overrides='{ "apiVersion": "v1", "spec": { ... } }'`,
      '  ',
      "  # Start a busybox pod and keep it in the foreground, don't restart it if it exits",
      '  kubectl run -i -t busybox --image=busybox --restart=Never',
      '  ',
      '  # Start the nginx pod using the default command, but use custom arguments (arg1 .. argN) for that command',
      '  kubectl run nginx --image=nginx -- <arg1> <arg2> ... <argN>',
      '  ',
      '  # Start the nginx pod using a different command and custom arguments',
      '  kubectl run nginx --image=nginx --command -- <cmd> <arg1> ... <argN>',
    ].join('\n'),
    usage:
      'kubectl run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]',
  },
  run,
};
