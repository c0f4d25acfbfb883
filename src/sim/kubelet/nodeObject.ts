import type { NodeCondition, NodeObject, Taint } from '../api/types';
import type { HostSpec } from '../topology/scenarios';

export const KUBELET_VERSION = 'v1.32.4';
export const MAX_PODS = 110;
/** The kernel the simulated machines run (nodeInfo.kernelVersion; what `uname -r` says in a container). */
export const KERNEL_VERSION = '6.8.0-45-generic';

/** The taint kubeadm puts on control-plane nodes. */
export const CONTROL_PLANE_TAINT: Taint = {
  key: 'node-role.kubernetes.io/control-plane',
  effect: 'NoSchedule',
};

/** The labels a kubelet registers its Node with (plus kubeadm's role label on control planes). */
export function nodeLabels(spec: HostSpec): Record<string, string> {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': spec.name,
    'kubernetes.io/os': 'linux',
    'topology.kubernetes.io/zone': spec.zone,
  };
  if (spec.role === 'control-plane') {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  return { ...labels, ...spec.labels };
}

/** The four conditions a healthy kubelet reports. */
export function healthyConditions(now: string, since: string): NodeCondition[] {
  const c = (type: string, status: 'True' | 'False', reason: string, message: string): NodeCondition => ({
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: since,
    reason,
    message,
  });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function nodeStatus(spec: HostSpec, conditions: NodeCondition[]): NodeObject['status'] {
  // A machine sold as 8 GiB reports a little less (firmware and kernel keep some), so real
  // capacities are never round numbers: 8192 Mi shows as 8136785Ki.
  const memoryKi = Math.round(spec.memoryMi * 1024 * 0.97);
  // Allocatable = capacity minus kube-reserved/system-reserved and the 100Mi hard eviction threshold.
  return {
    capacity: {
      cpu: String(spec.cpuCores),
      'ephemeral-storage': '102625208Ki',
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: `${memoryKi}Ki`,
      pods: String(MAX_PODS),
    },
    allocatable: {
      cpu: String(spec.cpuCores),
      'ephemeral-storage': '94580335255',
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: `${memoryKi - 102400}Ki`,
      pods: String(MAX_PODS),
    },
    conditions,
    addresses: [
      { type: 'InternalIP', address: spec.ip },
      { type: 'Hostname', address: spec.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      architecture: 'amd64',
      bootID: '',
      containerRuntimeVersion: 'containerd://1.7.22',
      kernelVersion: KERNEL_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      kubeletVersion: KUBELET_VERSION,
      machineID: '',
      operatingSystem: 'linux',
      osImage: 'Ubuntu 24.04.1 LTS',
      systemUUID: '',
    },
  };
}

export function newNodeObject(spec: HostSpec, podCidr: string, now: string): NodeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: nodeLabels(spec),
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: podCidr,
      podCIDRs: [podCidr],
      ...(spec.role === 'control-plane' || spec.taints?.length
        ? {
            taints: [...(spec.role === 'control-plane' ? [CONTROL_PLANE_TAINT] : []), ...(spec.taints ?? [])],
          }
        : {}),
    },
    status: nodeStatus(spec, healthyConditions(now, now)),
  };
}
