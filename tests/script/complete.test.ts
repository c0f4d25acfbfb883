import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CompletionSource, complete } from '../../src/script/complete';
import type { ResourceInfo } from '../../src/sim/api/resources';

const objects: Record<string, Record<string, string[]>> = {
  pods: { default: ['web-7d4b9-abcde', 'web-7d4b9-fghij', 'cache-0'], 'kube-system': ['coredns-1'] },
  deployments: { default: ['web', 'cache'] },
  nodes: { '': ['cp-1', 'worker-1', 'worker-2'] },
  namespaces: { '': ['default', 'kube-system', 'kube-public'] },
};

const source: CompletionSource = {
  programs: ['kubectl', 'etcdctl', 'cat', 'ls', 'grep', 'kill', 'help'],
  namespace: 'default',
  objectNames(resource: ResourceInfo, namespace: string | undefined) {
    const byNs = objects[resource.resource] ?? {};
    if (!resource.namespaced) return byNs[''] ?? [];
    return namespace === undefined ? Object.values(byNs).flat() : (byNs[namespace] ?? []);
  },
  listDir(path: string) {
    if (path === '.' || path === '')
      return [
        { name: 'examples', dir: true, size: 0 },
        { name: 'web.yaml', dir: false, size: 10 },
      ];
    if (path === 'examples/')
      return [
        { name: 'deployment.yaml', dir: false, size: 1 },
        { name: 'service.yaml', dir: false, size: 1 },
      ];
    return [];
  },
};

const candidates = (line: string) => complete(line, source).candidates;

describe('tab completion', () => {
  it('completes program names at the start of a line and after a pipe', () => {
    expect(candidates('kub')).toEqual(['kubectl']);
    expect(candidates('k')).toEqual(['kill', 'kubectl']);
    expect(candidates('kubectl get pods | gr')).toEqual(['grep']);
  });

  it('completes kubectl verbs, subcommands and flags', () => {
    expect(candidates('kubectl ge')).toEqual(['get']);
    expect(candidates('kubectl rollout u')).toEqual(['undo']);
    expect(candidates('kubectl get pods --all-n')).toEqual(['--all-namespaces']);
    expect(candidates('kubectl --namesp')).toEqual(['--namespace']);
  });

  it('completes etcdctl commands and their subcommands', () => {
    expect(candidates('etcdctl le')).toEqual(['lease']);
    expect(candidates('etcdctl lease t')).toEqual(['timetolive']);
    expect(candidates('etcdctl member ')).toEqual(['add', 'list', 'remove']);
    expect(candidates('etcdctl get /a')).toEqual([]);
  });

  it('completes resource types, then names of that type in the current namespace', () => {
    expect(candidates('kubectl get deploy')).toEqual(['deployments']);
    expect(candidates('kubectl describe pod web')).toEqual(['web-7d4b9-abcde', 'web-7d4b9-fghij']);
    expect(candidates('kubectl get deployments c')).toEqual(['cache']);
    expect(candidates('kubectl delete po/ca')).toEqual(['po/cache-0']);
  });

  it('uses -n and -A for the namespace, and completes namespaces after -n', () => {
    expect(candidates('kubectl get pods -n kube-system c')).toEqual(['coredns-1']);
    expect(candidates('kubectl get pods -A c')).toEqual(['cache-0', 'coredns-1']);
    expect(candidates('kubectl get pods -n kube-')).toEqual(['kube-public', 'kube-system']);
  });

  it('completes pod names for logs and node names for cordon and drain', () => {
    expect(candidates('kubectl logs web-7d4b9-f')).toEqual(['web-7d4b9-fghij']);
    expect(candidates('kubectl cordon work')).toEqual(['worker-1', 'worker-2']);
    expect(candidates('kubectl rollout status deploy')).toEqual(['deployment']);
    expect(candidates('kubectl rollout status deployment/w')).toEqual(['deployment/web']);
  });

  it('completes files after -f, for file programs and after a redirection', () => {
    expect(candidates('kubectl apply -f ex')).toEqual(['examples/']);
    expect(candidates('kubectl apply -f examples/s')).toEqual(['examples/service.yaml']);
    expect(candidates('cat w')).toEqual(['web.yaml']);
    expect(candidates('kubectl get pods -o yaml > w')).toEqual(['web.yaml']);
  });

  it('replaces only the word under the cursor', () => {
    expect(complete('kubectl get po', source).from).toBe('kubectl get '.length);
    expect(complete('kubectl get pods ', source)).toMatchObject({ from: 'kubectl get pods '.length });
  });

  it('never throws, and every candidate starts with the word being completed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (line) => {
        const { from, candidates: found } = complete(line, source);
        const word = line.slice(from);
        for (const c of found) expect(c.startsWith(word) || word.includes('=')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
