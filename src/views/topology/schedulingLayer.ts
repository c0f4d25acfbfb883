import type { Selection } from 'd3-selection';
import type { SchedulingSample } from '../../sim/snapshot';
import type { SchedulingAnimation, SchedulingStage } from '../../store/schedulingAnimator';
import { CHIP_SIZE, componentChips, denseCell, denseGrid, type Rect, type TopologyLayout } from './layout';

type Layer = Selection<SVGGElement, unknown, null, undefined>;

/** A mark on one node: rejected by a filter, or scored (the winner stands out). */
interface NodeMark {
  readonly key: string;
  readonly kind: 'filtered' | 'scored' | 'winner';
  readonly box: Rect;
  readonly text: string;
  readonly title: string;
  /** A cell of a dense canvas: too small for text, only a ring. */
  readonly dense: boolean;
  /** A control-plane card: marked on its edge, so its components stay readable. */
  readonly card: boolean;
}

/** Roughly how wide 11 px text is per character (DejaVu Sans), to wrap reasons inside a tile. */
const CHAR_PX = 6.3;
const BIG_CHIP = CHIP_SIZE + 4;

/** Where each node is drawn: cards, tiles, or cells of a dense canvas. */
export function nodeBoxes(
  layout: TopologyLayout,
): (name: string) => { box: Rect; dense: boolean; card: boolean } | undefined {
  const boxes = new Map<string, { box: Rect; dense: boolean; card: boolean }>();
  for (const b of layout.controlPlanes) boxes.set(b.node.name, { box: b, dense: false, card: true });
  for (const b of layout.workers) boxes.set(b.node.name, { box: b, dense: false, card: false });
  return (name) => {
    const found = boxes.get(name);
    if (found) return found;
    for (const s of layout.summaries) {
      const i = s.nodes.findIndex((n) => n.name === name);
      if (i >= 0) return { box: denseCell(denseGrid(s), i), dense: true, card: false };
    }
    return undefined;
  };
}

function marksFor(
  sample: SchedulingSample,
  stage: SchedulingStage,
  where: ReturnType<typeof nodeBoxes>,
): NodeMark[] {
  const marks: NodeMark[] = [];
  for (const f of sample.filtered.slice(0, stage.filteredShown)) {
    const w = where(f.node);
    if (w && !w.dense)
      marks.push({
        key: `f:${f.node}`,
        kind: 'filtered',
        box: w.box,
        text: `✗ ${f.reason}`,
        title: `${f.node}: ${f.detail}`,
        dense: false,
        card: w.card,
      });
  }
  sample.scored.slice(0, stage.scoredShown).forEach((s) => {
    const winner = stage.winnerShown && s.node === sample.nodeName;
    const w = where(s.node);
    if (!w || (w.dense && !winner)) return;
    const only = sample.feasibleNodes === 1;
    marks.push({
      key: `s:${s.node}`,
      kind: winner ? 'winner' : 'scored',
      box: w.box,
      text: only ? (winner ? '★ only fit' : 'only fit') : winner ? `★ ${s.total}` : String(s.total),
      title: `${s.node}: total score ${s.total}${winner ? ', chosen' : ''}`,
      dense: w.dense,
      card: w.card,
    });
  });
  return marks;
}

/** Splits a reason into at most two lines that fit `width`. */
function wrap(text: string, width: number): string[] {
  if (text.length * CHAR_PX <= width) return [text];
  const cut = text.lastIndexOf(' ', Math.floor(width / CHAR_PX));
  if (cut <= 0) return [text];
  return [text.slice(0, cut), text.slice(cut + 1)];
}

/**
 * Draws the scheduling cycle being animated: the pod in the active scheduler, the rejected nodes
 * dimmed with their filter's reason, the survivors' total scores, the winner outlined, and the
 * pod flying to it. Only nodes with a card or tile get text; on a dense canvas the winner gets a
 * ring. At most a few dozen elements, whatever the cluster size.
 */
