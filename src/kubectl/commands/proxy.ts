import type { LocalAnswer, LocalServer } from '../../shell/program';
import { RESOURCES, type ResourceInfo } from '../../sim/api/resources';
import type { ApiRequest } from '../../sim/apiserver/request';
import type { ApiClient } from '../../sim/client/apiClient';
import { suspend, type Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import { errorExit } from '../cli/common';
import type { Invocation } from '../cli/invocation';
import { flagInt, flagString } from '../flags';
import { toGoJson } from '../print/json';
import { typedOrder } from '../print/typedJson';

/**
 * `kubectl proxy`: serves the API server's REST paths on a local port (8001) until Ctrl-C, so
 * `curl localhost:8001/api/v1/namespaces/default/pods` works without credentials, and
 * `…/pods/NAME:8080/proxy/` reaches a pod through the API server. Answers are what the API server
 * sends a curl client: JSON pretty-printed (it does that for curl's User-Agent), or the upstream's
 * text for proxied pods and Services.
 */
function* run(inv: Invocation): Task<number> {
  const ports = inv.ctx.session.localPorts;
  if (!ports) return errorExit(inv, 'cplab: kubectl proxy needs the lab terminal');
  if (inv.args.length > 0) return errorExit(inv, `unknown command "${inv.args[0]}" for "kubectl proxy"`);
  const address = flagString(inv.flags, 'address') ?? '127.0.0.1';
  let port = flagInt(inv.flags, 'port') ?? 8001;
  if (port === 0) port = ports.ephemeral();
  const prefix = normalizePrefix(flagString(inv.flags, 'api-prefix') ?? '/');
  const rejected = compileList(flagString(inv.flags, 'reject-paths') ?? DEFAULT_REJECT_PATHS);
  const server: LocalServer = {
    get: (path) => serve(inv.ctx.client, prefix, rejected, path),
  };
  const stop = ports.listen(port, server);
  if (!stop) return errorExit(inv, `listen tcp ${address}:${port}: bind: address already in use`);
  inv.out(`Starting to serve on ${address}:${port}\n`);
  // Serves until interrupted; kubectl proxy has no interrupt handler, so Ctrl-C ends it with 130.
  yield* suspend<void>(() => stop);
  return 0;
}

const DEFAULT_REJECT_PATHS = '^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach';

function normalizePrefix(p: string): string {
  const withSlash = p.startsWith('/') ? p : `/${p}`;
  return withSlash.endsWith('/') ? withSlash : `${withSlash}/`;
}

function compileList(text: string): RegExp[] {
  return text
    .split(',')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return new RegExp(p);
      } catch {
        return /$^/;
      }
    });
}

const text = (status: number, body: string): LocalAnswer => ({
  ok: true,
  status,
  contentType: 'text/plain; charset=utf-8',
  body,
});

/** JSON as the API server writes it: indented for curl (its pretty-printing for curl and wget user agents), compact for kubectl. */
const json = (status: number, body: unknown, compact = false): LocalAnswer => ({
  ok: true,
  status,
  contentType: 'application/json',
  body: `${compact ? JSON.stringify(ordered(body)) : toGoJson(ordered(body), '  ', false)}\n`,
});

/** Objects and list items in the order Go marshals them. */
function ordered(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const obj = body as Record<string, unknown>;
  if (!('kind' in obj)) return obj;
  if (obj.kind === 'Status') return statusOrder(obj);
  const top = typedOrder(obj);
  if (Array.isArray(top.items))
    top.items = top.items.map((i) =>
      i && typeof i === 'object' ? typedOrder(i as Record<string, unknown>) : i,
    );
  return top;
}

/** metav1.Status as encoding/json writes it: metadata always, empty details fields left out. */
function statusOrder(s: Record<string, unknown>): Record<string, unknown> {
  const details = s.details as Record<string, unknown> | undefined;
  const shownDetails = details
    ? Object.fromEntries(Object.entries(details).filter(([, v]) => v !== '' && v !== undefined))
    : undefined;
  const out: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: s.metadata ?? {} };
  for (const k of ['status', 'message', 'reason']) if (s[k] !== undefined && s[k] !== '') out[k] = s[k];
  if (shownDetails && Object.keys(shownDetails).length > 0) out.details = shownDetails;
  out.code = s.code;
  return out;
}

