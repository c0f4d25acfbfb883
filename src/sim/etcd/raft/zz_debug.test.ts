import fc from 'fast-check';
import { it } from 'vitest';
import { play, scenario } from './raft.property.test';
it('dbg', () => {
  const t0 = Date.now();
  const ss = fc.sample(scenario, { seed: 20260814, numRuns: 300 });
  const stats = ss.map((s) => ({ ...play(s), n: s.actions.length }));
  const sum = (k: keyof (typeof stats)[0]) => stats.reduce((a, x) => a + (x[k] as number), 0) / stats.length;
  const max = (k: keyof (typeof stats)[0]) => Math.max(...stats.map((x) => x[k] as number));
  for (const k of Object.keys(stats[0]!) as (keyof (typeof stats)[0])[]) console.log(k, 'avg', sum(k).toFixed(1), 'max', max(k));
  console.log('ms', Date.now() - t0, 'with snapshots', stats.filter((x) => x.compacted > 0).length);
});
