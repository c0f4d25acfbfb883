import { formatLabelSelector } from '../../../sim/api/table';
import type { Toleration } from '../../../sim/api/types';
import { canonicalQuantity, parseQuantity } from '../quantity';
import { ageSince, rfc1123z, ZERO_TIME_RFC1123Z } from '../time';
import { type EventsSection, writeEvents } from './events';
import { PrefixWriter, printAnnotationsMultiline, printLabelsMultiline } from './prefixWriter';

/**
 * describe.go's pod layout (describePod) and the pieces pod templates share with it: containers
 * with their state, resources, environment and mounts; volumes; QoS class; tolerations. The types
 * here are loose views of the API objects: describe prints whatever the server returned.
 */

type StringMap = Readonly<Record<string, string>>;

export interface ContainerStateView {
  readonly waiting?: { readonly reason?: string; readonly message?: string };
  readonly running?: { readonly startedAt?: string };
  readonly terminated?: {
    readonly exitCode?: number;
    readonly signal?: number;
    readonly reason?: string;
    readonly message?: string;
    readonly startedAt?: string;
    readonly finishedAt?: string;
  };
}

export interface ContainerStatusView {
  readonly name: string;
  readonly containerID?: string;
  readonly imageID?: string;
  readonly ready?: boolean;
  readonly restartCount?: number;
  readonly state?: ContainerStateView;
  readonly lastState?: ContainerStateView;
}

interface ProbeView {
  readonly exec?: { readonly command?: readonly string[] };
  readonly httpGet?: {
    readonly path?: string;
    readonly port?: number | string;
    readonly host?: string;
    readonly scheme?: string;
  };
  readonly tcpSocket?: { readonly port?: number | string; readonly host?: string };
  readonly grpc?: { readonly port?: number; readonly service?: string };
  readonly initialDelaySeconds?: number;
  readonly timeoutSeconds?: number;
  readonly periodSeconds?: number;
  readonly successThreshold?: number;
  readonly failureThreshold?: number;
}

interface EnvVarView {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly fieldRef?: { readonly apiVersion?: string; readonly fieldPath: string };
    readonly resourceFieldRef?: { readonly resource: string };
    readonly secretKeyRef?: { readonly name?: string; readonly key: string; readonly optional?: boolean };
    readonly configMapKeyRef?: { readonly name?: string; readonly key: string; readonly optional?: boolean };
  };
}

export interface ContainerView {
  readonly name: string;
  readonly image?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly ports?: readonly {
    readonly containerPort: number;
    readonly hostPort?: number;
    readonly protocol?: string;
  }[];
  readonly resources?: { readonly limits?: StringMap; readonly requests?: StringMap };
  readonly env?: readonly EnvVarView[];
  readonly envFrom?: readonly {
    readonly prefix?: string;
    readonly configMapRef?: { readonly name?: string; readonly optional?: boolean };
    readonly secretRef?: { readonly name?: string; readonly optional?: boolean };
  }[];
  readonly volumeMounts?: readonly {
    readonly name: string;
    readonly mountPath: string;
    readonly readOnly?: boolean;
    readonly subPath?: string;
  }[];
  readonly livenessProbe?: ProbeView;
  readonly readinessProbe?: ProbeView;
  readonly startupProbe?: ProbeView;
  readonly restartPolicy?: string;
}

interface VolumeView {
  readonly name: string;
  readonly [source: string]: unknown;
}

export interface PodSpecView {
  readonly containers?: readonly ContainerView[];
  readonly initContainers?: readonly ContainerView[];
  readonly volumes?: readonly VolumeView[];
  readonly nodeName?: string;
  readonly nodeSelector?: StringMap;
  readonly tolerations?: readonly Toleration[];
  readonly serviceAccountName?: string;
  readonly priority?: number;
  readonly priorityClassName?: string;
  readonly runtimeClassName?: string;
  readonly readinessGates?: readonly { readonly conditionType: string }[];
  readonly topologySpreadConstraints?: readonly {
    readonly maxSkew: number;
    readonly topologyKey: string;
    readonly whenUnsatisfiable: string;
    readonly labelSelector?: Parameters<typeof formatLabelSelector>[0];
  }[];
}

