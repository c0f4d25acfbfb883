import type { ResourceInfo } from '../../sim/api/resources';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import { errorExit } from '../cli/common';
import { discover } from '../cli/discovery';
import { failureMessage } from '../cli/errors';
import type { Invocation } from '../cli/invocation';
import { type DocumentedResource, groupVersionPath, openApiDocument } from '../explain/openapi';
import { type GroupVersionResource, gvrString, renderExplain } from '../explain/render';
import { renderExplainV2 } from '../explain/renderV2';
import { flagBool, flagString } from '../flags';

/**
 * `kubectl explain TYPE[.FIELD...]`: ExplainOptions' Validate and Run. The type is mapped through
 * discovery (explain.SplitAndParseResourceRequestWithMatchingPrefix, so `deployments.apps.spec`
 * works), `--api-version` replaces the group version, and the server's OpenAPI v3 document of that
 * group version (the lab's schema table, `explain/schema.ts`) is rendered by the plaintext
 * template (`explain/render.ts`); `-o plaintext-openapiv2` renders the kind's OpenAPI v2 model
 * with the older explain (`explain/renderV2.ts`).
 */

const SUGGEST = 'Use "kubectl api-resources" for a complete list of supported resources.';

/** The RESTMapper's candidates for a plural, singular, short name or kind: core group first. */
function candidates(resources: readonly ResourceInfo[], typed: string): ResourceInfo[] {
  const name = typed.toLowerCase();
  const found = resources.filter(
    (r) =>
      r.resource === name ||
      r.singular === name ||
      r.shortNames.includes(name) ||
      r.kind.toLowerCase() === name,
  );
  return [...found.filter((r) => r.group === ''), ...found.filter((r) => r.group !== '')];
}

type Split = { ok: true; info: ResourceInfo; fields: string[] } | { ok: false; error: string };

/**
 * SplitAndParseResourceRequest(WithMatchingPrefix): `TYPE.f1.f2`, where TYPE may also be
 * `resource.group` when the prefix matches (only without --api-version).
 */
function splitResource(resources: readonly ResourceInfo[], arg: string, matchPrefix: boolean): Split {
  const input = arg.endsWith('.') ? arg.slice(0, -1) : arg;
  const parts = input.split('.');
  const found = candidates(resources, parts[0]!);
  if (found.length === 0)
    return { ok: false, error: `the server doesn't have a resource type "${parts[0]}"` };
  if (matchPrefix)
    for (const info of found) {
      const gr = info.group === '' ? info.resource : `${info.resource}.${info.group}`;
      if (input.startsWith(gr)) {
        const suffix = input.slice(gr.length);
        return { ok: true, info, fields: suffix ? suffix.split('.').slice(1) : [] };
      }
    }
  return { ok: true, info: found[0]!, fields: parts.slice(1) };
}

/** schema.ParseGroupVersion. */
function parseGroupVersion(s: string): { group: string; version: string } | string {
  if (s === '' || s === '/') return { group: '', version: '' };
  const parts = s.split('/');
  if (parts.length === 1) return { group: '', version: s };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return `unexpected GroupVersion string: ${s}`;
}

/**
 * renderOpenAPIV2: the kind of the resource (with --api-version's group version, if given), its
 * definition in the OpenAPI v2 model, and the older template.
 */
function renderV2(
  inv: Invocation,
  split: Split & { ok: true },
  apiVersion: string,
  recursive: boolean,
  documented: readonly DocumentedResource[],
): number {
  let gvk = { group: split.info.group, version: split.info.version, kind: split.info.kind };
  if (apiVersion !== '') {
    const gv = parseGroupVersion(apiVersion);
    if (typeof gv === 'string') return errorExit(inv, gv);
    gvk = { ...gv, kind: gvk.kind };
  }
  // The v2 document holds every definition: any group version's v3 document serves.
  const doc = openApiDocument(groupVersionPath(split.info.group, split.info.version), documented);
  const result = renderExplainV2(doc, gvk, split.fields, recursive);
  if ('error' in result) return errorExit(inv, result.error);
  inv.out(result.out);
  return 0;
}

