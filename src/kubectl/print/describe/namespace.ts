import type { NamespaceObject } from '../../../sim/api/types';
import { rfc1123z } from '../time';
import { PrefixWriter, printAnnotationsMultiline, printLabelsMultiline } from './prefixWriter';

interface NamespaceCondition {
  readonly type: string;
  readonly status: string;
  readonly lastTransitionTime?: string;
  readonly reason?: string;
  readonly message?: string;
}

/**
 * describeNamespace. The quota and limit-range sections are printed as a cluster without any
 * ResourceQuota or LimitRange prints them.
 */
export function describeNamespace(ns: NamespaceObject): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ns.metadata.name}\n`);
  printLabelsMultiline(w, 'Labels', ns.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', ns.metadata.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? ''}\n`);
  const conditions = (ns.status as { conditions?: NamespaceCondition[] } | undefined)?.conditions ?? [];
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t------------------\t------\t-------\n');
    for (const c of conditions) {
      w.write(
        1,
        `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime ?? '')}\t${c.reason ?? ''}\t${c.message ?? ''}\n`,
      );
    }
  }
  w.write(0, '\n');
  w.write(0, 'No resource quota.\n');
  w.write(0, '\n');
  w.write(0, 'No LimitRange resource.\n');
  return w.text();
}
