import { useEffect, useMemo, useRef } from 'react';
import type { NodeSnapshot } from '../../sim/snapshot';
import { denseCell, denseGrid, denseIndexAt, type WorkerSummary } from './layout';

/**
 * Workers too many for tiles (the `large` and `huge` presets), drawn on a canvas: one cell per
 * node, its border saying Ready (green), NotReady (amber) or down (red, crossed), a cut corner
 * when it is tainted or cordoned (the inspector lists the taints), its pods as
 * dots coloured by workload. Thousands of nodes and pods cost one canvas, not thousands of DOM
 * elements. A click on a cell inspects that node.
 */
export function DenseWorkers({
  summary,
  colourOf,
  onNode,
}: {
  summary: WorkerSummary;
  colourOf: (owner: string | null) => string;
  onNode?: (node: NodeSnapshot) => void;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const grid = useMemo(() => denseGrid(summary), [summary]);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(grid.width * ratio);
    canvas.height = Math.round(grid.height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, grid.width, grid.height);
    if (summary.nodes.length === 0 || grid.height <= 0) return;
    summary.nodes.forEach((node, i) => {
      const r = denseCell(grid, i);
      const x = r.x - grid.x;
      const y = r.y - grid.y;
      const size = r.width;
      ctx.fillStyle = '#1e293b';
      ctx.fillRect(x, y, size, size);
      ctx.strokeStyle = !node.up ? '#ef4444' : node.ready === 'Ready' ? '#22c55e' : '#f59e0b';
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, size - 1, size - 1);
      // A tainted or cordoned node: a corner cut off its cell (a shape, not only a colour).
      if ((node.taints.length > 0 || node.schedulingDisabled) && size >= 6) {
        const k = Math.max(3, Math.floor(size / 3));
        ctx.fillStyle = node.taints.some((t) => t.effect === 'NoExecute') ? '#fca5a5' : '#fde68a';
        ctx.beginPath();
        ctx.moveTo(x + size - k, y);
        ctx.lineTo(x + size, y);
        ctx.lineTo(x + size, y + k);
        ctx.fill();
      }
      if (!node.up) {
        ctx.beginPath();
        ctx.moveTo(x, y);
        ctx.lineTo(x + size, y + size);
        ctx.stroke();
        return;
      }
      const pods = summary.podsByNode.get(node.name) ?? [];
      if (pods.length === 0 || size < 4) return;
      const dot = size >= 24 ? 3 : 2;
      const per = Math.max(1, Math.floor((size - 2) / (dot + 1)));
      pods.slice(0, per * per).forEach((p, k) => {
        ctx.fillStyle = p.status === 'Running' && p.ready ? colourOf(p.owner) : '#64748b';
        ctx.fillRect(x + 1 + (k % per) * (dot + 1), y + 1 + Math.floor(k / per) * (dot + 1), dot, dot);
      });
    });
  }, [summary, grid, colourOf]);
  return (
    <canvas
      ref={ref}
      className="dense-workers"
      data-zone={summary.zone}
      style={{ left: grid.x, top: grid.y, width: grid.width, height: grid.height }}
      role="img"
      aria-label={`${summary.zone}: ${summary.total} workers, ${summary.ready} Ready, ${summary.down} down${summary.tainted > 0 ? `, ${summary.tainted} tainted or cordoned (a cut corner; activate a cell to inspect its taints)` : ''}`}
      onClick={(e) => {
        const box = e.currentTarget.getBoundingClientRect();
        const i = denseIndexAt(grid, summary.nodes.length, e.clientX - box.left, e.clientY - box.top);
        const node = i === undefined ? undefined : summary.nodes[i];
        if (node) onNode?.(node);
      }}
    />
  );
}
