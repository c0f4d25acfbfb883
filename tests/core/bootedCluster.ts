import type { ApiOutcome, ApiRequest } from '../../src/sim/apiserver/request';
import { Cluster } from '../../src/sim/cluster/cluster';
import { warmUp } from '../../src/sim/warmUp';

/** An `ha` cluster past warm-up, with a synchronous API client for tests (20 simulated s per call at most). */
export function booted(seed = 1) {
  const c = new Cluster('ha', seed);
  warmUp(c);
  const client = c.outsideClient();
  const call = (req: ApiRequest): ApiOutcome & { code: number; body: never } => {
    let res: ApiOutcome | undefined;
    client.request(req, (r) => {
      res = r;
    });
    c.sim.runUntilDone(() => res !== undefined, c.sim.nowMs + 20_000);
    return res as never;
  };
  const list = <T>(resource: string): T[] =>
    (call({ verb: 'list', resource, namespace: 'default' }).body as { items: T[] }).items;
  const get = <T>(resource: string, name: string): T =>
    call({ verb: 'get', resource, namespace: 'default', name }).body as T;
  return { c, call, list, get, advance: (ms: number) => c.sim.runUntil(c.sim.nowMs + ms) };
}
