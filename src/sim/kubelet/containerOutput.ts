import { KUBERNETES_SERVICE_IP } from '../apiserver/apiserver';
import { hash32 } from '../kernel/hash';
import { EPOCH_UNIX_MS } from '../kernel/time';
import { type ImageInfo, lookupImage, parseImage } from './images';
import { KERNEL_VERSION } from './nodeObject';
import {
  type ContainerFiles,
  type NetworkResult,
  runShell,
  type ShellEnd,
  type ShellOutput,
  strftime,
} from './shellScript';

/**
 * What a container prints, as its image would: nginx's entrypoint and notice lines, httpd's and
 * redis's start-up banners, postgres and mysql initialising (or refusing to start without a
 * password), and for busybox, alpine and ubuntu whatever their shell script echoes, when it echoes
 * it. Nothing is stored: the lines are generated again, lazily and in time order, from what
 * defines the container instance (image, command, args, env, pod, start time, restart count), so
 * 150,000 pods cost no log memory at all.
 */

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
}

/** One run of one container: everything its output depends on. */
export interface ContainerRun {
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly podName: string;
  /** The pod's namespace (default: default). */
  readonly namespace?: string;
  readonly podIp: string;
  /** CPUs of the node (nginx starts one worker per CPU). */
  readonly nodeCpus: number;
  /** Varies per container instance (cluster seed, pod uid, container, restart count). */
  readonly key: number;
  /** When the container started (simulated ms). */
  readonly startMs: number;
  /** When the kubelet asked it to stop, if it did: the image's stop signal arrives then. */
  readonly stopMs?: number;
  /** What a one-shot network command printed, run when the container started (see CapturedRun). */
  readonly captured?: CapturedRun;
  /**
   * What the network tools of a script that loops printed, by the instant they were called (µs
   * since the start): the kubelet runs such a script as time passes (see runsLive).
   */
  readonly network?: (argv: readonly string[], atUs: number) => NetworkResult | undefined;
  /** The container's writable layer, for a script run as time passes (files it touches, removes, writes). */
  readonly files?: ContainerFiles;
}

/**
 * The run of a one-shot command that talks to the cluster (`nslookup kubernetes.default`, `wget -qO-
 * http://web`): its output depends on the cluster's DNS and Services at that moment, so the kubelet
 * runs it once, through the runtime's exec, when the container starts, and keeps what it printed.
 */
export interface CapturedRun {
  readonly text: string;
  readonly exitCode: number;
  /** How long it ran (ms). */
  readonly afterMs: number;
}

/** Programs whose output needs the cluster network; a container running one directly is captured. */
const NETWORK_TOOLS = new Set(['nslookup', 'wget', 'curl']);

const SHELLS = new Set(['sh', 'ash', 'bash']);
/** Words of a script that takes time (loops, sleeps, waiting on input) or runs for good. */
const TAKES_TIME = /\b(while|until|for|sleep|read|tail|watch)\b/;
const NETWORK_WORD = /\b(nslookup|wget|curl)\b/;

/**
 * Whether the kubelet runs a container's script as time passes: one that loops or sleeps around
 * network tools (`while true; do wget -qO- http://web; sleep 1; done`, `until nslookup db; do
 * sleep 2; done`), whose output and end depend on the cluster at each call; or one that writes
 * files an exec probe reads (`touch /tmp/healthy; sleep 30; rm -f /tmp/healthy`), whose files
 * must exist in its layer at the right moments.
 */
export function runsLive(container: {
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly livenessProbe?: { readonly exec?: unknown };
  readonly readinessProbe?: { readonly exec?: unknown };
  readonly startupProbe?: { readonly exec?: unknown };
}): boolean {
  // Runs at every container start: one look at the script, and none for most containers.
  const script = shellScriptOf(container);
  if (script === undefined || !TAKES_TIME.test(script)) return false;
  if (NETWORK_WORD.test(script)) return true;
  const execProbe = !!(
    container.livenessProbe?.exec ||
    container.readinessProbe?.exec ||
    container.startupProbe?.exec
  );
  return execProbe && WRITES_FILES.test(script);
}

/** Words of a script that change files (touch, rm, mkdir, a redirection into a file). */
const WRITES_FILES = /\b(touch|rm|mkdir)\b|>/;

/** The script of `sh -c SCRIPT` (or ash, bash), read from command then args in place. */
function shellScriptOf(container: {
  readonly command?: readonly string[];
  readonly args?: readonly string[];
}): string | undefined {
  // Runs at every container start: no joined copy of command and args.
  const command = container.command ?? [];
  const args = container.args ?? [];
  const word = (i: number): string | undefined =>
    i < command.length ? command[i] : args[i - command.length];
  const path = word(0);
  if (path === undefined || word(1) !== '-c') return undefined;
  return SHELLS.has(path.slice(path.lastIndexOf('/') + 1)) ? word(2) : undefined;
}

/**
 * The script of a container that runs one through the small shell, as it runs (its output in time
 * order, then how it ended); undefined for anything else.
 */
