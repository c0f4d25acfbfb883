import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
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
    return () => {
      ro.disconnect();
      term.dispose();
    };
  }, [client, banner, onReady]);
  return <div className="terminal" ref={ref} data-testid="terminal" />;
}
