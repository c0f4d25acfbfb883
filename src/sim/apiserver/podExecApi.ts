import { badRequest, internalFromEtcd, notFound } from '../api/errors';
import { etcdKey, resourceByName } from '../api/resources';
import type { KubeObject, PodObject, Status } from '../api/types';
import type { EtcdMember } from '../etcd/member';
import { randomHex } from '../kernel/rng';
import type { Sim } from '../kernel/sim';
import type { ApiServerLinks } from './links';
import { withKubeletAddress } from './podLog';
import type { ApiRequest, ApiResponse, PodExecResult } from './request';

/**
 * POST pods/NAME/exec, as pkg/registry/core/pod/rest/subresources.go serves it: read the pod,
 * check the container, find the node's kubelet and proxy the stream to it. The answer is the
 * command's output and exit code; what goes wrong on the way is a Status whose `reason` tells
 * kubectl how it failed: `UpgradeFailed` (the kubelet refused the stream), `DialFailed` (no
 * connection to the kubelet) or `ExecFailed` (the runtime could not start the process).
 */
export function servePodExec(
  hostName: string,
  sim: Sim,
  member: EtcdMember,
  links: ApiServerLinks | undefined,
  req: ApiRequest,
  respond: (res: ApiResponse) => void,
): void {
  const pods = resourceByName('pods');
  const name = req.name ?? '';
  const opts = req.execOptions;
  if (!opts || opts.command.length === 0)
    return respond({ code: 400, body: badRequest('you must specify at least 1 command') });
  member.rangeLinearizable(etcdKey(pods, req.namespace, name), false, (r) => {
    if (!r.ok) return respond({ code: 500, body: internalFromEtcd(r.error) });
    const pod = r.value.kvs[0]?.value as PodObject | undefined;
    if (!pod) return respond({ code: 404, body: notFound(pods, name) });
    if (!pod.spec.containers.some((c) => c.name === opts.container))
      return respond({
        code: 400,
        body: badRequest(`container ${opts.container} is not valid for pod ${name}`),
      });
    const nodeName = pod.spec.nodeName;
    if (!nodeName)
      return respond({ code: 400, body: upgradeFailed(400, 'pod does not have a host assigned') });
    withKubeletAddress(member, nodeName, respond, (address) => {
      if (!links)
        return respond({ code: 500, body: dialFailed(`no route to the kubelet of node ${nodeName}`) });
      const target = {
        node: nodeName,
        address,
        namespace: pod.metadata.namespace ?? 'default',
        pod: name,
        container: opts.container,
      };
      const read = (prefix: string): readonly KubeObject[] =>
        member.rangeSerializable(prefix, true).kvs.map((kv) => kv.value as KubeObject);
      links.containerExec(hostName, target, opts, read, (end) => {
        if (end.ok) {
          const { ok: _ok, ...result } = end;
          return respond({ code: 200, body: result satisfies PodExecResult });
        }
        if ('dialError' in end) return respond({ code: 500, body: dialFailed(end.dialError) });
        if ('startError' in end) {
          const execId = randomHex(sim.rng, 64);
          const message = `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${execId}": OCI runtime exec failed: exec failed: unable to start container process: exec: ${end.startError}: unknown`;
          return respond({ code: 500, body: { ...internalFromEtcd(message), reason: 'ExecFailed' } });
        }
        return respond({ code: end.code, body: upgradeFailed(end.code, end.message) });
      });
    });
  });
}

function upgradeFailed(code: number, message: string): Status {
  return { ...badRequest(message), code, reason: 'UpgradeFailed' };
}

function dialFailed(text: string): Status {
  return { ...internalFromEtcd(`error dialing backend: ${text}`), reason: 'DialFailed' };
}
