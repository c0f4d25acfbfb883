import { useEffect, useState } from 'react';
import type { LabClient } from '../../store/labClient';

export interface InspectTarget {
  readonly kind: 'pod' | 'node';
  readonly name: string;
  readonly namespace?: string;
}

/**
 * The inspector: what `kubectl describe` and `kubectl get -o yaml` say about the clicked object,
 * asked of the cluster through the same kubectl the terminal runs (without echoing into it).
 */
export function Inspector({
  client,
  target,
  onClose,
}: {
  client: LabClient;
  target: InspectTarget;
  onClose(): void;
}) {
  const [view, setView] = useState<'describe' | 'yaml'>('describe');
  const [text, setText] = useState('Loading…');
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
  }, [client, target, view]);
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
        <button type="button" aria-label="Close inspector" onClick={onClose}>
          ✕
        </button>
      </header>
      <pre>{text}</pre>
    </aside>
  );
}
