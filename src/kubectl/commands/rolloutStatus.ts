import type { DeploymentObject, KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import { durationFlag, errorExit, SELECTOR_FLAG } from '../cli/common';
import { groupKind } from '../cli/discovery';
import { failureMessage } from '../cli/errors';
import type { Invocation } from '../cli/invocation';
import { untilWithSync } from '../cli/watch';
import { flagBool, flagInt } from '../flags';
import { REVISION_ANNOTATION, ROLLOUT_FILE_FLAGS, rolloutInfos } from './rolloutShared';

/**
 * `kubectl rollout status deployment/NAME`: watches the Deployment (list, then watch, with the
 * field selector `metadata.name=NAME`) and prints one status line per change it sees, until the
 * rollout is complete — in simulated time, so the command takes as long as the rollout does.
 * `--watch=false` prints the first line only; `--timeout` gives up; Ctrl-C cancels the watch.
 */

type Status = { readonly text: string; readonly done: boolean } | { readonly error: string };

/** polymorphichelpers' DeploymentStatusViewer.Status. */
export function deploymentStatus(d: DeploymentObject, revision: number): Status {
  const name = JSON.stringify(d.metadata.name);
  if (revision > 0) {
    const running = Number(d.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
    if (!Number.isInteger(running))
      return { error: `cannot get the revision of deployment ${name}: invalid revision` };
    if (running !== revision)
      return { error: `desired revision (${revision}) is different from the running revision (${running})` };
  }
  const generation = d.metadata.generation ?? 0;
  const status = d.status ?? {};
  if (generation <= (status.observedGeneration ?? 0)) {
    const progressing = status.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded')
      return { error: `deployment ${name} exceeded its progress deadline` };
    const replicas = d.spec.replicas;
    const updated = status.updatedReplicas ?? 0;
    if (replicas !== undefined && updated < replicas)
      return {
        text: `Waiting for deployment ${name} rollout to finish: ${updated} out of ${replicas} new replicas have been updated...\n`,
        done: false,
      };
    if ((status.replicas ?? 0) > updated)
      return {
        text: `Waiting for deployment ${name} rollout to finish: ${(status.replicas ?? 0) - updated} old replicas are pending termination...\n`,
        done: false,
      };
    if ((status.availableReplicas ?? 0) < updated)
      return {
        text: `Waiting for deployment ${name} rollout to finish: ${status.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`,
        done: false,
      };
    return { text: `deployment ${name} successfully rolled out\n`, done: true };
  }
  return { text: 'Waiting for deployment spec update to be observed...\n', done: false };
}

function* run(inv: Invocation): Task<number> {
  const timeoutMs = durationFlag(inv, 'timeout', '0s');
  if (timeoutMs === undefined) return 1;
  const revision = flagInt(inv.flags, 'revision') ?? 0;
  if (inv.args.length > 0 && revision < 0)
    return errorExit(inv, `revision must be a positive integer: ${revision}`);
  const built = yield* rolloutInfos(inv);
  if (!built.ok) return built.code;
  if (built.errors.length > 0) {
    inv.err(failureMessage(built.errors[0]!));
    return 1;
  }
  if (built.infos.length !== 1)
    return errorExit(
      inv,
      `rollout status is only supported on individual resources and resource collections - ${built.infos.length} resources were found`,
    );
  const target = built.infos[0]!;
  if (!(target.info.group === 'apps' && target.info.kind === 'Deployment'))
    return errorExit(inv, `no status viewer has been implemented for ${groupKind(target.info)}`);

  const watch = flagBool(inv.flags, 'watch');
  const sim = inv.ctx.cluster.sim;
  // ContextWithOptionalTimeout: zero (or less) waits for ever.
  const deadline = timeoutMs > 0 ? sim.nowMs + timeoutMs : Number.POSITIVE_INFINITY;
  const result = yield* untilWithSync<{ error?: string }>(
    inv,
    {
      resource: target.info.resource,
      name: target.name,
      ...(target.namespace ? { namespace: target.namespace } : {}),
    },
    deadline,
    (e) => {
      if (e.type === 'DELETED') return { done: true, value: { error: 'object has been deleted' } };
      const s = deploymentStatus(e.object as KubeObject as DeploymentObject, revision);
      if ('error' in s) return { done: true, value: { error: s.error } };
      inv.out(s.text);
      if (s.done || !watch) return { done: true, value: {} };
      return { done: false };
    },
  );
  if (!result.ok) return errorExit(inv, 'timed out waiting for the condition');
  if (result.value.error) return errorExit(inv, result.value.error);
  return 0;
}

export const rolloutStatusCommand: CommandSpec = {
  name: 'status',
  short: 'Show the status of the rollout',
  flags: [
    ...ROLLOUT_FILE_FLAGS,
    {
      name: 'revision',
      type: 'int',
      defaultValue: '0',
      usage: 'Pin to a specific revision for showing its status. Defaults to 0 (last revision).',
    },
    SELECTOR_FLAG,
    {
      name: 'timeout',
      type: 'string',
      defaultValue: '0s',
      shownDefault: '0s',
      usage:
        'The length of time to wait before ending watch, zero means never. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).',
    },
    {
      name: 'watch',
      short: 'w',
      type: 'bool',
      defaultValue: 'true',
      usage: "Watch the status of the rollout until it's done.",
    },
  ],
  help: {
    long:
      'Show the status of the rollout.\n\n' +
      " By default 'rollout status' will watch the status of the latest rollout until it's done. If you don't want to wait for the rollout to finish then you can use --watch=false. Note that if a new rollout starts in-between, then 'rollout status' will continue watching the latest revision. If you want to pin to a specific revision and abort if it is rolled over by another revision, use --revision=N where N is the revision you need to watch for.",
    examples: [
      '  # Watch the rollout status of a deployment',
      '  kubectl rollout status deployment/nginx',
    ].join('\n'),
    usage: 'kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]',
  },
  run,
};
