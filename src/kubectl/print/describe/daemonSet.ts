import { formatLabels } from '../../../sim/api/labels';
import { labelSelectorString } from '../../../sim/api/table';
import type { DaemonSetObject } from '../../../sim/api/types';
import { type EventsSection, writeEvents } from './events';
import { describePodTemplate } from './pod';
import { PrefixWriter, printAnnotationsMultiline, printLabelsMultiline } from './prefixWriter';
import type { PodPhaseCounts } from './workload';

/**
 * describeDaemonSet as kubectl v1.32 prints it: no Namespace line, and the five node counts
 * written without a tab, so they stay out of the aligned columns.
 */
export function describeDaemonSet(ds: DaemonSetObject, pods: PodPhaseCounts, events: EventsSection): string {
  const w = new PrefixWriter();
  const status = ds.status;
  w.write(0, `Name:\t${ds.metadata.name}\n`);
  w.write(0, `Selector:\t${labelSelectorString(ds.spec?.selector)}\n`);
  w.write(0, `Node-Selector:\t${formatLabels(ds.spec?.template?.spec?.nodeSelector) || '<none>'}\n`);
  printLabelsMultiline(w, 'Labels', ds.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', ds.metadata.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${status?.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${status?.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${status?.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${status?.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${status?.numberMisscheduled ?? 0}\n`);
  w.write(
    0,
    `Pods Status:\t${pods.running} Running / ${pods.waiting} Waiting / ${pods.succeeded} Succeeded / ${pods.failed} Failed\n`,
  );
  describePodTemplate(w, ds.spec?.template);
  writeEvents(w, events);
  return w.text();
}
