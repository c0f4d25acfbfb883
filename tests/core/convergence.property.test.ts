import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PodObject } from '../../src/sim/api/types';
import { Cluster } from '../../src/sim/cluster/cluster';
import { warmUp } from '../../src/sim/warmUp';

const WORKERS = ['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5', 'worker-6'];
/** How long after the last fault heals every Deployment must be back at its desired replicas. */
const CONVERGENCE_BOUND_MS = 3 * 60_000;

type Fault = { kind: 'kill' | 'start'; worker: number; afterMs: number };

function createDeployment(c: Cluster, name: string, replicas: number): void {
  let done = false;
  c.outsideClient().request(
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
            spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
          },
        },
      } as never,
    },
    () => {
      done = true;
    },
  );
  c.sim.runUntilDone(() => done, c.sim.nowMs + 20_000);
}

/** Ready pods per Deployment (by label), as etcd has them, excluding pods being deleted. */
function readyPods(c: Cluster, app: string): number {
  const store = c.etcdMember('cp-1')?.store ?? c.etcdMember('cp-2')!.store;
  return store
    .range('/registry/pods/default/', true)
    .kvs.map((kv) => kv.value as PodObject)
    .filter(
      (p) =>
        p.metadata.labels?.app === app &&
        !p.metadata.deletionTimestamp &&
        p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'),
    ).length;
}

describe('workloads converge once faults heal (property)', () => {
  it('after random worker crashes and restarts, every Deployment gets back to its desired Ready replicas', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(
          fc.record({
            kind: fc.constantFrom<'kill' | 'start'>('kill', 'start'),
            worker: fc.integer({ min: 0, max: WORKERS.length - 1 }),
            afterMs: fc.integer({ min: 0, max: 420_000 }),
          }),
          { maxLength: 6 },
        ),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        (seed, faults: Fault[], webReplicas, apiReplicas) => {
          const c = new Cluster('ha', seed);
          warmUp(c);
          createDeployment(c, 'web', webReplicas);
          createDeployment(c, 'api', apiReplicas);
          for (const f of faults) {
            c.sim.runUntil(c.sim.nowMs + f.afterMs);
            const name = WORKERS[f.worker] as string;
            if (f.kind === 'kill') c.killHost(name);
            else c.startHost(name);
          }
          // Heal: every worker back up. Controllers, scheduler and kubelets must converge in bounded time.
          for (const w of WORKERS) c.startHost(w);
          const healedAt = c.sim.nowMs;
          const converged = () => readyPods(c, 'web') === webReplicas && readyPods(c, 'api') === apiReplicas;
          while (!converged() && c.sim.nowMs - healedAt < CONVERGENCE_BOUND_MS)
            c.sim.runUntil(Math.min(c.sim.nowMs + 5_000, healedAt + CONVERGENCE_BOUND_MS));
          expect({ web: readyPods(c, 'web'), api: readyPods(c, 'api') }).toEqual({
            web: webReplicas,
            api: apiReplicas,
          });
        },
      ),
      { numRuns: 25, seed: 20261125 },
    );
  });
});
