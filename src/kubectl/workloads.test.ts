import { describe, expect, it } from 'vitest';
import { runProgram } from '../shell/runProgram';
import type { KubeObject } from '../sim/api/types';
import { Cluster } from '../sim/cluster/cluster';
import { warmUp } from '../sim/warmUp';
import { kubectl } from './kubectl';

/**
 * kubectl's workload verbs against a booted cluster (controllers, scheduler and kubelets running):
 * create deployment, run, get, scale, describe, delete. Exact texts were checked against a real
 * kubectl v1.32.4 with testdata/compareWithRealKubectl.ts.
 */

function cluster(): Cluster {
  const c = new Cluster('ha', 1);
  warmUp(c);
  return c;
}

function k(c: Cluster, line: string) {
  return runProgram(
    c,
    kubectl,
    line.split(' ').filter((a) => a !== ''),
  );
}

function advance(c: Cluster, ms: number): void {
  c.sim.runUntil(c.sim.nowMs + ms);
}

function getObject(c: Cluster, resource: string, name: string): KubeObject | undefined {
  const r = k(c, `get ${resource} ${name} -o json`);
  return r.code === 0 ? (JSON.parse(r.stdout) as KubeObject) : undefined;
}

function specOf<T>(c: Cluster, resource: string, name: string): T {
  return getObject(c, resource, name)!.spec as T;
}

