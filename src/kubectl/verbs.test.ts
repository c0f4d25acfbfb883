import { describe, expect, it } from 'vitest';
import { headlessSession, runProgram } from '../shell/runProgram';
import type { KubeObject } from '../sim/api/types';
import { Cluster } from '../sim/cluster/cluster';
import { patchToJson } from './commands/patch';
import { kubectl } from './kubectl';

/**
 * The verbs tutorials reach for after get and create: patch, annotate, api-versions, config,
 * create service. Exact texts were checked against a real kubectl v1.32.4 (client-side paths
 * directly, server paths with testdata/compareWithRealKubectl.ts).
 */

function boot(): { c: Cluster; k: (...argv: string[]) => ReturnType<typeof runProgram> } {
  const c = new Cluster('ha', 1);
  c.sim.runUntil(30_000);
  const session = headlessSession();
  return { c, k: (...argv: string[]) => runProgram(c, kubectl, argv, { session }) };
}

function json(r: { stdout: string }): KubeObject & { spec?: Record<string, unknown> } {
  return JSON.parse(r.stdout) as KubeObject & { spec?: Record<string, unknown> };
}

describe('kubectl patch', () => {
  it('applies strategic, merge and JSON patches', () => {
    const { k } = boot();
    expect(k('create', 'deployment', 'web', '--image=nginx').code).toBe(0);
    expect(k('patch', 'deployment', 'web', '-p', '{"spec":{"replicas":3}}').stdout).toBe(
      'deployment.apps/web patched\n',
    );
    expect(json(k('get', 'deploy', 'web', '-o', 'json')).spec?.replicas).toBe(3);
    expect(k('patch', 'deploy/web', '--type=merge', '-p', 'metadata: {labels: {tier: web}}').code).toBe(0);
    expect(json(k('get', 'deploy', 'web', '-o', 'json')).metadata.labels?.tier).toBe('web');
    const ops = '[{"op":"replace","path":"/spec/replicas","value":2}]';
    expect(k('patch', 'deploy', 'web', '--type', 'json', '-p', ops, '-o', 'name').stdout).toBe(
      'deployment.apps/web\n',
    );
    expect(json(k('get', 'deploy', 'web', '-o', 'json')).spec?.replicas).toBe(2);
    // Strategic: containers merge by name.
    const image = '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}';
    expect(k('patch', 'deploy', 'web', '-p', image).code).toBe(0);
    const tpl = json(k('get', 'deploy', 'web', '-o', 'json')).spec?.template as {
      spec: { containers: { image: string }[] };
    };
    expect(tpl.spec.containers.map((x) => x.image)).toEqual(['nginx:1.27']);
  });

  it('reads --patch-file and works through the scale subresource', () => {
    const { c, k } = boot();
    k('create', 'deployment', 'web', '--image=nginx');
    const r = runProgram(c, kubectl, ['patch', 'deploy', 'web', '--patch-file', 'p.yaml'], {
      session: (() => {
        const s = headlessSession();
        s.files.writeFile('p.yaml', 'spec:\n  replicas: 4\n');
        return s;
      })(),
    });
    expect(r.stdout).toBe('deployment.apps/web patched\n');
    expect(
      k('patch', 'deploy', 'web', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":1}}')
        .stdout,
    ).toBe('scale.autoscaling/web patched\n');
    expect(json(k('get', 'deploy', 'web', '-o', 'json')).spec?.replicas).toBe(1);
    expect(k('patch', 'pod', 'x', '--subresource', 'scale', '-p', '{}').stderr).toBe(
      'Error from server (NotFound): the server could not find the requested resource\n',
    );
  });

  it('dry runs print what would be patched, without a suffix, and change nothing', () => {
    const { k } = boot();
    k('create', 'deployment', 'web', '--image=nginx');
    expect(k('patch', 'deploy', 'web', '-p', '{"spec":{"replicas":5}}', '--dry-run=client').stdout).toBe(
      'deployment.apps/web patched\n',
    );
    expect(k('patch', 'deploy', 'web', '-p', '{}', '--dry-run=client').stdout).toBe(
      'deployment.apps/web patched (no change)\n',
    );
    expect(
      json(k('patch', 'deploy', 'web', '-p', '{"spec":{"replicas":5}}', '--dry-run=server', '-o', 'json'))
        .spec?.replicas,
    ).toBe(5);
    expect(json(k('get', 'deploy', 'web', '-o', 'json')).spec?.replicas).toBe(1);
  });

  it("refuses what kubectl refuses, with kubectl's errors", () => {
    const { k } = boot();
    k('create', 'deployment', 'web', '--image=nginx');
    const err = (...argv: string[]) => {
      const r = k(...argv);
      expect(r.code).toBe(1);
      return r.stderr;
    };
    expect(err('patch', 'deploy', 'web')).toBe(
      'error: must specify --patch or --patch-file containing the contents of the patch\n',
    );
    expect(err('patch', 'deploy', 'web', '-p', '{}', '--patch-file', 'x')).toBe(
      'error: cannot specify --patch and --patch-file together\n',
    );
    expect(err('patch', 'deploy', 'web', '-p', '{}', '--type', 'foo')).toBe(
      'error: --type must be one of [json merge strategic], not "foo"\n',
    );
    expect(err('patch', 'deploy', 'web', '--patch-file', 'nope.yaml')).toBe(
      'error: unable to read patch file: open nope.yaml: no such file or directory\n',
    );
    expect(err('patch', 'deploy', 'web', '-p', 'a: [')).toBe(
      'error: unable to parse "a: [": yaml: line 1: did not find expected node content\n',
    );
    expect(err('patch', 'deploy', 'web', '-p', '{bad')).toBe(
      "Error from server (BadRequest): invalid character 'b' looking for beginning of object key string\n",
    );
    expect(err('patch', 'deploy', 'nope', '-p', '{}')).toBe(
      'Error from server (NotFound): deployments.apps "nope" not found\n',
    );
    expect(err('patch', 'deploy', '-p', '{}')).toBe(
      'error: resource(s) were provided, but no name was specified\n',
    );
    expect(err('patch', 'deploy', 'web', '--type', 'json', '-p', '{}')).toBe(
      'The request is invalid: json: cannot unmarshal object into Go value of type jsonpatch.Patch\n',
    );
    const missing = '[{"op":"remove","path":"/spec/nope"}]';
    expect(err('patch', 'deploy', 'web', '--type', 'json', '-p', missing)).toBe(
      'The request is invalid: Unable to remove nonexistent key: nope: missing value\n',
    );
    // One bad name among good ones: the others are still patched.
    const r = k('patch', 'deploy', 'web', 'nope', '-p', '{}');
    expect(r.output).toContain('deployment.apps/web patched');
    expect(r.stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
  });

  it('reads patches as apimachinery yaml.ToJSON does', () => {
    expect(patchToJson('spec:\n  replicas: 2')).toEqual({ ok: true, value: { spec: { replicas: 2 } } });
    expect(patchToJson('{"spec":')).toEqual({
      ok: true,
      value: undefined,
      invalidJson: 'unexpected end of JSON input',
    });
    expect(patchToJson('a: b: c')).toEqual({
      ok: false,
      error: 'unable to parse "a: b: c": yaml: mapping values are not allowed in this context',
    });
    expect(patchToJson('a: 1\nb: [')).toEqual({
      ok: false,
      error: 'unable to parse "a: 1\\nb: [": yaml: line 2: did not find expected node content',
    });
  });
});

describe('kubectl annotate', () => {
  it('adds, refuses to overwrite without --overwrite, and removes', () => {
    const { k } = boot();
    k('create', 'deployment', 'web', '--image=nginx');
    expect(k('annotate', 'deploy', 'web', 'description=my frontend').stdout).toBe(
      'deployment.apps/web annotated\n',
    );
    const r = k('annotate', 'deploy', 'web', 'description=other', 'owner=me');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error: --overwrite is false but found the following declared annotation(s): 'description' already has a value (my frontend)\n",
    );
    expect(k('annotate', 'deploy', 'web', 'description=other', '--overwrite').code).toBe(0);
    expect(json(k('get', 'deploy', 'web', '-o', 'json')).metadata.annotations?.description).toBe('other');
    expect(k('annotate', 'deploy/web', 'description-').stdout).toBe('deployment.apps/web annotated\n');
    expect(json(k('get', 'deploy', 'web', '-o', 'json')).metadata.annotations?.description).toBeUndefined();
    // change-cause may always be overwritten.
    k('annotate', 'deploy', 'web', 'kubernetes.io/change-cause=a');
    expect(k('annotate', 'deploy', 'web', 'kubernetes.io/change-cause=b').code).toBe(0);
  });

  it('lists, selects, and dry-runs', () => {
    const { k } = boot();
    k('create', 'deployment', 'web', '--image=nginx');
    k('annotate', 'deploy', 'web', 'owner=team-a');
    expect(k('annotate', 'deploy', 'web', '--list').stdout).toContain('owner=team-a\n');
    expect(k('annotate', 'deploy', 'web', 'a=1', '--dry-run=client').stdout).toBe(
      'deployment.apps/web annotated (dry run)\n',
    );
    expect(k('annotate', 'deploy', 'web', 'a=1', '--dry-run=server').stdout).toBe(
      'deployment.apps/web annotated (server dry run)\n',
    );
    expect(json(k('get', 'deploy', 'web', '-o', 'json')).metadata.annotations?.a).toBeUndefined();
    const all = k('annotate', 'nodes', '--all', 'rack=r1');
    expect(all.stdout.split('\n').filter(Boolean)).toHaveLength(9);
    expect(k('annotate', 'nodes', '-l', 'kubernetes.io/hostname=cp-1', 'rack-', '-o', 'name').stdout).toBe(
      'node/cp-1\n',
    );
    expect(k('annotate', 'nodes', 'cp-1', 'cp-2', '--list').stdout).toContain(
      'Listing annotations for Node./cp-2:\n',
    );
  });

  it("refuses what kubectl refuses, with kubectl's errors", () => {
    const { k } = boot();
    const err = (...argv: string[]) => k(...argv).stderr;
    expect(err('annotate')).toBe(
      'error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n',
    );
    expect(err('annotate', 'pod', 'x')).toBe('error: at least one annotation update is required\n');
    expect(err('annotate', 'pod', 'x', 'a=b', 'a-')).toBe(
      'error: can not both modify and remove the following annotation(s) in the same command: a\n',
    );
    expect(err('annotate', 'pod', 'x', '--all', '-l', 'a=b', 'c=d')).toBe(
      'error: cannot set --all and --selector at the same time\n',
    );
    expect(err('annotate', 'pod', 'x', 'a=b', 'y')).toBe(
      'error: all resources must be specified before annotation changes: y\n',
    );
    expect(err('annotate', 'pod', 'nope', 'a=b')).toBe(
      'Error from server (NotFound): pods "nope" not found\n',
    );
  });
});

describe('kubectl api-versions', () => {
  it('prints the served group/versions in byte order', () => {
    const { k } = boot();
    expect(k('api-versions').stdout).toBe(
      'apps/v1\nbatch/v1\ncoordination.k8s.io/v1\ndiscovery.k8s.io/v1\nmetrics.k8s.io/v1beta1\nv1\n',
    );
    expect(k('api-versions', 'x').stderr).toBe(
      "error: unexpected arguments: [x]\nSee 'kubectl api-versions -h' for help and examples\n",
    );
  });
});

describe('kubectl config', () => {
  it('shows the lab kubeconfig and its namespace, which set-context changes', () => {
    const { k } = boot();
    expect(k('config', 'current-context').stdout).toBe('kubernetes-admin@kubernetes\n');
    expect(k('config', 'view').stdout).toContain(
      '- cluster:\n    certificate-authority-data: DATA+OMITTED\n    server: https://10.0.0.100:6443\n  name: kubernetes\n',
    );
    expect(k('config', 'set-context', '--current', '--namespace=demo').stdout).toBe(
      'Context "kubernetes-admin@kubernetes" modified.\n',
    );
    expect(k('config', 'get-contexts').stdout).toBe(
      'CURRENT   NAME                          CLUSTER      AUTHINFO           NAMESPACE\n' +
        '*         kubernetes-admin@kubernetes   kubernetes   kubernetes-admin   demo\n',
    );
    expect(k('config', 'view', '--minify', '-o', 'jsonpath={.contexts[0].context.namespace}').stdout).toBe(
      'demo',
    );
    // Other commands now default to the new namespace.
    expect(k('get', 'pods').stderr).toBe('No resources found in demo namespace.\n');
    expect(k('config', 'use-context', 'kubernetes-admin@kubernetes').stdout).toBe(
      'Switched to context "kubernetes-admin@kubernetes".\n',
    );
  });

  it("refuses what kubectl refuses, with kubectl's errors", () => {
    const { k } = boot();
    expect(k('config', 'use-context', 'x').stderr).toBe('error: no context exists with the name: "x"\n');
    expect(k('config', 'set-context').stderr).toBe(
      'error: you must specify a non-empty context name or --current\n',
    );
    expect(k('config', 'set-context', '--current', 'x').stderr).toBe(
      'error: you cannot specify both a context name and --current\n',
    );
    const r = k('config', 'get-contexts', 'x');
    expect(r.output).toBe('CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\nerror: context x not found\n');
    const group = k('config');
    expect(group.code).toBe(1);
    expect(group.stderr).toContain('Available Commands:\n  current-context   Display the current-context\n');
  });
});
