import type { LeaseObject, NodeObject } from '../../../sim/api/types';
import {
  addQuantity,
  formatQuantity,
  milliValue,
  parseQuantity,
  type Quantity,
  unitValue,
  ZERO,
} from '../quantity';
import { ageSince, rfc1123z } from '../time';
import { type EventsSection, writeEvents } from './events';
import {
  PrefixWriter,
  printAnnotationsMultiline,
  printLabelsMultiline,
  printTaintsMultiline,
} from './prefixWriter';

/** The parts of a Pod that `describe node` reads (its resource table). */
export interface PodForNode {
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly creationTimestamp?: string;
  };
  readonly spec?: {
    readonly containers?: readonly ContainerResources[];
    readonly initContainers?: readonly ContainerResources[];
    readonly overhead?: Readonly<Record<string, string>>;
  };
}

interface ContainerResources {
  readonly resources?: {
    readonly requests?: Readonly<Record<string, string>>;
    readonly limits?: Readonly<Record<string, string>>;
  };
}

export interface NodeDescription {
  readonly node: NodeObject;
  /** The node's Lease in kube-node-lease, or the error text of fetching it. */
  readonly lease: LeaseObject | { readonly error: string };
  /** Pods bound to the node that have not terminated. */
  readonly pods: readonly PodForNode[];
  readonly events: EventsSection;
  readonly nowMs: number;
}

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';

/** findNodeRoles: suffixes of node-role.kubernetes.io/<role> labels and the kubernetes.io/role value, sorted. */
export function nodeRoles(labels: Readonly<Record<string, string>> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(NODE_ROLE_PREFIX)) {
      const role = k.slice(NODE_ROLE_PREFIX.length);
      if (role !== '') roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return [...roles].sort();
}

