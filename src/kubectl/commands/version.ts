import type { SERVER_VERSION } from '../../sim/apiserver/apiserver';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import { failureMessage, plainError } from '../cli/errors';
import { type CallResult, call, type Invocation } from '../cli/invocation';
import { flagBool, flagString } from '../flags';
import { toYaml } from '../print/yaml';

/** The client's build info: a stock kubectl v1.32.4 (the same release the simulated server runs). */
export const CLIENT_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};
export const KUSTOMIZE_VERSION = 'v5.5.0';

type VersionInfo = typeof SERVER_VERSION;

function* run(inv: Invocation): Task<number> {
  if (inv.args.length > 0) {
    inv.err(plainError(`extra arguments: [${inv.args.join(' ')}]`));
    return 1;
  }
  const output = flagString(inv.flags, 'output') ?? '';
  if (output !== '' && output !== 'yaml' && output !== 'json') {
    inv.err(plainError("--output must be 'yaml' or 'json'"));
    return 1;
  }
  // /version is asked directly (no discovery first), so an unreachable server costs no klog lines.
  let server: CallResult<VersionInfo> | undefined;
  if (!flagBool(inv.flags, 'client'))
    server = yield* call<VersionInfo>(inv, { verb: 'version', resource: '' });
  const serverVersion = server?.ok ? server.body : undefined;
  const info = {
    clientVersion: CLIENT_VERSION,
    kustomizeVersion: KUSTOMIZE_VERSION,
    ...(serverVersion ? { serverVersion } : {}),
  };
  if (output === '') {
    inv.out(`Client Version: ${CLIENT_VERSION.gitVersion}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`);
    if (serverVersion) inv.out(`Server Version: ${serverVersion.gitVersion}\n`);
  } else if (output === 'yaml') {
    inv.out(`${toYaml(info)}\n`);
  } else {
    // A Go struct, so fields keep their declared order and the indent is two spaces.
    inv.out(`${JSON.stringify(info, null, 2)}\n`);
  }
  if (server && !server.ok) {
    inv.err(failureMessage(server.failure));
    return 1;
  }
  return 0;
}

export const versionCommand: CommandSpec = {
  name: 'version',
  short: 'Print the client and server version information',
  flags: [
    {
      name: 'client',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, shows client version only (no server required).',
    },
    { name: 'output', short: 'o', type: 'string', defaultValue: '', usage: "One of 'yaml' or 'json'." },
  ],
  help: {
    long: 'Print the client and server version information for the current context.',
    examples: '  # Print the client and server versions for the current context\n  kubectl version',
    usage: 'kubectl version [flags] [options]',
  },
  run,
};
