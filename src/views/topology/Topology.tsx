import { type Selection, select } from 'd3-selection';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { NodeSnapshot, PodSnapshot } from '../../sim/snapshot';
import { FLIGHT_DURATION_MS, type FlightFamily, familyOf } from '../../store/flightSampler';
import { animationClock, clockRunning, type ShownFlight, useLabStore } from '../../store/labStore';
import { schedulingStage } from '../../store/schedulingAnimator';
import type { InspectTarget } from '../controls/Inspector';
import { DenseWorkers } from './DenseWorkers';
import {
  CHIP_SIZE,
  COMPACT_CARD,
  componentChips,
  layoutTopology,
  type NodeBox,
  type TopologyLayout,
  type ZoneBox,
} from './layout';
import { drawScheduling, schedulingCaption } from './schedulingLayer';
import { taintBadge, taintWords } from './taintBadge';
import { ZoneMenu } from './ZoneMenu';

export interface TopologyProps {
  /** Runs a lab command as if typed (so the terminal shows what the click did). */
  readonly runCommand: (line: string) => void;
  /** Opens the inspector on a pod (a click on its chip) or a node (a click on its card). */
  readonly onInspect?: (target: InspectTarget) => void;
}

const FLIGHT_STYLE: Record<FlightFamily, { r: number; fill: string; stroke: string }> = {
  heartbeat: { r: 4, fill: '#94a3b8', stroke: '#94a3b8' },
  append: { r: 6, fill: '#38bdf8', stroke: '#38bdf8' },
  vote: { r: 7, fill: '#fb923c', stroke: '#fb923c' },
  prevote: { r: 6, fill: 'none', stroke: '#fb923c' },
  snapshot: { r: 8, fill: '#c084fc', stroke: '#c084fc' },
};

const COMPONENTS = ['apiserver', 'etcd', 'scheduler', 'controller-manager'] as const;

/**
 * The live picture: zones as columns, control-plane nodes with their four components, workers
 * with their Ready state, and Raft messages flying between etcd members. React owns the frame;
 * D3 joins the snapshot into SVG. Everything a colour says is also said in text or shape.
 */
