import type { LocalAnswer } from '../../shell/program';
import type { KubeObject, PodObject, ServiceObject } from '../../sim/api/types';
import type { ApiWatchEvent } from '../../sim/apiserver/request';
import { suspend, type Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import { durationFlag, errorExit, podRunningTimeoutFlag, usageError } from '../cli/common';
import type { Invocation } from '../cli/invocation';
import { goQuote, klogErrorLine } from '../cli/klog';
import { flagList } from '../flags';
import { goType, podsFor, resolveObject, selectorForObject } from './logs';

/**
 * `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE...`: listens on local ports and carries each
 * connection through the API server and the pod's kubelet to the port inside the pod (a Service
 * or workload picks one pod first; a Service port becomes its targetPort). It runs until Ctrl-C,
 * or ends when the pod goes away or a connection finds nothing listening ("lost connection to pod").
 */
function* run(inv: Invocation): Task<number> {
  const timeoutMs = durationFlag(inv, 'pod-running-timeout', '1m0s');
  if (timeoutMs === undefined) return 1;
  if (inv.args.length < 2)
    return usageError(inv, 'TYPE/NAME and list of ports are required for port-forward');
  const ports = inv.ctx.session.localPorts;
  if (!ports) return errorExit(inv, 'cplab: kubectl port-forward needs the lab terminal');
  const addresses = flagList(inv.flags, 'address')
    .flatMap((a) => a.replace(/^\[|\]$/g, '').split(','))
    .filter((a) => a !== '');
  const resourceArg = inv.args[0] as string;
  const specs: { local: string; remote: string }[] = [];
  for (const p of inv.args.slice(1)) {
    const [local, remote] = p.includes(':') ? (p.split(':', 2) as [string, string]) : [p, p];
    specs.push({ local, remote });
  }

  const object = yield* resolveObject(inv, resourceArg, '', false);
  if (!object.ok) return object.code;
  if (!('info' in object.value)) return 1;
  const { info, obj } = object.value;
  let pod: PodObject;
  if (info.kind === 'Pod') pod = obj as PodObject;
  else {
    const sel = selectorForObject(info, obj);
    if ('error' in sel) return errorExit(inv, `cannot attach to ${goType(info)}: ${sel.error}`);
    const found = yield* podsFor(inv, obj.metadata.namespace ?? inv.namespace, sel.selector, timeoutMs);
    if (!found.ok) return found.code;
    pod = found.value.pods[0] as PodObject;
  }

  // Ports: a Service port becomes its targetPort; a named port, the container port of that name.
  const forwards: { local: number; remote: number; localText: string }[] = [];
  for (const { local, remote } of specs) {
    let remotePort = remote;
    if (info.kind === 'Service') {
      const translated = servicePortToTarget(obj as ServiceObject, pod, remote);
      if ('error' in translated) return errorExit(inv, translated.error);
      remotePort = translated.port;
    }
    let remoteNumber = Number(remotePort);
    if (!/^\d+$/.test(remotePort)) {
      const named = pod.spec.containers.flatMap((c) => c.ports ?? []).find((cp) => cp.name === remotePort);
      if (!named)
        return errorExit(inv, `Pod '${pod.metadata.name}' does not have a named port '${remotePort}'`);
      remoteNumber = named.containerPort;
    }
    const localText = local === '' ? '' : local;
    if (localText !== '' && !/^\d+$/.test(localText))
      return errorExit(
        inv,
        `Error parsing local port '${localText}': strconv.ParseUint: parsing ${goQuote(localText)}: invalid syntax`,
      );
    forwards.push({ local: localText === '' ? 0 : Number(localText), remote: remoteNumber, localText });
  }
  const phase = pod.status?.phase;
  if (phase !== 'Running')
    return errorExit(
      inv,
      `unable to forward port because pod is not running. Current status=${phase ?? 'Pending'}`,
    );

  const namespace = pod.metadata.namespace ?? inv.namespace;
  const name = pod.metadata.name;
  const sim = inv.ctx.cluster.sim;
  let lost: ((reason: string) => void) | undefined;
  const stops: (() => void)[] = [];
  const listenOn = addresses.length === 0 ? ['localhost'] : addresses;
  for (const f of forwards) {
    const local = f.local === 0 ? ports.ephemeral() : f.local;
    const stop = ports.listen(local, {
      *get(path): Task<LocalAnswer> {
        inv.out(`Handling connection for ${local}\n`);
        const outcome = yield* inv.ctx.client.call({
          verb: 'get',
          resource: 'pods',
          namespace,
          name,
          subresource: 'proxy',
          proxy: { port: String(f.remote), path },
        });
        if ('transport' in outcome || outcome.code === 404) {
          lost?.('');
          return { ok: false, error: 'empty' };
        }
        if (outcome.code === 503 && typeof outcome.body === 'object') {
          const message = `an error occurred forwarding ${local} -> ${f.remote}: error forwarding port ${f.remote} to pod ${pod.metadata.uid ?? ''}, uid : failed to connect to localhost:${f.remote} inside namespace "${name}", IPv4: dial tcp4 127.0.0.1:${f.remote}: connect: connection refused IPv6 dial tcp6 [::1]:${f.remote}: connect: connection refused `;
          lost?.(klogErrorLine(sim.nowMs, 'portforward.go:424', `"Unhandled Error" err=${goQuote(message)}`));
          return { ok: false, error: 'empty' };
        }
        return {
          ok: true,
          status: outcome.code,
          contentType: 'text/html',
          body: typeof outcome.body === 'string' ? outcome.body : JSON.stringify(outcome.body),
        };
      },
    });
    if (!stop) {
      for (const s of stops) s();
      return errorExit(
        inv,
        `Unable to listen on port ${local}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:${local}: bind: address already in use unable to create listener: Error listen tcp6 [::1]:${local}: bind: address already in use]`,
      );
    }
    stops.push(stop);
    for (const a of listenOn) {
      if (a === 'localhost') {
        inv.out(`Forwarding from 127.0.0.1:${local} -> ${f.remote}\n`);
        inv.out(`Forwarding from [::1]:${local} -> ${f.remote}\n`);
      } else inv.out(`Forwarding from ${a}:${local} -> ${f.remote}\n`);
    }
  }

  // Until Ctrl-C, or until the pod goes away (the stream to its kubelet closes).
  const abort = { aborted: false };
  const reason = yield* suspend<string>((resume) => {
    lost = resume;
    inv.ctx.client.request(
      {
        verb: 'watch',
        resource: 'pods',
        namespace,
        fieldSelector: `metadata.name=${name}`,
        abort,
        onWatchEvent: (e: ApiWatchEvent) => {
          const p = e.object as KubeObject & PodObject;
          if (e.type === 'DELETED' || p.metadata.deletionTimestamp || p.status?.phase !== 'Running')
            resume('');
        },
      },
      () => {},
    );
    return () => {
      abort.aborted = true;
      for (const s of stops) s();
    };
  });
  abort.aborted = true;
  for (const s of stops) s();
  inv.err(`${reason}error: lost connection to pod\n`);
  return 1;
}

/** A Service port (number or name) to the pod port its targetPort names. */
function servicePortToTarget(
  svc: ServiceObject,
  pod: PodObject,
  remote: string,
): { port: string } | { error: string } {
  const sp = (svc.spec.ports ?? []).find((p) =>
    /^\d+$/.test(remote) ? p.port === Number(remote) : p.name === remote,
  );
  if (!sp) return { error: `Service ${svc.metadata.name} does not have a service port ${remote}` };
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return { port: String(target) };
  const named = pod.spec.containers.flatMap((c) => c.ports ?? []).find((cp) => cp.name === target);
  return named ? { port: String(named.containerPort) } : { port: target };
}

export const portForwardCommand: CommandSpec = {
  name: 'port-forward',
  short: 'Forward one or more local ports to a pod',
  flags: [
    {
      name: 'address',
      type: 'stringSlice',
      defaultValue: '[localhost]',
      shownDefault: '[localhost]',
      usage:
        'Addresses to listen on (comma separated). Only accepts IP addresses or localhost as a value. When localhost is supplied, kubectl will try to bind on both 127.0.0.1 and ::1 and will fail if neither of these addresses are available to bind.',
    },
    podRunningTimeoutFlag('1m0s'),
  ],
  help: {
    long: "Forward one or more local ports to a pod.\n\n Use resource type/name such as deployment/mydeployment to select a pod. Resource type defaults to 'pod' if omitted.\n\n If there are multiple pods matching the criteria, a pod will be selected automatically. The forwarding session ends when the selected pod terminates, and a rerun of the command is needed to resume forwarding.",
    examples: [
      '  # Listen on ports 5000 and 6000 locally, forwarding data to/from ports 5000 and 6000 in the pod',
      '  kubectl port-forward pod/mypod 5000 6000',
      '  ',
      '  # Listen on ports 5000 and 6000 locally, forwarding data to/from ports 5000 and 6000 in a pod selected by the deployment',
      '  kubectl port-forward deployment/mydeployment 5000 6000',
      '  ',
      '  # Listen on port 8443 locally, forwarding to the targetPort of the service\'s port named "https" in a pod selected by the service',
      '  kubectl port-forward service/myservice 8443:https',
      '  ',
      '  # Listen on port 8888 locally, forwarding to 5000 in the pod',
      '  kubectl port-forward pod/mypod 8888:5000',
      '  ',
      '  # Listen on port 8888 on all addresses, forwarding to 5000 in the pod',
      '  kubectl port-forward --address 0.0.0.0 pod/mypod 8888:5000',
      '  ',
      '  # Listen on port 8888 on localhost and selected IP, forwarding to 5000 in the pod',
      '  kubectl port-forward --address localhost,10.19.21.23 pod/mypod 8888:5000',
      '  ',
      '  # Listen on a random port locally, forwarding to 5000 in the pod',
      '  kubectl port-forward pod/mypod :5000',
    ].join('\n'),
    usage:
      'kubectl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]',
  },
  run,
};
