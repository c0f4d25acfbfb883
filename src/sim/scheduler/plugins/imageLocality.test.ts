import { describe, expect, test } from 'vitest';
import { makeNode, makePod } from '../fixtures';
import { normalizedImageName } from '../podInfo';
import { cacheWith, raw, trace } from '../testing';
import { calculatePriority } from './imageLocality';

const MiB = 1024 * 1024;

describe('ImageLocality (weight 1)', () => {
  test('image names get :latest when untagged', () => {
    expect(normalizedImageName('nginx')).toBe('nginx:latest');
    expect(normalizedImageName('nginx:1.27')).toBe('nginx:1.27');
    expect(normalizedImageName('registry:5000/team/app')).toBe('registry:5000/team/app:latest');
  });

  test('score scales the image size by its spread, clamps to [23 MiB, 1000 MiB × containers]', () => {
    // nginx:1.27 (500 MiB) is on 2 of 3 nodes: sum = int(524288000 × 2/3) = 349525333
    // score = 100 × (349525333 − 24117248) / (1048576000 − 24117248) = 31.76 → 31
    const img = [{ names: ['docker.io/library/nginx:1.27', 'nginx:1.27'], sizeBytes: 500 * MiB }];
    const cache = cacheWith([
      makeNode({ name: 'n1', images: img }),
      makeNode({ name: 'n2', images: img }),
      makeNode({ name: 'n3' }),
    ]);
    const r = trace(cache, makePod({ name: 'p', image: 'nginx:1.27' }));
    expect(raw(r, 'ImageLocality', ['n1', 'n2', 'n3'])).toEqual([31, 31, 0]);
    expect(calculatePriority(349525333, 1)).toBe(31);
  });

  test('small images score 0; two containers double the ceiling', () => {
    expect(calculatePriority(10 * MiB, 1)).toBe(0);
    expect(calculatePriority(5000 * MiB, 1)).toBe(100);
    // 1000 MiB with 2 containers: 100 × (1000 − 23) / (2000 − 23) = 49.4 → 49
    expect(calculatePriority(1000 * MiB, 2)).toBe(49);
  });
});