export function drawScheduling(
  layer: Layer,
  layout: TopologyLayout,
  anim: SchedulingAnimation | undefined,
  stage: SchedulingStage | undefined,
  colourOf: (owner: string | null) => string,
): void {
  const sample = stage && anim ? anim.sample : undefined;
  // Idle frames (most of them) build nothing.
  const where = sample ? nodeBoxes(layout) : () => undefined;
  const marks = sample && stage ? marksFor(sample, stage, where) : [];
  layer.attr('opacity', stage?.opacity ?? 0);

  const sel = layer
    .select<SVGGElement>('g.sched-marks')
    .selectAll<SVGGElement, NodeMark>('g.sched-mark')
    .data(marks, (d) => d.key)
    .join((enter) => {
      const g = enter.append('g');
      g.append('rect').attr('class', 'sched-cover');
      g.append('rect').attr('class', 'sched-pill');
      g.append('text').attr('class', 'sched-text');
      g.append('title');
      return g;
    });
  sel.attr(
    'class',
    (d) => `sched-mark sched-${d.kind}${d.dense ? ' sched-dense' : ''}${d.card ? ' sched-card' : ''}`,
  );
  sel.attr('data-node', (d) => d.key.slice(2));
  sel.select('title').text((d) => d.title);
  sel.each(function (d) {
    const g = this as SVGGElement;
    const cover = g.querySelector('rect.sched-cover') as SVGRectElement;
    const pill = g.querySelector('rect.sched-pill') as SVGRectElement;
    const text = g.querySelector('text.sched-text') as SVGTextElement;
    const b = d.box;
    if (d.dense) {
      setAttrs(cover, { x: b.x - 3, y: b.y - 3, width: b.width + 6, height: b.height + 6, rx: 3 });
      setAttrs(pill, { width: 0, height: 0 });
      setText(text, []);
      return;
    }
    if (d.kind === 'filtered' && d.card) {
      // A control plane's card stays readable (the scheduler may run on it): outline and a tag.
      const w = d.text.length * CHAR_PX + 16;
      setAttrs(cover, { x: b.x - 2, y: b.y - 2, width: b.width + 4, height: b.height + 4, rx: 9 });
      setAttrs(pill, { x: b.x + (b.width - w) / 2, y: b.y - 9, width: w, height: 18, rx: 9 });
      setText(text, [d.text], b.x + b.width / 2, b.y + 4);
      return;
    }
    if (d.kind === 'filtered') {
      // The tile is dimmed but its name stays readable; the reason takes the status line.
      setAttrs(cover, { x: b.x, y: b.y, width: b.width, height: b.height, rx: 6 });
      const fits = d.text.length * CHAR_PX <= b.width - 10;
      const lines = fits ? [d.text] : wrap(d.text.replace(/^✗ /, ''), b.width - 10);
      const top = b.y + (lines.length > 1 ? 19 : 21);
      setAttrs(pill, { x: b.x + 3, y: top, width: b.width - 6, height: lines.length * 13 + 4, rx: 4 });
      setText(text, lines, b.x + b.width / 2, top + 12);
      return;
    }
    // Scored: a pill on the node's top edge, at the right; the winner is also outlined.
    const w = Math.max(30, d.text.length * 7 + 10);
    const px = b.x + b.width - w - 6;
    const py = b.y - 11;
    if (d.kind === 'winner')
      setAttrs(cover, { x: b.x - 2, y: b.y - 2, width: b.width + 4, height: b.height + 4, rx: 8 });
    else setAttrs(cover, { width: 0, height: 0 });
    setAttrs(pill, { x: px, y: py, width: w, height: 18, rx: 9 });
    setText(text, [d.text], px + w / 2, py + 13);
  });

  drawPod(layer.select<SVGGElement>('g.sched-actors'), layout, sample, stage, where, colourOf);
}

/** Sets a text's lines (as tspans), rebuilding them only when the words change. */
function setText(text: SVGTextElement, lines: readonly string[], x = 0, y = 0): void {
  const key = lines.join('\n');
  if (text.dataset.lines !== key) {
    text.dataset.lines = key;
    text.textContent = '';
    for (const line of lines) {
      const t = document.createElementNS('http://www.w3.org/2000/svg', 'tspan');
      t.textContent = line;
      text.appendChild(t);
    }
  }
  text.setAttribute('text-anchor', 'middle');
  text.querySelectorAll('tspan').forEach((t, i) => {
    t.setAttribute('x', String(x));
    t.setAttribute('y', String(y + i * 13));
  });
}

