import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { majority } from './quorum';
import { RaftNetwork } from './testing/network';
import type { RaftId } from './types';

/**
 * Raft under random schedules of faults. Each run builds a 3- or 5-member cluster in the
 * deterministic harness and plays a random list of actions: ticks, message delivery in any order,
 * drops, duplicates, proposals, crashes and restarts, partitions and heals, compactions. The
 * harness throws the moment a safety property breaks:
 *   - Election Safety: at most one leader per term;
 *   - Leader Completeness: a new leader holds every entry applied anywhere;
 *   - State Machine Safety: every member applies the same entry at each index, in order, without
 *     gaps, so all applied sequences are prefixes of one sequence (nothing committed is lost or
 *     changed, across crashes and snapshots).
 * Log Matching is checked after every action. Then all faults heal (a minority may stay down):
 * a leader must be elected within a bounded number of ticks, and every live member must converge
 * on the same log and the same applied sequence, which contains everything ever applied.
 *
 * fast-check is seeded, so a failure replays; it shrinks the action list to a short reproduction.
 */

export type Action =
  | { readonly kind: 'tick' }
  | { readonly kind: 'tickOne'; readonly who: number }
  | { readonly kind: 'deliver'; readonly at: number; readonly count: number }
  | { readonly kind: 'deliverAll' }
  | { readonly kind: 'drop'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly at: number }
  | { readonly kind: 'propose'; readonly who: number }
  | { readonly kind: 'crash'; readonly who: number }
  | { readonly kind: 'restart'; readonly who: number }
  | { readonly kind: 'partition'; readonly mask: number }
  | { readonly kind: 'heal' }
  | { readonly kind: 'compact'; readonly who: number };

export interface Scenario {
  readonly size: 3 | 5;
  readonly seed: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly maxEntriesPerMsg: number;
  readonly compactEvery: number | undefined;
  /** How many members may stay crashed once the faults heal (at most a minority). */
  readonly keepDown: number;
  readonly actions: readonly Action[];
}

const ELECTION_TICK = 10;
/** Ticks, once faults heal, within which a leader must be known to every live member. */
const ELECTION_BOUND_TICKS = 30 * ELECTION_TICK;
/** Ticks after that within which every live member must have applied a fresh proposal. */
const CONVERGENCE_BOUND_TICKS = 5 * ELECTION_TICK;

const who = fc.nat({ max: 4 });
const at = fc.nat({ max: 1000 });

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 30, arbitrary: fc.constant({ kind: 'tick' } as const) },
  { weight: 5, arbitrary: who.map((w) => ({ kind: 'tickOne', who: w }) as const) },
  {
    weight: 30,
    arbitrary: fc.record({ at, count: fc.integer({ min: 1, max: 8 }) }).map((r) => ({ kind: 'deliver', ...r }) as const),
  },
  { weight: 8, arbitrary: fc.constant({ kind: 'deliverAll' } as const) },
  { weight: 6, arbitrary: at.map((a) => ({ kind: 'drop', at: a }) as const) },
  { weight: 3, arbitrary: at.map((a) => ({ kind: 'duplicate', at: a }) as const) },
  { weight: 12, arbitrary: who.map((w) => ({ kind: 'propose', who: w }) as const) },
  { weight: 3, arbitrary: who.map((w) => ({ kind: 'crash', who: w }) as const) },
  { weight: 4, arbitrary: who.map((w) => ({ kind: 'restart', who: w }) as const) },
  { weight: 2, arbitrary: fc.nat({ max: 31 }).map((m) => ({ kind: 'partition', mask: m }) as const) },
  { weight: 3, arbitrary: fc.constant({ kind: 'heal' } as const) },
  { weight: 2, arbitrary: who.map((w) => ({ kind: 'compact', who: w }) as const) },
);

export const scenario: fc.Arbitrary<Scenario> = fc.record({
  size: fc.constantFrom(3 as const, 5 as const),
  seed: fc.integer(),
  preVote: fc.boolean(),
  checkQuorum: fc.boolean(),
  maxEntriesPerMsg: fc.integer({ min: 1, max: 4 }),
  compactEvery: fc.option(fc.integer({ min: 2, max: 12 }), { nil: undefined }),
  keepDown: fc.nat({ max: 2 }),
  actions: fc.array(action, { minLength: 20, maxLength: 250, size: 'max' }),
});

