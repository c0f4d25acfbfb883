import { internalFromEtcd, notFound } from '../api/errors';
import { etcdKey, resourceByName } from '../api/resources';
import type { EndpointsObject, KubeObject, PodObject, ServiceObject, Status } from '../api/types';
import type { EtcdMember } from '../etcd/member';
import type { ApiServerLinks } from './links';
import type { ApiRequest, ApiResponse } from './request';

/**
 * GET pods/NAME[:PORT]/proxy/PATH and services/NAME[:PORT]/proxy/PATH: the API server dials the
 * pod (or one endpoint of the Service) from its own host and relays the answer, as `kubectl
 * proxy` and the dashboard use it. The body is the upstream's text, its code the upstream's.
 */
export function serveProxy(
  hostName: string,
  member: EtcdMember,
  links: ApiServerLinks | undefined,
  req: ApiRequest,
  respond: (res: ApiResponse) => void,
): void {
  const info = resourceByName(req.resource === 'services' ? 'services' : 'pods');
  const name = req.name ?? '';
  const path = req.proxy?.path ?? '/';
  const port = req.proxy?.port;
  const read = (prefix: string): readonly KubeObject[] =>
    member.rangeSerializable(prefix, true).kvs.map((kv) => kv.value as KubeObject);
  member.rangeLinearizable(etcdKey(info, req.namespace, name), false, (r) => {
    if (!r.ok) return respond({ code: 500, body: internalFromEtcd(r.error) });
    const obj = r.value.kvs[0]?.value as KubeObject | undefined;
    if (!obj) return respond({ code: 404, body: notFound(info, name) });
    if (!links) return respond({ code: 503, body: unavailable('no route to the cluster network') });
    let ip: string | undefined;
    let target: number | string | undefined;
    if (info.resource === 'pods') {
      ip = (obj as PodObject).status?.podIP;
      target = port === undefined ? 80 : /^\d+$/.test(port) ? Number(port) : port;
      if (!ip)
        return respond({
          code: 503,
          body: unavailable(`error trying to reach service: pod ${name} has no IP`),
        });
    } else {
      const svc = obj as ServiceObject;
      const sp = (svc.spec.ports ?? []).find((p) =>
        port === undefined ? true : /^\d+$/.test(port) ? p.port === Number(port) : p.name === port,
      );
      const ep = read(`/registry/services/endpoints/${req.namespace}/${name}`).find(
        (o) => o.metadata.name === name,
      ) as EndpointsObject | undefined;
      ip = ep?.subsets?.flatMap((s) => s.addresses ?? [])[0]?.ip;
      if (!sp || !ip)
        return respond({ code: 503, body: unavailable(`no endpoints available for service "${name}"`) });
      target = sp.targetPort ?? sp.port;
    }
    const answer = links.httpGet(hostName, ip, target, path, read);
    if (answer.ok) return respond({ code: answer.status, body: answer.body });
    const dial = `dial tcp ${ip}:${target}`;
    return respond({
      code: 503,
      body: unavailable(
        `error trying to reach service: ${dial}: ${answer.error === 'refused' ? 'connect: connection refused' : 'i/o timeout'}`,
      ),
    });
  });
}

function unavailable(message: string): Status {
  return { ...internalFromEtcd(message), code: 503, reason: 'ServiceUnavailable' };
}
