import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import {
  ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
  defaultSubCommandRun,
  errorExit,
  notImplemented,
  OUTPUT_FLAG,
  SHOW_MANAGED_FIELDS_FLAG,
  TEMPLATE_FLAG,
  usageError,
} from '../cli/common';
import { SERVER_URL } from '../cli/errors';
import { renderHelp } from '../cli/help';
import type { Invocation } from '../cli/invocation';
import { flagBool, flagString } from '../flags';
import { toGoJson } from '../print/json';
import { GET_TABWRITER, TabWriter } from '../print/tabwriter';
import { isTemplateOutput, templatePrinter } from '../print/templatePrinters';
import { toYaml } from '../print/yaml';

/**
 * `kubectl config`: the lab's kubeconfig, the one kubeadm writes for its admin (cluster
 * `kubernetes` at the API load balancer, user `kubernetes-admin`, one context). It is not a file:
 * the only thing that can change is the context's namespace, which is the session's namespace
 * (`set-context --current --namespace=X`), the one every other command defaults to.
 */

export const CLUSTER_NAME = 'kubernetes';
export const USER_NAME = 'kubernetes-admin';
export const CONTEXT_NAME = `${USER_NAME}@${CLUSTER_NAME}`;

/** base64 of a PEM header: what `--raw` shows in place of the certificates the lab does not have. */
const RAW_CERT = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==';
const RAW_KEY = 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=';

/** The namespace the context names: none while it is `default`, as kubeadm's kubeconfig has none. */
function contextNamespace(inv: Invocation): string {
  const ns = inv.ctx.session.namespace;
  return ns === 'default' ? '' : ns;
}

/** clientcmdapi.Config as `config view` serializes it (v1 field order: the JSON printer keeps it). */
function kubeconfig(inv: Invocation, raw: boolean): Record<string, unknown> {
  const data = (value: string): string => (raw ? value : 'DATA+OMITTED');
  const ns = contextNamespace(inv);
  return {
    kind: 'Config',
    apiVersion: 'v1',
    preferences: {},
    clusters: [
      { name: CLUSTER_NAME, cluster: { server: SERVER_URL, 'certificate-authority-data': data(RAW_CERT) } },
    ],
    users: [
      {
        name: USER_NAME,
        user: { 'client-certificate-data': data(RAW_CERT), 'client-key-data': data(RAW_KEY) },
      },
    ],
    contexts: [
      {
        name: CONTEXT_NAME,
        context: { cluster: CLUSTER_NAME, user: USER_NAME, ...(ns ? { namespace: ns } : {}) },
      },
    ],
    'current-context': CONTEXT_NAME,
  };
}

function* view(inv: Invocation): Task<number> {
  if (inv.args.length > 0) return usageError(inv, `unexpected arguments: [${inv.args.join(' ')}]`);
  const output = flagString(inv.flags, 'output') ?? 'yaml';
  const config = kubeconfig(inv, flagBool(inv.flags, 'raw'));
  // --minify keeps what the current context uses: here, everything.
  if (output === 'yaml') inv.out(toYaml(config));
  else if (output === 'json') inv.out(`${toGoJson(config, '    ', false)}\n`);
  else if (output === 'name') inv.out('config/<unknown>\n');
  else if (isTemplateOutput(output)) {
    const made = templatePrinter({
      output,
      template: flagString(inv.flags, 'template') ?? '',
      allowMissingKeys: flagBool(inv.flags, 'allow-missing-template-keys'),
      noHeaders: false,
      readFile: (path) => {
        const r = inv.ctx.session.files.readFile(path);
        return r.ok ? r.value : undefined;
      },
    });
    if (!made.ok) return errorExit(inv, made.error);
    const printed = made.printer.print(JSON.parse(toGoJson(config, '', false)));
    inv.out(printed.out);
    if (printed.error) return errorExit(inv, printed.error);
  } else return errorExit(inv, `-o ${output} is not supported by this simulated kubectl yet`);
  return 0;
}

function* currentContext(inv: Invocation): Task<number> {
  inv.out(`${CONTEXT_NAME}\n`);
  return 0;
}

