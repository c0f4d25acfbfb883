import type { ResourceInfo } from '../../sim/api/resources';
import type { KubeObject } from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import {
  ALL_NAMESPACES_FLAG,
  ALL_OUTPUT_FORMATS,
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  CHUNK_SIZE_FLAG,
  errorExit,
  FIELD_SELECTOR_FLAG,
  FILENAME_FLAG,
  KUSTOMIZE_FLAG,
  outputFormatError,
  RECURSIVE_FLAG,
  refuseUnsupported,
  SELECTOR_FLAG,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
} from '../cli/common';
import { discover, groupKind, kindPrefix, mappingAttempts, mapResource } from '../cli/discovery';
import { type ApiFailure, enhanceListError, failureLine, failureMessage, plainError } from '../cli/errors';
import { readFilenameObjects } from '../cli/filenameObjects';
import { exitOnInterrupt } from '../cli/interrupt';
import { call, type Invocation } from '../cli/invocation';
import { isObject } from '../cli/manifests';
import { parseResourceArgs } from '../cli/resourceArgs';
import { flagBool, flagList, flagString } from '../flags';
import { printJson } from '../print/json';
import { sortByField, sortField } from '../print/sorter';
import { type Table, TablePrinter, type TableRow } from '../print/table';
import { GET_TABWRITER, TabWriter } from '../print/tabwriter';
import {
  isTemplateOutput,
  type ObjectPrinter,
  relaxedJsonPath,
  templatePrinter,
} from '../print/templatePrinters';
import { toYaml } from '../print/yaml';
import { watchAndPrint } from './getWatch';
import { serveRaw } from './proxy';

/** One GET or LIST that `kubectl get` makes, in the order the arguments name them. */
interface Target {
  readonly info: ResourceInfo;
  readonly name?: string;
  /** The object's own namespace (from a manifest given with -f), rather than -n's. */
  readonly namespace?: string;
}

/** What came back for a target: a Table (human-readable output) or objects (yaml/json/name). */
type Fetched =
  | {
      readonly ok: true;
      readonly info: ResourceInfo;
      readonly table?: Table;
      readonly objects: readonly KubeObject[];
      /** The list's resourceVersion (or the object's): where a watch starts. */
      readonly resourceVersion?: string;
    }
  | { readonly ok: false; readonly failure: ApiFailure };

const NO_TYPE_MESSAGE =
  'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
  'error: Required resource not specified.\n' +
  'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n' +
  "See 'kubectl get -h' for help and examples\n";

