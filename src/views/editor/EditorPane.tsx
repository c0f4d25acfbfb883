import { useEffect, useId, useRef, useState } from 'react';
import type { LabClient } from '../../store/labClient';
import { useLabStore } from '../../store/labStore';
import type { OpenEditor } from '../../worker/labHost';
import type { EditorHandle, LineProblem } from './codeMirror';

export interface EditorPaneProps {
  readonly client: LabClient;
  /** The pane closed (saved, cancelled, or the command was interrupted): focus goes back to the terminal. */
  onClosed(): void;
}

/**
 * The editor pane a command opens (`vi FILE`, `kubectl edit`): it covers the terminal while the
 * command waits, the picture keeps running above. Save (Ctrl-S) and Cancel (Esc) answer the
 * worker, which resumes the command. CodeMirror loads on first use.
 */
export function EditorPane({ client, onClosed }: EditorPaneProps) {
  const request = useLabStore((s) => s.editor);
  // Hidden as soon as answered; the worker's next frame closes it (or reopens it, after an error).
  const [answered, setAnswered] = useState<number | undefined>(undefined);
  const shown = request && request.id !== answered ? request : undefined;
  const wasShown = useRef(false);
  useEffect(() => {
    if (shown) wasShown.current = true;
    else if (wasShown.current) {
      wasShown.current = false;
      onClosed();
    }
  }, [shown, onClosed]);
  if (!shown) return null;
  return (
    <EditorDialog
      key={shown.id}
      client={client}
      request={shown}
      onAnswer={(text) => {
        setAnswered(shown.id);
        client.closeEditor(shown.id, text);
      }}
    />
  );
}

function EditorDialog({
  client,
  request,
  onAnswer,
}: {
  readonly client: LabClient;
  readonly request: OpenEditor;
  onAnswer(text: string | undefined): void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const handle = useRef<EditorHandle | undefined>(undefined);
  const onAnswerRef = useRef(onAnswer);
  onAnswerRef.current = onAnswer;
  // Answered once: a double press (or a key and a click) must not answer a later request.
  const done = useRef(false);
  const answer = useRef((text: string | undefined): void => {
    if (done.current) return;
    done.current = true;
    onAnswerRef.current(text);
  });
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [problems, setProblems] = useState<readonly LineProblem[]>([]);
  const titleId = useId();
  const statusId = useId();

  const save = (): void => answer.current(handle.current?.text() ?? request.text);
  const cancel = (): void => answer.current(undefined);

  useEffect(() => {
    let disposed = false;
    void import('./codeMirror').then(
      ({ createEditor }) => {
        if (disposed || !host.current) return;
        handle.current = createEditor(host.current, {
          lint: (text) => client.lintYaml(text),
          doc: request.text,
          language: request.language,
          label: `Editing: ${request.title}`,
          onProblems: (p) => setProblems(p),
        });
        setState('ready');
        handle.current.focus();
      },
      () => !disposed && setState('failed'),
    );
    return () => {
      disposed = true;
      handle.current?.destroy();
      handle.current = undefined;
    };
  }, [client, request]);

  const status =
    state === 'loading'
      ? 'Loading the editor…'
      : state === 'failed'
        ? 'The editor could not be loaded.'
        : request.language !== 'yaml'
          ? 'Plain text'
          : problems.length === 0
            ? '✓ YAML parses'
            : `✗ ${problems.length === 1 ? '1 YAML error' : `${problems.length} YAML errors`}: line ${problems[0]?.line}: ${problems[0]?.message}`;

  return (
    <div
      className="editor-pane"
      role="dialog"
      aria-labelledby={titleId}
      aria-describedby={statusId}
      data-testid="editor-pane"
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
          e.preventDefault();
          save();
        } else if (e.key === 'Escape') {
          e.preventDefault();
          cancel();
        }
      }}
    >
      <div className="editor-bar">
        <h2 className="editor-title" id={titleId}>
          {request.title}
        </h2>
        <button type="button" className="editor-save" onClick={save} disabled={state === 'loading'}>
          Save <kbd>Ctrl-S</kbd>
        </button>
        <button type="button" onClick={cancel}>
          Cancel <kbd>Esc</kbd>
        </button>
      </div>
      <div className="editor-body" ref={host} />
      <p
        className={`editor-status${problems.length > 0 && request.language === 'yaml' ? ' bad' : ''}`}
        id={statusId}
        aria-live="polite"
      >
        {status}
      </p>
    </div>
  );
}
