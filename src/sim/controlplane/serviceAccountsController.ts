import type { KubeObject, NamespaceObject } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import type { Informer } from '../client/informer';
import type { Sim } from '../kernel/sim';
import { WorkQueue } from './workQueue';

const RETRY_MS = 1000;

/**
 * kube-controller-manager's serviceaccount controller: every namespace that is not terminating has
 * a ServiceAccount `default`, which pods run as unless they name another. Deleted, it comes back.
 */
export class ServiceAccountsController {
  private readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    sim: Sim,
    private readonly namespaces: Informer<NamespaceObject>,
    private readonly serviceAccounts: Informer<KubeObject>,
  ) {
    this.queue = new WorkQueue(sim, (ns) => this.sync(ns));
    namespaces.onChange((event, ns) => event !== 'deleted' && this.queue.add(ns.metadata.name));
    serviceAccounts.onChange((event, sa) => {
      if (event === 'deleted' && sa.metadata.name === 'default' && sa.metadata.namespace)
        this.queue.add(sa.metadata.namespace);
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private sync(namespace: string): void {
    if (!this.namespaces.synced || !this.serviceAccounts.synced) return this.queue.add(namespace, RETRY_MS);
    const ns = this.namespaces.items.get(namespace);
    if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    if (this.serviceAccounts.items.has(`${namespace}/default`)) return;
    const body = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace },
    } as KubeObject;
    this.client.request({ verb: 'create', resource: 'serviceaccounts', namespace, body }, (res) => {
      if ('transport' in res || (res.code >= 300 && res.code !== 409)) this.queue.add(namespace, RETRY_MS);
    });
  }
}
