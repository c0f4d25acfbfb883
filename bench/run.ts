/**
 * Core benchmarks (Node, headless): `npm run bench` runs them all, `npm run bench -- boot raft`
 * a subset, `--quick` with fewer repetitions. Prints a table per benchmark and writes JSON to
 * bench/results/<benchmark>.json in the shape performance-targets.md §4 asks for:
 * {id, scenario, metric, value, unit, runs, gitSha}. Figures are wall-clock measurements of a
 * deterministic simulation: the work done is identical run to run, only the machine's speed varies.
 */

import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Cluster } from '../src/sim/cluster/cluster';
import { EventQueue } from '../src/sim/kernel/eventQueue';
import { Rng } from '../src/sim/kernel/rng';
import type { TraceEvent } from '../src/sim/kernel/trace';
import { takeSnapshot } from '../src/sim/snapshot';
import { SCENARIO_NAMES, type ScenarioName } from '../src/sim/topology/scenarios';
import { benchPage } from './pageBench';
import type { BenchResult } from './result';
import { benchScheduler as runSchedulerBench } from './schedulerBench';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const selected = args.filter((a) => !a.startsWith('--'));
const SEED = 1;
/** Repetitions after one warm-up (performance-targets.md §3: 1 warm-up + 5 measured, median and worst). */
const RUNS = QUICK ? 2 : 5;
const RUNS_HUGE = QUICK ? 1 : 3;
/** How far a boot may run before it counts as failed. */
const BOOT_LIMIT_SIM_MS = 120_000;
/** Simulated time between readiness checks while booting. */
const BOOT_CHECK_SIM_MS = 250;

type Result = BenchResult;

/** The V8 heap flags the run had (npm run bench sets the young generation, as bin/cplab does). */
const V8_FLAGS = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].filter((f) =>
  /^--max-(semi|old)-space-size=/.test(f),
);

const gitSha = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
})();

const now = (): number => performance.now();
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
const fmt = (x: number): string =>
  Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : String(round(x, x < 10 ? 2 : 1));

/** A cluster booted until every node is Ready and etcd has quorum; times the simulation only, not the checks. */
function boot(scenario: ScenarioName, seed = SEED): { cluster: Cluster; wallMs: number; simMs: number } {
  let wallMs = 0;
  let t = now();
  const cluster = new Cluster(scenario, seed);
  wallMs += now() - t;
  const sim = cluster.sim;
  while (sim.nowMs < BOOT_LIMIT_SIM_MS) {
    t = now();
    sim.runUntil(sim.nowMs + BOOT_CHECK_SIM_MS);
    wallMs += now() - t;
    const snap = takeSnapshot(cluster);
    if (snap.etcd.quorum && snap.nodes.every((n) => n.ready === 'Ready'))
      return { cluster, wallMs, simMs: sim.nowMs };
  }
  throw new Error(`${scenario} did not come up within ${BOOT_LIMIT_SIM_MS} ms of simulated time`);
}

// ---- benchmarks ----

/** (a) Boot time of each preset: wall time until all nodes are Ready. */
function benchBoot(): Result[] {
  const results: Result[] = [];
  for (const scenario of SCENARIO_NAMES) {
    const runs = scenario === 'huge' ? RUNS_HUGE : RUNS;
    boot(scenario); // warm-up
    const wall: number[] = [];
    let simMs = 0;
    let nodes = 0;
    for (let i = 0; i < runs; i++) {
      gc();
      const b = boot(scenario);
      wall.push(b.wallMs);
      simMs = b.simMs; // identical every run: the simulation is deterministic
      nodes = b.cluster.hosts.size;
    }
    results.push({
      id: 'S0-boot',
      scenario,
      metric: 'wall time to all nodes Ready',
      value: round(median(wall)),
      worst: round(Math.max(...wall)),
      unit: 'ms',
      runs: wall.map((x) => round(x)),
      note: `${nodes} nodes, Ready after ${simMs / 1000} simulated s (checked every ${BOOT_CHECK_SIM_MS} ms)`,
    });
  }
  return results;
}

/** Steady-state windows of simulated time per preset (long enough to be measurable, short enough for the budget). */
const STEADY_WINDOW_SIM_MS: Partial<Record<ScenarioName, number>> = {
  ha: 1800_000,
  large: 600_000,
  huge: 60_000,
};

