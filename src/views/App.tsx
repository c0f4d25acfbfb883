import { useCallback, useMemo, useRef, useState } from 'react';
import type { PageParams } from '../embed/urlParams';
import { installWindowApi } from '../embed/windowApi';
import type { LabClient } from '../store/labClient';
import { ClockControls } from './controls/ClockControls';
import { EventStream } from './controls/EventStream';
import { Inspector, type InspectTarget } from './controls/Inspector';
import { Narration } from './controls/Narration';
import { QuorumBanner } from './controls/QuorumBanner';
import { ReconcilePanel } from './controls/ReconcilePanel';
import { EditorPane } from './editor/EditorPane';
import { TerminalPane } from './terminal/TerminalPane';
import type { CommandResult, TerminalController } from './terminal/terminalController';
import { Topology } from './topology/Topology';

function bannerFor(params: PageParams): string {
  const warn = params.warnings.map((w) => `\x1b[33mwarning: ${w}\x1b[0m\n`).join('');
  return `${warn}Control Plane Lab: scenario ${params.scenario}, seed ${params.seed}. Type \x1b[1mhelp\x1b[0m to start, or try \x1b[1mkubectl get nodes\x1b[0m.\n`;
}

export function App({ params, client }: { readonly params: PageParams; readonly client: LabClient }) {
  const controllerRef = useRef<TerminalController | undefined>(undefined);
  const [tab, setTab] = useState<'terminal' | 'events'>('terminal');
  const waiting = useRef<(() => void)[]>([]);

  const run = useCallback((line: string): Promise<CommandResult> => {
    const c = controllerRef.current;
    if (c) return c.runExternal(line);
    return new Promise((resolve) =>
      waiting.current.push(() => void controllerRef.current!.runExternal(line).then(resolve)),
    );
  }, []);

  const onReady = useCallback(
    (c: TerminalController) => {
      controllerRef.current = c;
      for (const w of waiting.current.splice(0)) w();
      installWindowApi(run);
    },
    [run],
  );
  const runFromPicture = useCallback((line: string) => void run(line), [run]);
  const [inspecting, setInspecting] = useState<InspectTarget | undefined>(undefined);
  const inspect = useCallback((target: InspectTarget) => setInspecting(target), []);
  const banner = useMemo(() => bannerFor(params), [params]);
  const focusTerminal = useCallback(() => controllerRef.current?.focus(), []);

  return (
    <div className="app">
      <header className="topbar">
        <h1>
          Control Plane Lab <span className="sub">a Kubernetes control plane you can break</span>
        </h1>
        <ClockControls client={client} />
      </header>
      <main className="panes">
        <section className="picture" aria-label="Cluster">
          <QuorumBanner />
          <div className="picture-body">
            <div className="picture-main">
              <Topology runCommand={runFromPicture} onInspect={inspect} />
              {inspecting && (
                <Inspector
                  client={client}
                  target={inspecting}
                  run={run}
                  onClose={() => setInspecting(undefined)}
                />
              )}
            </div>
            <ReconcilePanel onInspect={inspect} />
          </div>
          <Narration />
        </section>
        <section className="console" aria-label="Terminal and events">
          <div className="console-tabs" role="tablist">
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'terminal'}
              onClick={() => setTab('terminal')}
            >
              Terminal
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'events'}
              onClick={() => setTab('events')}
            >
              Events
            </button>
          </div>
          <div className="console-body" hidden={tab !== 'terminal'}>
            <TerminalPane client={client} banner={banner} onReady={onReady} />
          </div>
          {tab === 'events' && (
            <div className="console-body">
              <EventStream />
            </div>
          )}
          <EditorPane client={client} onClosed={focusTerminal} />
        </section>
      </main>
    </div>
  );
}
