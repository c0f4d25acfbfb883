import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LB_CHECK_INTERVAL_MS, LoadBalancer } from '../../src/sim/client/loadBalancer';
import { Host, OUTSIDE } from '../../src/sim/cluster/host';
import { Sim } from '../../src/sim/kernel/sim';
import {
  LATENCY_CROSS_ZONE_MS,
  LATENCY_EXTERNAL_MS,
  LATENCY_SAME_HOST_MS,
  LATENCY_SAME_ZONE_MS,
  Network,
} from '../../src/sim/network/network';
import type { HostSpec } from '../../src/sim/topology/scenarios';

interface TestEndpoint {
  name: string;
  zone: string | null;
  up: boolean;
}

const ep = (name: string, zone: string | null): TestEndpoint => ({ name, zone, up: true });

function setup(seed = 1) {
  const sim = new Sim(seed);
  const net = new Network(sim);
  const a1 = ep('a1', 'zone-a');
  const a2 = ep('a2', 'zone-a');
  const b1 = ep('b1', 'zone-b');
  const c1 = ep('c1', 'zone-c');
  return { sim, net, a1, a2, b1, c1 };
}

/** Sends one message and runs the clock; reports whether it arrived and after how long. */
function deliver(
  s: ReturnType<typeof setup>,
  from: TestEndpoint,
  to: TestEndpoint,
): { arrived: boolean; dropped: boolean; latencyMs: number | undefined } {
  let arrived = false;
  let dropped = false;
  let at = -1;
  const start = s.sim.nowMs;
  s.net.send(
    from,
    to,
    () => {
      arrived = true;
      at = s.sim.nowMs;
    },
    () => {
      dropped = true;
    },
  );
  s.sim.runUntil(start + 100);
  return { arrived, dropped, latencyMs: arrived ? at - start : undefined };
}

describe('Network latency', () => {
  it('is a fixed tiny delay on the same host', () => {
    const s = setup();
    expect(s.net.latencyMs(s.a1, s.a1)).toBe(LATENCY_SAME_HOST_MS);
  });

  it.each([
    ['inside a zone', 'a1', 'a2', LATENCY_SAME_ZONE_MS],
    ['across zones', 'a1', 'b1', LATENCY_CROSS_ZONE_MS],
    ['from outside', 'outside', 'b1', LATENCY_EXTERNAL_MS],
  ] as const)('%s stays within base … base + jitter and varies', (_what, from, to, range) => {
    const s = setup();
    const eps: Record<string, TestEndpoint> = { ...s, outside: ep('outside', null) } as never;
    const samples = Array.from({ length: 500 }, () => s.net.latencyMs(eps[from]!, eps[to]!));
    for (const l of samples) {
      expect(l).toBeGreaterThanOrEqual(range.base);
      expect(l).toBeLessThan(range.base + range.jitter);
    }
    expect(new Set(samples).size).toBeGreaterThan(400);
  });

  it('orders the classes: same zone is faster than across zones', () => {
    expect(LATENCY_SAME_ZONE_MS.base + LATENCY_SAME_ZONE_MS.jitter).toBeLessThanOrEqual(
      LATENCY_CROSS_ZONE_MS.base,
    );
  });

  it('delivers a message after exactly the latency it reported', () => {
    const s = setup();
    let arrivedAt = -1;
    const eta = s.net.send(s.a1, s.b1, () => {
      arrivedAt = s.sim.nowMs;
    });
    s.sim.runUntil(100);
    expect(eta).toBeDefined();
    expect(arrivedAt).toBe(eta);
    expect(arrivedAt).toBeGreaterThanOrEqual(LATENCY_CROSS_ZONE_MS.base);
  });
});

