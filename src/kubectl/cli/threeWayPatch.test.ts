import { describe, expect, it } from 'vitest';
import { schemaForKind, strategicMergePatch } from '../../sim/apiserver/strategicMerge';
import { LAST_APPLIED, modifiedConfiguration } from './lastApplied';
import { goJsonCompact } from './manifestDecode';
import { createThreeWayMergePatch, createTwoWayMergePatch } from './threeWayPatch';

/** The patches client-side apply and the editing verbs compute, against what kubectl v1.32.4 sent. */

type Obj = Record<string, unknown>;
const schema = schemaForKind('Deployment');

const first: Obj = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          },
        ],
      },
    },
  },
};

const second: Obj = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'Recreate' },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.28', env: [{ name: 'B', value: '3' }] }] },
    },
  },
};

/** The first version as the server keeps it: defaulted, with its annotation. */
function live(): Obj {
  const annotated = JSON.parse(modifiedConfiguration(first, true)) as Obj;
  const spec = annotated.spec as Obj;
  return {
    ...annotated,
    metadata: { ...(annotated.metadata as Obj), uid: 'u', resourceVersion: '7', generation: 1 },
    spec: {
      ...spec,
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
    status: { replicas: 2 },
  };
}

describe('three-way merge patch (kubectl apply)', () => {
  it('is the patch kubectl v1.32.4 sent for the same change', () => {
    const current = live();
    const original = JSON.parse(modifiedConfiguration(first, false)) as Obj;
    const modified = JSON.parse(modifiedConfiguration(second, true)) as Obj;
    const patch = createThreeWayMergePatch(original, modified, current, schema);
    const annotation = modifiedConfiguration(second, false);
    // Captured from a real kubectl applying `second` over `first` (keys sorted as Go marshals them).
    expect(goJsonCompact(patch)).toBe(
      `{"metadata":{"annotations":{"${LAST_APPLIED}":${JSON.stringify(annotation)}},"labels":null},` +
        '"spec":{"replicas":null,"strategy":{"$retainKeys":["type"],"type":"Recreate"},"template":{"spec":' +
        '{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"$setElementOrder/env":[{"name":"B"}],' +
        '"env":[{"name":"B","value":"3"},{"$patch":"delete","name":"A"}],"image":"nginx:1.28","name":"web"}]}}}}',
    );
  });

  it('is empty when nothing changed, whatever the server added', () => {
    const current = live();
    const original = JSON.parse(modifiedConfiguration(first, false)) as Obj;
    const modified = JSON.parse(modifiedConfiguration(first, true)) as Obj;
    expect(createThreeWayMergePatch(original, modified, current, schema)).toEqual({});
  });

  it('keeps what others set and the file never did; removes what the file dropped', () => {
    const current = live();
    (current.spec as Obj).replicas = 5; // set by `kubectl scale`, but also in the file: the file wins
    ((current.metadata as Obj).labels as Obj).team = 'blue'; // only on the server: kept
    const original = JSON.parse(modifiedConfiguration(first, false)) as Obj;
    const modified = JSON.parse(modifiedConfiguration(second, true)) as Obj;
    const patch = createThreeWayMergePatch(original, modified, current, schema);
    const result = strategicMergePatch(current, patch, schema) as Obj;
    expect((result.metadata as Obj).labels).toBeUndefined();
    expect((result.spec as Obj).replicas).toBeUndefined();
    expect((result.spec as Obj).strategy).toEqual({ type: 'Recreate' });
    const containers = ((result.spec as Obj).template as { spec: { containers: Obj[] } }).spec.containers;
    expect(containers).toEqual([{ env: [{ name: 'B', value: '3' }], image: 'nginx:1.28', name: 'web' }]);
    expect(((result.metadata as Obj).annotations as Obj)[LAST_APPLIED]).toBe(
      modifiedConfiguration(second, false),
    );
  });

  it('leaves a label only the server has alone', () => {
    const current = live();
    (current.metadata as Obj).labels = { app: 'web', team: 'blue' };
    const original = JSON.parse(modifiedConfiguration(first, false)) as Obj;
    const modified = JSON.parse(modifiedConfiguration(first, true)) as Obj;
    expect(createThreeWayMergePatch(original, modified, current, schema)).toEqual({});
  });
});

describe('two-way merge patch (set image, taint, rollout)', () => {
  it('sends the changed container by name with the order directive', () => {
    const before = live();
    const after = JSON.parse(JSON.stringify(before)) as Obj;
    (((after.spec as Obj).template as Obj).spec as { containers: Obj[] }).containers[0]!.image = 'nginx:1.29';
    expect(createTwoWayMergePatch(before, after, schema)).toEqual({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [{ image: 'nginx:1.29', name: 'web' }],
          },
        },
      },
    });
    expect(createTwoWayMergePatch(before, before, schema)).toEqual({});
  });
});
