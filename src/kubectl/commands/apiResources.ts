import { apiVersionOf, type ResourceInfo } from '../../sim/api/resources';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import { errorExit, usageError } from '../cli/common';
import { discover } from '../cli/discovery';
import { failureMessage } from '../cli/errors';
import type { Invocation } from '../cli/invocation';
import { flagBool, flagList, flagString } from '../flags';
import { GET_TABWRITER, TabWriter } from '../print/tabwriter';

/** `kubectl api-resources`: what discovery says the server serves, one row per resource. */
function* run(inv: Invocation): Task<number> {
  if (inv.args.length > 0) return usageError(inv, `unexpected arguments: [${inv.args.join(' ')}]`);
  const output = flagString(inv.flags, 'output') ?? '';
  if (output !== '' && output !== 'wide' && output !== 'name')
    return errorExit(inv, `--output ${output} is not available`);
  const sortBy = flagString(inv.flags, 'sort-by') ?? '';
  if (sortBy !== '' && sortBy !== 'name' && sortBy !== 'kind')
    return errorExit(inv, `--sort-by accepts only name or kind`);
  const w = new TabWriter(GET_TABWRITER);
  // The discovery cache is invalidated first, so a dead server costs exactly one klog line.
  const discovery = yield* discover(inv, 1);
  const noHeaders = flagBool(inv.flags, 'no-headers');
  if (!noHeaders && output !== 'name') {
    const columns = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'];
    if (output === 'wide') columns.push('VERBS', 'CATEGORIES');
    w.write(`${columns.join('\t')}\n`);
  }
  if (!discovery.ok) {
    w.flush();
    inv.out(w.output);
    inv.err(failureMessage(discovery.failure));
    return 1;
  }
  const group = flagString(inv.flags, 'api-group');
  const verbs = flagList(inv.flags, 'verbs');
  const categories = flagList(inv.flags, 'categories');
  const namespacedChanged = inv.flags.changed?.has('namespaced') ?? false;
  const namespaced = flagBool(inv.flags, 'namespaced');
  const rows = discovery.resources.filter(
    (r) =>
      !r.resource.includes('/') &&
      (group === undefined || group === '' || r.group === group) &&
      (!namespacedChanged || r.namespaced === namespaced) &&
      verbs.every((v) => r.verbs.includes(v)) &&
      categories.every((c) => r.categories?.includes(c)),
  );
  const key = (r: ResourceInfo): string =>
    sortBy === 'name' ? r.resource : sortBy === 'kind' ? r.kind : r.group;
  rows.sort((a, b) => compare(key(a), key(b)) || compare(a.resource, b.resource));
  for (const r of rows) {
    if (output === 'name') w.write(`${r.group === '' ? r.resource : `${r.resource}.${r.group}`}\n`);
    else {
      const cells = [r.resource, r.shortNames.join(','), apiVersionOf(r), String(r.namespaced), r.kind];
      if (output === 'wide') cells.push(r.verbs.join(','), (r.categories ?? []).join(','));
      w.write(`${cells.join('\t')}\n`);
    }
  }
  w.flush();
  inv.out(w.output);
  return 0;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const apiResourcesCommand: CommandSpec = {
  name: 'api-resources',
  short: 'Print the supported API resources on the server',
  flags: [
    {
      name: 'api-group',
      type: 'string',
      defaultValue: '',
      usage: 'Limit to resources in the specified API group.',
    },
    {
      name: 'cached',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Use the cached list of resources if available.',
    },
    {
      name: 'categories',
      type: 'stringSlice',
      usage: 'Limit to resources that belong to the specified categories.',
    },
    {
      name: 'namespaced',
      type: 'bool',
      defaultValue: 'true',
      usage:
        'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.',
    },
    {
      name: 'no-headers',
      type: 'bool',
      defaultValue: 'false',
      usage:
        "When using the default or custom-column output format, don't print headers (default print headers).",
    },
    {
      name: 'output',
      short: 'o',
      type: 'string',
      defaultValue: '',
      usage: 'Output format. One of: (wide, name).',
    },
    {
      name: 'sort-by',
      type: 'string',
      defaultValue: '',
      usage:
        "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'.",
    },
    { name: 'verbs', type: 'stringSlice', usage: 'Limit to resources that support the specified verbs.' },
  ],
  help: {
    long: 'Print the supported API resources on the server.',
    examples: [
      '  # Print the supported API resources',
      '  kubectl api-resources',
      '  ',
      '  # Print the supported API resources with more information',
      '  kubectl api-resources -o wide',
      '  ',
      '  # Print the supported API resources sorted by a column',
      '  kubectl api-resources --sort-by=name',
      '  ',
      '  # Print the supported namespaced resources',
      '  kubectl api-resources --namespaced=true',
      '  ',
      '  # Print the supported non-namespaced resources',
      '  kubectl api-resources --namespaced=false',
      '  ',
      '  # Print the supported API resources with a specific APIGroup',
      '  kubectl api-resources --api-group=rbac.authorization.k8s.io',
    ].join('\n'),
    usage: 'kubectl api-resources [flags] [options]',
  },
  run,
};
