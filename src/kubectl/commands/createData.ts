import { HOME } from '../../shell/vfs';
import type { KubeObject } from '../../sim/api/types';
import { base64 } from '../../sim/apiserver/batchDefaults';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import { defaultSubCommandRun, errorExit } from '../cli/common';
import { renderHelp } from '../cli/help';
import type { Invocation } from '../cli/invocation';
import { type FlagSpec, flagList, flagString } from '../flags';
import { nameFromArgs } from './createDeployment';
import { CREATE_GENERATOR_FLAGS, generatorStrategy, sendGenerated } from './createShared';

/**
 * `kubectl create configmap` and `kubectl create secret generic`: key/value pairs from
 * `--from-literal`, `--from-file` (a file, `key=file`, or each file of a folder) and
 * `--from-env-file`, read from the lab's filesystem, with create_configmap.go's and
 * create_secret.go's checks and messages.
 */

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_KEY_ERROR =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const ENV_NAME_ERROR =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

type Kind = 'ConfigMap' | 'Secret';

function expandHome(path: string): string {
  return path === '~' ? HOME : path.startsWith('~/') ? HOME + path.slice(1) : path;
}

interface Sources {
  readonly files: readonly string[];
  readonly literals: readonly string[];
  readonly envFiles: readonly string[];
}

const flagSources = (inv: Invocation): Sources => ({
  files: flagList(inv.flags, 'from-file'),
  literals: flagList(inv.flags, 'from-literal'),
  envFiles: flagList(inv.flags, 'from-env-file'),
});