export function Topology({ runCommand, onInspect }: TopologyProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const captionRef = useRef<HTMLDivElement>(null);
  const footRef = useRef<HTMLDivElement>(null);
  const layoutRef = useRef<TopologyLayout | undefined>(undefined);
  const snapshot = useLabStore((s) => s.snapshot);
  const pulling = useLabStore((s) => s.pulling);
  const [size, setSize] = useState({ width: 900, height: 600 });
  const denseZones = useMemo(
    () => (snapshot ? layoutTopology(snapshot, size.width, size.height).summaries : []),
    [snapshot, size],
  );
  const [menu, setMenu] = useState<{ zone: ZoneBox; x: number; y: number } | undefined>(undefined);

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg || !snapshot) return;
    const layout = layoutTopology(snapshot, size.width, size.height);
    layoutRef.current = layout;
    drawStatic(select(svg), layout, pulling, podInFlight(), {
      onNode: (n) => onInspect?.({ kind: 'node', name: n.name }),
      onPower: (n) => runCommand(`${n.up ? 'kill' : 'start'} node ${n.name}`),
      onPod: (namespace, name) => onInspect?.({ kind: 'pod', namespace, name }),
      onZone: (z, event) => {
        const rect = wrapRef.current?.getBoundingClientRect();
        setMenu({ zone: z, x: event.clientX - (rect?.left ?? 0), y: event.clientY - (rect?.top ?? 0) });
      },
    });
  }, [snapshot, size, pulling, runCommand, onInspect]);

  useEffect(() => {
    let raf = 0;
    const reduceMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
    let hiddenChip: SVGElement | null = null;
    let caption = '';
    const frame = (): void => {
      const svg = svgRef.current;
      const layout = layoutRef.current;
      if (svg && layout) {
        const state = useLabStore.getState();
        const animNow = animationClock.sync(performance.now(), clockRunning(state.clock));
        drawFlights(select(svg), layout, state.flights, performance.now(), reduceMotion);
        const anim = state.scheduling;
        const stage = anim ? schedulingStage(anim, animNow, reduceMotion) : undefined;
        drawScheduling(
          select(svg).select<SVGGElement>('.layer-scheduling'),
          layout,
          anim,
          stage,
          ownerColour,
        );
        // The pod's own chip appears on its node only when the flying pod lands there.
        const flying =
          anim && stage && stage.flight < 1 && stage.t <= 1
            ? svg.querySelector<SVGElement>(`.layer-pods rect.pod[data-key="${CSS.escape(anim.sample.pod)}"]`)
            : null;
        if (hiddenChip !== flying) {
          hiddenChip?.style.removeProperty('visibility');
          flying?.style.setProperty('visibility', 'hidden');
          hiddenChip = flying;
        }
        const scheduler = layout.controlPlanes.find((c) => c.node.components?.scheduler === 'leader');
        const text = anim && stage ? schedulingCaption(anim, stage, scheduler?.node.name) : '';
        if (text !== caption && captionRef.current) {
          caption = text;
          captionRef.current.textContent = text;
          captionRef.current.title = text;
          captionRef.current.hidden = text === '';
          // While the scheduler is shown at work, its caption takes the legend's line.
          footRef.current?.classList.toggle('scheduling', text !== '');
        }
      }
      raf = requestAnimationFrame(frame);
    };
    raf = requestAnimationFrame(frame);
    return () => cancelAnimationFrame(raf);
  }, []);

  return (
    <div className="topology">
      <div className="topology-canvas" ref={wrapRef}>
        <svg ref={svgRef} width={size.width} height={size.height} role="img" aria-label="Cluster topology">
          <defs>
            <pattern
              id="hatch"
              width="8"
              height="8"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(45)"
            >
              <rect width="8" height="8" fill="#1f2937" />
              <line x1="0" y1="0" x2="0" y2="8" stroke="#4b5563" strokeWidth="3" />
            </pattern>
          </defs>
          <g className="layer-zones" />
          <g className="layer-nodes" />
          <g className="layer-pods" />
          <g className="layer-scheduling">
            <g className="sched-marks" />
            <g className="sched-actors" />
          </g>
          <g className="layer-flights" />
        </svg>
        {menu && (
          <ZoneMenu
            zone={menu.zone}
            x={menu.x}
            y={menu.y}
            onClose={() => setMenu(undefined)}
            onCommand={(line) => {
              setMenu(undefined);
              runCommand(line);
            }}
          />
        )}
        {denseZones.map((summary) => (
          <DenseWorkers
            key={summary.zone}
            summary={summary}
            colourOf={ownerColour}
            onNode={(n) => onInspect?.({ kind: 'node', name: n.name })}
          />
        ))}
        <PendingTray />
      </div>
      <div className="picture-foot" ref={footRef}>
        <div className="sched-caption" ref={captionRef} hidden data-testid="scheduling-caption" />
        <FlightLegend />
      </div>
    </div>
  );
}

/** Pods no node has been chosen for yet: the scheduler's queue, in words. */
function PendingTray() {
  const pending = useLabStore(
    (s) => s.snapshot?.pods.filter((p) => !p.node && p.status !== 'Terminating').length ?? 0,
  );
  if (pending === 0) return null;
  return (
    <div className="pending-tray" role="status" data-testid="pending-pods">
      {pending} pod{pending === 1 ? '' : 's'} waiting for the scheduler
    </div>
  );
}

/** Pod chips are coloured by the workload that owns them; state is shown by outline and fill. */
const OWNER_COLOURS = [
  '#38bdf8',
  '#a78bfa',
  '#f472b6',
  '#34d399',
  '#fbbf24',
  '#fb7185',
  '#2dd4bf',
  '#c4b5fd',
];

