import { type ParseEntry, parse as shellParse } from 'shell-quote';
import { KUBE_DNS_IP } from '../cluster/addons';
import { getopt } from '../kernel/getopt';
import { GREP_USAGE, grepText, parseGrep } from '../kernel/grep';
import { EPOCH_UNIX_MS } from '../kernel/time';
import { type ImageProfile, SHELLS } from './containerImage';
import { type CurlFetched, type CurlUrl, curlResult, parseCurlArgs, parseCurlUrl } from './curlCli';
import { KERNEL_VERSION } from './nodeObject';
import { printf, strftime } from './shellScript';

/**
 * The inside of a running container as `kubectl exec` reaches it: the image's programs (only
 * those it really ships), its files plus a writable layer that lives as long as the container,
 * the environment the kubelet gave it, and the cluster network as a pod sees it (CoreDNS names,
 * Service IPs through kube-proxy, other pods' servers). Commands run at once; what they print and
 * their exit codes are those of the real tools (GNU coreutils, curl, busybox).
 */
export interface ExecTarget {
  readonly podName: string;
  readonly namespace: string;
  readonly podIp: string;
  readonly profile: ImageProfile;
  /** The container's image reference (busybox before 1.29 has an nslookup of its own). */
  readonly image?: string;
  /** The main process's command line, for `ps`. */
  readonly mainCommand: string;
  /** The environment, in the order `env` prints it. */
  readonly env: readonly (readonly [string, string])[];
  readonly nowMs: number;
  /** The container's writable layer: written files, and deletions as null. */
  readonly layer: Map<string, string | null>;
  /** Files the kubelet mounts (configMap and secret volumes), by path. */
  readonly mounts: Readonly<Record<string, string>>;
  readonly network: PodNetwork;
}

/** The cluster network from inside a pod. */
export interface PodNetwork {
  /** CoreDNS: a name (with the pod's search path) to its FQDN and address. */
  resolve(name: string): { readonly fqdn: string; readonly ip: string } | undefined;
  /** A TCP connection and an HTTP GET to ip:port (Service IPs go through kube-proxy). */
  httpGet(ip: string, port: number, path: string): HttpAnswer;
}

export type HttpAnswer =
  | { readonly ok: true; readonly status: number; readonly body: string }
  | { readonly ok: false; readonly error: 'refused' | 'timeout' };

