import { parseImage } from './images';

/**
 * What is inside an image, as far as `kubectl exec` can see: the executables on its PATH, its
 * shell and prompt, its working directory, the environment its Dockerfile sets, the files a
 * learner looks at and the port its server listens on. Real images differ exactly like this:
 * nginx has bash and curl but no ps, busybox has wget and nslookup but no curl or bash, the
 * control-plane images are distroless and have no shell at all.
 */
export interface ImageProfile {
  /** Executables found on PATH (by base name). */
  readonly binaries: ReadonlySet<string>;
  /** Prompt style of the image's `sh`: dash prints `# `, busybox ash `/ # ` (its cwd). */
  readonly shStyle: 'dash' | 'ash';
  readonly workDir: string;
  /** ENV lines of the image, in Dockerfile order (PATH first, as containerd writes them). */
  readonly env: readonly (readonly [string, string])[];
  /** Files of the image (the container's writable layer goes on top). */
  readonly files: Readonly<Record<string, string>>;
  /**
   * The port its main process serves HTTP on, if any, and what `/` answers: a file of the image,
   * or a page the app makes (which may name the pod it runs in).
   */
  readonly http?: {
    readonly port: number;
    readonly index: string;
    readonly page?: (podName: string) => string;
  };
}

const DEBIAN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const COREUTILS = [
  'sh',
  'seq',
  'cat',
  'ls',
  'echo',
  'printf',
  'env',
  'printenv',
  'hostname',
  'pwd',
  'id',
  'whoami',
  'date',
  'uname',
  'sleep',
  'true',
  'false',
  'grep',
  'head',
  'tail',
  'wc',
  'mkdir',
  'touch',
  'rm',
];
const DEBIAN_BINARIES = [...COREUTILS, 'bash', 'getent', 'tar'];
const BUSYBOX_BINARIES = [...COREUTILS, 'ps', 'wget', 'nslookup', 'ping', 'top', 'vi', 'getent', 'tar'];

const NGINX_INDEX = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const NGINX_50X = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
</body>
</html>
`;

const NGINX_DEFAULT_CONF = `server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`;

const DEBIAN_OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`;

const ALPINE_OS_RELEASE = `NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.21.0
PRETTY_NAME="Alpine Linux v3.21"
HOME_URL="https://alpinelinux.org/"
BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"
`;

const UBUNTU_OS_RELEASE = `PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04.1 LTS (Noble Numbat)"
VERSION_CODENAME=noble
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=noble
LOGO=ubuntu-logo
`;

const DEBIAN_ACCOUNTS = {
  '/etc/passwd':
    'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
  '/etc/group': 'root:x:0:\ndaemon:x:1:\nbin:x:2:\nnogroup:x:65534:\n',
};

const BUSYBOX_ACCOUNTS = {
  '/etc/passwd':
    'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
  '/etc/group': 'root:x:0:\ndaemon:x:1:\nbin:x:2:\nnogroup:x:65534:\n',
};

const debian = (extra: Partial<ImageProfile> & { more?: readonly string[] }): ImageProfile => ({
  binaries: new Set([...DEBIAN_BINARIES, ...(extra.more ?? [])]),
  shStyle: 'dash',
  workDir: extra.workDir ?? '/',
  env: [['PATH', DEBIAN_PATH], ...(extra.env ?? [])],
  files: { ...DEBIAN_ACCOUNTS, '/etc/os-release': DEBIAN_OS_RELEASE, ...extra.files },
  ...(extra.http ? { http: extra.http } : {}),
});

const busybox = (osRelease: string | undefined, more: readonly string[] = []): ImageProfile => ({
  binaries: new Set([...BUSYBOX_BINARIES, ...more]),
  shStyle: 'ash',
  workDir: '/',
  env: [['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']],
  files: osRelease ? { ...BUSYBOX_ACCOUNTS, '/etc/os-release': osRelease } : BUSYBOX_ACCOUNTS,
});

/** A distroless image: only its own program, no shell, no coreutils. */
const distroless = (...programs: string[]): ImageProfile => ({
  binaries: new Set(programs),
  shStyle: 'dash',
  workDir: '/',
  env: [['PATH', '/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin']],
  files: {},
});

const NGINX_VERSION_OF: Readonly<Record<string, string>> = {
  '1.26': '1.26.2',
  stable: '1.26.2',
  '1.25': '1.25.5',
  '1.24': '1.24.0',
  '1.23': '1.23.4',
};