export function ownerColour(owner: string | null): string {
  if (!owner) return '#94a3b8';
  // The ReplicaSets of one Deployment share its colour: hash the name without the template hash.
  const workload = owner.replace(/^ReplicaSet\//, '').replace(/-[a-z0-9]{6,10}$/, '');
  let h = 0;
  for (let i = 0; i < workload.length; i++) h = (h * 31 + workload.charCodeAt(i)) >>> 0;
  return OWNER_COLOURS[h % OWNER_COLOURS.length] as string;
}

export function chipState(
  status: string,
  ready: boolean,
  pulling = false,
): 'running' | 'starting' | 'pulling' | 'failing' | 'terminating' {
  if (status === 'Terminating') return 'terminating';
  if (/BackOff|Err|Error|Failed|OOMKilled|Evicted/.test(status)) return 'failing';
  if (pulling && (status === 'ContainerCreating' || status === 'Pending')) return 'pulling';
  return ready && status === 'Running' ? 'running' : 'starting';
}

function FlightLegend() {
  const items: [FlightFamily, string][] = [
    ['heartbeat', 'heartbeat'],
    ['append', 'append entries'],
    ['prevote', 'pre-vote'],
    ['vote', 'vote'],
  ];
  return (
    <div className="legend" aria-hidden="true">
      <span className="legend-title">etcd Raft:</span>
      {items.map(([family, label]) => {
        const s = FLIGHT_STYLE[family];
        return (
          <span key={family} className="legend-item">
            <svg width="16" height="16" aria-hidden="true">
              <circle cx="8" cy="8" r={s.r} fill={s.fill} stroke={s.stroke} strokeWidth="2" />
            </svg>
            {label}
          </span>
        );
      })}
      <span className="legend-item">✕ lost</span>
      <span className="legend-item">★ leader (Lease / Raft)</span>
      <span className="legend-title" title="A pod's colour says which workload owns it">
        Pods:
      </span>
      <span className="legend-item">■ running</span>
      <span className="legend-item legend-pulling">◩ pulling</span>
      <span className="legend-item">▢ starting</span>
      <span className="legend-item legend-failing">▢ failing</span>
    </div>
  );
}

type Svg = Selection<SVGSVGElement, unknown, null, undefined>;

interface Handlers {
  onNode(n: NodeSnapshot): void;
  onPower(n: NodeSnapshot): void;
  onPod(namespace: string, name: string): void;
  onZone(z: ZoneBox, event: MouseEvent): void;
}

function activate<T>(handler: (d: T, e: MouseEvent) => void) {
  return (sel: Selection<SVGGElement, T, SVGGElement, unknown>) =>
    sel
      .attr('tabindex', 0)
      .attr('role', 'button')
      .style('cursor', 'pointer')
      .on('click', (e: MouseEvent, d) => handler(d, e))
      .on('keydown', (e: KeyboardEvent, d) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          const box = (e.currentTarget as SVGGElement).getBoundingClientRect();
          handler(d, new MouseEvent('click', { clientX: box.left + 20, clientY: box.top + 20 }));
        }
      });
}

function zoneStatus(z: ZoneBox, width: number): string {
  // A narrow zone's name leaves room for one short word.
  if (z.down) return width < 140 ? '✕' : width < 190 ? 'DOWN' : 'ZONE DOWN';
  if (z.cut) return width < 140 ? '✂' : width < 190 ? '✂ CUT' : '✂ CUT OFF';
  return '';
}

/** The pod (namespace/name) the scheduling animation is still carrying to its node, if any. */
function podInFlight(): string | undefined {
  const state = useLabStore.getState();
  const anim = state.scheduling;
  const stage = anim ? schedulingStage(anim, animationClock.now) : undefined;
  return anim && stage && stage.flight < 1 && stage.t <= 1 ? anim.sample.pod : undefined;
}

