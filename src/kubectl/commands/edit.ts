import type { ResourceInfo } from '../../sim/api/resources';
import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import type { Info } from '../cli/builder';
import { buildInfos } from '../cli/builder';
import type { CommandSpec } from '../cli/command';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  errorExit,
  FILENAME_FLAG,
  fieldManagerFlag,
  KUSTOMIZE_FLAG,
  ObjectPrinter,
  OUTPUT_FLAG,
  RECURSIVE_FLAG,
  refuseUnsupported,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
} from '../cli/common';
import { kindPrefix } from '../cli/discovery';
import { type ApiFailure, reportCommandErrors, transportErrorText } from '../cli/errors';
import { call, type Invocation } from '../cli/invocation';
import { decodeStream, goJsonCompact, yamlToJson } from '../cli/manifestDecode';
import { createStrategicMergePatch } from '../cli/patch';
import { flagBool, flagString } from '../flags';
import { printJson } from '../print/json';
import { toYaml } from '../print/yaml';
import { VALIDATE_FLAG } from './createShared';

/**
 * `kubectl edit (TYPE NAME | TYPE/NAME)`: kubectl's EditOptions.Run in its normal mode. The
 * objects are fetched and opened as YAML (one object, or a List of several) under kubectl's
 * header comment, in the page's editor pane instead of $EDITOR. On save, comments are stripped:
 * an untouched file is `Edit cancelled, no changes made.`; a file that does not parse, or an
 * object the server refuses as Invalid, reopens the editor with the reasons at the top; saving
 * that unchanged (or cancelling) ends with `error: Edit cancelled, no valid changes were saved.`;
 * otherwise each changed object gets a strategic merge patch computed from the original and the
 * edited object (`deployment.apps/web edited`). Cancelling the pane is quitting the editor
 * without saving: the file is what it was.
 */

const HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  '# and an empty file will abort the edit. If an error occurs while saving this file will be\n' +
  '# reopened with the relevant failures.\n' +
  '#\n';

/** Why the file is reopened: a heading and, for an Invalid object, its causes. */
export interface EditReason {
  readonly head: string;
  readonly other: readonly string[];
}

/** editHeader.writeTo: the header, then each reason as a comment block. */
export function editHeader(reasons: readonly EditReason[]): string {
  let out = HEADER;
  for (const r of reasons) {
    out += `# ${hashOnLineBreak(r.head)}${r.other.length > 0 ? ':' : ''}\n`;
    for (const o of r.other) out += `# * ${hashOnLineBreak(o)}\n`;
    out += '#\n';
  }
  return out;
}

/** A multi-line message kept inside the comment: `#` after each line break. */
function hashOnLineBreak(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch === '\n' && i + 1 < s.length && s[i + 1] !== '#') out += '\n# ';
    else out += ch;
  }
  return out;
}

/** cmdutil.ManualStrip: drops comment lines (not `#!`). */
export function manualStrip(text: string): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t.startsWith('#') && !t.startsWith('#!')) return;
    kept.push(i < lines.length - 1 ? `${line}\n` : line);
  });
  return kept.join('');
}

/** cmdutil.StripComments: the file as JSON when it parses (comments and layout gone), else ManualStrip. */
export function stripComments(text: string): string {
  const r = yamlToJson(text);
  return r.ok ? goJsonCompact(r.value) : manualStrip(text);
}