export function scriptProgram(
  run: ContainerRun,
): Generator<ShellOutput, ShellEnd | undefined, void> | undefined {
  const info = lookupImage(run.image);
  const argv = info ? scriptArgv(run, info) : undefined;
  return argv ? shellProgram(run, argv, undefined) : undefined;
}

/**
 * Whether a container's command needs the cluster network, and so is captured: a network tool as
 * its own command, or a short shell script around some (`sh -c "nslookup web; echo done"`). A
 * script that loops or sleeps stays with the log generator, where time passes; the network tools
 * in it print nothing.
 */
export function runsNetworkTool(container: {
  readonly command?: readonly string[];
  readonly args?: readonly string[];
}): boolean {
  const first = container.command?.[0] ?? container.args?.[0];
  if (first !== undefined && NETWORK_TOOLS.has(first.slice(first.lastIndexOf('/') + 1))) return true;
  const script = shellScriptOf(container);
  return script !== undefined && NETWORK_WORD.test(script) && !TAKES_TIME.test(script);
}

/** One line as the runtime logged it: when (simulated ms, sub-ms precise) and the text, with its newline if complete. */
export interface LogLine {
  readonly atMs: number;
  readonly text: string;
}

/**
 * The run of one instance of a pod's container: what it runs, in which pod, on which node, and when
 * it started (the captured, network and file hooks are the caller's to add).
 */
export function containerRunOf(
  pod: { readonly metadata: { readonly name: string; readonly namespace?: string; readonly uid?: string } },
  c: {
    readonly name: string;
    readonly image: string;
    readonly command?: readonly string[];
    readonly args?: readonly string[];
  },
  at: {
    readonly podIp: string;
    readonly nodeCpus: number;
    readonly seed: number;
    readonly startMs: number;
    readonly attempt: number;
  },
): ContainerRun {
  const env = (c as { env?: ContainerRun['env'] }).env;
  return {
    image: c.image,
    ...(c.command ? { command: c.command } : {}),
    ...(c.args ? { args: c.args } : {}),
    ...(env ? { env } : {}),
    podName: pod.metadata.name,
    ...(pod.metadata.namespace ? { namespace: pod.metadata.namespace } : {}),
    podIp: at.podIp,
    nodeCpus: at.nodeCpus,
    key: containerKey(at.seed, pod.metadata.uid ?? '', c.name, at.attempt),
    startMs: at.startMs,
  };
}

/** The key of a container instance, from the cluster seed, the pod's uid, the container and its restart count. */
export function containerKey(seed: number, podUid: string, container: string, attempt: number): number {
  return hash32(seed, podUid, container, attempt);
}

/**
 * Whether the container exits as soon as it starts: a tool image given nothing to run (busybox's
 * `sh` with no terminal), or a database image without the password its entrypoint insists on.
 */
export function exitsAtStart(
  image: ImageInfo,
  container: {
    readonly image: string;
    readonly command?: readonly string[];
    readonly args?: readonly string[];
  },
): boolean {
  if (readsTerminal(container)) return false;
  if (!image.runsForever) return !container.command && !container.args;
  if (container.command) return false;
  const { repo } = parseImage(container.image);
  if (repo === 'postgres') return !hasPostgresPassword(envOf(container));
  if (repo === 'mysql') return !hasMysqlPassword(envOf(container));
  return false;
}

function envOf(container: object): Map<string, string> {
  const list = (container as { env?: readonly EnvVar[] }).env ?? [];
  return new Map(list.map((e) => [e.name, e.value ?? '']));
}

function hasPostgresPassword(env: Map<string, string>): boolean {
  return (env.get('POSTGRES_PASSWORD') ?? '') !== '' || env.get('POSTGRES_HOST_AUTH_METHOD') === 'trust';
}

function hasMysqlPassword(env: Map<string, string>): boolean {
  return ['MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'].some(
    (k) => (env.get(k) ?? '') !== '',
  );
}

/** How far apart the runtime stamps lines that were written together (ms). */
const LINE_SPACING_MS = 0.000_873;

/** A program's output: text written at instants (µs since the container started). */
type Output = Generator<ShellOutput, void, void>;

/**
 * The container's log lines in time order, possibly without end (a script that loops). With
 * `skipBeforeMs`, an endless loop may skip rounds that end before then (callers filter anyway).
 */
