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

type Action =
  | { readonly kind: 'tick'; readonly times: number }
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

interface Scenario {
  readonly size: 3 | 5;
  readonly seed: number;
  readonly electionTick: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly maxEntriesPerMsg: number;
  readonly compactEvery: number | undefined;
  /** How many members may stay crashed once the faults heal (at most a minority). */
  readonly keepDown: number;
  readonly actions: readonly Action[];
}

/** Election timeouts, in elections per run: etcd's 10 ticks, and shorter ones for more elections. */
const ELECTION_TICKS = [3, 5, 10] as const;
/** Election timeouts, once faults heal, within which a leader must be known to every live member. */
const ELECTION_BOUND_TIMEOUTS = 60;
/**
 * Election timeouts after that within which every live member must have applied a fresh proposal
 * (as long as the election bound: one more election may happen on the way).
 */
const CONVERGENCE_BOUND_TIMEOUTS = 60;

const who = fc.nat({ max: 4 });
const at = fc.nat({ max: 1000 });

/** Relative frequencies of the actions; two profiles so that both steady progress and heavy churn get covered. */
interface Weights {
  tick: number;
  tickOne: number;
  deliver: number;
  deliverAll: number;
  drop: number;
  duplicate: number;
  propose: number;
  crash: number;
  restart: number;
  partition: number;
  heal: number;
  compact: number;
}

/** Mostly ticks, deliveries and proposals: long stretches of progress between faults. */
const CALM: Weights = {
  tick: 30,
  tickOne: 5,
  deliver: 30,
  deliverAll: 8,
  drop: 6,
  duplicate: 3,
  propose: 20,
  crash: 3,
  restart: 4,
  partition: 2,
  heal: 3,
  compact: 2,
};

/**
 * Crashes, restarts and single out-of-order deliveries, with members ticking on their own: so that
 * elections overlap, members crash between granting a vote and the next request, and stale
 * messages from old terms arrive late.
 */
const CHAOS: Weights = {
  tick: 10,
  tickOne: 25,
  deliver: 30,
  deliverAll: 2,
  drop: 6,
  duplicate: 6,
  propose: 10,
  crash: 10,
  restart: 12,
  partition: 3,
  heal: 3,
  compact: 3,
};

function actionArb(w: Weights, maxDeliver: number): fc.Arbitrary<Action> {
  return fc.oneof(
    {
      weight: w.tick,
      arbitrary: fc.integer({ min: 1, max: 6 }).map((t) => ({ kind: 'tick', times: t }) as const),
    },
    { weight: w.tickOne, arbitrary: who.map((x) => ({ kind: 'tickOne', who: x }) as const) },
    {
      weight: w.deliver,
      arbitrary: fc
        .record({ at, count: fc.integer({ min: 1, max: maxDeliver }) })
        .map((r) => ({ kind: 'deliver', ...r }) as const),
    },
    { weight: w.deliverAll, arbitrary: fc.constant({ kind: 'deliverAll' } as const) },
    { weight: w.drop, arbitrary: at.map((a) => ({ kind: 'drop', at: a }) as const) },
    { weight: w.duplicate, arbitrary: at.map((a) => ({ kind: 'duplicate', at: a }) as const) },
    { weight: w.propose, arbitrary: who.map((x) => ({ kind: 'propose', who: x }) as const) },
    { weight: w.crash, arbitrary: who.map((x) => ({ kind: 'crash', who: x }) as const) },
    { weight: w.restart, arbitrary: who.map((x) => ({ kind: 'restart', who: x }) as const) },
    {
      weight: w.partition,
      arbitrary: fc.nat({ max: 31 }).map((m) => ({ kind: 'partition', mask: m }) as const),
    },
    { weight: w.heal, arbitrary: fc.constant({ kind: 'heal' } as const) },
    { weight: w.compact, arbitrary: who.map((x) => ({ kind: 'compact', who: x }) as const) },
  );
}

const actions = fc.oneof(
  fc.array(actionArb(CALM, 8), { minLength: 50, maxLength: 500, size: 'max' }),
  fc.array(actionArb(CHAOS, 2), { minLength: 50, maxLength: 500, size: 'max' }),
);

const scenario: fc.Arbitrary<Scenario> = fc.record({
  size: fc.constantFrom(3 as const, 5 as const),
  seed: fc.integer(),
  electionTick: fc.constantFrom(...ELECTION_TICKS),
  preVote: fc.boolean(),
  checkQuorum: fc.boolean(),
  maxEntriesPerMsg: fc.integer({ min: 1, max: 4 }),
  compactEvery: fc.option(fc.integer({ min: 2, max: 12 }), { nil: undefined }),
  keepDown: fc.nat({ max: 2 }),
  actions,
});

