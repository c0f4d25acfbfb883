/**
 * Majority arithmetic, after etcd-io/raft's quorum package: small pure functions with no knowledge
 * of messages or roles, so the rules that decide elections and commitment can be read (and tested)
 * on their own.
 */

/** Outcome of counting votes: a majority granted, a majority can no longer grant, or undecided. */
export type VoteResult = 'VoteWon' | 'VoteLost' | 'VotePending';

/** The smallest number of voters that forms a majority: floor(n/2)+1 (etcd's FAQ quorum table). */
export function majority(voterCount: number): number {
  return Math.floor(voterCount / 2) + 1;
}

/**
 * The largest index known to be stored on a majority, given each voter's match index. Sorts
 * `matchIndexes` in place so that the leader can pass a reused scratch array and allocate nothing.
 */
export function committedIndex(matchIndexes: number[]): number {
  const n = matchIndexes.length;
  if (n === 0) return 0;
  // Insertion sort, descending: clusters have 1–7 voters, where this beats Array.prototype.sort.
  for (let i = 1; i < n; i++) {
    const v = matchIndexes[i] as number;
    let j = i - 1;
    while (j >= 0 && (matchIndexes[j] as number) < v) {
      matchIndexes[j + 1] = matchIndexes[j] as number;
      j--;
    }
    matchIndexes[j + 1] = v;
  }
  // The majority-th largest match index is on at least a majority of voters.
  return matchIndexes[majority(n) - 1] as number;
}

/**
 * Tallies an election. A candidate loses as soon as the voters that have not rejected it can no
 * longer form a majority, which lets it fall back to follower without waiting for a timeout.
 */
export function voteResult(voterCount: number, granted: number, rejected: number): VoteResult {
  const q = majority(voterCount);
  if (granted >= q) return 'VoteWon';
  if (voterCount - rejected < q) return 'VoteLost';
  return 'VotePending';
}
