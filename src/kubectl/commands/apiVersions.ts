import { apiVersionOf } from '../../sim/api/resources';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import { errorExit, usageError } from '../cli/common';
import { discover } from '../cli/discovery';
import { SERVER_URL, transportErrorText } from '../cli/errors';
import type { Invocation } from '../cli/invocation';

/**
 * `kubectl api-versions`: every group/version discovery lists, sorted as Go's sort.Strings sorts
 * them (byte order, so `v1` comes last).
 */
function* run(inv: Invocation): Task<number> {
  if (inv.args.length > 0) return usageError(inv, `unexpected arguments: [${inv.args.join(' ')}]`);
  const discovery = yield* discover(inv, 1);
  if (!discovery.ok) {
    const f = discovery.failure;
    const why =
      f.kind === 'transport'
        ? `Get "${SERVER_URL}/api?timeout=32s": ${transportErrorText(f.error)}`
        : f.status.message;
    return errorExit(inv, `couldn't get available api versions from server: ${why}`);
  }
  const versions = [...new Set(discovery.resources.map(apiVersionOf))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  inv.out(versions.map((v) => `${v}\n`).join(''));
  return 0;
}

export const apiVersionsCommand: CommandSpec = {
  name: 'api-versions',
  short: 'Print the supported API versions on the server, in the form of "group/version"',
  help: {
    long: 'Print the supported API versions on the server, in the form of "group/version".',
    examples: ['  # Print the supported API versions', '  kubectl api-versions'].join('\n'),
    usage: 'kubectl api-versions [options]',
  },
  run,
};