function* getContexts(inv: Invocation): Task<number> {
  const output = flagString(inv.flags, 'output') ?? '';
  if (output !== '' && output !== 'name')
    return errorExit(
      inv,
      `--output ${output} is not available in kubectl config get-contexts; resetting to default output format`,
    );
  const wanted = inv.args.length > 0 ? inv.args : [CONTEXT_NAME];
  const w = new TabWriter(GET_TABWRITER);
  if (output === '' && !flagBool(inv.flags, 'no-headers'))
    w.write('CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n');
  const missing: string[] = [];
  for (const name of wanted) {
    if (name !== CONTEXT_NAME) {
      missing.push(name);
      continue;
    }
    if (output === 'name') w.write(`${name}\n`);
    else w.write(`*\t${name}\t${CLUSTER_NAME}\t${USER_NAME}\t${contextNamespace(inv)}\n`);
  }
  w.flush();
  inv.out(w.output);
  if (missing.length === 0) return 0;
  // utilerrors.NewAggregate of "context X not found".
  const errs = missing.map((m) => `context ${m} not found`);
  return errorExit(inv, errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`);
}

function* setContext(inv: Invocation): Task<number> {
  const current = flagBool(inv.flags, 'current');
  const name = inv.args[0] ?? '';
  if (inv.args.length > 1) return usageError(inv, `Unexpected args: [${inv.args.slice(1).join(' ')}]`);
  if (current && name !== '') return errorExit(inv, 'you cannot specify both a context name and --current');
  if (!current && name === '')
    return errorExit(inv, 'you must specify a non-empty context name or --current');
  if (!current && name !== CONTEXT_NAME)
    return errorExit(
      inv,
      `only the context "${CONTEXT_NAME}" exists in this lab; creating others is not supported`,
    );
  for (const flag of ['cluster', 'user']) {
    const value = flagString(inv.flags, flag) ?? '';
    const fixed = flag === 'cluster' ? CLUSTER_NAME : USER_NAME;
    if (value !== '' && value !== fixed)
      return errorExit(inv, `--${flag} can only be "${fixed}" in this lab`);
  }
  if (inv.flags.changed?.has('namespace'))
    inv.ctx.session.namespace = flagString(inv.flags, 'namespace') || 'default';
  inv.out(`Context "${CONTEXT_NAME}" modified.\n`);
  return 0;
}

function* useContext(inv: Invocation): Task<number> {
  if (inv.args.length !== 1) {
    inv.out(renderHelp(useContextCommand, 'kubectl config use-context'));
    return errorExit(inv, `Unexpected args: [${inv.args.join(' ')}]`);
  }
  const name = inv.args[0]!;
  if (name !== CONTEXT_NAME)
    return errorExit(inv, `no context exists with the name: ${JSON.stringify(name)}`);
  inv.out(`Switched to context ${JSON.stringify(name)}.\n`);
  return 0;
}

const viewCommand: CommandSpec = {
  name: 'view',
  short: 'Display merged kubeconfig settings or a specified kubeconfig file',
  flags: [
    ALLOW_MISSING_TEMPLATE_KEYS_FLAG,
    {
      name: 'flatten',
      type: 'bool',
      defaultValue: 'false',
      usage:
        'Flatten the resulting kubeconfig file into self-contained output (useful for creating portable kubeconfig files)',
    },
    {
      name: 'merge',
      type: 'bool',
      defaultValue: 'true',
      usage: 'Merge the full hierarchy of kubeconfig files',
    },
    {
      name: 'minify',
      type: 'bool',
      defaultValue: 'false',
      usage: 'Remove all information not used by current-context from the output',
    },
    { ...OUTPUT_FLAG, defaultValue: 'yaml' },
    { name: 'raw', type: 'bool', defaultValue: 'false', usage: 'Display raw byte data and sensitive data' },
    SHOW_MANAGED_FIELDS_FLAG,
    TEMPLATE_FLAG,
  ],
  help: {
    long:
      'Display merged kubeconfig settings or a specified kubeconfig file.\n\n' +
      ' You can use --output jsonpath={...} to extract specific values using a jsonpath expression.',
    examples: [
      '  # Show merged kubeconfig settings',
      '  kubectl config view',
      '  ',
      '  # Show merged kubeconfig settings, raw certificate data, and exposed secrets',
      '  kubectl config view --raw',
      '  ',
      '  # Get the password for the e2e user',
      `  kubectl config view -o jsonpath='{.users[?(@.name == "e2e")].user.password}'`,
    ].join('\n'),
    usage: 'kubectl config view [flags] [options]',
  },
  run: view,
};

const currentContextCommand: CommandSpec = {
  name: 'current-context',
  short: 'Display the current-context',
  help: {
    long: 'Display the current-context.',
    examples: ['  # Display the current-context', '  kubectl config current-context'].join('\n'),
    usage: 'kubectl config current-context [flags] [options]',
  },
  run: currentContext,
};

const getContextsCommand: CommandSpec = {
  name: 'get-contexts',
  short: 'Describe one or many contexts',
  flags: [
    {
      name: 'no-headers',
      type: 'bool',
      defaultValue: 'false',
      usage:
        "When using the default or custom-column output format, don't print headers (default print headers).",
    },
    { name: 'output', short: 'o', type: 'string', defaultValue: '', usage: 'Output format. One of: (name).' },
  ],
  help: {
    long: 'Display one or many contexts from the kubeconfig file.',
    examples: [
      '  # List all the contexts in your kubeconfig file',
      '  kubectl config get-contexts',
      '  ',
      '  # Describe one context in your kubeconfig file',
      '  kubectl config get-contexts my-context',
    ].join('\n'),
    usage: 'kubectl config get-contexts [(-o|--output=)name)] [options]',
  },
  run: getContexts,
};

const setContextCommand: CommandSpec = {
  name: 'set-context',
  short: 'Set a context entry in kubeconfig',
  flags: [
    {
      name: 'cluster',
      type: 'string',
      defaultValue: '',
      usage: 'cluster for the context entry in kubeconfig',
    },
    { name: 'current', type: 'bool', defaultValue: 'false', usage: 'Modify the current context' },
    {
      name: 'namespace',
      type: 'string',
      defaultValue: '',
      usage: 'namespace for the context entry in kubeconfig',
    },
    { name: 'user', type: 'string', defaultValue: '', usage: 'user for the context entry in kubeconfig' },
  ],
  help: {
    long:
      'Set a context entry in kubeconfig.\n\n' +
      ' Specifying a name that already exists will merge new fields on top of existing values for those fields.',
    examples: [
      '  # Set the user field on the gce context entry without touching other values',
      '  kubectl config set-context gce --user=cluster-admin',
    ].join('\n'),
    usage:
      'kubectl config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [options]',
  },
  run: setContext,
};

const useContextCommand: CommandSpec = {
  name: 'use-context',
  aliases: ['use'],
  short: 'Set the current-context in a kubeconfig file',
  help: {
    long: 'Set the current-context in a kubeconfig file.',
    examples: ['  # Use the context for the minikube cluster', '  kubectl config use-context minikube'].join(
      '\n',
    ),
    usage: 'kubectl config use-context CONTEXT_NAME [options]',
  },
  run: useContext,
};

const todo = (name: string, short: string): CommandSpec => ({
  name,
  short,
  lenientFlags: true,
  run: notImplemented(`kubectl config ${name}`),
});

export const configCommand: CommandSpec = {
  name: 'config',
  short: 'Modify kubeconfig files',
  help: {
    long:
      'Modify kubeconfig files using subcommands like "kubectl config set current-context my-context".\n\n' +
      ' The loading order follows these rules:\n\n' +
      '  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes place.\n' +
      '  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for your system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When a value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the last file in the list.\n' +
      // biome-ignore lint/suspicious/noTemplateCurlyInString: kubectl's own text
      '  3.  Otherwise, ${HOME}/.kube/config is used and no merging takes place.',
    usage: 'kubectl config SUBCOMMAND [options]',
  },
  subcommands: [
    currentContextCommand,
    todo('delete-cluster', 'Delete the specified cluster from the kubeconfig'),
    todo('delete-context', 'Delete the specified context from the kubeconfig'),
    todo('delete-user', 'Delete the specified user from the kubeconfig'),
    todo('get-clusters', 'Display clusters defined in the kubeconfig'),
    getContextsCommand,
    todo('get-users', 'Display users defined in the kubeconfig'),
    todo('rename-context', 'Rename a context from the kubeconfig file'),
    todo('set', 'Set an individual value in a kubeconfig file'),
    todo('set-cluster', 'Set a cluster entry in kubeconfig'),
    setContextCommand,
    todo('set-credentials', 'Set a user entry in kubeconfig'),
    todo('unset', 'Unset an individual value in a kubeconfig file'),
    useContextCommand,
    viewCommand,
  ],
  // DefaultSubCommandRun(streams.ErrOut): the help goes to stderr, with exit code 1.
  run: defaultSubCommandRun(() => renderHelp(configCommand, 'kubectl config'), 'err'),
};
