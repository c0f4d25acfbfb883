import { EPOCH_UNIX_MS } from '../kernel/time';
import { batchPrinters } from './batchTable';
import { daemonSetCells } from './daemonSet';
import { humanDuration } from './duration';
import type {
  DaemonSetObject,
  DeploymentObject,
  EndpointSliceObject,
  EndpointsObject,
  KubeObject,
  LabelSelector,
  LeaseObject,
  NamespaceObject,
  NodeObject,
  ReplicaSetObject,
  ServiceObject,
} from './types';

/**
 * Server-side printing, as kube-apiserver answers `Accept: ...;as=Table`: column definitions and
 * rows of cells per resource (ported from the shape of pkg/printers/internalversion). kubectl only
 * lays the table out, so one day a real kubectl could read these tables.
 */
export interface TableColumnDefinition {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'date';
  readonly format: string;
  readonly description: string;
  readonly priority: 0 | 1;
}

export interface TableRow {
  readonly cells: readonly (string | number)[];
  /** The row's object metadata (kubectl needs name, namespace and labels for its own columns). */
  readonly object: { readonly metadata: KubeObject['metadata'] };
}

export interface Table {
  readonly kind: 'Table';
  readonly apiVersion: 'meta.k8s.io/v1';
  readonly metadata: { readonly resourceVersion: string };
  readonly columnDefinitions: readonly TableColumnDefinition[];
  readonly rows: readonly TableRow[];
}

type Column = readonly [
  name: string,
  type: TableColumnDefinition['type'],
  priority: 0 | 1,
  description: string,
];
type Printer = {
  readonly columns: readonly Column[];
  readonly cells: (obj: KubeObject, nowMs: number) => (string | number)[];
};

/** Age of a timestamp at simulated time `nowMs`, as HumanDuration prints it. */
export function ageOf(timestamp: string | undefined, nowMs: number): string {
  if (!timestamp) return '<unknown>';
  return humanDuration(EPOCH_UNIX_MS + nowMs - Date.parse(timestamp));
}

const NAME: Column = ['Name', 'string', 0, 'Name must be unique within a namespace.'];
const AGE: Column = [
  'Age',
  'string',
  0,
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
];

function nodeStatus(node: NodeObject): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: NodeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function address(node: NodeObject, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

// ---- Label selectors, as apimachinery prints them ----

const SELECTOR_OPS: Record<string, string> = { In: ' in ', NotIn: ' notin ' };

/**
 * metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key; `k=v` for matchLabels,
 * `k in (a,b)` / `k notin (a,b)` with sorted values, `k` / `!k` for Exists / DoesNotExist. An
 * empty (or missing) selector prints as nothing.
 */
export function labelSelectorString(selector: LabelSelector | undefined): string {
  if (!selector) return '';
  const reqs: [string, string][] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) reqs.push([k, `${k}=${v}`]);
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort(byString);
    if (e.operator === 'Exists') reqs.push([e.key, e.key]);
    else if (e.operator === 'DoesNotExist') reqs.push([e.key, `!${e.key}`]);
    else reqs.push([e.key, `${e.key}${SELECTOR_OPS[e.operator] ?? ' '}(${values.join(',')})`]);
  }
  return reqs
    .sort((a, b) => byString(a[0], b[0]))
    .map(([, text]) => text)
    .join(',');
}

/** metav1.FormatLabelSelector: the selector string, or `<none>` when it selects by nothing. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  const text = labelSelectorString(selector);
  return text === '' ? '<none>' : text;
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** layoutContainerCells: container names and images, each comma-joined. */
function containerCells(
  containers: readonly { name: string; image: string }[] | undefined,
): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image).join(',')];
}

// ---- Pods: printPod's READY / STATUS / RESTARTS ----

/** A container state as the kubelet reports it (with the fields printPod reads). */
interface StateView {
  readonly waiting?: { readonly reason?: string };
  readonly running?: { readonly startedAt?: string };
  readonly terminated?: {
    readonly exitCode?: number;
    readonly signal?: number;
    readonly reason?: string;
    readonly finishedAt?: string;
  };
}

interface ContainerStatusView {
  readonly name: string;
  readonly ready?: boolean;
  readonly started?: boolean;
  readonly restartCount?: number;
  readonly state?: StateView;
  readonly lastState?: StateView;
}

