import type { ApiOutcome, ApiRequest } from '../apiserver/request';
import { suspend, type Task } from '../kernel/task';
import type { Endpoint } from '../network/network';

/** How any client reaches the API: through the load balancer, over the simulated network. */
export type ApiTransport = (from: Endpoint, req: ApiRequest, done: (outcome: ApiOutcome) => void) => void;

/**
 * The client library in-sim components and kubectl use (client-go's role). Callback style for
 * components; `call` for generator tasks (kubectl), resumed at the simulated instant of the reply.
 */
export class ApiClient {
  constructor(
    readonly from: Endpoint,
    private readonly transport: ApiTransport,
  ) {}

  request(req: ApiRequest, done: (outcome: ApiOutcome) => void): void {
    this.transport(this.from, req, done);
  }

  *call(req: ApiRequest): Task<ApiOutcome> {
    return yield* suspend<ApiOutcome>((resume) => {
      this.transport(this.from, req, resume);
      return undefined;
    });
  }
}