/** What an interactive shell keeps between lines. */
export interface ShellState {
  cwd: string;
  readonly vars: Map<string, string>;
  exited?: number;
}

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** The runtime could not start the process (containerd's OCI error text after `exec: `). */
export interface ExecStartFailure {
  readonly startError: string;
}

export function newShellState(profile: ImageProfile): ShellState {
  return { cwd: profile.workDir, vars: new Map() };
}

/** Runs argv as the runtime's exec does: the program must exist in the image. */
export function execInContainer(
  t: ExecTarget,
  argv: readonly string[],
  stdin = '',
): ExecResult | ExecStartFailure {
  const program = argv[0] ?? '';
  const missing = missingProgram(t.profile, program);
  if (missing) return { startError: missing };
  const out = new Output();
  const state = newShellState(t.profile);
  const code = runProgram(t, state, argv, stdin, out);
  return { stdout: out.stdout, stderr: out.stderr, exitCode: code };
}

/** One line typed into an interactive shell (`kubectl exec -it POD -- sh`). */
export function execShellLine(t: ExecTarget, state: ShellState, shell: string, line: string): ExecResult {
  const out = new Output();
  const code = runScript(t, state, shell, line, out);
  return { stdout: out.stdout, stderr: out.stderr, exitCode: code };
}

/** The prompt of an interactive shell: bash's `root@HOST:DIR# `, dash's `# `, ash's `DIR # `. */
export function shellPrompt(t: ExecTarget, state: ShellState, shell: string): string {
  const base = shell.slice(shell.lastIndexOf('/') + 1);
  if (base === 'bash') return `root@${t.podName}:${state.cwd}# `;
  if (t.profile.shStyle === 'ash') return `${state.cwd} # `;
  return '# ';
}

function missingProgram(profile: ImageProfile, program: string): string | undefined {
  const base = program.slice(program.lastIndexOf('/') + 1);
  if (program.includes('/')) {
    if (/^\/(usr\/)?(local\/)?s?bin\/[^/]+$/.test(program) && profile.binaries.has(base)) return undefined;
    return `"${program}": stat ${program}: no such file or directory`;
  }
  return profile.binaries.has(program) ? undefined : `"${program}": executable file not found in $PATH`;
}

class Output {
  stdout = '';
  stderr = '';
  out(text: string): void {
    this.stdout += text;
  }
  err(text: string): void {
    this.stderr += text;
  }
}

// ------------------------------------------------------------------ the shell

type Token = string | { readonly op: string };

function runScript(t: ExecTarget, state: ShellState, shell: string, text: string, out: Output): number {
  const shellName = shell.slice(shell.lastIndexOf('/') + 1);
  const script = substituteCommands(t, state, shell, text, out);
  // `for NAME in WORDS; do BODY; done`, the one compound command tutorials type into pods.
  const loop = /^\s*for\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\s+(.*?);\s*do\s+(.*?);?\s*done\s*$/s.exec(script);
  if (loop) {
    let status = 0;
    for (const word of words(loop[2] as string)) {
      state.vars.set(loop[1] as string, word);
      status = runScript(t, state, shell, loop[3] as string, out);
      if (state.exited !== undefined) break;
    }
    return status;
  }
  let entries: ParseEntry[];
  try {
    entries = shellParse(script.replace(/#.*$/, ''), (key: string) => lookupVar(t, state, key));
  } catch {
    out.err(`${shellName}: 1: Syntax error: Unterminated quoted string\n`);
    return 2;
  }
  const tokens: Token[] = entries.map((e) =>
    typeof e === 'string'
      ? e
      : 'op' in e && e.op !== 'glob'
        ? { op: e.op }
        : String((e as { pattern?: string }).pattern ?? ''),
  );
  let status = 0;
  let skip = false;
  let i = 0;
  while (i < tokens.length && state.exited === undefined) {
    // One pipeline, up to ; && || or the end.
    const stages: string[][] = [[]];
    let redirect: { path: string; append: boolean } | undefined;
    for (; i < tokens.length; i++) {
      const tok = tokens[i] as Token;
      if (typeof tok === 'string') {
        (stages[stages.length - 1] as string[]).push(tok);
        continue;
      }
      if (tok.op === '|') stages.push([]);
      else if (tok.op === '>' || tok.op === '>>') {
        const path = tokens[++i];
        if (typeof path !== 'string') {
          out.err(`${shellName}: 1: Syntax error: newline unexpected\n`);
          return 2;
        }
        redirect = { path: absolute(state.cwd, path), append: tok.op === '>>' };
      } else break;
    }
    const connector = i < tokens.length ? (tokens[i] as { op: string }).op : ';';
    i++;
    if (!skip) {
      let stdin = '';
      const captured = new Output();
      for (const [n, argv] of stages.entries()) {
        if (argv.length === 0) continue;
        const last = n === stages.length - 1;
        const sink = last && !redirect ? out : new Output();
        status = runInShell(t, state, shellName, argv, stdin, sink);
        if (!last || redirect) {
          out.err(sink.stderr);
          stdin = sink.stdout;
        }
        if (last && redirect) captured.out(sink.stdout);
      }
      if (redirect) {
        const before = redirect.append ? (readFile(t, redirect.path) ?? '') : '';
        t.layer.set(redirect.path, before + captured.stdout);
      }
    }
    skip = connector === '&&' ? status !== 0 : connector === '||' ? status === 0 : false;
  }
  return state.exited ?? status;
}

/** `$(…)`: runs the inner command and puts its output, trailing newlines dropped, in its place. */
function substituteCommands(
  t: ExecTarget,
  state: ShellState,
  shell: string,
  script: string,
  out: Output,
): string {
  let result = '';
  let i = 0;
  while (i < script.length) {
    const start = script.indexOf('$(', i);
    if (start < 0 || script[start + 2] === '(') break;
    let depth = 0;
    let end = start + 1;
    for (; end < script.length; end++) {
      if (script[end] === '(') depth++;
      else if (script[end] === ')' && --depth === 0) break;
    }
    if (end >= script.length) break;
    const inner = new Output();
    runScript(t, state, shell, script.slice(start + 2, end), inner);
    out.err(inner.stderr);
    result += script.slice(i, start) + inner.stdout.replace(/\n+$/, '').replace(/\n/g, ' ');
    i = end + 1;
  }
  return result + script.slice(i);
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

function lookupVar(t: ExecTarget, state: ShellState, key: string): string {
  if (state.vars.has(key)) return state.vars.get(key) as string;
  if (key === 'PWD') return state.cwd;
  for (const [k, v] of t.env) if (k === key) return v;
  return '';
}

function runInShell(
  t: ExecTarget,
  state: ShellState,
  shellName: string,
  argv: readonly string[],
  stdin: string,
  out: Output,
): number {
  const name = argv[0] as string;
  const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(name);
  if (assignment && argv.length === 1) {
    state.vars.set(assignment[1] as string, assignment[2] as string);
    return 0;
  }
  if (name === 'exit') {
    state.exited = Number(argv[1] ?? 0) & 255;
    return state.exited;
  }
  if (name === 'cd') {
    const dir = absolute(state.cwd, argv[1] ?? '/root');
    if (!isDirectory(t, dir)) {
      out.err(
        shellName === 'bash'
          ? `bash: cd: ${argv[1]}: No such file or directory\n`
          : `${shellName}: 1: cd: can't cd to ${argv[1]}\n`,
      );
      return shellName === 'bash' ? 1 : 2;
    }
    state.cwd = dir;
    return 0;
  }
  if (name === 'export') {
    for (const a of argv.slice(1)) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(a);
      if (m) state.vars.set(m[1] as string, m[2] as string);
    }
    return 0;
  }
  if (missingProgram(t.profile, name)) {
    out.err(
      shellName === 'bash'
        ? `bash: ${name}: command not found\n`
        : t.profile.shStyle === 'ash'
          ? `${shellName}: ${name}: not found\n`
          : `${shellName}: 1: ${name}: not found\n`,
    );
    return 127;
  }
  return runProgram(t, state, argv, stdin, out);
}

// ------------------------------------------------------------------ programs

type Tool = (t: ExecTarget, state: ShellState, args: readonly string[], stdin: string, out: Output) => number;

function runProgram(
  t: ExecTarget,
  state: ShellState,
  argv: readonly string[],
  stdin: string,
  out: Output,
): number {
  const name = (argv[0] as string).slice((argv[0] as string).lastIndexOf('/') + 1);
  const args = argv.slice(1);
  if (SHELLS.has(name)) {
    if (args[0] === '-c' && args[1] !== undefined) return runScript(t, state, name, args[1], out);
    // A shell with no script and no terminal reads its (empty) stdin and exits.
    return stdin === '' ? 0 : runScript(t, state, name, stdin, out);
  }
  const tool = TOOLS[name];
  if (!tool) {
    // A program of the image the lab does not imitate: it runs, and says nothing.
    return 0;
  }
  return tool(t, state, args, stdin, out);
}

const TOOLS: Readonly<Record<string, Tool>> = {
  echo: (_t, _s, args, _in, out) => {
    const noNewline = args[0] === '-n';
    out.out(`${(noNewline ? args.slice(1) : args).join(' ')}${noNewline ? '' : '\n'}`);
    return 0;
  },
  printf: (_t, _s, args, _in, out) => {
    if (args.length === 0) {
      out.err('printf: usage: printf format [arguments]\n');
      return 2;
    }
    out.out(printf(args[0] as string, args.slice(1)));
    return 0;
  },
  seq: (_t, _s, args, _in, out) => {
    const [a, b] = args.length === 1 ? ['1', args[0]] : args;
    const from = Number(a);
    const to = Number(b);
    if (!Number.isInteger(from) || !Number.isInteger(to)) {
      out.err(`seq: invalid floating point argument: '${Number.isInteger(from) ? b : a}'\n`);
      return 1;
    }
    for (let n = from; n <= to; n++) out.out(`${n}\n`);
    return 0;
  },
  true: () => 0,
  false: () => 1,
  sleep: () => 0,
  pwd: (_t, s, _a, _in, out) => {
    out.out(`${s.cwd}\n`);
    return 0;
  },
  whoami: (_t, _s, _a, _in, out) => {
    out.out('root\n');
    return 0;
  },
  id: (_t, _s, _a, _in, out) => {
    out.out('uid=0(root) gid=0(root) groups=0(root)\n');
    return 0;
  },
  hostname: (t, _s, args, _in, out) => {
    out.out(`${args[0] === '-i' ? t.podIp : t.podName}\n`);
    return 0;
  },
  date: (t, _s, _a, _in, out) => {
    out.out(`${strftime('%a %b %e %H:%M:%S UTC %Y', EPOCH_UNIX_MS + t.nowMs)}\n`);
    return 0;
  },
  uname: (t, _s, args, _in, out) => {
    const all = `Linux ${t.podName} ${KERNEL_VERSION} #45-Ubuntu SMP PREEMPT_DYNAMIC Fri Aug 30 12:02:04 UTC 2024 x86_64 GNU/Linux`;
    const flag = args[0] ?? '-s';
    const value: Record<string, string> = {
      '-a': all,
      '-s': 'Linux',
      '-n': t.podName,
      '-r': KERNEL_VERSION,
      '-m': 'x86_64',
    };
    out.out(`${value[flag] ?? 'Linux'}\n`);
    return 0;
  },
  env: (t, s, _a, _in, out) => {
    for (const [k, v] of environment(t, s)) out.out(`${k}=${v}\n`);
    return 0;
  },
  printenv: (t, s, args, _in, out) => {
    const env = environment(t, s);
    if (args.length === 0) {
      for (const [k, v] of env) out.out(`${k}=${v}\n`);
      return 0;
    }
    let code = 0;
    for (const name of args) {
      const found = env.find(([k]) => k === name);
      if (found) out.out(`${found[1]}\n`);
      else code = 1;
    }
    return code;
  },
  cat: (t, s, args, stdin, out) => {
    if (args.length === 0) {
      out.out(stdin);
      return 0;
    }
    let code = 0;
    for (const a of args) {
      const path = absolute(s.cwd, a);
      const text = readFile(t, path);
      if (text !== undefined) out.out(text);
      else {
        const why = isDirectory(t, path) ? 'Is a directory' : 'No such file or directory';
        // busybox words it its own way (the docs' liveness probe event quotes it).
        out.err(t.profile.shStyle === 'ash' ? `cat: can't open '${a}': ${why}\n` : `cat: ${a}: ${why}\n`);
        code = 1;
      }
    }
    return code;
  },
  ls: (t, s, args, _in, out) => {
    const paths = args.filter((a) => !a.startsWith('-'));
    const all = args.some((a) => a.startsWith('-') && a.includes('a'));
    let code = 0;
    for (const a of paths.length > 0 ? paths : ['.']) {
      const path = absolute(s.cwd, a);
      if (readFile(t, path) !== undefined) {
        out.out(`${a}\n`);
        continue;
      }
      if (!isDirectory(t, path)) {
        out.err(`ls: cannot access '${a}': No such file or directory\n`);
        code = 2;
        continue;
      }
      if (paths.length > 1) out.out(`${a}:\n`);
      const names = [...(all ? ['.', '..'] : []), ...listDirectory(t, path)];
      if (names.length > 0) out.out(`${names.join('\n')}\n`);
    }
    return code;
  },
  touch: (t, s, args) => {
    for (const a of args) {
      const path = absolute(s.cwd, a);
      if (readFile(t, path) === undefined) t.layer.set(path, '');
    }
    return 0;
  },
  mkdir: (t, s, args) => {
    for (const a of args.filter((x) => !x.startsWith('-'))) t.layer.set(`${absolute(s.cwd, a)}/`, '');
    return 0;
  },
  rm: (t, s, args, _in, out) => {
    let code = 0;
    for (const a of args.filter((x) => !x.startsWith('-'))) {
      const path = absolute(s.cwd, a);
      if (readFile(t, path) === undefined) {
        out.err(`rm: cannot remove '${a}': No such file or directory\n`);
        code = 1;
      } else t.layer.set(path, null);
    }
    return code;
  },
  grep: (t, s, args, stdin, out) => {
    const o = parseGrep(args);
    if ('error' in o) {
      out.err(`${o.error}\n${GREP_USAGE}`);
      return 2;
    }
    const text = o.file !== undefined ? readFile(t, absolute(s.cwd, o.file)) : stdin;
    if (text === undefined) {
      out.err(`grep: ${o.file}: No such file or directory\n`);
      return 2;
    }
    const r = grepText(o, text);
    if ('error' in r) {
      out.err(`${r.error}\n`);
      return 2;
    }
    out.out(r.stdout);
    return r.code;
  },
  head: (t, s, args, stdin, out) =>
    lineSlice(t, s, 'head', args, stdin, out, (lines, n) => lines.slice(0, n)),
  tail: (t, s, args, stdin, out) => lineSlice(t, s, 'tail', args, stdin, out, (lines, n) => lines.slice(-n)),
  wc: (t, s, args, stdin, out) => {
    // Each file on its own line, named, then a total; stdin unnamed.
    const files = args.filter((a) => !a.startsWith('-'));
    const count = (text: string, name: string): void => {
      const lines = (text.match(/\n/g) ?? []).length;
      const suffix = name === '' ? '' : ` ${name}`;
      if (args.includes('-l')) out.out(`${lines}${suffix}\n`);
      else {
        const words = text.split(/\s+/).filter((w) => w !== '').length;
        out.out(
          `${String(lines).padStart(7)} ${String(words).padStart(7)} ${String(text.length).padStart(7)}${suffix}\n`,
        );
      }
    };
    if (files.length === 0) {
      count(stdin, '');
      return 0;
    }
    let all = '';
    for (const f of files) {
      const text = inputOf(t, s, 'wc', [f], '', out);
      if (text === undefined) return 1;
      count(text, f);
      all += text;
    }
    if (files.length > 1) count(all, 'total');
    return 0;
  },
  ps: (t, _s, _a, _in, out) => {
    out.out(`PID   USER     TIME  COMMAND\n    1 root      0:00 ${t.mainCommand}\n   13 root      0:00 ps\n`);
    return 0;
  },
  nslookup: (t, _s, args, _in, out) => {
    const name = args.find((a) => !a.startsWith('-'));
    if (!name) {
      out.err(
        'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup HOST [DNS_SERVER]\n',
      );
      return 1;
    }
    const found = t.network.resolve(name);
    if (oldBusyboxNslookup(t.image)) {
      // busybox up to 1.28 (the Kubernetes docs' busybox:1.28): names from reverse lookups.
      out.out(
        `Server:    ${KUBE_DNS_IP}\nAddress 1: ${KUBE_DNS_IP} kube-dns.kube-system.svc.cluster.local\n\n`,
      );
      if (!found) {
        out.err(`nslookup: can't resolve '${name}'\n`);
        return 1;
      }
      out.out(`Name:      ${name}\nAddress 1: ${found.ip} ${found.fqdn}\n`);
      return 0;
    }
    out.out(`Server:\t\t${KUBE_DNS_IP}\nAddress:\t${KUBE_DNS_IP}:53\n\n`);
    if (!found) {
      out.out(`** server can't find ${name}: NXDOMAIN\n\n`);
      return 1;
    }
    out.out(`Name:\t${found.fqdn}\nAddress: ${found.ip}\n\n`);
    return 0;
  },
  getent: (t, _s, args, _in, out) => {
    if (args[0] !== 'hosts' || args[1] === undefined) return 2;
    const found = t.network.resolve(args[1]);
    if (!found) return 2;
    out.out(`${found.ip.padEnd(15)} ${found.fqdn}\n`);
    return 0;
  },
  curl: curlTool,
  wget: wgetTool,
  tar: tarTool,
};

/** Whether the image is a busybox older than 1.29, whose nslookup prints the older layout. */
function oldBusyboxNslookup(image: string | undefined): boolean {
  const m = /^(?:docker\.io\/)?(?:library\/)?busybox:1\.(\d+)(?:\.\d+)?(?:-\w+)?$/.exec(image ?? '');
  return m !== null && Number(m[1]) <= 28;
}

/**
 * The `tar` that `kubectl cp` runs: `tar cf - PATH` writes an archive of PATH to stdout, `tar -xmf -
 * [-C DIR]` unpacks one from stdin. The archive here is the files as JSON, not tar's bytes: only
 * kubectl reads it. Messages are GNU tar's (busybox words them its own way).
 */
function tarTool(t: ExecTarget, s: ShellState, args: readonly string[], stdin: string, out: Output): number {
  const busybox = t.profile.shStyle === 'ash';
  const flags =
    args.filter((a) => a.startsWith('-') && a !== '-').join('') +
    (args[0]?.startsWith('-') ? '' : (args[0] ?? ''));
  const dirAt = args.indexOf('-C');
  const dir = dirAt >= 0 ? absolute(s.cwd, args[dirAt + 1] ?? '.') : s.cwd;
  if (flags.includes('x')) {
    let files: Record<string, string>;
    try {
      files = JSON.parse(stdin) as Record<string, string>;
    } catch {
      out.err(
        busybox
          ? 'tar: invalid tar magic\n'
          : 'tar: This does not look like a tar archive\ntar: Exiting with failure status due to previous errors\n',
      );
      return 2;
    }
    for (const [path, content] of Object.entries(files)) t.layer.set(absolute(dir, path), content);
    return 0;
  }
  // kubectl runs `tar cf - PATH`: the path comes last.
  const target = args.length > 2 ? args[args.length - 1] : undefined;
  if (!flags.includes('c') || target === undefined) {
    out.err("tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\n");
    return 2;
  }
  const path = absolute(s.cwd, target);
  const member = target.replace(/^\/+/, '');
  if (target.startsWith('/'))
    out.err(
      busybox
        ? "tar: removing leading '/' from member names\n"
        : "tar: Removing leading `/' from member names\n",
    );
  const files: Record<string, string> = {};
  const single = readFile(t, path);
  if (single !== undefined) files[member] = single;
  else if (isDirectory(t, path)) {
    for (const p of allPaths(t)) {
      if (!p.startsWith(`${path}/`) || p.endsWith('/')) continue;
      const text = readFile(t, p);
      if (text !== undefined) files[`${member}${p.slice(path.length)}`] = text;
    }
  } else {
    out.err(
      busybox
        ? `tar: ${target}: No such file or directory\n`
        : `tar: ${target}: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n`,
    );
    return busybox ? 1 : 2;
  }
  out.out(JSON.stringify(files));
  return 0;
}

/**
 * What a text tool reads: its files, one after the other, or stdin without any; undefined (after
 * the error, worded as the image's userland words it) when a file is missing.
 */
function inputOf(
  t: ExecTarget,
  s: ShellState,
  tool: string,
  files: readonly string[],
  stdin: string,
  out: Output,
): string | undefined {
  if (files.length === 0) return stdin;
  let text = '';
  for (const f of files) {
    const content = readFile(t, absolute(s.cwd, f));
    if (content === undefined) {
      out.err(
        t.profile.shStyle === 'ash'
          ? `${tool}: can't open '${f}': No such file or directory\n`
          : `${tool}: cannot open '${f}' for reading: No such file or directory\n`,
      );
      return undefined;
    }
    text += content;
  }
  return text;
}

function lineSlice(
  t: ExecTarget,
  s: ShellState,
  tool: string,
  args: readonly string[],
  stdin0: string,
  out: Output,
  pick: (lines: string[], n: number) => string[],
): number {
  const nAt = args.indexOf('-n');
  const nArg = args.find((a) => /^-n?\d+$/.test(a)) ?? args[nAt + 1];
  const n = Number(String(nArg ?? '10').replace(/^-n?/, '')) || 10;
  const files = args.filter((a, i) => !a.startsWith('-') && !(nAt >= 0 && i === nAt + 1));
  const stdin = inputOf(t, s, tool, files, stdin0, out);
  if (stdin === undefined) return 1;
  const lines = stdin.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const l of pick(lines, n)) out.out(`${l}\n`);
  return 0;
}

/** The environment `env` prints: PATH, HOSTNAME, the image's ENV, the kubelet's, HOME last. */
function environment(t: ExecTarget, s: ShellState): [string, string][] {
  const env: [string, string][] = t.env.map(([k, v]) => [k, v]);
  for (const [k, v] of s.vars) {
    const i = env.findIndex(([name]) => name === k);
    if (i >= 0) env[i] = [k, v];
  }
  return env;
}

// ------------------------------------------------------------------ files

const ROOT_DIRS = [
  'bin',
  'boot',
  'dev',
  'etc',
  'home',
  'lib',
  'media',
  'mnt',
  'opt',
  'proc',
  'root',
  'run',
  'sbin',
  'srv',
  'sys',
  'tmp',
  'usr',
  'var',
];

function systemFiles(t: ExecTarget): Record<string, string> {
  return {
    '/etc/hostname': `${t.podName}\n`,
    '/etc/hosts': [
      '# Kubernetes-managed hosts file.',
      '127.0.0.1\tlocalhost',
      '::1\tlocalhost ip6-localhost ip6-loopback',
      'fe00::0\tip6-localnet',
      'fe00::0\tip6-mcastprefix',
      'fe00::1\tip6-allnodes',
      'fe00::2\tip6-allrouters',
      `${t.podIp}\t${t.podName}`,
      '',
    ].join('\n'),
    '/etc/resolv.conf': `search ${t.namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${KUBE_DNS_IP}\noptions ndots:5\n`,
  };
}

function readFile(t: ExecTarget, path: string): string | undefined {
  if (t.layer.has(path)) return t.layer.get(path) ?? undefined;
  return t.mounts[path] ?? systemFiles(t)[path] ?? t.profile.files[path];
}

function allPaths(t: ExecTarget): string[] {
  const paths = new Set([
    ...Object.keys(t.profile.files),
    ...Object.keys(systemFiles(t)),
    ...Object.keys(t.mounts),
    ...ROOT_DIRS.map((d) => `/${d}/`),
  ]);
  for (const [p, v] of t.layer) {
    if (v === null) paths.delete(p);
    else paths.add(p);
  }
  paths.add(`${t.profile.workDir}/`);
  return [...paths];
}

function isDirectory(t: ExecTarget, path: string): boolean {
  if (path === '/') return true;
  const prefix = `${path}/`;
  return allPaths(t).some((p) => p.startsWith(prefix) || p === prefix);
}

function listDirectory(t: ExecTarget, path: string): string[] {
  const prefix = path === '/' ? '/' : `${path}/`;
  const names = new Set<string>();
  for (const p of allPaths(t)) {
    if (!p.startsWith(prefix) || p === prefix) continue;
    const rest = p.slice(prefix.length);
    const name = rest.split('/')[0] as string;
    if (name !== '') names.add(name);
  }
  return [...names].sort();
}

function absolute(cwd: string, path: string): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return `/${out.join('/')}`;
}

// ------------------------------------------------------------------ HTTP clients

/** Where a host name goes: an IP as it is, localhost to the pod itself, other names through CoreDNS. */
function addressOf(t: ExecTarget, host: string): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return host;
  if (host === 'localhost' || host === t.podName) return t.podIp;
  return t.network.resolve(host)?.ip;
}