/** `kubectl get --raw PATH`: the API server's answer to a GET of that path, as kubectl receives it. */
export function serveRaw(client: ApiClient, path: string): Task<LocalAnswer> {
  return serve(client, '/', [], path, true);
}

function* serve(
  client: ApiClient,
  prefix: string,
  rejected: readonly RegExp[],
  url: string,
  compact = false,
): Task<LocalAnswer> {
  const [rawPath = '/', query = ''] = url.split('?', 2);
  if (!rawPath.startsWith(prefix.slice(0, -1))) return text(404, '404 page not found\n');
  const path = `/${rawPath.slice(prefix.length)}`.replace(/^\/\//, '/');
  if (rejected.some((r) => r.test(path))) return text(403, 'Forbidden\n');
  if (path === '/healthz' || path === '/livez' || path === '/readyz') return text(200, 'ok');
  if (path === '/version') return yield* forward(client, { verb: 'version', resource: '' }, compact);
  const req = requestFor(path, new URLSearchParams(query));
  if (!req) return text(404, '404 page not found\n');
  return yield* forward(client, req, compact);
}

function* forward(client: ApiClient, req: ApiRequest, compact: boolean): Task<LocalAnswer> {
  const outcome = yield* client.call(req);
  if ('transport' in outcome) return { ok: false, error: 'empty' };
  if (req.subresource === 'proxy' || req.subresource === 'log') {
    if (typeof outcome.body === 'string') return text(outcome.code, outcome.body);
  }
  return json(outcome.code, outcome.body, compact);
}

/** `/api/v1/namespaces/NS/pods/NAME/log` and friends, as the API server routes them. */
export function requestFor(path: string, query: URLSearchParams): ApiRequest | undefined {
  const seg = path.split('/').filter((s, i, all) => s !== '' || i === all.length - 1);
  let rest: string[];
  let group: string;
  if (seg[0] === 'api' && seg[1] === 'v1') {
    group = '';
    rest = seg.slice(2);
  } else if (seg[0] === 'apis' && seg.length >= 3) {
    group = seg[1] as string;
    rest = seg.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const info = RESOURCES.find((r) => r.resource === rest[0] && r.group === group);
  if (!info || (namespace !== undefined && !info.namespaced)) return undefined;
  const selectors = {
    ...(query.get('labelSelector') ? { labelSelector: query.get('labelSelector') as string } : {}),
    ...(query.get('fieldSelector') ? { fieldSelector: query.get('fieldSelector') as string } : {}),
  };
  const [, nameAndPort, sub, ...tail] = rest;
  if (nameAndPort === undefined || nameAndPort === '')
    return { verb: 'list', resource: info.resource, ...ns(info, namespace), ...selectors };
  if (sub === 'proxy') {
    const colon = nameAndPort.indexOf(':');
    const name = colon >= 0 ? nameAndPort.slice(0, colon) : nameAndPort;
    const port = colon >= 0 ? nameAndPort.slice(colon + 1) : undefined;
    return {
      verb: 'get',
      resource: info.resource,
      ...ns(info, namespace),
      name,
      subresource: 'proxy',
      proxy: { ...(port ? { port } : {}), path: `/${tail.join('/')}` },
    };
  }
  if (sub === 'log' && info.resource === 'pods') {
    const container = query.get('container');
    return {
      verb: 'get',
      resource: 'pods',
      ...ns(info, namespace),
      name: nameAndPort,
      subresource: 'log',
      logOptions: container ? { container } : {},
    };
  }
  if (sub !== undefined && sub !== 'status') return undefined;
  return { verb: 'get', resource: info.resource, ...ns(info, namespace), name: nameAndPort };
}

function ns(info: ResourceInfo, namespace: string | undefined): { namespace?: string } {
  return info.namespaced && namespace !== undefined ? { namespace } : {};
}

export const proxyCommand: CommandSpec = {
  name: 'proxy',
  short: 'Run a proxy to the Kubernetes API server',
  flags: [
    {
      name: 'accept-hosts',
      type: 'string',
      defaultValue: '^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$',
      usage: 'Regular expression for hosts that the proxy should accept.',
    },
    {
      name: 'accept-paths',
      type: 'string',
      defaultValue: '^.*',
      usage: 'Regular expression for paths that the proxy should accept.',
    },
    {
      name: 'address',
      type: 'string',
      defaultValue: '127.0.0.1',
      usage: 'The IP address on which to serve on.',
    },
    {
      name: 'api-prefix',
      type: 'string',
      defaultValue: '/',
      usage: 'Prefix to serve the proxied API under.',
    },
    {
      name: 'append-server-path',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, enables automatic path appending of the kube context server path to each request.',
    },
    {
      name: 'disable-filter',
      type: 'bool',
      defaultValue: 'false',
      usage:
        'If true, disable request filtering in the proxy. This is dangerous, and can leave you vulnerable to XSRF attacks, when used with an accessible port.',
    },
    {
      name: 'keepalive',
      type: 'string',
      defaultValue: '0s',
      shownDefault: '0s',
      usage:
        'keepalive specifies the keep-alive period for an active network connection. Set to 0 to disable keepalive.',
    },
    {
      name: 'port',
      short: 'p',
      type: 'int',
      defaultValue: '8001',
      usage: 'The port on which to run the proxy. Set to 0 to pick a random port.',
    },
    {
      name: 'reject-methods',
      type: 'string',
      defaultValue: '^$',
      usage:
        "Regular expression for HTTP methods that the proxy should reject (example --reject-methods='POST,PUT,PATCH'). ",
    },
    {
      name: 'reject-paths',
      type: 'string',
      defaultValue: DEFAULT_REJECT_PATHS,
      usage:
        'Regular expression for paths that the proxy should reject. Paths specified here will be rejected even accepted by --accept-paths.',
    },
    {
      name: 'unix-socket',
      short: 'u',
      type: 'string',
      defaultValue: '',
      usage: 'Unix socket on which to run the proxy.',
    },
    {
      name: 'www',
      short: 'w',
      type: 'string',
      defaultValue: '',
      usage: 'Also serve static files from the given directory under the specified prefix.',
    },
    {
      name: 'www-prefix',
      short: 'P',
      type: 'string',
      defaultValue: '/static/',
      usage: 'Prefix to serve static files under, if static file directory is specified.',
    },
  ],
  help: {
    long: 'Creates a proxy server or application-level gateway between localhost and the Kubernetes API server. It also allows serving static content over specified HTTP path. All incoming data enters through one port and gets forwarded to the remote Kubernetes API server port, except for the path matching the static content path.',
    examples: [
      '  # To proxy all of the Kubernetes API and nothing else',
      '  kubectl proxy --api-prefix=/',
      '  ',
      '  # To proxy only part of the Kubernetes API and also some static files',
      "  # You can get pods info with 'curl localhost:8001/api/v1/pods'",
      '  kubectl proxy --www=/my/files --www-prefix=/static/ --api-prefix=/api/',
      '  ',
      '  # To proxy the entire Kubernetes API at a different root',
      "  # You can get pods info with 'curl localhost:8001/custom/api/v1/pods'",
      '  kubectl proxy --api-prefix=/custom/',
      '  ',
      '  # Run a proxy to the Kubernetes API server on port 8011, serving static content from ./local/www/',
      '  kubectl proxy --port=8011 --www=./local/www/',
      '  ',
      '  # Run a proxy to the Kubernetes API server on an arbitrary local port',
      '  # The chosen port for the server will be output to stdout',
      '  kubectl proxy --port=0',
      '  ',
      '  # Run a proxy to the Kubernetes API server, changing the API prefix to k8s-api',
      '  # This makes e.g. the pods API available at localhost:8001/k8s-api/v1/pods/',
      '  kubectl proxy --api-prefix=/k8s-api',
    ].join('\n'),
    usage:
      'kubectl proxy [--port=PORT] [--www=static-dir] [--www-prefix=prefix] [--api-prefix=prefix] [options]',
  },
  run,
};
