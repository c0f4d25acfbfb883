import type { ResourceInfo } from '../../sim/api/resources';
import type { Task } from '../../sim/kernel/task';
import { rfc3339 } from '../../sim/kernel/time';
import type { CommandSpec } from '../cli/command';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  defaultSubCommandRun,
  errorExit,
  notImplemented,
  OUTPUT_FLAG,
  outputFormatError,
  PRINT_FLAGS_FORMATS,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
} from '../cli/common';
import { discover } from '../cli/discovery';
import { failureMessage } from '../cli/errors';
import { renderHelp } from '../cli/help';
import { call, type Invocation } from '../cli/invocation';
import { flagBool, flagString } from '../flags';
import { toGoJson } from '../print/json';
import { GET_TABWRITER, TabWriter } from '../print/tabwriter';
import { isTemplateOutput, templatePrinter } from '../print/templatePrinters';
import { toYaml } from '../print/yaml';
import { USER_NAME } from './config';

/**
 * `kubectl auth can-i` and `kubectl auth whoami` (pkg/cmd/auth). The lab's user is kubeadm's
 * `kubernetes-admin` (group `kubeadm:cluster-admins`, bound to `cluster-admin`), so every
 * SelfSubjectAccessReview is allowed. The simulated API server has no authorization API: the
 * review is a round trip to it (so an unreachable server fails as it would) answered as an
 * admin's would be. What kubectl does around it is kubectl's: the REST mapping of the resource
 * (with its warnings), the validation, the `--list` table (rules broken down, compacted and
 * sorted as rbac's SortableRuleSlice does), `-q` and the exit codes.
 */

const GROUPS = ['kubeadm:cluster-admins', 'system:authenticated'];

/** Verbs can-i knows (it warns about others). */
const RESOURCE_VERBS = new Set([
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  'use',
  'bind',
  'impersonate',
  '*',
  'approve',
  'sign',
  'escalate',
  'attest',
]);
const NON_RESOURCE_VERBS = new Set(['get', 'put', 'post', 'head', 'options', 'delete', 'patch', '*']);
/** Resources the server authorizes but discovery does not list (the impersonate verb's). */
const NON_STANDARD_RESOURCES = new Set(['users', 'groups']);

/** The answer of a round trip standing in for the review's POST: undefined, or the exit code after printing the failure. */
function* review(inv: Invocation): Task<number | undefined> {
  const r = yield* call<unknown>(inv, { verb: 'version', resource: '' });
  if (r.ok) return undefined;
  inv.err(failureMessage(r.failure));
  return 1;
}

/** WarningPrinter.Print of a message that already ends with a newline (hence the blank line). */
const warn = (inv: Invocation, message: string): void => inv.err(`Warning: ${message}\n\n`);

interface Gvr {
  readonly resource: string;
  readonly group: string;
  readonly info?: ResourceInfo;
}

/** can-i's resourceFor: the mapped resource, or the argument itself after a warning. */
function* resourceFor(inv: Invocation, arg: string): Task<Gvr | { code: number }> {
  if (arg === '*') return { resource: '*', group: '' };
  const lower = arg.toLowerCase();
  const dots = lower.split('.');
  const fully = dots.length >= 3;
  const discovery = yield* discover(inv, fully ? 4 : 2);
  const dot = lower.indexOf('.');
  const name = dot >= 0 ? lower.slice(0, dot) : lower;
  const group = dot >= 0 ? lower.slice(dot + 1) : '';
  const matches = (r: ResourceInfo, n: string): boolean =>
    r.resource === n || r.singular === n || r.shortNames.includes(n);
  if (discovery.ok) {
    if (fully) {
      const [n = '', version = '', ...g] = dots;
      const found = discovery.resources.find(
        (r) => matches(r, n) && r.version === version && r.group === g.join('.'),
      );
      if (found) return { resource: found.resource, group: found.group, info: found };
    }
    const found = discovery.resources.find((r) => matches(r, name) && (dot < 0 || r.group === group));
    if (found) return { resource: found.resource, group: found.group, info: found };
  }
  const groupResource = group === '' ? name : `${name}.${group}`;
  if (!NON_STANDARD_RESOURCES.has(groupResource))
    warn(
      inv,
      group === ''
        ? `the server doesn't have a resource type '${name}'`
        : `the server doesn't have a resource type '${name}' in group '${group}'`,
    );
  return { resource: arg, group: '' };
}

