import type { CronJobObject, JobObject, SecretObject } from '../api/batchTypes';
import type { KubeObject, PodSpec } from '../api/types';

/**
 * Defaulting (pkg/apis/batch/v1/defaults.go, pkg/apis/core/v1/defaults.go) and the create
 * strategies' additions for Jobs, CronJobs and Secrets.
 */
type PodSpecDefaults = (spec: PodSpec) => PodSpec;

export const JOB_CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';

/** A batch or secret object with its defaults, or undefined for other kinds. */
export function batchWithDefaults(obj: KubeObject, podSpec: PodSpecDefaults): KubeObject | undefined {
  if (obj.kind === 'Job') return jobWithDefaults(obj as JobObject, podSpec);
  if (obj.kind === 'CronJob') return cronJobWithDefaults(obj as CronJobObject, podSpec);
  if (obj.kind === 'Secret') return secretWithDefaults(obj as SecretObject);
  return undefined;
}

/**
 * SetDefaults_Job, and on create the generated selector (the Job's uid) and the labels it puts
 * on the pod template; the Job itself takes the template's labels when it has none.
 */
function jobWithDefaults(job: JobObject, podSpec: PodSpecDefaults): JobObject {
  const spec = job.spec ?? ({} as JobObject['spec']);
  const uid = job.metadata.uid ?? '';
  const manual = spec.manualSelector === true;
  const generated =
    !manual && !spec.selector
      ? {
          [JOB_CONTROLLER_UID_LABEL]: uid,
          [JOB_NAME_LABEL]: job.metadata.name,
          'controller-uid': uid,
          'job-name': job.metadata.name,
        }
      : undefined;
  const templateLabels = generated
    ? { ...spec.template?.metadata?.labels, ...generated }
    : spec.template?.metadata?.labels;
  const template = {
    ...spec.template,
    metadata: { ...spec.template?.metadata, ...(templateLabels ? { labels: templateLabels } : {}) },
    spec: podSpec(spec.template?.spec ?? { containers: [] }),
  };
  const bothUnset = spec.completions === undefined && spec.parallelism === undefined;
  const labels =
    job.metadata.labels && Object.keys(job.metadata.labels).length > 0 ? job.metadata.labels : templateLabels;
  return {
    ...job,
    metadata: { ...job.metadata, ...(labels ? { labels } : {}) },
    spec: {
      ...spec,
      parallelism: spec.parallelism ?? 1,
      ...(bothUnset ? { completions: 1 } : {}),
      backoffLimit: spec.backoffLimit ?? 6,
      completionMode: spec.completionMode ?? 'NonIndexed',
      suspend: spec.suspend ?? false,
      podReplacementPolicy: spec.podReplacementPolicy ?? 'TerminatingOrFailed',
      manualSelector: spec.manualSelector ?? false,
      ...(generated ? { selector: { matchLabels: { [JOB_CONTROLLER_UID_LABEL]: uid } } } : {}),
      template,
    },
    status: job.status ?? {},
  };
}

/** SetDefaults_CronJob; the pod template inside the job template gets the pod spec defaults. */
function cronJobWithDefaults(cj: CronJobObject, podSpec: PodSpecDefaults): CronJobObject {
  const spec = cj.spec;
  const jobSpec = spec?.jobTemplate?.spec;
  return {
    ...cj,
    spec: {
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      ...spec,
      jobTemplate: {
        ...spec?.jobTemplate,
        spec: {
          ...jobSpec,
          template: { ...jobSpec?.template, spec: podSpec(jobSpec?.template?.spec ?? { containers: [] }) },
        },
      },
    },
    status: cj.status ?? {},
  };
}

/** Secrets default to type Opaque; stringData is written into data (base64) and dropped. */
function secretWithDefaults(secret: SecretObject): SecretObject {
  const { stringData, ...rest } = secret;
  const data = stringData
    ? {
        ...secret.data,
        ...Object.fromEntries(Object.entries(stringData).map(([k, v]) => [k, base64(v)])),
      }
    : secret.data;
  return { ...rest, ...(data ? { data } : {}), type: secret.type || 'Opaque' };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (with padding) of a string's UTF-8 bytes. */
export function base64(text: string): string {
  const bytes: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i] as number, bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]!;
    out += b === undefined ? '=' : B64[(n >> 6) & 63]!;
    out += c === undefined ? '=' : B64[n & 63]!;
  }
  return out;
}
