import type { NodeObject, Taint } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import { buildInfos } from '../cli/builder';
import type { CommandSpec } from '../cli/command';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  DRY_RUN_FLAG,
  errorExit,
  fieldManagerFlag,
  ObjectPrinter,
  OUTPUT_FLAG,
  SELECTOR_FLAG,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
  usageError,
} from '../cli/common';
import { discover, mapResource } from '../cli/discovery';
import { dryRunStrategy } from '../cli/dryRun';
import { type CommandError, failureMessage, reportCommandErrors, textError } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import { createStrategicMergePatch } from '../cli/patch';
import { qualifiedNameErrors } from '../cli/validation';
import { flagBool, flagString } from '../flags';
import { labelValueErrors } from './label';

/**
 * `kubectl taint nodes NODE key=value:Effect | key:Effect- | key-`: adds, replaces (--overwrite)
 * or removes taints in spec.taints and patches the node: `node/worker-1 tainted` /
 * `untainted` / `modified`. New taints go first, the node's other taints keep their order.
 * Errors of one node do not stop the others (the builder's ContinueOnError); they are reported
 * together at the end. The messages carry no ` (dry run)` suffix: taint sets its operation after
 * the dry-run wrapping, so kubectl v1.32 prints none.
 */

type Effect = Taint['effect'];
const EFFECTS: readonly string[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

interface TaintSpec {
  readonly key: string;
  readonly value: string;
  readonly effect: Effect | '';
}

/** Taint.ToString(). */
function taintString(t: TaintSpec): string {
  if (t.effect === '') return t.value === '' ? t.key : `${t.key}=${t.value}:`;
  return t.value === '' ? `${t.key}:${t.effect}` : `${t.key}=${t.value}:${t.effect}`;
}

/** parseTaint: `key=value:effect`, `key:effect` or `key`. */
function parseTaint(st: string): TaintSpec | { error: string } {
  const parts = st.split(':');
  let key: string;
  let value = '';
  let effect: TaintSpec['effect'] = '';
  if (parts.length === 1) key = parts[0]!;
  else if (parts.length === 2) {
    effect = parts[1] as Effect;
    if (!EFFECTS.includes(effect))
      return { error: `invalid taint effect: ${effect}, unsupported taint effect` };
    const kv = parts[0]!.split('=');
    if (kv.length > 2) return { error: `invalid taint spec: ${st}` };
    key = kv[0]!;
    if (kv.length === 2) {
      value = kv[1]!;
      const errs = labelValueErrors(value);
      if (errs.length > 0) return { error: `invalid taint spec: ${st}, ${errs.join('; ')}` };
    }
  } else return { error: `invalid taint spec: ${st}` };
  const errs = qualifiedNameErrors(key);
  if (errs.length > 0) return { error: `invalid taint spec: ${st}, ${errs.join('; ')}` };
  return { key, value, effect };
}

/** parseTaints: taints to add (each with an effect, unique by key and effect) and to remove. */
function parseTaints(
  specs: readonly string[],
): { add: TaintSpec[]; remove: TaintSpec[] } | { error: string } {
  const add: TaintSpec[] = [];
  const remove: TaintSpec[] = [];
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      const t = parseTaint(spec.slice(0, -1));
      if ('error' in t) return t;
      remove.push({ key: t.key, value: '', effect: t.effect });
      continue;
    }
    const t = parseTaint(spec);
    if ('error' in t) return t;
    if (t.effect === '') return { error: `invalid taint spec: ${spec}` };
    if (add.some((a) => a.key === t.key && a.effect === t.effect))
      // Go's %v of the Taint struct: {Key Value Effect TimeAdded}.
      return {
        error: `duplicated taints with the same key and effect: {${t.key} ${t.value} ${t.effect} <nil>}`,
      };
    add.push(t);
  }
  return { add, remove };
}

const toTaint = (t: TaintSpec): Taint =>
  ({ key: t.key, ...(t.value !== '' ? { value: t.value } : {}), effect: t.effect }) as Taint;

