import { structuredPatch } from 'diff';
import type { KubeObject } from '../../sim/api/types';
import { isPlainObject } from '../../sim/apiserver/mergePatch';
import { schemaForKind } from '../../sim/apiserver/strategicMerge';
import type { Task } from '../../sim/kernel/task';
import { EPOCH_UNIX_MS } from '../../sim/kernel/time';
import type { CommandSpec } from '../cli/command';
import {
  errorExit,
  FILENAME_FLAG,
  fieldManagerFlag,
  KUSTOMIZE_FLAG,
  RECURSIVE_FLAG,
  refuseUnsupported,
  SELECTOR_FLAG,
} from '../cli/common';
import { call, type Invocation } from '../cli/invocation';
import { modifiedConfiguration, originalConfiguration } from '../cli/lastApplied';
import { isObject, type ManifestObject, objectUrl, readManifests } from '../cli/manifests';
import { createThreeWayMergePatch } from '../cli/threeWayPatch';
import { aggregate, reportVisitErrors, type VisitError, withSource } from '../cli/visitErrors';
import { flagBool, flagList } from '../flags';
import { toYaml } from '../print/yaml';

/**
 * `kubectl diff -f FILE|DIR|-` (client-side, as without --server-side): each object is fetched
 * (LIVE) and what applying it would give is asked of the server with a dry run (MERGED): a
 * dry-run create for a missing object, else apply's three-way strategic merge patch (without the
 * last-applied annotation, as diff's GetModifiedConfiguration leaves it out) sent with
 * `dryRun=All`, or the live object itself when that patch is empty. Both are written as YAML
 * (managedFields dropped unless --show-managed-fields, Secret data masked) into two temporary
 * folders, /tmp/LIVE-N and /tmp/MERGED-N, and compared with the default external program,
 * `diff -u -N LIVE MERGED`, whose output is reproduced here: per differing file a `diff -u -N`
 * line, `---`/`+++` with the files' modification times, and the hunks. The folder numbers and
 * the times come from the simulation (its seeded RNG, its clock). Exit status as kubectl's: 0
 * when nothing differs, 1 when something does, 2 on any error (nothing is diffed then).
 */

type Obj = Record<string, unknown>;

const SENSITIVE_MASK = '***';
const SENSITIVE_MASK_BEFORE = '*** (before)';
const SENSITIVE_MASK_AFTER = '*** (after)';

/** InfoObject.Name(): `[group.]version.Kind.namespace.name`. */
function fileName(o: ManifestObject): string {
  const group = o.info.group === '' ? '' : `${o.info.group}.`;
  return `${group}${o.info.version}.${o.info.kind}.${o.namespace ?? ''}.${o.name}`;
}

/**
 * A real API server answers with typed objects, whose empty `labels` and `annotations` maps are
 * dropped (omitempty); the simulated one keeps the `annotations: {}` a patch may leave.
 */
function asServed(obj: Obj | undefined): Obj | undefined {
  if (!obj || !isPlainObject(obj.metadata)) return obj;
  const meta = { ...(obj.metadata as Obj) };
  for (const k of ['labels', 'annotations'])
    if (isPlainObject(meta[k]) && Object.keys(meta[k] as Obj).length === 0) delete meta[k];
  return { ...obj, metadata: meta };
}

function withoutManagedFields(obj: Obj | undefined): Obj | undefined {
  if (!obj || !isPlainObject(obj.metadata)) return obj;
  const { managedFields: _dropped, ...meta } = obj.metadata as Obj;
  return { ...obj, metadata: meta };
}

/** diff's Masker: Secret values hidden, with (before)/(after) where a key's value changed. */
export function maskSecrets(from: Obj | undefined, to: Obj | undefined): [Obj | undefined, Obj | undefined] {
  const dataOf = (o: Obj | undefined): Obj | undefined =>
    o && isPlainObject(o.data) ? { ...(o.data as Obj) } : undefined;
  const f = dataOf(from);
  const t = dataOf(to);
  for (const k of Object.keys(f ?? {})) {
    if (t && k in t) {
      if (f![k] !== t[k]) {
        f![k] = SENSITIVE_MASK_BEFORE;
        t[k] = SENSITIVE_MASK_AFTER;
        continue;
      }
      t[k] = SENSITIVE_MASK;
    }
    f![k] = SENSITIVE_MASK;
  }
  for (const k of Object.keys(t ?? {})) if (!f || !(k in f)) t![k] = SENSITIVE_MASK;
  return [from && f ? { ...from, data: f } : from, to && t ? { ...to, data: t } : to];
}

/** One object's two versions, as the printer writes them (an absent object is an empty file). */
interface DiffFile {
  readonly name: string;
  readonly live: string;
  readonly merged: string;
  /** Modification times in nanoseconds since the Unix epoch. */
  readonly liveNs: bigint;
  readonly mergedNs: bigint;
}

