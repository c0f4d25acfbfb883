import { parseCron } from './cron';

/**
 * ValidateJobSpec and ValidateCronJobSpec (pkg/apis/batch/validation), the parts a learner can
 * trip over: a Job's pods may not restart Always, a CronJob needs a schedule cron can parse
 * (robfig/cron's error text is passed through), counts may not be negative.
 */
type FieldError = { field: string; message: string };

function jobSpecErrors(spec: unknown, path: string): FieldError[] {
  const s = (spec ?? {}) as {
    parallelism?: unknown;
    completions?: unknown;
    backoffLimit?: unknown;
    template?: { spec?: { restartPolicy?: string } };
  };
  const errors: FieldError[] = [];
  for (const field of ['parallelism', 'completions', 'backoffLimit'] as const) {
    const v = s[field];
    if (typeof v === 'number' && v < 0)
      errors.push({
        field: `${path}.${field}`,
        message: `Invalid value: ${v}: must be greater than or equal to 0`,
      });
  }
  const policy = s.template?.spec?.restartPolicy ?? 'Always';
  if (policy !== 'OnFailure' && policy !== 'Never')
    errors.push({
      field: `${path}.template.spec.restartPolicy`,
      message: `Unsupported value: ${JSON.stringify(policy)}: supported values: "OnFailure", "Never"`,
    });
  return errors;
}

export function validateBatch(kind: string, obj: { spec?: unknown }): FieldError[] {
  if (kind === 'Job') return jobSpecErrors(obj.spec, 'spec');
  if (kind !== 'CronJob') return [];
  const spec = (obj.spec ?? {}) as { schedule?: unknown; jobTemplate?: { spec?: unknown } };
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
  return [...errors, ...jobSpecErrors(spec.jobTemplate?.spec, 'spec.jobTemplate.spec')];
}
