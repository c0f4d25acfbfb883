import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { objectKey } from './informer';

const obj = (name: string, namespace?: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(namespace ? { namespace } : {}) } }) as KubeObject;

describe('objectKey', () => {
  it('is namespace/name, or the name of a cluster-scoped object', () => {
    expect(objectKey(obj('web-1', 'default'))).toBe('default/web-1');
    expect(objectKey(obj('worker-1'))).toBe('worker-1');
  });

  it('gives the right key whatever came before, past the bound of the keys it shares', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom('default', 'kube-system', 'team-a'), fc.integer({ min: 0, max: 9000 })),
          {
            minLength: 5_000,
            maxLength: 12_000,
          },
        ),
        (seen) => {
          for (const [ns, i] of seen) expect(objectKey(obj(`p-${i}`, ns))).toBe(`${ns}/p-${i}`);
        },
      ),
      { numRuns: 5 },
    );
  });
});