/** (a) Simulated seconds per wall second once the cluster is up (kubelets renewing leases, posting status). */
function benchSteady(): Result[] {
  const results: Result[] = [];
  for (const [scenario, windowMs] of Object.entries(STEADY_WINDOW_SIM_MS) as [ScenarioName, number][]) {
    const { cluster } = boot(scenario);
    const sim = cluster.sim;
    sim.runUntil(sim.nowMs + 60_000); // settle (and warm up the JIT)
    const runs = scenario === 'huge' ? RUNS_HUGE : RUNS;
    const speed: number[] = [];
    const eventsPerWallS: number[] = [];
    let eventsPerSimS = 0;
    for (let i = 0; i < runs; i++) {
      gc();
      const e0 = sim.eventsRun;
      const t = now();
      sim.runUntil(sim.nowMs + windowMs);
      const wall = now() - t;
      speed.push(windowMs / wall);
      eventsPerWallS.push(((sim.eventsRun - e0) / wall) * 1000);
      eventsPerSimS = ((sim.eventsRun - e0) / windowMs) * 1000;
    }
    results.push({
      id: 'S5-steady-speed',
      scenario,
      metric: 'simulated seconds per wall second',
      value: round(median(speed)),
      worst: round(Math.min(...speed)),
      unit: 'sim-s/s',
      runs: speed.map((x) => round(x)),
      note: `windows of ${windowMs / 1000} simulated s; ${Math.round(eventsPerSimS)} events per simulated s`,
    });
    results.push({
      id: 'S2-event-rate',
      scenario,
      metric: 'DES events per wall second (steady state)',
      value: Math.round(median(eventsPerWallS)),
      worst: Math.round(Math.min(...eventsPerWallS)),
      unit: 'events/s',
      runs: eventsPerWallS.map(Math.round),
    });
  }
  return results;
}

/** Counts Raft messages through the trace hook; the count is the same in an untraced twin (same seed). */
function countRaftMessages(cluster: Cluster): { readonly count: () => number } {
  let n = 0;
  const trace = cluster.sim.trace;
  trace.enabled = true;
  trace.emit = (e: TraceEvent): void => {
    if (e.type === 'raft.messageSent' && !e.dropped) n++;
  };
  return { count: () => n };
}

/** Drives `writesPerSimS` etcd writes per simulated second straight into the leader (S6's proposal load). */
function driveWrites(cluster: Cluster, writesPerSimS: number): void {
  const intervalMs = 1000 / writesPerSimS;
  let i = 0;
  const cps = cluster.controlPlanes();
  const tick = (): void => {
    const leader = cps.find((h) => cluster.etcdMember(h.name)?.raft.state === 'StateLeader');
    const member = leader ? cluster.etcdMember(leader.name) : undefined;
    member?.txn(
      { compare: [], success: [{ type: 'put', key: `/bench/${i++ % 1000}`, value: i }], failure: [] },
      () => {},
    );
    cluster.sim.schedule(intervalMs, tick);
  };
  cluster.sim.schedule(intervalMs, tick);
}

/** (b) Raft messages per wall second: steady-state `ha`, plus S6's loaded variant on `ha5`. */
function benchRaft(): Result[] {
  const variants: { scenario: ScenarioName; writesPerSimS: number; windowMs: number; label: string }[] = [
    {
      scenario: 'ha',
      writesPerSimS: 0,
      windowMs: 1800_000,
      label: 'steady state (heartbeats + kubelet traffic)',
    },
    { scenario: 'ha5', writesPerSimS: 1000, windowMs: 30_000, label: '1,000 etcd writes per simulated s' },
  ];
  const results: Result[] = [];
  for (const v of variants) {
    // Twin clusters, same seed: one counts messages, the other is timed untraced.
    const counted = boot(v.scenario).cluster;
    const timed = boot(v.scenario).cluster;
    const counter = countRaftMessages(counted);
    if (v.writesPerSimS > 0) {
      driveWrites(counted, v.writesPerSimS);
      driveWrites(timed, v.writesPerSimS);
    }
    counted.sim.runUntil(counted.sim.nowMs + 10_000);
    timed.sim.runUntil(timed.sim.nowMs + 10_000);
    const runs = QUICK ? 2 : 3;
    const perWallS: number[] = [];
    const speed: number[] = [];
    let perSimS = 0;
    for (let i = 0; i < runs; i++) {
      const before = counter.count();
      counted.sim.runUntil(counted.sim.nowMs + v.windowMs);
      const messages = counter.count() - before;
      gc();
      const t = now();
      timed.sim.runUntil(timed.sim.nowMs + v.windowMs);
      const wall = now() - t;
      perWallS.push((messages / wall) * 1000);
      speed.push(v.windowMs / wall);
      perSimS = (messages / v.windowMs) * 1000;
    }
    results.push({
      id: 'S6-raft-messages',
      scenario: v.scenario,
      metric: `Raft messages delivered per wall second, ${v.label}`,
      value: Math.round(median(perWallS)),
      worst: Math.round(Math.min(...perWallS)),
      unit: 'msgs/s',
      runs: perWallS.map(Math.round),
      note: `${round(perSimS)} messages per simulated s; ${round(median(speed))}× simulated-time speed-up`,
    });
  }
  return results;
}