function* runCanI(inv: Invocation): Task<number> {
  const list = flagBool(inv.flags, 'list');
  const quiet = flagBool(inv.flags, 'quiet');
  const allNamespaces = flagBool(inv.flags, 'all-namespaces');
  const subresource = flagString(inv.flags, 'subresource') ?? '';
  const out = (text: string): void => {
    if (!quiet || list) inv.out(text);
  };
  let verb = '';
  let nonResourceUrl = '';
  let gvr: Gvr | undefined;
  if (list) {
    if (inv.args.length !== 0) return errorExit(inv, 'list option must be specified with no arguments');
  } else {
    if (inv.args.length !== 2)
      return errorExit(
        inv,
        "you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.",
      );
    verb = inv.args[0]!;
    const target = inv.args[1]!;
    if (target.startsWith('/')) nonResourceUrl = target;
    else {
      const slash = target.indexOf('/');
      const mapped = yield* resourceFor(inv, slash >= 0 ? target.slice(0, slash) : target);
      if ('code' in mapped) return mapped.code;
      gvr = mapped;
    }
  }

  // Validate.
  if (list) {
    if (quiet || allNamespaces || subresource !== '')
      return errorExit(
        inv,
        "list option can't be specified with neither quiet, all-namespaces nor subresource options",
      );
  } else {
    if (nonResourceUrl !== '') {
      if (subresource !== '') return errorExit(inv, '--subresource can not be used with NonResourceURL');
      if (!NON_RESOURCE_VERBS.has(verb)) warn(inv, `verb '${verb}' is not a known verb`);
    } else if (gvr) {
      if (!allNamespaces && gvr.info && !gvr.info.namespaced)
        warn(
          inv,
          gvr.group === ''
            ? `resource '${gvr.resource}' is not namespace scoped`
            : `resource '${gvr.resource}' is not namespace scoped in group '${gvr.group}'`,
        );
      if (!RESOURCE_VERBS.has(verb)) warn(inv, `verb '${verb}' is not a known verb`);
    }
    if (flagBool(inv.flags, 'no-headers'))
      return errorExit(inv, '--no-headers cannot be set without --list specified');
  }

  const failed = yield* review(inv);
  if (failed !== undefined) return failed;
  if (list) {
    const w = new TabWriter(GET_TABWRITER);
    if (!flagBool(inv.flags, 'no-headers')) w.write('Resources\tNon-Resource URLs\tResource Names\tVerbs\n');
    for (const rule of ADMIN_RULES) w.write(`${rule.join('\t')}\n`);
    w.flush();
    out(w.output);
    return 0;
  }
  out('yes\n');
  return 0;
}

/**
 * What `--list` prints for kubeadm's admin: cluster-admin's two rules, then system:basic-user's
 * reviews and the non-resource URLs of system:discovery and system:public-info-viewer (duplicates
 * kept, as CompactRules leaves non-resource rules alone), in SortableRuleSlice's order.
 */
const ADMIN_RULES: readonly (readonly string[])[] = [
  ['*.*', '[]', '[]', '[*]'],
  ['', '[*]', '[]', '[*]'],
  ['selfsubjectreviews.authentication.k8s.io', '[]', '[]', '[create]'],
  ['selfsubjectaccessreviews.authorization.k8s.io', '[]', '[]', '[create]'],
  ['selfsubjectrulesreviews.authorization.k8s.io', '[]', '[]', '[create]'],
  ...[
    '/api/*',
    '/api',
    '/apis/*',
    '/apis',
    '/healthz',
    '/healthz',
    '/livez',
    '/livez',
    '/openapi/*',
    '/openapi',
    '/readyz',
    '/readyz',
    '/version/',
    '/version/',
    '/version',
    '/version',
  ].map((url) => ['', `[${url}]`, '[]', '[get]']),
];

export const canICommand: CommandSpec = {
  name: 'can-i',
  short: 'Check whether an action is allowed',
  flags: [
    {
      name: 'all-namespaces',
      short: 'A',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, check the specified action in all namespaces.',
    },
    { name: 'list', type: 'bool', defaultValue: 'false', usage: 'If true, prints all allowed actions.' },
    {
      name: 'no-headers',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, prints allowed actions without headers',
    },
    {
      name: 'quiet',
      short: 'q',
      type: 'bool',
      defaultValue: 'false',
      usage: 'If true, suppress output and just return the exit code.',
    },
    {
      name: 'subresource',
      type: 'string',
      defaultValue: '',
      usage: 'SubResource such as pod/log or deployment/scale',
    },
  ],
  help: {
    long:
      'Check whether an action is allowed.\n\n' +
      ` VERB is a logical Kubernetes API verb like 'get', 'list', 'watch', 'delete', etc. TYPE is a Kubernetes resource. Shortcuts and groups will be resolved. NONRESOURCEURL is a partial URL that starts with "/". NAME is the name of a particular Kubernetes resource. This command pairs nicely with impersonation. See --as global flag.`,
    examples: [
      '  # Check to see if I can create pods in any namespace',
      '  kubectl auth can-i create pods --all-namespaces',
      '  ',
      '  # Check to see if I can list deployments in my current namespace',
      '  kubectl auth can-i list deployments.apps',
      '  ',
      '  # Check to see if service account "foo" of namespace "dev" can list pods in the namespace "prod"',
      '  # You must be allowed to use impersonation for the global option "--as"',
      '  kubectl auth can-i list pods --as=system:serviceaccount:dev:foo -n prod',
      '  ',
      '  # Check to see if I can do everything in my current namespace ("*" means all)',
      "  kubectl auth can-i '*' '*'",
      '  ',
      '  # Check to see if I can get the job named "bar" in namespace "foo"',
      '  kubectl auth can-i list jobs.batch/bar -n foo',
      '  ',
      '  # Check to see if I can read pod logs',
      '  kubectl auth can-i get pods --subresource=log',
      '  ',
      '  # Check to see if I can access the URL /logs/',
      '  kubectl auth can-i get /logs/',
      '  ',
      '  # Check to see if I can approve certificates.k8s.io',
      '  kubectl auth can-i approve certificates.k8s.io',
      '  ',
      '  # List all allowed actions in namespace "foo"',
      '  kubectl auth can-i --list --namespace=foo',
    ].join('\n'),
    usage: 'kubectl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [options]',
  },
  run: runCanI,
};

