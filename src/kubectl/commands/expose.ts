import type { ResourceInfo } from '../../sim/api/resources';
import type { KubeObject } from '../../sim/api/types';
import { isPlainObject } from '../../sim/apiserver/mergePatch';
import type { Task } from '../../sim/kernel/task';
import { buildInfos, type Info } from '../cli/builder';
import type { CommandSpec } from '../cli/command';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  DRY_RUN_FLAG,
  errorExit,
  FILENAME_FLAG,
  KUSTOMIZE_FLAG,
  OUTPUT_FLAG,
  outputFormatError,
  PRINT_FLAGS_FORMATS,
  RECURSIVE_FLAG,
  refuseUnsupported,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
} from '../cli/common';
import { groupKind } from '../cli/discovery';
import { dryRunStrategy, dryRunSuffix } from '../cli/dryRun';
import type { ApiFailure } from '../cli/errors';
import { readFilenameObjects } from '../cli/filenameObjects';
import { call, type Invocation } from '../cli/invocation';
import { withApplyAnnotation } from '../cli/lastApplied';
import { isObject } from '../cli/manifests';
import { reportVisitErrors, type VisitError } from '../cli/visitErrors';
import { flagBool, flagList, flagString } from '../flags';
import { toGoJson } from '../print/json';
import { toYaml } from '../print/yaml';
import { SAVE_CONFIG_FLAG } from './createShared';

/**
 * `kubectl expose TYPE NAME | -f FILE`: a Service for a deployment, replica set, pod or service,
 * selecting what it selects (a pod: its labels), on the ports it declares unless --port says
 * otherwise (several ports become port-1, port-2, …), labelled as it is. Printed as
 * `service/NAME exposed`.
 */

type Obj = Record<string, unknown>;

const EXPOSABLE = new Set(['Pod', 'Service', 'Deployment', 'ReplicaSet', 'ReplicationController']);

/** The state expose.go keeps across the objects it visits (a value found for the first is reused). */
interface ExposeState {
  selector: string;
  port: string;
  ports: string;
  protocols: string;
  labels: string;
}

function podSpecOf(obj: Obj): Obj | undefined {
  const spec = isPlainObject(obj.spec) ? obj.spec : undefined;
  if (obj.kind === 'Pod') return spec;
  const template = spec && isPlainObject(spec.template) ? spec.template : undefined;
  return template && isPlainObject(template.spec) ? template.spec : undefined;
}

function containerPorts(obj: Obj): { port: string; protocol: string }[] {
  const spec = podSpecOf(obj);
  const containers = spec && Array.isArray(spec.containers) ? spec.containers : [];
  return containers.flatMap((c) =>
    isPlainObject(c) && Array.isArray(c.ports)
      ? c.ports.filter(isPlainObject).map((p) => ({
          port: String(p.containerPort ?? 0),
          protocol: String(p.protocol ?? 'TCP'),
        }))
      : [],
  );
}

