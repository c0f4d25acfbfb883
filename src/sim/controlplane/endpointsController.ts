import type { EndpointAddress, EndpointsObject, PodObject, ServiceObject } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import { type Informer, objectKey } from '../client/informer';
import type { Sim } from '../kernel/sim';
import { isPodReady } from './replicaSetController';
import { WorkQueue } from './workQueue';

const RETRY_MS = 1000;

export function selects(selector: Readonly<Record<string, string>> | undefined, pod: PodObject): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => pod.metadata.labels?.[k] === v);
}

/** Calls `changed` with a Service's key when it changes, or when a pod it selects (or selected) does. */
export function watchServicePods(
  services: Informer<ServiceObject>,
  pods: Informer<PodObject>,
  changed: (key: string) => void,
): void {
  services.onChange((_e, svc) => changed(objectKey(svc)));
  pods.onChange((_e, pod, old) => {
    for (const svc of services.items.values()) {
      if (svc.metadata.namespace !== pod.metadata.namespace) continue;
      if (selects(svc.spec?.selector, pod) || (old && selects(svc.spec?.selector, old)))
        changed(objectKey(svc));
    }
  });
}

/**
 * The endpoints controller: for each Service with a selector, the Endpoints object of the same name
 * lists the IPs of the selected pods, ready ones under `addresses` and the others under
 * `notReadyAddresses`, with the Service's target ports. Deleting the Service deletes them.
 */
export class EndpointsController {
  private readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    sim: Sim,
    private readonly services: Informer<ServiceObject>,
    private readonly pods: Informer<PodObject>,
    private readonly endpoints: Informer<EndpointsObject>,
  ) {
    this.queue = new WorkQueue(sim, (key) => this.sync(key));
    watchServicePods(services, pods, (key) => this.queue.add(key));
    this.retry = (key) => this.queue.add(key, RETRY_MS);
  }

  private readonly retry: (key: string) => void;

  stop(): void {
    this.queue.stop();
  }

  private sync(key: string): void {
    if (!this.services.synced || !this.pods.synced || !this.endpoints.synced) {
      this.retry(key);
      return;
    }
    const [namespace, name] = key.split('/') as [string, string];
    const svc = this.services.items.get(key);
    const existing = this.endpoints.items.get(key);
    if (!svc) {
      // The Service is gone; so are its endpoints (the apiserver's own `kubernetes` has no selector).
      if (existing && name !== 'kubernetes') {
        this.client.request({ verb: 'delete', resource: 'endpoints', namespace, name }, () => {});
      }
      return;
    }
    if (!svc.spec?.selector || Object.keys(svc.spec.selector).length === 0) return;
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const pod of this.pods.items.values()) {
      if (pod.metadata.namespace !== namespace || !selects(svc.spec.selector, pod)) continue;
      if (pod.metadata.deletionTimestamp || !pod.status?.podIP) continue;
      const address: EndpointAddress = {
        ip: pod.status.podIP,
        ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
        targetRef: {
          kind: 'Pod',
          namespace,
          name: pod.metadata.name,
          uid: pod.metadata.uid,
          apiVersion: 'v1',
        },
      };
      (isPodReady(pod) ? ready : notReady).push(address);
    }
    const byIp = (a: EndpointAddress, b: EndpointAddress): number => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
    const ports = (svc.spec.ports ?? []).map((p) => ({
      ...(p.name ? { name: p.name } : {}),
      port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
      protocol: p.protocol ?? 'TCP',
    }));
    const subsets =
      ready.length + notReady.length === 0
        ? []
        : [
            {
              ...(ready.length > 0 ? { addresses: ready.sort(byIp) } : {}),
              ...(notReady.length > 0 ? { notReadyAddresses: notReady.sort(byIp) } : {}),
              ports,
            },
          ];
    if (existing && JSON.stringify(existing.subsets ?? []) === JSON.stringify(subsets)) return;
    const body: EndpointsObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(existing?.metadata ?? {}), name, namespace, labels: svc.metadata.labels },
      subsets,
    };
    this.client.request(
      existing
        ? { verb: 'update', resource: 'endpoints', namespace, name, body }
        : { verb: 'create', resource: 'endpoints', namespace, body },
      (res) => {
        if ('transport' in res || res.code >= 300) this.retry(key);
        else this.endpoints.assume(res.body as EndpointsObject);
      },
    );
  }
}