/** The pod itself: in the scheduler while it is filtered and scored, then flying to its node. */
function drawPod(
  layer: Layer,
  layout: TopologyLayout,
  sample: SchedulingSample | undefined,
  stage: SchedulingStage | undefined,
  where: ReturnType<typeof nodeBoxes>,
  colourOf: (owner: string | null) => string,
): void {
  const scheduler = layout.controlPlanes.find((c) => c.node.components?.scheduler === 'leader');
  const chip = scheduler ? componentChips(scheduler)[2] : undefined;
  const show = !!(sample && stage && chip && stage.t <= 1.05);
  const ring = layer
    .selectAll<SVGRectElement, number>('rect.sched-scheduler')
    .data(show && chip ? [0] : [])
    .join((e) => e.append('rect').attr('class', 'sched-scheduler').attr('rx', 7));
  const pod = layer
    .selectAll<SVGRectElement, number>('rect.sched-pod')
    .data(show ? [0] : [])
    .join((e) => e.append('rect').attr('class', 'sched-pod').attr('rx', 3));
  if (!show || !chip || !sample || !stage) return;
  setAttrsSel(ring, { x: chip.x - 3, y: chip.y - 3, width: chip.width + 6, height: chip.height + 6 });
  const from = { x: chip.x + chip.width - BIG_CHIP - 6, y: chip.y + (chip.height - BIG_CHIP) / 2 };
  const target = sample.nodeName ? where(sample.nodeName) : undefined;
  let to = from;
  if (target) {
    const b = target.box;
    const landed = layout.workers
      .find((w) => w.node.name === sample.nodeName)
      ?.chips?.find((c) => `${c.pod.namespace}/${c.pod.name}` === sample.pod);
    to = landed
      ? { x: landed.x - 2, y: landed.y - 2 }
      : { x: b.x + b.width / 2 - BIG_CHIP / 2, y: b.y + b.height / 2 - BIG_CHIP / 2 };
  }
  const p = stage.flight;
  // Arc over the cards on the way, so the pod is not lost behind the marks.
  const lift = Math.min(60, Math.hypot(to.x - from.x, to.y - from.y) * 0.25);
  const x = from.x + (to.x - from.x) * p;
  const y = from.y + (to.y - from.y) * p - lift * 4 * p * (1 - p);
  const rejected = !sample.nodeName && stage.step !== 'queue' && stage.step !== 'filter';
  pod
    .attr('x', x)
    .attr('y', y)
    .attr('width', BIG_CHIP)
    .attr('height', BIG_CHIP)
    .attr('data-pod', sample.pod)
    .classed('sched-pod-unplaced', rejected)
    .attr('fill', colourOf(sample.owner));
}

function setAttrs(el: Element, attrs: Record<string, number | string>): void {
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
}

function setAttrsSel<E extends Element>(
  sel: Selection<E, number, SVGGElement, unknown>,
  attrs: Record<string, number>,
): void {
  for (const [k, v] of Object.entries(attrs)) sel.attr(k, v);
}

/** The caption under the picture: what the scheduler is doing, in words, step by step. */
export function schedulingCaption(
  anim: SchedulingAnimation,
  stage: SchedulingStage,
  schedulerHost: string | undefined,
): string {
  const s = anim.sample;
  const who = `scheduler${schedulerHost ? ` (${schedulerHost})` : ''}`;
  const parts = [`${who}: ${s.pod.replace(/^default\//, '')}`];
  if (stage.step !== 'queue') {
    const rejected = s.filteredCounts.reduce((n, c) => n + c.count, 0);
    const why = s.filteredCounts.map((c) => `${c.count} ${c.reason}`).join(', ');
    const looked = s.evaluatedNodes < s.numAllNodes ? ` (looked at ${s.evaluatedNodes})` : '';
    parts.push(`filter: ${rejected} of ${s.numAllNodes} nodes rejected${looked}${why ? ` (${why})` : ''}`);
  }
  if (stage.step === 'score' || stage.step === 'bind' || stage.step === 'done') {
    if (!s.nodeName) parts.push('no node fits: the pod stays Pending and is retried with back-off');
    else if (s.feasibleNodes === 1) parts.push('one node fits: no scoring needed');
    else parts.push(`score: ${s.feasibleNodes} passed, best ${s.scored[0]?.total ?? s.score}`);
  }
  if ((stage.step === 'bind' || stage.step === 'done') && s.nodeName) parts.push(`bind → ${s.nodeName}`);
  const others =
    anim.others > 0
      ? ` · +${anim.others} more scheduling cycle${anim.others === 1 ? '' : 's'} meanwhile`
      : '';
  return `${parts.join(' ▸ ')}${others}`;
}
