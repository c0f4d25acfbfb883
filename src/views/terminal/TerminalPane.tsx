import { useEffect, useRef } from 'react';
import type { LabClient } from '../../store/labClient';
import { TerminalController } from './terminalController';

export interface TerminalPaneProps {
  readonly client: LabClient;
  readonly banner: string;
  onReady(controller: TerminalController): void;
}

/** The xterm.js pane. Output is written as terminal text, never as HTML. */
export function TerminalPane({ client, banner, onReady }: TerminalPaneProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let disposed = false;
    let cleanup = (): void => {
      disposed = true;
    };
    // xterm.js is the largest dependency; it loads after the first paint, off the critical path.
    void Promise.all([
      import('@xterm/xterm'),
      import('@xterm/addon-fit'),
      import('@xterm/xterm/css/xterm.css'),
    ]).then(([{ Terminal }, { FitAddon }]) => {
      if (disposed) return;
      const term = new Terminal({
        fontFamily: '"DejaVu Sans Mono", "Menlo", "Consolas", monospace',
        fontSize: 13,
        cursorBlink: true,
        scrollback: 5000,
        convertEol: false,
        screenReaderMode: false,
        theme: { background: '#0b1120', foreground: '#e2e8f0', cursor: '#fbbf24' },
      });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(el);
      fit.fit();
      const controller = new TerminalController(term, client);
      term.onData((d) => controller.onData(d));
      controller.start(banner);
      onReady(controller);
      term.focus();
      const ro = new ResizeObserver(() => fit.fit());
      ro.observe(el);
      cleanup = () => {
        ro.disconnect();
        term.dispose();
      };
    });
    return () => cleanup();
  }, [client, banner, onReady]);
  return <div className="terminal" ref={ref} data-testid="terminal" />;
}
