import { EXAMPLE_FILES } from '../../shell/examples';
import { HOME } from '../../shell/vfs';

/**
 * The Kubernetes documentation's example manifests that its tutorials apply by URL
 * (`kubectl apply -f https://k8s.io/examples/application/deployment.yaml`): the lab has no
 * internet, so it serves these few itself, written for the lab with the same objects, names and
 * images as the docs' files. Any other URL fails as an unreachable host does.
 */
/** The docs' nginx-deployment, in its variants (application/deployment*.yaml, controllers/). */
function nginxDeployment(replicas: number, image: string, labelled = false): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
${labelled ? '  labels:\n    app: nginx\n' : ''}spec:
  selector:
    matchLabels:
      app: nginx
  replicas: ${replicas}
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports:
        - containerPort: 80
`;
}

const EXAMPLES: Readonly<Record<string, string>> = {
  'application/deployment.yaml': nginxDeployment(2, 'nginx:1.14.2'),
  'application/deployment-update.yaml': nginxDeployment(2, 'nginx:1.16.1'),
  'application/deployment-scale.yaml': nginxDeployment(4, 'nginx:1.16.1'),
  'controllers/nginx-deployment.yaml': nginxDeployment(3, 'nginx:1.14.2', true),
  'pods/simple-pod.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
  - name: nginx
    image: nginx:1.14.2
    ports:
    - containerPort: 80
`,
  // The same manifest as the lab's ~/examples/liveness-exec.yaml.
  'pods/probe/exec-liveness.yaml': EXAMPLE_FILES[`${HOME}/examples/liveness-exec.yaml`] as string,
  'service/networking/run-my-nginx.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx
spec:
  selector:
    matchLabels:
      run: my-nginx
  replicas: 2
  template:
    metadata:
      labels:
        run: my-nginx
    spec:
      containers:
      - name: my-nginx
        image: nginx
        ports:
        - containerPort: 80
`,
  'service/networking/nginx-svc.yaml': `apiVersion: v1
kind: Service
metadata:
  name: my-nginx
  labels:
    run: my-nginx
spec:
  ports:
  - port: 80
    protocol: TCP
  selector:
    run: my-nginx
`,
};

/** The manifest a docs example URL names (k8s.io/examples/…, or its raw GitHub address), if the lab has it. */
export function docsExample(url: string): string | undefined {
  const m =
    /^https?:\/\/(?:k8s\.io|kubernetes\.io)\/examples\/(.+)$/.exec(url) ??
    /^https?:\/\/raw\.githubusercontent\.com\/kubernetes\/website\/[^/]+\/content\/en\/examples\/(.+)$/.exec(
      url,
    );
  return m ? EXAMPLES[m[1] as string] : undefined;
}