export interface PodView {
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: StringMap;
    readonly annotations?: StringMap;
    readonly deletionTimestamp?: string;
    readonly deletionGracePeriodSeconds?: number;
    readonly ownerReferences?: readonly {
      readonly kind: string;
      readonly name: string;
      readonly controller?: boolean;
    }[];
  };
  readonly spec?: PodSpecView;
  readonly status?: {
    readonly phase?: string;
    readonly reason?: string;
    readonly message?: string;
    readonly hostIP?: string;
    readonly podIP?: string;
    readonly podIPs?: readonly { readonly ip: string }[];
    readonly startTime?: string;
    readonly nominatedNodeName?: string;
    readonly qosClass?: string;
    readonly conditions?: readonly { readonly type: string; readonly status: string }[];
    readonly containerStatuses?: readonly ContainerStatusView[];
    readonly initContainerStatuses?: readonly ContainerStatusView[];
  };
}

/** printController: `Kind/name` of the controlling owner, or ''. */
export function controllerOf(meta: PodView['metadata']): string {
  const ref = meta.ownerReferences?.find((r) => r.controller === true);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

export function describePod(pod: PodView, events: EventsSection, nowMs: number): string {
  const w = new PrefixWriter();
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  w.write(0, `Name:\t${pod.metadata.name}\n`);
  w.write(0, `Namespace:\t${pod.metadata.namespace ?? ''}\n`);
  if (spec.priority !== undefined) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  if (!spec.nodeName) w.write(0, 'Node:\t<none>\n');
  else w.write(0, `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n`);
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  printLabelsMultiline(w, 'Labels', pod.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', pod.metadata.annotations);
  if (pod.metadata.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(0, `Status:\tTerminating (lasts ${ageSince(pod.metadata.deletionTimestamp, nowMs)})\n`);
    w.write(0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(0, `Status:\t${status.phase ?? ''}\n`);
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  w.write(0, `IP:\t${status.podIP ?? ''}\n`);
  if (!status.podIPs || status.podIPs.length === 0) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of status.podIPs) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const controlledBy = controllerOf(pod.metadata);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  const env = fieldResolver(pod);
  if (spec.initContainers && spec.initContainers.length > 0)
    describeContainers(w, 'Init Containers', spec.initContainers, status.initContainerStatuses, env, '');
  describeContainers(w, 'Containers', spec.containers ?? [], status.containerStatuses, env, '');
  if (spec.readinessGates && spec.readinessGates.length > 0) {
    w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec.readinessGates) {
      const c = status.conditions?.find((x) => x.type === g.conditionType);
      w.write(1, `${g.conditionType} \t${c ? c.status : '<none>'} \n`);
    }
  }
  if (status.conditions && status.conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of status.conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, spec.volumes, '');
  w.write(0, `QoS Class:\t${status.qosClass || computeQosClass(spec)}\n`);
  printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, 'Tolerations', spec.tolerations);
  describeTopologySpreadConstraints(w, spec.topologySpreadConstraints, '');
  writeEvents(w, events);
  return w.text();
}

/** DescribePodTemplate: the template of a Deployment or ReplicaSet (containers without status). */
export function describePodTemplate(
  w: PrefixWriter,
  template: { metadata?: { labels?: StringMap; annotations?: StringMap }; spec?: PodSpecView } | undefined,
): void {
  w.write(0, 'Pod Template:\n');
  if (!template) {
    w.write(1, '<unset>');
    return;
  }
  const spec = template.spec ?? {};
  printLabelsMultiline(w, '  Labels', template.metadata?.labels);
  const annotations = template.metadata?.annotations;
  if (annotations && Object.keys(annotations).length > 0)
    printAnnotationsMultiline(w, '  Annotations', annotations);
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers && spec.initContainers.length > 0)
    describeContainers(w, 'Init Containers', spec.initContainers, undefined, undefined, '  ');
  describeContainers(w, 'Containers', spec.containers ?? [], undefined, undefined, '  ');
  describeVolumes(w, spec.volumes, '  ');
  describeTopologySpreadConstraints(w, spec.topologySpreadConstraints, '  ');
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, '  Tolerations', spec.tolerations);
}