/** polymorphichelpers.MakeLabels: `k=v,k2=v2`. */
function makeLabels(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** MapBasedSelectorForObject: the selector the Service will use, or why there is none. */
function selectorFor(obj: Obj): string | { error: string } {
  const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  switch (obj.kind) {
    case 'Pod': {
      const labels = isPlainObject(meta.labels) ? (meta.labels as Record<string, string>) : {};
      if (Object.keys(labels).length === 0) return { error: 'the pod has no labels and cannot be exposed' };
      return makeLabels(labels);
    }
    case 'Service': {
      const selector = isPlainObject(spec.selector) ? (spec.selector as Record<string, string>) : {};
      if (Object.keys(selector).length === 0) return { error: 'the service has no pod selector set' };
      return makeLabels(selector);
    }
    default: {
      const selector = isPlainObject(spec.selector) ? spec.selector : {};
      const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
      if (expressions.length > 0)
        return {
          error: `couldn't convert expressions - "${goRequirements(expressions)}" to map-based selector format`,
        };
      return makeLabels(
        isPlainObject(selector.matchLabels) ? (selector.matchLabels as Record<string, string>) : {},
      );
    }
  }
}

/** `%+v` of []metav1.LabelSelectorRequirement. */
function goRequirements(list: unknown[]): string {
  return `[${list
    .map((r) => {
      const x = isPlainObject(r) ? r : {};
      const values = Array.isArray(x.values) ? x.values.join(' ') : '';
      return `{Key:${String(x.key ?? '')} Operator:${String(x.operator ?? '')} Values:[${values}]}`;
    })
    .join(' ')}]`;
}

/** PortsForObject and ProtocolsForObject. */
function portsFor(obj: Obj): { ports: string[]; protocols: Map<string, string[]> } {
  const found =
    obj.kind === 'Service'
      ? ((isPlainObject(obj.spec) && Array.isArray(obj.spec.ports) ? obj.spec.ports : []) as Obj[])
          .filter(isPlainObject)
          .map((p) => ({ port: String(p.port ?? 0), protocol: String(p.protocol ?? 'TCP') }))
      : containerPorts(obj);
  const protocols = new Map<string, string[]>();
  const ports: string[] = [];
  for (const { port, protocol } of found) {
    if (!ports.includes(port)) ports.push(port);
    const list = protocols.get(port) ?? [];
    if (!list.includes(protocol)) list.push(protocol);
    protocols.set(port, list);
  }
  return { ports, protocols };
}

/** `k=v,k2=v2` into a map, or the error expose.go's parseLabels gives. */
function parseLabels(text: string): Record<string, string> | { error: string } {
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const kv = pair.split('=');
    if (kv.length !== 2) return { error: `unexpected label spec: ${pair}` };
    out[kv[0]!] = kv[1]!;
  }
  return out;
}

interface ServicePortSpec {
  name?: string;
  protocol: string;
  port: number;
  targetPort: number | string;
}

/** createService: the typed Service, keys in the Go structs' order. */
function buildService(
  inv: Invocation,
  state: ExposeState,
  defaultName: string,
): { service: Obj } | { error: string } {
  if (state.selector === '') return { error: 'selector must be specified' };
  const selector = parseLabels(state.selector);
  if ('error' in selector && typeof selector.error === 'string') return { error: selector.error };
  let labels: Record<string, string> | undefined;
  if (state.labels !== '') {
    const parsed = parseLabels(state.labels);
    if ('error' in parsed && typeof parsed.error === 'string') return { error: parsed.error };
    labels = parsed as Record<string, string>;
  }
  const name = flagString(inv.flags, 'name') || defaultName;
  if (name === '') return { error: 'name must be specified' };
  const protocolMap = new Map<string, string[]>();
  if (state.protocols !== '')
    for (const pair of state.protocols.split(',')) {
      const [port = '', protocol = ''] = pair.split('/');
      protocolMap.set(port, [...(protocolMap.get(port) ?? []), protocol]);
    }
  const portString = state.ports !== '' ? state.ports : state.port;
  const ports: ServicePortSpec[] = [];
  if (portString !== '') {
    const list = portString.split(',');
    for (const [i, text] of list.entries()) {
      if (!/^[+-]?\d+$/.test(text))
        return { error: `strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax` };
      const port = Number(text);
      const portName = list.length > 1 ? `port-${i + 1}` : '';
      let protocol = flagString(inv.flags, 'protocol') ?? '';
      if (protocol === '') {
        protocol = 'TCP';
        const found = protocolMap.get(text);
        if (found && found.length === 1) protocol = found[0]!;
        else if (found && found.length > 1) {
          for (const p of found)
            ports.push({ name: `port-${i + 1}-${p.toLowerCase()}`, protocol: p, port, targetPort: port });
          continue;
        }
      }
      ports.push({ ...(portName ? { name: portName } : {}), protocol, port, targetPort: port });
    }
  }
  const targetPort = flagString(inv.flags, 'target-port') || (flagString(inv.flags, 'container-port') ?? '');
  if (targetPort !== '') {
    const value = /^-?\d+$/.test(targetPort) ? Number(targetPort) : targetPort;
    for (const p of ports) p.targetPort = value;
  }
  const spec: Obj = { ports, selector };
  const clusterIP = flagString(inv.flags, 'cluster-ip') ?? '';
  if (clusterIP !== '') spec.clusterIP = clusterIP;
  const type = flagString(inv.flags, 'type') ?? '';
  if (type !== '') spec.type = type;
  const externalIP = flagString(inv.flags, 'external-ip') ?? '';
  if (externalIP !== '') spec.externalIPs = [externalIP];
  const affinity = flagString(inv.flags, 'session-affinity') ?? '';
  if (affinity !== '') {
    if (affinity !== 'None' && affinity !== 'ClientIP')
      return { error: `unknown session affinity: ${affinity}` };
    spec.sessionAffinity = affinity;
  }
  const lbIP = flagString(inv.flags, 'load-balancer-ip') ?? '';
  if (type === 'LoadBalancer' && lbIP !== '') spec.loadBalancerIP = lbIP;
  return {
    service: {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name, creationTimestamp: null, ...(labels ? { labels } : {}) },
      spec: orderServiceSpec(spec),
      status: { loadBalancer: {} },
    },
  };
}

