import type { DeploymentObject, KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import { rfc3339 } from '../../sim/kernel/time';
import type { CommandSpec, HelpText } from '../cli/command';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  defaultSubCommandRun,
  errorExit,
  fieldManagerFlag,
  ObjectPrinter,
  OUTPUT_FLAG,
  SELECTOR_FLAG,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
} from '../cli/common';
import { kindPrefix } from '../cli/discovery';
import { type CommandError, reportCommandErrors, textError } from '../cli/errors';
import { renderHelp } from '../cli/help';
import type { Invocation } from '../cli/invocation';
import { createStrategicMergePatch, isEmptyPatch } from '../cli/patch';
import type { FlagSpec } from '../flags';
import { flagString } from '../flags';
import { rolloutHistoryCommand, rolloutUndoCommand } from './rolloutHistory';
import { patchObject, ROLLOUT_FILE_FLAGS, resourceString, rolloutInfos } from './rolloutShared';
import { rolloutStatusCommand } from './rolloutStatus';

/**
 * `kubectl rollout`: the group, and the verbs that patch a Deployment's spec: `pause`
 * (spec.paused), `resume`, `restart` (the pod template's `kubectl.kubernetes.io/restartedAt`
 * annotation, stamped with the simulated time). `status`, `history` and `undo` have their own
 * files. Only Deployments are served by this cluster, so they are the only kind that can roll out.
 */

/** ObjectPauser / ObjectResumer / ObjectRestarter: the object changed, or why it cannot be. */
type Mutation = (obj: KubeObject, nowMs: number) => KubeObject | { error: string };

const pauser: Mutation = (obj) => {
  if (obj.kind !== 'Deployment') return { error: 'pausing is not supported' };
  const d = obj as DeploymentObject;
  if (d.spec.paused) return { error: 'is already paused' };
  return { ...d, spec: { ...d.spec, paused: true } };
};

const resumer: Mutation = (obj) => {
  if (obj.kind !== 'Deployment') return { error: 'resuming is not supported' };
  const d = obj as DeploymentObject;
  if (!d.spec.paused) return { error: 'is not paused' };
  const { paused: _paused, ...spec } = d.spec;
  return { ...d, spec } as DeploymentObject;
};

export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

const restarter: Mutation = (obj, nowMs) => {
  if (obj.kind !== 'Deployment') return { error: 'restarting is not supported' };
  const d = obj as DeploymentObject;
  if (d.spec.paused) return { error: "can't restart paused deployment (run rollout resume first)" };
  const template = d.spec.template;
  // time.Now().Format(time.RFC3339), on the simulated clock.
  const annotations = { ...template.metadata?.annotations, [RESTARTED_AT_ANNOTATION]: rfc3339(nowMs) };
  return {
    ...d,
    spec: { ...d.spec, template: { ...template, metadata: { ...template.metadata, annotations } } },
  };
};

/**
 * RunPause / RunResume / RunRestart: set.CalculatePatches over the objects, then one patch each.
 * An object the mutation refuses is an error (`deployments.apps "web" is already paused`);
 * pause and resume report an object left unchanged as `already paused` / `already resumed`, and
 * a second restart within the same second is refused, as kubectl v1.32 does.
 */
function patchingVerb(mutation: Mutation, verb: 'paused' | 'resumed' | 'restarted') {
  return function* run(inv: Invocation): Task<number> {
    const printer = new ObjectPrinter(inv, flagString(inv.flags, 'output') ?? '');
    const printerError = printer.check();
    if (printerError) return errorExit(inv, printerError);
    const built = yield* rolloutInfos(inv);
    if (!built.ok) return built.code;
    const errors: CommandError[] = [...built.errors];
    const nowMs = inv.ctx.cluster.sim.nowMs;
    const patches = built.infos.map((target) => {
      const changed = mutation(target.object!, nowMs);
      return 'error' in changed
        ? { target, error: changed.error }
        : { target, after: changed, patch: createStrategicMergePatch(target.object!, changed) };
    });
    for (const p of patches) {
      const t = p.target;
      const name = `${kindPrefix(t.info)}/${t.name}`;
      if (p.error !== undefined) {
        errors.push(textError(`error: ${resourceString(t.info)} ${JSON.stringify(t.name)} ${p.error}`));
        continue;
      }
      if (isEmptyPatch(p.patch!)) {
        if (verb === 'restarted')
          // Restarted twice within one second: the annotation is the same, nothing to patch.
          errors.push(
            textError(
              `failed to create patch for ${t.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`,
            ),
          );
        else printer.print(t.object!, name, verb === 'paused' ? 'already paused' : 'already resumed');
        continue;
      }
      const r = yield* patchObject(inv, t, p.patch!, false, 'strategic');
      if (!r.ok) {
        errors.push(textError(`failed to patch: ${r.error}`));
        continue;
      }
      printer.print(r.body, name, verb);
    }
    return reportCommandErrors(inv.err, errors);
  };
}

