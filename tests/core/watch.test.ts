import { describe, expect, it } from 'vitest';
import type { ApiOutcome, ApiWatchEvent } from '../../src/sim/apiserver/request';
import { Cluster } from '../../src/sim/cluster/cluster';
import { warmUp } from '../../src/sim/warmUp';

function setup() {
  const c = new Cluster('ha', 9);
  warmUp(c);
  const events: string[] = [];
  let ended: ApiOutcome | undefined;
  const abort = { aborted: false };
  const cp1 = c.host('cp-1')!;
  c.localClient(cp1).request(
    {
      verb: 'watch',
      resource: 'namespaces',
      labelSelector: 'team',
      abort,
      onWatchEvent: (e: ApiWatchEvent) =>
        events.push(`${e.type} ${e.object.metadata.name} rv=${e.object.metadata.resourceVersion}`),
    },
    (o) => {
      ended = o;
    },
  );
  c.sim.runUntil(c.sim.nowMs + 10); // the watch request reaches cp-1's API server
  const client = c.outsideClient();
  const call = (req: Parameters<typeof client.request>[0]) => {
    let res: ApiOutcome | undefined;
    client.request(req, (r) => {
      res = r;
    });
    c.sim.runUntilDone(() => res !== undefined, c.sim.nowMs + 20_000);
    c.sim.runUntil(c.sim.nowMs + 100);
    return res!;
  };
  return { c, events, abort, call, ended: () => ended };
}

const ns = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
});

describe('watch', () => {
  it('streams ADDED, MODIFIED and DELETED for matching objects only', () => {
    const { events, call } = setup();
    call({ verb: 'create', resource: 'namespaces', body: ns('blue', { team: 'a' }) as never });
    call({ verb: 'create', resource: 'namespaces', body: ns('unlabelled') as never });
    call({
      verb: 'patch',
      resource: 'namespaces',
      name: 'blue',
      patch: { metadata: { labels: { tier: 'x' } } },
    });
    call({ verb: 'delete', resource: 'namespaces', name: 'blue' });
    expect(events.map((e) => e.replace(/ rv=\d+/, ''))).toEqual([
      'ADDED blue',
      'MODIFIED blue',
      'DELETED blue',
    ]);
    const rvs = events.map((e) => Number(e.split('rv=')[1]));
    expect(rvs[0]! < rvs[1]! && rvs[1]! < rvs[2]!).toBe(true);
  });

  it('ends with EOF when the API server serving it dies', () => {
    const { c, ended } = setup();
    c.killHost('cp-1');
    c.sim.runUntil(c.sim.nowMs + 100);
    expect(ended()).toEqual({ transport: 'eof' });
  });

  it('stops when the client aborts', () => {
    const { events, abort, call, ended } = setup();
    abort.aborted = true;
    call({ verb: 'create', resource: 'namespaces', body: ns('late', { team: 'b' }) as never });
    expect(events).toEqual([]);
    expect(ended()).toMatchObject({ code: 200 });
  });
});
