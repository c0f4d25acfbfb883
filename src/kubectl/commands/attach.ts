import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import { durationFlag, errorExit } from '../cli/common';
import type { Invocation } from '../cli/invocation';
import { flagBool } from '../flags';
import { ATTACH_FLAGS, attachTerminal, CONTAINER_FLAG, containerToJoin } from './exec';

/**
 * `kubectl attach POD [-c C] [-i -t]`: joins the process a container already runs. A container
 * started with stdin and a TTY (`kubectl run -it`) gets the terminal back ("If you don't see a
 * command prompt…"); otherwise attach follows what the container prints from now on, as its
 * stdout stream does, until Ctrl-C.
 */
function* run(inv: Invocation): Task<number> {
  const timeoutMs = durationFlag(inv, 'pod-running-timeout', '1m0s');
  if (timeoutMs === undefined) return 1;
  if (inv.args.length === 0) return errorExit(inv, 'at least 1 argument is required for attach');
  const quiet = flagBool(inv.flags, 'quiet');
  const stdin = flagBool(inv.flags, 'stdin');
  const tty = flagBool(inv.flags, 'tty');
  const joined = yield* containerToJoin(inv, inv.args.join('/'), timeoutMs, quiet, 'attach');
  if (typeof joined === 'number') return joined;
  const { pod, container } = joined;
  const spec = pod.spec.containers.find((c) => c.name === container) as
    | { stdin?: boolean; tty?: boolean; command?: readonly string[]; args?: readonly string[] }
    | undefined;
  if (tty && !spec?.tty && !quiet)
    inv.err(`Unable to use a TTY - container ${container} did not allocate one\n`);
  const name = pod.metadata.name;
  const namespace = pod.metadata.namespace ?? inv.namespace;
  if (stdin && spec?.stdin && spec.tty) {
    const shell = [...(spec.command ?? []), ...(spec.args ?? [])][0] ?? 'sh';
    return yield* attachTerminal(inv, pod, container, shell, { quiet });
  }
  // The container's output from now on: its stdout stream, which the log follows.
  if (!inv.ctx.shell) return errorExit(inv, 'cplab: kubectl attach needs the lab shell');
  const argv = ['kubectl', 'logs', '-f', '--tail=0', `pod/${name}`, '-c', container, '-n', namespace];
  return yield* inv.ctx.shell.run(argv, '', { stdout: inv.out, stderr: inv.err });
}

export const attachCommand: CommandSpec = {
  name: 'attach',
  short: 'Attach to a running container',
  flags: [CONTAINER_FLAG, ...ATTACH_FLAGS],
  help: {
    long: 'Attach to a process that is already running inside an existing container.',
    examples: [
      "  # Get output from running pod mypod; use the 'kubectl.kubernetes.io/default-container' annotation",
      '  # for selecting the container to be attached or the first container in the pod will be chosen',
      '  kubectl attach mypod',
      '  ',
      '  # Get output from ruby-container from pod mypod',
      '  kubectl attach mypod -c ruby-container',
      '  ',
      "  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod",
      "  # and sends stdout/stderr from 'bash' back to the client",
      '  kubectl attach mypod -c ruby-container -i -t',
      '  ',
      '  # Get output from the first pod of a replica set named nginx',
      '  kubectl attach rs/nginx',
    ].join('\n'),
    usage: 'kubectl attach (POD | TYPE/NAME) -c CONTAINER [options]',
  },
  run,
};
