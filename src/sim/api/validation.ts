/** apimachinery's name validators, with their exact messages (they reach the user verbatim). */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function validateDns1123Label(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(value))
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  return undefined;
}

export function validateDns1123Subdomain(value: string): string | undefined {
  if (value.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(value))
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  return undefined;
}

/** A field error as `field.ErrorList` prints one: `metadata.name: Invalid value: "Foo": <detail>`. */
export function invalidValue(
  field: string,
  value: string,
  detail: string,
): { field: string; message: string } {
  return { field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` };
}

type FieldError = { field: string; message: string };
const required = (field: string): FieldError => ({ field, message: 'Required value' });

function validatePodSpec(spec: unknown, path: string): FieldError[] {
  const s = spec as { containers?: unknown } | undefined;
  if (!s || typeof s !== 'object') return [required(`${path}.containers`)];
  if (!Array.isArray(s.containers) || s.containers.length === 0) return [required(`${path}.containers`)];
  const errors: FieldError[] = [];
  s.containers.forEach((c: { name?: unknown; image?: unknown } | null, i: number) => {
    const at = `${path}.containers[${i}]`;
    if (typeof c?.name !== 'string' || c.name === '') errors.push(required(`${at}.name`));
    else {
      const bad = validateDns1123Label(c.name);
      if (bad) errors.push(invalidValue(`${at}.name`, c.name, bad));
    }
    if (typeof c?.image !== 'string' || c.image.trim() === '') errors.push(required(`${at}.image`));
  });
  return errors;
}

function validateServiceSpec(spec: unknown): FieldError[] {
  const s = spec as { type?: string; ports?: { port?: unknown }[] } | undefined;
  if (s?.type === 'ExternalName') return [];
  if (!s?.ports || s.ports.length === 0) return [required('spec.ports')];
  return s.ports.flatMap((p, i) =>
    typeof p?.port === 'number' && p.port >= 1 && p.port <= 65535
      ? []
      : [
          {
            field: `spec.ports[${i}].port`,
            message: `Invalid value: ${JSON.stringify(p?.port ?? 0)}: must be between 1 and 65535, inclusive`,
          },
        ],
  );
}

/**
 * The spec checks of the workload kinds (a subset of the validation in pkg/apis/core and pkg/apis/apps), so a malformed
 * object is refused with the real field paths instead of reaching the controllers.
 */
export function validateWorkload(kind: string, obj: { spec?: unknown }): FieldError[] {
  if (kind === 'Pod') return validatePodSpec(obj.spec, 'spec');
  if (kind === 'Service') return validateServiceSpec(obj.spec);
  if (kind !== 'Deployment' && kind !== 'ReplicaSet') return [];
  const spec = obj.spec as
    | {
        replicas?: unknown;
        selector?: { matchLabels?: Record<string, string> };
        template?: { metadata?: { labels?: Record<string, string> }; spec?: unknown };
      }
    | undefined;
  const errors: FieldError[] = [];
  if (spec?.replicas !== undefined && (typeof spec.replicas !== 'number' || spec.replicas < 0)) {
    errors.push({
      field: 'spec.replicas',
      message: `Invalid value: ${JSON.stringify(spec.replicas)}: must be greater than or equal to 0`,
    });
  }
  const selector = spec?.selector?.matchLabels;
  if (!selector || Object.keys(selector).length === 0) errors.push(required('spec.selector'));
  const labels = spec?.template?.metadata?.labels ?? {};
  if (
    selector &&
    Object.keys(selector).length > 0 &&
    Object.entries(selector).some(([k, v]) => labels[k] !== v)
  ) {
    const shown = Object.entries(labels)
      .map(([k, v]) => `"${k}":"${v}"`)
      .join(',');
    errors.push({
      field: 'spec.template.metadata.labels',
      message: `Invalid value: map[string]string{${shown}}: \`selector\` does not match template \`labels\``,
    });
  }
  return [...errors, ...validatePodSpec(spec?.template?.spec, 'spec.template.spec')];
}
