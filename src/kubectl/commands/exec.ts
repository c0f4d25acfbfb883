import type { AttachedShell, ShellOutputLike } from '../../shell/program';
import type { KubeObject, PodObject, Status } from '../../sim/api/types';
import type { ApiRequest, PodExecOptions, PodExecResult } from '../../sim/apiserver/request';
import type { ApiClient } from '../../sim/client/apiClient';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import { durationFlag, errorExit, podRunningTimeoutFlag, usageError } from '../cli/common';
import { type ApiFailure, failureMessage, failureOf, plainError } from '../cli/errors';
import { call, type Invocation, requestUrl } from '../cli/invocation';
import type { FlagSpec } from '../flags';
import { flagBool, flagList, flagString } from '../flags';
import { DEFAULT_CONTAINER_ANNOTATION, goType, podsFor, resolveObject, selectorForObject } from './logs';

/**
 * `kubectl exec`: run a command in a container through the API server's `pods/exec`, which
 * proxies to the node's kubelet and its runtime. A pod is named directly or through a workload
 * or Service (`deploy/web`: its best pod). The command's output and exit code come back as
 * kubectl prints them (`command terminated with exit code 2`). `-i` with a lone shell opens an
 * interactive shell: the session sends the following lines to it until `exit`.
 */
function* run(inv: Invocation): Task<number> {
  const timeoutMs = durationFlag(inv, 'pod-running-timeout', '1m0s');
  if (timeoutMs === undefined) return 1;
  // Complete
  const dash = inv.flags.argsLenAtDash ?? -1;
  const resourceArg = inv.args.length > 0 && dash !== 0 ? (inv.args[0] as string) : '';
  let command: readonly string[] = [];
  if (dash > -1) command = inv.args.slice(dash);
  else if (inv.args.length > 1)
    return usageError(
      inv,
      'exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead',
    );
  if (flagList(inv.flags, 'filename').length > 0)
    return errorExit(inv, 'cplab: kubectl exec -f is not supported yet; name the pod instead');
  if (resourceArg === '') return errorExit(inv, 'pod, type/name or --filename must be specified');
  // Validate
  if (command.length === 0) return errorExit(inv, 'you must specify at least one command for the container');
  if (timeoutMs <= 0) return errorExit(inv, '--pod-running-timeout must be higher than zero');
  const quiet = flagBool(inv.flags, 'quiet');
  const stdin = flagBool(inv.flags, 'stdin');
  let tty = flagBool(inv.flags, 'tty') && stdin;
  if (tty && inv.ctx.stdoutIsTerminal !== true) {
    tty = false;
    if (!quiet) inv.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  }

  const joined = yield* containerToJoin(inv, resourceArg, timeoutMs, quiet, 'exec into');
  if (typeof joined === 'number') return joined;
  const { pod, container } = joined;

  const opts: PodExecOptions = { container, command, stdin, tty };
  const r = yield* call<PodExecResult>(inv, execRequest(pod, opts));
  if (!r.ok) return execFailure(inv.err, r.failure);
  inv.out(r.body.stdout);
  inv.err(r.body.stderr);
  if (r.body.state && r.body.prompt !== undefined) {
    if (!inv.ctx.session.attachShell)
      return errorExit(inv, 'cplab: an interactive shell needs the lab terminal');
    inv.ctx.session.attachShell({
      namespace: pod.metadata.namespace ?? inv.namespace,
      pod: pod.metadata.name,
      container,
      shell: command[0] as string,
      tty,
      state: r.body.state,
      prompt: r.body.prompt,
    });
    return 0;
  }
  return exitStatus(inv, r.body.exitCode);
}

/**
 * Hands the terminal to `shell` in a pod's container started with stdin and a TTY, as
 * `kubectl attach -it` and `kubectl run -it` do: "If you don't see a command prompt…", and when
 * the shell ends, kubectl's "Session ended" hint for a pod that restarts it, or (--rm) the pod's
 * deletion.
 */
