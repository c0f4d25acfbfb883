import type { ResourceInfo } from '../../sim/api/resources';
import { labelSelectorString } from '../../sim/api/table';
import type { DeploymentObject, KubeObject, PodTemplateSpec, ReplicaSetObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import type { Info } from '../cli/builder';
import type { CommandSpec } from '../cli/command';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  DRY_RUN_FLAG,
  errorExit,
  ObjectPrinter,
  OUTPUT_FLAG,
  SELECTOR_FLAG,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
} from '../cli/common';
import { groupKind, kindPrefix } from '../cli/discovery';
import { dryRunStrategy, dryRunSuffix } from '../cli/dryRun';
import { type CommandError, failureLine, reportCommandErrors, textError } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import { flagInt, flagString } from '../flags';
import { describePodTemplate } from '../print/describe/pod';
import { PrefixWriter } from '../print/describe/prefixWriter';
import { equalIgnoreHash, splitReplicaSets } from '../print/describe/workload';
import { DESCRIBE_TABWRITER, tabwrite } from '../print/tabwriter';
import { patchObject, REVISION_ANNOTATION, ROLLOUT_FILE_FLAGS, rolloutInfos } from './rolloutShared';

/**
 * `kubectl rollout history` and `kubectl rollout undo` for Deployments. A Deployment's history is
 * its ReplicaSets, one per revision (`deployment.kubernetes.io/revision`); undo is client-side,
 * as in kubectl: the pod template of the chosen revision's ReplicaSet, without its
 * pod-template-hash label, is written back into the Deployment, and the Deployment controller
 * makes that old ReplicaSet the newest revision again.
 */

const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
const HASH_LABEL = 'pod-template-hash';

/** Kinds kubectl's apps.GroupKindElement visitor knows (the others have no history at all). */
const VISITABLE = new Set([
  'apps/Deployment',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'apps/ReplicaSet',
  'extensions/Deployment',
  'extensions/DaemonSet',
  'extensions/ReplicaSet',
  'batch/Job',
  'batch/CronJob',
  '/Pod',
  '/ReplicationController',
]);

/**
 * HistoryViewerFor / RollbackerFor: undefined for a Deployment (the only kind this cluster can
 * roll back), else kubectl's error.
 */
function unsupportedKind(info: ResourceInfo, what: 'history viewer' | 'rollbacker'): string | undefined {
  if (info.group === 'apps' && info.kind === 'Deployment') return undefined;
  const gk = groupKind(info);
  if (!VISITABLE.has(`${info.group}/${info.kind}`)) {
    const retrieving = what === 'history viewer' ? 'history' : 'rollbacker';
    return `error retrieving ${retrieving} for ${JSON.stringify(gk)}, no visitor method exists for {${info.group} ${info.kind}}`;
  }
  return `no ${what} has been implemented for ${JSON.stringify(gk)}`;
}

/** deploymentutil.Revision: the revision annotation as a number (0 when absent), or NaN. */
function revisionOf(o: KubeObject): number {
  const v = o.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return /^[+-]?\d+$/.test(v) ? Number(v) : Number.NaN;
}

/** A Go error's text, for messages that wrap an API failure with %v. */
function errorText(f: Parameters<typeof failureLine>[0]): string {
  return f.kind === 'status' ? f.status.message : failureLine(f);
}

/**
 * GET the Deployment, then deploymentutil.GetAllReplicaSets: the ReplicaSets it controls (old
 * ones, then the new one), as `undo` and `history` read them.
 */
function* deploymentHistory(
  inv: Invocation,
  t: Info,
  retrieveError: string,
): Task<
  | { ok: true; d: DeploymentObject; all: ReplicaSetObject[]; newRS?: ReplicaSetObject }
  | { ok: false; error: string }
> {
  const ns = t.namespace ? { namespace: t.namespace } : {};
  const got = yield* call<DeploymentObject>(inv, {
    verb: 'get',
    resource: t.info.resource,
    name: t.name,
    ...ns,
  });
  if (!got.ok) return { ok: false, error: `${retrieveError} ${t.name}: ${errorText(got.failure)}` };
  const d = got.body;
  const list = yield* call<{ items: ReplicaSetObject[] }>(inv, {
    verb: 'list',
    resource: 'replicasets',
    ...ns,
    labelSelector: labelSelectorString(d.spec?.selector),
  });
  if (!list.ok)
    return {
      ok: false,
      error: `failed to retrieve replica sets from deployment ${t.name}: ${errorText(list.failure)}`,
    };
  const { oldRSs, newRS } = splitReplicaSets(d, list.body.items);
  return { ok: true, d, all: newRS ? [...oldRSs, newRS] : oldRSs, ...(newRS ? { newRS } : {}) };
}

/** printTemplate: describe's pod template, through a PrefixWriter with no tabwriter (tabs stay). */
export function printTemplate(template: PodTemplateSpec | undefined): string {
  const w = new PrefixWriter(false);
  describePodTemplate(w, template as Parameters<typeof describePodTemplate>[1]);
  return w.text();
}