/** The parts of a Pod that `kubectl get pods` shows. */
export interface PodView {
  readonly metadata: {
    readonly name: string;
    readonly creationTimestamp?: string;
    readonly deletionTimestamp?: string;
  };
  readonly spec?: {
    readonly containers?: readonly unknown[];
    readonly initContainers?: readonly { readonly name: string; readonly restartPolicy?: string }[];
    readonly nodeName?: string;
    readonly readinessGates?: readonly { readonly conditionType: string }[];
  };
  readonly status?: {
    readonly phase?: string;
    readonly reason?: string;
    readonly conditions?: readonly {
      readonly type: string;
      readonly status: string;
      readonly reason?: string;
    }[];
    readonly containerStatuses?: readonly ContainerStatusView[];
    readonly initContainerStatuses?: readonly ContainerStatusView[];
    readonly podIP?: string;
    readonly podIPs?: readonly { readonly ip: string }[];
    readonly nominatedNodeName?: string;
  };
}

export interface PodSummary {
  /** `1/1` */
  readonly ready: string;
  /** `Running`, `ContainerCreating`, `CrashLoopBackOff`, `Init:0/2`, `Terminating`… */
  readonly status: string;
  /** `0`, or `5 (112s ago)` */
  readonly restarts: string;
}

function finishedAtMs(state: StateView | undefined): number | undefined {
  const at = state?.terminated?.finishedAt;
  if (!at) return undefined;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * printPod's summary of a pod: how many containers are ready, the status a user reads (the pod's
 * reason or phase, overridden by the first failing init container, then by the first app
 * container that is waiting or terminated), and restarts with the age of the latest one.
 */
