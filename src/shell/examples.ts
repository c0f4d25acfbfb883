import { HOME } from './vfs';

/** Manifests every lab starts with, in ~/examples (the shapes the kubernetes.io tutorials use). */
export const EXAMPLE_FILES: Readonly<Record<string, string>> = {
  [`${HOME}/examples/nginx-deployment.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
`,
  [`${HOME}/examples/nginx-service.yaml`]: `apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  selector:
    app: nginx
  ports:
  - port: 80
    targetPort: 80
`,
  [`${HOME}/examples/busybox-pod.yaml`]: `apiVersion: v1
kind: Pod
metadata:
  name: busybox
spec:
  containers:
  - name: busybox
    image: busybox:1.36
    command: ["sleep", "3600"]
`,
  [`${HOME}/examples/redis-deployment.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis
spec:
  replicas: 1
  selector:
    matchLabels:
      app: redis
  template:
    metadata:
      labels:
        app: redis
    spec:
      containers:
      - name: redis
        image: redis:7
        ports:
        - containerPort: 6379
`,
  [`${HOME}/examples/spread-deployment.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: spread
spec:
  replicas: 6
  selector:
    matchLabels:
      app: spread
  template:
    metadata:
      labels:
        app: spread
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: DoNotSchedule
        labelSelector:
          matchLabels:
            app: spread
      containers:
      - name: web
        image: httpd:2.4
`,
  [`${HOME}/examples/sidecar-pod.yaml`]: `apiVersion: v1
kind: Pod
metadata:
  name: web-with-sidecar
  labels:
    app: web-with-sidecar
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
  - name: heartbeat
    image: busybox:1.36
    command: ["sh", "-c", 'while true; do echo "$(date) web is up"; sleep 10; done']
`,
  // The Kubernetes docs' liveness probe example: restarted once /tmp/healthy is gone (after ~30 s).
  [`${HOME}/examples/liveness-exec.yaml`]: `apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
    livenessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
`,
  // The Kubernetes docs' init containers example: Init:0/2 until the Services myservice and mydb exist.
  [`${HOME}/examples/init-containers.yaml`]: `apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app.kubernetes.io/name: MyApp
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
  - name: init-mydb
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done"]
`,
};

/**
 * A self-signed pair for web.example.com (EC P-256, valid to 2126), made with
 * `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes`, for
 * `kubectl create secret tls web-tls --cert=examples/tls.crt --key=examples/tls.key`.
 * A demonstration key: it guards nothing. (Not manifests, so kept apart from EXAMPLE_FILES.)
 */
export const EXAMPLE_TLS_FILES: Readonly<Record<string, string>> = {
  [`${HOME}/examples/tls.crt`]: `-----BEGIN CERTIFICATE-----
MIIBizCCATGgAwIBAgIUYqilhMoDhW4apLPJVwhc4bQfmGwwCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPd2ViLmV4YW1wbGUuY29tMCAXDTI2MTEyNTE5MTUyMloYDzIx
MjYxMTAxMTkxNTIyWjAaMRgwFgYDVQQDDA93ZWIuZXhhbXBsZS5jb20wWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAATa07a5m5u1ujw+NiHs/lH37S2GFHdRGg3b3jOT
4vaS0T6oMGumNduVQ0O51hSDWWSbxmDYKW3u5106EfkJ8TzSo1MwUTAdBgNVHQ4E
FgQUMf2rOLmb8+nfubwLqIbGgsreZxMwHwYDVR0jBBgwFoAUMf2rOLmb8+nfubwL
qIbGgsreZxMwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiBPGPXz
r4U7spIzMLLnjoHtAzx9OUyjJPyUCs1u10/bNgIhANvknXHc+U/NrAZFiO/3ScnL
57uFs4eAFhDcLtcrofYz
-----END CERTIFICATE-----
`,
  [`${HOME}/examples/tls.key`]: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQge89lRAt73Gs8bgfp
J3xUIEiNaunEHCSNrR/4RW9M5BmhRANCAATa07a5m5u1ujw+NiHs/lH37S2GFHdR
Gg3b3jOT4vaS0T6oMGumNduVQ0O51hSDWWSbxmDYKW3u5106EfkJ8TzS
-----END PRIVATE KEY-----
`,
};

/** Every file a lab starts with. */
export const LAB_FILES: Readonly<Record<string, string>> = { ...EXAMPLE_FILES, ...EXAMPLE_TLS_FILES };
