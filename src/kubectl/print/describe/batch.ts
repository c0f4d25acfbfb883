import type { CronJobObject, JobObject, JobSpec } from '../../../sim/api/batchTypes';
import { humanDuration } from '../../../sim/api/duration';
import { labelSelectorString } from '../../../sim/api/table';
import { rfc1123z } from '../time';
import { type EventsSection, writeEvents } from './events';
import { controllerOf, describePodTemplate } from './pod';
import { PrefixWriter, printAnnotationsMultiline, printLabelsMultiline } from './prefixWriter';

/** describeJob: spec counts, timing, the pods' tally and the pod template. */
export function describeJob(job: JobObject, events: EventsSection): string {
  const w = new PrefixWriter();
  const spec = job.spec;
  const status = job.status ?? {};
  w.write(0, `Name:\t${job.metadata.name}\n`);
  w.write(0, `Namespace:\t${job.metadata.namespace ?? ''}\n`);
  w.write(0, `Selector:\t${labelSelectorString(spec?.selector)}\n`);
  printLabelsMultiline(w, 'Labels', job.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', job.metadata.annotations);
  const controlledBy = controllerOf(job.metadata);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  if (spec?.parallelism !== undefined) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${spec?.completions ?? '<unset>'}\n`);
  if (spec?.completionMode !== undefined) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec?.suspend !== undefined) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (spec?.backoffLimit !== undefined) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec?.ttlSecondsAfterFinished !== undefined)
    w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  if (status.completionTime) w.write(0, `Completed At:\t${rfc1123z(status.completionTime)}\n`);
  if (status.startTime && status.completionTime)
    w.write(
      0,
      `Duration:\t${humanDuration(Date.parse(status.completionTime) - Date.parse(status.startTime))}\n`,
    );
  if (spec?.activeDeadlineSeconds !== undefined)
    w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  const tally = `${status.succeeded ?? 0} Succeeded / ${status.failed ?? 0} Failed`;
  const active =
    status.ready === undefined
      ? `${status.active ?? 0} Active`
      : `${status.active ?? 0} Active (${status.ready} Ready)`;
  w.write(0, `Pods Statuses:\t${active} / ${tally}\n`);
  if (spec?.completionMode === 'Indexed') {
    const completed = (status as { completedIndexes?: string }).completedIndexes ?? '';
    w.write(0, `Completed Indexes:\t${capIndexesListOrNone(completed, 50)}\n`);
  }
  describePodTemplate(w, spec?.template);
  writeEvents(w, events);
  return w.text();
}

/** A long `1,3-5,7` list cut at the first comma past `softLimit` characters, with `...`. */
function capIndexesListOrNone(indexes: string, softLimit: number): string {
  if (indexes === '') return '<none>';
  const comma = indexes.indexOf(',', softLimit);
  return comma < 0 ? indexes : `${indexes.slice(0, comma + 1)}...`;
}

/** printBoolPtr: `True`, `False` or `<unset>`. */
function boolPtr(v: boolean | undefined): string {
  return v === undefined ? '<unset>' : v ? 'True' : 'False';
}

/** describeCronJob: schedule and history limits, the job template, the last run and the active jobs. */
export function describeCronJob(cj: CronJobObject, events: EventsSection): string {
  const w = new PrefixWriter();
  const spec = cj.spec;
  const unset = (v: number | undefined, unit = ''): string => (v === undefined ? '<unset>' : `${v}${unit}`);
  w.write(0, `Name:\t${cj.metadata.name}\n`);
  w.write(0, `Namespace:\t${cj.metadata.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', cj.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', cj.metadata.annotations);
  w.write(0, `Schedule:\t${spec?.schedule ?? ''}\n`);
  w.write(0, `Concurrency Policy:\t${spec?.concurrencyPolicy ?? ''}\n`);
  w.write(0, `Suspend:\t${boolPtr(spec?.suspend)}\n`);
  w.write(0, `Successful Job History Limit:\t${unset(spec?.successfulJobsHistoryLimit)}\n`);
  w.write(0, `Failed Job History Limit:\t${unset(spec?.failedJobsHistoryLimit)}\n`);
  w.write(0, `Starting Deadline Seconds:\t${unset(spec?.startingDeadlineSeconds, 's')}\n`);
  describeJobTemplate(w, spec?.jobTemplate?.spec);
  const last = cj.status?.lastScheduleTime;
  w.write(0, `Last Schedule Time:\t${last ? rfc1123z(last) : '<unset>'}\n`);
  const active = cj.status?.active ?? [];
  w.write(0, `Active Jobs:\t${active.length === 0 ? '<none>' : active.map((j) => j.name).join(', ')}\n`);
  writeEvents(w, events);
  return w.text();
}

function describeJobTemplate(w: PrefixWriter, spec: JobSpec | undefined): void {
  w.write(0, `Selector:\t${spec?.selector ? labelSelectorString(spec.selector) : '<unset>'}\n`);
  w.write(0, `Parallelism:\t${spec?.parallelism ?? '<unset>'}\n`);
  w.write(0, `Completions:\t${spec?.completions ?? '<unset>'}\n`);
  if (spec?.activeDeadlineSeconds !== undefined)
    w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  describePodTemplate(w, spec?.template);
}