/** ServiceSpec's field order (ports, selector, clusterIP, type, externalIPs, sessionAffinity, loadBalancerIP). */
function orderServiceSpec(spec: Obj): Obj {
  const out: Obj = {};
  for (const k of [
    'ports',
    'selector',
    'clusterIP',
    'type',
    'externalIPs',
    'sessionAffinity',
    'loadBalancerIP',
  ])
    if (k in spec) out[k] = spec[k];
  return out;
}

function* run(inv: Invocation): Task<number> {
  const refused = refuseUnsupported(inv, ['kustomize', 'overrides']);
  if (refused !== undefined) return refused;
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return errorExit(inv, strategy.error);
  const output = flagString(inv.flags, 'output') ?? '';
  if (output !== '' && output !== 'name') {
    const e = outputFormatError(output, PRINT_FLAGS_FORMATS, flagString(inv.flags, 'template') ?? '');
    if (e) return errorExit(inv, e);
  }
  let targets: (Info & { object: KubeObject })[];
  const errors: VisitError[] = [];
  if (flagList(inv.flags, 'filename').length > 0) {
    const files = yield* readFilenameObjects(inv);
    if (!files.ok) return files.code;
    const read = files.read;
    errors.push(...read.entries.filter((e) => !isObject(e)).map((e) => e as VisitError), ...read.readErrors);
    targets = read.entries.filter(isObject).map((o) => ({
      info: o.info,
      name: o.name,
      ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
      object: o.object as unknown as KubeObject,
    }));
  } else {
    const built = yield* buildInfos(inv, inv.args, { requireObject: true });
    if (!built.ok) return built.code;
    targets = built.infos.filter((t): t is Info & { object: KubeObject } => t.object !== undefined);
    errors.push(...built.errors);
  }
  const state: ExposeState = {
    selector: flagString(inv.flags, 'selector') ?? '',
    port: flagString(inv.flags, 'port') ?? '',
    ports: '',
    protocols: '',
    labels: flagString(inv.flags, 'labels') ?? '',
  };
  const visitErrors: VisitError[] = [];
  for (const target of targets) {
    const r = yield* exposeOne(
      inv,
      target.info,
      target.object as unknown as Obj,
      target.name,
      state,
      strategy,
    );
    if (r) visitErrors.push(r);
  }
  return reportVisitErrors(inv.err, [...visitErrors, ...errors]);
}

