import { EPOCH_UNIX_MS } from '../kernel/time';
import { humanDuration } from './duration';
import type { KubeObject, LeaseObject, NamespaceObject, NodeObject } from './types';

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

const PRINTERS: Record<string, Printer> = {
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
