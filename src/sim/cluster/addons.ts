import type { DaemonSetObject, DeploymentObject, KubeObject, ServiceObject } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import type { Sim } from '../kernel/sim';
import { KUBE_VERSION } from '../kubelet/staticPods';

/** How often `kubeadm init`'s add-on phase retries an object the API did not take yet. */
export const ADDON_RETRY_MS = 1000;
export const KUBE_DNS_IP = '10.96.0.10';
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3';
export const KUBE_PROXY_IMAGE = `registry.k8s.io/kube-proxy:${KUBE_VERSION}`;

const LINUX = { 'kubernetes.io/os': 'linux' };

/** kubeadm's kube-proxy DaemonSet: one hostNetwork pod on every Linux node, tolerating every taint. */
export function kubeProxyDaemonSet(): DaemonSetObject {
  const labels = { 'k8s-app': 'kube-proxy' };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'kube-proxy',
              image: KUBE_PROXY_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              command: [
                '/usr/local/bin/kube-proxy',
                '--config=/var/lib/kube-proxy/config.conf',
                '--hostname-override=$(NODE_NAME)',
              ],
            },
          ],
          hostNetwork: true,
          nodeSelector: LINUX,
          priorityClassName: 'system-node-critical',
          serviceAccountName: 'kube-proxy',
          tolerations: [{ operator: 'Exists' }],
        },
      },
    },
  };
}

/** kubeadm's CoreDNS Deployment (named `coredns`, pods labelled k8s-app=kube-dns). */
export function corednsDeployment(): DeploymentObject {
  const labels = { 'k8s-app': 'kube-dns' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'coredns',
              image: COREDNS_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { containerPort: 53, name: 'dns', protocol: 'UDP' },
                { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
              ],
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
            },
          ],
          dnsPolicy: 'Default',
          nodeSelector: LINUX,
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    labelSelector: {
                      matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }],
                    },
                    topologyKey: 'kubernetes.io/hostname',
                  },
                },
              ],
            },
          },
        },
      },
    },
  };
}

/** The `kube-dns` Service in front of CoreDNS, at the cluster DNS address 10.96.0.10. */
export function kubeDnsService(): ServiceObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: {
        'k8s-app': 'kube-dns',
        'kubernetes.io/cluster-service': 'true',
        'kubernetes.io/name': 'CoreDNS',
      },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      type: 'ClusterIP',
      selector: { 'k8s-app': 'kube-dns' },
      clusterIP: KUBE_DNS_IP,
      clusterIPs: [KUBE_DNS_IP],
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  };
}

/** The ConfigMaps `kubeadm init` leaves in kube-system: its own configuration, the kubelets', CoreDNS's and kube-proxy's. */
function kubeadmConfigMaps(): KubeObject[] {
  const cm = (name: string, data: Record<string, string>, labels?: Record<string, string>): KubeObject =>
    ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'kube-system', ...(labels ? { labels } : {}) },
      data,
    }) as KubeObject;
  return [
    cm('coredns', {
      Corefile: [
        '.:53 {',
        '    errors',
        '    health {',
        '       lameduck 5s',
        '    }',
        '    ready',
        '    kubernetes cluster.local in-addr.arpa ip6.arpa {',
        '       pods insecure',
        '       fallthrough in-addr.arpa ip6.arpa',
        '       ttl 30',
        '    }',
        '    prometheus :9153',
        '    forward . /etc/resolv.conf {',
        '       max_concurrent 1000',
        '    }',
        '    cache 30',
        '    loop',
        '    reload',
        '    loadbalance',
        '}',
        '',
      ].join('\n'),
    }),
    cm(
      'kube-proxy',
      {
        'config.conf': [
          'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
          'kind: KubeProxyConfiguration',
          'clusterCIDR: 10.244.0.0/16',
          'mode: ""',
          '',
        ].join('\n'),
      },
      { app: 'kube-proxy' },
    ),
    cm('kubeadm-config', {
      ClusterConfiguration: [
        'apiVersion: kubeadm.k8s.io/v1beta4',
        'kind: ClusterConfiguration',
        `kubernetesVersion: ${KUBE_VERSION}`,
        'clusterName: kubernetes',
        'controlPlaneEndpoint: 10.0.0.100:6443',
        'networking:',
        '  dnsDomain: cluster.local',
        '  podSubnet: 10.244.0.0/16',
        '  serviceSubnet: 10.96.0.0/12',
        '',
      ].join('\n'),
    }),
    cm('kubelet-config', {
      kubelet: [
        'apiVersion: kubelet.config.k8s.io/v1beta1',
        'kind: KubeletConfiguration',
        'cgroupDriver: systemd',
        'clusterDNS:',
        `- ${KUBE_DNS_IP}`,
        'clusterDomain: cluster.local',
        'maxPods: 110',
        '',
      ].join('\n'),
    }),
  ];
}

const ADDONS: readonly { resource: string; object: () => KubeObject }[] = [
  ...kubeadmConfigMaps().map((object) => ({ resource: 'configmaps', object: () => object })),
  { resource: 'services', object: kubeDnsService },
  { resource: 'deployments', object: corednsDeployment },
  { resource: 'daemonsets', object: kubeProxyDaemonSet },
];

/**
 * `kubeadm init`'s add-on phase, once per cluster: the CoreDNS Deployment and kube-dns Service,
 * and the kube-proxy DaemonSet, each created through the API and retried until it is there (or
 * already exists). Deleting one later does not bring it back, as on a real cluster.
 */
export function installAddons(client: ApiClient, sim: Sim): void {
  const missing = new Set(ADDONS.map((_, i) => i));
  const inFlight = new Set<number>();
  const attempt = (): void => {
    if (missing.size === 0) return;
    for (const i of missing) {
      if (inFlight.has(i)) continue;
      inFlight.add(i);
      const a = ADDONS[i]!;
      client.request(
        { verb: 'create', resource: a.resource, namespace: 'kube-system', body: a.object() },
        (res) => {
          inFlight.delete(i);
          if (!('transport' in res) && (res.code === 201 || res.code === 409)) missing.delete(i);
        },
      );
    }
    sim.schedule(ADDON_RETRY_MS, attempt);
  };
  sim.schedule(ADDON_RETRY_MS, attempt);
}
