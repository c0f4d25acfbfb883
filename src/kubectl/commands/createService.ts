import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import { defaultSubCommandRun, errorExit, outputFormatError } from '../cli/common';
import { dryRunStrategy, dryRunSuffix } from '../cli/dryRun';
import { failureMessage } from '../cli/errors';
import { renderHelp } from '../cli/help';
import { call, type Invocation } from '../cli/invocation';
import { type FlagSpec, flagInt, flagList, flagString } from '../flags';
import { nameFromArgs } from './createDeployment';
import { CREATE_GENERATOR_FLAGS, CREATE_OUTPUT_FORMATS, printCreated } from './createShared';

/**
 * `kubectl create service clusterip|nodeport|loadbalancer|externalname NAME`, as create_service.go
 * builds them: ports from `--tcp=port[:targetPort]` named `port-targetPort`, the selector and label
 * `app: NAME`, `--clusterip=None` for a headless service, `--node-port` for NodePort.
 */
type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

const TCP_FLAG: FlagSpec = {
  name: 'tcp',
  type: 'stringSlice',
  usage: "Port pairs can be specified as '<port>:<targetPort>'.",
};

const byName = (a: FlagSpec, b: FlagSpec): number => a.name.localeCompare(b.name);

function* run(inv: Invocation, type: ServiceType): Task<number> {
  const name = nameFromArgs(inv);
  if (typeof name !== 'string') return name.error;
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return errorExit(inv, strategy.error);
  const output = flagString(inv.flags, 'output') ?? '';
  if (output !== '') {
    const formatError = outputFormatError(output, CREATE_OUTPUT_FORMATS);
    if (formatError) return errorExit(inv, formatError);
  }
  const clusterIP = flagString(inv.flags, 'clusterip') ?? '';
  const externalName = flagString(inv.flags, 'external-name') ?? '';
  const tcp = flagList(inv.flags, 'tcp');
  if (type === 'ExternalName') {
    if (externalName === '') return errorExit(inv, 'external name must be specified');
  } else if (tcp.length === 0 && clusterIP !== 'None') {
    return errorExit(inv, 'at least one tcp port specifier must be provided');
  }
  const nodePort = flagInt(inv.flags, 'node-port') ?? 0;
  const ports: Record<string, unknown>[] = [];
  for (const pair of tcp) {
    const [portText = '', targetText = portText, ...rest] = pair.split(':');
    const port = Number(portText);
    if (rest.length > 0 || !/^\d+$/.test(portText) || !Number.isInteger(port))
      return errorExit(inv, `strconv.Atoi: parsing "${portText}": invalid syntax`);
    const target = /^\d+$/.test(targetText) ? Number(targetText) : targetText;
    ports.push({
      name: `${portText}-${targetText}`,
      ...(type === 'NodePort' && nodePort > 0 ? { nodePort } : {}),
      port,
      protocol: 'TCP',
      targetPort: target,
    });
  }
  const obj = {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: {
      creationTimestamp: null,
      labels: { app: name },
      name,
      ...(inv.explicitNamespace ? { namespace: inv.namespace } : {}),
    },
    spec: {
      ...(clusterIP !== '' ? { clusterIP } : {}),
      ...(type === 'ExternalName' ? { externalName } : {}),
      ...(ports.length > 0 ? { ports } : {}),
      selector: { app: name },
      type,
    },
    status: { loadBalancer: {} },
  } as unknown as KubeObject;
  if (strategy === 'client') {
    printCreated(inv, obj, 'service', dryRunSuffix(strategy));
    return 0;
  }
  const r = yield* call<KubeObject>(inv, {
    verb: 'create',
    resource: 'services',
    namespace: inv.namespace,
    body: obj,
    ...(strategy === 'server' ? { dryRun: true } : {}),
  });
  if (!r.ok) {
    inv.err(failureMessage(r.failure));
    return 1;
  }
  printCreated(inv, r.body, 'service', dryRunSuffix(strategy));
  return 0;
}

function generator(
  name: string,
  type: ServiceType,
  extraFlags: readonly FlagSpec[],
  help: CommandSpec['help'],
): CommandSpec {
  return {
    name,
    short: `Create a${type === 'ExternalName' ? 'n' : ''} ${type} service`,
    flags: [...CREATE_GENERATOR_FLAGS, ...extraFlags].sort(byName),
    help,
    run: (inv) => run(inv, type),
  };
}

const createClusterIpCommand = generator(
  'clusterip',
  'ClusterIP',
  [
    {
      name: 'clusterip',
      type: 'string',
      defaultValue: '',
      usage: "Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing).",
    },
    TCP_FLAG,
  ],
  {
    long: 'Create a ClusterIP service with the specified name.',
    examples: [
      '  # Create a new ClusterIP service named my-cs',
      '  kubectl create service clusterip my-cs --tcp=5678:8080',
      '  ',
      '  # Create a new ClusterIP service named my-cs (in headless mode)',
      '  kubectl create service clusterip my-cs --clusterip="None"',
    ].join('\n'),
    usage:
      'kubectl create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]',
  },
);

const createNodePortCommand = generator(
  'nodeport',
  'NodePort',
  [
    {
      name: 'node-port',
      type: 'int',
      defaultValue: '0',
      usage: 'Port used to expose the service on each node in a cluster.',
    },
    TCP_FLAG,
  ],
  {
    long: 'Create a NodePort service with the specified name.',
    examples: [
      '  # Create a new NodePort service named my-ns',
      '  kubectl create service nodeport my-ns --tcp=5678:8080',
    ].join('\n'),
    usage:
      'kubectl create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]',
  },
);

const createLoadBalancerCommand = generator('loadbalancer', 'LoadBalancer', [TCP_FLAG], {
  long: 'Create a LoadBalancer service with the specified name.',
  examples: [
    '  # Create a new LoadBalancer service named my-lbs',
    '  kubectl create service loadbalancer my-lbs --tcp=5678:8080',
  ].join('\n'),
  usage:
    'kubectl create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]',
});

const createExternalNameCommand = generator(
  'externalname',
  'ExternalName',
  [{ name: 'external-name', type: 'string', defaultValue: '', usage: 'External name of service' }, TCP_FLAG],
  {
    long: [
      'Create an ExternalName service with the specified name.',
      '',
      ' ExternalName service references to an external DNS address instead of only pods, which will allow application authors to reference services that exist off platform, on other clusters, or locally.',
    ].join('\n'),
    examples: [
      '  # Create a new ExternalName service named my-ns',
      '  kubectl create service externalname my-ns --external-name bar.com',
    ].join('\n'),
    usage:
      'kubectl create service externalname NAME --external-name external.name [--dry-run=server|client|none] [options]',
  },
);

export const createServiceCommand: CommandSpec = {
  name: 'service',
  aliases: ['svc'],
  short: 'Create a service using a specified subcommand',
  help: {
    long: 'Create a service using a specified subcommand.',
    usage: 'kubectl create service [flags] [options]',
  },
  subcommands: [
    createClusterIpCommand,
    createExternalNameCommand,
    createLoadBalancerCommand,
    createNodePortCommand,
  ],
  run: defaultSubCommandRun(() => renderHelp(createServiceCommand, 'kubectl create service'), 'err'),
};
