import { METRICS_RESOURCES, metricsResourceOf } from '../api/metricsResources';
import { RESOURCES, type ResourceInfo } from '../api/resources';
import type { KubeObject, Status } from '../api/types';
import type { EtcdMember } from '../etcd/member';
import type { ApiServerLinks } from './links';
import type { ApiRequest, ApiResponse } from './request';

/** What discovery lists: the resources kube-apiserver stores, and the aggregated metrics.k8s.io API. */
export const DISCOVERY: readonly ResourceInfo[] = [...RESOURCES, ...METRICS_RESOURCES];

/**
 * metrics.k8s.io through the aggregation layer: the request goes to metrics-server, which reads
 * nodes and pods from its informers (here: this API server's local view of etcd) and their usage
 * from the kubelets. Without a metrics-server to reach, the aggregator answers 503.
 */
export function serveMetricsApi(
  hostName: string,
  member: EtcdMember | undefined,
  links: ApiServerLinks | undefined,
  req: ApiRequest,
  respond: (res: ApiResponse) => void,
): void {
  if (!links || !member) return respond({ code: 503, body: serviceUnavailable(req) });
  links.metrics(
    hostName,
    req,
    (prefix) => member.rangeSerializable(prefix, true).kvs.map((kv) => kv.value as KubeObject),
    respond,
  );
}

/** The aggregator's answer when the API service behind it is unavailable. */
function serviceUnavailable(req: ApiRequest): Status {
  const resource = `${metricsResourceOf(req.resource) ?? req.resource}.metrics.k8s.io`;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message: `the server is currently unable to handle the request (get ${resource}${req.name ? ` ${req.name}` : ''})`,
    reason: 'ServiceUnavailable',
    code: 503,
  };
}