/** diff's maxRetries: the object is fetched again while it keeps changing under the dry run. */
const MAX_RETRIES = 4;

type Versions = { live?: Obj; merged?: Obj; error?: VisitError; conflict?: boolean };

function* liveAndMerged(inv: Invocation, o: ManifestObject): Task<Versions> {
  let r: Versions = {};
  for (let i = 1; i <= MAX_RETRIES; i++) {
    r = yield* versions(inv, o, i === MAX_RETRIES);
    if (!r.conflict) return r;
  }
  return r;
}

/**
 * One try. Unless `force`, the patch carries the live resourceVersion (the Patcher's
 * precondition): an object changed since it was read (a controller updated its status) is a
 * conflict, and the caller reads it again.
 */
function* versions(inv: Invocation, o: ManifestObject, force: boolean): Task<Versions> {
  const got = yield* call<KubeObject>(inv, {
    verb: 'get',
    resource: o.info.resource,
    name: o.name,
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
  });
  const notFound = !got.ok && got.failure.kind === 'status' && got.failure.status.reason === 'NotFound';
  if (!got.ok && !notFound)
    return { error: withSource(got.failure, 'retrieving', o.source, { method: 'Get', url: objectUrl(o) }) };
  if (!got.ok) {
    const created = yield* call<KubeObject>(inv, {
      verb: 'create',
      resource: o.info.resource,
      ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
      body: o.object as unknown as KubeObject,
      dryRun: true,
    });
    if (!created.ok)
      return {
        error: withSource(created.failure, 'creating', o.source, {
          method: 'Post',
          url: `${objectUrl(o, false)}?dryRun=All&fieldManager=kubectl-client-side-apply`,
        }),
      };
    return { merged: created.body as unknown as Obj };
  }
  const live = got.body as unknown as Obj;
  const patch = createThreeWayMergePatch(
    originalConfiguration(live) ?? {},
    JSON.parse(modifiedConfiguration(o.object, false)) as Obj,
    live,
    schemaForKind(o.info.kind),
  );
  if (Object.keys(patch).length === 0) return { live, merged: live };
  const liveVersion = isPlainObject(live.metadata) ? (live.metadata as Obj).resourceVersion : undefined;
  const patched = yield* call<KubeObject>(inv, {
    verb: 'patch',
    resource: o.info.resource,
    name: o.name,
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
    patch,
    patchType: 'strategic',
    dryRun: true,
  });
  if (!patched.ok)
    return {
      error: withSource(patched.failure, 'patching', o.source, {
        method: 'Patch',
        url: `${objectUrl(o)}?dryRun=All&fieldManager=kubectl-client-side-apply`,
      }),
    };
  const merged = patched.body as unknown as Obj;
  const mergedVersion = isPlainObject(merged.metadata) ? (merged.metadata as Obj).resourceVersion : undefined;
  if (!force && typeof liveVersion === 'string' && liveVersion !== '' && mergedVersion !== liveVersion)
    return { conflict: true };
  return { live, merged };
}