export function* attachTerminal(
  inv: Invocation,
  pod: PodObject,
  container: string,
  shell: string,
  o: { readonly quiet?: boolean; readonly deletePodOnExit?: boolean },
): Task<number> {
  const r = yield* call<PodExecResult>(
    inv,
    execRequest(pod, { container, command: [shell], stdin: true, tty: true }),
  );
  if (!r.ok) return execFailure(inv.err, r.failure);
  if (!r.body.state || r.body.prompt === undefined || !inv.ctx.session.attachShell) return 1;
  if (!o.quiet) inv.err("If you don't see a command prompt, try pressing enter.\n");
  const name = pod.metadata.name;
  const restartAlways = (pod.spec.restartPolicy ?? 'Always') === 'Always';
  inv.ctx.session.attachShell({
    namespace: pod.metadata.namespace ?? inv.namespace,
    pod: name,
    container,
    shell,
    tty: true,
    state: r.body.state,
    prompt: r.body.prompt,
    ...(restartAlways && !o.deletePodOnExit
      ? {
          endNote: `Session ended, resume using 'kubectl attach ${name} -c ${container} -i -t' command when the pod is running\n`,
        }
      : {}),
    ...(o.deletePodOnExit ? { deletePodOnExit: true } : {}),
  });
  return 0;
}

/** `command terminated with exit code N` and that code, as kubectl reports a non-zero exit. */
export function exitStatus(inv: Pick<Invocation, 'err'>, code: number): number {
  if (code === 0) return 0;
  inv.err(`command terminated with exit code ${code}\n`);
  return code;
}

export function execRequest(pod: PodObject, opts: PodExecOptions): ApiRequest {
  return {
    verb: 'create',
    resource: 'pods',
    subresource: 'exec',
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name,
    execOptions: opts,
  };
}

/**
 * How kubectl words a failed exec: the kubelet refusing the stream is "unable to upgrade
 * connection", the runtime's failure is an Internal error, a dial failure comes "from server".
 */
function execFailure(err: (text: string) => void, failure: ApiFailure): number {
  if (failure.kind === 'status') {
    const status = failure.status as Status;
    const say = (text: string): number => {
      err(text);
      return 1;
    };
    if (status.reason === 'UpgradeFailed')
      return say(plainError(`unable to upgrade connection: ${status.message}`));
    if (status.reason === 'ExecFailed') return say(plainError(status.message));
    if (status.reason === 'DialFailed') return say(`Error from server: ${status.message}\n`);
  }
  err(failureMessage(failure));
  return 1;
}

/**
 * One line typed into a shell `kubectl exec -it` opened: sent to the container's shell (with the
 * shell's state), its output printed. When the shell exits, or the container goes away, the
 * terminal is handed back (`detach`) with the exit status kubectl would report.
 */
export function* attachedShellLine(
  client: ApiClient,
  shell: AttachedShell,
  line: string,
  out: ShellOutputLike,
  detach: () => void,
): Task<number> {
  const req = execRequest({ metadata: { name: shell.pod, namespace: shell.namespace } } as PodObject, {
    container: shell.container,
    command: [shell.shell],
    stdin: true,
    tty: shell.tty,
    shellLine: { line, state: shell.state },
  });
  const outcome = yield* client.call(req);
  const failure = failureOf(outcome, { verb: 'create', resource: 'pods', name: shell.pod }, requestUrl(req));
  if (failure) {
    detach();
    return execFailure(out.stderr, failure);
  }
  const result = (outcome as { body: PodExecResult }).body;
  out.stdout(result.stdout);
  out.stderr(result.stderr);
  if (result.state) shell.state = result.state;
  if (result.prompt !== undefined) shell.prompt = result.prompt;
  const exited = result.state?.exited;
  if (exited === undefined) return result.exitCode;
  // bash says goodbye; the session ends with the shell's status, as kubectl exits with it.
  if (shell.tty && shell.shell.endsWith('bash')) out.stdout('exit\n');
  detach();
  if (shell.endNote) out.stdout(shell.endNote);
  if (shell.deletePodOnExit) {
    const del = yield* client.call({
      verb: 'delete',
      resource: 'pods',
      namespace: shell.namespace,
      name: shell.pod,
    });
    const gone = failureOf(del, { verb: 'delete', resource: 'pods', name: shell.pod }, requestUrl(req));
    if (gone) out.stderr(failureMessage(gone));
    else out.stdout(`pod "${shell.pod}" deleted\n`);
  }
  return exitStatus({ err: out.stderr }, exited);
}

/** polymorphichelpers.AttachablePodForObject: the pod itself, or the best pod a workload selects. */
export function* attachablePod(
  inv: Invocation,
  info: Parameters<typeof selectorForObject>[0],
  obj: KubeObject,
  timeoutMs: number,
): Task<{ ok: true; value: PodObject } | { ok: false; code: number }> {
  if (info.kind === 'Pod') return { ok: true, value: obj as PodObject };
  const sel = selectorForObject(info, obj);
  if ('error' in sel)
    return { ok: false, code: errorExit(inv, `cannot attach to ${goType(info)}: ${sel.error}`) };
  const found = yield* podsFor(inv, obj.metadata.namespace ?? inv.namespace, sel.selector, timeoutMs);
  if (!found.ok) return found;
  return { ok: true, value: found.value.pods[0] as PodObject };
}

