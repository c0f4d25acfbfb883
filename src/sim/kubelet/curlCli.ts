/**
 * curl 7.88's command line, shared by the curl inside containers (containerExec.ts) and the one on
 * the learner's machine (lab/curl.ts): its options, the URL, and what it prints for an answer or a
 * failure. Where the request goes is each caller's business.
 */
export interface CurlOptions {
  readonly url: string;
  readonly silent: boolean;
  readonly showError: boolean;
  readonly include: boolean;
  readonly headOnly: boolean;
  readonly failOnError: boolean;
  readonly outFile?: string;
}

export interface CurlUrl {
  readonly host: string;
  readonly port: number;
  readonly path: string;
}

/** What a request came to: an answer, or why there was none. */
export type CurlFetched =
  | { readonly ok: true; readonly status: number; readonly contentType: string; readonly body: string }
  | 'unresolved'
  | 'refused'
  | 'timeout'
  /** Connected, then closed with nothing said. */
  | 'empty';

const WITH_VALUE = new Set([
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

const TRY_HELP = "curl: try 'curl --help' or 'curl --manual' for more information\n";

/** The options, or what curl prints (exit 2) for a command line it cannot use. */
export function parseCurlArgs(argv: readonly string[]): CurlOptions | string {
  const o = {
    url: '',
    silent: false,
    showError: false,
    include: false,
    headOnly: false,
    failOnError: false,
  } as {
    -readonly [K in keyof CurlOptions]: CurlOptions[K];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (WITH_VALUE.has(a)) {
      const v = argv[++i];
      if (v === undefined) return `curl: option ${a}: requires parameter\n${TRY_HELP}`;
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
    } else if (!a.startsWith('--')) o.url = a;
  }
  if (o.url === '') return `curl: no URL specified!\n${TRY_HELP}`;
  return o;
}

/** `http://host:port/path`, `host/path`, `[::1]:8080`; undefined if curl would reject it. */
export function parseCurlUrl(text: string): CurlUrl | undefined {
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([/?][^#]*)?$/.exec(text);
  if (!m) return undefined;
  const port = m[3] ? Number(m[3]) : m[1] === 'https' ? 443 : 80;
  const path = (m[4] ?? '/').startsWith('?') ? `/${m[4]}` : (m[4] ?? '/');
  return { host: (m[2] as string).replace(/^\[|\]$/g, ''), port, path };
}

const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** What curl writes for the outcome: the output (stdout or -o), its messages and its exit code. */
export function curlResult(
  o: CurlOptions,
  url: CurlUrl | undefined,
  fetched: CurlFetched | undefined,
): { readonly output: string; readonly stderr: string; readonly code: number } {
  const fail = (code: number, message: string) => ({
    output: '',
    stderr: !o.silent || o.showError ? `curl: (${code}) ${message}\n` : '',
    code,
  });
  if (!url || !fetched) return fail(3, 'URL rejected: Malformed input to a URL function');
  const { host, port } = url;
  if (fetched === 'unresolved') return fail(6, `Could not resolve host: ${host}`);
  if (fetched === 'refused')
    return fail(7, `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`);
  if (fetched === 'timeout')
    return fail(28, `Failed to connect to ${host} port ${port} after 130914 ms: Couldn't connect to server`);
  if (fetched === 'empty') return fail(52, 'Empty reply from server');
  if (o.failOnError && fetched.status >= 400)
    return fail(22, `The requested URL returned error: ${fetched.status}`);
  const head = `HTTP/1.1 ${fetched.status} ${REASONS[fetched.status] ?? ''}\r\nContent-Type: ${fetched.contentType}\r\nContent-Length: ${byteLength(fetched.body)}\r\n\r\n`;
  return { output: o.headOnly ? head : `${o.include ? head : ''}${fetched.body}`, stderr: '', code: 0 };
}

export function byteLength(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}