function drawStatic(
  svg: Svg,
  layout: TopologyLayout,
  pulling: ReadonlySet<string>,
  inFlight: string | undefined,
  handlers: Handlers,
): void {
  const zones = svg
    .select<SVGGElement>('.layer-zones')
    .selectAll<SVGGElement, ZoneBox>('g.zone')
    .data(layout.zones, (d) => d.name)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'zone');
      g.append('rect').attr('class', 'zone-bg').attr('rx', 12);
      const head = g.append('g').attr('class', 'zone-head');
      head.append('rect').attr('class', 'zone-head-bg').attr('rx', 8);
      head.append('text').attr('class', 'zone-name');
      head.append('text').attr('class', 'zone-status');
      return g;
    });
  zones
    .classed('is-down', (d) => d.down)
    .classed('is-cut', (d) => d.cut)
    .attr('data-zone', (d) => d.name);
  zones
    .select('rect.zone-bg')
    .attr('x', (d) => d.x)
    .attr('y', (d) => d.y)
    .attr('width', (d) => d.width)
    .attr('height', (d) => d.height);
  const heads = zones.select<SVGGElement>('g.zone-head');
  heads
    .attr(
      'aria-label',
      (d) => `${d.name}${d.down ? ', down' : d.cut ? ', cut off' : ''}. Activate for zone actions.`,
    )
    .call(activate<ZoneBox>((d, e) => handlers.onZone(d, e)));
  // The band is 30 px tall under a 44 px header, 24 px under a short picture's 34 px one.
  const band = (d: ZoneBox) => d.head - 14;
  heads
    .select('rect.zone-head-bg')
    .attr('x', (d) => d.x + 6)
    .attr('y', (d) => d.y + 6)
    .attr('width', (d) => d.width - 12)
    .attr('height', band);
  heads
    .select('text.zone-name')
    .attr('x', (d) => d.x + 16)
    .attr('y', (d) => d.y + 6 + band(d) / 2 + 5)
    .text((d) => `${d.name} ▾`);
  heads
    .select('text.zone-status')
    .attr('x', (d) => d.x + d.width - 16)
    .attr('y', (d) => d.y + 6 + band(d) / 2 + 5)
    .attr('text-anchor', 'end')
    .text((d) => zoneStatus(d, d.width));

  // A pod still flying in the picture has not reached its node there: it is not pulling yet.
  const isPulling = (p: PodSnapshot) =>
    pulling.has(`${p.namespace}/${p.name}`) &&
    (p.status === 'ContainerCreating' || p.status === 'Pending') &&
    `${p.namespace}/${p.name}` !== inFlight;
  const chipOf = (p: PodSnapshot) => chipState(p.status, p.ready, isPulling(p));
  const podWords = (p: PodSnapshot) =>
    chipOf(p) === 'pulling' ? `${p.status}, pulling its image` : p.status;

  const nodeLayer = svg.select<SVGGElement>('.layer-nodes');
  const cards = nodeLayer
    .selectAll<SVGGElement, NodeBox>('g.cp')
    .data(layout.controlPlanes, (d) => d.node.name)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'cp node');
      g.append('rect').attr('class', 'card').attr('rx', 8);
      g.append('text').attr('class', 'node-name');
      g.append('text').attr('class', 'node-state');
      addPower(g);
      for (const c of COMPONENTS) {
        const chip = g.append('g').attr('class', `chip chip-${c}`);
        chip.append('title');
        chip.append('rect').attr('rx', 5);
        chip.append('text');
      }
      return g;
    });
  cards
    .attr('data-node', (d) => d.node.name)
    .classed('is-down', (d) => !d.node.up)
    .attr(
      'aria-label',
      (d) =>
        `${d.node.name}, control-plane node in ${d.node.zone}, ${nodeWords(d.node)}. Activate to inspect it.`,
    )
    .call(activate<NodeBox>((d) => handlers.onNode(d.node)));
  placePower(cards, handlers, 22);
  cards
    .select('rect.card')
    .attr('x', (d) => d.x)
    .attr('y', (d) => d.y)
    .attr('width', (d) => d.width)
    .attr('height', (d) => d.height);
  cards
    .select('text.node-name')
    .attr('x', (d) => d.x + 10)
    .attr('y', (d) => d.y + 21)
    .text((d) => d.node.name);
  cards
    .select('text.node-state')
    .attr('x', (d) => d.x + d.width - POWER_WIDTH - 16)
    .attr('y', (d) => d.y + 21)
    .attr('text-anchor', 'end')
    .text((d) =>
      d.width < COMPACT_CARD
        ? stateGlyph(d.node)
        : d.node.up
          ? readinessText(d.node)
          : downText(d.node, d.width - 110),
    );
  COMPONENTS.forEach((c, i) => {
    const chips = cards.select<SVGGElement>(`g.chip-${c}`);
    chips.attr('class', (d) => `chip chip-${c} state-${componentState(d.node, c)}`);
    chips
      .select('rect')
      .attr('x', (d) => componentChips(d)[i]!.x)
      .attr('y', (d) => componentChips(d)[i]!.y)
      .attr('width', (d) => componentChips(d)[i]!.width)
      .attr('height', (d) => componentChips(d)[i]!.height);
    chips
      .select('text')
      .attr('x', (d) => componentChips(d)[i]!.x + (d.width < COMPACT_CARD ? 4 : 7))
      .attr('y', (d) => componentChips(d)[i]!.y + 16)
      .classed('compact', (d) => d.width < COMPACT_CARD)
      .text((d) => componentLabel(d.node, c, d.width < COMPACT_CARD));
    chips.select('title').text((d) => `${c}: ${componentState(d.node, c)}`);
  });

  const tiles = nodeLayer
    .selectAll<SVGGElement, NodeBox>('g.worker')
    .data(layout.workers, (d) => d.node.name)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'worker node');
      g.append('rect').attr('class', 'card').attr('rx', 6);
      g.append('text').attr('class', 'node-name');
      g.append('text').attr('class', 'node-state');
      g.append('text').attr('class', 'more-pods');
      const badge = g.append('g').attr('class', 'taint-badge');
      badge.append('title');
      badge.append('text');
      return g;
    });
  tiles
    .attr('data-node', (d) => d.node.name)
    .attr(
      'class',
      (d) =>
        `worker node ready-${d.node.up ? d.node.ready.toLowerCase() : 'down'}${d.node.schedulingDisabled ? ' is-cordoned' : ''}`,
    )
    .attr(
      'aria-label',
      (d) =>
        `${d.node.name}, worker node in ${d.node.zone}, ${nodeWords(d.node)}${d.more ? `, ${d.more.count} more pods than shown` : ''}. Activate to inspect it.`,
    )
    .call(activate<NodeBox>((d) => handlers.onNode(d.node)));
  tiles
    .select('rect.card')
    .attr('x', (d) => d.x)
    .attr('y', (d) => d.y)
    .attr('width', (d) => d.width)
    .attr('height', (d) => d.height);
  tiles
    .select('text.node-name')
    .attr('x', (d) => d.x + 8)
    .attr('y', (d) => d.y + 16)
    .text((d) => d.node.name);
  tiles
    .select('text.node-state')
    .attr('x', (d) => d.x + 8)
    .attr('y', (d) => d.y + 32)
    .classed('is-pulling', (d) => d.node.up && !!d.chips?.some((c) => isPulling(c.pod)))
    .text((d) =>
      !d.node.up
        ? downText(d.node, d.width)
        : d.chips?.some((c) => isPulling(c.pod))
          ? '⇣ pulling'
          : `${readinessText(d.node)}${d.node.schedulingDisabled && d.badgeY === undefined ? ' ⊘' : ''}`,
    );

  // Taints (and a cordon) on their own row, as much as fits; the tooltip and the tile's label say all.
  const badges = tiles.select<SVGGElement>('g.taint-badge').datum((d) => d);
  const badgeOf = (d: NodeBox) =>
    d.badgeY === undefined && !d.badgeGlyph ? undefined : taintBadge(d.node, d.width);
  badges
    .attr('class', (d) => `taint-badge effect-${badgeOf(d)?.effect ?? 'none'}${d.badgeGlyph ? ' glyph' : ''}`)
    .attr('data-taints', (d) => (badgeOf(d) ? taintWords(d.node) : null));
  badges.select('title').text((d) => (badgeOf(d) ? `Taints: ${badgeOf(d)!.full}` : ''));
  badges
    .select('text')
    .attr('x', (d) => (d.badgeGlyph ? d.x + d.width - 6 : d.x + 8))
    .attr('y', (d) => d.badgeY ?? d.y + 16)
    .attr('text-anchor', (d) => (d.badgeGlyph ? 'end' : 'start'))
    .text((d) => (d.badgeGlyph ? badgeOf(d)?.glyph : badgeOf(d)?.text) ?? '');

  // Pods the tile has no room for, counted where the next chip would be.
  tiles
    .select('text.more-pods')
    .attr('x', (d) => (d.more ? d.more.x : d.x))
    .attr('y', (d) => (d.more ? d.more.y + CHIP_SIZE - 2 : d.y))
    .text((d) => (d.more ? `+${d.more.count}` : ''));

  const chips = layout.workers.flatMap((w) => w.chips ?? []);
  const chipSel = svg
    .select<SVGGElement>('.layer-pods')
    .selectAll<SVGRectElement, (typeof chips)[number]>('rect.pod')
    .data(chips, (d) => `${d.pod.namespace}/${d.pod.name}`)
    .join((enter) => {
      const r = enter
        .append('rect')
        .attr('class', 'pod')
        .attr('width', CHIP_SIZE)
        .attr('height', CHIP_SIZE)
        .attr('rx', 2);
      r.append('title');
      return r;
    });
  chipSel
    .attr('x', (d) => d.x)
    .attr('y', (d) => d.y)
    .attr('data-pod', (d) => d.pod.name)
    .attr('data-key', (d) => `${d.pod.namespace}/${d.pod.name}`)
    .attr('data-status', (d) => d.pod.status)
    .attr('class', (d) => `pod chip-${chipOf(d.pod)}`)
    .attr('fill', (d) =>
      chipOf(d.pod) === 'running' || chipOf(d.pod) === 'pulling' ? ownerColour(d.pod.owner) : 'none',
    )
    .attr('stroke', (d) => (chipOf(d.pod) === 'failing' ? '#ef4444' : ownerColour(d.pod.owner)));
  chipSel.select('title').text((d) => `${d.pod.namespace}/${d.pod.name}: ${podWords(d.pod)}`);
  chipSel
    // An outlined chip (starting, failing) has no fill: without this, a click inside it would
    // fall through to the node card under it.
    .attr('pointer-events', 'all')
    .attr('tabindex', 0)
    .attr('role', 'button')
    .attr('aria-label', (d) => `pod ${d.pod.name}, ${podWords(d.pod)}. Activate to inspect.`)
    .style('cursor', 'pointer')
    .on('click', (e: MouseEvent, d) => {
      e.stopPropagation();
      handlers.onPod(d.pod.namespace, d.pod.name);
    })
    .on('keydown', (e: KeyboardEvent, d) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        handlers.onPod(d.pod.namespace, d.pod.name);
      }
    });

  nodeLayer
    .selectAll<SVGTextElement, (typeof layout.summaries)[number]>('text.summary')
    .data(layout.summaries, (d) => d.zone)
    .join('text')
    .attr('class', 'summary')
    .attr('x', (d) => d.x + 8)
    .attr('y', (d) => d.y + 20)
    .text((d) =>
      d.width < 200
        ? `${d.ready}/${d.total} Ready`
        : `${d.total} workers: ${d.ready} Ready${d.down > 0 ? `, ${d.down} down` : ''}${d.tainted > 0 && d.width >= 300 ? `, ${d.tainted} ⊘ tainted` : ''}`,
    );
}