function* run(inv: Invocation): Task<number> {
  const refused = refuseUnsupported(inv, ['kustomize', 'subresource']);
  if (refused !== undefined) return refused;
  const raw = flagString(inv.flags, 'raw') ?? '';
  if (raw !== '') return yield* getRaw(inv, raw);
  // A --template without -o means -o go-template (PrintFlags.ToPrinter).
  const template = flagString(inv.flags, 'template') ?? '';
  const output = flagString(inv.flags, 'output') || (template !== '' ? 'go-template' : '');
  const humanReadable = output === '' || output === 'wide';
  if (flagList(inv.flags, 'filename').length > 0) {
    // The objects the manifests describe, each in its own namespace (or -n's), as kubectl's builder maps them.
    const files = yield* readFilenameObjects(inv);
    if (!files.ok) return files.code;
    const targets: Target[] = files.read.entries.filter(isObject).map((o) => ({
      info: o.info,
      name: o.name,
      ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
    }));
    return yield* getTargets(inv, targets, output, humanReadable, false, targets.length === 1);
  }
  const parsed = parseResourceArgs(inv.args);
  if (parsed.kind === 'none') {
    inv.err(NO_TYPE_MESSAGE);
    return 1;
  }
  if (parsed.kind === 'error') return errorExit(inv, parsed.message);
  const selector = flagString(inv.flags, 'selector') ?? '';
  const allNamespaces = flagBool(inv.flags, 'all-namespaces');
  if (parsed.kind === 'types' && parsed.names.length > 0 && selector !== '')
    return errorExit(inv, 'name cannot be provided when a selector is specified');

  const typeArgs = parsed.kind === 'types' ? parsed.types : parsed.tuples.map((t) => t.type);
  const discovery = yield* discover(inv, mappingAttempts(typeArgs, parsed.kind === 'tuples'));
  if (!discovery.ok) {
    inv.err(failureMessage(discovery.failure));
    return 1;
  }

  // Map every type first: one unknown type fails the whole command before any request.
  const targets: Target[] = [];
  if (parsed.kind === 'tuples') {
    for (const t of parsed.tuples) {
      const m = mapResource(discovery.resources, t.type);
      if (!m.ok) return errorExit(inv, m.error);
      targets.push({ info: m.info, name: t.name });
    }
  } else {
    for (const type of parsed.types) {
      const category = discovery.resources.filter((r) => r.categories?.includes(type));
      if (type === 'all' && category.length > 0) {
        // `all` is the category every workload kind advertises in discovery.
        for (const info of category) {
          if (parsed.names.length === 0) targets.push({ info });
          for (const name of parsed.names) targets.push({ info, name });
        }
        continue;
      }
      const m = mapResource(discovery.resources, type);
      if (!m.ok) return errorExit(inv, m.error);
      if (parsed.names.length === 0) targets.push({ info: m.info });
      for (const name of parsed.names) targets.push({ info: m.info, name });
    }
  }
  if (allNamespaces && targets.some((t) => t.name !== undefined && t.info.namespaced))
    return errorExit(inv, 'a resource cannot be retrieved by name across all namespaces');
  const singleItemImplied =
    (parsed.kind === 'types' && parsed.types.length === 1 && parsed.names.length === 1) ||
    (parsed.kind === 'tuples' && parsed.tuples.length === 1);
  return yield* getTargets(inv, targets, output, humanReadable, allNamespaces, singleItemImplied);
}

/**
 * `kubectl get --raw PATH`: the body of a GET of that path, as the server sends it (compact JSON,
 * or `ok` for the health checks); an error status is reported as kubectl reports it.
 */
function* getRaw(inv: Invocation, path: string): Task<number> {
  if (inv.args.length > 0) return errorExit(inv, 'arguments may not be passed when --raw is specified');
  const answer = yield* serveRaw(inv.ctx.client, path.startsWith('/') ? path : `/${path}`);
  if (!answer.ok) return errorExit(inv, 'the server could not find the requested resource');
  if (answer.status >= 400) {
    inv.err(
      answer.status === 404
        ? 'Error from server (NotFound): the server could not find the requested resource\n'
        : `Error from server: ${answer.body.trim()}\n`,
    );
    return 1;
  }
  inv.out(answer.body);
  return 0;
}