type EnvResolver = ((e: EnvVarView) => string) | undefined;

function describeContainers(
  w: PrefixWriter,
  label: string,
  containers: readonly ContainerView[],
  statuses: readonly ContainerStatusView[] | undefined,
  resolve: EnvResolver,
  space: string,
): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  w.write(0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  const nameIndent = space.length > 0 ? ' ' : '';
  for (const c of containers) {
    const status = byName.get(c.name);
    w.write(1, `${nameIndent}${c.name}:\n`);
    if (status) w.write(2, `Container ID:\t${status.containerID ?? ''}\n`);
    w.write(2, `Image:\t${c.image ?? ''}\n`);
    if (status) w.write(2, `Image ID:\t${status.imageID ?? ''}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? ''}`).join(', ');
    if (ports.includes(',')) w.write(2, `Ports:\t${ports}\n`);
    else w.write(2, `Port:\t${ports || '<none>'}\n`);
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? ''}`).join(', ');
    if (hostPorts.includes(',')) w.write(2, `Host Ports:\t${hostPorts}\n`);
    else w.write(2, `Host Port:\t${hostPorts || '<none>'}\n`);
    if (c.command && c.command.length > 0) {
      w.write(2, 'Command:\n');
      for (const s of c.command.flatMap((x) => x.split('\n'))) w.write(3, `${s}\n`);
    }
    if (c.args && c.args.length > 0) {
      w.write(2, 'Args:\n');
      for (const s of c.args.flatMap((x) => x.split('\n'))) w.write(3, `${s}\n`);
    }
    if (status) {
      describeState(w, 'State', status.state);
      if (status.lastState?.terminated) describeState(w, 'Last State', status.lastState);
      w.write(2, `Ready:\t${status.ready ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${status.restartCount ?? 0}\n`);
    }
    describeResources(w, c.resources, 2);
    if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
    if (c.envFrom && c.envFrom.length > 0) {
      w.write(2, 'Environment Variables from:\n');
      for (const e of c.envFrom) {
        const [from, ref] = e.configMapRef
          ? ['ConfigMap', e.configMapRef]
          : e.secretRef
            ? ['Secret', e.secretRef]
            : ['', undefined];
        const optional = ref?.optional === true;
        if (!e.prefix) w.write(3, `${ref?.name ?? ''}\t${from}\tOptional: ${optional}\n`);
        else w.write(3, `${ref?.name ?? ''}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n`);
      }
    }
    describeEnv(w, c, resolve);
    describeMounts(w, c);
  }
}

function describeState(w: PrefixWriter, name: string, state: ContainerStateView | undefined): void {
  if (state?.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt ?? '')}\n`);
  } else if (state?.waiting) {
    w.write(2, `${name}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if ((t.signal ?? 0) > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${t.startedAt ? rfc1123z(t.startedAt) : ZERO_TIME_RFC1123Z}\n`);
    w.write(3, `Finished:\t${t.finishedAt ? rfc1123z(t.finishedAt) : ZERO_TIME_RFC1123Z}\n`);
  } else w.write(2, `${name}:\tWaiting\n`);
}

