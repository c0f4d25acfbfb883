import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Affinity, PodObject, TopologySpreadConstraint } from '../api/types';
import { Rng } from '../kernel/rng';
import { SchedulerCache } from './cache';
import { makeNode, makePod } from './fixtures';
import { schedulePod } from './schedule';

/**
 * The cycle has shortcuts that skip work when no record is asked for (per-node score memo across
 * cycles, uniform scores added once, fused normalise-and-add, best total tracked in the last pass).
 * They must not change a single decision: run the same random workload with and without the record
 * and compare every choice, every winning total and every message.
 */
const MiB = 1024 * 1024;
const kinds = [
  'bare',
  'rs',
  'rs2',
  'spreadHard',
  'spreadSoft',
  'anti',
  'prefAff',
  'nodeAff',
  'big',
  'image',
] as const;

function podOf(kind: (typeof kinds)[number], i: number): PodObject {
  const name = `${kind}-${i}`;
  switch (kind) {
    case 'bare':
      return makePod({ name, cpu: '100m', memory: '128Mi' });
    case 'rs':
      return makePod({ name, labels: { app: 'web' }, replicaSet: 'web-1', cpu: '250m', memory: '256Mi' });
    case 'rs2':
      return makePod({ name, labels: { app: 'api' }, replicaSet: 'api-1' });
    case 'spreadHard':
    case 'spreadSoft': {
      const c: TopologySpreadConstraint = {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: kind === 'spreadHard' ? 'DoNotSchedule' : 'ScheduleAnyway',
        labelSelector: { matchLabels: { app: kind } },
      };
      return makePod({ name, labels: { app: kind }, topologySpreadConstraints: [c], cpu: '200m' });
    }
    case 'anti': {
      const affinity: Affinity = {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: 'anti' } }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      };
      return makePod({ name, labels: { app: 'anti' }, replicaSet: 'anti-1', affinity, cpu: '100m' });
    }
    case 'prefAff': {
      const affinity: Affinity = {
        podAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 40,
              podAffinityTerm: {
                labelSelector: { matchLabels: { app: 'web' } },
                topologyKey: 'topology.kubernetes.io/zone',
              },
            },
          ],
        },
      };
      return makePod({ name, labels: { app: 'cache' }, affinity, memory: '512Mi' });
    }
    case 'nodeAff': {
      const affinity: Affinity = {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 7,
              preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] },
            },
          ],
        },
      };
      return makePod({ name, affinity, cpu: '300m' });
    }
    case 'big':
      return makePod({ name, cpu: '1500m', memory: '3Gi' });
    case 'image':
      return makePod({ name, image: 'postgres:16', cpu: '100m' });
  }
}

const eventArb = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('pod' as const), kind: fc.constantFrom(...kinds) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('delete' as const), index: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('node' as const),
      index: fc.nat(),
      cpu: fc.constantFrom('2', '4', '8'),
      cordon: fc.boolean(),
    }),
  },
);

describe('record mode and fast mode make the same decisions', () => {
  test('random clusters and workloads', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 140 }),
        fc.array(eventArb, { minLength: 1, maxLength: 80 }),
        fc.integer(),
        fc.constantFrom(0, 50, 100),
        (numNodes, events, seed, pct) => {
          const node = (i: number, cpu = '4', cordon = false) =>
            makeNode({
              name: `n${i}`,
              zone: `z${i % 3}`,
              cpu,
              memory: `${4096 + (i % 4) * 1024}Mi`,
              pods: '20',
              unschedulable: cordon,
              labels: i % 5 === 0 ? { disk: 'ssd' } : {},
              taints: i % 7 === 3 ? [{ key: 'soft', effect: 'PreferNoSchedule' }] : [],
              images: i % 4 === 1 ? [{ names: ['postgres:16'], sizeBytes: 400 * MiB }] : [],
            });
          const a = new SchedulerCache();
          const b = new SchedulerCache();
          for (let i = 0; i < numNodes; i++) {
            a.updateNode(node(i));
            b.updateNode(node(i));
          }
          const ra = {
            rng: new Rng(seed),
            state: { nextStartNodeIndex: 0 },
            percentageOfNodesToScore: pct,
            record: true,
          };
          const rb = { rng: new Rng(seed), state: { nextStartNodeIndex: 0 }, percentageOfNodesToScore: pct };
          const placed: PodObject[] = [];
          events.forEach((e, i) => {
            if (e.t === 'pod') {
              const pod = podOf(e.kind, i);
              const x = schedulePod(pod, a, ra);
              const y = schedulePod(pod, b, rb);
              expect(y.nodeName).toBe(x.nodeName);
              expect(y.message).toBe(x.message);
              expect(y.attempt.score).toBe(x.attempt.score);
              expect(rb.state.nextStartNodeIndex).toBe(ra.state.nextStartNodeIndex);
              if (x.nodeName) {
                a.assumePod(pod, x.nodeName);
                b.assumePod(pod, x.nodeName);
                placed.push(pod);
              }
            } else if (e.t === 'delete' && placed.length > 0) {
              const [gone] = placed.splice(e.index % placed.length, 1);
              a.removePod(gone!);
              b.removePod(gone!);
            } else if (e.t === 'node') {
              const n = node(e.index % numNodes, e.cpu, e.cordon);
              a.updateNode(n);
              b.updateNode(n);
            }
          });
          // Both RNGs drew the same numbers.
          expect(rb.rng.int(0, 1 << 30)).toBe(ra.rng.int(0, 1 << 30));
        },
      ),
      { numRuns: 150 },
    );
  });
});