/** reorganizeTaints: the new list and what happened (tainted, untainted or modified). */
function reorganize(
  old: readonly Taint[],
  add: readonly TaintSpec[],
  remove: readonly TaintSpec[],
  overwrite: boolean,
): { operation: string; taints: Taint[]; errors: string[] } {
  let taints: Taint[] = add.map(toTaint);
  for (const o of old) if (!taints.some((t) => t.key === o.key && t.effect === o.effect)) taints.push(o);
  const added = old.length !== taints.length;
  const errors: string[] = [];
  let removed = false;
  for (const r of remove) {
    const before = taints.length;
    taints = taints.filter((t) => !(t.key === r.key && (r.effect === '' || t.effect === r.effect)));
    removed = before !== taints.length;
    if (!removed) errors.push(`taint ${JSON.stringify(taintString(r))} not found`);
  }
  const operation = (added && removed) || overwrite ? 'modified' : added ? 'tainted' : 'untainted';
  return { operation, taints, errors };
}

function* run(inv: Invocation): Task<number> {
  const strategy = dryRunStrategy(inv);
  if (typeof strategy === 'object') return errorExit(inv, strategy.error);
  const resources: string[] = [];
  const taintArgs: string[] = [];
  for (const s of inv.args) {
    const isTaint = s.includes('=') || s.includes(':') || s.endsWith('-');
    if (isTaint) taintArgs.push(s);
    else if (taintArgs.length === 0) resources.push(s);
    else return errorExit(inv, `all resources must be specified before taint changes: ${s}`);
  }
  if (resources.length < 1)
    return errorExit(inv, 'one or more resources must be specified as <resource> <name>');
  if (taintArgs.length < 1) return errorExit(inv, 'at least one taint update is required');
  const parsed = parseTaints(taintArgs);
  if ('error' in parsed) return usageError(inv, parsed.error);
  const all = flagBool(inv.flags, 'all');
  const selector = flagString(inv.flags, 'selector') ?? '';
  const overwrite = flagBool(inv.flags, 'overwrite');

  // Validate: the type must map to Node.
  const resourceType = resources[0]!.toLowerCase();
  const discovery = yield* discover(inv, 4 + (resourceType.includes('.') ? 3 : 1));
  if (!discovery.ok) {
    inv.err(failureMessage(discovery.failure));
    return 1;
  }
  const mapping = mapResource(discovery.resources, resourceType);
  if (!mapping.ok) {
    // A NoResourceMatchError: checkErr prints it without the `error: ` prefix.
    inv.err(`${mapping.error}\n`);
    return 1;
  }
  if (mapping.info.kind !== 'Node')
    return errorExit(inv, `invalid resource type ${resourceType}, only node types are supported`);
  const conflicts: string[] = [];
  for (const a of parsed.add)
    for (const r of parsed.remove)
      if (a.key === r.key && (r.effect === '' || a.effect === r.effect))
        conflicts.push(`${r.key}=${r.effect}`);
  if (conflicts.length > 0)
    return errorExit(
      inv,
      `can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`,
    );
  if (all && selector !== '')
    return errorExit(inv, "setting 'all' parameter with a non empty selector is prohibited");
  if (!all && selector === '' && resources.length < 2)
    return errorExit(inv, "at least one resource name must be specified since 'all' parameter is not set");

  const built = yield* buildInfos(
    inv,
    all || selector !== '' ? ['nodes'] : resources.slice(1).map((n) => (n.includes('/') ? n : `nodes/${n}`)),
    { selector, allowEmptySelector: all, requireObject: false },
  );
  if (!built.ok) return built.code;
  const printer = new ObjectPrinter(inv, flagString(inv.flags, 'output') ?? '');
  // Visit with ContinueOnError: every node in turn (each fetched as it comes); the errors are
  // reported together at the end, flattened.
  const errors: CommandError[] = [...built.errors];
  for (const n of built.infos) {
    let object = n.object;
    if (!object) {
      const got = yield* call<NodeObject>(inv, { verb: 'get', resource: n.info.resource, name: n.name });
      if (!got.ok) {
        errors.push(got.failure);
        continue;
      }
      object = got.body;
    }
    const node = object as NodeObject;
    const old = node.spec?.taints ?? [];
    if (!overwrite) {
      const exists = parsed.add
        .filter((a) => old.some((o) => o.key === a.key && o.effect === a.effect))
        .map((a) => a.key);
      if (exists.length > 0) {
        errors.push(
          textError(
            `node ${n.name} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`,
          ),
        );
        continue;
      }
    }
    const reorganized = reorganize(old, parsed.add, parsed.remove, overwrite);
    if (reorganized.errors.length > 0) {
      errors.push(...reorganized.errors.map(textError));
      continue;
    }
    const { operation, taints } = reorganized;
    const printerError = printer.check();
    if (printerError) {
      errors.push(textError(printerError));
      continue;
    }
    const { taints: _old, ...rest } = node.spec ?? {};
    // An empty list is left out of the JSON (omitempty), so the patch removes the field.
    const after: NodeObject = { ...node, spec: taints.length > 0 ? { ...rest, taints } : rest };
    const name = `node/${n.name}`;
    if (strategy === 'client') {
      printer.print(after, name, operation);
      continue;
    }
    const r = yield* call<NodeObject>(inv, {
      verb: 'patch',
      resource: 'nodes',
      name: n.name,
      patch: createStrategicMergePatch(node, after),
      patchType: 'strategic',
      ...(strategy === 'server' ? { dryRun: true } : {}),
    });
    if (!r.ok) {
      errors.push(r.failure);
      continue;
    }
    printer.print(r.body, name, operation);
  }
  return reportCommandErrors(inv.err, errors);
}

