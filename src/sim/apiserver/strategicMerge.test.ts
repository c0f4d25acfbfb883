import { describe, expect, it } from 'vitest';
import { applyJsonPatch, JsonPatchError } from './jsonPatch';
import { PatchError, schemaForKind, strategicMergePatch } from './strategicMerge';

/** Strategic merge patch as kube-apiserver applies it, on the shapes kubectl sends. */

const deploy = schemaForKind('Deployment');

function deployment(containers: unknown[], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers, ...extra } } },
  };
}

const podSpec = (o: unknown) =>
  (o as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec;

describe('strategic merge patch', () => {
  it('merges maps key by key and deletes with null', () => {
    const out = strategicMergePatch(
      deployment([]),
      { metadata: { labels: { tier: 'fe', app: null } }, spec: { replicas: null } },
      deploy,
    ) as { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> };
    expect(out.metadata.labels).toEqual({ tier: 'fe' });
    expect(out.spec.replicas).toBeUndefined();
  });

  it('merges containers by name instead of replacing the list', () => {
    const live = deployment([
      { name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] },
      { name: 'sidecar', image: 'busybox' },
    ]);
    const out = strategicMergePatch(
      live,
      { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } },
      deploy,
    );
    expect(podSpec(out).containers).toEqual([
      { name: 'web', image: 'nginx:1.28', ports: [{ containerPort: 80, protocol: 'TCP' }] },
      { name: 'sidecar', image: 'busybox' },
    ]);
  });

  it('adds items with a new key, nested lists merge by their own key', () => {
    const live = deployment([
      {
        name: 'web',
        image: 'nginx',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        ports: [{ containerPort: 80 }],
      },
    ]);
    const out = strategicMergePatch(
      live,
      {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'web', env: [{ name: 'B', value: '3' }], ports: [{ containerPort: 443 }] },
                { name: 'log', image: 'fluentd' },
              ],
            },
          },
        },
      },
      deploy,
    );
    const [web, log] = podSpec(out).containers as Record<string, unknown>[];
    expect(web!.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
    ]);
    // Without an order directive, items of the patch come before items only the server has
    // (strategicpatch's mergeSortedSlice), as in the patch order for those it has both.
    expect(web!.ports).toEqual([{ containerPort: 443 }, { containerPort: 80 }]);
    expect(log).toEqual({ name: 'log', image: 'fluentd' });
  });

  it('removes an item with $patch: delete', () => {
    const live = deployment([
      { name: 'web', image: 'nginx' },
      { name: 'sidecar', image: 'busybox' },
    ]);
    const out = strategicMergePatch(
      live,
      { spec: { template: { spec: { containers: [{ $patch: 'delete', name: 'sidecar' }] } } } },
      deploy,
    );
    expect(podSpec(out).containers).toEqual([{ name: 'web', image: 'nginx' }]);
  });

  it('orders a merged list by $setElementOrder, keeping items only the server has', () => {
    const live = deployment([
      { name: 'a', image: 'a' },
      { name: 'server-only', image: 's' },
      { name: 'b', image: 'b' },
    ]);
    const out = strategicMergePatch(
      live,
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }],
              containers: [{ name: 'b', image: 'b2' }],
            },
          },
        },
      },
      deploy,
    );
    // The server-only item goes before the first patch item that came after it in the live list.
    expect((podSpec(out).containers as { name: string }[]).map((c) => c.name)).toEqual([
      'server-only',
      'b',
      'a',
    ]);
    expect((podSpec(out).containers as { image: string }[])[1]!.image).toBe('b2');
  });

  it('replaces lists without a patch strategy (tolerations, args) whole', () => {
    const live = deployment([{ name: 'web', image: 'x', args: ['a', 'b'] }], {
      tolerations: [{ key: 'a', operator: 'Exists' }],
    });
    const out = strategicMergePatch(
      live,
      {
        spec: {
          template: {
            spec: {
              tolerations: [{ key: 'b', operator: 'Exists' }],
              containers: [{ name: 'web', args: ['c'] }],
            },
          },
        },
      },
      deploy,
    );
    expect(podSpec(out).tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
    expect((podSpec(out).containers as { args: string[] }[])[0]!.args).toEqual(['c']);
  });

  it('taints of a node are replaced whole', () => {
    const node = {
      kind: 'Node',
      metadata: { name: 'n' },
      spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] },
    };
    const out = strategicMergePatch(
      node,
      { spec: { taints: [{ key: 'b', effect: 'NoExecute' }] } },
      schemaForKind('Node'),
    );
    expect((out as typeof node).spec.taints).toEqual([{ key: 'b', effect: 'NoExecute' }]);
  });

  it('service ports merge by port; conditions by type; ownerReferences by uid', () => {
    const svc = {
      kind: 'Service',
      metadata: { name: 's', ownerReferences: [{ uid: '1', name: 'a' }] },
      spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const out = strategicMergePatch(
      svc,
      {
        metadata: { ownerReferences: [{ uid: '2', name: 'b' }] },
        spec: { ports: [{ port: 80, targetPort: 9090 }] },
        status: { conditions: [{ type: 'Other', status: 'False' }] },
      },
      schemaForKind('Service'),
    ) as typeof svc;
    expect(out.spec.ports).toEqual([{ port: 80, targetPort: 9090 }, { port: 443 }]);
    expect(out.status.conditions.map((c) => c.type)).toEqual(['Other', 'Ready']);
    expect(out.metadata.ownerReferences.map((o) => o.uid)).toEqual(['2', '1']);
  });

  it('$retainKeys clears the fields of a union the patch does not keep', () => {
    const live = {
      kind: 'Deployment',
      spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } },
    };
    const out = strategicMergePatch(
      live,
      { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      deploy,
    ) as typeof live;
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('$patch: replace replaces a map or a list whole', () => {
    const live = deployment([{ name: 'a', image: 'a' }]);
    const map = strategicMergePatch(
      live,
      { metadata: { labels: { $patch: 'replace', x: 'y' } } },
      deploy,
    ) as {
      metadata: { labels: unknown };
    };
    expect(map.metadata.labels).toEqual({ x: 'y' });
    const list = strategicMergePatch(
      live,
      { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'b', image: 'b' }] } } } },
      deploy,
    );
    expect(podSpec(list).containers).toEqual([{ name: 'b', image: 'b' }]);
  });

  it('set-like lists of scalars merge, and $deleteFromPrimitiveList removes', () => {
    const ns = { kind: 'Pod', metadata: { name: 'p', finalizers: ['a', 'b'] } };
    const out = strategicMergePatch(
      ns,
      { metadata: { finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['a'] } },
      schemaForKind('Pod'),
    ) as typeof ns;
    expect(out.metadata.finalizers).toEqual(['c', 'b']);
  });

  it('does not modify its inputs', () => {
    const live = deployment([{ name: 'a', image: 'a' }]);
    const before = JSON.stringify(live);
    const patch = { spec: { template: { spec: { containers: [{ name: 'a', image: 'b' }] } } } };
    strategicMergePatch(live, patch, deploy);
    expect(JSON.stringify(live)).toBe(before);
    expect(patch.spec.template.spec.containers[0]!.image).toBe('b');
  });

  it('refuses a keyed item without its merge key, and unknown directives', () => {
    const live = deployment([{ name: 'a', image: 'a' }]);
    expect(() =>
      strategicMergePatch(live, { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, deploy),
    ).toThrow(PatchError);
    expect(() => strategicMergePatch(live, { metadata: { $patch: 'explode' } }, deploy)).toThrow(
      /Unknown patch type/,
    );
    expect(() => strategicMergePatch(live, [1, 2], deploy)).toThrow(PatchError);
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { metadata: { annotations: { a: '1' } }, spec: { list: [1, 2, 3] } };

  it('adds, replaces, removes, moves, copies and tests', () => {
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/spec/list/-', value: 4 },
      { op: 'add', path: '/spec/list/0', value: 0 },
      { op: 'replace', path: '/metadata/annotations', value: { b: '2' } },
      { op: 'remove', path: '/spec/list/1' },
      { op: 'copy', from: '/metadata/annotations', path: '/metadata/labels' },
      { op: 'move', from: '/metadata/labels/b', path: '/metadata/labels/c' },
      { op: 'test', path: '/metadata/labels', value: { c: '2' } },
      { op: 'add', path: '/metadata/a~1b', value: 'slash' },
    ]);
    expect(out).toEqual({
      metadata: { annotations: { b: '2' }, labels: { c: '2' }, 'a/b': 'slash' },
      spec: { list: [0, 2, 3, 4] },
    });
    expect(doc.spec.list).toEqual([1, 2, 3]);
  });

  it('fails on a missing path or a failed test', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/nope/x', value: 1 }])).toThrow(JsonPatchError);
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/missing' }])).toThrow(/nonexistent/);
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/spec/list/0', value: 9 }])).toThrow(
      /test failed/,
    );
    expect(() => applyJsonPatch(doc, { op: 'add' })).toThrow(JsonPatchError);
  });
});
