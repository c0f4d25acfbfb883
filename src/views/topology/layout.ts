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
  /** Height of the zone's title band (smaller on a short picture). */
  readonly head: number;
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
  /** Pods the tile has no room to draw: counted (`+12`) where the next chip would go. */
  readonly more?: { readonly x: number; readonly y: number; readonly count: number };
  /** Baseline of the taint badge's row, when the zone's tiles have one (a worker is tainted or cordoned). */
  readonly badgeY?: number;
  /** No room for that row: the badge is a glyph at the end of the title row. */
  readonly badgeGlyph?: boolean;
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
  /** Workers with a taint or cordoned (the canvas does not draw taints; the inspector lists them). */
  readonly tainted: number;
}

export interface TopologyLayout {
  readonly zones: readonly ZoneBox[];
  readonly controlPlanes: readonly NodeBox[];
  readonly workers: readonly NodeBox[];
  readonly summaries: readonly WorkerSummary[];
}

export const ZONE_GAP = 14;
/** Gap between zones, and padding inside them, on a narrow picture (a 360 px embed). */
export const NARROW_ZONE_GAP = 6;
const NARROW_INNER_PAD = 5;
/** Below this width the picture packs its zones tighter. */
export const NARROW_PICTURE = 560;
export const ZONE_HEADER = 44;
/** The title band and gaps of a short picture (a 500 px tall embed, where every row counts). */
export const SHORT_ZONE_HEADER = 34;
export const SHORT_PICTURE = 300;
export const CARD_HEIGHT = 92;
export const CARD_GAP = 10;
export const TILE_WIDTH = 96;
export const TILE_HEIGHT = 40;
export const TILE_GAP = 6;
/** The row a tile gains, in a zone where a worker is tainted or cordoned, for its taint badge. */
export const TAINT_ROW = 13;
export const CHIP_SIZE = 12;
export const CHIP_GAP = 3;
/** Beyond this many pods on a node, the tile shows a count instead of more chips. */
export const MAX_CHIPS_PER_NODE = 40;
/**
 * A zone with at most this many workers keeps them as named tiles, with fewer chip rows and the
 * rest of their pods counted, rather than switching to the dense canvas: a few busy nodes stay
 * readable, and the DOM stays small (more nodes than this go to the canvas when crowded).
 */
export const FEW_WORKERS = 12;
/** Chip slots the `+N` count of a tile's undrawn pods takes. */
const MORE_SLOTS = 3;
const INNER_PAD = 10;

