import { useState } from 'react';
import type { DeploymentSnapshot, ReplicaSetSnapshot } from '../../sim/snapshot';
import { clockRunning, type ReconcileMark, useLabStore } from '../../store/labStore';
import type { InspectTarget } from './Inspector';

/** Rows the panel draws at most (a row is a handful of DOM elements; the page stays under budget). */
export const MAX_RECONCILE_ROWS = 24;

interface Group {
  readonly deployment?: DeploymentSnapshot;
  readonly replicaSets: readonly ReplicaSetSnapshot[];
  /** ReplicaSets of the Deployment scaled to zero and quiet: counted, not listed. */
  readonly idle: number;
}

/**
 * Deployments and their ReplicaSets, desired against observed, as `kubectl get deploy,rs` would
 * list them, with what the controllers just did: the Deployment controller changing a
 * ReplicaSet's replicas, the ReplicaSet controller creating or deleting pods. A row whose observed
 * counts differ from the desired one says so in words, not only in colour.
 */
export function ReconcilePanel({ onInspect }: { onInspect(target: InspectTarget): void }) {
  const deployments = useLabStore((s) => s.snapshot?.deployments);
  const replicaSets = useLabStore((s) => s.snapshot?.replicaSets);
  const marks = useLabStore((s) => s.marks);
  const running = useLabStore((s) => clockRunning(s.clock));
  // Narrow pages (an embed in a docs column) start with the picture to themselves.
  const [open, setOpen] = useState(() => !window.matchMedia?.('(max-width: 900px)').matches);
  // The cluster's own add-ons (coredns in kube-system) are not what a learner is reconciling.
  const groups = groupWorkloads(
    (deployments ?? []).filter((d) => d.namespace !== 'kube-system'),
    (replicaSets ?? []).filter((rs) => rs.namespace !== 'kube-system'),
    marks,
  );
  const markOf = new Map(marks.map((m) => [m.key, m]));
  let rows = 0;
  return (
    <aside
      className={`reconcile${open ? '' : ' collapsed'}${running ? '' : ' paused'}`}
      aria-label="Reconciliation: desired and observed replicas"
      data-testid="reconcile"
    >
      <header>
        <button
          type="button"
          className="reconcile-toggle"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
          title={open ? 'Hide the reconciliation view' : 'Show the reconciliation view'}
        >
          {open ? '▸' : '◂ Reconciliation'}
        </button>
        {open && (
          <h2>
            Reconciliation <span className="sub">desired vs observed</span>
          </h2>
        )}
      </header>
      {open && groups.length === 0 && (
        <p className="reconcile-empty">
          No Deployments yet. Try <code>kubectl create deployment web --image=nginx:1.27 --replicas=3</code>{' '}
          and watch the controllers make the observed state match.
        </p>
      )}
      {open && groups.length > 0 && (
        <div className="reconcile-body">
          <table>
            <thead>
              <tr>
                <th scope="col">NAME</th>
                <th scope="col" title="spec.replicas: what was asked for">
                  DESIRED
                </th>
                <th scope="col" title="status.replicas: pods that exist">
                  CURRENT
                </th>
                <th scope="col" title="status.readyReplicas">
                  READY
                </th>
                <th scope="col" title="status.availableReplicas">
                  AVAIL
                </th>
              </tr>
            </thead>
            {groups.map((g) => {
              if (rows >= MAX_RECONCILE_ROWS) return null;
              rows += 1 + g.replicaSets.length;
              const key = g.deployment
                ? `${g.deployment.namespace}/${g.deployment.name}`
                : `rs:${g.replicaSets[0]?.namespace}/${g.replicaSets[0]?.name}`;
              return (
                <tbody key={key}>
                  {g.deployment && <DeploymentRow d={g.deployment} onInspect={onInspect} />}
                  {g.replicaSets.map((rs) => (
                    <ReplicaSetRow
                      key={rs.name}
                      rs={rs}
                      newest={!!g.deployment && rs.revision === g.deployment.revision}
                      nested={!!g.deployment}
                      mark={markOf.get(`${rs.namespace}/${rs.name}`)}
                      onInspect={onInspect}
                    />
                  ))}
                  {g.idle > 0 && (
                    <tr className="rs-idle">
                      <td colSpan={5}>
                        └ {g.idle} older ReplicaSet{g.idle === 1 ? '' : 's'} at 0 (rollout history)
                      </td>
                    </tr>
                  )}
                </tbody>
              );
            })}
          </table>
          {rows >= MAX_RECONCILE_ROWS && (
            <p className="reconcile-more">More workloads than fit: use kubectl get deploy,rs -A</p>
          )}
        </div>
      )}
    </aside>
  );
}