/** Plays one scenario; throws (RaftSafetyViolation or a failed expectation) on any violation. */
function play(s: Scenario): RunResult {
  const net = new RaftNetwork<string>({
    size: s.size,
    seed: s.seed,
    preVote: s.preVote,
    checkQuorum: s.checkQuorum,
    electionTick: s.electionTick,
    maxEntriesPerMsg: s.maxEntriesPerMsg,
    ...(s.compactEvery !== undefined ? { compactEvery: s.compactEvery } : {}),
  });
  const ids = net.ids;
  const member = (w: number): RaftId => ids[w % ids.length] as RaftId;
  let proposals = 0;

  for (const a of s.actions) {
    switch (a.kind) {
      case 'tick':
        net.tickAll(a.times);
        break;
      case 'tickOne':
        net.tick(member(a.who));
        break;
      case 'deliver':
        for (let i = 0; i < a.count && net.inflight.length > 0; i++)
          net.deliverAt(a.at % net.inflight.length);
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
  const electionBound = ELECTION_BOUND_TIMEOUTS * s.electionTick;
  let ticks = 0;
  const agreed = (): RaftId | undefined => {
    const l = net.leader();
    if (l === undefined) return undefined;
    const term = net.node(l).term;
    return live.every((id) => net.node(id).lead === l && net.node(id).term === term) ? l : undefined;
  };
  while (agreed() === undefined) {
    if (++ticks > electionBound) {
      throw new Error(
        `no leader agreed by ${live.join(',')} after ${electionBound} ticks: ` +
          live.map((id) => `${id}:${net.node(id).state}@${net.node(id).term}`).join(' '),
      );
    }
    net.run(1);
  }

  // Convergence: a fresh proposal commits, and every live member applies it and ends with the same
  // log. (The leader may still change meanwhile: a member that was cut off until the heal can time
  // out right after it, and without pre-vote that forces a new term. 'final' must survive that.)
  const leader = agreed() as RaftId;
  expect(net.propose(leader, 'final')).toBe(true);
  net.stabilize();
  const electionTicks = ticks;
  const convergenceBound = CONVERGENCE_BOUND_TIMEOUTS * s.electionTick;
  ticks = 0;
  const converged = () => {
    const first = net.node(live[0] as RaftId);
    return live.every((id) => {
      const n = net.node(id);
      return (
        n.lastIndex === first.lastIndex &&
        n.appliedIndex === n.lastIndex &&
        net.applied(id).some((e) => e.data === 'final')
      );
    });
  };
  while (!converged()) {
    if (++ticks > convergenceBound) {
      throw new Error(
        `live members did not converge within ${convergenceBound} ticks: ` +
          live
            .map((id) => `${id}:applied ${net.node(id).appliedIndex}/last ${net.node(id).lastIndex}`)
            .join(' '),
      );
    }
    net.run(1);
  }
  net.checkLogMatching();
  // Nothing ever applied anywhere is missing, and all live members applied the same sequence.
  const everything = net.committed();
  for (const id of live) expect(net.applied(id)).toEqual(everything);
  return {
    leaderTerms: [...net.leaders.entries()],
    applied: everything.map((e) => `${e.index}@${e.term}:${e.data}`),
    delivered: net.delivered,
    snapshotsInstalled: net.snapshotsInstalled,
    electionTicks,
  };
}

interface RunResult {
  /** Every (term, leader) seen, in order. */
  readonly leaderTerms: readonly (readonly [number, RaftId])[];
  /** The final common applied sequence. */
  readonly applied: readonly string[];
  readonly delivered: number;
  readonly snapshotsInstalled: number;
  /** Ticks from the heal to a leader every live member follows. */
  readonly electionTicks: number;
}

const NUM_RUNS = 3000;

describe('Raft under random crash / partition / reorder schedules', () => {
  it('keeps election safety, log matching and state machine safety, and recovers once faults heal', () => {
    const results: RunResult[] = [];
    fc.assert(
      fc.property(scenario, (s) => {
        results.push(play(s));
      }),
      { seed: 20260814, numRuns: NUM_RUNS },
    );
    // Guard against a vacuous pass: the schedules did exercise what the properties are about.
    const sum = (f: (r: RunResult) => number) => results.reduce((acc, r) => acc + f(r), 0);
    // (At this seed: ~40% of runs see 3+ leader terms, ~1/3 install a snapshot, ~1/4 apply 10+ entries.)
    expect(sum((r) => (r.leaderTerms.length >= 3 ? 1 : 0))).toBeGreaterThan(NUM_RUNS / 5); // re-elections
    expect(sum((r) => (r.snapshotsInstalled > 0 ? 1 : 0))).toBeGreaterThan(NUM_RUNS / 10); // snapshot catch-up
    expect(sum((r) => (r.applied.length >= 10 ? 1 : 0))).toBeGreaterThan(NUM_RUNS / 10); // real replication
  });

  it('replays a run exactly from its scenario (determinism)', () => {
    for (const s of fc.sample(scenario, { seed: 7, numRuns: 20 })) {
      expect(play(s)).toEqual(play(s));
    }
  });
});