/** Full collections until the heap stops shrinking (weak maps and rolled-over caches take more than one). */
function settleHeap(): void {
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    gc();
    const used = process.memoryUsage().heapUsed;
    if (used >= last * 0.999) return;
    last = used;
  }
}

/** (c) Heap of the `huge` preset: peak sampled while booting and running, and retained after GC. */
function benchHeap(): Result[] {
  const results: Result[] = [];
  for (const scenario of ['large', 'huge'] as const) {
    // Earlier benchmarks' leftovers (memoised pod infos, interned strings) must be gone from the
    // base, or their release while this cluster runs makes the figure too small, even negative.
    settleHeap();
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    const sample = (): void => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    };
    const cluster = new Cluster(scenario, SEED);
    for (let t = 0; t < 120_000; t += BOOT_CHECK_SIM_MS) {
      cluster.sim.runUntil(t);
      sample();
    }
    settleHeap();
    const retained = process.memoryUsage().heapUsed - base;
    const nodes = cluster.hosts.size;
    const keys = cluster.etcdMember('cp-1')?.store.keyCount ?? 0;
    results.push({
      id: 'S7-heap-peak',
      scenario,
      metric: 'peak heapUsed while booting and 2 simulated minutes of steady state (sampled)',
      value: round((peak - base) / 2 ** 20),
      unit: 'MiB',
      runs: [round((peak - base) / 2 ** 20)],
      note: 'above the heap before the cluster was built; sampled every 250 simulated ms, so a lower bound',
    });
    results.push({
      id: 'S7-heap-retained',
      scenario,
      metric: 'heap retained after GC at 2 simulated minutes',
      value: round(retained / 2 ** 20),
      unit: 'MiB',
      runs: [round(retained / 2 ** 20)],
      note: `${nodes} nodes, ${keys} etcd keys (one keyspace, read by 3 members): ${Math.round(retained / nodes)} B per node`,
    });
    // Keep the cluster alive until measured.
    if (cluster.sim.nowMs < 0) console.log(cluster);
  }
  return results;
}

/**
 * The design's soak bar (heap growth ≤ 5 MB over 30 minutes), for the core: `ha` with a Deployment
 * and a crash-looping pod (events keep coming), heap after GC once settled and 30 simulated
 * minutes later. The page's own heap is not in this figure.
 */
function benchSoak(): Result[] {
  const { cluster } = boot('ha');
  createDeployment(cluster, 'web', 6);
  cluster.outsideClient().request(
    {
      verb: 'create',
      resource: 'pods',
      namespace: 'default',
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'crash', namespace: 'default' },
        spec: {
          containers: [{ name: 'crash', image: 'busybox:1.36', command: ['sh', '-c', 'echo bye; exit 1'] }],
        },
      } as never,
    },
    () => {},
  );
  const sim = cluster.sim;
  sim.runUntil(sim.nowMs + 5 * 60_000);
  settleHeap();
  const base = process.memoryUsage().heapUsed;
  const member = cluster.etcdMember('cp-1');
  /** Heap growth since `base` after `minutes` more simulated minutes, and what etcd holds then. */
  const soak = (id: string, minutes: number, metric: string): Result => {
    const t = now();
    sim.runUntil(sim.nowMs + minutes * 60_000);
    const wall = now() - t;
    settleHeap();
    const grown = (process.memoryUsage().heapUsed - base) / 2 ** 20;
    const keys = member?.store.keyCount ?? 0;
    // Most of the growth is the Raft log, which etcd keeps in memory up to its next snapshot
    // (10,000 entries plus 5,000 kept for slow followers), then compacts.
    const logEntries = member ? member.raft.lastIndex - member.raft.firstIndex : 0;
    return {
      id,
      scenario: 'ha',
      metric,
      value: round(grown, 2),
      unit: 'MiB',
      runs: [round(grown, 2)],
      note: `${keys} etcd keys, ${logEntries} Raft log entries held at the end; ${round(wall / 1000)} s wall`,
    };
  };
  const minutes = QUICK ? 10 : 30;
  const first = soak(
    'S7-soak-growth',
    minutes,
    `heap growth after GC over ${minutes} simulated minutes (bar ≤ 5 MB over 30)`,
  );
  // Hours on: Events expire an hour after their last write and the Raft log is compacted, so the
  // heap levels off instead of growing with the time a class leaves the lab open.
  const hours = QUICK ? 2 : 4;
  const long = soak(
    'S7-soak-hours',
    hours * 60 - minutes,
    `heap growth after GC over ${hours} simulated hours (bounded: events expire, the Raft log is compacted)`,
  );
  return [first, long];
}

