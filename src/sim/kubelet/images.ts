/**
 * The simulated container registry: well-known images with real tags and realistic compressed
 * sizes, so pulls take plausible time and a typo fails the way it does on a real node.
 */
export interface ImageInfo {
  /** Fully qualified reference, as containerd reports it. */
  readonly ref: string;
  readonly sizeMb: number;
  /**
   * Long-running server (nginx) or a tool that exits when run without a command (busybox). What
   * else makes a container exit at once (postgres or mysql without their password variable), and
   * what each image prints, is in containerOutput.ts.
   */
  readonly runsForever: boolean;
}

interface Repo {
  readonly tags: readonly string[];
  readonly sizeMb: number;
  readonly runsForever: boolean;
}

const REPOS: Readonly<Record<string, Repo>> = {
  nginx: {
    tags: [
      'latest',
      'stable',
      'alpine',
      '1.29',
      '1.28',
      '1.28.0',
      '1.27',
      '1.27.3',
      '1.26',
      '1.25',
      '1.25.5',
      '1.24',
      '1.23',
      // The Kubernetes docs' examples still use these.
      '1.16.1',
      '1.14.2',
    ],
    sizeMb: 72,
    runsForever: true,
  },
  httpd: { tags: ['latest', 'alpine', '2.4', '2.4.62'], sizeMb: 58, runsForever: true },
  redis: { tags: ['latest', 'alpine', '7', '7.4', '7.2', '6'], sizeMb: 45, runsForever: true },
  postgres: { tags: ['latest', 'alpine', '17', '16', '15'], sizeMb: 150, runsForever: true },
  mysql: { tags: ['latest', '8', '8.4', '9'], sizeMb: 170, runsForever: true },
  memcached: { tags: ['latest', 'alpine', '1.6'], sizeMb: 30, runsForever: true },
  traefik: { tags: ['latest', 'v3.2', 'v3'], sizeMb: 50, runsForever: true },
  // 1.28 is the tag the Kubernetes docs use (init containers, DNS debugging).
  busybox: {
    tags: ['latest', '1.28', '1.34', '1.35', '1.36', '1.37', 'stable', 'musl', 'glibc'],
    sizeMb: 2,
    runsForever: false,
  },
  alpine: { tags: ['latest', '3.20', '3.21', '3'], sizeMb: 4, runsForever: false },
  // The docs' probe examples (liveness-exec) pull busybox from registry.k8s.io.
  'registry.k8s.io/busybox': { tags: ['latest', '1.27.2'], sizeMb: 1, runsForever: false },
  ubuntu: { tags: ['latest', '24.04', '22.04', 'noble', 'jammy'], sizeMb: 29, runsForever: false },
  'hello-world': { tags: ['latest'], sizeMb: 1, runsForever: false },
  'registry.k8s.io/pause': { tags: ['3.10', '3.9'], sizeMb: 1, runsForever: true },
  'registry.k8s.io/echoserver': { tags: ['1.10', '1.4'], sizeMb: 45, runsForever: true },
  // The Kubernetes Basics tutorial's app (kubernetes.io/docs/tutorials/kubernetes-basics).
  'gcr.io/google-samples/kubernetes-bootcamp': { tags: ['v1'], sizeMb: 81, runsForever: true },
  'jocatalin/kubernetes-bootcamp': { tags: ['v1', 'v2'], sizeMb: 81, runsForever: true },
  // The images of a kubeadm v1.32 cluster: its static control-plane pods and add-ons.
  'registry.k8s.io/kube-apiserver': { tags: ['v1.32.4'], sizeMb: 28, runsForever: true },
  'registry.k8s.io/kube-controller-manager': { tags: ['v1.32.4'], sizeMb: 26, runsForever: true },
  'registry.k8s.io/kube-scheduler': { tags: ['v1.32.4'], sizeMb: 20, runsForever: true },
  'registry.k8s.io/kube-proxy': { tags: ['v1.32.4'], sizeMb: 31, runsForever: true },
  'registry.k8s.io/etcd': { tags: ['3.5.16-0'], sizeMb: 57, runsForever: true },
  'registry.k8s.io/coredns/coredns': { tags: ['v1.11.3'], sizeMb: 18, runsForever: true },
};

/** Splits `nginx:1.27`, `docker.io/library/nginx`, `registry.k8s.io/pause:3.10` into repository and tag. */
export function parseImage(image: string): { repo: string; tag: string } {
  let name = image;
  let tag = 'latest';
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  name = name.replace(/^docker\.io\//, '').replace(/^library\//, '');
  return { repo: name, tag };
}

/** The fully qualified form containerd prints: docker.io/library/nginx:1.27. */
export function qualifiedImage(image: string): string {
  const { repo, tag } = parseImage(image);
  const path = repo.includes('/')
    ? repo.includes('.')
      ? repo
      : `docker.io/${repo}`
    : `docker.io/library/${repo}`;
  return `${path}:${tag}`;
}

export function lookupImage(image: string): ImageInfo | undefined {
  const { repo, tag } = parseImage(image);
  const r = REPOS[repo];
  if (!r?.tags.includes(tag)) return undefined;
  return { ref: qualifiedImage(image), sizeMb: r.sizeMb, runsForever: r.runsForever };
}

/** The error a registry gives for an image that does not exist, as containerd words it. */
export function pullError(image: string): string {
  const ref = qualifiedImage(image);
  return `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
}