function fetchUrl(t: ExecTarget, url: CurlUrl): HttpAnswer | 'unresolved' {
  const ip = addressOf(t, url.host);
  if (ip === undefined) return 'unresolved';
  return t.network.httpGet(ip === '127.0.0.1' ? t.podIp : ip, url.port, url.path);
}

const REASON: Readonly<Record<number, string>> = { 200: 'OK', 404: 'Not Found' };

function curlTool(t: ExecTarget, s: ShellState, args: readonly string[], _in: string, out: Output): number {
  const opts = parseCurlArgs(args);
  if (typeof opts === 'string') {
    out.err(opts);
    return 2;
  }
  const url = parseCurlUrl(opts.url);
  const answer = url ? fetchUrl(t, url) : undefined;
  const fetched: CurlFetched | undefined =
    answer === undefined || answer === 'unresolved'
      ? answer
      : answer.ok
        ? { ok: true, status: answer.status, contentType: 'text/html', body: answer.body }
        : answer.error;
  const result = curlResult(opts, url, fetched);
  out.err(result.stderr);
  if (result.code === 0) {
    if (opts.outFile !== undefined) t.layer.set(absolute(s.cwd, opts.outFile), result.output);
    else out.out(result.output);
  }
  return result.code;
}

const WGET_USAGE =
  'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [-O FILE] URL\n';