describe('Network partitions', () => {
  it('cuts the partitioned zones off from the others, both ways', () => {
    const s = setup();
    s.net.partition(['zone-a']);
    expect(s.net.connected(s.a1, s.b1)).toBe(false);
    expect(s.net.connected(s.b1, s.a1)).toBe(false);
    expect(deliver(s, s.a1, s.b1)).toMatchObject({ arrived: false, dropped: true });
    expect(deliver(s, s.c1, s.a1)).toMatchObject({ arrived: false, dropped: true });
  });

  it('keeps zones on the same side of a cut connected', () => {
    const s = setup();
    s.net.partition(['zone-a']);
    expect(deliver(s, s.a1, s.a2).arrived).toBe(true);
    expect(deliver(s, s.b1, s.c1).arrived).toBe(true);
    s.net.heal();
    s.net.partition(['zone-a', 'zone-b']);
    expect(deliver(s, s.a1, s.b1).arrived).toBe(true);
    expect(deliver(s, s.b1, s.c1).arrived).toBe(false);
  });

  it('combines cuts: two single-zone cuts isolate all three zones from each other', () => {
    const s = setup();
    s.net.partition(['zone-a']);
    s.net.partition(['zone-b']);
    expect(s.net.connected(s.a1, s.b1)).toBe(false);
    expect(s.net.connected(s.b1, s.c1)).toBe(false);
    expect(s.net.connected(s.a1, s.c1)).toBe(false);
    expect(s.net.activeCuts()).toEqual([['zone-a'], ['zone-b']]);
  });

  it('never cuts the outside world (the user and the load balancer) off from a zone', () => {
    const s = setup();
    const outside = ep('outside', null);
    s.net.partition(['zone-a']);
    expect(deliver(s, outside, s.a1).arrived).toBe(true);
    expect(deliver(s, s.b1, outside).arrived).toBe(true);
  });

  it('drops a message in flight when a cut appears before it arrives', () => {
    const s = setup();
    let arrived = false;
    let dropped = false;
    s.net.send(
      s.a1,
      s.b1,
      () => {
        arrived = true;
      },
      () => {
        dropped = true;
      },
    );
    s.net.partition(['zone-b']);
    s.sim.runUntil(100);
    expect(arrived).toBe(false);
    expect(dropped).toBe(true);
  });

  it('heal removes every cut', () => {
    const s = setup();
    s.net.partition(['zone-a']);
    s.net.partition(['zone-c']);
    s.net.heal();
    expect(s.net.activeCuts()).toEqual([]);
    expect(deliver(s, s.a1, s.b1).arrived).toBe(true);
    expect(deliver(s, s.c1, s.a1).arrived).toBe(true);
  });
});

describe('Network and down endpoints', () => {
  it('drops at once what a down sender sends', () => {
    const s = setup();
    s.a1.up = false;
    let dropped = false;
    const eta = s.net.send(
      s.a1,
      s.b1,
      () => {},
      () => {
        dropped = true;
      },
    );
    expect(eta).toBeUndefined();
    expect(dropped).toBe(true);
  });

  it('drops a message to a receiver that is down on arrival', () => {
    const s = setup();
    s.b1.up = false;
    expect(deliver(s, s.a1, s.b1)).toMatchObject({ arrived: false, dropped: true });
  });

  it('drops a message when the receiver crashes while it is in flight', () => {
    const s = setup();
    let arrived = false;
    s.net.send(s.a1, s.b1, () => {
      arrived = true;
    });
    s.b1.up = false;
    s.sim.runUntil(100);
    expect(arrived).toBe(false);
  });

  it('delivers to a receiver that restarted while the message was in flight (it is checked on arrival)', () => {
    const s = setup();
    let arrived = false;
    s.net.send(s.a1, s.b1, () => {
      arrived = true;
    });
    s.b1.up = false;
    s.b1.up = true;
    s.sim.runUntil(100);
    expect(arrived).toBe(true);
  });
});

