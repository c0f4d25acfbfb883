import { formatLabelSelector, labelSelectorString } from '../../../sim/api/table';
import type { DeploymentObject, ReplicaSetObject } from '../../../sim/api/types';
import { rfc1123z } from '../time';
import { type EventsSection, writeEvents } from './events';
import { controllerOf, describePodTemplate } from './pod';
import { PrefixWriter, printAnnotationsMultiline, printLabelsMultiline } from './prefixWriter';

/** Pods a controller owns, counted by phase (getPodStatusForController). */
export interface PodPhaseCounts {
  readonly running: number;
  readonly waiting: number;
  readonly succeeded: number;
  readonly failed: number;
}

export function countPodPhases(
  pods: readonly {
    readonly metadata: { readonly ownerReferences?: readonly { uid: string; controller?: boolean }[] };
    readonly status?: { readonly phase?: string };
  }[],
  ownerUid: string | undefined,
): PodPhaseCounts {
  const counts = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  for (const p of pods) {
    const ref = p.metadata.ownerReferences?.find((r) => r.controller === true);
    if (!ref || ref.uid !== ownerUid) continue;
    switch (p.status?.phase) {
      case 'Running':
        counts.running++;
        break;
      case 'Pending':
        counts.waiting++;
        break;
      case 'Succeeded':
        counts.succeeded++;
        break;
      case 'Failed':
        counts.failed++;
        break;
    }
  }
  return counts;
}

/** describeReplicaSet. `pods` is the phase count, or the error text of listing the pods. */
export function describeReplicaSet(
  rs: ReplicaSetObject,
  pods: PodPhaseCounts | { readonly error: string },
  events: EventsSection,
): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace ?? ''}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
  printLabelsMultiline(w, 'Labels', rs.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', rs.metadata.annotations);
  const controlledBy = controllerOf(rs.metadata);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired\n`);
  w.write(0, 'Pods Status:\t');
  if ('error' in pods) w.write(0, `error in fetching pods: ${pods.error}\n`);
  else
    w.write(
      0,
      `${pods.running} Running / ${pods.waiting} Waiting / ${pods.succeeded} Succeeded / ${pods.failed} Failed\n`,
    );
  describePodTemplate(w, rs.spec?.template);
  const conditions = (rs.status as { conditions?: { type: string; status: string; reason?: string }[] })
    ?.conditions;
  if (conditions && conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  writeEvents(w, events);
  return w.text();
}

/** intstr's String(): a number or a percentage as written; `<nil>` when unset. */
function intOrString(v: number | string | undefined): string {
  return v === undefined ? '<nil>' : String(v);
}

/** describeDeployment, with the ReplicaSets the Deployment owns split into old and new. */
export function describeDeployment(
  d: DeploymentObject,
  oldRSs: readonly ReplicaSetObject[],
  newRS: ReplicaSetObject | undefined,
  events: EventsSection,
): string {
  const w = new PrefixWriter();
  const spec = d.spec;
  const status = d.status ?? {};
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace ?? ''}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp ?? '')}\n`);
  printLabelsMultiline(w, 'Labels', d.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', d.metadata.annotations);
  w.write(0, `Selector:\t${labelSelectorString(spec?.selector)}\n`);
  w.write(
    0,
    `Replicas:\t${spec?.replicas ?? 1} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`,
  );
  w.write(0, `StrategyType:\t${spec?.strategy?.type ?? ''}\n`);
  w.write(0, `MinReadySeconds:\t${spec?.minReadySeconds ?? 0}\n`);
  const ru = spec?.strategy?.rollingUpdate;
  if (ru)
    w.write(
      0,
      `RollingUpdateStrategy:\t${intOrString(ru.maxUnavailable)} max unavailable, ${intOrString(ru.maxSurge)} max surge\n`,
    );
  describePodTemplate(w, spec?.template);
  if (status.conditions && status.conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of status.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason}\n`);
  }
  if (oldRSs.length > 0 || newRS) {
    w.write(0, `OldReplicaSets:\t${replicaSetList(oldRSs)}\n`);
    w.write(0, `NewReplicaSet:\t${replicaSetList(newRS ? [newRS] : [])}\n`);
  }
  writeEvents(w, events);
  return w.text();
}

function replicaSetList(list: readonly ReplicaSetObject[]): string {
  if (list.length === 0) return '<none>';
  return list
    .map(
      (rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 1} replicas created)`,
    )
    .join(', ');
}

/** JSON with sorted keys, for comparing pod templates. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** deploymentutil.EqualIgnoreHash: two pod templates equal but for the pod-template-hash label. */
export function equalIgnoreHash(
  a: ReplicaSetObject['spec']['template'] | undefined,
  b: ReplicaSetObject['spec']['template'] | undefined,
): boolean {
  return withoutHash(a) === withoutHash(b);
}

/** A pod template without its pod-template-hash label (deploymentutil.EqualIgnoreHash). */
function withoutHash(template: ReplicaSetObject['spec']['template'] | undefined): string {
  if (!template) return canonical(undefined);
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels['pod-template-hash'];
  const metadata = { ...template.metadata, labels };
  if (Object.keys(labels).length === 0) delete (metadata as { labels?: unknown }).labels;
  return canonical({ ...template, metadata });
}

/**
 * deploymentutil.GetAllReplicaSets: the ReplicaSets controlled by the Deployment, sorted by
 * creation time; the new one is the first whose template matches the Deployment's (ignoring the
 * pod-template-hash label); every other one is old.
 */
export function splitReplicaSets(
  d: DeploymentObject,
  all: readonly ReplicaSetObject[],
): { oldRSs: ReplicaSetObject[]; newRS: ReplicaSetObject | undefined } {
  const owned = all
    .filter((rs) =>
      rs.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === d.metadata.uid),
    )
    .sort((a, b) => {
      const ta = a.metadata.creationTimestamp ?? '';
      const tb = b.metadata.creationTimestamp ?? '';
      if (ta !== tb) return ta < tb ? -1 : 1;
      return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
    });
  const want = withoutHash(d.spec?.template);
  const newRS = owned.find((rs) => withoutHash(rs.spec?.template) === want);
  return { oldRSs: owned.filter((rs) => rs !== newRS), newRS };
}