export function* containerOutput(
  run: ContainerRun,
  opts: { skipBeforeMs?: number } = {},
): Generator<LogLine, void, void> {
  if (run.captured) {
    // Written as the command ran: the lines reach the log a little apart, by its end.
    const lines = run.captured.text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
    const endMs = run.startMs + run.captured.afterMs;
    for (const [i, text] of lines.entries())
      yield { atMs: endMs - (lines.length - i) * LINE_SPACING_MS, text };
    return;
  }
  // A script whose network calls were kept is replayed from its start: skipping rounds could
  // misplace the instants its calls were made at.
  const program = programFor(run, run.network ? undefined : opts.skipBeforeMs);
  let partial = '';
  let partialAt = 0;
  let sameUs = -1;
  let k = 0;
  const stopUs = run.stopMs === undefined ? Number.POSITIVE_INFINITY : (run.stopMs - run.startMs) * 1000;
  const at = (us: number): number => run.startMs + us / 1000 + (hash32(run.key, us) % 1000) / 1e6;
  for (const chunk of program) {
    if (chunk.atUs > stopUs) break;
    if (chunk.text === '') {
      // A tick: lets a reader that stops at some instant see that time has passed.
      yield { atMs: at(chunk.atUs), text: '' };
      continue;
    }
    let text = partial + chunk.text;
    if (partial === '') partialAt = chunk.atUs;
    let nl = text.indexOf('\n');
    // Lines written at the same instant reach the log a little apart (the runtime stamps each).
    if (chunk.atUs !== sameUs) {
      sameUs = chunk.atUs;
      k = 0;
    }
    while (nl >= 0) {
      yield {
        atMs: at(partial === '' ? chunk.atUs : partialAt) + k++ * LINE_SPACING_MS,
        text: text.slice(0, nl + 1),
      };
      partial = '';
      text = text.slice(nl + 1);
      partialAt = chunk.atUs;
      nl = text.indexOf('\n');
    }
    partial = text;
  }
  if (partial !== '') yield { atMs: at(partialAt), text: partial };
  if (run.stopMs !== undefined) yield* stopOutput(run, run.stopMs);
}

/** What the container prints when its image's stop signal reaches it at `atMs` (nginx, httpd, redis, postgres). */
export function* stopOutput(run: ContainerRun, atMs: number): Generator<LogLine, void, void> {
  for (const chunk of stopLines({ ...run, stopMs: atMs }))
    yield { atMs: atMs + chunk.atUs / 1000, text: chunk.text };
}

/** Lines yielded with a time offset from the start (µs), each ending in a newline. */
function* lines(items: readonly (readonly [number, string])[]): Output {
  for (const [atUs, text] of items) yield { atUs, text: `${text}\n` };
}

function programFor(
  run: ContainerRun,
  skipBeforeMs: number | undefined,
): Generator<ShellOutput, unknown, void> {
  const info = lookupImage(run.image);
  if (!info) return lines([]);
  const { repo, tag } = parseImage(run.image);
  const argv = scriptArgv(run, info);
  if (argv) return shellProgram(run, argv, skipBeforeMs);
  if (repo === 'hello-world')
    return lines([
      [900, ''],
      [900, 'Hello from Docker!'],
      [900, 'This message shows that your installation appears to be working correctly.'],
      [900, ''],
    ]);
  if (!info.runsForever) return lines([]);
  switch (repo) {
    case 'nginx':
      return nginx(run, tag);
    case 'httpd':
      return httpd(run);
    case 'redis':
      return redis(run, tag);
    case 'postgres':
      return postgres(run, tag);
    case 'mysql':
      return mysql(run, tag);
    case 'traefik':
      return traefik(run);
    case 'registry.k8s.io/echoserver':
      return echoserver();
    case 'gcr.io/google-samples/kubernetes-bootcamp':
    case 'jocatalin/kubernetes-bootcamp':
      return bootcamp(run);
    default:
      // memcached and pause print nothing unless asked to.
      return lines([]);
  }
}

/** The command a container runs through the small shell (a tool image's command, or a shell anywhere). */
function scriptArgv(run: ContainerRun, info: ImageInfo): string[] | undefined {
  const argv = run.command
    ? [...run.command, ...(run.args ?? [])]
    : run.args && !info.runsForever
      ? [...run.args]
      : undefined;
  return argv && (!info.runsForever || isShell(argv[0] ?? '')) ? argv : undefined;
}

/** How far a script is run ahead to find its end; beyond that it counts as running for good. */
const EXIT_SEARCH_CHUNKS = 20_000;

/**
 * How a container that runs to its end exits: its exit code and when (ms after it started); or
 * undefined when it runs until stopped (a server, `sleep infinity`, an endless loop).
 */
export function containerExit(run: ContainerRun): { exitCode: number; afterMs: number } | undefined {
  if (run.captured) return { exitCode: run.captured.exitCode, afterMs: run.captured.afterMs };
  const info = lookupImage(run.image);
  if (!info) return undefined;
  const argv = scriptArgv(run, info);
  if (argv) {
    const program = shellProgram(run, argv, undefined);
    for (let i = 0; i < EXIT_SEARCH_CHUNKS; i++) {
      const r = program.next();
      if (!r.done) continue;
      const end = r.value;
      if (!end || 'blocked' in end) return undefined;
      return { exitCode: end.exitCode, afterMs: end.atUs / 1000 };
    }
    return undefined;
  }
  if (info.runsForever) return exitsAtStart(info, run) ? { exitCode: 1, afterMs: 50 } : undefined;
  // A tool image's own entrypoint: prints what it prints (hello-world) and exits 0.
  let lastUs = 0;
  for (const chunk of programFor(run, undefined)) lastUs = chunk.atUs;
  return { exitCode: 0, afterMs: Math.max(50, lastUs / 1000) };
}

