import type { KubeObject } from '../../sim/api/types';
import { API_ENDPOINT } from '../../sim/client/loadBalancer';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import { notImplemented } from '../cli/common';
import { discover, mappingAttempts } from '../cli/discovery';
import { failureMessage } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';

const CONTROL_PLANE_URL = `https://${API_ENDPOINT}`;
const HINT = "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";

interface ServiceLike extends KubeObject {
  readonly spec?: { readonly ports?: readonly { readonly name?: string; readonly port: number }[] };
  readonly status?: {
    readonly loadBalancer?: { readonly ingress?: readonly { ip?: string; hostname?: string }[] };
  };
}

/**
 * `kubectl cluster-info`: the control plane's address, then every kube-system Service labelled
 * kubernetes.io/cluster-service=true. Real kubectl colours the names (green) and URLs (yellow) with
 * ANSI escapes; the terminal here shows plain text.
 */
function* run(inv: Invocation): Task<number> {
  const discovery = yield* discover(inv, mappingAttempts(['services'], false));
  if (!discovery.ok) {
    inv.out(HINT);
    inv.err(failureMessage(discovery.failure));
    return 1;
  }
  // kubectl lists the cluster services; until the simulation serves Services, a quorum read of the
  // kube-system namespace stands in for that request, so the command fails as it would (e.g. with
  // etcd's timeout when quorum is lost).
  const hasServices = discovery.resources.some((r) => r.resource === 'services' && r.group === '');
  const listed = hasServices
    ? yield* call<{ items: ServiceLike[] }>(inv, {
        verb: 'list',
        resource: 'services',
        namespace: 'kube-system',
        labelSelector: 'kubernetes.io/cluster-service=true',
      })
    : yield* call<{ items: KubeObject[] }>(inv, {
        verb: 'list',
        resource: 'namespaces',
        fieldSelector: 'metadata.name=kube-system',
      });
  if (!listed.ok) {
    inv.out(HINT);
    inv.err(failureMessage(listed.failure));
    return 1;
  }
  inv.out(`Kubernetes control plane is running at ${CONTROL_PLANE_URL}\n`);
  if (hasServices) for (const svc of listed.body.items as ServiceLike[]) inv.out(serviceLine(svc));
  inv.out(HINT);
  return 0;
}

function serviceLine(svc: ServiceLike): string {
  let link = '';
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length > 0) {
    const ip = ingress[0]!.ip || ingress[0]!.hostname || '';
    for (const p of svc.spec?.ports ?? []) link += `http://${ip}:${p.port} `;
  } else {
    let name = svc.metadata.name;
    const port = svc.spec?.ports?.[0];
    if (port) {
      const scheme = port.name === 'https' || port.port === 443 ? 'https' : '';
      name = scheme ? `${scheme}:${name}:${port.name ?? ''}` : port.name ? `${name}:${port.name}` : name;
    }
    link = `${CONTROL_PLANE_URL}/api/v1/namespaces/${svc.metadata.namespace}/services/${name}/proxy`;
  }
  return `${svc.metadata.labels?.['kubernetes.io/name'] || svc.metadata.name} is running at ${link}\n`;
}

export const clusterInfoCommand: CommandSpec = {
  name: 'cluster-info',
  short: 'Display cluster information',
  subcommands: [
    {
      name: 'dump',
      short: 'Dump relevant information for debugging and diagnosis',
      lenientFlags: true,
      run: notImplemented('kubectl cluster-info dump'),
    },
  ],
  help: {
    long: "Display addresses of the control plane and services with label kubernetes.io/cluster-service=true. To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.",
    examples: '  # Print the address of the control plane and cluster services\n  kubectl cluster-info',
    usage: 'kubectl cluster-info [flags] [options]',
  },
  run,
};