export function layoutTopology(
  snapshot: ClusterSnapshot,
  width: number,
  height: number,
  top = 0,
): TopologyLayout {
  const zoneCount = Math.max(1, snapshot.zones.length);
  const narrow = width < NARROW_PICTURE;
  const short = height < SHORT_PICTURE;
  const gap = narrow || short ? NARROW_ZONE_GAP : ZONE_GAP;
  const head = short ? SHORT_ZONE_HEADER : ZONE_HEADER;
  const pad = narrow ? NARROW_INNER_PAD : INNER_PAD;
  const zoneWidth = Math.max(96, (width - gap * (zoneCount + 1)) / zoneCount);
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
    const x = gap + i * (zoneWidth + gap);
    const y = top + gap;
    const zoneHeight = Math.max(short ? 120 : 160, height - y - gap);
    zones.push({ name: z.name, down: z.down, cut: z.cut, head, x, y, width: zoneWidth, height: zoneHeight });

    const inZone = snapshot.nodes.filter((n) => n.zone === z.name);
    let cursorY = y + head;
    const cardWidth = zoneWidth - 2 * pad;
    for (const n of inZone.filter((n) => n.role === 'control-plane')) {
      const box = { node: n, x: x + pad, y: cursorY, width: cardWidth, height: CARD_HEIGHT };
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
    const bottom = y + zoneHeight - pad;
    // A row for taint badges, unless it is what would push the zone's tiles onto the dense canvas:
    // then the badge shrinks to a glyph on the title row.
    const fits = (head: number) =>
      zoneWorkers.length <=
      columns *
        Math.max(
          0,
          Math.floor(
            (bottom - cursorY + TILE_GAP) /
              (head + Math.min(1, mostPods) * (CHIP_SIZE + CHIP_GAP) + TILE_GAP),
          ),
        );
    const badgeRow =
      zoneWorkers.some(hasBadge) && (fits(TILE_HEIGHT + TAINT_ROW) || !fits(TILE_HEIGHT)) ? TAINT_ROW : 0;
    const tileHead = TILE_HEIGHT + badgeRow;
    const rowsFor = (chipRows: number) =>
      Math.max(
        0,
        Math.floor((bottom - cursorY + TILE_GAP) / (tileHead + chipRows * (CHIP_SIZE + CHIP_GAP) + TILE_GAP)),
      );
    // As many chip rows as the busiest node needs, or, for a few workers, fewer (see FEW_WORKERS).
    let chipRows = Math.ceil(mostPods / chipsPerRow);
    if (zoneWorkers.length <= FEW_WORKERS)
      while (chipRows > 1 && zoneWorkers.length > columns * rowsFor(chipRows)) chipRows--;
    const tileHeight = tileHead + chipRows * (CHIP_SIZE + CHIP_GAP);
    if (zoneWorkers.length <= columns * rowsFor(chipRows)) {
      const slots = Math.min(MAX_CHIPS_PER_NODE, chipRows * chipsPerRow);
      const slotAt = (tx: number, ty: number, j: number) => ({
        x: tx + 8 + (j % chipsPerRow) * (CHIP_SIZE + CHIP_GAP),
        y: ty + tileHead - 2 + Math.floor(j / chipsPerRow) * (CHIP_SIZE + CHIP_GAP),
      });
      zoneWorkers.forEach((n, k) => {
        const tx = x + pad + (k % columns) * (tileWidth + TILE_GAP);
        const ty = cursorY + Math.floor(k / columns) * (tileHeight + TILE_GAP);
        const pods = podsByNode.get(n.name) ?? [];
        // When they do not all fit, the last slots say how many more there are.
        const drawn = pods.length > slots ? Math.max(0, slots - MORE_SLOTS) : pods.length;
        const chips = pods.slice(0, drawn).map((pod, j) => ({ pod, ...slotAt(tx, ty, j) }));
        const box: NodeBox = {
          node: n,
          x: tx,
          y: ty,
          width: tileWidth,
          height: tileHeight,
          chips,
          ...(badgeRow > 0 ? { badgeY: ty + TILE_HEIGHT + 4 } : hasBadge(n) ? { badgeGlyph: true } : {}),
        };
        workers.push(
          pods.length > drawn
            ? { ...box, more: { ...slotAt(tx, ty, drawn), count: pods.length - drawn } }
            : box,
        );
      });
    } else {
      summaries.push({
        zone: z.name,
        x: x + pad,
        y: cursorY,
        width: cardWidth,
        height: Math.max(DENSE_HEADER + 12, y + zoneHeight - pad - cursorY),
        nodes: zoneWorkers,
        podsByNode,
        total: zoneWorkers.length,
        ready: zoneWorkers.filter((n) => n.ready === 'Ready').length,
        down: zoneWorkers.filter((n) => !n.up).length,
        tainted: zoneWorkers.filter(hasBadge).length,
      });
    }
  });
  return { zones, controlPlanes, workers, summaries };
}

/** A worker whose tile shows a taint badge: it has a taint, or is cordoned. */
export function hasBadge(n: NodeSnapshot): boolean {
  return n.taints.length > 0 || n.schedulingDisabled;
}

/** Below this width a control-plane card is compact: short component names, state as a glyph. */
export const COMPACT_CARD = 170;

/** The four component chips of a control-plane card, in a 2×2 grid under the title row. */
export function componentChips(card: Rect): Rect[] {
  const pad = card.width < COMPACT_CARD ? 4 : 8;
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