describe('client-side dry runs (what kubectl builds)', () => {
  const c = new Cluster('ha', 1);
  c.sim.runUntil(30_000);

  it('create deployment builds the object real kubectl builds', () => {
    expect(k(c, 'create deployment web --image=nginx --dry-run=client -o yaml').stdout).toBe(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  creationTimestamp: null',
        '  labels:',
        '    app: web',
        '  name: web',
        'spec:',
        '  replicas: 1',
        '  selector:',
        '    matchLabels:',
        '      app: web',
        '  strategy: {}',
        '  template:',
        '    metadata:',
        '      creationTimestamp: null',
        '      labels:',
        '        app: web',
        '    spec:',
        '      containers:',
        '      - image: nginx',
        '        name: nginx',
        '        resources: {}',
        'status: {}',
        '',
      ].join('\n'),
    );
    const three = k(c, 'create deployment web --image=nginx --replicas=3 --port=80 --dry-run=client -o yaml');
    expect(three.stdout).toContain('  replicas: 3\n');
    expect(three.stdout).toContain(
      '      - image: nginx\n        name: nginx\n        ports:\n        - containerPort: 80\n',
    );
    const two = k(c, 'create deployment web --image=nginx --image=redis:7 --dry-run=client -o yaml');
    expect(two.stdout).toContain(
      '      - image: nginx\n        name: nginx\n        resources: {}\n      - image: redis:7\n        name: redis\n',
    );
    expect(k(c, 'create deployment web --image=nginx --dry-run=client').stdout).toBe(
      'deployment.apps/web created (dry run)\n',
    );
  });

  it('create deployment -o json keeps the Go field order', () => {
    const out = k(
      c,
      'create deployment web --image=nginx --port=80 -n kube-system --dry-run=client -o json -- sleep 1',
    );
    expect(out.stdout).toBe(
      `{
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {
        "name": "web",
        "namespace": "kube-system",
        "creationTimestamp": null,
        "labels": {
            "app": "web"
        }
    },
    "spec": {
        "replicas": 1,
        "selector": {
            "matchLabels": {
                "app": "web"
            }
        },
        "template": {
            "metadata": {
                "creationTimestamp": null,
                "labels": {
                    "app": "web"
                }
            },
            "spec": {
                "containers": [
                    {
                        "name": "nginx",
                        "image": "nginx",
                        "command": [
                            "sleep",
                            "1"
                        ],
                        "ports": [
                            {
                                "containerPort": 80
                            }
                        ],
                        "resources": {}
                    }
                ]
            }
        },
        "strategy": {}
    },
    "status": {}
}
`,
    );
  });

  it('run builds a bare pod', () => {
    expect(k(c, 'run nginx --image=nginx --dry-run=client -o yaml').stdout).toBe(
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  creationTimestamp: null',
        '  labels:',
        '    run: nginx',
        '  name: nginx',
        'spec:',
        '  containers:',
        '  - image: nginx',
        '    name: nginx',
        '    resources: {}',
        '  dnsPolicy: ClusterFirst',
        '  restartPolicy: Always',
        'status: {}',
        '',
      ].join('\n'),
    );
    const custom = k(
      c,
      'run nginx --image=nginx:1.27 --port=80 --labels=app=web,tier=fe --env=A=1 --restart=Never --dry-run=client -o yaml',
    );
    expect(custom.stdout).toContain('  labels:\n    app: web\n    tier: fe\n');
    expect(custom.stdout).toContain('  - env:\n    - name: A\n      value: "1"\n    image: nginx:1.27\n');
    expect(custom.stdout).toContain('    ports:\n    - containerPort: 80\n');
    expect(custom.stdout).toContain('  restartPolicy: Never\n');
    expect(k(c, 'run nginx --image=nginx --command --dry-run=client -o yaml -- sh -c date').stdout).toContain(
      '  - command:\n    - sh\n    - -c\n    - date\n',
    );
    expect(k(c, 'run nginx --image=nginx --dry-run=client').stdout).toBe('pod/nginx created (dry run)\n');
  });

  it('refuses bad arguments with kubectl’s messages', () => {
    expect(k(c, 'create deployment').stderr).toMatch(
      /^E1125 09:00:30\.\d{6} {3}48213 run\.go:72\] "command failed" err="required flag\(s\) \\"image\\" not set"\n$/,
    );
    expect(k(c, 'create deployment a b --image=x').stderr).toBe(
      "error: exactly one NAME is required, got 2\nSee 'kubectl create deployment -h' for help and examples\n",
    );
    expect(k(c, 'create deployment a --image=x --image=y -- date').stderr).toBe(
      'error: cannot specify multiple --image options and command\n',
    );
    expect(k(c, 'run --image=nginx').stderr).toBe(
      "error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n",
    );
    expect(k(c, 'run x --image=NGINX').stderr).toBe(
      'error: Invalid image name "NGINX": invalid reference format\n',
    );
    expect(k(c, 'run x --image=nginx --port=ab').stderr).toBe(
      'error: strconv.Atoi: parsing "ab": invalid syntax\n',
    );
    expect(k(c, 'scale deploy web').stderr).toMatch(
      /run\.go:72\] "command failed" err="required flag\(s\) \\"replicas\\" not set"\n$/,
    );
    expect(k(c, 'scale deploy web --replicas=-1').stderr).toBe(
      'error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n',
    );
    expect(k(c, 'scale deploy web --replicas=abc').stderr).toBe(
      'Error: invalid argument "abc" for "--replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax\n' +
        "See 'kubectl scale --help' for usage.\n",
    );
    expect(k(c, 'delete').stderr).toBe(
      'error: You must provide one or more resources by argument or filename.\n' +
        'Example resource specifications include:\n' +
        "   '-f rsrc.yaml'\n" +
        "   '--filename=rsrc.json'\n" +
        "   '<resource> <name>'\n" +
        "   '<resource>'\n",
    );
    expect(k(c, 'delete pods').stderr).toBe('error: resource(s) were provided, but no name was specified\n');
    expect(k(c, 'delete pod x --now --grace-period=5').stderr).toBe(
      'error: --now and --grace-period cannot be specified together\n',
    );
    expect(k(c, 'delete pod x -o yaml').stderr).toBe(
      "error: unexpected -o output mode: yaml. We only support '-o name'\n",
    );
    expect(k(c, 'delete pod x --force --grace-period=3').stderr).toBe(
      'error: --force and --grace-period greater than 0 cannot be specified together\n',
    );
    expect(k(c, 'delete pods --all -l a=b').stderr).toBe(
      "error: setting 'all' parameter but found a non empty selector. \n",
    );
  });
});