const PATCH_VERB_FLAGS: readonly FlagSpec[] = [
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  fieldManagerFlag('kubectl-rollout'),
  ...ROLLOUT_FILE_FLAGS,
  OUTPUT_FLAG,
  SELECTOR_FLAG,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
];

const pauseHelp: HelpText = {
  long:
    'Mark the provided resource as paused.\n\n' +
    ' Paused resources will not be reconciled by a controller. Use "kubectl rollout resume" to resume a paused resource. Currently only deployments support being paused.',
  examples: [
    '  # Mark the nginx deployment as paused',
    '  # Any current state of the deployment will continue its function; new updates',
    '  # to the deployment will not have an effect as long as the deployment is paused',
    '  kubectl rollout pause deployment/nginx',
  ].join('\n'),
  usage: 'kubectl rollout pause RESOURCE [options]',
};

export const rolloutPauseCommand: CommandSpec = {
  name: 'pause',
  short: 'Mark the provided resource as paused',
  flags: PATCH_VERB_FLAGS,
  help: pauseHelp,
  run: patchingVerb(pauser, 'paused'),
};

export const rolloutResumeCommand: CommandSpec = {
  name: 'resume',
  short: 'Resume a paused resource',
  flags: PATCH_VERB_FLAGS,
  help: {
    long:
      'Resume a paused resource.\n\n' +
      ' Paused resources will not be reconciled by a controller. By resuming a resource, we allow it to be reconciled again. Currently only deployments support being resumed.',
    examples: ['  # Resume an already paused deployment', '  kubectl rollout resume deployment/nginx'].join(
      '\n',
    ),
    usage: 'kubectl rollout resume RESOURCE [options]',
  },
  run: patchingVerb(resumer, 'resumed'),
};

export const rolloutRestartCommand: CommandSpec = {
  name: 'restart',
  short: 'Restart a resource',
  flags: PATCH_VERB_FLAGS,
  help: {
    long: 'Restart a resource.\n\n        Resource rollout will be restarted.',
    examples: [
      '  # Restart all deployments in the test-namespace namespace',
      '  kubectl rollout restart deployment -n test-namespace',
      '  ',
      '  # Restart a deployment',
      '  kubectl rollout restart deployment/nginx',
      '  ',
      '  # Restart a daemon set',
      '  kubectl rollout restart daemonset/abc',
      '  ',
      '  # Restart deployments with the app=nginx label',
      '  kubectl rollout restart deployment --selector=app=nginx',
    ].join('\n'),
    usage: 'kubectl rollout restart RESOURCE [options]',
  },
  run: patchingVerb(restarter, 'restarted'),
};

export const rolloutCommand: CommandSpec = {
  name: 'rollout',
  short: 'Manage the rollout of a resource',
  help: {
    long:
      'Manage the rollout of one or many resources.\n        \n' +
      ' Valid resource types include:\n\n' +
      '  *  deployments\n' +
      '  *  daemonsets\n' +
      '  *  statefulsets',
    examples: [
      '  # Rollback to the previous deployment',
      '  kubectl rollout undo deployment/abc',
      '  ',
      '  # Check the rollout status of a daemonset',
      '  kubectl rollout status daemonset/foo',
      '  ',
      '  # Restart a deployment',
      '  kubectl rollout restart deployment/abc',
      '  ',
      "  # Restart deployments with the 'app=nginx' label",
      '  kubectl rollout restart deployment --selector=app=nginx',
    ].join('\n'),
    usage: 'kubectl rollout SUBCOMMAND [options]',
  },
  subcommands: [
    rolloutHistoryCommand,
    rolloutPauseCommand,
    rolloutRestartCommand,
    rolloutResumeCommand,
    rolloutStatusCommand,
    rolloutUndoCommand,
  ],
  // DefaultSubCommandRun(streams.Out): the help goes to stdout, with exit code 1.
  run: defaultSubCommandRun(() => renderHelp(rolloutCommand, 'kubectl rollout'), 'out'),
};