function* exposeOne(
  inv: Invocation,
  info: ResourceInfo,
  obj: Obj,
  name: string,
  state: ExposeState,
  strategy: 'none' | 'client' | 'server',
): Task<VisitError | undefined> {
  if (!EXPOSABLE.has(info.kind)) return { kind: 'text', text: `cannot expose a ${groupKind(info)}` };
  const defaultName = name.slice(0, 63);
  if (state.selector === '') {
    const s = selectorFor(obj);
    if (typeof s === 'object')
      return {
        kind: 'text',
        text: `couldn't retrieve selectors via --selector flag or introspection: ${s.error}`,
      };
    state.selector = s;
  }
  const headless = flagString(inv.flags, 'cluster-ip') === 'None';
  const { ports, protocols } = portsFor(obj);
  if (state.port === '') {
    if (ports.length === 0 && !headless)
      return { kind: 'text', text: "couldn't find port via --port flag or introspection" };
    if (ports.length === 1) state.port = ports[0]!;
    else if (ports.length > 1) state.ports = ports.join(',');
  }
  const made = [...protocols].flatMap(([port, list]) => list.map((p) => `${port}/${p}`)).join(',');
  if (made !== '') state.protocols = made;
  if (state.labels === '') {
    const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
    state.labels = makeLabels(isPlainObject(meta.labels) ? (meta.labels as Record<string, string>) : {});
  }
  const built = buildService(inv, state, defaultName);
  if ('error' in built) return { kind: 'text', text: built.error };
  let service = built.service;
  if (flagBool(inv.flags, 'save-config')) service = withApplyAnnotation(service);
  const output = flagString(inv.flags, 'output') ?? '';
  const serviceName = (service.metadata as { name: string }).name;
  if (strategy === 'client') {
    if (inv.explicitNamespace)
      service = { ...service, metadata: { ...(service.metadata as Obj), namespace: inv.namespace } };
    printService(inv, service, serviceName, output, dryRunSuffix(strategy), true);
    return undefined;
  }
  const r = yield* call<KubeObject>(inv, {
    verb: 'create',
    resource: 'services',
    namespace: inv.namespace,
    body: service as unknown as KubeObject,
    ...(strategy === 'server' ? { dryRun: true } : {}),
  });
  if (!r.ok) return r.failure as ApiFailure;
  printService(inv, r.body as unknown as Obj, serviceName, output, dryRunSuffix(strategy), false);
  return undefined;
}

/** PrintObj: `service/web exposed`, or the Service as YAML / JSON (the typed one keeps its field order). */
function printService(
  inv: Invocation,
  svc: Obj,
  name: string,
  output: string,
  suffix: string,
  typed: boolean,
): void {
  if (output === 'yaml') inv.out(toYaml(svc));
  else if (output === 'json') inv.out(`${toGoJson(typed ? typedService(svc) : svc, '    ', !typed)}\n`);
  else if (output === 'name') inv.out(`service/${name}\n`);
  else inv.out(`service/${name} exposed${suffix}\n`);
}

/** The typed Service in Go struct order (metadata: name, namespace, creationTimestamp, labels, annotations). */
function typedService(svc: Obj): Obj {
  const meta = svc.metadata as Obj;
  const orderedMeta: Obj = {};
  for (const k of ['name', 'namespace', 'creationTimestamp', 'labels', 'annotations'])
    if (k in meta) orderedMeta[k] = sortKeys(meta[k]);
  const spec = svc.spec as Obj;
  const orderedSpec: Obj = { ...spec };
  if (isPlainObject(spec.selector)) orderedSpec.selector = sortKeys(spec.selector);
  return {
    kind: svc.kind,
    apiVersion: svc.apiVersion,
    metadata: orderedMeta,
    spec: orderedSpec,
    status: svc.status,
  };
}

function sortKeys(v: unknown): unknown {
  if (!isPlainObject(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, v[k]]),
  );
}

