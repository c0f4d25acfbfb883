import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import { errorExit, outputFormatError, PRINT_FLAGS_FORMATS } from '../cli/common';
import { kindPrefix } from '../cli/discovery';
import { type DryRunStrategy, dryRunStrategy, dryRunSuffix } from '../cli/dryRun';
import { call, type Invocation } from '../cli/invocation';
import { LAST_APPLIED, withApplyAnnotation } from '../cli/lastApplied';
import {
  isObject,
  type ManifestObject,
  objectUrl,
  readManifests,
  validationDirective,
} from '../cli/manifests';
import { reportVisitErrors, type VisitError, withSource } from '../cli/visitErrors';
import { flagBool, flagString } from '../flags';
import { toGoJson } from '../print/json';
import { toYaml } from '../print/yaml';

/**
 * `kubectl create -f` and `kubectl replace -f`: every object of the manifests is POSTed (create)
 * or PUT over the live one (replace, after a GET for its resourceVersion), and printed as it
 * goes (`deployment.apps/web created`, `-o yaml` documents separated by `---`). Failures carry
 * their file (`error when creating "x.yaml": ...`) and do not stop the others; what reading the
 * files met is reported after them.
 */

type Obj = Record<string, unknown>;

/** PrintObj for create and replace: the name printer, or YAML / JSON of each object. */
class Printer {
  private count = 0;

  constructor(
    private readonly inv: Invocation,
    private readonly output: string,
    private readonly operation: string,
  ) {}

  print(o: ManifestObject, obj: Obj): VisitError | undefined {
    if (this.output !== '' && this.output !== 'name') {
      const e = outputFormatError(
        this.output,
        PRINT_FLAGS_FORMATS,
        flagString(this.inv.flags, 'template') ?? '',
      );
      if (e) return { kind: 'text', text: e };
    }
    this.count++;
    const name = `${kindPrefix(o.info)}/${o.name}`;
    if (this.output === 'yaml') this.inv.out(`${this.count > 1 ? '---\n' : ''}${toYaml(obj)}`);
    else if (this.output === 'json') this.inv.out(`${toGoJson(obj)}\n`);
    else if (this.output === 'name') this.inv.out(`${name}\n`);
    else this.inv.out(`${name} ${this.operation}\n`);
    return undefined;
  }
}

/** CreateOrUpdateAnnotation: --save-config writes the annotation; otherwise it is refreshed only if the file has one. */
function annotate(inv: Invocation, obj: Obj): Obj {
  const meta = (obj.metadata ?? {}) as { annotations?: Record<string, string> };
  if (flagBool(inv.flags, 'save-config') || meta.annotations?.[LAST_APPLIED] !== undefined)
    return withApplyAnnotation(obj);
  return obj;
}

export function* runFromFiles(inv: Invocation, verb: 'create' | 'replace'): Task<number> {
  const strategy: DryRunStrategy | { error: string } = dryRunStrategy(inv);
  if (typeof strategy === 'object') return errorExit(inv, strategy.error);
  const validation = validationDirective(inv);
  if (typeof validation === 'object') return errorExit(inv, validation.error);
  const output = flagString(inv.flags, 'output') ?? '';
  // The printer is made (and -o checked) before anything is read.
  if (output !== '' && output !== 'name') {
    const e = outputFormatError(output, PRINT_FLAGS_FORMATS, flagString(inv.flags, 'template') ?? '');
    if (e) return errorExit(inv, e);
  }
  const read = yield* readManifests(inv, { validate: validation !== 'ignore' });
  if (!read.ok) return reportVisitErrors(inv.err, read.errors);
  const printer = new Printer(
    inv,
    output,
    `${verb === 'create' ? 'created' : 'replaced'}${dryRunSuffix(strategy)}`,
  );
  const errors: VisitError[] = [];
  let count = 0;
  for (const entry of read.entries) {
    if (!isObject(entry)) {
      errors.push(entry);
      continue;
    }
    const r =
      verb === 'create' ? yield* createOne(inv, entry, strategy) : yield* replaceOne(inv, entry, strategy);
    if ('error' in r) {
      errors.push(r.error);
      continue;
    }
    count++;
    const printError = printer.print(entry, r.object);
    if (printError) errors.push(printError);
  }
  errors.push(...read.readErrors);
  if (errors.length > 0) return reportVisitErrors(inv.err, errors);
  // (replace says nothing when there was nothing to replace.)
  if (count === 0 && verb === 'create') return errorExit(inv, 'no objects passed to create');
  return 0;
}

function* createOne(
  inv: Invocation,
  o: ManifestObject,
  strategy: DryRunStrategy,
): Task<{ object: Obj } | { error: VisitError }> {
  const object = annotate(inv, o.object);
  if (strategy === 'client') return { object };
  const r = yield* call<KubeObject>(inv, {
    verb: 'create',
    resource: o.info.resource,
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
    body: object as unknown as KubeObject,
    ...(strategy === 'server' ? { dryRun: true } : {}),
  });
  if (!r.ok)
    return {
      error: withSource(r.failure, 'creating', o.source, {
        method: 'Post',
        url: `${objectUrl(o, false)}?fieldManager=kubectl-create&fieldValidation=Strict`,
      }),
    };
  return { object: r.body as unknown as Obj };
}

/** Helper.Replace: the live object's resourceVersion (when the file has none), then a PUT. */
function* replaceOne(
  inv: Invocation,
  o: ManifestObject,
  strategy: DryRunStrategy,
): Task<{ object: Obj } | { error: VisitError }> {
  let object = annotate(inv, o.object);
  if (strategy === 'client') return { object };
  const ns = o.namespace !== undefined ? { namespace: o.namespace } : {};
  const meta = (object.metadata ?? {}) as { resourceVersion?: string };
  if (!meta.resourceVersion) {
    const got = yield* call<KubeObject>(inv, { verb: 'get', resource: o.info.resource, name: o.name, ...ns });
    const rv = got.ok ? got.body.metadata.resourceVersion : undefined;
    if (rv) object = { ...object, metadata: { ...(object.metadata as Obj), resourceVersion: rv } };
  }
  const r = yield* call<KubeObject>(inv, {
    verb: 'update',
    resource: o.info.resource,
    name: o.name,
    ...ns,
    body: object as unknown as KubeObject,
    ...(strategy === 'server' ? { dryRun: true } : {}),
  });
  if (!r.ok)
    return {
      error: withSource(r.failure, 'replacing', o.source, {
        method: 'Put',
        url: `${objectUrl(o)}?fieldManager=kubectl-replace&fieldValidation=Strict`,
      }),
    };
  return { object: r.body as unknown as Obj };
}
