import { tabwrite } from '../kubectl/print/tabwriter';
import type { Program } from '../shell/program';

/** Short column names for the score plugins. */
const SHORT: Readonly<Record<string, string>> = {
  TaintToleration: 'TAINTS',
  NodeAffinity: 'AFFINITY',
  NodeResourcesFit: 'FIT',
  PodTopologySpread: 'SPREAD',
  InterPodAffinity: 'POD-AFFINITY',
  NodeResourcesBalancedAllocation: 'BALANCED',
  ImageLocality: 'IMAGE',
};

const USAGE = 'usage: trace scheduling POD [-n NAMESPACE]';

/**
 * `trace scheduling POD`: the active scheduler's last attempt for a pod, one row per node it
 * evaluated: the filter that rejected it (and why), or each score plugin's weighted score with
 * the normalized score in parentheses, the total, and the node chosen.
 */
export const trace: Program = function* (argv, ctx) {
  const [what, ...rest] = argv;
  let namespace = ctx.session.namespace;
  let pod: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a === '-n' || a === '--namespace') namespace = rest[++i] ?? '';
    else if (a.startsWith('--namespace=')) namespace = a.slice(12);
    else if (pod === undefined) pod = a.replace(/^pods?\//, '');
    else pod = '';
  }
  if (what !== 'scheduling' || !pod || namespace === '') {
    ctx.stderr(`error: ${USAGE}\n`);
    return 1;
  }
  const attempt = ctx.cluster.schedulingAttempt(namespace, pod);
  if (!attempt) {
    ctx.stderr(
      `error: the active scheduler has no attempt for pod "${namespace}/${pod}" (it may not exist, or a scheduler that took over since has not tried it)\n`,
    );
    return 1;
  }
  const outcome = attempt.nodeName
    ? `scheduled on ${attempt.nodeName} (total score ${attempt.score ?? 0})`
    : `not scheduled: ${attempt.message ?? ''}`;
  ctx.stdout(`Pod ${attempt.pod}: ${outcome}\n`);
  ctx.stdout(
    `${attempt.numAllNodes} nodes; looked for ${attempt.numFeasibleNodesToFind} feasible, evaluated ${attempt.evaluatedNodes}, ${attempt.feasibleNodes} passed every filter${attempt.scored ? '' : ' (one feasible node: scoring skipped)'}.\n`,
  );
  const nodes = attempt.nodes;
  if (!nodes) {
    ctx.stdout('(per-node detail is kept for the 30 most recent attempts, on clusters of up to 500 nodes)\n');
    return 0;
  }
  const plugins = [...new Set(nodes.flatMap((n) => (n.scores ?? []).map((s) => s.plugin)))];
  const header = ['NODE', 'FILTERS', ...plugins.map((p) => SHORT[p] ?? p.toUpperCase()), 'TOTAL', ''];
  const rows = nodes.map((n) => {
    const filter = n.filter ? `✗ ${n.filter.plugin}: ${n.filter.reasons.join('; ')}` : '✓ passed';
    const scores = plugins.map((p) => {
      const s = n.scores?.find((x) => x.plugin === p);
      return s ? (s.ran ? `${s.weighted} (${s.normalized})` : 'skipped') : '';
    });
    const chosen = n.node === attempt.nodeName ? '← chosen' : '';
    return [n.node, filter, ...scores, n.total === undefined ? '' : String(n.total), chosen];
  });
  const table = tabwrite([header, ...rows].map((r) => `${r.join('\t')}\n`).join(''), {
    minWidth: 6,
    padding: 3,
  });
  ctx.stdout(table.replace(/ +$/gm, ''));
  ctx.stdout(
    "Score cells: weighted score (normalized 0-100 score); weights are kube-scheduler's defaults.\n",
  );
  return 0;
};