function* run(inv: Invocation): Task<number> {
  if (inv.args.length === 0)
    return errorExit(inv, `You must specify the type of resource to explain. ${SUGGEST}`);
  if (inv.args.length > 1) return errorExit(inv, 'We accept only this format: explain RESOURCE');
  const apiVersion = flagString(inv.flags, 'api-version') ?? '';
  const output = flagString(inv.flags, 'output') ?? 'plaintext';
  const recursive = flagBool(inv.flags, 'recursive');

  const discovery = yield* discover(inv, 2);
  if (!discovery.ok) {
    inv.err(failureMessage(discovery.failure));
    return 1;
  }
  const split = splitResource(discovery.resources, inv.args[0]!, apiVersion === '');
  if (!split.ok) {
    // A NoResourceMatchError: checkErr prints it without the `error: ` prefix.
    inv.err(`${split.error}\n`);
    return 1;
  }
  const documented: DocumentedResource[] = discovery.resources.map((r) => ({
    gvk: { group: r.group, version: r.version, kind: r.kind },
    resource: r.resource,
    namespaced: r.namespaced,
  }));
  if (output === 'plaintext-openapiv2') return renderV2(inv, split, apiVersion, recursive, documented);

  const gvr: GroupVersionResource = {
    group: split.info.group,
    version: split.info.version,
    resource: split.info.resource,
  };
  if (apiVersion !== '') {
    const gv = parseGroupVersion(apiVersion);
    if (typeof gv === 'string') return errorExit(inv, gv);
    Object.assign(gvr, gv);
  }
  const doc = openApiDocument(groupVersionPath(gvr.group, gvr.version), documented);
  if (!doc) return errorExit(inv, `couldn't find resource for "${gvrString(gvr)}"`);
  if (output !== 'plaintext') return errorExit(inv, `unrecognized format: ${output}`);
  const result = renderExplain(doc, gvr, split.fields, recursive);
  inv.out(result.out);
  if (result.error !== undefined) return errorExit(inv, result.error);
  return 0;
}

export const explainCommand: CommandSpec = {
  name: 'explain',
  short: 'Get documentation for a resource',
  flags: [
    {
      name: 'api-version',
      type: 'string',
      defaultValue: '',
      usage: 'Use given api-version (group/version) of the resource.',
    },
    {
      name: 'output',
      short: 'o',
      type: 'string',
      defaultValue: 'plaintext',
      usage: 'Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2).',
    },
    {
      name: 'recursive',
      type: 'bool',
      defaultValue: 'false',
      usage:
        'When true, print the name of all the fields recursively. Otherwise, print the available fields with their description.',
    },
  ],
  help: {
    long: [
      'Describe fields and structure of various resources.',
      '',
      ' This command describes the fields associated with each supported API resource. Fields are identified via a simple JSONPath identifier:',
      '',
      '        <type>.<fieldName>[.<fieldName>]',
      '        ',
      ' Information about each field is retrieved from the server in OpenAPI format.',
      '',
      SUGGEST,
    ].join('\n'),
    examples: [
      '  # Get the documentation of the resource and its fields',
      '  kubectl explain pods',
      '  ',
      '  # Get all the fields in the resource',
      '  kubectl explain pods --recursive',
      '  ',
      '  # Get the explanation for deployment in supported api versions',
      '  kubectl explain deployments --api-version=apps/v1',
      '  ',
      '  # Get the documentation of a specific field of a resource',
      '  kubectl explain pods.spec.containers',
      '  ',
      '  # Get the documentation of resources in different format',
      '  kubectl explain deployment --output=plaintext-openapiv2',
    ].join('\n'),
    usage:
      'kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [options]',
  },
  run,
};
