import type { ResourceInfo } from '../../sim/api/resources';
import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import { discover, mappingAttempts, mapResource } from './discovery';
import { type ApiFailure, enhanceListError, failureMessage } from './errors';
import { call, type Invocation } from './invocation';
import { parseResourceArgs } from './resourceArgs';

/**
 * cli-runtime's resource Builder for the verbs that act on objects (delete, scale): it reads
 * `TYPE NAME...`, `TYPE/NAME...` or `TYPE` with `-l`/`--all`, maps the types through discovery,
 * and yields one Info per object: by name (fetched only when the command needs the object), or
 * from a LIST per type. Errors of individual objects are collected (ContinueOnError).
 */
export interface Info {
  readonly info: ResourceInfo;
  readonly name: string;
  readonly namespace?: string;
  /** The object, when it was fetched (by a LIST, or a GET when required). */
  readonly object?: KubeObject;
}

export interface BuilderOptions {
  readonly selector?: string;
  readonly fieldSelector?: string;
  /** `--all`: every object of the types (an empty label selector). */
  readonly all?: boolean;
  readonly allNamespaces?: boolean;
  /** GET every named object (RequireObject(true)); otherwise names are taken as they are. */
  readonly requireObject: boolean;
  /**
   * ResourceTypeOrNameArgs(allowEmptySelector=true): a bare type means every object of it
   * (`kubectl rollout restart deployment`), where other verbs ask for a name.
   */
  readonly allowEmptySelector?: boolean;
  /** The error when no resource is given (defaults to the builder's own). */
  readonly noResourcesMessage?: string;
}

export type BuilderResult =
  | { readonly ok: true; readonly infos: readonly Info[]; readonly errors: readonly ApiFailure[] }
  /** A failure that ends the command (already printed); `code` is the exit code. */
  | { readonly ok: false; readonly code: number };

export const NO_RESOURCES_MESSAGE =
  'You must provide one or more resources by argument or filename.\n' +
  'Example resource specifications include:\n' +
  "   '-f rsrc.yaml'\n" +
  "   '--filename=rsrc.json'\n" +
  "   '<resource> <name>'\n" +
  "   '<resource>'";

export function* buildInfos(
  inv: Invocation,
  args: readonly string[],
  opts: BuilderOptions,
): Task<BuilderResult> {
  const fail = (message: string): BuilderResult => {
    inv.err(`error: ${message}\n`);
    return { ok: false, code: 1 };
  };
  const parsed = parseResourceArgs(args);
  if (parsed.kind === 'none') return fail(opts.noResourcesMessage ?? NO_RESOURCES_MESSAGE);
  if (parsed.kind === 'error') return fail(parsed.message);
  const selector = opts.all ? '' : (opts.selector ?? '');
  const fieldSelector = opts.fieldSelector ?? '';
  const hasSelector = opts.all === true || selector !== '' || fieldSelector !== '';
  if (opts.all && ((opts.selector ?? '') !== '' || fieldSelector !== '')) {
    // SelectAllParam's error: reported after the first mapping lookup.
    const d = yield* discover(inv, 1);
    if (!d.ok) {
      inv.err(failureMessage(d.failure));
      return { ok: false, code: 1 };
    }
    return fail("setting 'all' parameter but found a non empty selector. ");
  }
  const typeArgs = parsed.kind === 'types' ? parsed.types : parsed.tuples.map((t) => t.type);
  const discovery = yield* discover(inv, mappingAttempts(typeArgs, parsed.kind === 'tuples'));
  if (!discovery.ok) {
    inv.err(failureMessage(discovery.failure));
    return { ok: false, code: 1 };
  }
  const nsFor = (info: ResourceInfo): string | undefined => (info.namespaced ? inv.namespace : undefined);
  const named: { info: ResourceInfo; name: string }[] = [];
  const listed: ResourceInfo[] = [];
  if (parsed.kind === 'tuples') {
    for (const t of parsed.tuples) {
      const m = mapResource(discovery.resources, t.type);
      if (!m.ok) return fail(m.error);
      named.push({ info: m.info, name: t.name });
    }
    if (hasSelector) return fail('name cannot be provided when a selector is specified');
  } else {
    const infos: ResourceInfo[] = [];
    for (const type of parsed.types) {
      const m = mapResource(discovery.resources, type);
      if (!m.ok) return fail(m.error);
      infos.push(m.info);
    }
    if (parsed.names.length > 0) {
      if (hasSelector) return fail('name cannot be provided when a selector is specified');
      for (const info of infos) for (const name of parsed.names) named.push({ info, name });
    } else if (hasSelector || opts.allowEmptySelector) listed.push(...infos);
    else return fail('resource(s) were provided, but no name was specified');
  }

  const infos: Info[] = [];
  const errors: ApiFailure[] = [];
  for (const { info, name } of named) {
    const namespace = nsFor(info);
    if (!opts.requireObject) {
      infos.push({ info, name, ...(namespace ? { namespace } : {}) });
      continue;
    }
    const r = yield* call<KubeObject>(inv, {
      verb: 'get',
      resource: info.resource,
      name,
      ...(namespace ? { namespace } : {}),
    });
    if (r.ok) infos.push({ info, name, ...(namespace ? { namespace } : {}), object: r.body });
    else errors.push(r.failure);
  }
  for (const info of listed) {
    const namespace = info.namespaced && !opts.allNamespaces ? inv.namespace : undefined;
    const r = yield* call<{ items: KubeObject[] }>(inv, {
      verb: 'list',
      resource: info.resource,
      ...(namespace ? { namespace } : {}),
      ...(selector ? { labelSelector: selector } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
    });
    if (!r.ok) {
      errors.push(enhanceListError(r.failure, info, selector, fieldSelector));
      continue;
    }
    for (const o of r.body.items)
      infos.push({
        info,
        name: o.metadata.name,
        ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
        object: o,
      });
  }
  return { ok: true, infos, errors };
}