/** Fetches and prints the targets (named objects, or whole types). */
function* getTargets(
  inv: Invocation,
  targets: readonly Target[],
  output: string,
  humanReadable: boolean,
  allNamespaces: boolean,
  /** One object was asked for by name: an error about it is the whole answer. */
  singleItemImplied: boolean,
): Task<number> {
  const template = flagString(inv.flags, 'template') ?? '';
  const sortBy = flagString(inv.flags, 'sort-by') ?? '';
  if (flagBool(inv.flags, 'watch') || flagBool(inv.flags, 'watch-only'))
    return yield* runWatch(inv, targets, output, humanReadable, allNamespaces, sortBy);
  const fetched: Fetched[] = [];
  for (const t of targets) {
    const f = yield* fetch(inv, t, humanReadable, allNamespaces);
    // Sorting a Table needs each row's object (kubectl asks for includeObject=Object); the
    // simulated server's rows carry metadata only, so the objects come from a second request.
    if (f.ok && f.table && sortBy !== '' && f.table.rows.length > 0) {
      const objects = yield* fetch(inv, t, false, allNamespaces);
      fetched.push(objects.ok ? { ...f, objects: objects.objects } : f);
    } else fetched.push(f);
  }

  const ignoreNotFound = flagBool(inv.flags, 'ignore-not-found');
  const errors = fetched
    .filter((f): f is Extract<Fetched, { ok: false }> => !f.ok)
    .map((f) => f.failure)
    .filter((f) => !(ignoreNotFound && f.kind === 'status' && f.status.reason === 'NotFound'));
  const results = fetched.filter((f): f is Extract<Fetched, { ok: true }> => f.ok);

  if (humanReadable) {
    if (sortBy !== '') {
      for (let i = 0; i < results.length; i++) {
        const sorted = sortTable(results[i]!, sortField(sortBy));
        if (!sorted.ok) return checkErrText(inv, sorted.error);
        results[i] = sorted.result;
      }
    }
    printTables(inv, results, errors, targets, allNamespaces);
  } else {
    if (singleItemImplied && errors.length > 0) return reportErrors(inv, errors);
    const formatError = flagBool(inv.flags, 'show-labels')
      ? `--show-labels option cannot be used with ${output} printer`
      : isTemplateOutput(output)
        ? undefined
        : outputFormatError(output, ALL_OUTPUT_FORMATS, template);
    if (formatError) {
      reportErrors(inv, errors);
      return errorExit(inv, formatError);
    }
    let printer: ObjectPrinter | undefined;
    if (isTemplateOutput(output)) {
      const made = templatePrinter({
        output,
        template,
        allowMissingKeys: flagBool(inv.flags, 'allow-missing-template-keys'),
        noHeaders: flagBool(inv.flags, 'no-headers'),
        readFile: (path) => {
          const r = inv.ctx.session.files.readFile(path);
          return r.ok ? r.value : undefined;
        },
      });
      if (!made.ok) {
        reportErrors(inv, errors);
        return checkErrText(inv, made.error);
      }
      printer = made.printer;
    }
    const printError = printGeneric(inv, output, results, singleItemImplied, printer, sortBy);
    if (printError !== undefined) {
      reportErrors(inv, errors);
      return checkErrText(inv, printError);
    }
  }
  return reportErrors(inv, errors);
}

