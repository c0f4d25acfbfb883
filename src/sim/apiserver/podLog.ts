import { badRequest, internalFromEtcd, notFound } from '../api/errors';
import { kubeletLogUrl } from '../api/podLog';
import { etcdKey, resourceByName } from '../api/resources';
import type { NodeObject, PodObject, Status } from '../api/types';
import type { EtcdMember } from '../etcd/member';
import type { ApiServerLinks } from './links';
import type { ApiRequest, ApiResponse } from './request';

/**
 * GET pods/NAME/log, as pkg/registry/core/pod/rest/log.go serves it: read the pod (a quorum
 * read), pick the container (the only one, or the one asked for), find its node's address, and
 * proxy the request to that kubelet, streaming its answer back (`follow`). A pod not bound to a
 * node yet has no log location: the answer is empty. What the kubelet refuses comes back as
 * BadRequest (or a generic NotFound), a kubelet that cannot be reached as the dial error.
 */
export function servePodLog(
  hostName: string,
  member: EtcdMember,
  links: ApiServerLinks | undefined,
  req: ApiRequest,
  respond: (res: ApiResponse) => void,
): void {
  const pods = resourceByName('pods');
  const name = req.name ?? '';
  const opts = req.logOptions ?? {};
  member.rangeLinearizable(etcdKey(pods, req.namespace, name), false, (r) => {
    if (!r.ok) return respond({ code: 500, body: internalFromEtcd(r.error) });
    const kv = r.value.kvs[0];
    if (!kv) return respond({ code: 404, body: notFound(pods, name) });
    const pod = kv.value as PodObject;
    // validateContainer (pkg/registry/core/pod/strategy.go)
    const names = pod.spec.containers.map((c) => c.name);
    let container = opts.container ?? '';
    if (container === '') {
      if (names.length === 1) container = names[0]!;
      else if (names.length === 0)
        return respond({ code: 400, body: badRequest(`a container name must be specified for pod ${name}`) });
      else
        return respond({
          code: 400,
          body: badRequest(
            `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`,
          ),
        });
    } else if (
      !names.includes(container) &&
      !(pod.spec.initContainers ?? []).some((c) => c.name === container)
    ) {
      return respond({ code: 400, body: badRequest(`container ${container} is not valid for pod ${name}`) });
    }
    const nodeName = pod.spec.nodeName;
    // Not scheduled yet: no location, so an empty body (LogLocation returns nil).
    if (!nodeName) return respond({ code: 200, body: '' });
    withKubeletAddress(member, nodeName, respond, (address) => {
      const target = {
        node: nodeName,
        address,
        namespace: pod.metadata.namespace ?? 'default',
        pod: name,
        container,
      };
      if (!links)
        return respond({ code: 500, body: internalFromEtcd(`no route to the kubelet of node ${nodeName}`) });
      const streaming = opts.follow === true && req.onLogData !== undefined;
      const buffer: string[] = [];
      links.containerLogs(hostName, target, { ...opts, container }, req.abort, {
        onData: (text) => {
          if (streaming) req.onLogData!(text);
          else buffer.push(text);
        },
        onEnd: (end) => {
          if (end.ok) return respond({ code: 200, body: streaming ? '' : buffer.join('') });
          if ('dialError' in end) {
            const url = kubeletLogUrl(address, target.namespace, name, container, { ...opts, container });
            return respond({ code: 500, body: internalFromEtcd(`Get "${url}": ${end.dialError}`) });
          }
          if (end.code === 400) return respond({ code: 400, body: badRequest(end.message) });
          return respond({ code: end.code, body: unexpectedResponse(end.code, name, end.message) });
        },
      });
    });
  });
}

/** NewGenericServerResponse for what the kubelet answered, as the log REST's response checker wraps it. */
function unexpectedResponse(code: number, name: string, body: string): Status {
  const [reason, text] =
    code === 404
      ? ['NotFound', 'the server could not find the requested resource']
      : code === 500
        ? ['InternalError', `an error on the server ("${body}") has prevented the request from succeeding`]
        : ['', `the server responded with the status code ${code} but did not return more information`];
  return {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message: `${text} ( pods/log ${name})`,
    reason,
    code,
    details: {
      name,
      group: '',
      kind: 'pods/log',
      causes: [{ reason: 'UnexpectedServerResponse', field: '', message: body }],
    },
  };
}

/** The node's address its kubelet listens on (InternalIP), read through Raft; `then` gets it. */
export function withKubeletAddress(
  member: EtcdMember,
  nodeName: string,
  respond: (res: ApiResponse) => void,
  then: (address: string) => void,
): void {
  const nodes = resourceByName('nodes');
  member.rangeLinearizable(etcdKey(nodes, undefined, nodeName), false, (n) => {
    if (!n.ok) return respond({ code: 500, body: internalFromEtcd(n.error) });
    const node = n.value.kvs[0]?.value as NodeObject | undefined;
    if (!node) return respond({ code: 404, body: notFound(nodes, nodeName) });
    then(
      node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ??
        node.status?.addresses?.[0]?.address ??
        nodeName,
    );
  });
}