export const taintCommand: CommandSpec = {
  name: 'taint',
  short: 'Update the taints on one or more nodes',
  flags: [
    { name: 'all', type: 'bool', defaultValue: 'false', usage: 'Select all nodes in the cluster' },
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    DRY_RUN_FLAG,
    fieldManagerFlag('kubectl-taint'),
    OUTPUT_FLAG,
    {
      name: 'overwrite',
      type: 'bool',
      defaultValue: 'false',
      usage:
        'If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.',
    },
    SELECTOR_FLAG,
    SHOW_MANAGED_FIELDS_FLAG,
    TEMPLATE_FLAG,
    {
      name: 'validate',
      type: 'string',
      defaultValue: 'strict',
      noOptDefault: 'strict',
      usage:
        'Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.',
    },
  ],
  help: {
    long:
      'Update the taints on one or more nodes.\n\n' +
      '  *  A taint consists of a key, value, and effect. As an argument here, it is expressed as key=value:effect.\n' +
      '  *  The key must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 253 characters.\n' +
      "  *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.\n" +
      '  *  The value is optional. If given, it must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters.\n' +
      '  *  The effect must be NoSchedule, PreferNoSchedule or NoExecute.\n' +
      '  *  Currently taint can only apply to node.',
    examples: [
      "  # Update node 'foo' with a taint with key 'dedicated' and value 'special-user' and effect 'NoSchedule'",
      '  # If a taint with that key and effect already exists, its value is replaced as specified',
      '  kubectl taint nodes foo dedicated=special-user:NoSchedule',
      '  ',
      "  # Remove from node 'foo' the taint with key 'dedicated' and effect 'NoSchedule' if one exists",
      '  kubectl taint nodes foo dedicated:NoSchedule-',
      '  ',
      "  # Remove from node 'foo' all the taints with key 'dedicated'",
      '  kubectl taint nodes foo dedicated-',
      '  ',
      "  # Add a taint with key 'dedicated' on nodes having label myLabel=X",
      '  kubectl taint node -l myLabel=X  dedicated=foo:PreferNoSchedule',
      '  ',
      "  # Add to node 'foo' a taint with key 'bar' and no value",
      '  kubectl taint nodes foo bar:NoSchedule',
    ].join('\n'),
    usage: 'kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]',
  },
  run,
};