/**
 * A shell started with stdin open (`kubectl run -it … -- sh`, or a tool image's default shell):
 * it waits for what is typed rather than ending at once.
 */
export function readsTerminal(container: {
  readonly command?: readonly string[];
  readonly args?: readonly string[];
}): boolean {
  if (!(container as { stdin?: boolean }).stdin) return false;
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  return argv.length === 0 || (argv.length === 1 && isShell(argv[0] as string));
}

function isShell(word: string): boolean {
  return /^(?:\/bin\/|\/usr\/bin\/)?(?:sh|ash|bash|dash)$/.test(word);
}

function* shellProgram(
  run: ContainerRun,
  argv: readonly string[],
  skipBeforeMs: number | undefined,
): Generator<ShellOutput, ShellEnd | undefined, void> {
  const user = (run.env ?? []).map((e): [string, string] => [e.name, e.value ?? '']);
  const svc = KUBERNETES_SERVICE_IP;
  // The environment a container gets: the image's PATH, HOSTNAME, its own variables, and the
  // `kubernetes` Service's variables the kubelet injects, in the order busybox's `env` prints them.
  const env: [string, string][] = [
    ['KUBERNETES_SERVICE_PORT', '443'],
    ['KUBERNETES_PORT', `tcp://${svc}:443`],
    ['HOSTNAME', run.podName],
    ['SHLVL', '1'],
    ['HOME', '/root'],
    ...user,
    ['KUBERNETES_PORT_443_TCP_ADDR', svc],
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['KUBERNETES_PORT_443_TCP_PORT', '443'],
    ['KUBERNETES_PORT_443_TCP_PROTO', 'tcp'],
    ['KUBERNETES_SERVICE_PORT_HTTPS', '443'],
    ['KUBERNETES_PORT_443_TCP', `tcp://${svc}:443`],
    ['KUBERNETES_SERVICE_HOST', svc],
    ['PWD', '/'],
  ];
  const seen = new Set<string>();
  const ordered = env.filter(([k]) => !seen.has(k) && seen.add(k));
  const shell = runShell(argv, {
    hostname: run.podName,
    ...(run.namespace ? { namespace: run.namespace } : {}),
    env: ordered,
    startUnixMs: EPOCH_UNIX_MS + run.startMs,
    key: run.key,
    ...(run.network ? { network: run.network } : {}),
    ...(run.files ? { files: run.files } : {}),
    ...(skipBeforeMs !== undefined ? { skipBeforeUs: Math.max(0, (skipBeforeMs - run.startMs) * 1000) } : {}),
  });
  for (;;) {
    const r = shell.next();
    if (r.done) return r.value;
    yield r.value;
  }
}

/** Unix time (ms) of an offset from the container's start. */
const unixAt = (run: ContainerRun, us: number): number => EPOCH_UNIX_MS + run.startMs + us / 1000;

/** A small deterministic spread (µs) for the n-th step of a start-up. */
const step = (run: ContainerRun, n: number, base: number, spread: number): number =>
  base + (hash32(run.key, 'step', n) % spread);

// ---------------------------------------------------------------- nginx

const NGINX_VERSIONS: Record<string, string> = {
  latest: '1.27.3',
  '1.27': '1.27.3',
  '1.27.3': '1.27.3',
  alpine: '1.27.3',
  stable: '1.26.2',
  '1.26': '1.26.2',
  '1.25': '1.25.5',
  '1.25.5': '1.25.5',
  '1.24': '1.24.0',
  '1.23': '1.23.4',
  '1.16.1': '1.16.1',
  '1.14.2': '1.14.2',
};

function nginxWorkers(run: ContainerRun): number[] {
  const first = 28 + (hash32(run.key, 'nginx-pid') % 4);
  return Array.from({ length: Math.max(1, run.nodeCpus) }, (_, i) => first + i);
}

function nginx(run: ContainerRun, tag: string): Output {
  const version = NGINX_VERSIONS[tag] ?? '1.27.3';
  const minor = Number(version.split('.')[1]);
  // Before 1.19 the image had no entrypoint script and logged nothing at start.
  if (minor < 19) return lines([]);
  const compiler =
    tag === 'alpine'
      ? 'gcc 13.2.1 20240309 (Alpine 13.2.1_git20240309) '
      : minor <= 23
        ? 'gcc 10.2.1 20210110 (Debian 10.2.1-6) '
        : 'gcc 12.2.0 (Debian 12.2.0-14) ';
  const entry = [
    '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
    '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
    '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
    ...(minor >= 25 ? ['/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh'] : []),
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
    '/docker-entrypoint.sh: Configuration complete; ready for start up',
  ];
  const out: [number, string][] = [];
  let t = 3_000;
  entry.forEach((text, i) => {
    t += step(run, i, 600, 2_500);
    out.push([t, text]);
  });
  t += step(run, 100, 4_000, 3_000);
  const stamp = strftime('%Y/%m/%d %H:%M:%S', unixAt(run, t));
  const notice = (text: string): [number, string] => [t, `${stamp} [notice] 1#1: ${text}`];
  out.push(
    notice('using the "epoll" event method'),
    notice(`nginx/${version}`),
    notice(`built by ${compiler}`),
    notice(`OS: Linux ${KERNEL_VERSION}`),
    notice('getrlimit(RLIMIT_NOFILE): 1048576:1048576'),
    notice('start worker processes'),
    ...nginxWorkers(run).map((pid) => notice(`start worker process ${pid}`)),
  );
  return lines(out);
}