// ---- whoami ----

function* runWhoami(inv: Invocation): Task<number> {
  const output = flagString(inv.flags, 'output') ?? '';
  const template = flagString(inv.flags, 'template') ?? '';
  let printer: ReturnType<typeof templatePrinter> | undefined;
  if (output !== '') {
    if (isTemplateOutput(output)) {
      printer = templatePrinter({
        output,
        template,
        allowMissingKeys: flagBool(inv.flags, 'allow-missing-template-keys'),
        noHeaders: false,
        typed: true,
        readFile: (path) => {
          const r = inv.ctx.session.files.readFile(path);
          return r.ok ? r.value : undefined;
        },
      });
      if (!printer.ok) return errorExit(inv, printer.error.replace(/\n$/, ''));
    } else {
      const formatError = outputFormatError(output, PRINT_FLAGS_FORMATS, template);
      if (formatError) return errorExit(inv, formatError);
    }
  }
  const failed = yield* review(inv);
  if (failed !== undefined) return failed;
  const answer = {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: rfc3339(inv.ctx.cluster.sim.nowMs) },
    status: { userInfo: { username: USER_NAME, groups: GROUPS } },
  };
  if (output === '') {
    const w = new TabWriter(GET_TABWRITER);
    w.write(`ATTRIBUTE\tVALUE\nUsername\t${USER_NAME}\nGroups\t[${GROUPS.join(' ')}]\n`);
    w.flush();
    inv.out(w.output);
    return 0;
  }
  if (output === 'yaml') inv.out(toYaml(answer));
  else if (output === 'json') inv.out(`${toGoJson(answer, '    ', false)}\n`);
  else if (output === 'name') inv.out('selfsubjectreview.authentication.k8s.io/\n');
  else if (printer?.ok) {
    const printed = printer.printer.print(answer as never);
    inv.out(printed.out);
    if (printed.error !== undefined) {
      inv.err(printed.error.endsWith('\n') ? `error: ${printed.error}` : `error: ${printed.error}\n`);
      return 1;
    }
  }
  return 0;
}

export const whoamiCommand: CommandSpec = {
  name: 'whoami',
  short: 'Experimental: Check self subject attributes',
  flags: [ALLOW_MISSING_TEMPLATE_KEYS_FLAG, OUTPUT_FLAG, SHOW_MANAGED_FIELDS_FLAG, TEMPLATE_FLAG],
  help: {
    long:
      'Experimental: Check who you are and your attributes (groups, extra).\n\n' +
      '        This command is helpful to get yourself aware of the current user attributes,\n' +
      '        especially when dynamic authentication, e.g., token webhook, auth proxy, or OIDC provider,\n' +
      '        is enabled in the Kubernetes cluster.',
    examples: [
      '  # Get your subject attributes',
      '  kubectl auth whoami',
      '  ',
      '  # Get your subject attributes in JSON format',
      '  kubectl auth whoami -o json',
    ].join('\n'),
    usage: 'kubectl auth whoami [options]',
  },
  run: runWhoami,
};

export const authCommand: CommandSpec = {
  name: 'auth',
  short: 'Inspect authorization',
  subcommands: [
    canICommand,
    {
      name: 'reconcile',
      short: 'Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects',
      lenientFlags: true,
      run: notImplemented('kubectl auth reconcile'),
    },
    whoamiCommand,
  ],
  // DefaultSubCommandRun(streams.ErrOut): the help goes to stderr, with exit code 1.
  run: defaultSubCommandRun(() => renderHelp(authCommand, 'kubectl auth'), 'err'),
};
