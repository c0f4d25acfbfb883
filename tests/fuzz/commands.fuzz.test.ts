import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Session } from '../../src/script/session';
import type { ApiClient } from '../../src/sim/client/apiClient';
import { Cluster } from '../../src/sim/cluster/cluster';

/**
 * Bad input anywhere gets an error and changes nothing (DESIGN.md): random command lines and
 * random YAML through the terminal's shell never throw, always say something when they fail, and
 * a command that fails without printing a result made no successful write through the API.
 */

const MUTATING = new Set(['create', 'update', 'patch', 'delete']);
let writes = 0;

beforeAll(() => {
  // Count the user's successful writes: every program reaches the API through outsideClient().
  const original = Cluster.prototype.outsideClient;
  Cluster.prototype.outsideClient = function (this: Cluster): ApiClient {
    const client = original.call(this);
    const counted: ApiClient = Object.create(client);
    counted.request = (req, done) =>
      client.request(req, (res) => {
        if (MUTATING.has(req.verb) && !req.dryRun && !('transport' in res) && res.code < 300) writes++;
        done(res);
      });
    return counted;
  };
});

function session(): Session {
  const s = new Session({ scenario: 'ha', seed: 5 });
  for (const line of [
    'kubectl create deployment web --image=nginx:1.27 --replicas=2',
    'kubectl create configmap settings --from-literal=mode=fast',
    'kubectl expose deployment web --port=80',
  ])
    expect(s.run(line).code).toBe(0);
  return s;
}

const word = fc.constantFrom(
  // programs (no `advance` or `watch`: they wait on purpose)
  'kubectl',
  'kubectl',
  'kubectl',
  'etcdctl',
  'echo',
  'cat',
  'ls',
  'grep',
  'head',
  'wc',
  'sort',
  'cut',
  'awk',
  'help',
  'trace',
  // kubectl verbs and arguments
  'get',
  'describe',
  'create',
  'delete',
  'scale',
  'label',
  'annotate',
  'apply',
  'expose',
  'run',
  'set',
  'image',
  'rollout',
  'undo',
  'history',
  'cordon',
  'uncordon',
  'taint',
  'logs',
  'top',
  'patch',
  'replace',
  'explain',
  'config',
  'api-resources',
  'version',
  'pods',
  'po',
  'deploy',
  'deployment/web',
  'web',
  'nodes',
  'worker-1',
  'cp-1',
  'svc',
  'ns',
  'rs',
  'cm',
  'settings',
  'secret',
  'generic',
  'jobs',
  'cronjob',
  'ds',
  'events',
  'all',
  'kube-system',
  'member',
  'list',
  'put',
  'del',
  '/registry/pods/',
  '-n',
  '-o',
  'yaml',
  'json',
  'wide',
  'name',
  '-o=jsonpath={.items[*].metadata.name}',
  '-o=custom-columns=N:.metadata.name',
  '-l',
  'app=web',
  'app!=web',
  '--replicas=3',
  '--replicas=-1',
  '--image=nginx:1.27',
  '--image=',
  '-A',
  '--all',
  '--dry-run=client',
  '--dry-run=server',
  '--force',
  '--grace-period=0',
  '--timeout=2s',
  '--wait=false',
  '-p',
  '{"spec":{"replicas":2}}',
  '{bad',
  '--type=merge',
  '--from-literal=a=b',
  '--port=80',
  '--to-revision=9',
  'key=value:NoSchedule',
  'key-',
  '--overwrite',
  '-f',
  'missing.yaml',
  '--sort-by=.metadata.name',
  '--x',
  '-',
  '--',
  '|',
  ';',
  '&&',
  '||',
  '>',
  'out.txt',
  '"',
  "'",
  '$(',
  ')',
  '$HOME',
  '=',
  '',
);
const garbage = fc.string({ maxLength: 12 });
const commandLine = fc
  .array(fc.oneof({ weight: 9, arbitrary: word }, { weight: 1, arbitrary: garbage }), {
    minLength: 1,
    maxLength: 8,
  })
  .map((ws) => ws.join(' '));

function checkRun(s: Session, line: string, heredoc = ''): void {
  const before = writes;
  let result: ReturnType<Session['run']> | undefined;
  expect(() => {
    result = s.run(line, heredoc);
  }, line).not.toThrow();
  const { code, stdout, stderr } = result!;
  // grep's status 1 means "no line matched": a result, printed as nothing.
  const grepMiss = code === 1 && /(^|\||;|&&|\|\|)\s*(\S+=\S*\s+)*grep\b[^|;&]*$/.test(line);
  if (code !== 0 && !grepMiss) {
    expect(stdout + stderr, `${line}: failed silently`).not.toBe('');
    // A failure that printed no result made no write (partial successes print what they did).
    if (stdout === '') expect(writes - before, `${line}: failed but wrote`).toBe(0);
  }
}

describe('fuzz: the terminal never throws and never changes the cluster on a failure', () => {
  it('10,000 random command lines', { timeout: 300_000 }, () => {
    const s = session();
    fc.assert(
      fc.property(commandLine, (line) => checkRun(s, line)),
      { numRuns: 10_000, seed: 20261125 },
    );
  });

  it('1,000 random YAML documents applied and created', { timeout: 300_000 }, () => {
    const s = session();
    const scalar = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('tree'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('name', 'spec', 'replicas', 'image', 'labels', 'x'), tie('tree'), {
          maxKeys: 3,
        }),
      ),
    })).tree;
    const manifest = fc.record(
      {
        apiVersion: fc.constantFrom('v1', 'apps/v1', 'batch/v1', 'nope/v9', ''),
        kind: fc.constantFrom('Pod', 'Deployment', 'Service', 'ConfigMap', 'Job', 'Nope', ''),
        metadata: fc.record(
          {
            name: fc.constantFrom('web', 'x', 'Bad_Name', '', 'settings'),
            namespace: fc.constantFrom('default', 'nope'),
          },
          { requiredKeys: [] },
        ),
        spec: value,
        data: value,
      },
      { requiredKeys: [] },
    );
    const text = fc.oneof(
      { weight: 3, arbitrary: manifest.map((m) => stringify(m)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
      {
        weight: 1,
        arbitrary: fc
          .array(manifest, { maxLength: 3 })
          .map((ms) => ms.map((m) => stringify(m)).join('---\n')),
      },
    );
    fc.assert(
      fc.property(text, fc.constantFrom('apply', 'create', 'replace', 'delete'), (doc, verb) =>
        checkRun(s, `kubectl ${verb} -f - <<EOF`, doc.endsWith('\n') ? doc : `${doc}\n`),
      ),
      { numRuns: 1_000, seed: 20261125 },
    );
  });
});