// ---------------------------------------------------------------- httpd

function httpd(run: ContainerRun): Output {
  const fqdn = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${run.podIp}. Set the 'ServerName' directive globally to suppress this message`;
  const t1 = step(run, 1, 9_000, 4_000);
  const t2 = t1 + step(run, 2, 6_000, 3_000);
  const t3 = t2 + step(run, 3, 2_000, 2_000);
  return lines([
    [t1, fqdn],
    [t2, fqdn],
    [
      t3,
      `${httpdStamp(run, t3)} [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations`,
    ],
    [
      t3 + 130,
      `${httpdStamp(run, t3 + 130)} [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'`,
    ],
  ]);
}

/** httpd's error-log stamp: [Wed Nov 25 09:00:31.517865 2026]. */
function httpdStamp(run: ContainerRun, us: number): string {
  const unixMs = unixAt(run, us);
  const micros = String(Math.floor((unixMs % 1000) * 1000)).padStart(6, '0');
  return `[${strftime('%a %b %d %H:%M:%S', unixMs)}.${micros} ${strftime('%Y', unixMs)}]`;
}

// ---------------------------------------------------------------- redis

const REDIS_VERSIONS: Record<string, string> = {
  latest: '7.4.1',
  alpine: '7.4.1',
  '7': '7.4.1',
  '7.4': '7.4.1',
  '7.2': '7.2.6',
  '6': '6.2.16',
};

/** redis's log stamp: 25 Nov 2026 09:00:31.450. */
function redisStamp(unixMs: number): string {
  return `${strftime('%d %b %Y %H:%M:%S', unixMs)}.${String(Math.floor(unixMs % 1000)).padStart(3, '0')}`;
}