/** Deployments with their ReplicaSets (busiest first), then ReplicaSets no Deployment controls. */
export function groupWorkloads(
  deployments: readonly DeploymentSnapshot[],
  replicaSets: readonly ReplicaSetSnapshot[],
  marks: readonly ReconcileMark[],
): Group[] {
  const marked = new Set(marks.map((m) => m.key));
  const byDeployment = new Map<string, ReplicaSetSnapshot[]>();
  const orphans: ReplicaSetSnapshot[] = [];
  for (const rs of replicaSets) {
    if (rs.deployment === null) orphans.push(rs);
    else {
      const k = `${rs.namespace}/${rs.deployment}`;
      byDeployment.set(k, [...(byDeployment.get(k) ?? []), rs]);
    }
  }
  const groups: Group[] = deployments.map((d) => {
    const all = byDeployment.get(`${d.namespace}/${d.name}`) ?? [];
    const shown = all
      .filter(
        (rs) =>
          rs.desired > 0 ||
          rs.current > 0 ||
          rs.revision === d.revision ||
          marked.has(`${rs.namespace}/${rs.name}`),
      )
      .sort((a, b) => Number(b.revision) - Number(a.revision));
    return { deployment: d, replicaSets: shown, idle: all.length - shown.length };
  });
  for (const rs of orphans) groups.push({ replicaSets: [rs], idle: 0 });
  return groups;
}

function lag(observed: number, desired: number): string | undefined {
  return observed !== desired ? 'lag' : undefined;
}

/** A count; `lag` marks one that differs from the desired count (with a title saying so). */
function Num({ value, className, field }: { value: number; className?: string; field?: string }) {
  return (
    <td className="num" data-field={field}>
      <span className={className} title={className === 'lag' ? 'differs from DESIRED' : undefined}>
        {value}
      </span>
    </td>
  );
}

function DeploymentRow({ d, onInspect }: { d: DeploymentSnapshot; onInspect(t: InspectTarget): void }) {
  const converged = d.observed && d.current === d.desired && d.ready === d.desired && d.updated === d.desired;
  const state = d.problem
    ? `⚠ ${d.problem}`
    : d.paused
      ? '⏸ rollout paused'
      : !d.observed
        ? '⟳ controller has not seen the change yet'
        : converged
          ? '✓ converged'
          : d.updated < d.desired
            ? `⟳ rolling out: ${d.updated}/${d.desired} up to date, ${d.ready} ready`
            : `⟳ ${d.ready} of ${d.desired} ready`;
  const ns = d.namespace === 'default' ? '' : `${d.namespace}/`;
  return (
    <>
      <tr className={`deploy${converged ? '' : ' converging'}`} data-deployment={d.name}>
        <th scope="row">
          <button
            type="button"
            className="linkish"
            onClick={() => onInspect({ kind: 'deployment', name: d.name, namespace: d.namespace })}
            title="Inspect: kubectl describe deployment"
          >
            deploy/{ns}
            {d.name}
          </button>
          {d.revision && <span className="rev"> rev {d.revision}</span>}
        </th>
        <Num value={d.desired} field="desired" />
        <Num value={d.current} className={lag(d.current, d.desired)} field="current" />
        <Num value={d.ready} className={lag(d.ready, d.desired)} field="ready" />
        <Num value={d.available} className={lag(d.available, d.desired)} field="available" />
      </tr>
      <tr className={`deploy-state${converged ? '' : ' converging'}`}>
        <td colSpan={5} data-testid={`state-${d.name}`}>
          {state}
        </td>
      </tr>
    </>
  );
}

function ReplicaSetRow({
  rs,
  newest,
  nested,
  mark,
  onInspect,
}: {
  rs: ReplicaSetSnapshot;
  newest: boolean;
  nested: boolean;
  mark: ReconcileMark | undefined;
  onInspect(t: InspectTarget): void;
}) {
  const converged = rs.current === rs.desired && rs.ready === rs.desired;
  const tag = nested ? (newest ? 'new' : 'old') : '';
  return (
    <tr className={`rs${converged ? '' : ' converging'}${tag ? ` rs-${tag}` : ''}`} data-replicaset={rs.name}>
      <th scope="row">
        <span className="tree">{nested ? '└ ' : ''}</span>
        <button
          type="button"
          className="linkish"
          onClick={() => onInspect({ kind: 'replicaset', name: rs.name, namespace: rs.namespace })}
          title={`Inspect: kubectl describe rs ${rs.name}`}
        >
          {nested ? '' : 'rs/'}
          {rs.name}
        </button>
        {tag && <span className={`tag tag-${tag}`}>{tag}</span>}
        <span className="rs-detail">
          <span className="image">{rs.images}</span>
          {mark && <Acts mark={mark} />}
        </span>
      </th>
      <Num value={rs.desired} className={mark?.scaled ? 'changed' : undefined} />
      <Num value={rs.current} className={lag(rs.current, rs.desired)} />
      <Num value={rs.ready} className={lag(rs.ready, rs.desired)} />
      <Num value={rs.available} className={lag(rs.available, rs.desired)} />
    </tr>
  );
}

/** What the controllers just did to this ReplicaSet, fading out. */
function Acts({ mark }: { mark: ReconcileMark }) {
  return (
    <span className="acts" key={mark.atMs} data-testid="controller-act">
      {mark.scaled && (
        <span className="act act-scaled" title="The Deployment controller changed spec.replicas">
          ⇅ desired {mark.scaled.from}→{mark.scaled.to}
        </span>
      )}
      {mark.created > 0 && (
        <span className="act act-created" title="The ReplicaSet controller created pods">
          + {mark.created} pod{mark.created === 1 ? '' : 's'} created
        </span>
      )}
      {mark.deleted > 0 && (
        <span className="act act-deleted" title="The ReplicaSet controller deleted pods">
          − {mark.deleted} pod{mark.deleted === 1 ? '' : 's'} deleted
        </span>
      )}
    </span>
  );
}