/** The revisions of a history, each with its ReplicaSet (the last one wins a duplicate). */
function byRevision(all: readonly ReplicaSetObject[]): Map<number, ReplicaSetObject> {
  const out = new Map<number, ReplicaSetObject>();
  for (const rs of all) {
    const v = revisionOf(rs);
    if (!Number.isNaN(v)) out.set(v, rs);
  }
  return out;
}

function* runHistory(inv: Invocation): Task<number> {
  const revision = flagInt(inv.flags, 'revision') ?? 0;
  const printer = new ObjectPrinter(inv, flagString(inv.flags, 'output') ?? '');
  const printerError = printer.check();
  if (printerError) return errorExit(inv, printerError);
  if (inv.args.length > 0 && revision < 0)
    return errorExit(inv, `revision must be a positive integer: ${revision}`);
  const built = yield* rolloutInfos(inv);
  if (!built.ok) return built.code;
  const errors: CommandError[] = [...built.errors];
  for (const t of built.infos) {
    const unsupported = unsupportedKind(t.info, 'history viewer');
    if (unsupported) {
      errors.push(textError(unsupported));
      continue;
    }
    const h = yield* deploymentHistory(inv, t, 'failed to retrieve deployment');
    if (!h.ok) {
      errors.push(textError(h.error));
      continue;
    }
    const revisions = byRevision(h.all);
    const sorted = [...revisions.keys()].sort((a, b) => a - b);
    if (printer.output !== '') {
      // With -o, the revisions themselves (their ReplicaSets) are printed.
      if (revision > 0) {
        const rs = revisions.get(revision);
        if (!rs) {
          errors.push(textError('unable to find the specified revision'));
          continue;
        }
        printer.print(typedReplicaSet(rs), `replicaset.apps/${rs.metadata.name}`, '');
        continue;
      }
      for (const r of sorted) {
        const rs = revisions.get(r)!;
        printer.print(typedReplicaSet(rs), `replicaset.apps/${rs.metadata.name}`, '');
      }
      continue;
    }
    let historyInfo: string;
    if (revisions.size === 0) historyInfo = 'No rollout history found.';
    else if (revision > 0) {
      const rs = revisions.get(revision);
      if (!rs) {
        errors.push(textError('unable to find the specified revision'));
        continue;
      }
      historyInfo = printTemplate(withChangeCause(rs));
    } else {
      const rows = sorted.map((r) => {
        const cause = revisions.get(r)!.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '';
        return `${r}\t${cause === '' ? '<none>' : cause}\n`;
      });
      historyInfo = tabwrite(`REVISION\tCHANGE-CAUSE\n${rows.join('')}`, DESCRIBE_TABWRITER);
    }
    const withRevision = revision > 0 ? `with revision #${revision}` : '';
    printer.print(t.object!, `${kindPrefix(t.info)}/${t.name}`, `${withRevision}\n${historyInfo}`);
  }
  return reportCommandErrors(inv.err, errors);
}

/**
 * A ReplicaSet as kubectl prints it after decoding it into its Go type (GetHistory uses a typed
 * client): the status counts tagged omitempty disappear when zero.
 */
function typedReplicaSet(rs: ReplicaSetObject): ReplicaSetObject {
  if (!rs.status) return rs;
  const status: Record<string, unknown> = { ...rs.status };
  for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'])
    if (status[k] === 0) delete status[k];
  return { ...rs, status: status as unknown as ReplicaSetObject['status'] };
}

/** ViewHistory puts the ReplicaSet's change-cause into the template's annotations before printing it. */
function withChangeCause(rs: ReplicaSetObject): PodTemplateSpec {
  const template = rs.spec.template;
  const cause = rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '';
  if (cause === '') return template;
  return {
    ...template,
    metadata: {
      ...template.metadata,
      annotations: { ...template.metadata?.annotations, [CHANGE_CAUSE_ANNOTATION]: cause },
    },
  };
}

/** Annotations a rollback keeps from the Deployment rather than copying from the ReplicaSet. */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** deploymentRevision: the ReplicaSet of `toRevision`, or of the one before the latest when 0. */
function revisionToRollBackTo(
  d: DeploymentObject,
  all: readonly ReplicaSetObject[],
  toRevision: number,
): ReplicaSetObject | { error: string } {
  let latest: ReplicaSetObject | undefined;
  let latestRevision = -1;
  let previous: ReplicaSetObject | undefined;
  let previousRevision = -1;
  for (const rs of all) {
    const v = revisionOf(rs);
    if (Number.isNaN(v)) continue;
    if (toRevision === 0) {
      if (latestRevision < v) {
        previousRevision = latestRevision;
        previous = latest;
        latestRevision = v;
        latest = rs;
      } else if (previousRevision < v) {
        previousRevision = v;
        previous = rs;
      }
    } else if (toRevision === v) return rs;
  }
  if (toRevision > 0) return { error: `unable to find specified revision ${toRevision} in history` };
  if (!previous)
    return { error: `no rollout history found for deployment ${JSON.stringify(d.metadata.name)}` };
  return previous;
}

