import { validateBatch } from './batchValidation';

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
  const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
  const typeErrors: FieldError[] =
    s?.type !== undefined && !types.includes(s.type)
      ? [
          {
            field: 'spec.type',
            message: `Unsupported value: ${JSON.stringify(s.type)}: supported values: ${types.map((t) => `"${t}"`).join(', ')}`,
          },
        ]
      : [];
  if (s?.type === 'ExternalName') return [];
  if (!s?.ports || s.ports.length === 0) return [required('spec.ports'), ...typeErrors];
  return [...portErrors(s.ports), ...typeErrors];
}

function portErrors(ports: readonly { port?: unknown }[]): FieldError[] {
  return ports.flatMap((p, i) =>
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
  if (kind === 'Job' || kind === 'CronJob') return validateBatch(kind, obj);
  if (kind !== 'Deployment' && kind !== 'ReplicaSet' && kind !== 'DaemonSet') return [];
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
    const shown = goStringMap(labels);
    errors.push({
      field: 'spec.template.metadata.labels',
      message: `Invalid value: ${shown}: \`selector\` does not match template \`labels\``,
    });
  }
  return [...errors, ...validatePodSpec(spec?.template?.spec, 'spec.template.spec')];
}

/** Go's %#v of a map[string]string: keys sorted, `map[string]string{"a":"1", "b":"2"}`. */
export function goStringMap(m: Readonly<Record<string, string>>): string {
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/**
 * What an update may not change (ValidateDeploymentUpdate / ValidateReplicaSetUpdate): the
 * selector of a Deployment or ReplicaSet (apps/v1) is immutable.
 */
export function validateWorkloadUpdate(
  kind: string,
  next: { spec?: unknown },
  old: { spec?: unknown },
): FieldError[] {
  if (kind !== 'Deployment' && kind !== 'ReplicaSet' && kind !== 'DaemonSet') return [];
  type Sel = { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | undefined;
  const a = (next.spec as { selector?: Sel } | undefined)?.selector;
  const b = (old.spec as { selector?: Sel } | undefined)?.selector;
  if (a === b || JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))) return [];
  const labels = a?.matchLabels ? goStringMap(a.matchLabels) : 'map[string]string(nil)';
  const exprs = a?.matchExpressions?.length
    ? `[]v1.LabelSelectorRequirement{${a.matchExpressions
        .map((r) => {
          const x = r as { key?: string; operator?: string; values?: string[] };
          const values = x.values
            ? `[]string{${x.values.map((v) => JSON.stringify(v)).join(', ')}}`
            : '[]string(nil)';
          return `v1.LabelSelectorRequirement{Key:${JSON.stringify(x.key ?? '')}, Operator:${JSON.stringify(x.operator ?? '')}, Values:${values}}`;
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return [
    {
      field: 'spec.selector',
      message: `Invalid value: v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${exprs}}: field is immutable`,
    },
  ];
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
  );
}

/** The fields a pod update may change, as ValidatePodUpdate lists them. */
const UPDATABLE_POD_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/**
 * ValidatePodUpdate: a pod's spec is immutable but for the fields above (`next` already
 * defaulted). The real message goes on with a diff of the two specs, which is left out here.
 */
export function validatePodUpdate(next: { spec?: unknown }, old: { spec?: unknown }): FieldError[] {
  if (next.spec === old.spec) return [];
  type Spec = Record<string, unknown> & {
    containers?: Record<string, unknown>[];
    initContainers?: Record<string, unknown>[];
    tolerations?: unknown[];
  };
  const a = (next.spec ?? {}) as Spec;
  const b = (old.spec ?? {}) as Spec;
  const oldTolerations = (b.tolerations ?? []).map((t) => JSON.stringify(canonical(t)));
  const newTolerations = (a.tolerations ?? []).map((t) => JSON.stringify(canonical(t)));
  const onlyAdded = oldTolerations.every((t) => newTolerations.includes(t));
  const munge = (s: Spec, images: Spec): unknown => {
    const withImages = (
      list: Record<string, unknown>[] | undefined,
      from: Record<string, unknown>[] | undefined,
    ) => list?.map((c, i) => ({ ...c, image: from?.[i]?.image ?? c.image }));
    const { activeDeadlineSeconds: _a, terminationGracePeriodSeconds: _t, tolerations, ...rest } = s;
    return canonical({
      ...rest,
      ...(s.containers ? { containers: withImages(s.containers, images.containers) } : {}),
      ...(s.initContainers ? { initContainers: withImages(s.initContainers, images.initContainers) } : {}),
      ...(onlyAdded ? {} : { tolerations }),
    });
  };
  if (JSON.stringify(munge(a, b)) === JSON.stringify(munge(b, b))) return [];
  return [
    {
      field: 'spec',
      message: `Forbidden: pod updates may not change fields other than ${UPDATABLE_POD_FIELDS.join(',')}`,
    },
  ];
}
