import type { Invocation } from './invocation';
import { klogLine } from './klog';

export type DryRunStrategy = 'none' | 'client' | 'server';

/**
 * cmdutil.GetDryRunStrategy: `--dry-run` alone and boolean values still work but log a deprecation
 * warning (a klog `W` line); anything else is an error message.
 */
export function dryRunStrategy(inv: Invocation): DryRunStrategy | { error: string } {
  const value = (inv.flags.values.get('dry-run') as string | undefined) ?? 'none';
  const warn = (line: string, text: string): void => {
    inv.err(klogLine('W', inv.ctx.cluster.sim.nowMs, `helpers.go:${line}`, text));
  };
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) {
    warn(
      '716',
      `--dry-run=${value} is deprecated (boolean value) and can be replaced with --dry-run=client.`,
    );
    return 'client';
  }
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) {
    warn('716', `--dry-run=${value} is deprecated (boolean value) and can be replaced with --dry-run=none.`);
    return 'none';
  }
  switch (value) {
    case 'unchanged':
      warn('702', '--dry-run is deprecated and can be replaced with --dry-run=client.');
      return 'client';
    case 'client':
    case 'server':
    case 'none':
      return value;
    default:
      return { error: `Invalid dry-run value (${value}). Must be "none", "server", or "client".` };
  }
}

/** The suffix the name printer adds to its verb: ` (dry run)` / ` (server dry run)`. */
export function dryRunSuffix(strategy: DryRunStrategy): string {
  return strategy === 'client' ? ' (dry run)' : strategy === 'server' ? ' (server dry run)' : '';
}
