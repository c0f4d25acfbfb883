import type { NodeSnapshot, NodeTaintSnapshot } from '../../sim/snapshot';

/** What a tile says of a node's taints (and cordon), short, and in full for tooltips and screen readers. */
export interface TaintBadge {
  /** As much as fits: `⊘ unreachable:NoExecute +1`, `⊘ unreachable`, `⊘ 2`. */
  readonly text: string;
  /** Every taint as `key:effect`, and the cordon. */
  readonly full: string;
  /** The strongest effect shown, for styling (a NoExecute badge stands out); `cordon` for a cordon alone. */
  readonly effect: NodeTaintSnapshot['effect'] | 'cordon';
  /** One glyph, where no words fit: ⊗ for a NoExecute taint (it evicts), ⊘ otherwise. */
  readonly glyph: string;
}

const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
const RANK: Record<TaintBadge['effect'], number> = {
  NoExecute: 3,
  NoSchedule: 2,
  cordon: 2,
  PreferNoSchedule: 1,
};
const SHORT_EFFECT: Record<TaintBadge['effect'], string> = {
  NoExecute: 'NoExec',
  NoSchedule: 'NoSched',
  PreferNoSchedule: 'Prefer',
  cordon: '',
};
/** Average advance of the badge's 10.5 px font, per character (a little generous). */
const CHAR_PX = 6.5;

/** The words for every taint of a node, and its cordon: `node.kubernetes.io/unreachable:NoExecute, …`. */
export function taintWords(n: NodeSnapshot): string {
  const parts = n.taints.map((t) => `${t.key}:${t.effect}`);
  // A cordon is spec.unschedulable; real clusters also show it as the unschedulable taint.
  if (n.schedulingDisabled && !n.taints.some((t) => t.key === UNSCHEDULABLE))
    parts.push('cordoned (spec.unschedulable)');
  return parts.join(', ');
}

/**
 * The badge of a tainted or cordoned node, fitted into `width` pixels; undefined for a node with
 * neither. One entry per taint key (its strongest effect: the node controller's unreachable taint
 * comes as NoSchedule and NoExecute), the strongest first, the rest counted.
 */
export function taintBadge(n: NodeSnapshot, width: number): TaintBadge | undefined {
  const byKey = new Map<string, TaintBadge['effect']>();
  for (const t of n.taints) {
    const had = byKey.get(t.key);
    if (!had || RANK[t.effect] > RANK[had]) byKey.set(t.key, t.effect);
  }
  if (n.schedulingDisabled && !byKey.has(UNSCHEDULABLE)) byKey.set('cordoned', 'cordon');
  if (byKey.size === 0) return undefined;
  const [key, effect] = [...byKey].sort((a, b) => RANK[b[1]] - RANK[a[1]])[0] as [
    string,
    TaintBadge['effect'],
  ];
  const short = key.slice(key.lastIndexOf('/') + 1);
  const more = byKey.size > 1 ? ` +${byKey.size - 1}` : '';
  const candidates =
    effect === 'cordon'
      ? [`⊘ cordoned${more}`, `⊘ cordon${more}`]
      : [
          `⊘ ${short}:${effect}${more}`,
          `⊘ ${short}:${SHORT_EFFECT[effect]}${more}`,
          `⊘ ${short}${more}`,
          `⊘${short}`,
          `⊘ ${SHORT_EFFECT[effect]}${more}`,
        ];
  const room = width - 10;
  const text = candidates.find((c) => c.length * CHAR_PX <= room) ?? `⊘ ${byKey.size}`;
  return { text, full: taintWords(n), effect, glyph: effect === 'NoExecute' ? '⊗' : '⊘' };
}
