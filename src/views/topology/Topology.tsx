import { type Selection, select } from 'd3-selection';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ClusterSnapshot, NodeSnapshot } from '../../sim/snapshot';
import { FLIGHT_DURATION_MS, type FlightFamily, familyOf } from '../../store/flightSampler';
import { type PodFlight, type ShownFlight, useLabStore } from '../../store/labStore';
import { DenseWorkers } from './DenseWorkers';
import {
  CHIP_SIZE,
  componentChips,
  layoutTopology,
  type NodeBox,
  type TopologyLayout,
  type ZoneBox,
} from './layout';
import { ZoneMenu } from './ZoneMenu';

export interface TopologyProps {
  /** Runs a lab command as if typed (so the terminal shows what the click did). */
  readonly runCommand: (line: string) => void;
  /** Opens the inspector on a pod (a click on its chip). */
  readonly onInspectPod?: (namespace: string, name: string) => void;
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
export function Topology({ runCommand, onInspectPod }: TopologyProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const layoutRef = useRef<TopologyLayout | undefined>(undefined);
  const snapshot = useLabStore((s) => s.snapshot);
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
    drawStatic(select(svg), layout, snapshot, {
      onNode: (n) => runCommand(`${n.up ? 'kill' : 'start'} node ${n.name}`),
      onPod: (namespace, name) => onInspectPod?.(namespace, name),
      onZone: (z, event) => {
        const rect = wrapRef.current?.getBoundingClientRect();
        setMenu({ zone: z, x: event.clientX - (rect?.left ?? 0), y: event.clientY - (rect?.top ?? 0) });
      },
    });
  }, [snapshot, size, runCommand, onInspectPod]);

  useEffect(() => {
    let raf = 0;
    const reduceMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
    const frame = (): void => {
      const svg = svgRef.current;
      const layout = layoutRef.current;
      if (svg && layout) {
        const state = useLabStore.getState();
        drawFlights(select(svg), layout, state.flights, performance.now(), reduceMotion);
        drawPodFlights(select(svg), layout, state.podFlights, performance.now(), reduceMotion);
      }
      raf = requestAnimationFrame(frame);
    };
    raf = requestAnimationFrame(frame);
    return () => cancelAnimationFrame(raf);
  }, []);

  return (
    <div className="topology" ref={wrapRef}>
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
        <g className="layer-flights" />
        <g className="layer-podflights" />
        <g className="layer-podflights" />
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
        <DenseWorkers key={summary.zone} summary={summary} colourOf={ownerColour} />
      ))}
      <PendingTray />
      <FlightLegend />
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
): 'running' | 'starting' | 'failing' | 'terminating' {
  if (status === 'Terminating') return 'terminating';
  if (/BackOff|Err|Error|Failed|OOMKilled|Evicted/.test(status)) return 'failing';
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
      <span className="legend-title">etcd Raft traffic:</span>
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
      <span className="legend-item">★ leader (holds the Lease / leads Raft)</span>
      <span className="legend-title">Pods (colour = workload):</span>
      <span className="legend-item">■ running</span>
      <span className="legend-item">▢ starting</span>
      <span className="legend-item legend-failing">▢ failing</span>
    </div>
  );
}

type Svg = Selection<SVGSVGElement, unknown, null, undefined>;

interface Handlers {
  onNode(n: NodeSnapshot): void;
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

function zoneStatus(z: ZoneBox): string {
  if (z.down) return 'ZONE DOWN';
  if (z.cut) return '✂ CUT OFF';
  return '';
}

function drawStatic(svg: Svg, layout: TopologyLayout, snap: ClusterSnapshot, handlers: Handlers): void {
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
  heads
    .select('rect.zone-head-bg')
    .attr('x', (d) => d.x + 6)
    .attr('y', (d) => d.y + 6)
    .attr('width', (d) => d.width - 12)
    .attr('height', 30);
  heads
    .select('text.zone-name')
    .attr('x', (d) => d.x + 16)
    .attr('y', (d) => d.y + 26)
    .text((d) => `${d.name} ▾`);
  heads
    .select('text.zone-status')
    .attr('x', (d) => d.x + d.width - 16)
    .attr('y', (d) => d.y + 26)
    .attr('text-anchor', 'end')
    .text(zoneStatus);

  const nodeLayer = svg.select<SVGGElement>('.layer-nodes');
  const cards = nodeLayer
    .selectAll<SVGGElement, NodeBox>('g.cp')
    .data(layout.controlPlanes, (d) => d.node.name)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'cp node');
      g.append('rect').attr('class', 'card').attr('rx', 8);
      g.append('text').attr('class', 'node-name');
      g.append('text').attr('class', 'node-state');
      for (const c of COMPONENTS) {
        const chip = g.append('g').attr('class', `chip chip-${c}`);
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
        `${d.node.name}, control-plane node in ${d.node.zone}, ${nodeWords(d.node)}. Activate to ${d.node.up ? 'kill' : 'start'} it.`,
    )
    .call(activate<NodeBox>((d) => handlers.onNode(d.node)));
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
    .attr('x', (d) => d.x + d.width - 10)
    .attr('y', (d) => d.y + 21)
    .attr('text-anchor', 'end')
    .text((d) => (d.node.up ? readinessText(d.node) : '✕ DOWN'));
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
      .attr('x', (d) => componentChips(d)[i]!.x + 7)
      .attr('y', (d) => componentChips(d)[i]!.y + 16)
      .text((d) => componentLabel(d.node, c));
  });

  const tiles = nodeLayer
    .selectAll<SVGGElement, NodeBox>('g.worker')
    .data(layout.workers, (d) => d.node.name)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'worker node');
      g.append('rect').attr('class', 'card').attr('rx', 6);
      g.append('text').attr('class', 'node-name');
      g.append('text').attr('class', 'node-state');
      return g;
    });
  tiles
    .attr('data-node', (d) => d.node.name)
    .attr('class', (d) => `worker node ready-${d.node.up ? d.node.ready.toLowerCase() : 'down'}`)
    .attr(
      'aria-label',
      (d) =>
        `${d.node.name}, worker node in ${d.node.zone}, ${nodeWords(d.node)}. Activate to ${d.node.up ? 'kill' : 'start'} it.`,
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
    .text((d) => (d.node.up ? readinessText(d.node) : '✕ DOWN'));

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
    .attr('data-status', (d) => d.pod.status)
    .attr('class', (d) => `pod chip-${chipState(d.pod.status, d.pod.ready)}`)
    .attr('fill', (d) =>
      chipState(d.pod.status, d.pod.ready) === 'running' ? ownerColour(d.pod.owner) : 'none',
    )
    .attr('stroke', (d) =>
      chipState(d.pod.status, d.pod.ready) === 'failing' ? '#ef4444' : ownerColour(d.pod.owner),
    );
  chipSel.select('title').text((d) => `${d.pod.namespace}/${d.pod.name}: ${d.pod.status}`);
  chipSel
    .attr('tabindex', 0)
    .attr('role', 'button')
    .attr('aria-label', (d) => `pod ${d.pod.name}, ${d.pod.status}. Activate to inspect.`)
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
    .text((d) => `${d.total} workers: ${d.ready} Ready${d.down > 0 ? `, ${d.down} down` : ''}`);

  void snap;
}