function wgetTool(t: ExecTarget, s: ShellState, args: readonly string[], _in: string, out: Output): number {
  // busybox wget's options: those taking a value (-O FILE, -T SEC, -U AGENT…) and flags; long
  // options (--spider, --timeout=5, --no-check-certificate) change nothing here.
  const parsed = getopt(
    args.filter((a) => !a.startsWith('--')),
    'OoPUTtY',
    'cqSs',
  );
  if ('bad' in parsed) {
    out.err(
      parsed.missing
        ? `wget: option requires an argument -- '${parsed.bad}'\n${WGET_USAGE}`
        : `wget: unrecognized option: ${parsed.bad}\n${WGET_USAGE}`,
    );
    return 1;
  }
  const quiet = parsed.opts.has('q');
  const toStdout = parsed.opts.get('O') === '-';
  const target = parsed.files[0];
  if (!target) {
    out.err(WGET_USAGE);
    return 1;
  }
  const url = parseCurlUrl(target);
  if (!url) {
    out.err(`wget: bad address '${target}'\n`);
    return 1;
  }
  if (!quiet)
    out.err(
      `Connecting to ${url.host}${url.port === 80 ? '' : `:${url.port}`} (${addressOf(t, url.host) ?? url.host}:${url.port})\n`,
    );
  const answer = fetchUrl(t, url);
  if (answer === 'unresolved') {
    out.err(`wget: bad address '${url.host}${url.port === 80 ? '' : `:${url.port}`}'\n`);
    return 1;
  }
  if (!answer.ok) {
    const ip = addressOf(t, url.host) ?? url.host;
    out.err(
      answer.error === 'timeout'
        ? `wget: can't connect to remote host (${ip}): Connection timed out\n`
        : `wget: can't connect to remote host (${ip}): Connection refused\n`,
    );
    return 1;
  }
  if (answer.status >= 400) {
    out.err(`wget: server returned error: HTTP/1.1 ${answer.status} ${REASON[answer.status] ?? ''}\n`);
    return 1;
  }
  if (toStdout) {
    if (!quiet) out.err('writing to stdout\n');
    out.out(answer.body);
    if (!quiet)
      out.err(
        '-                    100% |********************************|   615  0:00:00 ETA\nwritten to stdout\n',
      );
    return 0;
  }
  const named = parsed.opts.get('O');
  const file =
    typeof named === 'string'
      ? named
      : url.path === '/'
        ? 'index.html'
        : (url.path.split('/').pop() ?? 'index.html');
  t.layer.set(absolute(s.cwd, file), answer.body);
  if (!quiet) {
    out.err(
      `saving to '${file}'\n${file.padEnd(20)} 100% |********************************|   ${answer.body.length}  0:00:00 ETA\n'${file}' saved\n`,
    );
  }
  return 0;
}

/** What an image's server answers for a path: its index page, or its 404 page. */
export function serveHttp(
  profile: ImageProfile,
  readPath: (path: string) => string | undefined,
  path: string,
  podName = '',
): HttpAnswer {
  const http = profile.http;
  if (!http) return { ok: false, error: 'refused' };
  if (http.page) return { ok: true, status: 200, body: http.page(podName) };
  const root = http.index.slice(0, http.index.lastIndexOf('/'));
  const file = path === '/' ? http.index : `${root}${path.split('?')[0]}`;
  const body = http.index === '' ? 'CLIENT VALUES:\nclient_address=…\n' : readPath(file);
  if (body !== undefined) return { ok: true, status: 200, body };
  return {
    ok: true,
    status: 404,
    body: '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
  };
}

export { readFile as readContainerFile };
