import { useEffect, useRef } from 'react';
import type { ZoneBox } from './layout';

export interface ZoneMenuProps {
  readonly zone: ZoneBox;
  readonly x: number;
  readonly y: number;
  onClose(): void;
  onCommand(line: string): void;
}

/** The actions a zone offers: kill or start all its hosts, cut it off or heal the network. */
export function ZoneMenu({ zone, x, y, onClose, onCommand }: ZoneMenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector('button')?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onDown);
    };
  }, [onClose]);
  const actions: [string, string][] = [
    zone.down
      ? [`Start every node in ${zone.name}`, `start zone ${zone.name}`]
      : [`Kill ${zone.name} (every node)`, `kill zone ${zone.name}`],
    zone.cut
      ? ['Heal the network', 'heal']
      : [`Cut ${zone.name} off from the other zones`, `partition ${zone.name}`],
  ];
  return (
    <div
      className="zone-menu"
      ref={ref}
      style={{ left: x, top: y }}
      role="menu"
      aria-label={`${zone.name} actions`}
    >
      {actions.map(([label, line]) => (
        <button key={line} type="button" role="menuitem" onClick={() => onCommand(line)}>
          {label}
          <code>{line}</code>
        </button>
      ))}
    </div>
  );
}
