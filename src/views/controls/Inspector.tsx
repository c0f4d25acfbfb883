import { useEffect, useState } from 'react';
import type { LabClient } from '../../store/labClient';
import { useLabStore } from '../../store/labStore';

/** What the inspector can show: the resource kind as kubectl spells it, and the object's name. */
export interface InspectTarget {
  readonly kind: 'pod' | 'node' | 'deployment' | 'replicaset';
  readonly name: string;
  readonly namespace?: string;
}

/** Lines run from the inspector's buttons, echoed in the terminal like typed ones. */
export type RunCommand = (line: string) => Promise<unknown>;

/**
 * The inspector: what `kubectl describe` and `kubectl get -o yaml` say about the clicked object,
 * asked of the cluster through the same kubectl the terminal runs (without echoing into it), and
 * the actions that object offers (kill or cordon a node, scale a Deployment) as terminal commands.
 */
export function Inspector({
  client,
  target,
  run,
  onClose,
}: {
  client: LabClient;
  target: InspectTarget;
  run: RunCommand;
  onClose(): void;
}) {
  const [view, setView] = useState<'describe' | 'yaml'>('describe');
  const [text, setText] = useState('Loading…');
  const [version, setVersion] = useState(0);
  // `version` is not read: bumping it asks the cluster again (after an action, or ↻).
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    let cancelled = false;
    const ns = target.namespace ? ` -n ${target.namespace}` : '';
    const line =
      view === 'describe'
        ? `kubectl describe ${target.kind} ${target.name}${ns}`
        : `kubectl get ${target.kind} ${target.name}${ns} -o yaml`;
    let out = '';
    setText('Loading…');
    void client
      .run(line, '', (_stream, chunk) => {
        out += chunk;
      })
      .then(() => {
        if (!cancelled) setText(out);
      });
    return () => {
      cancelled = true;
    };
  }, [client, target, view, version]);
  const act = (line: string) => void run(line).then(() => setVersion((v) => v + 1));
  return (
    <aside className="inspector" aria-label={`${target.kind} ${target.name}`} data-testid="inspector">
      <header>
        <strong>
          {target.kind}/{target.name}
        </strong>
        <span className="inspector-tabs" role="tablist">
          <button
            type="button"
            role="tab"
            aria-selected={view === 'describe'}
            onClick={() => setView('describe')}
          >
            describe
          </button>
          <button type="button" role="tab" aria-selected={view === 'yaml'} onClick={() => setView('yaml')}>
            YAML
          </button>
        </span>
        <button
          type="button"
          aria-label="Refresh"
          title="Ask the cluster again"
          onClick={() => setVersion((v) => v + 1)}
        >
          ↻
        </button>
        <button type="button" aria-label="Close inspector" onClick={onClose}>
          ✕
        </button>
      </header>
      {target.kind === 'node' && <NodeActions name={target.name} act={act} />}
      {target.kind === 'deployment' && (
        <DeploymentActions name={target.name} namespace={target.namespace ?? 'default'} act={act} />
      )}
      <pre>{text}</pre>
    </aside>
  );
}

/** A node's state at a glance, and what can be done to it. */
function NodeActions({ name, act }: { name: string; act: (line: string) => void }) {
  const node = useLabStore((s) => s.snapshot?.nodes.find((n) => n.name === name));
  const pods = useLabStore(
    (s) => s.snapshot?.pods.filter((p) => p.node === name && p.status !== 'Terminating').length ?? 0,
  );
  if (!node) return null;
  const state = !node.up ? '✕ host down' : node.ready === 'Ready' ? '✓ Ready' : `✗ ${node.ready}`;
  return (
    <div className="inspector-actions">
      <span className="facts">
        {node.role} · {node.zone} · {state}
        {node.schedulingDisabled ? ' · ⊘ cordoned' : ''} · {pods} pod{pods === 1 ? '' : 's'}
      </span>
      <ul className="taints" aria-label={`Taints of ${name}`} data-testid="node-taints">
        {node.taints.length === 0 ? (
          <li>Taints: none</li>
        ) : (
          node.taints.map((t) => (
            <li key={`${t.key}:${t.effect}`} className={`effect-${t.effect}`}>
              ⊘ {t.key}:{t.effect}
            </li>
          ))
        )}
      </ul>
      <button type="button" onClick={() => act(`${node.up ? 'kill' : 'start'} node ${name}`)}>
        {node.up ? 'Kill node' : 'Start node'}
      </button>
      {node.role === 'worker' && (
        <button
          type="button"
          onClick={() => act(`kubectl ${node.schedulingDisabled ? 'uncordon' : 'cordon'} ${name}`)}
        >
          {node.schedulingDisabled ? 'Uncordon' : 'Cordon'}
        </button>
      )}
    </div>
  );
}

/** Desired against observed for a Deployment, and buttons to change the desired count. */
function DeploymentActions({
  name,
  namespace,
  act,
}: {
  name: string;
  namespace: string;
  act: (line: string) => void;
}) {
  const d = useLabStore((s) =>
    s.snapshot?.deployments.find((x) => x.name === name && x.namespace === namespace),
  );
  if (!d) return null;
  const ns = namespace === 'default' ? '' : ` -n ${namespace}`;
  const scale = (n: number) => act(`kubectl scale deployment/${name} --replicas=${Math.max(0, n)}${ns}`);
  return (
    <div className="inspector-actions">
      <span className="facts">
        {d.ready}/{d.desired} ready · {d.updated} up-to-date · {d.available} available
      </span>
      <button type="button" onClick={() => scale(d.desired - 1)} disabled={d.desired === 0}>
        Scale −1
      </button>
      <button type="button" onClick={() => scale(d.desired + 1)}>
        Scale +1
      </button>
    </div>
  );
}