/** podcmd.FindOrDefaultContainerByName: -c, else the default-container annotation, else the first. */
/**
 * The running pod a command joins (AttachablePodForObject), and its container: exec and attach
 * alike. An exit code when there is none (kubectl's message already printed).
 */
export function* containerToJoin(
  inv: Invocation,
  resourceArg: string,
  timeoutMs: number,
  quiet: boolean,
  verb: 'exec into' | 'attach',
): Task<{ pod: PodObject; container: string } | number> {
  const object = yield* resolveObject(inv, resourceArg, '', false);
  if (!object.ok) return object.code;
  if (!('info' in object.value)) return 1;
  const pod = yield* attachablePod(inv, object.value.info, object.value.obj, timeoutMs);
  if (!pod.ok) return pod.code;
  const phase = pod.value.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed')
    return errorExit(inv, `cannot ${verb} a container in a completed pod; current phase is ${phase}`);
  const container = containerOf(inv, pod.value, flagString(inv.flags, 'container') ?? '', quiet);
  if (container === undefined) return 1;
  return { pod: pod.value, container };
}

export function containerOf(
  inv: Invocation,
  pod: PodObject,
  asked: string,
  quiet: boolean,
): string | undefined {
  const names = pod.spec.containers.map((c) => c.name);
  if (asked !== '') {
    if (names.includes(asked)) return asked;
    errorExit(inv, `container ${asked} not found in pod ${pod.metadata.name}`);
    return undefined;
  }
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION] ?? '';
  if (annotated !== '' && names.includes(annotated)) return annotated;
  const first = names[0] ?? '';
  const all = [...names, ...(pod.spec.initContainers ?? []).map((c) => `${c.name} (init)`)];
  if (all.length > 1 && !quiet) inv.err(`Defaulted container "${first}" out of: ${all.join(', ')}\n`);
  return first;
}

/** -c of exec, attach and cp. */
export const CONTAINER_FLAG: FlagSpec = {
  name: 'container',
  short: 'c',
  type: 'string',
  defaultValue: '',
  usage:
    'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen',
};

/** The flags exec and attach share after -c (and exec's -f), in kubectl's order. */
export const ATTACH_FLAGS: readonly FlagSpec[] = [
  podRunningTimeoutFlag('1m0s'),
  {
    name: 'quiet',
    short: 'q',
    type: 'bool',
    defaultValue: 'false',
    usage: 'Only print output from the remote session',
  },
  { name: 'stdin', short: 'i', type: 'bool', defaultValue: 'false', usage: 'Pass stdin to the container' },
  { name: 'tty', short: 't', type: 'bool', defaultValue: 'false', usage: 'Stdin is a TTY' },
];

export const execCommand: CommandSpec = {
  name: 'exec',
  short: 'Execute a command in a container',
  flags: [
    CONTAINER_FLAG,
    { name: 'filename', short: 'f', type: 'stringSlice', usage: 'to use to exec into the resource' },
    ...ATTACH_FLAGS,
  ],
  help: {
    long: 'Execute a command in a container.',
    examples: [
      "  # Get output from running the 'date' command from pod mypod, using the first container by default",
      '  kubectl exec mypod -- date',
      '  ',
      "  # Get output from running the 'date' command in ruby-container from pod mypod",
      '  kubectl exec mypod -c ruby-container -- date',
      '  ',
      "  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod",
      "  # and sends stdout/stderr from 'bash' back to the client",
      '  kubectl exec mypod -c ruby-container -i -t -- bash -il',
      '  ',
      '  # List contents of /usr from the first container of pod mypod and sort by modification time',
      '  # If the command you want to execute in the pod has any flags in common (e.g. -i),',
      "  # you must use two dashes (--) to separate your command's flags/arguments",
      '  # Also note, do not surround your command and its flags/arguments with quotes',
      '  # unless that is how you would execute it normally (i.e., do ls -t /usr, not "ls -t /usr")',
      '  kubectl exec mypod -i -t -- ls -t /usr',
      '  ',
      "  # Get output from running 'date' command from the first pod of the deployment mydeployment, using the first container by default",
      '  kubectl exec deploy/mydeployment -- date',
      '  ',
      "  # Get output from running 'date' command from the first pod of the service myservice, using the first container by default",
      '  kubectl exec svc/myservice -- date',
    ].join('\n'),
    usage: 'kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]',
  },
  run,
};
