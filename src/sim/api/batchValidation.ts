import { isKnownTimeZone, parseCron } from './cron';

/**
 * ValidateJobSpec and ValidateCronJobSpec (pkg/apis/batch/validation), the parts a learner can
 * trip over: a Job's pods may not restart Always, counts and durations may not be negative, an
 * Indexed Job needs completions, a CronJob needs a schedule cron can parse (robfig/cron's error
 * text is passed through) and a time zone Go's time.LoadLocation knows.
 */
type FieldError = { field: string; message: string };

/** The largest parallelism of an Indexed Job (maxParallelismForIndexedJob). */
const MAX_PARALLELISM_INDEXED = 100_000;

const nonNegative = (path: string, v: unknown): FieldError[] =>
  typeof v === 'number' && v < 0
    ? [{ field: path, message: `Invalid value: ${v}: must be greater than or equal to 0` }]
    : [];

function jobSpecErrors(spec: unknown, path: string): FieldError[] {
  const s = (spec ?? {}) as {
    parallelism?: unknown;
    completions?: unknown;
    activeDeadlineSeconds?: unknown;
    backoffLimit?: unknown;
    ttlSecondsAfterFinished?: unknown;
    completionMode?: unknown;
    template?: { spec?: { restartPolicy?: string } };
  };
  const errors: FieldError[] = [];
  for (const field of [
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'backoffLimit',
    'ttlSecondsAfterFinished',
  ] as const)
    errors.push(...nonNegative(`${path}.${field}`, s[field]));
  if (s.completionMode !== undefined) {
    if (s.completionMode !== 'NonIndexed' && s.completionMode !== 'Indexed')
      errors.push({
        field: `${path}.completionMode`,
        message: `Unsupported value: ${JSON.stringify(s.completionMode)}: supported values: "NonIndexed", "Indexed"`,
      });
    if (s.completionMode === 'Indexed') {
      if (s.completions === undefined)
        errors.push({
          field: `${path}.completions`,
          message: 'Required value: when completion mode is Indexed',
        });
      if (typeof s.parallelism === 'number' && s.parallelism > MAX_PARALLELISM_INDEXED)
        errors.push({
          field: `${path}.parallelism`,
          message: `Invalid value: ${s.parallelism}: must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`,
        });
    }
  }
  const policy = s.template?.spec?.restartPolicy ?? '';
  if (policy === 'Always' || policy === '')
    errors.push({
      field: `${path}.template.spec.restartPolicy`,
      message: 'Required value: valid values: "OnFailure", "Never"',
    });
  else if (policy !== 'OnFailure' && policy !== 'Never')
    errors.push({
      field: `${path}.template.spec.restartPolicy`,
      message: `Unsupported value: ${JSON.stringify(policy)}: supported values: "OnFailure", "Never"`,
    });
  return errors;
}

/** validateTimeZone: a non-empty IANA name, not `Local`. */
function timeZoneErrors(zone: unknown): FieldError[] {
  if (zone === undefined || zone === null) return [];
  const field = 'spec.timeZone';
  const z = String(zone);
  const invalid = (message: string): FieldError => ({
    field,
    message: `Invalid value: ${JSON.stringify(z)}: ${message}`,
  });
  if (z === '') return [invalid('timeZone must be nil or non-empty string')];
  for (const part of z.split('/'))
    if (part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part))
      return [invalid(`unknown time zone ${z}`)];
  const errors: FieldError[] = [];
  if (z.toLowerCase() === 'local')
    errors.push(
      invalid('timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'),
    );
  if (!isKnownTimeZone(z)) errors.push(invalid(`unknown time zone ${z}`));
  return errors;
}

export function validateBatch(kind: string, obj: { spec?: unknown }): FieldError[] {
  if (kind === 'Job') return jobSpecErrors(obj.spec, 'spec');
  if (kind !== 'CronJob') return [];
  const spec = (obj.spec ?? {}) as {
    schedule?: unknown;
    timeZone?: unknown;
    startingDeadlineSeconds?: unknown;
    concurrencyPolicy?: unknown;
    successfulJobsHistoryLimit?: unknown;
    failedJobsHistoryLimit?: unknown;
    jobTemplate?: { spec?: unknown };
  };
  const errors: FieldError[] = [];
  const schedule = typeof spec.schedule === 'string' ? spec.schedule : '';
  if (schedule === '') errors.push({ field: 'spec.schedule', message: 'Required value' });
  else {
    const parsed = parseCron(schedule);
    if ('error' in parsed)
      errors.push({
        field: 'spec.schedule',
        message: `Invalid value: ${JSON.stringify(schedule)}: ${parsed.error}`,
      });
    if (schedule.includes('TZ'))
      errors.push({
        field: 'spec.schedule',
        message: `Invalid value: ${JSON.stringify(schedule)}: cannot use TZ or CRON_TZ in schedule, use timeZone field instead`,
      });
  }
  errors.push(...nonNegative('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds));
  errors.push(...timeZoneErrors(spec.timeZone));
  const policy = spec.concurrencyPolicy;
  if (policy !== undefined && policy !== 'Allow' && policy !== 'Forbid' && policy !== 'Replace')
    errors.push(
      policy === ''
        ? { field: 'spec.concurrencyPolicy', message: 'Required value' }
        : {
            field: 'spec.concurrencyPolicy',
            message: `Unsupported value: ${JSON.stringify(policy)}: supported values: "Allow", "Forbid", "Replace"`,
          },
    );
  errors.push(...jobSpecErrors(spec.jobTemplate?.spec, 'spec.jobTemplate.spec'));
  errors.push(...nonNegative('spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit));
  errors.push(...nonNegative('spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit));
  return errors;
}
