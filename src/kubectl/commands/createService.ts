import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import { defaultSubCommandRun, errorExit } from '../cli/common';
import { renderHelp } from '../cli/help';
import type { Invocation } from '../cli/invocation';
import { goQuote } from '../cli/klog';
import { dns1123SubdomainErrors } from '../cli/validation';
import { type FlagSpec, flagInt, flagList, flagString } from '../flags';
import { nameFromArgs } from './createDeployment';
import { CREATE_GENERATOR_FLAGS, generatorStrategy, sendGenerated } from './createShared';

/**
 * `kubectl create service clusterip|nodeport|loadbalancer|externalname NAME`, as create_service.go
 * builds them: ports from `--tcp=port[:targetPort]` named after it (`:` becoming `-`), the selector and label
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
  const strategy = generatorStrategy(inv);
  if (typeof strategy === 'object') return strategy.exit;
  const clusterIP = flagString(inv.flags, 'clusterip') ?? '';
  const externalName = flagString(inv.flags, 'external-name') ?? '';
  const tcp = flagList(inv.flags, 'tcp');
  if (type === 'ExternalName') {
    if (dns1123SubdomainErrors(externalName).length > 0)
      return errorExit(inv, `invalid service external name ${externalName}`);
  } else if (tcp.length === 0 && clusterIP !== 'None') {
    return errorExit(inv, 'at least one tcp port specifier must be provided');
  }
  const nodePort = flagInt(inv.flags, 'node-port') ?? 0;
  const ports: Record<string, unknown>[] = [];
  for (const pair of tcp) {
    const parsed = parsePorts(pair);
    if (typeof parsed === 'string') return errorExit(inv, parsed);
    const { port, target } = parsed;
    // ServicePort's field order (what `-o json` shows): name, protocol, port, targetPort, nodePort.
    ports.push({
      name: pair.replaceAll(':', '-'),
      protocol: 'TCP',
      port,
      targetPort: target,
      ...(type === 'NodePort' && nodePort > 0 ? { nodePort } : {}),
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
    // ServiceSpec's field order: ports, selector, clusterIP, type, externalName.
    spec: {
      ...(ports.length > 0 ? { ports } : {}),
      selector: { app: name },
      ...(clusterIP !== '' ? { clusterIP } : {}),
      type,
      ...(type === 'ExternalName' ? { externalName } : {}),
    },
    status: { loadBalancer: {} },
  } as unknown as KubeObject;
  return yield* sendGenerated(inv, 'services', 'service', obj, strategy);
}

/**
 * service.go's parsePorts: `PORT[:TARGET[:…]]`, the port through utilsnet.ParsePort (zero allowed),
 * the target port a number (IsValidPortNum) or a port name (IsValidPortName). An error text or the ports.
 */
function parsePorts(text: string): { port: number; target: number | string } | string {
  const [portText = '', targetText] = text.split(':');
  if (!/^\d+$/.test(portText)) return `strconv.ParseUint: parsing ${goQuote(portText)}: invalid syntax`;
  const port = Number(portText);
  if (port > 65535) return `strconv.ParseUint: parsing ${goQuote(portText)}: value out of range`;
  if (targetText === undefined) return { port, target: port };
  // strconv.Atoi: an optional sign and decimal digits, within int64.
  const asInt = /^[+-]?\d+$/.test(targetText) ? Number(targetText) : Number.NaN;
  if (Number.isFinite(asInt) && Math.abs(asInt) <= Number.MAX_SAFE_INTEGER) {
    if (asInt < 1 || asInt > 65535) return 'must be between 1 and 65535, inclusive';
    return { port, target: asInt };
  }
  const errs = portNameErrors(targetText);
  if (errs.length > 0) return errs.join(',');
  return { port, target: targetText };
}

/** apimachinery's IsValidPortName. */
function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (new TextEncoder().encode(name).length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name))
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
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
    // ServiceExternalNameGeneratorV1's MarkFlagRequired("external-name").
    ...(type === 'ExternalName' ? { requiredFlags: ['external-name'] } : {}),
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
