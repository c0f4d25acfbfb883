import type { Container, Probe } from '../api/types';
import { execInContainer } from '../kubelet/containerExec';
import { imageProfile } from '../kubelet/containerImage';
import { parseImage } from '../kubelet/images';
import { type RuntimePod, runtimeContainer } from '../kubelet/podRuntime';
import { type ProbeOutcome, probePort } from '../kubelet/prober';
import type { Host } from './host';
import type { LinkedCluster } from './links';
import { execTargetFor, type ObjectReader, podHttp } from './podExec';

/** Ports the database and cache images listen on (TCP, not HTTP). */
const TCP_PORTS: Readonly<Record<string, number>> = {
  redis: 6379,
  postgres: 5432,
  mysql: 3306,
  memcached: 11211,
};

/**
 * One probe of a container, as the kubelet on `host` carries it out: an exec in the container, an
 * HTTP GET or a TCP connect to the pod's IP from the node. The output is what the kubelet puts in
 * its Unhealthy event.
 */
export function runProbe(
  cluster: LinkedCluster,
  read: ObjectReader,
  host: Host,
  running: RuntimePod,
  container: Container,
  probe: Probe,
): ProbeOutcome {
  const ip = running.ip;
  if (probe.exec) {
    const r = execInContainer(
      execTargetFor(cluster, read, host, running, container),
      probe.exec.command ?? [],
    );
    if ('startError' in r)
      return {
        ok: false,
        output: `OCI runtime exec failed: exec failed: unable to start container process: exec: ${r.startError}: unknown`,
      };
    return { ok: r.exitCode === 0, output: r.stdout + r.stderr };
  }
  if (probe.httpGet) {
    const port = probePort(container, probe.httpGet.port) ?? 0;
    const path = probe.httpGet.path || '/';
    const url = `${(probe.httpGet.scheme ?? 'HTTP').toLowerCase()}://${ip}:${port}${path}`;
    const a = podHttp(cluster, read, host, ip, port, path);
    if (!a.ok)
      return {
        ok: false,
        output:
          a.error === 'refused'
            ? `Get "${url}": dial tcp ${ip}:${port}: connect: connection refused`
            : `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
      };
    // The kubelet counts 2xx and 3xx as success.
    if (a.status >= 200 && a.status < 400) return { ok: true, output: '' };
    return { ok: false, output: `HTTP probe failed with statuscode: ${a.status}` };
  }
  const port = probe.tcpSocket ? (probePort(container, probe.tcpSocket.port) ?? 0) : (probe.grpc?.port ?? 0);
  const open = running.pod.spec.containers.some((c) => {
    if (!runtimeContainer(running, c.name)?.started) return false;
    return imageProfile(c.image).http?.port === port || TCP_PORTS[parseImage(c.image).repo] === port;
  });
  return open
    ? { ok: true, output: '' }
    : { ok: false, output: `dial tcp ${ip}:${port}: connect: connection refused` };
}
