import type { EndpointSliceObject, NodeObject, PodObject, ServiceObject } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import type { Informer } from '../client/informer';
import type { Rng } from '../kernel/rng';
import type { Sim } from '../kernel/sim';
import { selects, watchServicePods } from './endpointsController';
import { isPodReady } from './replicaSetController';
import { WorkQueue } from './workQueue';

const RETRY_MS = 1000;
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
const MANAGED_BY = 'endpointslice-controller.k8s.io';
const ZONE_LABEL = 'topology.kubernetes.io/zone';

/**
 * The EndpointSlice controller: for each Service with a selector, one slice (named after it, with
 * a random suffix) holds an endpoint per selected pod with an IP (ready, serving, terminating), its
 * node and zone, and the Service's target ports; a Service without pods keeps an empty one. The
 * slice carries the Service's labels plus `kubernetes.io/service-name`, and goes with the Service.
 */
export class EndpointSliceController {
  private readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    sim: Sim,
    private readonly rng: Rng,
    private readonly services: Informer<ServiceObject>,
    private readonly pods: Informer<PodObject>,
    private readonly nodes: Informer<NodeObject>,
    private readonly slices: Informer<EndpointSliceObject>,
  ) {
    this.queue = new WorkQueue(sim, (key) => this.sync(key));
    watchServicePods(services, pods, (key) => this.queue.add(key));
    this.retry = (key) => this.queue.add(key, RETRY_MS);
  }

  private readonly retry: (key: string) => void;
  /** Services whose slice is being created: the next sync waits for it (the controller's expectations). */
  private readonly creating = new Set<string>();

  stop(): void {
    this.queue.stop();
  }

  /** The slices of a Service, by its service-name label. */
  private slicesOf(namespace: string, name: string): EndpointSliceObject[] {
    const out: EndpointSliceObject[] = [];
    for (const slice of this.slices.items.values())
      if (slice.metadata.namespace === namespace && slice.metadata.labels?.[SERVICE_NAME_LABEL] === name)
        out.push(slice);
    return out;
  }

  private sync(key: string): void {
    if (!this.services.synced || !this.pods.synced || !this.slices.synced) {
      this.retry(key);
      return;
    }
    if (this.creating.has(key)) {
      this.retry(key);
      return;
    }
    const [namespace, name] = key.split('/') as [string, string];
    const svc = this.services.items.get(key);
    const existing = this.slicesOf(namespace, name);
    if (!svc?.spec?.selector || Object.keys(svc.spec.selector).length === 0) {
      for (const slice of existing)
        this.client.request(
          { verb: 'delete', resource: 'endpointslices', namespace, name: slice.metadata.name },
          () => {},
        );
      return;
    }
    const endpoints: NonNullable<EndpointSliceObject['endpoints']>[number][] = [];
    for (const pod of this.pods.items.values()) {
      if (pod.metadata.namespace !== namespace || !selects(svc.spec.selector, pod) || !pod.status?.podIP)
        continue;
      const terminating = pod.metadata.deletionTimestamp !== undefined;
      const ready = isPodReady(pod);
      const node = pod.spec.nodeName;
      const zone = node ? this.nodes.items.get(node)?.metadata.labels?.[ZONE_LABEL] : undefined;
      endpoints.push({
        addresses: [pod.status.podIP],
        conditions: { ready: ready && !terminating, serving: ready, terminating },
        ...(node ? { nodeName: node } : {}),
        targetRef: { kind: 'Pod', namespace, name: pod.metadata.name, uid: pod.metadata.uid },
        ...(zone ? { zone } : {}),
      });
    }
    endpoints.sort((a, b) => ((a.addresses[0] ?? '') < (b.addresses[0] ?? '') ? -1 : 1));
    const ports =
      endpoints.length === 0
        ? null
        : (svc.spec.ports ?? []).map((p) => ({
            name: p.name ?? '',
            port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
            protocol: p.protocol ?? 'TCP',
          }));
    const labels = {
      ...(svc.metadata.labels ?? {}),
      [MANAGED_BY_LABEL]: MANAGED_BY,
      [SERVICE_NAME_LABEL]: name,
    };
    const current = existing[0];
    const wanted = { endpoints: endpoints.length === 0 ? null : endpoints, ports };
    if (
      current &&
      JSON.stringify({ endpoints: current.endpoints, ports: current.ports }) === JSON.stringify(wanted) &&
      JSON.stringify(current.metadata.labels) === JSON.stringify(labels)
    )
      return;
    const body: EndpointSliceObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: current
        ? { ...current.metadata, labels }
        : {
            name: `${name}-${this.rng.suffix(5)}`,
            generateName: `${name}-`,
            namespace,
            labels,
            ownerReferences: [
              {
                apiVersion: 'v1',
                kind: 'Service',
                name,
                uid: svc.metadata.uid ?? '',
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
      addressType: 'IPv4',
      ...wanted,
    };
    if (!current) this.creating.add(key);
    this.client.request(
      current
        ? { verb: 'update', resource: 'endpointslices', namespace, name: current.metadata.name, body }
        : { verb: 'create', resource: 'endpointslices', namespace, body },
      (res) => {
        this.creating.delete(key);
        if ('transport' in res || res.code >= 300) this.retry(key);
        else this.slices.assume(res.body as EndpointSliceObject);
      },
    );
  }
}
