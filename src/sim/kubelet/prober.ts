import type { Container, Probe } from '../api/types';

/**
 * The kubelet's prober, as numbers and words: probe defaults, which probes a container has, and
 * what a failed probe's event says. The workers themselves run in the pod runtime (podRuntime.ts),
 * and a probe is carried out by whoever knows the network and the container (the cluster).
 */

export type ProbeKind = 'Startup' | 'Liveness' | 'Readiness';

/** What one probe found: success, or failure with the output the kubelet puts in its event. */
export interface ProbeOutcome {
  readonly ok: boolean;
  readonly output: string;
}

/** A probe with the API's defaults filled in (periodSeconds 10, failureThreshold 3…). */
export interface ProbeTiming {
  readonly initialDelayMs: number;
  readonly periodMs: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
}

export function probeTiming(p: Probe): ProbeTiming {
  return {
    initialDelayMs: (p.initialDelaySeconds ?? 0) * 1000,
    periodMs: Math.max(1, p.periodSeconds ?? 10) * 1000,
    successThreshold: Math.max(1, p.successThreshold ?? 1),
    failureThreshold: Math.max(1, p.failureThreshold ?? 3),
  };
}

/** The container's probes, startup first (until it succeeds, the others wait). */
export function probesOf(c: Container): [ProbeKind, Probe][] {
  const out: [ProbeKind, Probe][] = [];
  if (c.startupProbe) out.push(['Startup', c.startupProbe]);
  if (c.livenessProbe) out.push(['Liveness', c.livenessProbe]);
  if (c.readinessProbe) out.push(['Readiness', c.readinessProbe]);
  return out;
}

/** The Warning Unhealthy event of a failed probe (kubelet: "%s probe failed: %s"). */
export function probeFailedMessage(kind: ProbeKind, output: string): string {
  return `${kind} probe failed: ${output.replace(/\s+$/, '')}`;
}

/** The Killing event when a liveness or startup probe gives up on a container. */
export function probeKillMessage(kind: ProbeKind, container: string): string {
  return `Container ${container} failed ${kind.toLowerCase()} probe, will be restarted`;
}

/** A port as a probe names it: a number, or the name of one of the container's ports. */
export function probePort(c: Container, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}