function nginxProfile(tag: string): ImageProfile {
  const version = NGINX_VERSION_OF[tag] ?? (/^\d+\.\d+\.\d+$/.test(tag) ? tag : '1.27.3');
  const files = {
    '/usr/share/nginx/html/50x.html': NGINX_50X,
    '/usr/share/nginx/html/index.html': NGINX_INDEX,
    '/etc/nginx/conf.d/default.conf': NGINX_DEFAULT_CONF,
  };
  const http = { port: 80, index: '/usr/share/nginx/html/index.html' };
  if (tag === 'alpine') {
    const base = busybox(ALPINE_OS_RELEASE, ['nginx', 'curl']);
    return {
      ...base,
      env: [...base.env, ['NGINX_VERSION', version], ['PKG_RELEASE', '1']],
      files: { ...base.files, ...files },
      http,
    };
  }
  return debian({
    more: ['nginx', 'curl'],
    env: [
      ['NGINX_VERSION', version],
      ['NJS_VERSION', '0.8.7'],
      ['NJS_RELEASE', '1~bookworm'],
      ['PKG_RELEASE', '1~bookworm'],
      ['DYNPKG_RELEASE', '1~bookworm'],
    ],
    files,
    http,
  });
}

/** The profile of an image reference (`nginx:1.27`, `busybox`, `registry.k8s.io/etcd:3.5.16-0`). */
export function imageProfile(image: string): ImageProfile {
  const { repo, tag } = parseImage(image);
  switch (repo) {
    case 'nginx':
      return nginxProfile(tag);
    case 'httpd':
      return debian({
        more: ['httpd', 'apachectl'],
        workDir: '/usr/local/apache2',
        env: [
          ['HTTPD_PREFIX', '/usr/local/apache2'],
          ['HTTPD_VERSION', '2.4.62'],
        ],
        files: { '/usr/local/apache2/htdocs/index.html': '<html><body><h1>It works!</h1></body></html>\n' },
        http: { port: 80, index: '/usr/local/apache2/htdocs/index.html' },
      });
    case 'redis':
      return debian({
        more: ['redis-server', 'redis-cli'],
        workDir: '/data',
        env: [['REDIS_VERSION', '7.4.1']],
      });
    case 'postgres':
      return debian({ more: ['postgres', 'psql'], env: [['PG_MAJOR', '17']] });
    case 'mysql':
      return debian({ more: ['mysqld', 'mysql'], env: [['MYSQL_MAJOR', 'innovation']] });
    case 'memcached':
      return debian({ more: ['memcached'] });
    case 'busybox':
    case 'registry.k8s.io/busybox':
      return busybox(undefined);
    case 'alpine':
      return busybox(ALPINE_OS_RELEASE);
    case 'ubuntu':
      return {
        ...debian({}),
        files: { ...DEBIAN_ACCOUNTS, '/etc/os-release': UBUNTU_OS_RELEASE },
      };
    case 'registry.k8s.io/echoserver':
      return debian({
        more: ['nginx'],
        http: { port: 8080, index: '' },
      });
    case 'gcr.io/google-samples/kubernetes-bootcamp':
    case 'jocatalin/kubernetes-bootcamp': {
      const version = tag === 'v2' ? 2 : 1;
      return debian({
        more: ['node', 'npm', 'curl'],
        env: [
          ['NPM_CONFIG_LOGLEVEL', 'info'],
          ['NODE_VERSION', '6.3.1'],
        ],
        files: { '/server.js': bootcampServer(version) },
        http: {
          port: 8080,
          index: '',
          page: (pod) => `Hello Kubernetes bootcamp! | Running on: ${pod} | v=${version}\n`,
        },
      });
    }
    case 'registry.k8s.io/etcd':
      return distroless('etcd', 'etcdctl', 'etcdutl');
    case 'traefik':
      return busybox(ALPINE_OS_RELEASE, ['traefik']);
    default:
      return distroless(repo.split('/').pop() ?? repo);
  }
}

/** The tutorial app's source, as `cat server.js` shows it (a small Node.js HTTP server). */
function bootcampServer(version: number): string {
  return `var http = require('http');
var requests = 0;
var host = process.env.HOSTNAME;
var startTime;
var handleRequest = function (request, response) {
  response.setHeader('Content-Type', 'text/plain');
  response.writeHead(200);
  response.end("Hello Kubernetes bootcamp! | Running on: " + host + " | v=${version}\\n");
  console.log("Running On:", host, "| Total Requests:", ++requests, "| App Uptime:", process.uptime(), "seconds");
};
var www = http.createServer(handleRequest);
www.listen(8080, function () {
  startTime = new Date;
  console.log("Kubernetes Bootcamp App Started At:", startTime, "| Running On: ", host, "\\n");
});
`;
}

export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'ash']);