/** Width of the kill/start button on a node's title row. */
const POWER_WIDTH = 34;

function addPower(g: Selection<SVGGElement, NodeBox, SVGGElement, unknown>): void {
  const power = g.append('g').attr('class', 'power');
  power.append('rect').attr('rx', 4).attr('width', POWER_WIDTH).attr('height', 16);
  power.append('text').attr('text-anchor', 'middle');
}

/** The node's kill/start button, at the right of its title row (`y` is the text baseline). */
function placePower(
  sel: Selection<SVGGElement, NodeBox, SVGGElement, unknown>,
  handlers: Handlers,
  y: number,
): void {
  const power = sel.select<SVGGElement>('g.power');
  power
    .attr('tabindex', 0)
    .attr('role', 'button')
    .attr('aria-label', (d) => `${d.node.up ? 'Kill' : 'Start'} ${d.node.name}`)
    .attr('data-action', (d) => (d.node.up ? 'kill' : 'start'))
    .style('cursor', 'pointer')
    .on('click', (e: MouseEvent, d) => {
      e.stopPropagation();
      handlers.onPower(d.node);
    })
    .on('keydown', (e: KeyboardEvent, d) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        e.stopPropagation();
        handlers.onPower(d.node);
      }
    });
  power
    .select('rect')
    .attr('x', (d) => d.x + d.width - POWER_WIDTH - 6)
    .attr('y', (d) => d.y + y - 12);
  power
    .select('text')
    .attr('x', (d) => d.x + d.width - POWER_WIDTH / 2 - 6)
    .attr('y', (d) => d.y + y)
    .text((d) => (d.node.up ? 'kill' : 'start'));
}