function redis(run: ContainerRun, tag: string): Output {
  const version = REDIS_VERSIONS[tag] ?? '7.4.1';
  const seven = version.startsWith('7');
  const t0 = step(run, 0, 2_000, 1_500);
  const s = (us: number): string => redisStamp(unixAt(run, us));
  const c = (us: number, level: string, text: string): [number, string] => [
    us,
    `1:C ${s(us)} ${level} ${text}`,
  ];
  const m = (us: number, level: string, text: string): [number, string] => [
    us,
    `1:M ${s(us)} ${level} ${text}`,
  ];
  const t1 = t0 + step(run, 1, 300, 400);
  const t2 = t1 + step(run, 2, 500, 800);
  return lines([
    c(t0, seven ? '*' : '#', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'),
    c(
      t0,
      seven ? '*' : '#',
      `Redis version=${version}, bits=64, commit=00000000, modified=0, pid=1, just started`,
    ),
    c(
      t0,
      '#',
      'Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf',
    ),
    m(t1, '*', 'monotonic clock: POSIX clock_gettime'),
    m(t1, '*', 'Running mode=standalone, port=6379.'),
    m(t2, seven ? '*' : '#', 'Server initialized'),
    m(t2, '*', seven ? 'Ready to accept connections tcp' : 'Ready to accept connections'),
  ]);
}

// ---------------------------------------------------------------- postgres

const POSTGRES_VERSIONS: Record<string, string> = {
  latest: '17.2',
  alpine: '17.2',
  '17': '17.2',
  '16': '16.6',
  '15': '15.10',
};

function pgStamp(run: ContainerRun, us: number): string {
  const unixMs = unixAt(run, us);
  return `${strftime('%Y-%m-%d %H:%M:%S', unixMs)}.${String(Math.floor(unixMs % 1000)).padStart(3, '0')} UTC`;
}

function postgres(run: ContainerRun, tag: string): Output {
  const env = envOf(run);
  if (!hasPostgresPassword(env)) {
    return lines(
      [
        'Error: Database is uninitialized and superuser password is not specified.',
        '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
        '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
        '',
        '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all',
        '       connections to the database without a password. This is *not* recommended.',
        '',
        '       See PostgreSQL documentation about "trust":',
        '       https://www.postgresql.org/docs/current/auth-trust.html',
      ].map((text) => [step(run, 0, 8_000, 3_000), text] as [number, string]),
    );
  }
  const version = POSTGRES_VERSIONS[tag] ?? '17.2';
  const major = version.split('.')[0];
  const build =
    tag === 'alpine'
      ? `PostgreSQL ${version} on x86_64-pc-linux-musl, compiled by gcc (Alpine 13.2.1_git20240309) 13.2.1 20240309, 64-bit`
      : `PostgreSQL ${version} (Debian ${version}-1.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit`;
  const tmpPid = 46 + (hash32(run.key, 'pg') % 6);
  const out: [number, string][] = [];
  let t = step(run, 0, 20_000, 10_000);
  const add = (text: string, gap = 0): void => {
    t += gap;
    out.push([t, text]);
  };
  for (const text of [
    'The files belonging to this database system will be owned by user "postgres".',
    'This user must also own the server process.',
    '',
    'The database cluster will be initialized with locale "en_US.utf8".',
    'The default database encoding has accordingly been set to "UTF8".',
    'The default text search configuration will be set to "english".',
    '',
    'Data page checksums are disabled.',
    '',
    'fixing permissions on existing directory /var/lib/postgresql/data ... ok',
    'creating subdirectories ... ok',
    'selecting dynamic shared memory implementation ... posix',
    'selecting default "max_connections" ... 100',
    'selecting default "shared_buffers" ... 128MB',
    'selecting default time zone ... Etc/UTC',
    'creating configuration files ... ok',
  ])
    add(text, 400);
  add('running bootstrap script ... ok', 310_000);
  add('performing post-bootstrap initialization ... ok', 620_000);
  add('syncing data to disk ... ok', 40_000);
  add('', 200);
  add('', 0);
  add('Success. You can now start the database server using:', 0);
  add('', 0);
  add('    pg_ctl -D /var/lib/postgresql/data -l logfile start', 0);
  add('', 0);
  add('initdb: warning: enabling "trust" authentication for local connections', 1_000);
  add(
    'initdb: hint: You can change this by editing pg_hba.conf or using the option -A, or --auth-local and --auth-host, the next time you run initdb.',
    0,
  );
  t += 30_000;
  out.push([t, `waiting for server to start....${pgStamp(run, t)} [${tmpPid}] LOG:  starting ${build}`]);
  add(
    `${pgStamp(run, t + 2_000)} [${tmpPid}] LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"`,
    2_000,
  );
  add(
    `${pgStamp(run, t + 5_000)} [${tmpPid + 3}] LOG:  database system was shut down at ${strftime('%Y-%m-%d %H:%M:%S', unixAt(run, t - 60_000))} UTC`,
    5_000,
  );
  add(`${pgStamp(run, t + 4_000)} [${tmpPid}] LOG:  database system is ready to accept connections`, 4_000);
  add(' done', 90_000);
  add('server started', 0);
  add('', 20_000);
  add('/usr/local/bin/docker-entrypoint.sh: ignoring /docker-entrypoint-initdb.d/*', 0);
  add('', 0);
  t += 3_000;
  out.push([
    t,
    `waiting for server to shut down....${pgStamp(run, t)} [${tmpPid}] LOG:  received fast shutdown request`,
  ]);
  add(`${pgStamp(run, t + 1_000)} [${tmpPid}] LOG:  aborting any active transactions`, 1_000);
  add(
    `${pgStamp(run, t + 2_000)} [${tmpPid}] LOG:  background worker "logical replication launcher" (PID ${tmpPid + 6}) exited with exit code 1`,
    2_000,
  );
  add(`${pgStamp(run, t)} [${tmpPid + 1}] LOG:  shutting down`, 0);
  add(`${pgStamp(run, t + 2_000)} [${tmpPid + 1}] LOG:  checkpoint starting: shutdown immediate`, 2_000);
  add(
    `${pgStamp(run, t + 38_000)} [${tmpPid + 1}] LOG:  checkpoint complete: wrote 921 buffers (5.6%); 0 WAL file(s) added, 0 removed, 0 recycled; write=0.019 s, sync=0.012 s, total=0.036 s; sync files=301, longest=0.002 s, average=0.001 s; distance=4238 kB, estimate=4238 kB; lsn=0/14EB0C0, redo lsn=0/14EB0C0`,
    38_000,
  );
  add(`${pgStamp(run, t + 6_000)} [${tmpPid}] LOG:  database system is shut down`, 6_000);
  add(' done', 60_000);
  add('server stopped', 0);
  add('', 0);
  add('PostgreSQL init process complete; ready for start up.', 0);
  add('', 0);
  t += 80_000;
  const serverLines: string[] = [
    `starting ${build}`,
    'listening on IPv4 address "0.0.0.0", port 5432',
    'listening on IPv6 address "::", port 5432',
    'listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"',
  ];
  for (const text of serverLines) add(`${pgStamp(run, t)} [1] LOG:  ${text}`, 300);
  add(
    `${pgStamp(run, t + 5_000)} [${tmpPid + 16}] LOG:  database system was shut down at ${strftime('%Y-%m-%d %H:%M:%S', unixAt(run, t - 120_000))} UTC`,
    5_000,
  );
  add(`${pgStamp(run, t + 5_000)} [1] LOG:  database system is ready to accept connections`, 5_000);
  if (major === '15') return lines(out.filter(([, text]) => !text.startsWith('Data page checksums')));
  return lines(out);
}

// ---------------------------------------------------------------- mysql

const MYSQL_VERSIONS: Record<string, string> = {
  latest: '9.1.0',
  '9': '9.1.0',
  '8': '8.4.3',
  '8.4': '8.4.3',
};

function mysql(run: ContainerRun, tag: string): Output {
  const version = MYSQL_VERSIONS[tag] ?? '9.1.0';
  const note = (us: number, level: string, text: string): [number, string] => [
    us,
    `${strftime('%Y-%m-%d %H:%M:%S', unixAt(run, us))}+00:00 [${level}] [Entrypoint]: ${text}`,
  ];
  const t0 = step(run, 0, 30_000, 20_000);
  const head: [number, string][] = [
    note(t0, 'Note', `Entrypoint script for MySQL Server ${version}-1.el9 started.`),
    note(t0 + 90_000, 'Note', "Switching to dedicated user 'mysql'"),
    note(t0 + 120_000, 'Note', `Entrypoint script for MySQL Server ${version}-1.el9 started.`),
  ];
  if (!hasMysqlPassword(envOf(run))) {
    return lines([
      ...head,
      note(t0 + 180_000, 'ERROR', 'Database is uninitialized and password option is not specified'),
      [t0 + 180_000, '    You need to specify one of the following as an environment variable:'],
      [t0 + 180_000, '    - MYSQL_ROOT_PASSWORD'],
      [t0 + 180_000, '    - MYSQL_ALLOW_EMPTY_PASSWORD'],
      [t0 + 180_000, '    - MYSQL_RANDOM_ROOT_PASSWORD'],
    ]);
  }
  const server = (
    us: number,
    thread: number,
    level: string,
    code: string,
    sub: string,
    text: string,
  ): [number, string] => {
    const unixMs = unixAt(run, us);
    const micros = String(Math.floor((unixMs % 1000) * 1000)).padStart(6, '0');
    return [
      us,
      `${strftime('%Y-%m-%dT%H:%M:%S', unixMs)}.${micros}Z ${thread} [${level}] [${code}] [${sub}] ${text}`,
    ];
  };
  const t1 = t0 + 400_000;
  const t2 = t1 + 6_500_000;
  const t3 = t2 + 4_000_000;
  return lines([
    ...head,
    note(t1, 'Note', 'Initializing database files'),
    server(t1 + 20_000, 0, 'System', 'MY-015017', 'Server', 'MySQL Server Initialization - start.'),
    server(
      t1 + 30_000,
      0,
      'System',
      'MY-013169',
      'Server',
      `/usr/sbin/mysqld (mysqld ${version}) initializing of server in progress as process 80`,
    ),
    server(t1 + 60_000, 1, 'System', 'MY-013576', 'InnoDB', 'InnoDB initialization has started.'),
    server(t1 + 900_000, 1, 'System', 'MY-013577', 'InnoDB', 'InnoDB initialization has ended.'),
    server(
      t1 + 3_200_000,
      6,
      'Warning',
      'MY-010453',
      'Server',
      'root@localhost is created with an empty password ! Please consider switching off the --initialize-insecure option.',
    ),
    server(t1 + 6_400_000, 0, 'System', 'MY-015018', 'Server', 'MySQL Server Initialization - end.'),
    note(t2, 'Note', 'Database files initialized'),
    note(t2 + 10_000, 'Note', 'Starting temporary server'),
    note(t2 + 1_900_000, 'Note', 'Temporary server started.'),
    note(t2 + 2_400_000, 'Note', 'Stopping temporary server'),
    note(t2 + 3_900_000, 'Note', 'Temporary server stopped'),
    [t2 + 3_900_000, ''],
    note(t2 + 3_900_000, 'Note', 'MySQL init process done. Ready for start up.'),
    [t2 + 3_900_000, ''],
    server(t3, 0, 'System', 'MY-015015', 'Server', 'MySQL Server - start.'),
    server(
      t3 + 150_000,
      0,
      'System',
      'MY-010116',
      'Server',
      `/usr/sbin/mysqld (mysqld ${version}) starting as process 1`,
    ),
    server(t3 + 170_000, 1, 'System', 'MY-013576', 'InnoDB', 'InnoDB initialization has started.'),
    server(t3 + 600_000, 1, 'System', 'MY-013577', 'InnoDB', 'InnoDB initialization has ended.'),
    server(
      t3 + 900_000,
      0,
      'System',
      'MY-010931',
      'Server',
      `/usr/sbin/mysqld: ready for connections. Version: '${version}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.`,
    ),
  ]);
}

// ---------------------------------------------------------------- traefik, echoserver

function traefik(run: ContainerRun): Output {
  const version = '3.2.1';
  const t = step(run, 0, 8_000, 6_000);
  const stamp = strftime('%Y-%m-%dT%H:%M:%SZ', unixAt(run, t));
  return lines([
    [t, `${stamp} INF Traefik version ${version} built on 2024-11-20T16:16:07Z version=${version}`],
    [t + 400, `${stamp} INF Stats collection is disabled.`],
    [t + 400, 'Help us improve Traefik by turning this feature on :)'],
    [t + 400, 'More details on: https://doc.traefik.io/traefik/contributing/data-collection/'],
    [t + 400, ''],
    [t + 2_100, `${stamp} INF Starting provider aggregator *aggregator.ProviderAggregator`],
    [t + 2_300, `${stamp} INF Starting provider *traefik.Provider`],
    [t + 2_500, `${stamp} INF Starting provider *acme.ChallengeTLSALPN`],
  ]);
}

/** The bootcamp app says when it started and where (node's ISO time, as `new Date().toISOString()`). */
function bootcamp(run: ContainerRun): Output {
  const t = step(run, 1, 40_000, 80_000);
  const started = new Date(Math.floor(unixAt(run, t))).toISOString();
  return lines([[t, `Kubernetes Bootcamp App Started At: ${started} | Running On:  ${run.podName} \n`]]);
}

function echoserver(): Output {
  return lines([
    [12_000, 'Generating self-signed cert'],
    [14_000, 'Generating a 2048 bit RSA private key'],
    [410_000, '..................................................+++'],
    [530_000, '..+++'],
    [531_000, "writing new private key to '/certs/privateKey.key'"],
    [531_000, '-----'],
    [560_000, 'Starting nginx'],
  ]);
}

// ---------------------------------------------------------------- stopping

/** What the image prints when its stop signal arrives (µs after it). */
function stopLines(run: ContainerRun): readonly ShellOutput[] {
  const info = lookupImage(run.image);
  if (!info?.runsForever || run.command) return [];
  const { repo } = parseImage(run.image);
  const stopUnix = EPOCH_UNIX_MS + (run.stopMs ?? 0);
  const out: ShellOutput[] = [];
  const add = (us: number, text: string): void => {
    out.push({ atUs: us, text: `${text}\n` });
  };
  switch (repo) {
    case 'nginx': {
      const stamp = strftime('%Y/%m/%d %H:%M:%S', stopUnix);
      const workers = nginxWorkers(run);
      add(150, `${stamp} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down`);
      for (const pid of workers) {
        add(400, `${stamp} [notice] ${pid}#${pid}: gracefully shutting down`);
        add(450, `${stamp} [notice] ${pid}#${pid}: exiting`);
        add(500, `${stamp} [notice] ${pid}#${pid}: exit`);
      }
      for (const pid of workers) {
        add(900, `${stamp} [notice] 1#1: signal 17 (SIGCHLD) received from ${pid}`);
        add(950, `${stamp} [notice] 1#1: worker process ${pid} exited with code 0`);
      }
      add(1_200, `${stamp} [notice] 1#1: exit`);
      return out;
    }
    case 'httpd':
      add(
        300,
        `${httpdStamp({ ...run, startMs: run.stopMs ?? 0 }, 300)} [mpm_event:notice] [pid 1:tid 1] AH00492: caught SIGWINCH, shutting down gracefully`,
      );
      return out;
    case 'redis': {
      const level = parseImage(run.image).tag === '6' ? '#' : '*';
      add(100, `1:signal-handler (${Math.floor(stopUnix / 1000)}) Received SIGTERM scheduling shutdown...`);
      add(40_000, `1:M ${redisStamp(stopUnix + 40)} ${level} User requested shutdown...`);
      add(40_100, `1:M ${redisStamp(stopUnix + 40)} * Saving the final RDB snapshot before exiting.`);
      add(43_000, `1:M ${redisStamp(stopUnix + 43)} * DB saved on disk`);
      add(43_200, `1:M ${redisStamp(stopUnix + 43)} # Redis is now ready to exit, bye bye...`);
      return out;
    }
    case 'postgres': {
      if (!hasPostgresPassword(envOf(run))) return [];
      const s = (ms: number): string =>
        `${strftime('%Y-%m-%d %H:%M:%S', stopUnix + ms)}.${String(Math.floor((stopUnix + ms) % 1000)).padStart(3, '0')} UTC`;
      add(1_000, `${s(1)} [1] LOG:  received fast shutdown request`);
      add(2_000, `${s(2)} [1] LOG:  aborting any active transactions`);
      add(
        4_000,
        `${s(4)} [1] LOG:  background worker "logical replication launcher" (PID 68) exited with exit code 1`,
      );
      add(4_000, `${s(4)} [63] LOG:  shutting down`);
      add(6_000, `${s(6)} [63] LOG:  checkpoint starting: shutdown immediate`);
      add(
        14_000,
        `${s(14)} [63] LOG:  checkpoint complete: wrote 0 buffers (0.0%); 0 WAL file(s) added, 0 removed, 0 recycled; write=0.001 s, sync=0.001 s, total=0.008 s; sync files=0, longest=0.000 s, average=0.000 s; distance=0 kB, estimate=0 kB; lsn=0/1914E90, redo lsn=0/1914E90`,
      );
      add(20_000, `${s(20)} [1] LOG:  database system is shut down`);
      return out;
    }
    default:
      return [];
  }
}