/** GNU diff's `%Y-%m-%d %H:%M:%S.%N %z` (UTC, as the simulation runs). */
export function diffTimestamp(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const iso = new Date(ms).toISOString();
  const nanos = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${nanos} +0000`;
}

/**
 * `l,s` of a unified hunk header as GNU diff writes it: no `,s` when s is 1, and for an empty
 * range the line before it (jsdiff's hunks start where the lines would be).
 */
function range(start: number, lines: number): string {
  if (lines === 0) return `${start - 1},0`;
  return lines === 1 ? `${start}` : `${start},${lines}`;
}

/** What `diff -u -N LIVE MERGED` prints for one file (nothing when the two are equal). */
export function unifiedDiff(from: string, to: string, file: DiffFile): string {
  if (file.live === file.merged) return '';
  const p = structuredPatch(from, to, file.live, file.merged, '', '', { context: 3 });
  let out = `diff -u -N ${from} ${to}\n--- ${from}\t${diffTimestamp(file.liveNs)}\n+++ ${to}\t${diffTimestamp(file.mergedNs)}\n`;
  for (const h of p.hunks) {
    out += `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@\n`;
    for (const line of h.lines) out += `${line}\n`;
  }
  return out;
}

function* run(inv: Invocation): Task<number> {
  if (inv.args.length > 0) {
    inv.err(`error: Unexpected args: [${inv.args.join(' ')}]\nSee '${inv.path} -h' for help and examples\n`);
    return 2;
  }
  const refused = refuseUnsupported(inv, ['server-side', 'prune', 'prune-allowlist', 'kustomize']);
  if (refused !== undefined) return 2;
  if (flagList(inv.flags, 'filename').length === 0) {
    errorExit(inv, 'must specify one of -f and -k');
    return 2;
  }
  if (flagBool(inv.flags, 'force-conflicts')) {
    errorExit(inv, '--force-conflicts only works with --server-side');
    return 2;
  }
  const read = yield* readManifests(inv, { validate: false });
  if (!read.ok) return reportVisitErrors(inv.err, read.errors) === 0 ? 0 : 2;
  const builderErrors: VisitError[] = [
    ...read.entries.filter((e) => !isObject(e)).map((e) => e as VisitError),
    ...read.readErrors,
  ];
  if (builderErrors.length > 0)
    return reportVisitErrors(inv.err, [
      builderErrors.length === 1 ? builderErrors[0]! : aggregate(builderErrors),
    ]) === 0
      ? 0
      : 2;

  const sim = inv.ctx.cluster.sim;
  const dirNumber = (): number => sim.rng.int(0, 0xffffffff);
  const liveDir = `/tmp/LIVE-${dirNumber()}`;
  const mergedDir = `/tmp/MERGED-${dirNumber()}`;
  const showManagedFields = flagBool(inv.flags, 'show-managed-fields');
  const files = new Map<string, DiffFile>();
  for (const o of read.entries.filter(isObject)) {
    const r = yield* liveAndMerged(inv, o);
    // The visit stops at the first error, and nothing is diffed.
    if (r.error) return reportVisitErrors(inv.err, [r.error]) === 0 ? 0 : 2;
    let live = asServed(r.live);
    let merged = asServed(r.merged);
    if (!showManagedFields) {
      live = withoutManagedFields(live);
      merged = withoutManagedFields(merged);
    }
    if (o.info.kind === 'Secret' && o.info.group === '' && o.info.version === 'v1')
      [live, merged] = maskSecrets(live, merged);
    // Both files are written once both versions are known, within one tick of the file system's
    // coarse clock: diff shows the same time for both, as with a real kubectl.
    const liveNs =
      BigInt(Math.floor((EPOCH_UNIX_MS + sim.nowMs) * 1000)) * 1000n + BigInt(sim.rng.int(0, 999));
    const mergedNs = liveNs;
    const name = fileName(o);
    files.set(name, {
      name,
      live: live ? toYaml(live) : '',
      merged: merged ? toYaml(merged) : '',
      liveNs,
      mergedNs,
    });
  }
  // diff walks both folders in name order.
  const names = [...files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let differs = false;
  for (const name of names) {
    const text = unifiedDiff(`${liveDir}/${name}`, `${mergedDir}/${name}`, files.get(name)!);
    if (text !== '') differs = true;
    inv.out(text);
  }
  return differs ? 1 : 0;
}

export const diffCommand: CommandSpec = {
  name: 'diff',
  short: 'Diff the live version against a would-be applied version',
  flags: [
    {
      name: 'concurrency',
      type: 'int',
      defaultValue: '1',
      usage:
        'Number of objects to process in parallel when diffing against the live version. Larger number = faster, but more memory, I/O and CPU over that shorter period of time.',
    },
    fieldManagerFlag('kubectl-client-side-apply'),
    FILENAME_FLAG('contains the configuration to diff'),
    {
      name: 'force-conflicts',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, server-side apply will force the changes against conflicts.',
    },
    KUSTOMIZE_FLAG,
    {
      name: 'prune',
      type: 'bool',
      defaultValue: 'false',
      usage:
        'Include resources that would be deleted by pruning. Can be used with -l and default shows all resources would be pruned',
    },
    {
      name: 'prune-allowlist',
      type: 'stringArray',
      usage: 'Overwrite the default allowlist with <group/version/kind> for --prune',
    },
    RECURSIVE_FLAG,
    SELECTOR_FLAG,
    {
      name: 'server-side',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, apply runs in the server instead of the client.',
    },
    {
      name: 'show-managed-fields',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, include managed fields in the diff.',
    },
  ],
  help: {
    long:
      'Diff configurations specified by file name or stdin between the current online configuration, and the configuration as it would be if applied.\n\n' +
      ' The output is always YAML.\n\n' +
      ' KUBECTL_EXTERNAL_DIFF environment variable can be used to select your own diff command. Users can use external commands with params too, example: KUBECTL_EXTERNAL_DIFF="colordiff -N -u"\n\n' +
      ' By default, the "diff" command available in your path will be run with the "-u" (unified diff) and "-N" (treat absent files as empty) options.\n\n' +
      ' Exit status: 0 No differences were found. 1 Differences were found. >1 Kubectl or diff failed with an error.\n\n' +
      ' Note: KUBECTL_EXTERNAL_DIFF, if used, is expected to follow that convention.',
    examples: [
      '  # Diff resources included in pod.json',
      '  kubectl diff -f pod.json',
      '  ',
      '  # Diff file read from stdin',
      '  cat service.yaml | kubectl diff -f -',
    ].join('\n'),
    usage: 'kubectl diff -f FILENAME [options]',
  },
  run,
};
