import type { ClusterSnapshot, NodeSnapshot, PodSnapshot } from '../../sim/snapshot';

/**
 * Where everything goes in the topology picture, as plain numbers (no DOM), so the geometry can be
 * tested and the renderer stays a thin D3 join. Zones are columns; in each, the control-plane
 * cards first, then the workers as a grid of tiles, or one summary tile when they would not fit.
 */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface ZoneBox extends Rect {
  readonly name: string;
  readonly down: boolean;
  readonly cut: boolean;
}

export interface PodChip {
  readonly x: number;
  readonly y: number;
  readonly pod: PodSnapshot;
}

export interface NodeBox extends Rect {
  readonly node: NodeSnapshot;
  /** The pods bound to this node, as chips inside the tile. */
  readonly chips?: readonly PodChip[];
  /** Centre of the etcd chip, where Raft messages start and end (control planes only). */
  readonly etcdAnchor?: { readonly x: number; readonly y: number };
}

export interface WorkerSummary extends Rect {
  readonly zone: string;
  /** The zone's workers and their pods, drawn densely on a canvas (too many for tiles). */
  readonly nodes: readonly NodeSnapshot[];
  readonly podsByNode: ReadonlyMap<string, readonly PodSnapshot[]>;
  readonly total: number;
  readonly ready: number;
  readonly down: number;
}

export interface TopologyLayout {
  readonly zones: readonly ZoneBox[];
  readonly controlPlanes: readonly NodeBox[];
  readonly workers: readonly NodeBox[];
  readonly summaries: readonly WorkerSummary[];
}

export const ZONE_GAP = 14;
export const ZONE_HEADER = 44;
export const CARD_HEIGHT = 92;
export const CARD_GAP = 10;
export const TILE_WIDTH = 96;
export const TILE_HEIGHT = 40;
export const TILE_GAP = 6;
export const CHIP_SIZE = 12;
export const CHIP_GAP = 3;
/** Beyond this many pods on a node, the tile shows a count instead of chips. */
export const MAX_CHIPS_PER_NODE = 40;
const INNER_PAD = 10;

export function layoutTopology(
  snapshot: ClusterSnapshot,
  width: number,
  height: number,
  top = 0,
): TopologyLayout {
  const zoneCount = Math.max(1, snapshot.zones.length);
  const zoneWidth = Math.max(120, (width - ZONE_GAP * (zoneCount + 1)) / zoneCount);
  const zones: ZoneBox[] = [];
  const controlPlanes: NodeBox[] = [];
  const workers: NodeBox[] = [];
  const summaries: WorkerSummary[] = [];

  const podsByNode = new Map<string, PodSnapshot[]>();
  for (const p of snapshot.pods) {
    if (!p.node) continue;
    let list = podsByNode.get(p.node);
    if (!list) podsByNode.set(p.node, (list = []));
    list.push(p);
  }

  snapshot.zones.forEach((z, i) => {
    const x = ZONE_GAP + i * (zoneWidth + ZONE_GAP);
    const y = top + ZONE_GAP;
    const zoneHeight = Math.max(160, height - y - ZONE_GAP);
    zones.push({ name: z.name, down: z.down, cut: z.cut, x, y, width: zoneWidth, height: zoneHeight });

    const inZone = snapshot.nodes.filter((n) => n.zone === z.name);
    let cursorY = y + ZONE_HEADER;
    const cardWidth = zoneWidth - 2 * INNER_PAD;
    for (const n of inZone.filter((n) => n.role === 'control-plane')) {
      const box = { node: n, x: x + INNER_PAD, y: cursorY, width: cardWidth, height: CARD_HEIGHT };
      controlPlanes.push({ ...box, etcdAnchor: etcdChipCentre(box) });
      cursorY += CARD_HEIGHT + CARD_GAP;
    }

    const zoneWorkers = inZone.filter((n) => n.role === 'worker');
    const columns = Math.max(1, Math.floor((cardWidth + TILE_GAP) / (TILE_WIDTH + TILE_GAP)));
    const tileWidth = (cardWidth - (columns - 1) * TILE_GAP) / columns;
    const chipsPerRow = Math.max(1, Math.floor((tileWidth - 12 + CHIP_GAP) / (CHIP_SIZE + CHIP_GAP)));
    const mostPods = Math.min(
      MAX_CHIPS_PER_NODE,
      Math.max(0, ...zoneWorkers.map((n) => podsByNode.get(n.name)?.length ?? 0)),
    );
    const tileHeight = TILE_HEIGHT + Math.ceil(mostPods / chipsPerRow) * (CHIP_SIZE + CHIP_GAP);
    const rowsThatFit = Math.max(
      0,
      Math.floor((y + zoneHeight - INNER_PAD - cursorY + TILE_GAP) / (tileHeight + TILE_GAP)),
    );
    if (zoneWorkers.length <= columns * rowsThatFit) {
      zoneWorkers.forEach((n, k) => {
        const tx = x + INNER_PAD + (k % columns) * (tileWidth + TILE_GAP);
        const ty = cursorY + Math.floor(k / columns) * (tileHeight + TILE_GAP);
        const pods = podsByNode.get(n.name) ?? [];
        const chips =
          pods.length > MAX_CHIPS_PER_NODE
            ? []
            : pods.map((pod, j) => ({
                pod,
                x: tx + 8 + (j % chipsPerRow) * (CHIP_SIZE + CHIP_GAP),
                y: ty + TILE_HEIGHT - 2 + Math.floor(j / chipsPerRow) * (CHIP_SIZE + CHIP_GAP),
              }));
        workers.push({ node: n, x: tx, y: ty, width: tileWidth, height: tileHeight, chips });
      });
    } else {
      summaries.push({
        zone: z.name,
        x: x + INNER_PAD,
        y: cursorY,
        width: cardWidth,
        height: Math.max(TILE_HEIGHT * 2, y + zoneHeight - INNER_PAD - cursorY),
        nodes: zoneWorkers,
        podsByNode,
        total: zoneWorkers.length,
        ready: zoneWorkers.filter((n) => n.ready === 'Ready').length,
        down: zoneWorkers.filter((n) => !n.up).length,
      });
    }
  });
  return { zones, controlPlanes, workers, summaries };
}