function* fetch(inv: Invocation, t: Target, asTable: boolean, allNamespaces: boolean): Task<Fetched> {
  const namespace =
    t.info.namespaced && !(allNamespaces && t.name === undefined)
      ? (t.namespace ?? inv.namespace)
      : undefined;
  const labelSelector = flagString(inv.flags, 'selector') || undefined;
  const fieldSelector = flagString(inv.flags, 'field-selector') || undefined;
  if (t.name === undefined) {
    const r = yield* call<Table | { items: KubeObject[] }>(inv, {
      verb: 'list',
      resource: t.info.resource,
      ...(namespace ? { namespace } : {}),
      ...(labelSelector ? { labelSelector } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
      asTable,
    });
    if (!r.ok)
      return { ok: false, failure: enhanceListError(r.failure, t.info, labelSelector, fieldSelector) };
    const resourceVersion = (r.body as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
    const version = resourceVersion !== undefined ? { resourceVersion } : {};
    if (asTable) return { ok: true, info: t.info, table: r.body as Table, objects: [], ...version };
    return { ok: true, info: t.info, objects: (r.body as { items: KubeObject[] }).items, ...version };
  }
  const r = yield* call<KubeObject | Table>(inv, {
    verb: 'get',
    resource: t.info.resource,
    name: t.name,
    ...(namespace ? { namespace } : {}),
    asTable,
  });
  if (!r.ok) return r;
  const version = (r.body as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
  const resourceVersion = version !== undefined ? { resourceVersion: version } : {};
  if (!asTable) return { ok: true, info: t.info, objects: [r.body as KubeObject], ...resourceVersion };
  if ((r.body as { kind?: string }).kind === 'Table')
    return { ok: true, info: t.info, table: r.body as Table, objects: [], ...resourceVersion };
  // The simulated API server answers a GET with the object even when a Table is asked for; the
  // row comes from a LIST narrowed to that name instead.
  const rows = yield* call<Table>(inv, {
    verb: 'list',
    resource: t.info.resource,
    ...(namespace ? { namespace } : {}),
    fieldSelector: `metadata.name=${t.name}`,
    asTable: true,
  });
  if (!rows.ok) return rows;
  const listVersion = (rows.body as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
  return {
    ok: true,
    info: t.info,
    table: rows.body,
    objects: [],
    ...(listVersion !== undefined ? { resourceVersion: listVersion } : {}),
  };
}

/**
 * get.go's watch(): one resource type (SingleResourceType), one object or one collection; the
 * output format is checked first, --sort-by only warned about.
 */
function* runWatch(
  inv: Invocation,
  targets: readonly Target[],
  output: string,
  humanReadable: boolean,
  allNamespaces: boolean,
  sortBy: string,
): Task<number> {
  if (new Set(targets.map((t) => t.info)).size > 1)
    return errorExit(inv, 'you may only specify a single resource type');
  let printer: ObjectPrinter | undefined;
  if (!humanReadable) {
    const template = flagString(inv.flags, 'template') ?? '';
    const formatError = flagBool(inv.flags, 'show-labels')
      ? `--show-labels option cannot be used with ${output} printer`
      : isTemplateOutput(output)
        ? undefined
        : outputFormatError(output, ALL_OUTPUT_FORMATS, template);
    if (formatError) return errorExit(inv, formatError);
    if (isTemplateOutput(output)) {
      const made = templatePrinter({
        output,
        template,
        allowMissingKeys: flagBool(inv.flags, 'allow-missing-template-keys'),
        noHeaders: flagBool(inv.flags, 'no-headers'),
        readFile: (path) => {
          const r = inv.ctx.session.files.readFile(path);
          return r.ok ? r.value : undefined;
        },
      });
      if (!made.ok) return checkErrText(inv, made.error);
      printer = made.printer;
    }
  }
  if (sortBy !== '')
    inv.err('warning: --watch requested, --sort-by will be ignored for watch events received\n');
  const fetched: FetchedOk[] = [];
  for (const t of targets) {
    const f = yield* fetch(inv, t, humanReadable, allNamespaces);
    if (!f.ok) return reportErrors(inv, [f.failure]);
    fetched.push(f);
  }
  const f = fetched[0]!;
  const name = targets[0]!.name;
  const objectVersion =
    f.objects.length === 1 && name !== undefined ? f.objects[0]!.metadata.resourceVersion : undefined;
  return yield* exitOnInterrupt(
    watchAndPrint(
      inv,
      {
        info: f.info,
        ...(name !== undefined ? { name } : {}),
        tables: fetched.flatMap((x) => (x.table ? [x.table] : [])),
        objects: fetched.flatMap((x) => x.objects),
        resourceVersion: Number(f.resourceVersion ?? objectVersion ?? 0),
        several: fetched.length > 1,
      },
      { output, humanReadable, allNamespaces, ...(printer ? { printer } : {}) },
    ),
  );
}

/**
 * get.go's human-readable path: one table printer (and tabwriter column memory) per kind, a blank
 * line between kinds, and a "No resources found" note on stderr when nothing at all was printed.
 */
function printTables(
  inv: Invocation,
  results: readonly Extract<Fetched, { ok: true }>[],
  errors: readonly ApiFailure[],
  targets: readonly Target[],
  allNamespaces: boolean,
): void {
  const wide = flagString(inv.flags, 'output') === 'wide';
  const noHeaders = flagBool(inv.flags, 'no-headers');
  // Names get a kind prefix when what came back mixes kinds (get.go's multipleGVKsRequested).
  const showKind = flagBool(inv.flags, 'show-kind') || new Set(results.map((r) => r.info)).size > 1;
  let out = '';
  let group: { info: ResourceInfo; printer: TablePrinter; w: TabWriter } | undefined;
  const endGroup = (): void => {
    if (!group) return;
    group.w.flush();
    const text = group.w.output;
    if (text !== '' && out !== '' && !noHeaders) out += '\n';
    out += text;
  };
  for (const r of results) {
    if (group?.info !== r.info) {
      endGroup();
      group = {
        info: r.info,
        w: new TabWriter(GET_TABWRITER),
        printer: new TablePrinter({
          wide,
          noHeaders,
          withNamespace: allNamespaces && r.info.namespaced,
          showLabels: flagBool(inv.flags, 'show-labels'),
          columnLabels: flagList(inv.flags, 'label-columns'),
          ...(showKind ? { kind: groupKind(r.info) } : {}),
        }),
      };
    }
    if (r.table) group.printer.print(r.table, group.w);
  }
  endGroup();
  inv.out(out);
  if (out === '' && errors.length === 0 && !flagBool(inv.flags, 'ignore-not-found')) {
    const allNamespaced = !allNamespaces && targets.every((t) => t.info.namespaced);
    inv.err(allNamespaced ? `No resources found in ${inv.namespace} namespace.\n` : 'No resources found\n');
  }
}

type FetchedOk = Extract<Fetched, { ok: true }>;

/** TableSorter: the rows of a Table ordered by the field of each row's object. */
function sortTable(
  r: FetchedOk,
  field: string,
): { ok: true; result: FetchedOk } | { ok: false; error: string } {
  if (!r.table || r.table.rows.length === 0) return { ok: true, result: r };
  const byKey = new Map(r.objects.map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
  const objectOf = (row: TableRow): unknown => {
    const meta = row.object?.metadata as { namespace?: string; name?: string } | undefined;
    return byKey.get(`${meta?.namespace ?? ''}/${meta?.name ?? ''}`) ?? row.object ?? null;
  };
  const sorted = sortByField(r.table.rows, field, objectOf, true);
  if (!sorted.ok) return sorted;
  return { ok: true, result: { ...r, table: { ...r.table, rows: sorted.items } } };
}

/** get.go's printGeneric: one object as itself, anything else wrapped in a `List`. */
function printGeneric(
  inv: Invocation,
  output: string,
  results: readonly Extract<Fetched, { ok: true }>[],
  singleItemImplied: boolean,
  printer: ObjectPrinter | undefined,
  sortBy: string,
): string | undefined {
  let items = results.flatMap((r) => r.objects.map((o) => ({ info: r.info, object: o })));
  // SortingPrinter: a list (not a single object) is sorted before it is printed.
  if (sortBy !== '' && !(singleItemImplied && items.length === 1) && items.length > 0) {
    const relaxed = relaxedJsonPath(sortBy);
    if (!relaxed.ok) return relaxed.error;
    const sorted = sortByField(items, relaxed.path, (i) => i.object, false);
    if (!sorted.ok) return sorted.error;
    items = sorted.items;
  }
  if (output === 'name') {
    for (const { info, object } of items) inv.out(`${kindPrefix(info)}/${object.metadata.name}\n`);
    return undefined;
  }
  const value =
    singleItemImplied && items.length === 1
      ? items[0]!.object
      : {
          apiVersion: 'v1',
          items: items.map((i) => i.object),
          kind: 'List',
          metadata: { resourceVersion: '' },
        };
  if (printer) {
    const printed = printer.print(value);
    inv.out(printed.out);
    return printed.error;
  }
  inv.out(output === 'json' ? printJson(value) : toYaml(value));
  return undefined;
}

/** checkErr of a plain error: `error: ` prefixed, a newline added unless the message ends with one. */
function checkErrText(inv: Invocation, message: string): number {
  inv.err(message.endsWith('\n') ? `error: ${message}` : plainError(message));
  return 1;
}

/** checkErr for get's aggregated errors: one error as itself, several one per line. */
export function reportErrors(inv: Invocation, errors: readonly ApiFailure[]): number {
  if (errors.length === 0) return 0;
  if (errors.length === 1) inv.err(failureMessage(errors[0]!));
  else inv.err(errors.map((e) => `${failureLine(e)}\n`).join(''));
  return 1;
}

export const getCommand: CommandSpec = {
  name: 'get',
  short: 'Display one or many resources',
  suggestFor: ['list', 'ps'],
  flags: [
    ALL_NAMESPACES_FLAG,
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    CHUNK_SIZE_FLAG,
    FIELD_SELECTOR_FLAG,
    FILENAME_FLAG('identifying the resource to get from a server.'),
    {
      name: 'ignore-not-found',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If the requested object does not exist the command will return exit code 0.',
    },
    KUSTOMIZE_FLAG,
    {
      name: 'label-columns',
      short: 'L',
      type: 'stringSlice',
      usage:
        'Accepts a comma separated list of labels that are going to be presented as columns. Names are case-sensitive. You can also use multiple flag options like -L label1 -L label2...',
    },
    {
      name: 'no-headers',
      type: 'bool',
      defaultValue: 'false',
      usage:
        "When using the default or custom-column output format, don't print headers (default print headers).",
    },
    {
      name: 'output',
      short: 'o',
      type: 'string',
      defaultValue: '',
      usage:
        'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide). See custom columns [https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template [http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template [https://kubernetes.io/docs/reference/kubectl/jsonpath/].',
    },
    {
      name: 'output-watch-events',
      type: 'bool',
      defaultValue: 'false',
      usage:
        'Output watch event objects when --watch or --watch-only is used. Existing objects are output as initial ADDED events.',
    },
    {
      name: 'raw',
      type: 'string',
      defaultValue: '',
      usage: 'Raw URI to request from the server.  Uses the transport specified by the kubeconfig file.',
    },
    RECURSIVE_FLAG,
    SELECTOR_FLAG,
    {
      name: 'server-print',
      type: 'bool',
      defaultValue: 'true',
      usage:
        'If true, have the server return the appropriate table output. Supports extension APIs and CRDs.',
    },
    {
      name: 'show-kind',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If present, list the resource type for the requested object(s).',
    },
    {
      name: 'show-labels',
      type: 'bool',
      defaultValue: 'false',
      usage: 'When printing, show all labels as the last column (default hide labels column)',
    },
    SHOW_MANAGED_FIELDS_FLAG,
    {
      name: 'sort-by',
      type: 'string',
      defaultValue: '',
      usage:
        "If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string.",
    },
    {
      name: 'subresource',
      type: 'string',
      defaultValue: '',
      usage:
        'If specified, gets the subresource of the requested object. This flag is beta and may change in the future.',
    },
    TEMPLATE_FLAG,
    {
      name: 'watch',
      short: 'w',
      type: 'bool',
      defaultValue: 'false',
      usage: 'After listing/getting the requested object, watch for changes.',
    },
    {
      name: 'watch-only',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Watch for changes to the requested object(s), without listing/getting first.',
    },
  ],
  help: {
    long:
      'Display one or many resources.\n\n' +
      " Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --selector flag. If the desired resource type is namespaced you will only see results in the current namespace if you don't specify any namespace.\n\n" +
      " By specifying the output as 'template' and providing a Go template as the value of the --template flag, you can filter the attributes of the fetched resources.\n\n" +
      'Use "kubectl api-resources" for a complete list of supported resources.',
    examples: [
      '  # List all pods in ps output format',
      '  kubectl get pods',
      '  ',
      '  # List all pods in ps output format with more information (such as node name)',
      '  kubectl get pods -o wide',
      '  ',
      '  # List a single replication controller with specified NAME in ps output format',
      '  kubectl get replicationcontroller web',
      '  ',
      '  # List deployments in JSON output format, in the "v1" version of the "apps" API group',
      '  kubectl get deployments.v1.apps -o json',
      '  ',
      '  # List a single pod in JSON output format',
      '  kubectl get -o json pod web-pod-13je7',
      '  ',
      '  # List a pod identified by type and name specified in "pod.yaml" in JSON output format',
      '  kubectl get -f pod.yaml -o json',
      '  ',
      '  # List resources from a directory with kustomization.yaml - e.g. dir/kustomization.yaml',
      '  kubectl get -k dir/',
      '  ',
      '  # Return only the phase value of the specified pod',
      '  kubectl get -o template pod/web-pod-13je7 --template={{.status.phase}}',
      '  ',
      '  # List resource information in custom columns',
      '  kubectl get pod test-pod -o custom-columns=CONTAINER:.spec.containers[0].name,IMAGE:.spec.containers[0].image',
      '  ',
      '  # List all replication controllers and services together in ps output format',
      '  kubectl get rc,services',
      '  ',
      '  # List one or more resources by their type and names',
      '  kubectl get rc/web service/frontend pods/web-pod-13je7',
      '  ',
      "  # List the 'status' subresource for a single pod",
      '  kubectl get pod web-pod-13je7 --subresource status',
      '  ',
      "  # List all deployments in namespace 'backend'",
      '  kubectl get deployments.apps --namespace backend',
      '  ',
      '  # List all pods existing in all namespaces',
      '  kubectl get pods --all-namespaces',
    ].join('\n'),
    usage:
      'kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]',
  },
  run,
};
