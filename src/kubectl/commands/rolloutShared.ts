import type { ResourceInfo } from '../../sim/api/resources';
import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import { type BuilderResult, buildInfos, type Info } from '../cli/builder';
import { errorExit, FILENAME_FLAG, KUSTOMIZE_FLAG, RECURSIVE_FLAG, refuseUnsupported } from '../cli/common';
import { failureLine } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import { type FlagSpec, flagString } from '../flags';

/** What the rollout verbs share: how they find their objects, patch them and name them. */

/** `deployments.apps`: how rollout's errors name a resource (Mapping.Resource, with its group). */
export function resourceString(info: ResourceInfo): string {
  return info.group === '' ? info.resource : `${info.resource}.${info.group}`;
}

/** The Filename flags every rollout verb has. */
export const ROLLOUT_FILE_FLAGS: readonly FlagSpec[] = [
  FILENAME_FLAG('identifying the resource to get from a server.'),
  KUSTOMIZE_FLAG,
  RECURSIVE_FLAG,
];

/**
 * The builder of the rollout verbs: `TYPE NAME`, `TYPE/NAME`, `TYPE -l SELECTOR`, or a bare TYPE
 * for every object of it; each object fetched. `required resource not specified` when nothing is
 * named (Validate).
 */
export function* rolloutInfos(inv: Invocation): Task<BuilderResult> {
  const refused = refuseUnsupported(inv, ['filename', 'kustomize']);
  if (refused !== undefined) return { ok: false, code: refused };
  if (inv.args.length === 0) return { ok: false, code: errorExit(inv, 'required resource not specified') };
  return yield* buildInfos(inv, inv.args, {
    selector: flagString(inv.flags, 'selector') ?? '',
    allowEmptySelector: true,
    requireObject: true,
  });
}

/** One patch of an object the builder found; a failure as Go's err.Error() reads. */
export function* patchObject(
  inv: Invocation,
  t: Info,
  patch: unknown,
  dryRun: boolean,
  patchType: 'strategic' | 'json',
): Task<{ ok: true; body: KubeObject } | { ok: false; error: string }> {
  const r = yield* call<KubeObject>(inv, {
    verb: 'patch',
    resource: t.info.resource,
    name: t.name,
    ...(t.namespace ? { namespace: t.namespace } : {}),
    patch,
    patchType,
    ...(dryRun ? { dryRun: true } : {}),
  });
  if (r.ok) return r;
  return {
    ok: false,
    error: r.failure.kind === 'status' ? r.failure.status.message : failureLine(r.failure),
  };
}

/** deploymentutil.RevisionAnnotation, on Deployments and their ReplicaSets. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