function readinessText(n: NodeSnapshot): string {
  return n.ready === 'Ready' ? '✓ Ready' : n.ready === 'NotReady' ? '✗ NotReady' : '? Unknown';
}

function nodeWords(n: NodeSnapshot): string {
  if (!n.up) return 'down';
  const etcd = n.components?.etcd;
  return `${n.ready}${etcd ? `, etcd ${etcd}` : ''}`;
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

function componentLabel(n: NodeSnapshot, c: (typeof COMPONENTS)[number]): string {
  const state = componentState(n, c);
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

function drawFlights(
  svg: Svg,
  layout: TopologyLayout,
  flights: readonly ShownFlight[],
  now: number,
  reduceMotion: boolean,
): void {
  const anchors = new Map(layout.controlPlanes.map((c) => [c.node.name, c.etcdAnchor]));
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
    // than replies, so the two directions of a link stay apart.
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const lift = len * (f.kind.endsWith('Resp') ? 0.16 : 0.3);
    const cx = (a.x + b.x) / 2;
    const cy = Math.min(a.y, b.y) - lift;
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

/** How long a freshly bound pod takes to fly from the scheduler to its node. */
export const POD_FLIGHT_MS = 1200;

/**
 * A pod the scheduler just bound flies from the active scheduler to its node, so a viewer sees who
 * decided and where it went; it lands where its chip appears.
 */
function drawPodFlights(
  svg: Svg,
  layout: TopologyLayout,
  flights: readonly PodFlight[],
  now: number,
  reduceMotion: boolean,
): void {
  const scheduler = layout.controlPlanes.find((c) => c.node.components?.scheduler === 'leader');
  const start = scheduler ? componentChips(scheduler)[2] : undefined;
  const tiles = new Map(layout.workers.map((w) => [w.node.name, w]));
  const live = start ? flights.filter((f) => now - f.shownAt < POD_FLIGHT_MS && tiles.has(f.node)) : [];
  const sel = svg
    .select<SVGGElement>('.layer-podflights')
    .selectAll<SVGRectElement, PodFlight>('rect.pod-flight')
    .data(live, (d) => String(d.id))
    .join((enter) =>
      enter
        .append('rect')
        .attr('class', 'pod-flight')
        .attr('width', CHIP_SIZE)
        .attr('height', CHIP_SIZE)
        .attr('rx', 2),
    );
  if (!start) return;
  const from = { x: start.x + start.width / 2, y: start.y + start.height / 2 };
  sel.each(function (f) {
    const tile = tiles.get(f.node)!;
    const chip = tile.chips?.find((c) => c.pod.name === f.pod);
    const to = chip
      ? { x: chip.x + CHIP_SIZE / 2, y: chip.y + CHIP_SIZE / 2 }
      : { x: tile.x + tile.width / 2, y: tile.y + tile.height / 2 };
    const t = reduceMotion ? 1 : Math.min(1, (now - f.shownAt) / POD_FLIGHT_MS);
    const p = t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2; // ease in and out
    select(this)
      .attr('x', from.x + (to.x - from.x) * p - CHIP_SIZE / 2)
      .attr('y', from.y + (to.y - from.y) * p - CHIP_SIZE / 2)
      .attr('fill', ownerColour(`ReplicaSet/${f.pod.replace(/-[a-z0-9]{5}$/, '')}`))
      .attr('stroke', '#fff')
      .attr('data-pod', f.pod);
  });
}