export const exposeCommand: CommandSpec = {
  name: 'expose',
  short:
    'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service',
  flags: [
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    {
      name: 'cluster-ip',
      type: 'string',
      defaultValue: '',
      usage:
        "ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service.",
    },
    DRY_RUN_FLAG,
    {
      name: 'external-ip',
      type: 'string',
      defaultValue: '',
      usage:
        'Additional external IP address (not managed by Kubernetes) to accept for the service. If this IP is routed to a node, the service can be accessed by this IP in addition to its generated service IP.',
    },
    {
      name: 'field-manager',
      type: 'string',
      defaultValue: 'kubectl-expose',
      usage: 'Name of the manager used to track field ownership.',
    },
    FILENAME_FLAG('identifying the resource to expose a service'),
    KUSTOMIZE_FLAG,
    {
      name: 'labels',
      short: 'l',
      type: 'string',
      defaultValue: '',
      usage: 'Labels to apply to the service created by this call.',
    },
    {
      name: 'load-balancer-ip',
      type: 'string',
      defaultValue: '',
      usage:
        'IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created and used (cloud-provider specific).',
    },
    { name: 'name', type: 'string', defaultValue: '', usage: 'The name for the newly created object.' },
    OUTPUT_FLAG,
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
    {
      name: 'port',
      type: 'string',
      defaultValue: '',
      usage:
        'The port that the service should serve on. Copied from the resource being exposed, if unspecified',
    },
    {
      name: 'protocol',
      type: 'string',
      defaultValue: '',
      usage: "The network protocol for the service to be created. Default is 'TCP'.",
    },
    RECURSIVE_FLAG,
    SAVE_CONFIG_FLAG,
    {
      name: 'selector',
      type: 'string',
      defaultValue: '',
      usage:
        'A label selector to use for this service. Only equality-based selector requirements are supported. If empty (the default) infer the selector from the replication controller or replica set.)',
    },
    {
      name: 'session-affinity',
      type: 'string',
      defaultValue: '',
      usage:
        "If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'",
    },
    SHOW_MANAGED_FIELDS_FLAG,
    {
      name: 'target-port',
      type: 'string',
      defaultValue: '',
      usage:
        'Name or number for the port on the container that the service should direct traffic to. Optional.',
    },
    {
      name: 'container-port',
      type: 'string',
      defaultValue: '',
      usage: 'Synonym for --target-port',
      hidden: true,
    },
    TEMPLATE_FLAG,
    {
      name: 'type',
      type: 'string',
      defaultValue: '',
      usage:
        "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'.",
    },
  ],
  help: {
    long:
      'Expose a resource as a new Kubernetes service.\n\n' +
      ' Looks up a deployment, service, replica set, replication controller or pod by name and uses the selector for that resource as the selector for a new service on the specified port. A deployment or replica set will be exposed as a service only if its selector is convertible to a selector that service supports, i.e. when the selector contains only the matchLabels component. Note that if no port is specified via --port and the exposed resource has multiple ports, all will be re-used by the new service. Also if no labels are specified, the new service will re-use the labels from the resource it exposes.\n\n' +
      ' Possible resources include (case insensitive):\n\n' +
      ' pod (po), service (svc), replicationcontroller (rc), deployment (deploy), replicaset (rs)',
    examples: [
      '  # Create a service for a replicated nginx, which serves on port 80 and connects to the containers on port 8000',
      '  kubectl expose rc nginx --port=80 --target-port=8000',
      '  ',
      '  # Create a service for a replication controller identified by type and name specified in "nginx-controller.yaml", which serves on port 80 and connects to the containers on port 8000',
      '  kubectl expose -f nginx-controller.yaml --port=80 --target-port=8000',
      '  ',
      '  # Create a service for a pod valid-pod, which serves on port 444 with the name "frontend"',
      '  kubectl expose pod valid-pod --port=444 --name=frontend',
      '  ',
      '  # Create a second service based on the above service, exposing the container port 8443 as port 443 with the name "nginx-https"',
      '  kubectl expose service nginx --port=443 --target-port=8443 --name=nginx-https',
      '  ',
      "  # Create a service for a replicated streaming application on port 4100 balancing UDP traffic and named 'video-stream'.",
      '  kubectl expose rc streamer --port=4100 --protocol=UDP --name=video-stream',
      '  ',
      '  # Create a service for a replicated nginx using replica set, which serves on port 80 and connects to the containers on port 8000',
      '  kubectl expose rs nginx --port=80 --target-port=8000',
      '  ',
      '  # Create a service for an nginx deployment, which serves on port 80 and connects to the containers on port 8000',
      '  kubectl expose deployment nginx --port=80 --target-port=8000',
    ].join('\n'),
    usage:
      'kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]',
  },
  run,
};
