import type { EndpointsObject, ServiceObject } from '../api/types';
import type { Sim } from '../kernel/sim';
import type { ApiServer } from './apiserver';
import { KUBERNETES_SERVICE_IP } from './apiserver';

/** How often each API server reconciles the `kubernetes` Service's endpoints (--endpoint-reconciler-type=lease). */
export const MASTER_RECONCILE_MS = 10_000;
export const API_SERVER_PORT = 6443;

/**
 * What every kube-apiserver does for the `default/kubernetes` Service: create it once (ClusterIP
 * 10.96.0.1, port 443 → 6443) and keep its Endpoints listing the API servers that are alive, so
 * pods reach the control plane through the Service.
 */
export function startMasterReconciler(
  server: ApiServer,
  sim: Sim,
  liveApiServerIps: () => string[],
  stillRunning: () => boolean,
): void {
  let serviceExists = false;
  const loop = (): void => {
    if (!stillRunning()) return;
    if (!serviceExists) {
      const svc: ServiceObject = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'kubernetes',
          namespace: 'default',
          labels: { component: 'apiserver', provider: 'kubernetes' },
        },
        spec: {
          type: 'ClusterIP',
          clusterIP: KUBERNETES_SERVICE_IP,
          ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: API_SERVER_PORT }],
        },
      };
      server.handle({ verb: 'create', resource: 'services', namespace: 'default', body: svc }, (res) => {
        if (res.code === 201 || res.code === 409) serviceExists = true;
      });
    }
    server.handle({ verb: 'get', resource: 'endpoints', namespace: 'default', name: 'kubernetes' }, (res) => {
      const ips = liveApiServerIps().sort();
      const current = res.code === 200 ? (res.body as EndpointsObject) : undefined;
      const have = (current?.subsets?.[0]?.addresses ?? []).map((a) => a.ip).sort();
      if (current && have.join(',') === ips.join(',')) return;
      const body: EndpointsObject = {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: {
          ...(current?.metadata ?? {}),
          name: 'kubernetes',
          namespace: 'default',
          labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
        },
        subsets: [
          {
            addresses: ips.map((ip) => ({ ip })),
            ports: [{ name: 'https', port: API_SERVER_PORT, protocol: 'TCP' }],
          },
        ],
      };
      server.handle(
        current
          ? { verb: 'update', resource: 'endpoints', namespace: 'default', name: 'kubernetes', body }
          : { verb: 'create', resource: 'endpoints', namespace: 'default', body },
        () => {},
      );
    });
    sim.schedule(MASTER_RECONCILE_MS, loop);
  };
  sim.schedule(1000, loop);
}