describe('workloads on a running cluster', () => {
  it('creates, lists, scales, describes and deletes a deployment', () => {
    const c = cluster();
    expect(k(c, 'create deployment web --image=nginx:1.27 --replicas=3').output).toBe(
      'deployment.apps/web created\n',
    );
    expect(k(c, 'create deployment web --image=nginx:1.27').stderr).toBe(
      'error: failed to create deployment: deployments.apps "web" already exists\n',
    );
    advance(c, 30_000);
    const deploy = k(c, 'get deploy');
    expect(deploy.stdout).toMatch(
      /^NAME {3}READY {3}UP-TO-DATE {3}AVAILABLE {3}AGE\nweb {4}3\/3 {5}3 {12}3 {11}30s\n$/,
    );
    const rs = k(c, 'get rs -o wide').stdout;
    expect(rs).toMatch(/^NAME +DESIRED +CURRENT +READY +AGE +CONTAINERS +IMAGES +SELECTOR\n/);
    expect(rs).toMatch(
      /\nweb-[a-z0-9]+ +3 +3 +3 +30s +nginx +nginx:1\.27 +app=web,pod-template-hash=[a-z0-9]+\n$/,
    );
    const pods = k(c, 'get pods').stdout.trim().split('\n');
    expect(pods[0]).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE$/);
    expect(pods.slice(1)).toHaveLength(3);
    for (const line of pods.slice(1))
      expect(line).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running +0 +30s$/);

    // get all: pods, services, deployments, replica sets, kind-prefixed, blank lines between.
    const all = k(c, 'get all').stdout.split('\n\n');
    expect(all).toHaveLength(4);
    expect(all[0]).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE\npod\/web-/);
    expect(all[1]).toMatch(
      /^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE\nservice\/kubernetes +ClusterIP +10\.96\.0\.1 /,
    );
    expect(all[2]).toMatch(/^NAME +READY +UP-TO-DATE +AVAILABLE +AGE\ndeployment\.apps\/web +3\/3/);
    expect(all[3]).toMatch(/^NAME +DESIRED +CURRENT +READY +AGE\nreplicaset\.apps\/web-/);

    expect(k(c, 'scale deployment web --replicas=5').output).toBe('deployment.apps/web scaled\n');
    expect(specOf<{ replicas: number }>(c, 'deploy', 'web').replicas).toBe(5);
    advance(c, 30_000);
    expect(k(c, 'get pods --no-headers').stdout.trim().split('\n')).toHaveLength(5);

    const described = k(c, 'describe deployment web').stdout;
    expect(described).toMatch(
      /^Name: {19}web\nNamespace: {14}default\nCreationTimestamp: {6}Wed, 25 Nov 2026 09:00:\d\d \+0000\n/,
    );
    expect(described).toContain('Selector:               app=web\n');
    expect(described).toContain(
      'Replicas:               5 desired | 5 updated | 5 total | 5 available | 0 unavailable\n',
    );
    expect(described).toContain('StrategyType:           RollingUpdate\n');
    expect(described).toContain('RollingUpdateStrategy:  25% max unavailable, 25% max surge\n');
    expect(described).toMatch(/\nNewReplicaSet: {3}web-[a-z0-9]+ \(5\/5 replicas created\)\n/);
    expect(described).toMatch(
      /\nEvents:\n {2}Type {4}Reason {13}Age {3}From {19}Message\n {2}---- {4}------ {13}---- {2}---- {19}-------\n {2}Normal {2}ScalingReplicaSet {2}\d+s {3}deployment-controller {2}Scaled up replica set web-[a-z0-9]+ from 0 to 3\n/,
    );

    const rsName = /NewReplicaSet: +(\S+)/.exec(described)![1]!;
    const rsText = k(c, `describe rs ${rsName}`).stdout;
    expect(rsText).toContain('Controlled By:  Deployment/web\n');
    expect(rsText).toContain('Replicas:       5 current / 5 desired\n');
    expect(rsText).toContain('Pods Status:    5 Running / 0 Waiting / 0 Succeeded / 0 Failed\n');

    const podName = k(c, 'get pods -o name').stdout.split('\n')[0]!.slice('pod/'.length);
    const podText = k(c, `describe pod ${podName}`).stdout;
    expect(podText).toContain(`Controlled By:  ReplicaSet/${rsName}\n`);
    expect(podText).toMatch(/\nStatus: +Running\n/);
    expect(podText).toMatch(/\n {4}State: +Running\n {6}Started: +Wed, 25 Nov 2026 /);

    expect(k(c, 'delete deployment web').output).toBe('deployment.apps "web" deleted\n');
    advance(c, 60_000);
    // Only the API server's own `kubernetes` Service is left, as on a fresh cluster.
    const left = k(c, 'get all');
    expect(left.stderr).toBe('');
    expect(left.stdout).toMatch(
      /^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE\nservice\/kubernetes +ClusterIP +10\.96\.0\.1 +<none> +443\/TCP +\S+\n$/,
    );
  });

  it('runs a bare pod, and deleting it waits until the kubelet has removed it', () => {
    const c = cluster();
    expect(k(c, 'run solo --image=nginx').output).toBe('pod/solo created\n');
    expect(k(c, 'run solo --image=nginx').stderr).toBe(
      'Error from server (AlreadyExists): pods "solo" already exists\n',
    );
    advance(c, 20_000);
    expect(k(c, 'get pod solo').stdout).toMatch(
      /^NAME +READY +STATUS +RESTARTS +AGE\nsolo +1\/1 +Running +0 +20s\n$/,
    );
    const r = k(c, 'delete pod solo');
    expect(r.output).toBe('pod "solo" deleted\n');
    // The wait is over only once the object is gone.
    expect(k(c, 'get pod solo').stderr).toBe('Error from server (NotFound): pods "solo" not found\n');
    expect(k(c, 'delete pod solo').stderr).toBe('Error from server (NotFound): pods "solo" not found\n');
    expect(k(c, 'delete pod solo --ignore-not-found').output).toBe('');
  });

  it('--wait=false returns while the pod terminates; --force removes it at once', () => {
    const c = cluster();
    k(c, 'run solo --image=nginx');
    advance(c, 20_000);
    expect(k(c, 'delete pod solo --wait=false').output).toBe('pod "solo" deleted\n');
    expect(k(c, 'get pod solo --no-headers').stdout).toMatch(/^solo +1\/1 +Terminating +0 +20s\n$/);
    expect(k(c, 'delete pod solo --force --grace-period=0').output).toBe(
      'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n' +
        'pod "solo" force deleted\n',
    );
    expect(getObject(c, 'pod', 'solo')).toBeUndefined();
  });

  it('deletes by selector and with --all, and says when nothing matched', () => {
    const c = cluster();
    k(c, 'run a --image=nginx --labels=app=x');
    k(c, 'run b --image=nginx --labels=app=x');
    k(c, 'run c --image=nginx --labels=app=y');
    advance(c, 20_000);
    expect(k(c, 'delete pods -l app=nope').output).toBe('No resources found\n');
    expect(k(c, 'delete pods -l app=x --dry-run=client').output).toBe(
      'pod "a" deleted (dry run)\npod "b" deleted (dry run)\n',
    );
    expect(k(c, 'delete pods -l app=x -o name').output).toBe('pod/a\npod/b\n');
    expect(k(c, 'get pods -o name').stdout).toBe('pod/c\n');
    expect(k(c, 'delete pod,deploy nope').stderr).toBe(
      'Error from server (NotFound): pods "nope" not found\nError from server (NotFound): deployments.apps "nope" not found\n',
    );
    expect(k(c, 'delete pods --all').output).toBe('pod "c" deleted\n');
  });

  it('gives up waiting after --timeout when the pod’s node is down', () => {
    const c = cluster();
    k(c, 'run solo --image=nginx');
    advance(c, 20_000);
    const node = specOf<{ nodeName: string }>(c, 'pod', 'solo').nodeName;
    c.killHost(node);
    advance(c, 5_000);
    const before = c.sim.nowMs;
    const r = k(c, 'delete pod solo --timeout=5s');
    expect(r.output).toBe('pod "solo" deleted\nerror: timed out waiting for the condition on pods/solo\n');
    expect(r.code).toBe(1);
    expect(c.sim.nowMs - before).toBeGreaterThanOrEqual(5_000);
    expect(k(c, 'get pod solo --no-headers').stdout).toMatch(/^solo +1\/1 +Terminating /);
  });

  it('scales with preconditions, dry runs, and reports what it cannot scale', () => {
    const c = cluster();
    k(c, 'create deployment web --image=nginx --replicas=2');
    k(c, 'run solo --image=nginx');
    advance(c, 20_000);
    expect(k(c, 'scale deploy web --replicas=3 --current-replicas=5').stderr).toBe(
      'error: Expected replicas to be 5, was 2\n',
    );
    expect(k(c, 'scale deploy/web --replicas=3 --current-replicas=2').output).toBe(
      'deployment.apps/web scaled\n',
    );
    expect(k(c, 'scale deploy web --replicas=4 --dry-run=client').output).toBe(
      'deployment.apps/web scaled (dry run)\n',
    );
    expect(k(c, 'scale deploy web --replicas=4 --dry-run=server').output).toBe(
      'deployment.apps/web scaled (server dry run)\n',
    );
    expect(specOf<{ replicas: number }>(c, 'deploy', 'web').replicas).toBe(3);
    expect(k(c, 'scale deploy nope --replicas=4').stderr).toBe(
      'error: no objects passed to scale deployments.apps "nope" not found\n',
    );
    expect(k(c, 'scale pod solo --replicas=2').stderr).toBe(
      'Error from server (NotFound): the server could not find the requested resource\n',
    );
    const rs = k(c, 'get rs -o name').stdout.trim();
    expect(k(c, `scale ${rs} --replicas=1`).output).toBe(
      `${rs.replace('replicaset.apps', 'replicaset.apps')} scaled\n`,
    );
  });
});
