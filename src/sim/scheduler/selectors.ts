/**
 * Label selectors (metav1.LabelSelector) and node selector terms (v1.NodeSelectorTerm), compiled
 * once per pod into matchers, with the semantics apimachinery gives them:
 * - a missing LabelSelector matches nothing (`LabelSelectorAsSelector(nil)` = labels.Nothing());
 *   an empty one `{}` matches everything;
 * - `NotIn` / `DoesNotExist` match objects that lack the key;
 * - a NodeSelectorTerm with no requirements matches no node; terms are ORed, requirements ANDed;
 * - `Gt` / `Lt` compare the label as an integer and fail when it is missing or not a number.
 */
import type { LabelSelector, NodeSelectorRequirement } from '../api/types';

export type Labels = Readonly<Record<string, string>>;

export interface Matcher {
  /** Canonical text: equal keys ⇔ equal selectors (used to memoise selector → matching pod groups). */
  readonly key: string;
  readonly nothing: boolean;
  readonly everything: boolean;
  matches(labels: Labels | undefined): boolean;
}

type Op = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
interface Req {
  readonly key: string;
  readonly op: Op;
  readonly values: readonly string[];
}

export const NOTHING: Matcher = { key: '<nothing>', nothing: true, everything: false, matches: () => false };
export const EVERYTHING: Matcher = {
  key: '<everything>',
  nothing: false,
  everything: true,
  matches: () => true,
};

function reqMatches(r: Req, labels: Labels | undefined): boolean {
  const v = labels?.[r.key];
  switch (r.op) {
    case 'In':
      return v !== undefined && r.values.includes(v);
    case 'NotIn':
      return v === undefined || !r.values.includes(v);
    case 'Exists':
      return v !== undefined;
    case 'DoesNotExist':
      return v === undefined;
    case 'Gt':
    case 'Lt': {
      if (v === undefined || !/^-?\d+$/.test(v)) return false;
      const bound = r.values[0];
      if (bound === undefined || !/^-?\d+$/.test(bound)) return false;
      const a = Number(v);
      const b = Number(bound);
      return r.op === 'Gt' ? a > b : a < b;
    }
  }
}

function canonical(reqs: readonly Req[]): string {
  return reqs
    .map((r) => `${r.key}\u0001${r.op}\u0001${[...r.values].sort().join('\u0002')}`)
    .sort()
    .join('\u0003');
}

function fromReqs(reqs: Req[], emptyMeansEverything: boolean): Matcher {
  if (reqs.length === 0) return emptyMeansEverything ? EVERYTHING : NOTHING;
  // A set-based requirement with no values is invalid; apimachinery refuses the selector, and the
  // scheduler then matches nothing.
  for (const r of reqs) if ((r.op === 'In' || r.op === 'NotIn') && r.values.length === 0) return NOTHING;
  const key = canonical(reqs);
  if (reqs.length === 1) {
    const r = reqs[0]!;
    if (r.op === 'In' && r.values.length === 1) {
      const k = r.key;
      const v = r.values[0];
      return { key, nothing: false, everything: false, matches: (labels) => labels?.[k] === v };
    }
    return { key, nothing: false, everything: false, matches: (labels) => reqMatches(r, labels) };
  }
  return {
    key,
    nothing: false,
    everything: false,
    matches: (labels) => {
      for (const r of reqs) if (!reqMatches(r, labels)) return false;
      return true;
    },
  };
}

/** Compiles a metav1.LabelSelector (pod affinity terms, topology spread constraints). */
export function compileLabelSelector(sel: LabelSelector | undefined): Matcher {
  if (!sel) return NOTHING;
  const reqs: Req[] = [];
  if (sel.matchLabels)
    for (const [k, v] of Object.entries(sel.matchLabels)) reqs.push({ key: k, op: 'In', values: [v] });
  for (const e of sel.matchExpressions ?? [])
    reqs.push({ key: e.key, op: e.operator, values: e.values ?? [] });
  return fromReqs(reqs, true);
}

/** A selector equal to this exact label set (`labels.SelectorFromSet`); empty set → everything. */
export function selectorFromSet(labels: Labels | undefined): Matcher {
  const reqs: Req[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) reqs.push({ key: k, op: 'In', values: [v] });
  return fromReqs(reqs, true);
}

/** Compiles one NodeSelectorTerm's matchExpressions; an empty term matches no node. */
export function compileNodeSelectorTerm(exprs: readonly NodeSelectorRequirement[] | undefined): Matcher {
  const reqs: Req[] = (exprs ?? []).map((e) => ({ key: e.key, op: e.operator, values: e.values ?? [] }));
  return fromReqs(reqs, false);
}

/** Canonical text of a label set (sorted `k=v`), used in pod-group keys. */
export function canonicalLabels(labels: Labels | undefined): string {
  if (!labels) return '';
  // The pods of one template share its labels object (objects are immutable): sort its keys once.
  let canon = canonicalByLabels.get(labels);
  if (canon === undefined) {
    const keys = Object.keys(labels).sort();
    canon = '';
    for (const k of keys) canon += `${k}=${labels[k]}\u0002`;
    canonicalByLabels.set(labels, canon);
  }
  return canon;
}

const canonicalByLabels = new WeakMap<Labels, string>();
