import type { Task } from '../../sim/kernel/task';
import { errorExit } from './common';
import type { Invocation } from './invocation';
import { type ManifestResult, readManifests } from './manifests';
import { reportVisitErrors } from './visitErrors';

const FILES_AND_ARGUMENTS =
  'when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well';

/**
 * What `-f` names, for a command that otherwise takes TYPE NAME arguments (get, describe, delete,
 * expose): the manifests read without validation, or the exit code once the error is reported
 * (arguments given as well, or a path the builder could not read).
 */
export function* readFilenameObjects(
  inv: Invocation,
): Task<{ ok: true; read: Extract<ManifestResult, { ok: true }> } | { ok: false; code: number }> {
  if (inv.args.length > 0) return { ok: false, code: errorExit(inv, FILES_AND_ARGUMENTS) };
  const read = yield* readManifests(inv, { validate: false });
  if (!read.ok) return { ok: false, code: reportVisitErrors(inv.err, read.errors) };
  return { ok: true, read };
}
