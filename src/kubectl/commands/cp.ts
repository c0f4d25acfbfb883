import type { VirtualFs } from '../../shell/vfs';
import type { PodObject } from '../../sim/api/types';
import type { PodExecResult } from '../../sim/apiserver/request';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import { errorExit } from '../cli/common';
import { failureMessage } from '../cli/errors';
import { type CallResult, call, type Invocation } from '../cli/invocation';
import { flagString } from '../flags';
import { CONTAINER_FLAG, containerOf, execRequest } from './exec';

/**
 * `kubectl cp SRC DEST`, one side `[NAMESPACE/]POD:PATH`: as kubectl does it, through exec and
 * the container's own `tar` (`tar cf - PATH` to read, `tar -xmf - -C DIR` to write), so an image
 * without tar cannot be copied to or from. The local side is the lab's filesystem.
 */
interface Remote {
  readonly namespace: string | undefined;
  readonly pod: string;
  readonly path: string;
}

function remoteOf(spec: string): Remote | undefined {
  const colon = spec.indexOf(':');
  if (colon <= 0) return undefined;
  const target = spec.slice(0, colon);
  const slash = target.indexOf('/');
  return slash >= 0
    ? { namespace: target.slice(0, slash), pod: target.slice(slash + 1), path: spec.slice(colon + 1) }
    : { namespace: undefined, pod: target, path: spec.slice(colon + 1) };
}

function* run(inv: Invocation): Task<number> {
  if (inv.args.length !== 2) return errorExit(inv, 'source and destination are required');
  const [src, dest] = inv.args as [string, string];
  const from = remoteOf(src);
  const to = remoteOf(dest);
  if (!from && !to) return errorExit(inv, 'one of src or dest must be a remote file specification');
  if (from && to) return errorExit(inv, 'one of src or dest must be a local file specification');
  const remote = (from ?? to) as Remote;
  if (remote.path === '') return errorExit(inv, 'remote path cannot be empty');
  const namespace = remote.namespace ?? inv.namespace;
  const got = yield* call<PodObject>(inv, { verb: 'get', resource: 'pods', namespace, name: remote.pod });
  if (!got.ok) {
    inv.err(failureMessage(got.failure));
    return 1;
  }
  const container = containerOf(inv, got.body, flagString(inv.flags, 'container') ?? '', false);
  if (container === undefined) return 1;
  const files = inv.ctx.session.files;
  const exec = (command: string[], stdinData?: string) =>
    call<PodExecResult>(
      inv,
      execRequest(got.body, {
        container,
        command,
        ...(stdinData !== undefined ? { stdin: true, stdinData } : {}),
      }),
    );

  if (to) {
    const archive = localArchive(files, src, to.path);
    if (!archive) return errorExit(inv, `${src} doesn't exist in local filesystem`);
    const r = yield* exec(['tar', '-xmf', '-', '-C', '/'], JSON.stringify(archive));
    return finish(inv, r);
  }
  const r = yield* exec(['tar', 'cf', '-', remote.path]);
  if (!r.ok || r.body.exitCode !== 0) return finish(inv, r);
  inv.err(r.body.stderr);
  let archive: Record<string, string>;
  try {
    archive = JSON.parse(r.body.stdout) as Record<string, string>;
  } catch {
    return errorExit(inv, 'unexpected EOF');
  }
  const member = remote.path.replace(/^\/+/, '');
  for (const [path, content] of Object.entries(archive)) {
    const local = path === member ? dest : `${dest}/${path.slice(member.length).replace(/^\/+/, '')}`;
    const written = files.writeFile(local, content);
    if (!written.ok) return errorExit(inv, written.error);
  }
  return 0;
}