export function podSummary(pod: PodView, nowMs: number): PodSummary {
  const status = pod.status ?? {};
  let reason = status.reason || status.phase || '';
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated'))
    reason = 'SchedulingGated';
  const initSpecs = new Map((pod.spec?.initContainers ?? []).map((c) => [c.name, c]));
  const isSidecar = (name: string): boolean => initSpecs.get(name)?.restartPolicy === 'Always';
  const total =
    (pod.spec?.containers ?? []).length +
    [...initSpecs.values()].filter((c) => c.restartPolicy === 'Always').length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  const later = (a: number | undefined, b: number | undefined): number | undefined =>
    b === undefined ? a : a === undefined || b > a ? b : a;

  let initializing = false;
  const inits = status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i]!;
    restarts += c.restartCount ?? 0;
    lastRestart = later(lastRestart, finishedAtMs(c.lastState));
    if (isSidecar(c.name)) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, finishedAtMs(c.lastState));
    }
    const term = c.state?.terminated;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (isSidecar(c.name) && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (term) {
      if (term.reason) reason = `Init:${term.reason}`;
      else if (term.signal) reason = `Init:Signal:${term.signal}`;
      else reason = `Init:ExitCode:${term.exitCode ?? 0}`;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.size}`;
    }
    initializing = true;
    break;
  }

  const initialized = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const cs = status.containerStatuses ?? [];
    // From the last container to the first: the first container's state has the last word.
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i]!;
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, finishedAtMs(c.lastState));
      const term = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed')
    reason = 'Terminating';

  const restartsText =
    restarts !== 0 && lastRestart !== undefined
      ? `${restarts} (${humanDuration(EPOCH_UNIX_MS + nowMs - lastRestart)} ago)`
      : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText };
}

function podCells(pod: PodView, nowMs: number): (string | number)[] {
  const s = podSummary(pod, nowMs);
  const status = pod.status ?? {};
  const gates = pod.spec?.readinessGates ?? [];
  let readinessGates = '<none>';
  if (gates.length > 0) {
    const trueCount = gates.filter(
      (g) => (status.conditions ?? []).find((c) => c.type === g.conditionType)?.status === 'True',
    ).length;
    readinessGates = `${trueCount}/${gates.length}`;
  }
  return [
    pod.metadata.name,
    s.ready,
    s.status,
    s.restarts,
    ageOf(pod.metadata.creationTimestamp, nowMs),
    status.podIPs?.[0]?.ip || '<none>',
    pod.spec?.nodeName || '<none>',
    status.nominatedNodeName || '<none>',
    readinessGates,
  ];
}

/** The parts of a core/v1 Event that `kubectl get events` shows. */
export interface EventView {
  readonly metadata: { readonly name: string };
  readonly involvedObject?: { readonly kind?: string; readonly name?: string; readonly fieldPath?: string };
  readonly reason?: string;
  readonly message?: string;
  readonly type?: string;
  readonly source?: { readonly component?: string; readonly host?: string };
  readonly reportingComponent?: string;
  readonly reportingInstance?: string;
  readonly firstTimestamp?: string | null;
  readonly lastTimestamp?: string | null;
  readonly eventTime?: string | null;
  readonly count?: number;
  readonly series?: { readonly count?: number; readonly lastObservedTime?: string };
}

/** printEvent (always wide, as the API server prints): first and last seen, object, source, count. */
function eventCells(e: EventView, nowMs: number): (string | number)[] {
  let first = ageOf(e.firstTimestamp ?? undefined, nowMs);
  if (!e.firstTimestamp) first = ageOf(e.eventTime ?? undefined, nowMs);
  let last = e.lastTimestamp ? ageOf(e.lastTimestamp, nowMs) : first;
  let count = e.count ?? 0;
  if (e.series) {
    last = ageOf(e.series.lastObservedTime, nowMs);
    count = e.series.count ?? 0;
  } else if (count === 0) count = 1;
  const io = e.involvedObject ?? {};
  const kind = (io.kind ?? '').toLowerCase();
  const target = io.name ? `${kind}/${io.name}` : kind;
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return [
    last,
    e.type ?? '',
    e.reason ?? '',
    target,
    io.fieldPath ?? '',
    instance ? `${component}, ${instance}` : component,
    (e.message ?? '').trim(),
    first,
    count,
    e.metadata.name,
  ];
}

const CONTAINERS: Column = ['Containers', 'string', 1, 'Names of each container in the template.'];
const IMAGES: Column = ['Images', 'string', 1, 'Images referenced by each container in the template.'];

const PRINTERS: Record<string, Printer> = {
  ...batchPrinters({ ageOf, formatLabelSelector, epochUnixMs: EPOCH_UNIX_MS }),
  events: {
    columns: [
      ['Last Seen', 'string', 0, 'The time at which the most recent occurrence of this event was recorded.'],
      ['Type', 'string', 0, 'Type of this event (Normal, Warning), new types could be added in the future'],
      [
        'Reason',
        'string',
        0,
        "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      ],
      ['Object', 'string', 0, 'The object that this event is about.'],
      [
        'Subobject',
        'string',
        1,
        'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].',
      ],
      [
        'Source',
        'string',
        1,
        'The component reporting this event. Should be a short machine understandable string.',
      ],
      ['Message', 'string', 0, 'A human-readable description of the status of this operation.'],
      [
        'First Seen',
        'string',
        1,
        'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
      ],
      ['Count', 'string', 1, 'The number of times this event has occurred.'],
      ['Name', 'string', 1, 'Name must be unique within a namespace.'],
    ],
    cells: (obj, now) => eventCells(obj as unknown as EventView, now),
  },
  pods: {
    columns: [
      NAME,
      ['Ready', 'string', 0, 'The aggregate readiness state of this pod for accepting traffic.'],
      ['Status', 'string', 0, 'The aggregate status of the containers in this pod.'],
      [
        'Restarts',
        'string',
        0,
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      ],
      AGE,
      [
        'IP',
        'string',
        1,
        'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
      ],
      [
        'Node',
        'string',
        1,
        'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
      ],
      [
        'Nominated Node',
        'string',
        1,
        'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
      ],
      [
        'Readiness Gates',
        'string',
        1,
        'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
      ],
    ],
    cells: (obj, now) => podCells(obj as PodView, now),
  },
  deployments: {
    columns: [
      NAME,
      ['Ready', 'string', 0, 'Number of the pod with ready state'],
      [
        'Up-to-date',
        'string',
        0,
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      ],
      [
        'Available',
        'string',
        0,
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      ],
      AGE,
      CONTAINERS,
      IMAGES,
      [
        'Selector',
        'string',
        1,
        'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
      ],
    ],
    cells: (obj, now) => {
      const d = obj as DeploymentObject;
      const [names, images] = containerCells(d.spec?.template?.spec?.containers);
      return [
        d.metadata.name,
        `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
        d.status?.updatedReplicas ?? 0,
        d.status?.availableReplicas ?? 0,
        ageOf(d.metadata.creationTimestamp, now),
        names,
        images,
        labelSelectorString(d.spec?.selector),
      ];
    },
  },
  daemonsets: {
    columns: [
      NAME,
      [
        'Desired',
        'integer',
        0,
        'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).',
      ],
      [
        'Current',
        'integer',
        0,
        'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
      ],
      [
        'Ready',
        'integer',
        0,
        'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
      ],
      ['Up-to-date', 'integer', 0, 'The total number of nodes that are running updated daemon pod'],
      [
        'Available',
        'integer',
        0,
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
      ],
      [
        'Node Selector',
        'string',
        0,
        "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node.",
      ],
      AGE,
      CONTAINERS,
      IMAGES,
      [
        'Selector',
        'string',
        1,
        "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels.",
      ],
    ],
    cells: (obj, now) => {
      const d = obj as DaemonSetObject;
      return daemonSetCells(
        d,
        ageOf(d.metadata.creationTimestamp, now),
        containerCells(d.spec?.template?.spec?.containers),
        formatLabelSelector(d.spec?.selector),
      );
    },
  },
  replicasets: {
    columns: [
      NAME,
      [
        'Desired',
        'integer',
        0,
        'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
      ],
      [
        'Current',
        'integer',
        0,
        'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
      ],
      ['Ready', 'integer', 0, 'The number of ready replicas for this replica set.'],
      AGE,
      CONTAINERS,
      IMAGES,
      [
        'Selector',
        'string',
        1,
        "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
      ],
    ],
    cells: (obj, now) => {
      const rs = obj as ReplicaSetObject;
      const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
      return [
        rs.metadata.name,
        rs.spec?.replicas ?? 1,
        rs.status?.replicas ?? 0,
        rs.status?.readyReplicas ?? 0,
        ageOf(rs.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(rs.spec?.selector),
      ];
    },
  },
  nodes: {
    columns: [
      NAME,
      ['Status', 'string', 0, 'The status of the node'],
      ['Roles', 'string', 0, 'The roles of the node'],
      AGE,
      ['Version', 'string', 0, 'Kubelet Version reported by the node.'],
      ['Internal-IP', 'string', 1, 'List of addresses reachable to the node.'],
      ['External-IP', 'string', 1, 'List of addresses reachable to the node.'],
      ['OS-Image', 'string', 1, 'OS Image reported by the node from /etc/os-release.'],
      ['Kernel-Version', 'string', 1, 'Kernel Version reported by the node.'],
      ['Container-Runtime', 'string', 1, 'Container Runtime Version reported by the node.'],
    ],
    cells: (obj, now) => {
      const node = obj as NodeObject;
      const info = node.status?.nodeInfo ?? {};
      return [
        node.metadata.name,
        nodeStatus(node),
        nodeRoles(node),
        ageOf(node.metadata.creationTimestamp, now),
        info.kubeletVersion ?? '',
        address(node, 'InternalIP'),
        address(node, 'ExternalIP'),
        info.osImage || '<unknown>',
        info.kernelVersion || '<unknown>',
        info.containerRuntimeVersion || '<unknown>',
      ];
    },
  },
  namespaces: {
    columns: [NAME, ['Status', 'string', 0, 'The status of the namespace'], AGE],
    cells: (obj, now) => [
      obj.metadata.name,
      (obj as NamespaceObject).status?.phase ?? 'Active',
      ageOf(obj.metadata.creationTimestamp, now),
    ],
  },
  services: {
    columns: [
      NAME,
      ['Type', 'string', 0, 'The type of the service.'],
      ['Cluster-IP', 'string', 0, 'The cluster IP of the service.'],
      ['External-IP', 'string', 0, 'The external IPs of the service.'],
      ['Port(s)', 'string', 0, 'The ports of the service.'],
      AGE,
      [
        'Selector',
        'string',
        1,
        'Route service traffic to pods with label keys and values matching this selector.',
      ],
    ],
    cells: (obj, now) => {
      const svc = obj as ServiceObject;
      const type = svc.spec?.type ?? 'ClusterIP';
      const ports = (svc.spec?.ports ?? [])
        .map((p) =>
          p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`,
        )
        .join(',');
      const selector = Object.entries(svc.spec?.selector ?? {})
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      return [
        svc.metadata.name,
        type,
        svc.spec?.clusterIP ?? '<none>',
        type === 'LoadBalancer' ? '<pending>' : '<none>',
        ports === '' ? '<none>' : ports,
        ageOf(svc.metadata.creationTimestamp, now),
        selector === '' ? '<none>' : selector,
      ];
    },
  },
  endpoints: {
    columns: [NAME, ['Endpoints', 'string', 0, 'Endpoints of the resource.'], AGE],
    cells: (obj, now) => {
      const ep = obj as EndpointsObject;
      const all: string[] = [];
      for (const subset of ep.subsets ?? []) {
        for (const a of subset.addresses ?? []) {
          for (const p of subset.ports ?? []) all.push(`${a.ip}:${p.port}`);
          if ((subset.ports ?? []).length === 0) all.push(a.ip);
        }
      }
      // printers.go formatEndpoints: the first three, then "+ N more...".
      const shown =
        all.length === 0
          ? '<none>'
          : all.slice(0, 3).join(',') + (all.length > 3 ? ` + ${all.length - 3} more...` : '');
      return [ep.metadata.name, shown, ageOf(ep.metadata.creationTimestamp, now)];
    },
  },
  serviceaccounts: {
    columns: [
      NAME,
      [
        'Secrets',
        'string',
        0,
        'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
      ],
      AGE,
    ],
    cells: (obj, now) => [
      obj.metadata.name,
      String(((obj as { secrets?: readonly unknown[] }).secrets ?? []).length),
      ageOf(obj.metadata.creationTimestamp, now),
    ],
  },
  endpointslices: {
    columns: [
      NAME,
      [
        'AddressType',
        'string',
        0,
        'addressType specifies the type of address carried by this EndpointSlice.',
      ],
      [
        'Ports',
        'string',
        0,
        'ports specifies the list of network ports exposed by each endpoint in this slice.',
      ],
      ['Endpoints', 'string', 0, 'endpoints is a list of unique endpoints in this slice.'],
      AGE,
    ],
    cells: (obj, now) => {
      const slice = obj as EndpointSliceObject;
      // printers.go formatDiscoveryPorts / formatDiscoveryEndpoints: <unset> when none.
      const ports = (slice.ports ?? []).map((p) => String(p.port)).join(',');
      const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses);
      const shown =
        addresses.length === 0
          ? '<unset>'
          : addresses.slice(0, 3).join(',') +
            (addresses.length > 3 ? ` + ${addresses.length - 3} more...` : '');
      return [
        slice.metadata.name,
        slice.addressType,
        ports === '' ? '<unset>' : ports,
        shown,
        ageOf(slice.metadata.creationTimestamp, now),
      ];
    },
  },
  leases: {
    columns: [
      NAME,
      ['Holder', 'string', 0, 'HolderIdentity is the identity of the holder of a current lease.'],
      AGE,
    ],
    cells: (obj, now) => [
      obj.metadata.name,
      (obj as LeaseObject).spec?.holderIdentity ?? '',
      ageOf(obj.metadata.creationTimestamp, now),
    ],
  },
};

export function toTable(
  resource: string,
  items: readonly KubeObject[],
  resourceVersion: string,
  nowMs: number,
): Table {
  const printer = PRINTERS[resource];
  if (!printer) {
    return {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion },
      columnDefinitions: [toDefinition(NAME), toDefinition(AGE)],
      rows: items.map((o) => ({
        cells: [o.metadata.name, ageOf(o.metadata.creationTimestamp, nowMs)],
        object: { metadata: o.metadata },
      })),
    };
  }
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: printer.columns.map(toDefinition),
    rows: items.map((o) => ({ cells: printer.cells(o, nowMs), object: { metadata: o.metadata } })),
  };
}

function toDefinition([name, type, priority, description]: Column): TableColumnDefinition {
  return { name, type, format: name === 'Name' ? 'name' : '', description, priority };
}
