import { describe, expect, it } from 'vitest';
import { goDuration } from '../api/duration';
import type { Container, PodObject, Status } from '../api/types';
import type { ApiOutcome, ApiRequest, ApiResponse } from '../apiserver/request';
import { Cluster } from '../cluster/cluster';
import { METRICS_RESOLUTION_MS } from '../kubelet/resourceUsage';
import { cpuQuantity, memoryQuantity, type NodeMetrics, type PodMetrics } from './metricsServer';

/**
 * metrics.k8s.io as metrics-server serves it: computed from what the kubelets run when asked,
 * in 15 s windows, a full window after a container (or kubelet) starts.
 */

function boot(): Cluster {
  const c = new Cluster('ha', 1);
  c.sim.runUntil(30_000);
  return c;
}

function call(c: Cluster, req: ApiRequest): ApiResponse {
  let out: ApiOutcome | undefined;
  c.outsideClient().request(req, (o) => {
    out = o;
  });
  c.sim.runUntilDone(() => out !== undefined, c.sim.nowMs + 60_000);
  if (!out || 'transport' in out) throw new Error('no response');
  return out;
}

function createPod(c: Cluster, name: string, containers: Container[]): void {
  const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers } } as PodObject;
  expect(call(c, { verb: 'create', resource: 'pods', namespace: 'default', body }).code).toBe(201);
}

const nodeMetrics = (c: Cluster): NodeMetrics[] =>
  (call(c, { verb: 'list', resource: 'nodes.metrics.k8s.io' }).body as { items: NodeMetrics[] }).items;
const podMetrics = (c: Cluster): PodMetrics[] =>
  (
    call(c, { verb: 'list', resource: 'pods.metrics.k8s.io', namespace: 'default' }).body as {
      items: PodMetrics[];
    }
  ).items;

/** Runs the clock to just after the next window boundary. */
function nextWindow(c: Cluster): void {
  const next = (Math.floor(c.sim.nowMs / METRICS_RESOLUTION_MS) + 1) * METRICS_RESOLUTION_MS;
  c.sim.runUntil(next + 10);
}

describe('metrics-server', () => {
  it('has every node, with its system overhead, once its kubelet has run a full window', () => {
    const c = boot();
    const nodes = nodeMetrics(c);
    expect(nodes.map((n) => n.metadata.name)).toEqual([
      'cp-1',
      'cp-2',
      'cp-3',
      'worker-1',
      'worker-2',
      'worker-3',
      'worker-4',
      'worker-5',
      'worker-6',
    ]);
    const cp = nodes[0]!;
    expect(cp.usage.cpu).toMatch(/^\d+n$/);
    expect(cp.usage.memory).toMatch(/^\d+Ki$/);
    expect(cp.window).toMatch(/^1[45]\.\d+s$/);
    expect(cp.timestamp).toBe('2026-11-25T09:00:30Z');
    expect(call(c, { verb: 'get', resource: 'nodes.metrics.k8s.io', name: 'worker-9' }).body).toMatchObject({
      reason: 'NotFound',
      message: 'node "worker-9" not found',
    });
    // A new node has no metrics until its kubelet has been up for a full window.
    c.addWorker({ name: 'worker-9', zone: 'zone-a', cpuCores: 4, memoryMi: 8192 });
    c.sim.runUntil(c.sim.nowMs + 3_000);
    expect(call(c, { verb: 'get', resource: 'nodes.metrics.k8s.io', name: 'worker-9' }).body).toMatchObject({
      reason: 'NotFound',
      message: 'nodemetrics.metrics.k8s.io "worker-9" not found',
    });
    c.sim.runUntil(c.sim.nowMs + 2 * METRICS_RESOLUTION_MS);
    expect(call(c, { verb: 'get', resource: 'nodes.metrics.k8s.io', name: 'worker-9' }).code).toBe(200);
  });

  it('a pod has no metrics in its first window, then its containers show up', () => {
    const c = boot();
    createPod(c, 'web', [{ name: 'web', image: 'nginx' }]);
    c.sim.runUntil(c.sim.nowMs + 5_000);
    expect(podMetrics(c)).toEqual([]);
    const missing = call(c, {
      verb: 'get',
      resource: 'pods.metrics.k8s.io',
      namespace: 'default',
      name: 'web',
    });
    expect(missing.code).toBe(404);
    expect((missing.body as Status).message).toBe('podmetrics.metrics.k8s.io "default/web" not found');
    expect(
      (
        call(c, { verb: 'get', resource: 'pods.metrics.k8s.io', namespace: 'default', name: 'nope' })
          .body as Status
      ).message,
    ).toBe('pods "nope" not found');
    c.sim.runUntil(c.sim.nowMs + 2 * METRICS_RESOLUTION_MS);
    const [m] = podMetrics(c);
    expect(m?.metadata.name).toBe('web');
    expect(m?.containers.map((x) => x.name)).toEqual(['web']);
  });

  it('changes once per window and stays put within one; the same seed gives the same numbers', () => {
    const run = (): string[][] => {
      const c = boot();
      const seen: string[][] = [];
      for (let i = 0; i < 3; i++) {
        const a = nodeMetrics(c).map((n) => n.usage.cpu);
        c.sim.runUntil(c.sim.nowMs + 2_000);
        if (
          Math.floor(c.sim.nowMs / METRICS_RESOLUTION_MS) ===
          Math.floor((c.sim.nowMs - 2_000) / METRICS_RESOLUTION_MS)
        )
          expect(nodeMetrics(c).map((n) => n.usage.cpu)).toEqual(a);
        seen.push(a);
        nextWindow(c);
      }
      return seen;
    };
    const a = run();
    expect(a[1]).not.toEqual(a[0]);
    expect(run()).toEqual(a);
  });

  it('leaves out what it cannot scrape: a dead node, crash-looping pods', () => {
    const c = boot();
    createPod(c, 'bb', [{ name: 'bb', image: 'busybox' }]);
    c.sim.runUntil(c.sim.nowMs + 60_000);
    expect(podMetrics(c)).toEqual([]);
    c.killHost('worker-3');
    expect(nodeMetrics(c).map((n) => n.metadata.name)).not.toContain('worker-3');
  });

  it('answers only get and list', () => {
    const c = boot();
    const r = call(c, { verb: 'delete', resource: 'pods.metrics.k8s.io', namespace: 'default', name: 'x' });
    expect(r.code).toBe(405);
    expect((r.body as Status).reason).toBe('MethodNotAllowed');
  });

  it('writes quantities and durations as Go does', () => {
    expect(cpuQuantity(0)).toBe('0');
    expect(cpuQuantity(5_000_000)).toBe('5m');
    expect(cpuQuantity(2_000_000_000)).toBe('2');
    expect(cpuQuantity(12_000)).toBe('12u');
    expect(cpuQuantity(123_456_789)).toBe('123456789n');
    expect(memoryQuantity(3 * 1024 * 1024)).toBe('3Mi');
    expect(memoryQuantity(5236 * 1024)).toBe('5236Ki');
    expect(goDuration(15_012_000_000)).toBe('15.012s');
    expect(goDuration(153_482_118_000)).toBe('2m33.482118s');
    expect(goDuration(3_600_000_000_000)).toBe('1h0m0s');
    expect(goDuration(250_000_000)).toBe('250ms');
  });
});
