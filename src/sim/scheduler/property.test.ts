import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { PodObject } from '../api/types';
import { Rng } from '../kernel/rng';
import { SchedulerCache } from './cache';
import { makeNode, makePod } from './fixtures';
import { podInfo } from './podInfo';
import { schedulePod } from './schedule';

const MiB = 1024 * 1024;

const nodeArb = fc.record({
  cpuHalfCores: fc.integer({ min: 1, max: 16 }),
  memMiB: fc.integer({ min: 256, max: 16384 }),
  pods: fc.integer({ min: 1, max: 12 }),
  zone: fc.constantFrom('a', 'b', 'c'),
  cordoned: fc.boolean(),
});
const podArb = fc.record({
  cpuMilli: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
  memMiB: fc.option(fc.integer({ min: 0, max: 6000 }), { nil: undefined }),
  app: fc.constantFrom('web', 'api', 'db'),
  owned: fc.boolean(),
});
/** A pod, and afterwards maybe delete the k-th pod placed so far (churn). */
const stepArb = fc.record({ pod: podArb, deleteIndex: fc.option(fc.nat(), { nil: undefined }) });

describe('property: the scheduler never over-commits a node', () => {
  test('cpu, memory and pod count stay within allocatable; no pod is refused while a node has room', () => {
    fc.assert(
      fc.property(
        fc.array(nodeArb, { minLength: 1, maxLength: 12 }),
        fc.array(stepArb, { minLength: 1, maxLength: 60 }),
        fc.integer(),
        fc.constantFrom(0, 30, 100),
        (nodes, steps, seed, pct) => {
          const cache = new SchedulerCache();
          const alloc = nodes.map((n, i) => ({
            name: `n${i}`,
            cpu: n.cpuHalfCores * 500,
            mem: n.memMiB * MiB,
            pods: n.pods,
            cordoned: n.cordoned,
          }));
          for (const [i, n] of nodes.entries()) {
            cache.updateNode(
              makeNode({
                name: `n${i}`,
                zone: n.zone,
                cpu: `${n.cpuHalfCores * 500}m`,
                memory: `${n.memMiB}Mi`,
                pods: String(n.pods),
                unschedulable: n.cordoned,
              }),
            );
          }
          const placed: { pod: PodObject; node: string }[] = [];
          const rng = new Rng(seed);
          const state = { nextStartNodeIndex: 0 };
          steps.forEach((step, i) => {
            const p = step.pod;
            const pod = makePod({
              name: `p${i}`,
              labels: { app: p.app },
              ...(p.owned ? { replicaSet: `${p.app}-rs` } : {}),
              ...(p.cpuMilli !== undefined ? { cpu: `${p.cpuMilli}m` } : {}),
              ...(p.memMiB !== undefined ? { memory: `${p.memMiB}Mi` } : {}),
            });
            const r = schedulePod(pod, cache, { rng, state, percentageOfNodesToScore: pct });
            const info = podInfo(pod);
            // Independent fit check against the pods placed so far.
            const fits = alloc.filter((a) => {
              if (a.cordoned) return false;
              const on = placed.filter((x) => x.node === a.name).map((x) => podInfo(x.pod));
              const cpu = on.reduce((s, x) => s + x.milliCPU, 0);
              const mem = on.reduce((s, x) => s + x.memory, 0);
              return (
                on.length + 1 <= a.pods &&
                (info.milliCPU === 0 || cpu + info.milliCPU <= a.cpu) &&
                (info.memory === 0 || mem + info.memory <= a.mem)
              );
            });
            if (r.nodeName) {
              expect(fits.map((a) => a.name)).toContain(r.nodeName);
              cache.assumePod(pod, r.nodeName);
              placed.push({ pod, node: r.nodeName });
            } else {
              expect(fits).toEqual([]);
              expect(r.message).toMatch(/^0\/\d+ nodes are available: /);
            }
            if (step.deleteIndex !== undefined && placed.length > 0) {
              const [gone] = placed.splice(step.deleteIndex % placed.length, 1);
              cache.removePod(gone!.pod);
            }
          });
          for (const a of alloc) {
            const on = placed.filter((x) => x.node === a.name).map((x) => podInfo(x.pod));
            expect(on.length).toBeLessThanOrEqual(a.pods);
            expect(on.reduce((s, x) => s + x.milliCPU, 0)).toBeLessThanOrEqual(a.cpu);
            expect(on.reduce((s, x) => s + x.memory, 0)).toBeLessThanOrEqual(a.mem);
            // The cache's incremental aggregates equal a recount.
            const view = cache.nodeInfo(a.name)!;
            expect(view.podCount).toBe(on.length);
            expect(view.requested.milliCPU).toBe(on.reduce((s, x) => s + x.milliCPU, 0));
            expect(view.nonZeroRequested.memory).toBe(on.reduce((s, x) => s + x.nonZeroMemory, 0));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('property: hard placement rules hold', () => {
  test('required hostname anti-affinity never puts two replicas on one node', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer(),
        (n, replicas, seed) => {
          const cache = new SchedulerCache();
          for (let i = 0; i < n; i++) cache.updateNode(makeNode({ name: `n${i}`, zone: `z${i % 3}` }));
          const rng = new Rng(seed);
          const state = { nextStartNodeIndex: 0 };
          const used = new Set<string>();
          for (let r = 0; r < replicas; r++) {
            const pod = makePod({
              name: `web-${r}`,
              labels: { app: 'web' },
              replicaSet: 'web-rs',
              affinity: {
                podAntiAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: [
                    { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
                  ],
                },
              },
            });
            const res = schedulePod(pod, cache, { rng, state });
            if (r < n) {
              expect(res.nodeName).toBeDefined();
              expect(used.has(res.nodeName!)).toBe(false);
              used.add(res.nodeName!);
              cache.assumePod(pod, res.nodeName!);
            } else {
              expect(res.message).toBe(
                `0/${n} nodes are available: ${n} node(s) didn't match pod anti-affinity rules. ` +
                  `preemption: 0/${n} nodes are available: ${n} No preemption victims found for incoming pod.`,
              );
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  test('zone DoNotSchedule maxSkew 1 keeps zone counts within 1 of each other', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 12 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer(),
        (n, replicas, seed) => {
          const cache = new SchedulerCache();
          for (let i = 0; i < n; i++) cache.updateNode(makeNode({ name: `n${i}`, zone: `z${i % 3}` }));
          const rng = new Rng(seed);
          const state = { nextStartNodeIndex: 0 };
          const perZone = [0, 0, 0];
          for (let r = 0; r < replicas; r++) {
            const pod = makePod({
              name: `web-${r}`,
              labels: { app: 'web' },
              topologySpreadConstraints: [
                {
                  maxSkew: 1,
                  topologyKey: 'topology.kubernetes.io/zone',
                  whenUnsatisfiable: 'DoNotSchedule',
                  labelSelector: { matchLabels: { app: 'web' } },
                },
              ],
            });
            const res = schedulePod(pod, cache, { rng, state });
            expect(res.nodeName).toBeDefined();
            cache.assumePod(pod, res.nodeName!);
            perZone[Number(res.nodeName!.slice(1)) % 3]!++;
            expect(Math.max(...perZone) - Math.min(...perZone)).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
