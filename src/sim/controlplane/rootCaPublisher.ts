import type { ConfigMapObject } from '../api/batchTypes';
import type { NamespaceObject } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import type { Informer } from '../client/informer';
import type { Sim } from '../kernel/sim';
import { WorkQueue } from './workQueue';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const RETRY_MS = 1000;

/**
 * kube-controller-manager's root-ca-cert-publisher: every namespace that is not terminating has a
 * ConfigMap `kube-root-ca.crt` holding the cluster's CA certificate (pods' service-account token
 * volumes mount it). Deleted or changed, it is put back.
 */
export class RootCaPublisher {
  private readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    sim: Sim,
    private readonly namespaces: Informer<NamespaceObject>,
    private readonly configMaps: Informer<ConfigMapObject>,
    private readonly caCertificate: string,
  ) {
    this.queue = new WorkQueue(sim, (ns) => this.sync(ns));
    namespaces.onChange((event, ns) => event !== 'deleted' && this.queue.add(ns.metadata.name));
    configMaps.onChange((_e, cm) => {
      if (cm.metadata.name === ROOT_CA_CONFIGMAP && cm.metadata.namespace)
        this.queue.add(cm.metadata.namespace);
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private sync(namespace: string): void {
    if (!this.namespaces.synced || !this.configMaps.synced) return this.queue.add(namespace, RETRY_MS);
    const ns = this.namespaces.items.get(namespace);
    if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    const current = this.configMaps.items.get(`${namespace}/${ROOT_CA_CONFIGMAP}`);
    const data = { 'ca.crt': this.caCertificate };
    if (current && current.data?.['ca.crt'] === this.caCertificate) return;
    const body: ConfigMapObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: ROOT_CA_CONFIGMAP,
        namespace,
        annotations: { 'kubernetes.io/description': DESCRIPTION },
        ...(current ? { resourceVersion: current.metadata.resourceVersion } : {}),
      },
      data,
    };
    this.client.request(
      current
        ? { verb: 'update', resource: 'configmaps', namespace, name: ROOT_CA_CONFIGMAP, body }
        : { verb: 'create', resource: 'configmaps', namespace, body },
      (res) => {
        if ('transport' in res || (res.code >= 300 && res.code !== 409)) this.queue.add(namespace, RETRY_MS);
      },
    );
  }
}

const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** A stand-in for the cluster CA (PEM armour around seeded base64; no real key material). */
export function fakeCaCertificate(seed: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let state = (seed * 2654435761) >>> 0 || 1;
  const lines: string[] = ['-----BEGIN CERTIFICATE-----', 'MIIDBTCCAe2gAwIBAgIIYz5v'];
  for (let l = 0; l < 16; l++) {
    const chars: string[] = [];
    for (let i = 0; i < 64; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      chars.push(alphabet[state >>> 26]!);
    }
    lines.push(chars.join(''));
  }
  lines.push('-----END CERTIFICATE-----');
  return `${lines.join('\n')}\n`;
}
