import { useEffect, useRef } from 'react';
import type { WorkerSummary } from './layout';

/** Space for the summary line above the grid. */
const HEADER = 26;

/**
 * Workers too many for tiles (the `large` and `huge` presets), drawn on a canvas: one cell per
 * node, its border saying Ready (green), NotReady (amber) or down (red, crossed), its pods as
 * dots coloured by workload. Thousands of nodes and pods cost one canvas, not thousands of DOM
 * elements.
 */
export function DenseWorkers({
  summary,
  colourOf,
}: {
  summary: WorkerSummary;
  colourOf: (owner: string | null) => string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const ratio = window.devicePixelRatio || 1;
    const width = summary.width;
    const height = Math.max(0, summary.height - HEADER);
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const n = summary.nodes.length;
    if (n === 0 || height <= 0) return;
    // Square-ish cells filling the area.
    const cols = Math.max(1, Math.ceil(Math.sqrt((n * width) / height)));
    const cell = Math.min(width / cols, height / Math.ceil(n / cols));
    const gap = cell > 8 ? 2 : 1;
    summary.nodes.forEach((node, i) => {
      const x = (i % cols) * cell;
      const y = Math.floor(i / cols) * cell;
      const size = cell - gap;
      ctx.fillStyle = '#1e293b';
      ctx.fillRect(x, y, size, size);
      ctx.strokeStyle = !node.up ? '#ef4444' : node.ready === 'Ready' ? '#22c55e' : '#f59e0b';
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, size - 1, size - 1);
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
  }, [summary, colourOf]);
  return (
    <canvas
      ref={ref}
      className="dense-workers"
      style={{
        left: summary.x,
        top: summary.y + HEADER,
        width: summary.width,
        height: Math.max(0, summary.height - HEADER),
      }}
      role="img"
      aria-label={`${summary.zone}: ${summary.total} workers, ${summary.ready} Ready, ${summary.down} down`}
    />
  );
}