describe('Network links', () => {
  /** Sends `count` messages a1 → b1 at once; returns their arrival order and times. */
  function burst(s: ReturnType<typeof setup>, count: number, onArrive?: (i: number) => void) {
    const order: number[] = [];
    const times: number[] = [];
    const etas: (number | undefined)[] = [];
    for (let i = 0; i < count; i++) {
      etas.push(
        s.net.send(s.a1, s.b1, () => {
          order.push(i);
          times.push(s.sim.nowMs);
          onArrive?.(i);
        }),
      );
    }
    return { order, times, etas };
  }

  it('delivers the messages of one link in the order sent, each at the time it reported', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 60 }), (seed, count) => {
        const s = setup(seed);
        const { order, times, etas } = burst(s, count);
        s.sim.runUntil(100);
        expect(order).toEqual(Array.from({ length: count }, (_, i) => i));
        expect(times).toEqual(etas);
      }),
    );
  });

  it('drops the rest of a batch that arrives together once the receiver crashes midway', () => {
    const s = setup(3);
    let dropped = 0;
    const sent = 40;
    const arrived: number[] = [];
    for (let i = 0; i < sent; i++) {
      s.net.send(
        s.a1,
        s.b1,
        () => {
          arrived.push(i);
          if (arrived.length === 3) s.b1.up = false;
        },
        () => dropped++,
      );
    }
    s.sim.runUntil(100);
    expect(arrived).toEqual([0, 1, 2]);
    expect(dropped).toBe(sent - 3);
    // Messages held back behind an earlier one arrive with it, in one event.
    expect(s.sim.eventsRun).toBeLessThan(sent / 4);
  });
});

describe('LoadBalancer', () => {
  const spec = (name: string, zone: string): HostSpec => ({
    name,
    zone,
    role: 'control-plane',
    ip: '10.0.0.2',
    cpuCores: 2,
    memoryMi: 4096,
  });

  function lbSetup() {
    const sim = new Sim(1);
    const net = new Network(sim);
    const hosts = [new Host(spec('cp-1', 'zone-a')), new Host(spec('cp-2', 'zone-b'))];
    const ready = new Map(hosts.map((h) => [h.name, true]));
    const lb = new LoadBalancer(hosts, net, (h) => ready.get(h.name) ?? false, sim);
    sim.runUntil(0);
    return { sim, net, hosts, ready, lb };
  }

  it('marks ready backends healthy at the first check and spreads requests over them', () => {
    const { lb } = lbSetup();
    expect(lb.healthyHosts()).toEqual(['cp-1', 'cp-2']);
    const picks = new Set(Array.from({ length: 10 }, () => lb.pick(OUTSIDE)?.name));
    expect(picks).toEqual(new Set(['cp-1', 'cp-2']));
  });

  it('takes an unready backend out only after two failed checks (fall 2)', () => {
    const { sim, ready, lb } = lbSetup();
    ready.set('cp-1', false);
    sim.runUntil(LB_CHECK_INTERVAL_MS);
    expect(lb.healthyHosts()).toEqual(['cp-1', 'cp-2']);
    sim.runUntil(2 * LB_CHECK_INTERVAL_MS);
    expect(lb.healthyHosts()).toEqual(['cp-2']);
    for (let i = 0; i < 6; i++) expect(lb.pick(OUTSIDE)?.name).toBe('cp-2');
    ready.set('cp-1', true);
    sim.runUntil(3 * LB_CHECK_INTERVAL_MS);
    expect(lb.healthyHosts()).toEqual(['cp-1', 'cp-2']);
  });

  it('never sends to a dead host, even before the health check notices', () => {
    const { hosts, lb } = lbSetup();
    hosts[0]!.up = false;
    for (let i = 0; i < 6; i++) expect(lb.pick(OUTSIDE)?.name).toBe('cp-2');
  });

  it('fails open to a live backend when none is healthy, and refuses when none is up', () => {
    const { sim, hosts, ready, lb } = lbSetup();
    ready.set('cp-1', false);
    ready.set('cp-2', false);
    sim.runUntil(3 * LB_CHECK_INTERVAL_MS);
    expect(lb.healthyHosts()).toEqual([]);
    hosts[0]!.up = false;
    expect(lb.pick(OUTSIDE)?.name).toBe('cp-2');
    hosts[1]!.up = false;
    expect(lb.pick(OUTSIDE)).toBeUndefined();
  });

  it('offers a caller inside a cut zone only the API servers it can reach', () => {
    const { net, lb } = lbSetup();
    const kubelet = { name: 'worker-1', zone: 'zone-a', up: true };
    net.partition(['zone-a']);
    for (let i = 0; i < 6; i++) expect(lb.pick(kubelet)?.name).toBe('cp-1');
    expect(new Set(Array.from({ length: 6 }, () => lb.pick(OUTSIDE)?.name)).size).toBe(2);
  });
});
