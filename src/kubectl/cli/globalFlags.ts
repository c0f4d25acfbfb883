import type { FlagSpec } from '../flags';

/**
 * kubectl's global (persistent) flags, accepted before or after any command. Only `-n` changes
 * anything here; the others are accepted so that commands copied from real sessions parse.
 */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  {
    name: 'as',
    type: 'string',
    defaultValue: '',
    usage:
      'Username to impersonate for the operation. User could be a regular user or a service account in a namespace.',
  },
  {
    name: 'as-group',
    type: 'stringArray',
    usage: 'Group to impersonate for the operation, this flag can be repeated to specify multiple groups.',
  },
  { name: 'as-uid', type: 'string', defaultValue: '', usage: 'UID to impersonate for the operation.' },
  { name: 'cache-dir', type: 'string', defaultValue: '/root/.kube/cache', usage: 'Default cache directory' },
  {
    name: 'certificate-authority',
    type: 'string',
    defaultValue: '',
    usage: 'Path to a cert file for the certificate authority',
  },
  {
    name: 'client-certificate',
    type: 'string',
    defaultValue: '',
    usage: 'Path to a client certificate file for TLS',
  },
  { name: 'client-key', type: 'string', defaultValue: '', usage: 'Path to a client key file for TLS' },
  { name: 'cluster', type: 'string', defaultValue: '', usage: 'The name of the kubeconfig cluster to use' },
  { name: 'context', type: 'string', defaultValue: '', usage: 'The name of the kubeconfig context to use' },
  {
    name: 'disable-compression',
    type: 'bool',
    defaultValue: 'false',
    usage: 'If true, opt-out of response compression for all requests to the server',
  },
  {
    name: 'insecure-skip-tls-verify',
    type: 'bool',
    defaultValue: 'false',
    usage:
      "If true, the server's certificate will not be checked for validity. This will make your HTTPS connections insecure",
  },
  {
    name: 'kubeconfig',
    type: 'string',
    defaultValue: '',
    usage: 'Path to the kubeconfig file to use for CLI requests.',
  },
  {
    name: 'log-flush-frequency',
    type: 'string',
    defaultValue: '5s',
    shownDefault: '5s',
    usage: 'Maximum number of seconds between log flushes',
  },
  {
    name: 'match-server-version',
    type: 'bool',
    defaultValue: 'false',
    usage: 'Require server version to match client version',
  },
  {
    name: 'namespace',
    short: 'n',
    type: 'string',
    defaultValue: '',
    usage: 'If present, the namespace scope for this CLI request',
  },
  {
    name: 'password',
    type: 'string',
    defaultValue: '',
    usage: 'Password for basic authentication to the API server',
  },
  {
    name: 'profile',
    type: 'string',
    defaultValue: 'none',
    usage: 'Name of profile to capture. One of (none|cpu|heap|goroutine|threadcreate|block|mutex)',
  },
  {
    name: 'profile-output',
    type: 'string',
    defaultValue: 'profile.pprof',
    usage: 'Name of the file to write the profile to',
  },
  {
    name: 'request-timeout',
    type: 'string',
    defaultValue: '0',
    usage:
      "The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don't timeout requests.",
  },
  {
    name: 'server',
    short: 's',
    type: 'string',
    defaultValue: '',
    usage: 'The address and port of the Kubernetes API server',
  },
  {
    name: 'tls-server-name',
    type: 'string',
    defaultValue: '',
    usage:
      'Server name to use for server certificate validation. If it is not provided, the hostname used to contact the server is used',
  },
  {
    name: 'token',
    type: 'string',
    defaultValue: '',
    usage: 'Bearer token for authentication to the API server',
  },
  { name: 'user', type: 'string', defaultValue: '', usage: 'The name of the kubeconfig user to use' },
  {
    name: 'username',
    type: 'string',
    defaultValue: '',
    usage: 'Username for basic authentication to the API server',
  },
  { name: 'v', short: 'v', type: 'int', defaultValue: '0', usage: 'number for the log level verbosity' },
  {
    name: 'vmodule',
    type: 'string',
    shownDefault: '',
    usage:
      'comma-separated list of pattern=N settings for file-filtered logging (only works for the default text log format)',
  },
  {
    name: 'warnings-as-errors',
    type: 'bool',
    defaultValue: 'false',
    usage: 'Treat warnings received from the server as errors and exit with a non-zero exit code',
  },
];

/** cobra's help flag, on every command. Not listed in kubectl's help output. */
export const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', type: 'bool', usage: 'help', hidden: true };
