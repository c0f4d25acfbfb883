import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/sim/cluster/cluster';
import { takeSnapshot } from '../../src/sim/snapshot';
import { layoutTopology, type Rect } from '../../src/views/topology/layout';

const inside = (inner: Rect, outer: Rect) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;
const overlap = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('layoutTopology', () => {
  it('puts every node of the HA cluster inside its zone, without overlaps', () => {
    const snap = takeSnapshot(new Cluster('ha', 1));
    const layout = layoutTopology(snap, 900, 600);
    expect(layout.zones.map((z) => z.name)).toEqual(['zone-a', 'zone-b', 'zone-c']);
    const boxes = [...layout.controlPlanes, ...layout.workers];
    expect(boxes).toHaveLength(9);
    for (const b of boxes) {
      const zone = layout.zones.find((z) => z.name === b.node.zone)!;
      expect(inside(b, zone)).toBe(true);
    }
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i]!, boxes[j]!)).toBe(false);
    for (const cp of layout.controlPlanes)
      expect(cp.etcdAnchor && inside({ ...cp.etcdAnchor, width: 0, height: 0 }, cp)).toBe(true);
  });

  it('summarises workers that cannot fit as tiles', () => {
    const snap = takeSnapshot(new Cluster('large', 1));
    const layout = layoutTopology(snap, 900, 500);
    expect(layout.summaries.reduce((n, s) => n + s.total, 0) + layout.workers.length).toBe(100);
    expect(layout.summaries.length).toBeGreaterThan(0);
  });

  it('gives the tiles of a zone with a tainted worker a badge row, or a glyph where the row does not fit', () => {
    const snap = takeSnapshot(new Cluster('ha', 1));
    const tainted = {
      ...snap,
      nodes: snap.nodes.map((n) =>
        n.name === 'worker-2'
          ? { ...n, taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const }] }
          : n,
      ),
    };
    const layout = layoutTopology(tainted, 900, 600);
    const w2 = layout.workers.find((w) => w.node.name === 'worker-2')!;
    const w5 = layout.workers.find((w) => w.node.name === 'worker-5')!;
    const w1 = layout.workers.find((w) => w.node.name === 'worker-1')!;
    expect(w2.badgeY).toBeGreaterThan(w2.y);
    expect(w2.badgeY).toBeLessThan(w2.y + w2.height);
    expect(w5.height).toBe(w2.height); // the zone's tiles grow together
    expect(w1.badgeY).toBeUndefined();
    expect(w2.height).toBeGreaterThan(w1.height);
    // Short of room (a 360 × 250 picture), the zone keeps its tiles and the badge becomes a glyph.
    const tight = layoutTopology(tainted, 360, 250);
    expect(tight.summaries).toHaveLength(0);
    const w2tight = tight.workers.find((w) => w.node.name === 'worker-2')!;
    expect(w2tight.badgeY).toBeUndefined();
    expect(w2tight.badgeGlyph).toBe(true);
    expect(
      layoutTopology(tainted, 360, 280).workers.find((w) => w.node.name === 'worker-2')!.badgeY,
    ).toBeDefined();
  });
});