function readinessText(n: NodeSnapshot): string {
  return n.ready === 'Ready' ? '✓ Ready' : n.ready === 'NotReady' ? '✗ NotReady' : '? Unknown';
}

/** A node's state in one glyph, for a compact card: ✓ Ready, ✗ NotReady, ? Unknown, ✕ down. */
function stateGlyph(n: NodeSnapshot): string {
  if (!n.up) return '✕';
  return n.ready === 'Ready' ? '✓' : n.ready === 'NotReady' ? '✗' : '?';
}

/**
 * A stopped host, and what the API server says of it: still `Ready` until the node controller
 * misses its heartbeats, then NotReady. Where the words do not fit, the hatching says "down"
 * and the text says what the control plane has noticed.
 */
function downText(n: NodeSnapshot, width: number): string {
  if (n.ready === 'Ready') return '✕ DOWN';
  return width >= 150 ? `✕ DOWN · ${n.ready}` : `✕ ${n.ready}`;
}

function nodeWords(n: NodeSnapshot): string {
  const taints =
    n.taints.length > 0 ? `, taints: ${n.taints.map((t) => `${t.key}:${t.effect}`).join(', ')}` : '';
  if (!n.up) return `down (the API server reports it ${n.ready})${taints}`;
  const etcd = n.components?.etcd;
  return `${n.ready}${n.schedulingDisabled ? ', SchedulingDisabled (cordoned)' : ''}${taints}${etcd ? `, etcd ${etcd}` : ''}`;
}