/** S2(a): the event queue's hold test with 100k pending events (pop the earliest, push one at t + Exp(1)). */
function benchEventQueue(): Result[] {
  const pending = 100_000;
  const ops = QUICK ? 1_000_000 : 3_000_000;
  const rng = new Rng(SEED);
  const runs: number[] = [];
  for (let r = 0; r < (QUICK ? 2 : 4); r++) {
    const q = new EventQueue<number>();
    for (let i = 0; i < pending; i++) q.push(-Math.log(1 - rng.float()), i);
    const t = now();
    for (let i = 0; i < ops; i++) {
      const at = q.peekTime()!;
      const e = q.pop()!;
      q.push(at - Math.log(1 - rng.float()), e);
    }
    const wall = now() - t;
    if (r > 0) runs.push((ops / wall) * 1000);
  }
  return [
    {
      id: 'S2a-event-queue-hold',
      scenario: '-',
      metric: 'hold operations per wall second, 100k pending (pop + push, incl. the RNG draw)',
      value: Math.round(median(runs)),
      worst: Math.round(Math.min(...runs)),
      unit: 'ops/s',
      runs: runs.map(Math.round),
    },
  ];
}

/** S1: pods scheduled per wall second by the scheduling algorithm alone, at 1,000 and 5,000 nodes. */
function benchScheduler(): Result[] {
  const results: Result[] = [];
  for (const nodes of [1000, 5000]) {
    for (const podsPerReplicaSet of [0, 300]) {
      const pods = QUICK ? nodes * 6 : nodes * 30;
      const runs: number[] = [];
      for (let r = 0; r < (QUICK ? 2 : 3); r++) {
        runs.push(runSchedulerBench({ nodes, pods, podsPerReplicaSet, now }).podsPerSecond);
      }
      results.push({
        id: `S1-scheduler-${podsPerReplicaSet ? 'replicaset' : 'bare'}-pods`,
        scenario: `${nodes} nodes`,
        metric: `pods scheduled per wall second (${pods} pods${podsPerReplicaSet ? ', 300 per ReplicaSet: default spreading on' : ''})`,
        value: Math.round(median(runs)),
        worst: Math.round(Math.min(...runs)),
        unit: 'pods/s',
        runs: runs.map(Math.round),
      });
    }
  }
  return results;
}

/**
 * S3: end to end: a Deployment of N replicas created through the API on a booted cluster, until
 * every pod is Running (controllers, scheduler, kubelets, events, every write through Raft).
 */
