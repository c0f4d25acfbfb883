import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';
import { EXAMPLE_FILES } from '../shell/examples';
import type { SessionControl } from '../shell/program';
import { headlessSession, runProgram } from '../shell/runProgram';
import { HOME } from '../shell/vfs';
import type { KubeObject } from '../sim/api/types';
import { Cluster } from '../sim/cluster/cluster';
import { spawn } from '../sim/kernel/task';
import { LAST_APPLIED } from './cli/lastApplied';
import { decodeStream } from './cli/manifestDecode';
import { kubectl } from './kubectl';

/**
 * kubectl apply, create -f, delete -f, replace -f and expose against a booted cluster. The texts
 * were checked against kubectl v1.32.4 with testdata/compareWithRealKubectl.ts (see
 * testdata/apply.txt for the full transcript).
 */

function lab(): { c: Cluster; session: SessionControl } {
  const c = new Cluster('ha', 1);
  c.sim.runUntil(30_000);
  return { c, session: headlessSession() };
}

function k(l: { c: Cluster; session: SessionControl }, line: string, stdin = '') {
  return runProgram(
    l.c,
    kubectl,
    line.split(' ').filter((a) => a !== ''),
    { session: l.session, stdin },
  );
}

function live(l: { c: Cluster; session: SessionControl }, what: string): KubeObject | undefined {
  const r = k(l, `get ${what} -o json`);
  return r.code === 0 ? (JSON.parse(r.stdout) as KubeObject) : undefined;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
        env:
        - name: MODE
          value: blue
        - name: DEBUG
          value: "1"
`;

describe('kubectl apply', () => {
  it('creates, then reports unchanged, then configured', () => {
    const l = lab();
    l.session.files.writeFile('web.yaml', DEPLOYMENT);
    expect(k(l, 'apply -f web.yaml').output).toBe('deployment.apps/web created\n');
    expect(k(l, 'apply -f web.yaml').output).toBe('deployment.apps/web unchanged\n');
    l.session.files.writeFile('web.yaml', DEPLOYMENT.replace('nginx:1.27', 'nginx:1.28'));
    expect(k(l, 'apply -f web.yaml').output).toBe('deployment.apps/web configured\n');
    const d = live(l, 'deploy web') as KubeObject & {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    expect(d.spec.template.spec.containers[0]!.image).toBe('nginx:1.28');
  });

  it('writes the last-applied-configuration annotation as kubectl does', () => {
    const l = lab();
    l.session.files.writeFile('web.yaml', DEPLOYMENT);
    k(l, 'apply -f web.yaml');
    const annotation = live(l, 'deploy web')!.metadata.annotations![LAST_APPLIED];
    expect(annotation).toBe(
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"env":[{"name":"MODE","value":"blue"},{"name":"DEBUG","value":"1"}],"image":"nginx:1.27","name":"web"}]}}}}\n',
    );
  });

  it('removes what was dropped from the file, keeps what others added', () => {
    const l = lab();
    l.session.files.writeFile('web.yaml', DEPLOYMENT);
    k(l, 'apply -f web.yaml');
    expect(k(l, 'label deploy web team=blue').code).toBe(0);
    const dropped = DEPLOYMENT.replace('        - name: DEBUG\n          value: "1"\n', '').replace(
      '  replicas: 2\n',
      '',
    );
    l.session.files.writeFile('web.yaml', dropped);
    expect(k(l, 'apply -f web.yaml').output).toBe('deployment.apps/web configured\n');
    const d = live(l, 'deploy web') as KubeObject & {
      spec: { replicas: number; template: { spec: { containers: { env: unknown[] }[] } } };
    };
    expect(d.spec.template.spec.containers[0]!.env).toEqual([{ name: 'MODE', value: 'blue' }]);
    expect(d.spec.replicas).toBe(1); // back to the default: it was in the file, and left it
    expect(d.metadata.labels).toEqual({ app: 'web', team: 'blue' });
    // Scaled by hand afterwards: the file does not set replicas, so apply leaves it.
    k(l, 'scale deploy web --replicas=3');
    expect(k(l, 'apply -f web.yaml').output).toBe('deployment.apps/web unchanged\n');
    expect((live(l, 'deploy web') as KubeObject & { spec: { replicas: number } }).spec.replicas).toBe(3);
  });

  it('supports dry runs and -o', () => {
    const l = lab();
    l.session.files.writeFile('web.yaml', DEPLOYMENT);
    expect(k(l, 'apply -f web.yaml --dry-run=client').output).toBe('deployment.apps/web created (dry run)\n');
    expect(k(l, 'apply -f web.yaml --dry-run=server').output).toBe(
      'deployment.apps/web created (server dry run)\n',
    );
    expect(live(l, 'deploy web')).toBeUndefined();
    expect(k(l, 'apply -f web.yaml -o name').output).toBe('deployment.apps/web\n');
    const yaml = k(l, 'apply -f web.yaml -o yaml').stdout;
    expect(yaml).toContain('kubectl.kubernetes.io/last-applied-configuration: |\n');
    expect(yaml.startsWith('apiVersion: apps/v1\nkind: Deployment\n')).toBe(true);
  });

  it('reads stdin (a heredoc in a script) and several documents', () => {
    const s = new Session({ seed: 1 });
    const r = s.run(
      'kubectl apply -f - ',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: team\nspec:\n  ports:\n  - port: 80\n',
    );
    expect(r.output).toBe('namespace/team created\nservice/api created\n');
    expect(s.run('cat examples/redis-deployment.yaml | kubectl apply -f -').output).toBe(
      'deployment.apps/redis created\n',
    );
  });

  it('applies every example manifest cleanly', () => {
    const l = lab();
    const r = k(l, 'apply -f ~/examples');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const names = Object.keys(EXAMPLE_FILES).map((p) => p.slice(`${HOME}/examples/`.length));
    expect(r.stdout.split('\n').filter((x) => x.endsWith(' created'))).toHaveLength(names.length);
    expect(
      k(l, 'apply -f ~/examples')
        .stdout.split('\n')
        .filter((x) => x.endsWith(' unchanged')),
    ).toHaveLength(names.length);
  });

  it('reports unreadable files as kubectl does, and changes nothing for them', () => {
    const l = lab();
    const { files } = l.session;
    expect(k(l, 'apply -f nope.yaml').stderr).toBe('error: the path "nope.yaml" does not exist\n');
    files.writeFile('bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels\n    a: b\n');
    expect(k(l, 'apply -f bad.yaml').stderr).toBe(
      "error: error parsing bad.yaml: error converting YAML to JSON: yaml: line 6: could not find expected ':'\n",
    );
    files.writeFile('nokind.yaml', 'metadata:\n  name: x\n');
    expect(k(l, 'apply -f nokind.yaml').stderr).toBe(
      'error: error validating "nokind.yaml": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false\n',
    );
    files.writeFile('foo.yaml', 'apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n');
    expect(k(l, 'apply -f foo.yaml').stderr).toBe(
      'error: resource mapping not found for name: "x" namespace: "" from "foo.yaml": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first\n',
    );
    files.writeFile(
      'ns.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: a\nspec:\n  ports:\n  - port: 80\n',
    );
    expect(k(l, 'apply -f ns.yaml -n b').stderr).toBe(
      `error: the namespace from the provided object "a" does not match the namespace "b". You must pass '--namespace=a' to perform this operation.\n`,
    );
    // kubernetes, and kubeadm's kube-dns in kube-system: nothing else was created.
    expect(k(l, 'get svc -A -o name').stdout).toBe('service/kubernetes\nservice/kube-dns\n');
  });

  it('goes on past a failing document, and fails with exit code 1', () => {
    const l = lab();
    l.session.files.writeFile(
      'mixed.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports:\n  - port: 0\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\nspec:\n  ports:\n  - port: 80\n',
    );
    const r = k(l, 'apply -f mixed.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('service/b created\n');
    expect(r.stderr).toBe(
      'The Service "a" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n',
    );
    expect(live(l, 'svc a')).toBeUndefined();
  });
});

describe('kubectl create -f, replace -f, delete -f', () => {
  it('creates, refuses an existing object, replaces, deletes', () => {
    const l = lab();
    l.session.files.writeFile('web.yaml', DEPLOYMENT);
    expect(k(l, 'create -f web.yaml').output).toBe('deployment.apps/web created\n');
    expect(k(l, 'create -f web.yaml').output).toBe(
      'Error from server (AlreadyExists): error when creating "web.yaml": deployments.apps "web" already exists\n',
    );
    l.session.files.writeFile('web.yaml', DEPLOYMENT.replace('replicas: 2', 'replicas: 4'));
    // Let the rollout settle: a status write of the Deployment controller between replace's GET
    // and PUT would (rightly) make it a Conflict.
    l.c.sim.runUntil(l.c.sim.nowMs + 10_000);
    expect(k(l, 'replace -f web.yaml').output).toBe('deployment.apps/web replaced\n');
    expect((live(l, 'deploy web') as KubeObject & { spec: { replicas: number } }).spec.replicas).toBe(4);
    expect(k(l, 'delete -f web.yaml').output).toBe('deployment.apps "web" deleted\n');
    expect(k(l, 'delete -f web.yaml').output).toBe(
      'Error from server (NotFound): error when deleting "web.yaml": deployments.apps "web" not found\n',
    );
    expect(k(l, 'replace -f web.yaml').output).toBe(
      'Error from server (NotFound): error when replacing "web.yaml": deployments.apps "web" not found\n',
    );
  });

  it('prints what it would create with --dry-run=client -o yaml, the namespace filled in', () => {
    const l = lab();
    expect(k(l, 'create -f examples/busybox-pod.yaml --dry-run=client -o yaml').stdout).toBe(
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: busybox',
        '  namespace: default',
        'spec:',
        '  containers:',
        '  - command:',
        '    - sleep',
        '    - "3600"',
        '    image: busybox:1.36',
        '    name: busybox',
        '',
      ].join('\n'),
    );
  });
});

describe('kubectl expose', () => {
  it('makes a Service selecting what the workload selects', () => {
    const l = lab();
    k(l, 'create deployment web --image=nginx --port=80');
    expect(k(l, 'expose deployment web').output).toBe('service/web exposed\n');
    const svc = live(l, 'svc web') as KubeObject & {
      spec: {
        selector: Record<string, string>;
        ports: { port: number; targetPort: number; protocol: string }[];
      };
    };
    expect(svc.spec.selector).toEqual({ app: 'web' });
    expect(svc.spec.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    expect(k(l, 'expose deployment web').output).toBe(
      'Error from server (AlreadyExists): services "web" already exists\n',
    );
    k(l, 'run solo --image=nginx --labels=app=solo,tier=fe');
    expect(k(l, 'expose pod solo --port=8080 --target-port=80 --type=NodePort').output).toBe(
      'service/solo exposed\n',
    );
    const pod = live(l, 'svc solo') as KubeObject & {
      spec: { selector: Record<string, string>; type: string };
    };
    expect(pod.spec.selector).toEqual({ app: 'solo', tier: 'fe' });
    expect(pod.spec.type).toBe('NodePort');
  });

  it('says why it cannot', () => {
    const l = lab();
    k(l, 'create deployment bare --image=nginx');
    expect(k(l, 'expose deployment bare').stderr).toBe(
      "error: couldn't find port via --port flag or introspection\n",
    );
    expect(k(l, 'expose node worker-1 --port=80').stderr).toBe('error: cannot expose a Node\n');
  });
});

// ---- properties ----

/** Runs kubectl and tells whether the program threw (which runProgram would turn into text). */
function runTask(
  l: { c: Cluster; session: SessionControl },
  argv: string[],
): { threw: boolean; code: number } {
  let outcome: { threw: boolean; code: number } | undefined;
  spawn(
    kubectl(argv, {
      cluster: l.c,
      client: l.c.outsideClient(),
      stdin: '',
      stdout: () => {},
      stderr: () => {},
      session: l.session,
    }),
    (o) => {
      outcome = o.ok ? { threw: false, code: o.value } : { threw: true, code: 1 };
    },
  );
  l.c.sim.runUntilDone(() => outcome !== undefined, l.c.sim.nowMs + 600_000);
  return outcome ?? { threw: true, code: 1 };
}

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);

const manifest = fc.record({
  labels: fc.dictionary(label, label, { minKeys: 0, maxKeys: 3 }),
  replicas: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  containers: fc.uniqueArray(
    fc.record({
      name: label,
      image: fc.constantFrom('nginx:1.27', 'redis:7', 'busybox:1.36'),
      env: fc.uniqueArray(fc.record({ name: label.map((s) => s.toUpperCase()), value: label }), {
        selector: (e) => e.name,
        maxLength: 3,
      }),
      port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    }),
    { selector: (c) => c.name, minLength: 1, maxLength: 3 },
  ),
});

type Manifest = typeof manifest extends fc.Arbitrary<infer T> ? T : never;

function render(name: string, m: Manifest): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(Object.keys(m.labels).length > 0 ? { labels: m.labels } : {}) },
    spec: {
      ...(m.replicas !== undefined ? { replicas: m.replicas } : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: m.containers.map((c) => ({
            name: c.name,
            image: c.image,
            ...(c.env.length > 0 ? { env: c.env } : {}),
            ...(c.port !== undefined ? { ports: [{ containerPort: c.port }] } : {}),
          })),
        },
      },
    },
  });
}

describe('apply properties', () => {
  it('applying the same manifest twice is unchanged the second time, and leaves the object as it was', () => {
    const l = lab();
    let n = 0;
    fc.assert(
      fc.property(manifest, manifest, (m1, m2) => {
        const name = `p${n++}`;
        for (const m of [m1, m2]) {
          l.session.files.writeFile('m.json', render(name, m));
          const first = k(l, 'apply -f m.json');
          expect(first.code).toBe(0);
          const after = live(l, `deploy ${name}`)!;
          expect(k(l, 'apply -f m.json').output).toBe(`deployment.apps/${name} unchanged\n`);
          const again = live(l, `deploy ${name}`)!;
          expect(again.spec).toEqual(after.spec);
          expect(again.metadata.labels).toEqual(after.metadata.labels);
          expect(again.metadata.annotations?.[LAST_APPLIED]).toBe(after.metadata.annotations?.[LAST_APPLIED]);
          expect(again.metadata.generation).toBe(after.metadata.generation);
        }
        // After the second manifest, the object says what it says (three-way removed the rest).
        const d = live(l, `deploy ${name}`) as KubeObject & {
          spec: { template: { spec: { containers: { name: string; image: string; env?: unknown[] }[] } } };
        };
        expect(d.spec.template.spec.containers.map((c) => [c.name, c.image, c.env ?? []])).toEqual(
          m2.containers.map((c) => [c.name, c.image, c.env]),
        );
        expect(d.metadata.labels ?? {}).toEqual(m2.labels);
      }),
      { seed: 20261125, numRuns: 25 },
    );
  });

  it('garbage never throws and never changes the cluster', () => {
    const l = lab();
    const before = k(l, 'get all -A -o name').stdout;
    const garbage = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc
        .array(
          fc.constantFrom(
            'a',
            ':',
            ' ',
            '-',
            '\n',
            '\t',
            '[',
            ']',
            '{',
            '}',
            '"',
            "'",
            '#',
            '&',
            '*',
            '!',
            '|',
            '>',
            '---\n',
            'kind',
            'v1',
            '0',
          ),
          {
            maxLength: 60,
          },
        )
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(garbage, (text) => {
        expect(() => decodeStream(text)).not.toThrow();
        l.session.files.writeFile('g.yaml', text);
        for (const verb of ['apply', 'create', 'replace', 'delete']) {
          const r = runTask(l, [verb, '-f', 'g.yaml']);
          expect(r.threw).toBe(false);
        }
      }),
      { seed: 7, numRuns: 150 },
    );
    expect(k(l, 'get all -A -o name').stdout).toBe(before);
  });
});