function componentState(n: NodeSnapshot, c: (typeof COMPONENTS)[number]): string {
  const comp = n.components;
  if (!comp || !n.up) return 'down';
  switch (c) {
    case 'apiserver':
      return comp.apiserver;
    case 'etcd':
      return comp.etcd;
    case 'scheduler':
      return comp.scheduler;
    default:
      return comp.controllerManager;
  }
}

const SHORT_NAMES: Record<(typeof COMPONENTS)[number], string> = {
  apiserver: 'api',
  etcd: 'etcd',
  scheduler: 'sch',
  'controller-manager': 'cm',
};

function componentLabel(n: NodeSnapshot, c: (typeof COMPONENTS)[number], compact = false): string {
  const state = componentState(n, c);
  if (compact) {
    // Too narrow for words: the name, and the state as a glyph (down is struck through).
    const short = SHORT_NAMES[c];
    if (state === 'leader') return `★ ${short}`;
    if (state === 'ready') return `${short} ✓`;
    if (state === 'unready') return `${short} ✗`;
    if (state === 'candidate') return `${short} ?`;
    return short;
  }
  if (c === 'etcd') {
    if (state === 'leader') return '★ etcd leader';
    return `etcd ${state}`;
  }
  const short = c === 'controller-manager' ? 'ctrl-mgr' : c === 'apiserver' ? 'apiserver' : 'scheduler';
  if (state === 'down') return `${short} down`;
  if (state === 'unready') return `${short} ✗ unready`;
  if (state === 'leader') return `★ ${short}`;
  if (state === 'standby') return short;
  return `${short} ✓`;
}