/** describe.go's describeNode, section by section. */
export function describeNode(d: NodeDescription): string {
  const { node } = d;
  const w = new PrefixWriter();
  w.write(0, `Name:\t${node.metadata.name}\n`);
  const roles = nodeRoles(node.metadata.labels);
  w.write(0, `Roles:\t${roles.length > 0 ? roles.join(',') : '<none>'}\n`);
  printLabelsMultiline(w, 'Labels', node.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', node.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp ?? '')}\n`);
  printTaintsMultiline(w, 'Taints', node.spec?.taints);
  w.write(0, `Unschedulable:\t${node.spec?.unschedulable === true}\n`);

  if ('error' in d.lease) w.write(0, `Lease:\tFailed to get lease: ${d.lease.error}\n`);
  else {
    const spec = d.lease.spec ?? {};
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${spec.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${spec.acquireTime ? rfc1123z(spec.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${spec.renewTime ? rfc1123z(spec.renewTime) : '<unset>'}\n`);
  }

  const conditions = node.status?.conditions ?? [];
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conditions) {
      w.write(
        1,
        `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason} \t${c.message}\n`,
      );
    }
  }

  w.write(0, 'Addresses:\n');
  for (const a of node.status?.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);

  const printResourceList = (list: Readonly<Record<string, string>>): void => {
    for (const name of Object.keys(list).sort()) w.write(0, `  ${name}:\t${canonical(list[name]!)}\n`);
  };
  const capacity = node.status?.capacity ?? {};
  const allocatable = node.status?.allocatable ?? {};
  if (Object.keys(capacity).length > 0) {
    w.write(0, 'Capacity:\n');
    printResourceList(capacity);
  }
  if (Object.keys(allocatable).length > 0) {
    w.write(0, 'Allocatable:\n');
    printResourceList(allocatable);
  }

  const info = node.status?.nodeInfo ?? {};
  w.write(0, 'System Info:\n');
  w.write(0, `  Machine ID:\t${info.machineID ?? ''}\n`);
  w.write(0, `  System UUID:\t${info.systemUUID ?? ''}\n`);
  w.write(0, `  Boot ID:\t${info.bootID ?? ''}\n`);
  w.write(0, `  Kernel Version:\t${info.kernelVersion ?? ''}\n`);
  w.write(0, `  OS Image:\t${info.osImage ?? ''}\n`);
  w.write(0, `  Operating System:\t${info.operatingSystem ?? ''}\n`);
  w.write(0, `  Architecture:\t${info.architecture ?? ''}\n`);
  w.write(0, `  Container Runtime Version:\t${info.containerRuntimeVersion ?? ''}\n`);
  w.write(0, `  Kubelet Version:\t${info.kubeletVersion ?? ''}\n`);
  w.write(0, `  Kube-Proxy Version:\t${info.kubeProxyVersion ?? ''}\n`);
  if (node.spec?.podCIDR) w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec?.podCIDRs && node.spec.podCIDRs.length > 0)
    w.write(0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
  const providerID = (node.spec as { providerID?: string } | undefined)?.providerID;
  if (providerID) w.write(0, `ProviderID:\t${providerID}\n`);

  describeNodeResource(w, d.pods, Object.keys(allocatable).length > 0 ? allocatable : capacity, d.nowMs);
  writeEvents(w, d.events);
  return w.text();
}

function canonical(text: string): string {
  const q = parseQuantity(text);
  return q ? formatQuantity(q) : text;
}

type ResourceSums = Map<string, Quantity>;

/** PodRequestsAndLimits, simplified: containers summed, init containers as a floor, plus overhead. */
function podRequestsAndLimits(pod: PodForNode): { requests: ResourceSums; limits: ResourceSums } {
  const sum = (which: 'requests' | 'limits'): ResourceSums => {
    const total: ResourceSums = new Map();
    for (const c of pod.spec?.containers ?? []) addInto(total, c.resources?.[which]);
    for (const c of pod.spec?.initContainers ?? []) {
      for (const [name, text] of Object.entries(c.resources?.[which] ?? {})) {
        const q = parseQuantity(text);
        const cur = total.get(name);
        if (q && (!cur || q.nanos > cur.nanos)) total.set(name, q);
      }
    }
    if (pod.spec?.overhead) {
      if (which === 'requests') addInto(total, pod.spec.overhead);
      else
        for (const [name, text] of Object.entries(pod.spec.overhead)) {
          const cur = total.get(name);
          const q = parseQuantity(text);
          if (cur && q && cur.nanos !== 0n) total.set(name, addQuantity(cur, q));
        }
    }
    return total;
  };
  return { requests: sum('requests'), limits: sum('limits') };
}

function addInto(total: ResourceSums, list: Readonly<Record<string, string>> | undefined): void {
  for (const [name, text] of Object.entries(list ?? {})) {
    const q = parseQuantity(text);
    if (!q) continue;
    const cur = total.get(name);
    total.set(name, cur ? addQuantity(cur, q) : q);
  }
}

/** Integer percentage as Go's int64(float64(a)/float64(b)*100). */
function percent(a: bigint, b: bigint): number {
  if (b === 0n) return 0;
  return Math.trunc((Number(a) / Number(b)) * 100);
}

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

function describeNodeResource(
  w: PrefixWriter,
  pods: readonly PodForNode[],
  allocatable: Readonly<Record<string, string>>,
  nowMs: number,
): void {
  const alloc = (name: string): Quantity => parseQuantity(allocatable[name] ?? '0') ?? ZERO;
  const cpuAlloc = milliValue(alloc('cpu'));
  const memAlloc = unitValue(alloc('memory'));
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const totalReq: ResourceSums = new Map();
  const totalLim: ResourceSums = new Map();
  for (const pod of pods) {
    const { requests, limits } = podRequestsAndLimits(pod);
    const get = (m: ResourceSums, n: string): Quantity => m.get(n) ?? ZERO;
    const cpuReq = get(requests, 'cpu');
    const cpuLim = get(limits, 'cpu');
    const memReq = get(requests, 'memory');
    const memLim = get(limits, 'memory');
    w.write(
      1,
      `${pod.metadata.namespace ?? ''}\t${pod.metadata.name}\t\t` +
        `${formatQuantity(cpuReq)} (${percent(milliValue(cpuReq), cpuAlloc)}%)\t` +
        `${formatQuantity(cpuLim)} (${percent(milliValue(cpuLim), cpuAlloc)}%)\t` +
        `${formatQuantity(memReq)} (${percent(unitValue(memReq), memAlloc)}%)\t` +
        `${formatQuantity(memLim)} (${percent(unitValue(memLim), memAlloc)}%)\t` +
        `${ageSince(pod.metadata.creationTimestamp, nowMs)}\n`,
    );
    for (const [n, q] of requests) totalReq.set(n, totalReq.has(n) ? addQuantity(totalReq.get(n)!, q) : q);
    for (const [n, q] of limits) totalLim.set(n, totalLim.has(n) ? addQuantity(totalLim.get(n)!, q) : q);
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  const line = (name: string, value: (q: Quantity) => bigint, total: bigint): void => {
    const req = totalReq.get(name) ?? ZERO;
    const lim = totalLim.get(name) ?? ZERO;
    w.write(
      1,
      `${name}\t${formatQuantity(req)} (${percent(value(req), total)}%)\t${formatQuantity(lim)} (${percent(value(lim), total)}%)\n`,
    );
  };
  line('cpu', milliValue, cpuAlloc);
  line('memory', unitValue, memAlloc);
  line('ephemeral-storage', unitValue, unitValue(alloc('ephemeral-storage')));
  const names = Object.keys(allocatable).sort();
  for (const name of names.filter((n) => n.startsWith('hugepages-')))
    line(name, unitValue, unitValue(alloc(name)));
  for (const name of names) {
    if (name.startsWith('hugepages-') || STANDARD_CONTAINER_RESOURCES.has(name) || name === 'pods') continue;
    w.write(
      1,
      `${name}\t${formatQuantity(totalReq.get(name) ?? ZERO)}\t${formatQuantity(totalLim.get(name) ?? ZERO)}\n`,
    );
  }
}
