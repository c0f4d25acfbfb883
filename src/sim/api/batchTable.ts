import type { ConfigMapObject, CronJobObject, JobObject, SecretObject } from './batchTypes';
import { humanDuration } from './duration';
import type { KubeObject, LabelSelector } from './types';

/**
 * Server-side Table printers (pkg/printers/internalversion) of ConfigMaps, Secrets, Jobs and
 * CronJobs. `ageOf` and the selector formatter come from table.ts, which merges these in.
 */
type Column = readonly [
  name: string,
  type: 'string' | 'integer' | 'date',
  priority: 0 | 1,
  description: string,
];
interface Printer {
  readonly columns: readonly Column[];
  readonly cells: (obj: KubeObject, nowMs: number) => (string | number)[];
}

type Helpers = {
  readonly ageOf: (timestamp: string | undefined, nowMs: number) => string;
  readonly formatLabelSelector: (selector: LabelSelector | undefined) => string;
  readonly epochUnixMs: number;
};

const NAME: Column = ['Name', 'string', 0, 'Name must be unique within a namespace.'];
const AGE: Column = [
  'Age',
  'string',
  0,
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
];
const CONTAINERS: Column = ['Containers', 'string', 1, 'Names of each container in the template.'];
const IMAGES: Column = ['Images', 'string', 1, 'Images referenced by each container in the template.'];
const SELECTOR: Column = [
  'Selector',
  'string',
  1,
  'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
];

function containerCells(
  containers: readonly { name: string; image: string }[] | undefined,
): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image).join(',')];
}

const count = (m: Readonly<Record<string, unknown>> | undefined): number => Object.keys(m ?? {}).length;

/** printJob's STATUS: the first of these conditions that holds. */
function jobStatus(job: JobObject): string {
  const has = (type: string): boolean =>
    (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobCompletions(job: JobObject): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec.completions !== undefined) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function batchPrinters(h: Helpers): Record<string, Printer> {
  const since = (t: string | undefined, now: number): string => h.ageOf(t, now);
  const duration = (job: JobObject, now: number): string => {
    const start = job.status?.startTime;
    if (!start) return '';
    const end = job.status?.completionTime;
    const endMs = end ? Date.parse(end) : h.epochUnixMs + now;
    return humanDuration(endMs - Date.parse(start));
  };
  return {
    configmaps: {
      columns: [NAME, ['Data', 'integer', 0, 'Number of data in the config map.'], AGE],
      cells: (obj, now) => {
        const cm = obj as ConfigMapObject;
        return [
          cm.metadata.name,
          count(cm.data) + count(cm.binaryData),
          since(cm.metadata.creationTimestamp, now),
        ];
      },
    },
    secrets: {
      columns: [
        NAME,
        ['Type', 'string', 0, 'Used to facilitate programmatic handling of secret data.'],
        ['Data', 'integer', 0, 'Number of data in the secret.'],
        AGE,
      ],
      cells: (obj, now) => {
        const s = obj as SecretObject;
        return [s.metadata.name, s.type ?? '', count(s.data), since(s.metadata.creationTimestamp, now)];
      },
    },
    jobs: {
      columns: [
        NAME,
        ['Status', 'string', 0, 'Status of the job.'],
        [
          'Completions',
          'string',
          0,
          'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.',
        ],
        ['Duration', 'string', 0, 'Time required to complete the job.'],
        AGE,
        CONTAINERS,
        IMAGES,
        SELECTOR,
      ],
      cells: (obj, now) => {
        const job = obj as JobObject;
        const [names, images] = containerCells(job.spec?.template?.spec?.containers);
        return [
          job.metadata.name,
          jobStatus(job),
          jobCompletions(job),
          duration(job, now),
          since(job.metadata.creationTimestamp, now),
          names,
          images,
          h.formatLabelSelector(job.spec?.selector),
        ];
      },
    },
    cronjobs: {
      columns: [
        NAME,
        ['Schedule', 'string', 0, 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'],
        [
          'Timezone',
          'string',
          0,
          'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones',
        ],
        [
          'Suspend',
          'string',
          0,
          'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.',
        ],
        ['Active', 'integer', 0, 'A list of pointers to currently running jobs.'],
        [
          'Last Schedule',
          'string',
          0,
          'Information when was the last time the job was successfully scheduled.',
        ],
        AGE,
        CONTAINERS,
        IMAGES,
        SELECTOR,
      ],
      cells: (obj, now) => {
        const cj = obj as CronJobObject;
        const [names, images] = containerCells(cj.spec?.jobTemplate?.spec?.template?.spec?.containers);
        const last = cj.status?.lastScheduleTime;
        return [
          cj.metadata.name,
          cj.spec?.schedule ?? '',
          cj.spec?.timeZone ?? '<none>',
          cj.spec?.suspend === undefined ? '<unset>' : String(cj.spec.suspend),
          cj.status?.active?.length ?? 0,
          last ? since(last, now) : '<none>',
          since(cj.metadata.creationTimestamp, now),
          names,
          images,
          h.formatLabelSelector(cj.spec?.jobTemplate?.spec?.selector),
        ];
      },
    },
  };
}