/** Plays one scenario; throws (RaftSafetyViolation or a failed expectation) on any violation. */
export function play(s: Scenario): RunStats {
  const net = new RaftNetwork<string>({
    size: s.size,
    seed: s.seed,
    preVote: s.preVote,
    checkQuorum: s.checkQuorum,
    electionTick: ELECTION_TICK,
    maxEntriesPerMsg: s.maxEntriesPerMsg,
    ...(s.compactEvery !== undefined ? { compactEvery: s.compactEvery } : {}),
  });
  const ids = net.ids;
  const member = (w: number): RaftId => ids[w % ids.length] as RaftId;
  let proposals = 0;

  for (const a of s.actions) {
    switch (a.kind) {
      case 'tick':
        net.tickAll();
        break;
      case 'tickOne':
        net.tick(member(a.who));
        break;
      case 'deliver':
        for (let i = 0; i < a.count && net.inflight.length > 0; i++) net.deliverAt(a.at % net.inflight.length);
        break;
      case 'deliverAll':
        net.stabilize();
        break;
      case 'drop':
        if (net.inflight.length > 0) net.dropAt(a.at % net.inflight.length);
        break;
      case 'duplicate':
        if (net.inflight.length > 0) net.duplicateAt(a.at % net.inflight.length);
        break;
      case 'propose':
        if (net.isUp(member(a.who))) net.propose(member(a.who), `p${++proposals}`);
        break;
      case 'crash':
        net.crash(member(a.who));
        break;
      case 'restart':
        if (!net.isUp(member(a.who))) net.restart(member(a.who));
        break;
      case 'partition': {
        const side = ids.filter((_, i) => (a.mask >> i) & 1);
        net.partition(
          side,
          ids.filter((id) => !side.includes(id)),
        );
        break;
      }
      case 'heal':
        net.heal();
        break;
      case 'compact':
        net.compact(member(a.who));
        break;
    }
    net.checkLogMatching();
  }

  // ---- every fault heals, except that a minority may stay crashed ----
  net.heal();
  const maxDown = Math.min(s.keepDown, ids.length - majority(ids.length));
  let down = 0;
  for (const id of ids) {
    if (net.isUp(id)) continue;
    if (down < maxDown) down++;
    else net.restart(id);
  }
  net.stabilize();
  const live = net.upIds();

  // Liveness: a leader known to every live member, within a bound.
  let ticks = 0;
  const agreed = (): RaftId | undefined => {
    const l = net.leader();
    if (l === undefined) return undefined;
    const term = net.node(l).term;
    return live.every((id) => net.node(id).lead === l && net.node(id).term === term) ? l : undefined;
  };
  while (agreed() === undefined) {
    if (++ticks > ELECTION_BOUND_TICKS) {
      throw new Error(
        `no leader agreed by ${live.join(',')} after ${ELECTION_BOUND_TICKS} ticks: ` +
          live.map((id) => `${id}:${net.node(id).state}@${net.node(id).term}`).join(' '),
      );
    }
    net.run(1);
  }

  // Convergence: a fresh proposal commits, and every live member applies up to it.
  const leader = agreed() as RaftId;
  expect(net.propose(leader, 'final')).toBe(true);
  net.stabilize();
  ticks = 0;
  const converged = () =>
    live.every((id) => {
      const n = net.node(id);
      return n.appliedIndex === net.node(leader).lastIndex && n.lastIndex === net.node(leader).lastIndex;
    });
  while (!converged()) {
    if (++ticks > CONVERGENCE_BOUND_TICKS) {
      throw new Error(
        `live members did not converge within ${CONVERGENCE_BOUND_TICKS} ticks: ` +
          live.map((id) => `${id}:applied ${net.node(id).appliedIndex}/last ${net.node(id).lastIndex}`).join(' '),
      );
    }
    net.run(1);
  }
  net.checkLogMatching();
  // Nothing ever applied anywhere is missing, and all live members applied the same sequence.
  const everything = net.committed();
  expect(everything[everything.length - 1]?.data).toBe('final');
  for (const id of live) expect(net.applied(id)).toEqual(everything);
  return {
    delivered: net.delivered,
    terms: net.leaders.size,
    committed: everything.length,
    proposals,
    compacted: Math.max(...live.map((id) => net.node(id).firstIndex - 1)),
    healTicks: ticks,
  };
}

interface RunStats {
  delivered: number;
  terms: number;
  committed: number;
  proposals: number;
  compacted: number;
  healTicks: number;
}

describe('Raft under random crash / partition / reorder schedules', () => {
  it('keeps election safety, log matching and state machine safety, and recovers once faults heal', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        play(s);
      }),
      { seed: 20260814, numRuns: 300 },
    );
  });

  it('replays the same run from the same scenario (determinism)', () => {
    const s = fc.sample(scenario, { seed: 7, numRuns: 1 })[0] as Scenario;
    const trace = () => {
      const net = new RaftNetwork<string>({ size: s.size, seed: s.seed, preVote: true, checkQuorum: true });
      net.run(40);
      return [...net.leaders.entries()];
    };
    expect(trace()).toEqual(trace());
  });
});
