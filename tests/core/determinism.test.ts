import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ApiOutcome } from '../../src/sim/apiserver/request';
import { Cluster } from '../../src/sim/cluster/cluster';
import { takeSnapshot } from '../../src/sim/snapshot';

/**
 * Same seed + same inputs ⇒ the same cluster, byte for byte. One run records everything a viewer or
 * a replay could observe: every trace event, a snapshot after each step, and every member's store.
 */
function run(seed: number): string[] {
  const c = new Cluster('ha', seed);
  c.sim.trace.enabled = true;
  const client = c.outsideClient();
  const record: string[] = [];
  const observe = (label: string): void => {
    record.push(`${label} @${c.sim.nowMs}`);
    record.push(JSON.stringify(takeSnapshot(c)));
    record.push(JSON.stringify(c.sim.trace.drain()));
    for (const h of c.controlPlanes()) {
      const m = c.etcdMember(h.name);
      record.push(`${h.name}: ${m ? JSON.stringify(m.store.range('/', true)) : 'down'}`);
    }
  };
  const write = (name: string): void => {
    client.request(
      {
        verb: 'create',
        resource: 'namespaces',
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
      },
      (o: ApiOutcome) => record.push(`${name} → ${JSON.stringify(o)} @${c.sim.nowMs}`),
    );
  };
  c.sim.runUntil(20_000);
  observe('booted');
  write('one');
  c.sim.runUntil(21_000);
  c.killHost('cp-1');
  write('two');
  c.sim.runUntil(30_000);
  observe('cp-1 killed');
  c.partition(['zone-b']);
  write('three');
  c.sim.runUntil(45_000);
  observe('zone-b cut off');
  c.heal();
  c.startHost('cp-1');
  c.killHost('worker-2');
  write('four');
  c.sim.runUntil(70_000);
  observe('healed');
  return record;
}

describe('determinism', () => {
  it('replays the same trace, snapshots and stores for the same seed and the same faults', () => {
    const a = run(7);
    const b = run(7);
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) expect(b[i], `record ${i}`).toBe(a[i]);
    // The run really was eventful: Raft traffic was traced and the writes were answered.
    expect(a.join('\n')).toContain('raft.messageSent');
    expect(a.join('\n')).toContain('host.crashed');
    expect(a.filter((r) => / → /.test(r))).toHaveLength(4);
  });

  it('gives a different run for a different seed (the check above can tell runs apart)', () => {
    expect(run(8)).not.toEqual(run(7));
  });
});

/** Everything in the core that would read the wall clock, real randomness or real timers. */
const FORBIDDEN: readonly (readonly [RegExp, string])[] = [
  [/\bMath\.random\b/, 'Math.random'],
  [/\bDate\.now\b/, 'Date.now'],
  [/\bperformance\.now\b/, 'performance.now'],
  [/\bnew\s+Date\s*\(\s*\)/, 'new Date()'],
  [/(?<![\w.])(?<!new\s+)Date\s*\(\s*\)/, 'Date()'],
  [/\bsetTimeout\b/, 'setTimeout'],
  [/\bsetInterval\b/, 'setInterval'],
  [/\bsetImmediate\b/, 'setImmediate'],
  [/\bqueueMicrotask\b/, 'queueMicrotask'],
  [/\bcrypto\.(randomUUID|getRandomValues)\b/, 'crypto randomness'],
  [/\bprocess\.hrtime\b/, 'process.hrtime'],
];

const SIM_DIR = fileURLToPath(new URL('../../src/sim', import.meta.url));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|js|mjs)$/.test(entry) && !/\.test\.(ts|tsx|js)$/.test(entry)) out.push(path);
  }
  return out;
}

/** Drops block comments and whole-line comments, so prose that names a forbidden call is allowed. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/^\s*\/\/.*$/gm, '');
}

function findForbidden(files: readonly string[], read: (f: string) => string): string[] {
  const hits: string[] = [];
  for (const file of files) {
    const lines = stripComments(read(file)).split('\n');
    lines.forEach((line, i) => {
      for (const [re, what] of FORBIDDEN) if (re.test(line)) hits.push(`${file}:${i + 1}: ${what}`);
    });
  }
  return hits;
}

describe('the core never reads the wall clock, real randomness or real timers', () => {
  it('finds the core’s sources', () => {
    const files = sourceFiles(SIM_DIR).map((f) => relative(SIM_DIR, f));
    expect(files).toContain(join('kernel', 'sim.ts'));
    expect(files).toContain(join('cluster', 'cluster.ts'));
    expect(files.some((f) => f.endsWith('.test.ts'))).toBe(false);
  });

  it('has no Math.random, Date.now, performance.now, new Date(), setTimeout or setInterval in src/sim', () => {
    expect(findForbidden(sourceFiles(SIM_DIR), (f) => readFileSync(f, 'utf8'))).toEqual([]);
  });

  it('would catch each of them (the scanner itself works)', () => {
    const samples: Record<string, string> = {
      'a.ts': 'const x = Math.random();',
      'b.ts': 'const t = Date.now();',
      'c.ts': 'const t = performance.now();',
      'd.ts': 'const d = new Date();',
      'e.ts': 'setTimeout(() => {}, 1);',
      'f.ts': 'const h = setInterval(f, 5);',
      'h.ts': 'const s = String(Date());',
      'g.ts':
        '/** never Math.random */\n// nor Date.now()\nconst d = new Date(0);\nconst ok = rfc3339(EPOCH_UNIX_MS);',
    };
    const hits = findForbidden(Object.keys(samples), (f) => samples[f]!);
    expect(hits).toEqual([
      'a.ts:1: Math.random',
      'b.ts:1: Date.now',
      'c.ts:1: performance.now',
      'd.ts:1: new Date()',
      'e.ts:1: setTimeout',
      'f.ts:1: setInterval',
      'h.ts:1: Date()',
    ]);
  });
});
