import type { Endpoint } from '../network/network';
import type { HostSpec } from '../topology/scenarios';

/** A machine in the simulation. `up` flips on crash/restart; `boots` counts starts (for fresh RNG streams). */
export class Host implements Endpoint {
  up = true;
  boots = 1;
  /** Container images on this machine's disk: pulled once, kept across restarts. */
  readonly imageCache = new Set<string>();

  constructor(readonly spec: HostSpec) {}

  get name(): string {
    return this.spec.name;
  }

  get zone(): string {
    return this.spec.zone;
  }

  get isControlPlane(): boolean {
    return this.spec.role === 'control-plane';
  }
}

/** The world outside the zones: the user's laptop and the API load balancer. Always up, reaches every zone. */
export const OUTSIDE: Endpoint = { name: 'outside', zone: null, up: true };
