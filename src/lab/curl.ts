import type { Program, ProgramContext } from '../shell/program';
import type { KubeObject } from '../sim/api/types';
import type { Cluster } from '../sim/cluster/cluster';
import { httpFromOutside } from '../sim/cluster/podExec';
import type { Task } from '../sim/kernel/task';
import {
  byteLength,
  type CurlFetched,
  type CurlUrl,
  curlResult,
  parseCurlArgs,
  parseCurlUrl,
} from '../sim/kubelet/curlCli';

/**
 * curl 7.88 on the learner's machine, outside the cluster: `localhost:PORT` reaches what `kubectl
 * proxy` or `kubectl port-forward` serve there, a node's address and NodePort reaches a Service
 * through that node's kube-proxy. Cluster IPs and pod IPs are not routable from outside, and
 * cluster DNS names do not resolve here — which is the lesson of NodePorts and port-forwards.
 */
export const curl: Program = function* (argv, ctx) {
  const opts = parseCurlArgs(argv);
  if (typeof opts === 'string') {
    ctx.stderr(opts);
    return 2;
  }
  const url = parseCurlUrl(opts.url);
  const result = curlResult(opts, url, url ? yield* fetch(ctx, url) : undefined);
  ctx.stderr(result.stderr);
  if (result.code !== 0) return result.code;
  if (opts.outFile !== undefined) {
    const written = ctx.session.files.writeFile(opts.outFile, result.output, false);
    if (!written.ok) {
      if (!opts.silent || opts.showError) ctx.stderr('curl: (23) Failure writing output to destination\n');
      return 23;
    }
  } else ctx.stdout(result.output);
  // The progress meter goes to stderr when the output is not a terminal (a pipe, a file).
  if (!opts.silent && (ctx.stdoutIsTerminal !== true || opts.outFile !== undefined))
    ctx.stderr(meter(byteLength(result.output)));
  return 0;
};

function* fetch(ctx: ProgramContext, { host, port, path }: CurlUrl): Task<CurlFetched> {
  if (host === 'localhost' || host === '127.0.0.1' || host === '::1') {
    const server = ctx.session.localPorts?.server(port);
    if (!server) return 'refused';
    const answer = yield* server.get(path);
    return answer.ok ? answer : 'empty';
  }
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(host)) return 'unresolved';
  const answer = httpFromOutside(ctx.cluster, storeReader(ctx.cluster), host, port, path);
  if (!answer.ok) return answer.error;
  return { ok: true, status: answer.status, contentType: 'text/html', body: answer.body };
}

/** What kube-proxy knows of Services and endpoints: a running control plane's view. */
function storeReader(cluster: Cluster): (prefix: string) => readonly KubeObject[] {
  const member = cluster
    .controlPlanes()
    .map((h) => cluster.etcdMember(h.name))
    .find((m) => m?.isAlive);
  return (prefix) => (member ? member.store.range(prefix, true).kvs.map((kv) => kv.value as KubeObject) : []);
}

/** curl's progress meter after a transfer (the speed as a quick local transfer shows it). */
function meter(bytes: number): string {
  const size = String(bytes).padStart(5);
  const speed = String(bytes * 300).padStart(6);
  return (
    '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' +
    '                                 Dload  Upload   Total   Spent    Left  Speed\n' +
    `100 ${size}  100 ${size}    0     0 ${speed}      0 --:--:-- --:--:-- --:--:-- ${speed}\n`
  );
}