function* runUndo(inv: Invocation): Task<number> {
  const toRevision = flagInt(inv.flags, 'to-revision') ?? 0;
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return errorExit(inv, strategy.error);
  const printer = new ObjectPrinter(inv, flagString(inv.flags, 'output') ?? '');
  const printerError = printer.check();
  if (printerError) return errorExit(inv, printerError);
  const built = yield* rolloutInfos(inv);
  if (!built.ok) return built.code;
  const errors: CommandError[] = [...built.errors];
  for (const t of built.infos) {
    const unsupported = unsupportedKind(t.info, 'rollbacker');
    if (unsupported) {
      errors.push(textError(unsupported));
      continue;
    }
    if (toRevision < 0) {
      errors.push(textError(`unable to find specified revision ${toRevision} in history`));
      continue;
    }
    const h = yield* deploymentHistory(inv, t, 'failed to retrieve Deployment');
    if (!h.ok) {
      errors.push(textError(h.error));
      continue;
    }
    const rs = revisionToRollBackTo(h.d, h.all, toRevision);
    if ('error' in rs) {
      errors.push(textError(rs.error));
      continue;
    }
    const name = `${kindPrefix(t.info)}/${t.name}`;
    if (strategy === 'client') {
      printer.print(t.object!, name, `${printTemplate(rs.spec.template)}${dryRunSuffix(strategy)}`);
      continue;
    }
    const d = h.d;
    if (d.spec.paused) {
      errors.push(
        textError(
          `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`,
        ),
      );
      continue;
    }
    if (equalIgnoreHash(rs.spec.template, d.spec.template)) {
      printer.print(
        t.object!,
        name,
        `skipped rollback (current template already matches revision ${toRevision})${dryRunSuffix(strategy)}`,
      );
      continue;
    }
    // The template of that revision, without the pod-template-hash label; the Deployment's own
    // bookkeeping annotations, and the ReplicaSet's others.
    const { [HASH_LABEL]: _hash, ...labels } = rs.spec.template.metadata?.labels ?? {};
    const template: PodTemplateSpec = {
      ...rs.spec.template,
      metadata: { ...rs.spec.template.metadata, labels },
    };
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(d.metadata.annotations ?? {}))
      if (ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
    for (const [k, v] of Object.entries(rs.metadata.annotations ?? {}))
      if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
    // getDeploymentPatch: a JSON patch replacing the template and the annotations whole.
    const patch = [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ];
    const r = yield* patchObject(inv, t, patch, strategy === 'server', 'json');
    if (!r.ok) {
      errors.push(textError(`failed restoring revision ${toRevision}: ${r.error}`));
      continue;
    }
    printer.print(t.object!, name, `rolled back${dryRunSuffix(strategy)}`);
  }
  return reportCommandErrors(inv.err, errors);
}

export const rolloutHistoryCommand: CommandSpec = {
  name: 'history',
  short: 'View rollout history',
  flags: [
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    ...ROLLOUT_FILE_FLAGS,
    OUTPUT_FLAG,
    {
      name: 'revision',
      type: 'int',
      defaultValue: '0',
      usage: 'See the details, including podTemplate of the revision specified',
    },
    SELECTOR_FLAG,
    SHOW_MANAGED_FIELDS_FLAG,
    TEMPLATE_FLAG,
  ],
  help: {
    long: 'View previous rollout revisions and configurations.',
    examples: [
      '  # View the rollout history of a deployment',
      '  kubectl rollout history deployment/abc',
      '  ',
      '  # View the details of daemonset revision 3',
      '  kubectl rollout history daemonset/abc --revision=3',
    ].join('\n'),
    usage: 'kubectl rollout history (TYPE NAME | TYPE/NAME) [flags] [options]',
  },
  run: runHistory,
};

export const rolloutUndoCommand: CommandSpec = {
  name: 'undo',
  short: 'Undo a previous rollout',
  flags: [
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    DRY_RUN_FLAG,
    ...ROLLOUT_FILE_FLAGS,
    OUTPUT_FLAG,
    SELECTOR_FLAG,
    SHOW_MANAGED_FIELDS_FLAG,
    TEMPLATE_FLAG,
    {
      name: 'to-revision',
      type: 'int',
      defaultValue: '0',
      usage: 'The revision to rollback to. Default to 0 (last revision).',
    },
  ],
  help: {
    long: 'Roll back to a previous rollout.',
    examples: [
      '  # Roll back to the previous deployment',
      '  kubectl rollout undo deployment/abc',
      '  ',
      '  # Roll back to daemonset revision 3',
      '  kubectl rollout undo daemonset/abc --to-revision=3',
      '  ',
      '  # Roll back to the previous deployment with dry-run',
      '  kubectl rollout undo --dry-run=server deployment/abc',
    ].join('\n'),
    usage: 'kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]',
  },
  run: runUndo,
};