function sortedKeys(map: StringMap | undefined): string[] {
  return Object.keys(map ?? {}).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Quantity.String() of a value as stored (canonical form), or the text itself if unparsable. */
function quantityText(text: string): string {
  return parseQuantity(text) ? canonicalQuantity(text) : text;
}

function describeResources(
  w: PrefixWriter,
  resources: { limits?: StringMap; requests?: StringMap } | undefined,
  level: number,
): void {
  if (!resources) return;
  const limits = sortedKeys(resources.limits);
  if (limits.length > 0) w.write(level, 'Limits:\n');
  for (const name of limits) w.write(level + 1, `${name}:\t${quantityText(resources.limits![name]!)}\n`);
  const requests = sortedKeys(resources.requests);
  if (requests.length > 0) w.write(level, 'Requests:\n');
  for (const name of requests) w.write(level + 1, `${name}:\t${quantityText(resources.requests![name]!)}\n`);
}

function describeProbe(p: ProbeView): string {
  const attrs =
    `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s ` +
    `#success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const port = p.httpGet.port === undefined ? '' : String(p.httpGet.port);
    const host = port === '' ? (p.httpGet.host ?? '') : `${p.httpGet.host ?? ''}:${port}`;
    const scheme = (p.httpGet.scheme ?? '').toLowerCase();
    return `http-get ${scheme}${scheme ? '://' : '//'}${host}${p.httpGet.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${String(p.tcpSocket.port ?? '')} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port ?? 0} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeEnv(w: PrefixWriter, c: ContainerView, resolve: EnvResolver): void {
  const env = c.env ?? [];
  w.write(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    if (!e.valueFrom) {
      (e.value ?? '').split('\n').forEach((s, i) => {
        w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`);
      });
      continue;
    }
    const from = e.valueFrom;
    if (from.fieldRef) {
      const value = resolve ? resolve(e) : '';
      w.write(3, `${e.name}:\t${value} (${from.fieldRef.apiVersion ?? ''}:${from.fieldRef.fieldPath})\n`);
    } else if (from.resourceFieldRef) {
      w.write(3, `${e.name}:\t (${from.resourceFieldRef.resource})\n`);
    } else if (from.secretKeyRef) {
      const r = from.secretKeyRef;
      w.write(
        3,
        `${e.name}:\t<set to the key '${r.key}' in secret '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`,
      );
    } else if (from.configMapKeyRef) {
      const r = from.configMapKeyRef;
      w.write(
        3,
        `${e.name}:\t<set to the key '${r.key}' of config map '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`,
      );
    }
  }
}

function describeMounts(w: PrefixWriter, c: ContainerView): void {
  const mounts = [...(c.volumeMounts ?? [])].sort((a, b) =>
    a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0,
  );
  w.write(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw'];
    if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
    w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
}

/** The downward-API values describe resolves for `valueFrom.fieldRef` in a pod's environment. */
function fieldResolver(pod: PodView): EnvResolver {
  return (e) => {
    const path = e.valueFrom?.fieldRef?.fieldPath ?? '';
    const label = path.match(/^metadata\.labels\['(.+)'\]$/);
    if (label) return pod.metadata.labels?.[label[1]!] ?? '';
    const annotation = path.match(/^metadata\.annotations\['(.+)'\]$/);
    if (annotation) return pod.metadata.annotations?.[annotation[1]!] ?? '';
    switch (path) {
      case 'metadata.name':
        return pod.metadata.name;
      case 'metadata.namespace':
        return pod.metadata.namespace ?? '';
      case 'spec.nodeName':
        return pod.spec?.nodeName ?? '';
      case 'spec.serviceAccountName':
        return pod.spec?.serviceAccountName ?? '';
      case 'status.hostIP':
        return pod.status?.hostIP ?? '';
      case 'status.podIP':
        return pod.status?.podIP ?? '';
      default:
        return '';
    }
  };
}

function describeVolumes(w: PrefixWriter, volumes: readonly VolumeView[] | undefined, space: string): void {
  if (!volumes || volumes.length === 0) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  const nameIndent = space.length > 0 ? ' ' : '';
  for (const v of volumes) {
    w.write(1, `${nameIndent}${v.name}:\n`);
    const src = v as Record<string, Record<string, unknown> | undefined>;
    if (src.hostPath) {
      w.write(
        2,
        `Type:\tHostPath (bare host directory volume)\n    Path:\t${String(src.hostPath.path ?? '')}\n    HostPathType:\t${String(src.hostPath.type ?? '')}\n`,
      );
    } else if (src.emptyDir) {
      const limit = src.emptyDir.sizeLimit ? quantityText(String(src.emptyDir.sizeLimit)) : '<unset>';
      w.write(
        2,
        `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${String(src.emptyDir.medium ?? '')}\n    SizeLimit:\t${limit}\n`,
      );
    } else if (src.secret) {
      w.write(
        2,
        `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${String(src.secret.secretName ?? '')}\n    Optional:\t${src.secret.optional === true}\n`,
      );
    } else if (src.configMap) {
      w.write(
        2,
        `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${String(src.configMap.name ?? '')}\n    Optional:\t${src.configMap.optional === true}\n`,
      );
    } else if (src.persistentVolumeClaim) {
      w.write(
        2,
        `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${String(src.persistentVolumeClaim.claimName ?? '')}\n    ReadOnly:\t${src.persistentVolumeClaim.readOnly === true}\n`,
      );
    } else if (src.projected) {
      w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      const sources = (src.projected.sources ?? []) as Record<string, Record<string, unknown> | undefined>[];
      for (const s of sources) {
        if (s.secret)
          w.write(
            2,
            `SecretName:\t${String(s.secret.name ?? '')}\n    SecretOptionalName:\t${goPtrBool(s.secret.optional)}\n`,
          );
        else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
        else if (s.configMap)
          w.write(
            2,
            `ConfigMapName:\t${String(s.configMap.name ?? '')}\n    ConfigMapOptional:\t${goPtrBool(s.configMap.optional)}\n`,
          );
        else if (s.serviceAccountToken)
          w.write(2, `TokenExpirationSeconds:\t${String(s.serviceAccountToken.expirationSeconds ?? 0)}\n`);
      }
    } else w.write(1, '<unknown>\n');
  }
}

/** `%v` of a `*bool` that is normally unset. */
function goPtrBool(v: unknown): string {
  return v === undefined || v === null ? '<nil>' : String(v);
}

function describeTopologySpreadConstraints(
  w: PrefixWriter,
  constraints: PodSpecView['topologySpreadConstraints'],
  space: string,
): void {
  if (!constraints || constraints.length === 0) return;
  const sorted = [...constraints].sort((a, b) =>
    a.topologyKey < b.topologyKey ? -1 : a.topologyKey > b.topologyKey ? 1 : 0,
  );
  w.write(0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((c, i) => {
    if (i !== 0) w.write(0, `${space}\t`);
    let text = `${c.topologyKey}:${c.whenUnsatisfiable} when max skew ${c.maxSkew} is exceeded`;
    if (c.labelSelector) text += ` for selector ${formatLabelSelector(c.labelSelector)}`;
    w.write(0, `${text}\n`);
  });
}

/** printTolerationsMultilineWithIndent: sorted by key; `key=value:Effect op=Exists for Ns`. */
export function printTolerationsMultiline(
  w: PrefixWriter,
  title: string,
  tolerations: readonly Toleration[] | undefined,
): void {
  w.write(0, `${title}:\t`);
  if (!tolerations || tolerations.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const sorted = [...tolerations].sort((a, b) => {
    const ka = a.key ?? '';
    const kb = b.key ?? '';
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    let text = t.key ?? '';
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined) text += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${text}\n`);
  });
}

const QOS_RESOURCES = ['cpu', 'memory'];

/** qos.ComputePodQOS: BestEffort without requests or limits; Guaranteed when every container's cpu and memory limits equal its requests. */
export function computeQosClass(spec: PodSpecView): string {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const [name, text] of Object.entries(c.resources?.requests ?? {})) {
      const q = parseQuantity(text);
      if (!QOS_RESOURCES.includes(name) || !q || q.nanos <= 0n) continue;
      requests.set(name, (requests.get(name) ?? 0n) + q.nanos);
    }
    const found = new Set<string>();
    for (const [name, text] of Object.entries(c.resources?.limits ?? {})) {
      const q = parseQuantity(text);
      if (!QOS_RESOURCES.includes(name) || !q || q.nanos <= 0n) continue;
      found.add(name);
      limits.set(name, (limits.get(name) ?? 0n) + q.nanos);
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      if (limits.get(name) !== req) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