/** hasLines: a line that is neither blank nor a comment. */
function hasLines(text: string): boolean {
  return text.split('\n').some((l) => {
    const t = l.trim();
    return t.length > 0 && !t.startsWith('#');
  });
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function metadataOf(o: Obj): Obj {
  return isObj(o.metadata) ? o.metadata : {};
}

/** `deployments.apps`: how editResults.addError names the resource. */
function resourceString(info: ResourceInfo): string {
  return info.group === '' ? info.resource : `${info.resource}.${info.group}`;
}

/** The Go error text of a failed PATCH (what `%v` prints). */
function failureText(f: ApiFailure): string {
  if (f.kind === 'status') return f.status.message;
  return `Patch "${f.url}": ${transportErrorText(f.error)}`;
}

export const EDIT_CANCELLED = 'Edit cancelled, no changes made.';

function* runEdit(inv: Invocation): Task<number> {
  const refused = refuseUnsupported(inv, ['filename', 'kustomize', 'subresource', 'save-config']);
  if (refused !== undefined) return refused;
  const output = flagString(inv.flags, 'output') ?? '';
  const printer = new ObjectPrinter(inv, output);
  const printerError = printer.check();
  if (printerError) return errorExit(inv, printerError);
  const json = output === 'json';
  const outputPatch = flagBool(inv.flags, 'output-patch');
  const session = inv.ctx.session;

  // The objects are resolved first, as EditOptions.Complete does (so missing arguments and
  // unknown objects fail as in kubectl), then the editor is needed.
  const built = yield* buildInfos(inv, inv.args, { requireObject: true, allowEmptySelector: true });
  if (!built.ok) return built.code;
  if (built.errors.length > 0) return reportCommandErrors(inv.err, built.errors);
  const infos: Info[] = built.infos.filter((i) => i.object !== undefined);
  if (infos.length === 0) return errorExit(inv, 'edit cancelled, no objects found');
  const openEditor = session.openEditor;
  if (!openEditor)
    return errorExit(
      inv,
      "kubectl edit needs the page's editor pane; in scripts, change objects with kubectl apply -f, scale, set image or label",
    );

  const originalObject: Obj =
    infos.length === 1
      ? (infos[0]?.object as unknown as Obj)
      : { apiVersion: 'v1', items: infos.map((i) => i.object), kind: 'List', metadata: {} };
  const title = `kubectl edit ${infos.map((i) => `${i.info.kind.toLowerCase()}/${i.name}`).join(', ')}`;
  const print = (o: unknown): string => (json ? printJson(o) : toYaml(o));

  /** Where kubectl's editor would have kept the file (LaunchTempFile), written when kept. */
  let launches = 0;
  const tempPath = (): string => {
    const seed = Math.floor(inv.ctx.cluster.sim.nowMs) + launches * 7919;
    return `/tmp/kubectl-edit-${(Math.imul(seed, 2654435761) >>> 0) % 4294967296}.${json ? 'json' : 'yaml'}`;
  };
  const keep = (path: string, text: string): void => {
    const files = session.files;
    if (!files.isDir('/tmp')) files.mkdir('/tmp');
    files.writeFile(path, text);
  };
  const preserved = (message: string, path: string, text: string): number => {
    keep(path, text);
    inv.err(`A copy of your changes has been stored to "${path}"\n`);
    return errorExit(inv, message);
  };

  let reasons: EditReason[] = [];
  let containsError = false;
  let original = '';
  let edited = '';
  for (;;) {
    let buffer = json ? '' : editHeader(reasons);
    if (!containsError) {
      buffer += print(originalObject);
      original = buffer;
    } else buffer += manualStrip(edited);

    const previous = edited;
    launches++;
    const file = tempPath();
    const saved = yield* openEditor.call(session, {
      title,
      text: buffer,
      language: 'yaml',
    });
    // Closing the editor without saving leaves the file as it was opened.
    edited = saved ?? buffer;

    if (containsError && stripComments(previous) === stripComments(edited))
      return preserved('Edit cancelled, no valid changes were saved.', file, edited);
    if (stripComments(original) === stripComments(edited)) {
      inv.err(`${EDIT_CANCELLED}\n`);
      return 0;
    }
    if (!hasLines(edited)) {
      inv.err('Edit cancelled, saved file was empty.\n');
      return 0;
    }

    reasons = [];
    const parsed = parseEdited(edited);
    if ('error' in parsed) {
      containsError = true;
      reasons.push({ head: `The edited file had a syntax error: ${parsed.error}`, other: [] });
      continue;
    }
    containsError = false;

    let retryable = 0;
    let notFound = 0;
    let toEdit = 0;
    for (const updated of parsed.objects) {
      const meta = metadataOf(updated);
      const target = infos.find((i) => i.object?.metadata.uid === meta.uid);
      if (!target?.object) return preserved('no original object found for the edited object', file, edited);
      if (target.info.namespaced && typeof meta.namespace === 'string' && meta.namespace !== inv.namespace)
        return preserved(
          `the namespace from the provided object ${JSON.stringify(meta.namespace)} does not match the namespace ${JSON.stringify(inv.namespace)}. You must pass '--namespace=${meta.namespace}' to perform this operation.`,
          file,
          edited,
        );
      const before = target.object as unknown as Obj;
      const name = `${kindPrefix(target.info)}/${target.name}`;
      if (goJsonCompact(before) === goJsonCompact(updated)) {
        printer.print(target.object, name, 'skipped');
        continue;
      }
      if (
        before.apiVersion !== updated.apiVersion ||
        before.kind !== updated.kind ||
        metadataOf(before).name !== meta.name
      )
        return preserved('At least one of apiVersion, kind and name was changed', file, edited);
      const patch = createStrategicMergePatch(before, updated);
      if (outputPatch) inv.out(`Patch: ${goJsonCompact(patch)}\n`);
      const r = yield* call<KubeObject>(inv, {
        verb: 'patch',
        resource: target.info.resource,
        name: target.name,
        ...(target.namespace ? { namespace: target.namespace } : {}),
        patch,
        patchType: 'strategic',
      });
      if (r.ok) {
        printer.print(r.body, name, 'edited');
        continue;
      }
      const what = `${resourceString(target.info)} ${JSON.stringify(target.name)}`;
      const f = r.failure;
      if (f.kind === 'status' && f.status.reason === 'Invalid') {
        toEdit++;
        reasons.push({
          head: `${what} was not valid`,
          other: (f.status.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`),
        });
        inv.err(`error: ${what} is invalid\n`);
      } else if (f.kind === 'status' && f.status.reason === 'NotFound') {
        notFound++;
        inv.err(`error: ${what} could not be found on the server\n`);
      } else {
        retryable++;
        inv.err(`error: ${what} could not be patched: ${failureText(f)}\n`);
      }
    }
    if (retryable > 0) {
      keep(file, edited);
      inv.err(`You can run \`kubectl replace -f ${file}\` to try this update again.\n`);
      return 1;
    }
    if (notFound > 0) {
      keep(file, edited);
      inv.err(`The edits you made on deleted resources have been saved to "${file}"\n`);
      return 1;
    }
    if (toEdit === 0) return 0;
    containsError = true;
  }
}

/** The edited file as objects (a List flattened), or the Builder's error for it. */
function parseEdited(text: string): { objects: Obj[] } | { error: string } {
  const decoded = decodeStream(text);
  if (!decoded.ok) return { error: `error parsing edited-file: ${decoded.error}` };
  const objects: Obj[] = [];
  for (const { value, raw } of decoded.documents) {
    if (!isObj(value) || typeof value.kind !== 'string' || value.kind === '')
      return { error: `unable to decode "edited-file": Object 'Kind' is missing in '${raw}'` };
    if (value.kind === 'List' && Array.isArray(value.items)) {
      for (const item of value.items) if (isObj(item)) objects.push(item);
    } else objects.push(value);
  }
  return { objects };
}

export const editCommand: CommandSpec = {
  name: 'edit',
  short: 'Edit a resource on the server',
  flags: [
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    fieldManagerFlag('kubectl-edit'),
    FILENAME_FLAG('to use to edit the resource'),
    KUSTOMIZE_FLAG,
    OUTPUT_FLAG,
    {
      name: 'output-patch',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Output the patch if the resource is edited.',
    },
    RECURSIVE_FLAG,
    {
      name: 'save-config',
      type: 'bool',
      defaultValue: 'false',
      usage:
        'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.',
    },
    SHOW_MANAGED_FIELDS_FLAG,
    {
      name: 'subresource',
      type: 'string',
      defaultValue: '',
      usage:
        'If specified, edit will operate on the subresource of the requested object. This flag is beta and may change in the future.',
    },
    TEMPLATE_FLAG,
    VALIDATE_FLAG,
    {
      name: 'windows-line-endings',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Defaults to the line ending native to your platform.',
    },
  ],
  help: {
    long: [
      'Edit a resource from the default editor.',
      '',
      " The edit command allows you to directly edit any API resource you can retrieve via the command-line tools. It will open the editor defined by your KUBE_EDITOR, or EDITOR environment variables, or fall back to 'vi' for Linux or 'notepad' for Windows. When attempting to open the editor, it will first attempt to use the shell that has been defined in the 'SHELL' environment variable. If this is not defined, the default shell will be used, which is '/bin/bash' for Linux or 'cmd' for Windows.",
      '',
      ' You can edit multiple objects, although changes are applied one at a time. The command accepts file names as well as command-line arguments, although the files you point to must be previously saved versions of resources.',
      '',
      ' Editing is done with the API version used to fetch the resource. To edit using a specific API version, fully-qualify the resource, version, and group.',
      '',
      ' The default format is YAML. To edit in JSON, specify "-o json".',
      '',
      ' The flag --windows-line-endings can be used to force Windows line endings, otherwise the default for your operating system will be used.',
      '',
      ' In the event an error occurs while updating, a temporary file will be created on disk that contains your unapplied changes. The most common error when updating a resource is another editor changing the resource on the server. When this occurs, you will have to apply your changes to the newer version of the resource, or update your temporary saved copy to include the latest resource version.',
    ].join('\n'),
    examples: [
      "  # Edit the service named 'registry'",
      '  kubectl edit svc/registry',
      '  ',
      '  # Use an alternative editor',
      '  KUBE_EDITOR="nano" kubectl edit svc/registry',
      '  ',
      "  # Edit the job 'myjob' in JSON using the v1 API format",
      '  kubectl edit job.v1.batch/myjob -o json',
      '  ',
      "  # Edit the deployment 'mydeployment' in YAML and save the modified config in its annotation",
      '  kubectl edit deployment/mydeployment -o yaml --save-config',
      '  ',
      "  # Edit the 'status' subresource for the 'mydeployment' deployment",
      "  kubectl edit deployment mydeployment --subresource='status'",
    ].join('\n'),
    usage: 'kubectl edit (RESOURCE/NAME | -f FILENAME) [options]',
  },
  run: runEdit,
};
