import type { LocalAnswer, Program, ProgramContext } from '../shell/program';
import type { KubeObject } from '../sim/api/types';
import type { Cluster } from '../sim/cluster/cluster';
import { httpFromOutside } from '../sim/cluster/podExec';
import type { Task } from '../sim/kernel/task';

/**
 * curl 7.88 on the learner's machine, outside the cluster: `localhost:PORT` reaches what `kubectl
 * proxy` or `kubectl port-forward` serve there, a node's address and NodePort reaches a Service
 * through that node's kube-proxy. Cluster IPs and pod IPs are not routable from outside, and
 * cluster DNS names do not resolve here — which is the lesson of NodePorts and port-forwards.
 */
export const curl: Program = function* (argv, ctx) {
  const opts = parseArgs(argv);
  if (typeof opts === 'string') {
    ctx.stderr(opts);
    return 2;
  }
  const fail = (code: number, message: string): number => {
    if (!opts.silent || opts.showError) ctx.stderr(`curl: (${code}) ${message}\n`);
    return code;
  };
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([/?][^#]*)?$/.exec(opts.url);
  if (!m) return fail(3, 'URL rejected: Malformed input to a URL function');
  const scheme = m[1] ?? 'http';
  const host = (m[2] as string).replace(/^\[|\]$/g, '');
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  const path = (m[4] ?? '/').startsWith('?') ? `/${m[4]}` : (m[4] ?? '/');
  const answer = yield* fetch(ctx, host, port, path);
  if (answer === 'unresolved') return fail(6, `Could not resolve host: ${host}`);
  if (answer === 'refused')
    return fail(7, `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`);
  if (answer === 'timeout')
    return fail(28, `Failed to connect to ${host} port ${port} after 130914 ms: Couldn't connect to server`);
  if (!answer.ok) return fail(52, 'Empty reply from server');
  if (opts.failOnError && answer.status >= 400)
    return fail(22, `The requested URL returned error: ${answer.status}`);
  const head = `HTTP/1.1 ${answer.status} ${REASONS[answer.status] ?? ''}\r\nContent-Type: ${answer.contentType}\r\nContent-Length: ${byteLength(answer.body)}\r\n\r\n`;
  const output = opts.headOnly ? head : `${opts.include ? head : ''}${answer.body}`;
  if (opts.outFile !== undefined) {
    const written = ctx.session.files.writeFile(opts.outFile, output, false);
    if (!written.ok) return fail(23, `Failure writing output to destination`);
  } else ctx.stdout(output);
  // The progress meter goes to stderr when the output is not a terminal (a pipe, a file).
  if (!opts.silent && (ctx.stdoutIsTerminal !== true || opts.outFile !== undefined))
    ctx.stderr(meter(byteLength(output)));
  return 0;
};

const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

interface CurlOptions {
  url: string;
  silent: boolean;
  showError: boolean;
  include: boolean;
  headOnly: boolean;
  failOnError: boolean;
  outFile?: string;
}

function parseArgs(argv: readonly string[]): CurlOptions | string {
  const o: CurlOptions = {
    url: '',
    silent: false,
    showError: false,
    include: false,
    headOnly: false,
    failOnError: false,
  };
  const withValue = new Set([
    '-o',
    '--output',
    '-H',
    '--header',
    '-X',
    '--request',
    '-m',
    '--max-time',
    '-d',
    '--data',
    '-w',
    '--write-out',
    '--connect-timeout',
    '-u',
    '--user',
  ]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (withValue.has(a)) {
      const v = argv[++i];
      if (v === undefined)
        return `curl: option ${a}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n`;
      if (a === '-o' || a === '--output') o.outFile = v;
      continue;
    }
    if (a === '--silent') o.silent = true;
    else if (a === '--show-error') o.showError = true;
    else if (a === '--include') o.include = true;
    else if (a === '--head') o.headOnly = true;
    else if (a === '--fail') o.failOnError = true;
    else if (/^-[a-zA-Z]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (f === 's') o.silent = true;
        else if (f === 'S') o.showError = true;
        else if (f === 'i') o.include = true;
        else if (f === 'I') o.headOnly = true;
        else if (f === 'f') o.failOnError = true;
      }
    } else if (a.startsWith('--')) continue;
    else o.url = a;
  }
  if (o.url === '')
    return "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n";
  return o;
}

type Fetched = LocalAnswer | 'unresolved' | 'refused' | 'timeout';

function* fetch(ctx: ProgramContext, host: string, port: number, path: string): Task<Fetched> {
  if (host === 'localhost' || host === '127.0.0.1' || host === '::1') {
    const server = ctx.session.localPorts?.server(port);
    if (!server) return 'refused';
    return yield* server.get(path);
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

function byteLength(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
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