/** How far above the cards a request's arc peaks: below the zone's name, over its header band. */
const FLIGHT_CLEARANCE = 10;

function drawFlights(
  svg: Svg,
  layout: TopologyLayout,
  flights: readonly ShownFlight[],
  now: number,
  reduceMotion: boolean,
): void {
  const anchors = new Map(layout.controlPlanes.map((c) => [c.node.name, c.etcdAnchor]));
  const cardTops = new Map(layout.controlPlanes.map((c) => [c.node.name, c.y]));
  const live = flights.filter(
    (f) => now - f.shownAt < FLIGHT_DURATION_MS && anchors.get(f.from) && anchors.get(f.to),
  );
  const groups = svg
    .select<SVGGElement>('.layer-flights')
    .selectAll<SVGGElement, ShownFlight>('g.flight')
    .data(live, (d) => String(d.id))
    .join((enter) => {
      const g = enter.append('g').attr('class', 'flight');
      g.append('circle');
      g.append('text').attr('class', 'lost').attr('text-anchor', 'middle').attr('dy', 4);
      return g;
    });
  groups.each(function (f) {
    const a = anchors.get(f.from)!;
    const b = anchors.get(f.to)!;
    let p = (now - f.shownAt) / FLIGHT_DURATION_MS;
    if (reduceMotion) p = 0.5;
    const lost = f.dropped && p > 0.5;
    if (f.dropped) p = Math.min(p, 0.5);
    // Messages arc above the cards so they never cross another node's chips; requests fly higher
    // than replies, so the two directions of a link stay apart. A long hop is flattened to pass
    // just over the cards, under the zone names (before, it rose over the names and out of the
    // picture's zones).
    const reply = f.kind.endsWith('Resp');
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const lift = len * (reply ? 0.16 : 0.3);
    const cx = (a.x + b.x) / 2;
    const ends = (a.y + b.y) / 2;
    const cardTop = Math.min(cardTops.get(f.from) ?? a.y, cardTops.get(f.to) ?? b.y);
    // A quadratic curve peaks halfway to its control point.
    const apex = Math.max((ends + Math.min(a.y, b.y) - lift) / 2, cardTop - (reply ? 3 : FLIGHT_CLEARANCE));
    const cy = 2 * apex - ends;
    const x = (1 - p) ** 2 * a.x + 2 * (1 - p) * p * cx + p ** 2 * b.x;
    const y = (1 - p) ** 2 * a.y + 2 * (1 - p) * p * cy + p ** 2 * b.y;
    const style = FLIGHT_STYLE[familyOf(f)];
    const g = select(this);
    g.attr('data-kind', f.kind);
    g.select('circle')
      .attr('cx', x)
      .attr('cy', y)
      .attr('r', style.r)
      .attr('fill', style.fill)
      .attr('stroke', style.stroke)
      .attr('stroke-width', 2)
      .attr('opacity', lost ? Math.max(0, 1 - (now - f.shownAt) / FLIGHT_DURATION_MS) : 1);
    g.select('text.lost')
      .attr('x', x)
      .attr('y', y - 10)
      .text(lost ? '✕' : '');
  });
}