/** The four component chips of a control-plane card, in a 2×2 grid under the title row. */
export function componentChips(card: Rect): Rect[] {
  const pad = 8;
  const chipWidth = (card.width - 3 * pad) / 2;
  const chipHeight = 24;
  const top = card.y + 34;
  return [0, 1, 2, 3].map((i) => ({
    x: card.x + pad + (i % 2) * (chipWidth + pad),
    y: top + Math.floor(i / 2) * (chipHeight + 4),
    width: chipWidth,
    height: chipHeight,
  }));
}

/** etcd is the second chip (top right). */
function etcdChipCentre(card: Rect): { x: number; y: number } {
  const chip = componentChips(card)[1] as Rect;
  return { x: chip.x + chip.width / 2, y: chip.y + chip.height / 2 };
}

/** Space above a dense worker canvas for its summary line. */
export const DENSE_HEADER = 26;

/** The grid a dense worker canvas draws: square-ish cells filling its area, one per node. */
export interface DenseGrid extends Rect {
  readonly cols: number;
  readonly cell: number;
  readonly gap: number;
}

export function denseGrid(summary: WorkerSummary): DenseGrid {
  const width = summary.width;
  const height = Math.max(0, summary.height - DENSE_HEADER);
  const n = Math.max(1, summary.nodes.length);
  const cols = Math.max(1, Math.ceil(Math.sqrt((n * width) / Math.max(1, height))));
  const cell = Math.min(width / cols, height / Math.ceil(n / cols));
  return { x: summary.x, y: summary.y + DENSE_HEADER, width, height, cols, cell, gap: cell > 8 ? 2 : 1 };
}

/** Where node `index` of a dense summary is drawn, in picture coordinates. */
export function denseCell(grid: DenseGrid, index: number): Rect {
  const size = grid.cell - grid.gap;
  return {
    x: grid.x + (index % grid.cols) * grid.cell,
    y: grid.y + Math.floor(index / grid.cols) * grid.cell,
    width: size,
    height: size,
  };
}

/** The node index under a point of a dense summary's canvas (canvas coordinates), if any. */
export function denseIndexAt(grid: DenseGrid, count: number, x: number, y: number): number | undefined {
  if (x < 0 || y < 0 || grid.cell <= 0) return undefined;
  const col = Math.floor(x / grid.cell);
  const row = Math.floor(y / grid.cell);
  if (col >= grid.cols) return undefined;
  const i = row * grid.cols + col;
  return i < count ? i : undefined;
}