/** The files to send: a file as DEST, or a folder's files under DEST (absolute paths). */
function localArchive(files: VirtualFs, src: string, destPath: string): Record<string, string> | undefined {
  const dest = destPath.startsWith('/') ? destPath : `/${destPath}`;
  const file = files.readFile(src);
  if (file.ok) return { [dest.endsWith('/') ? `${dest}${src.split('/').pop()}` : dest]: file.value };
  if (!files.isDir(src)) return undefined;
  const out: Record<string, string> = {};
  const walk = (dir: string, under: string): void => {
    const entries = files.list(dir);
    if (!entries.ok) return;
    for (const e of entries.value) {
      if (e.dir) walk(`${dir}/${e.name}`, `${under}/${e.name}`);
      else {
        const read = files.readFile(`${dir}/${e.name}`);
        if (read.ok) out[`${under}/${e.name}`] = read.value;
      }
    }
  };
  walk(src.replace(/\/+$/, ''), dest.replace(/\/+$/, ''));
  return out;
}

function finish(inv: Invocation, r: CallResult<PodExecResult>): number {
  if (!r.ok) {
    // What exec reports: a runtime without tar, a container that is not running.
    const status = r.failure.kind === 'status' ? r.failure.status : undefined;
    if (status?.reason === 'ExecFailed') return errorExit(inv, status.message);
    if (status?.reason === 'UpgradeFailed')
      return errorExit(inv, `unable to upgrade connection: ${status.message}`);
    inv.err(failureMessage(r.failure));
    return 1;
  }
  inv.err(r.body.stderr);
  if (r.body.exitCode !== 0) return errorExit(inv, `command terminated with exit code ${r.body.exitCode}`);
  return 0;
}

export const cpCommand: CommandSpec = {
  name: 'cp',
  short: 'Copy files and directories to and from containers',
  flags: [
    CONTAINER_FLAG,
    {
      name: 'no-preserve',
      type: 'bool',
      defaultValue: 'false',
      usage: "The copied file/directory's ownership and permissions will not be preserved in the container",
    },
    {
      name: 'retries',
      type: 'int',
      defaultValue: '0',
      usage:
        'Set number of retries to complete a copy operation from a container. Specify 0 to disable or any negative value for infinite retrying. The default is 0 (no retry).',
    },
  ],
  help: {
    long: 'Copy files and directories to and from containers.',
    examples: [
      '  # !!!Important Note!!!',
      "  # Requires that the 'tar' binary is present in your container",
      "  # image.  If 'tar' is not present, 'kubectl cp' will fail.",
      '  #',
      '  # For advanced use cases, such as symlinks, wildcard expansion or',
      "  # file mode preservation, consider using 'kubectl exec'.",
      '  ',
      '  # Copy /tmp/foo local file to /tmp/bar in a remote pod in namespace <some-namespace>',
      '  tar cf - /tmp/foo | kubectl exec -i -n <some-namespace> <some-pod> -- tar xf - -C /tmp/bar',
      '  ',
      '  # Copy /tmp/foo from a remote pod to /tmp/bar locally',
      '  kubectl exec -n <some-namespace> <some-pod> -- tar cf - /tmp/foo | tar xf - -C /tmp/bar',
      '  ',
      '  # Copy /tmp/foo_dir local directory to /tmp/bar_dir in a remote pod in the default namespace',
      '  kubectl cp /tmp/foo_dir <some-pod>:/tmp/bar_dir',
      '  ',
      '  # Copy /tmp/foo local file to /tmp/bar in a remote pod in a specific container',
      '  kubectl cp /tmp/foo <some-pod>:/tmp/bar -c <specific-container>',
      '  ',
      '  # Copy /tmp/foo local file to /tmp/bar in a remote pod in namespace <some-namespace>',
      '  kubectl cp /tmp/foo <some-namespace>/<some-pod>:/tmp/bar',
      '  ',
      '  # Copy /tmp/foo from a remote pod to /tmp/bar locally',
      '  kubectl cp <some-namespace>/<some-pod>:/tmp/foo /tmp/bar',
    ].join('\n'),
    usage: 'kubectl cp <file-spec-src> <file-spec-dest> [options]',
  },
  run,
};