/** Collects the pairs in order of the flags' kinds as kubectl does: files, literals, env files. */
function collect(
  inv: Invocation,
  kind: Kind,
  name: string,
  sources: Sources = flagSources(inv),
): Map<string, string> | string {
  const data = new Map<string, string>();
  const keyError = (key: string): string | undefined => {
    if (key.length <= 253 && CONFIG_KEY.test(key) && key !== '.' && key !== '..') return undefined;
    return `${JSON.stringify(key)} is not a valid key name for a ${kind}: ${CONFIG_KEY_ERROR}`;
  };
  const add = (key: string, value: string): string | undefined => {
    const bad = keyError(key);
    if (bad) return bad;
    if (data.has(key))
      return kind === 'ConfigMap'
        ? `cannot add key ${JSON.stringify(key)}, another key by that name already exists in Data for ConfigMap ${JSON.stringify(name)}`
        : `cannot add key ${key}, another key by that name already exists`;
    data.set(key, value);
    return undefined;
  };
  const fs = inv.ctx.session.files;
  for (const source of sources.files) {
    const eq = source.indexOf('=');
    if (eq === 0) return `key name for file path ${source.slice(1)} missing`;
    const key = eq > 0 ? source.slice(0, eq) : undefined;
    const path = expandHome(eq > 0 ? source.slice(eq + 1) : source);
    if (key !== undefined && path === '') return `file path for key name ${key} missing`;
    if (fs.isDir(path)) {
      if (key !== undefined) return 'cannot give a key name for a directory path';
      const listing = fs.list(path);
      for (const e of listing.ok ? listing.value : []) {
        if (e.dir || keyError(e.name)) continue;
        const r = fs.readFile(`${path}/${e.name}`);
        if (!r.ok) continue;
        const err = add(e.name, r.value);
        if (err) return err;
      }
      continue;
    }
    const r = fs.readFile(path);
    if (!r.ok) return `error reading ${path}: no such file or directory`;
    const err = add(key ?? path.split('/').pop() ?? path, r.value);
    if (err) return err;
  }
  for (const source of sources.literals) {
    const eq = source.indexOf('=');
    if (eq <= 0) return `invalid literal source ${source}, expected key=value`;
    const err = add(source.slice(0, eq), source.slice(eq + 1).replace(/^["']+|["']+$/g, ''));
    if (err) return err;
  }
  for (const file of sources.envFiles) {
    const path = expandHome(file);
    const r = fs.readFile(path);
    if (!r.ok) return `error reading ${path}: no such file or directory`;
    const lines = r.value.replace(/^\uFEFF/, '').split('\n');
    for (const raw of lines) {
      const line = raw.replace(/\r$/, '');
      if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
      const eq = line.indexOf('=');
      if (eq < 0) continue; // would come from kubectl's own environment: nothing here
      const key = line.slice(0, eq).replace(/^\s+/, '');
      if (!ENV_NAME.test(key)) return `${JSON.stringify(key)} is not a valid key name: ${ENV_NAME_ERROR}`;
      const err = add(key, line.slice(eq + 1));
      if (err) return err;
    }
  }
  return data;
}

function sorted(data: Map<string, string>, encode: (v: string) => string): Record<string, string> {
  return Object.fromEntries([...data.keys()].sort().map((k) => [k, encode(data.get(k)!)]));
}

function* run(inv: Invocation, kind: Kind): Task<number> {
  const name = nameFromArgs(inv);
  if (typeof name !== 'string') return name.error;
  const strategy = generatorStrategy(inv);
  if (typeof strategy === 'object') return strategy.exit;
  const data = collect(inv, kind, name);
  if (typeof data === 'string') return errorExit(inv, data);
  const type = flagString(inv.flags, 'type') ?? '';
  const metadata = {
    name,
    ...(inv.explicitNamespace ? { namespace: inv.namespace } : {}),
    creationTimestamp: null,
  };
  const obj = (kind === 'ConfigMap'
    ? {
        kind,
        apiVersion: 'v1',
        metadata,
        ...(data.size > 0 ? { data: sorted(data, (v) => v) } : {}),
      }
    : {
        kind,
        apiVersion: 'v1',
        metadata,
        ...(data.size > 0 ? { data: sorted(data, base64) } : {}),
        ...(type !== '' ? { type } : {}),
      }) as unknown as KubeObject;
  const prefix = kind === 'ConfigMap' ? 'configmap' : 'secret';
  return yield* sendGenerated(inv, kind === 'ConfigMap' ? 'configmaps' : 'secrets', prefix, obj, strategy);
}

const COMMON_FLAGS = CREATE_GENERATOR_FLAGS;

const sourceFlags = (what: string, fileUsage: string): FlagSpec[] => [
  {
    name: 'append-hash',
    type: 'bool',
    defaultValue: 'false',
    usage: `Append a hash of the ${what} to its name.`,
  },
  {
    name: 'from-env-file',
    type: 'stringSlice',
    usage: `Specify the path to a file to read lines of key=val pairs to create a ${what}.`,
  },
  { name: 'from-file', type: 'stringSlice', usage: fileUsage },
  {
    name: 'from-literal',
    type: 'stringArray',
    usage: `Specify a key and literal value to insert in ${what} (i.e. mykey=somevalue)`,
  },
];

const byName = (a: FlagSpec, b: FlagSpec): number => a.name.localeCompare(b.name);

export const createConfigMapCommand: CommandSpec = {
  name: 'configmap',
  aliases: ['cm'],
  short: 'Create a config map from a local file, directory or literal value',
  flags: [
    ...COMMON_FLAGS,
    ...sourceFlags(
      'configmap',
      'Key file can be specified using its file path, in which case file basename will be used as configmap key, or optionally with a key and file path, in which case the given key will be used.  Specifying a directory will iterate each named file in the directory whose basename is a valid configmap key.',
    ),
  ].sort(byName),
  help: {
    long: [
      'Create a config map based on a file, directory, or specified literal value.',
      '',
      ' A single config map may package one or more key/value pairs.',
      '',
      ' When creating a config map based on a file, the key will default to the basename of the file, and the value will default to the file content.  If the basename is an invalid key, you may specify an alternate key.',
      '',
      ' When creating a config map based on a directory, each file whose basename is a valid key in the directory will be packaged into the config map.  Any directory entries except regular files are ignored (e.g. subdirectories, symlinks, devices, pipes, etc).',
    ].join('\n'),
    examples: [
      '  # Create a new config map named my-config based on folder bar',
      '  kubectl create configmap my-config --from-file=path/to/bar',
      '  ',
      '  # Create a new config map named my-config with specified keys instead of file basenames on disk',
      '  kubectl create configmap my-config --from-file=key1=/path/to/bar/file1.txt --from-file=key2=/path/to/bar/file2.txt',
      '  ',
      '  # Create a new config map named my-config with key1=config1 and key2=config2',
      '  kubectl create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2',
      '  ',
      '  # Create a new config map named my-config from the key=value pairs in the file',
      '  kubectl create configmap my-config --from-file=path/to/bar',
      '  ',
      '  # Create a new config map named my-config from an env file',
      '  kubectl create configmap my-config --from-env-file=path/to/foo.env --from-env-file=path/to/bar.env',
    ].join('\n'),
    usage:
      'kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
  },
  run: (inv) => run(inv, 'ConfigMap'),
};

export const createSecretGenericCommand: CommandSpec = {
  name: 'generic',
  short: 'Create a secret from a local file, directory, or literal value',
  flags: [
    ...COMMON_FLAGS,
    ...sourceFlags(
      'secret',
      'Key files can be specified using their file path, in which case a default name will be given to them, or optionally with a name and file path, in which case the given name will be used.  Specifying a directory will iterate each named file in the directory that is a valid secret key.',
    ),
    { name: 'type', type: 'string', defaultValue: '', usage: 'The type of secret to create' } as FlagSpec,
  ].sort(byName),
  help: {
    long: [
      'Create a secret based on a file, directory, or specified literal value.',
      '',
      ' A single secret may package one or more key/value pairs.',
      '',
      ' When creating a secret based on a file, the key will default to the basename of the file, and the value will default to the file content. If the basename is an invalid key or you wish to chose your own, you may specify an alternate key.',
      '',
      ' When creating a secret based on a directory, each file whose basename is a valid key in the directory will be packaged into the secret. Any directory entries except regular files are ignored (e.g. subdirectories, symlinks, devices, pipes, etc).',
    ].join('\n'),
    examples: [
      '  # Create a new secret named my-secret with keys for each file in folder bar',
      '  kubectl create secret generic my-secret --from-file=path/to/bar',
      '  ',
      '  # Create a new secret named my-secret with specified keys instead of names on disk',
      '  kubectl create secret generic my-secret --from-file=ssh-privatekey=path/to/id_rsa --from-file=ssh-publickey=path/to/id_rsa.pub',
      '  ',
      '  # Create a new secret named my-secret with key1=supersecret and key2=topsecret',
      '  kubectl create secret generic my-secret --from-literal=key1=supersecret --from-literal=key2=topsecret',
      '  ',
      '  # Create a new secret named my-secret using a combination of a file and a literal',
      '  kubectl create secret generic my-secret --from-file=ssh-privatekey=path/to/id_rsa --from-literal=passphrase=topsecret',
      '  ',
      '  # Create a new secret named my-secret from env files',
      '  kubectl create secret generic my-secret --from-env-file=path/to/foo.env --from-env-file=path/to/bar.env',
    ].join('\n'),
    usage:
      'kubectl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
  },
  run: (inv) => run(inv, 'Secret'),
};

/**
 * `kubectl create secret docker-registry`: a `kubernetes.io/dockerconfigjson` Secret whose
 * `.dockerconfigjson` is built from the --docker-* flags (create_secret_docker.go), or read with
 * --from-file (a bare path gets the key `.dockerconfigjson`).
 */
function* runDockerRegistry(inv: Invocation): Task<number> {
  const name = nameFromArgs(inv);
  if (typeof name !== 'string') return name.error;
  const strategy = generatorStrategy(inv);
  if (typeof strategy === 'object') return strategy.exit;
  const files = flagList(inv.flags, 'from-file').map((f) => (f.includes('=') ? f : `.dockerconfigjson=${f}`));
  const username = flagString(inv.flags, 'docker-username') ?? '';
  const password = flagString(inv.flags, 'docker-password') ?? '';
  const server = flagString(inv.flags, 'docker-server') ?? DOCKER_SERVER;
  const email = flagString(inv.flags, 'docker-email') ?? '';
  let data: Map<string, string>;
  if (files.length > 0) {
    const collected = collect(inv, 'Secret', name, { files, literals: [], envFiles: [] });
    if (typeof collected === 'string') return errorExit(inv, collected);
    data = collected;
  } else {
    if (username === '' || password === '' || server === '')
      return errorExit(
        inv,
        'either --from-file or the combination of --docker-username, --docker-password and --docker-server is required',
      );
    data = new Map([['.dockerconfigjson', dockerConfigJson(server, username, password, email)]]);
  }
  return yield* sendGenerated(inv, 'secrets', 'secret', secretObject(inv, name, data, DOCKER_TYPE), strategy);
}

const DOCKER_SERVER = 'https://index.docker.io/v1/';
const DOCKER_TYPE = 'kubernetes.io/dockerconfigjson';

/** What Go's encoding/json writes for the DockerConfigJSON struct (email omitted when empty). */
export function dockerConfigJson(server: string, username: string, password: string, email: string): string {
  const entry = {
    username,
    password,
    ...(email !== '' ? { email } : {}),
    auth: base64(`${username}:${password}`),
  };
  return JSON.stringify({ auths: { [server]: entry } }).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** newSecretObj: kind, apiVersion, metadata, data (sorted keys, base64), type. */
function secretObject(inv: Invocation, name: string, data: Map<string, string>, type: string): KubeObject {
  return {
    kind: 'Secret',
    apiVersion: 'v1',
    metadata: {
      name,
      ...(inv.explicitNamespace ? { namespace: inv.namespace } : {}),
      creationTimestamp: null,
    },
    ...(data.size > 0 ? { data: sorted(data, base64) } : {}),
    type,
  } as unknown as KubeObject;
}

/**
 * `kubectl create secret tls`: a `kubernetes.io/tls` Secret of the two files, after the checks
 * Go's tls.X509KeyPair makes on their PEM blocks (with its messages).
 */
function* runTls(inv: Invocation): Task<number> {
  const name = nameFromArgs(inv);
  if (typeof name !== 'string') return name.error;
  const strategy = generatorStrategy(inv);
  if (typeof strategy === 'object') return strategy.exit;
  const certPath = flagString(inv.flags, 'cert') ?? '';
  const keyPath = flagString(inv.flags, 'key') ?? '';
  if (certPath === '' || keyPath === '') return errorExit(inv, 'key and cert must be specified');
  const fs = inv.ctx.session.files;
  const read = (path: string): string | { error: string } => {
    const abs = expandHome(path);
    if (fs.isDir(abs)) return { error: `Cannot read file ${path}, read ${path}: is a directory` };
    const r = fs.readFile(abs);
    return r.ok ? r.value : { error: `Cannot read file ${path}, open ${path}: no such file or directory` };
  };
  const cert = read(certPath);
  if (typeof cert !== 'string') return errorExit(inv, cert.error);
  const key = read(keyPath);
  if (typeof key !== 'string') return errorExit(inv, key.error);
  const bad = checkKeyPair(cert, key);
  if (bad) return errorExit(inv, bad);
  const data = new Map([
    ['tls.crt', cert],
    ['tls.key', key],
  ]);
  return yield* sendGenerated(
    inv,
    'secrets',
    'secret',
    secretObject(inv, name, data, 'kubernetes.io/tls'),
    strategy,
  );
}

/** The PEM blocks of a text, as Go's pem.Decode finds them (a block whose body is not base64 is skipped). */
function pemBlocks(text: string): { type: string; der: string }[] {
  const blocks: { type: string; der: string }[] = [];
  const re = /-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = (m[2] as string)
      .split('\n')
      .filter((l) => !l.includes(':'))
      .join('')
      .replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) continue;
    blocks.push({ type: m[1] as string, der: body });
  }
  return blocks;
}

/** tls.X509KeyPair's checks of the PEM structure: a CERTIFICATE block, then a PRIVATE KEY block. */
export function checkKeyPair(cert: string, key: string): string | undefined {
  const certBlocks = pemBlocks(cert);
  const skippedCert = certBlocks.filter((b) => b.type !== 'CERTIFICATE').map((b) => b.type);
  if (!certBlocks.some((b) => b.type === 'CERTIFICATE')) {
    if (skippedCert.length === 0) return 'tls: failed to find any PEM data in certificate input';
    if (skippedCert.length === 1 && skippedCert[0]?.endsWith('PRIVATE KEY'))
      return 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched';
    return `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${skippedCert.join(' ')}]`;
  }
  const keyBlocks = pemBlocks(key);
  const isKey = (t: string): boolean => t === 'PRIVATE KEY' || t.endsWith(' PRIVATE KEY');
  if (!keyBlocks.some((b) => isKey(b.type))) {
    const skipped = keyBlocks.map((b) => b.type);
    if (skipped.length === 0) return 'tls: failed to find any PEM data in key input';
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE')
      return 'tls: found a certificate rather than a key in the PEM for the private key';
    return `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`;
  }
  return undefined;
}

const appendHashFlag = (what: string): FlagSpec => ({
  name: 'append-hash',
  type: 'bool',
  defaultValue: 'false',
  usage: `Append a hash of the ${what} to its name.`,
});

export const createSecretDockerRegistryCommand: CommandSpec = {
  name: 'docker-registry',
  short: 'Create a secret for use with a Docker registry',
  flags: [
    ...COMMON_FLAGS,
    appendHashFlag('secret'),
    { name: 'docker-email', type: 'string', defaultValue: '', usage: 'Email for Docker registry' },
    {
      name: 'docker-password',
      type: 'string',
      defaultValue: '',
      usage: 'Password for Docker registry authentication',
    },
    {
      name: 'docker-server',
      type: 'string',
      defaultValue: DOCKER_SERVER,
      usage: 'Server location for Docker registry',
    },
    {
      name: 'docker-username',
      type: 'string',
      defaultValue: '',
      usage: 'Username for Docker registry authentication',
    },
    {
      name: 'from-file',
      type: 'stringSlice',
      usage:
        'Key files can be specified using their file path, in which case a default name of .dockerconfigjson will be given to them, or optionally with a name and file path, in which case the given name will be used. Specifying a directory will iterate each named file in the directory that is a valid secret key. For this command, the key should always be .dockerconfigjson.',
    },
  ]
    .map((f) => f as FlagSpec)
    .sort(byName),
  help: {
    long: [
      'Create a new secret for use with Docker registries.',
      '        ',
      '        Dockercfg secrets are used to authenticate against Docker registries.',
      '        ',
      '        When using the Docker command line to push images, you can authenticate to a given registry by running:',
      "        '$ docker login DOCKER_REGISTRY_SERVER --username=DOCKER_USER --password=DOCKER_PASSWORD --email=DOCKER_EMAIL'.",
      '        ',
      " That produces a ~/.dockercfg file that is used by subsequent 'docker push' and 'docker pull' commands to authenticate to the registry. The email address is optional.",
      '',
      '        When creating applications, you may have a Docker registry that requires authentication.  In order for the',
      '        nodes to pull images on your behalf, they must have the credentials.  You can provide this information',
      '        by creating a dockercfg secret and attaching it to your service account.',
    ].join('\n'),
    examples: [
      '  # If you do not already have a .dockercfg file, create a dockercfg secret directly',
      '  kubectl create secret docker-registry my-secret --docker-server=DOCKER_REGISTRY_SERVER --docker-username=DOCKER_USER --docker-password=DOCKER_PASSWORD --docker-email=DOCKER_EMAIL',
      '  ',
      '  # Create a new secret named my-secret from ~/.docker/config.json',
      '  kubectl create secret docker-registry my-secret --from-file=path/to/.docker/config.json',
    ].join('\n'),
    usage:
      'kubectl create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none] [options]',
  },
  run: runDockerRegistry,
};

export const createSecretTlsCommand: CommandSpec = {
  name: 'tls',
  short: 'Create a TLS secret',
  flags: [
    ...COMMON_FLAGS,
    appendHashFlag('secret'),
    { name: 'cert', type: 'string', defaultValue: '', usage: 'Path to PEM encoded public key certificate.' },
    {
      name: 'key',
      type: 'string',
      defaultValue: '',
      usage: 'Path to private key associated with given certificate.',
    },
  ]
    .map((f) => f as FlagSpec)
    .sort(byName),
  help: {
    long: [
      'Create a TLS secret from the given public/private key pair.',
      '',
      ' The public/private key pair must exist beforehand. The public key certificate must be .PEM encoded and match the given private key.',
    ].join('\n'),
    examples: [
      '  # Create a new TLS secret named tls-secret with the given key pair',
      '  kubectl create secret tls tls-secret --cert=path/to/tls.crt --key=path/to/tls.key',
    ].join('\n'),
    usage:
      'kubectl create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none] [options]',
  },
  run: runTls,
};

export const createSecretCommand: CommandSpec = {
  name: 'secret',
  short: 'Create a secret using a specified subcommand',
  help: {
    long: [
      'Create a secret with specified type.',
      '',
      ' A docker-registry type secret is for accessing a container registry.',
      '',
      ' A generic type secret indicate an Opaque secret type.',
      '',
      ' A tls type secret holds TLS certificate and its associated key.',
    ].join('\n'),
    usage: 'kubectl create secret (docker-registry | generic | tls) [options]',
  },
  subcommands: [createSecretDockerRegistryCommand, createSecretGenericCommand, createSecretTlsCommand],
  run: defaultSubCommandRun(() => renderHelp(createSecretCommand, 'kubectl create secret'), 'err'),
};