function benchReconcile(): Result[] {
  const cases: [ScenarioName, number][] = QUICK
    ? [['large', 3000]]
    : [
        ['large', 3000],
        ['huge', 150_000],
      ];
  const results: Result[] = [];
  for (const [scenario, replicas] of cases) {
    const { cluster } = boot(scenario);
    settleHeap();
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    const wall0 = now();
    const sim0 = cluster.sim.nowMs;
    createDeployment(cluster, 'web', replicas);
    const store = () => cluster.etcdMember(cluster.controlPlanes()[0]!.name)!.store;
    // Done when the Deployment reports every replica available, as `kubectl rollout status` waits.
    let available = 0;
    while (cluster.sim.nowMs - sim0 < 600_000) {
      cluster.sim.runUntil(cluster.sim.nowMs + 1000);
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      const deployment = store().range('/registry/deployments/default/web').kvs[0]?.value as
        | { status?: { availableReplicas?: number } }
        | undefined;
      available = deployment?.status?.availableReplicas ?? 0;
      if (available >= replicas) break;
    }
    const wall = now() - wall0;
    const simS = (cluster.sim.nowMs - sim0) / 1000;
    settleHeap();
    const retainedPerPod = (process.memoryUsage().heapUsed - heapBefore) / replicas;
    const peakPerPod = (peak - heapBefore) / replicas;
    results.push(
      {
        id: 'S4-reconcile-wall',
        scenario,
        metric: `wall seconds until a Deployment of ${replicas} replicas reports them all available (${available} reached, ${simS.toFixed(0)} simulated s)`,
        value: round(wall / 1000, 2),
        unit: 's',
        runs: [round(wall / 1000, 2)],
      },
      {
        id: 'S4-reconcile-peak-heap-per-pod',
        scenario,
        metric: 'peak heapUsed per pod while reconciling (sampled every simulated second)',
        value: Math.round(peakPerPod),
        unit: 'B/pod',
        runs: [Math.round(peakPerPod)],
        note: 'above the heap of the booted cluster; includes garbage not yet collected',
      },
      {
        id: 'S4-reconcile-heap-per-pod',
        scenario,
        metric:
          'heap retained per available pod after GC (pods, their ~5 events, the etcd keyspace and history, informer and scheduler caches)',
        value: Math.round(retainedPerPod),
        unit: 'B/pod',
        runs: [Math.round(retainedPerPod)],
      },
    );
  }
  return results;
}

function createDeployment(cluster: Cluster, name: string, replicas: number): void {
  cluster.outsideClient().request(
    {
      verb: 'create',
      resource: 'deployments',
      namespace: 'default',
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: 'default' },
        spec: {
          replicas,
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: {
              containers: [
                {
                  name: 'nginx',
                  image: 'nginx:1.27',
                  resources: { requests: { cpu: '10m', memory: '16Mi' } },
                },
              ],
            },
          },
        },
      } as never,
    },
    () => {},
  );
}

// ---- harness ----

const BENCHMARKS: Record<string, () => Result[] | Promise<Result[]>> = {
  // First: clusters built by the others leave module caches (interned strings, shared records)
  // that let go of them while a later cluster runs, which made `large`'s figure negative.
  heap: benchHeap,
  boot: benchBoot,
  'steady-state': benchSteady,
  raft: benchRaft,
  soak: benchSoak,
  'event-queue': benchEventQueue,
  scheduler: benchScheduler,
  reconcile: benchReconcile,
  // The built page in Chromium (pageBench.ts): frame time, DOM size, terminal latency, JS size.
  page: () => benchPage(QUICK),
};

function report(name: string, results: readonly Result[], seconds: number): void {
  console.log(`\n== ${name} (${seconds.toFixed(1)} s)`);
  const rows = results.map((r) => [
    r.id,
    r.scenario,
    `${fmt(r.value)} ${r.unit}`,
    r.worst === undefined ? '' : `worst ${fmt(r.worst)}`,
    r.note ?? r.metric,
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  '));
}

async function main(): Promise<void> {
  const unknown = selected.filter((s) => !(s in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`,
    );
    process.exit(2);
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  console.log(
    `control-plane-lab core bench — ${gitSha}, node ${process.version} ${V8_FLAGS.join(' ')}, ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}${QUICK ? ', quick' : ''}`,
  );
  const started = now();
  for (const [name, fn] of Object.entries(BENCHMARKS)) {
    if (selected.length > 0 && !selected.includes(name)) continue;
    const t = now();
    const results = await fn();
    const seconds = (now() - t) / 1000;
    report(name, results, seconds);
    const file = `${RESULTS_DIR}${name}.json`;
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          benchmark: name,
          gitSha,
          node: process.version,
          v8Flags: V8_FLAGS,
          cpus: os.cpus().length,
          quick: QUICK,
          wallSeconds: round(seconds, 2),
          results: results.map((r) => ({ ...r, gitSha })),
        },
        null,
        2,
      )}\n`,
    );
  }
  console.log(`\ntotal ${((now() - started) / 1000).toFixed(1)} s; JSON in ${RESULTS_DIR}`);
}

await main();
