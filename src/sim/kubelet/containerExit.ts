import type { Container, PodObject } from '../api/types';
import { type CapturedRun, containerExit, containerRunOf, readsTerminal } from './containerOutput';

/**
 * When a container of a pod runs to its end (and when it ends, whatever its restartPolicy):
 * the exit is computed from what the container runs (containerOutput.ts), so a `sh -c 'echo hi'`
 * Job pod ends ~2 ms after it starts with exit code 0, and `exit 3` fails with 3.
 */
export function plannedExit(
  pod: PodObject,
  c: Container,
  seed: number,
  nodeCpus: number,
  podIp: string,
  startMs: number,
  attempt: number,
  captured?: CapturedRun,
): { exitCode: number; afterMs: number } | undefined {
  if (readsTerminal(c)) return undefined;
  const run = containerRunOf(pod, c, { podIp, nodeCpus, seed, startMs, attempt });
  return containerExit(captured ? { ...run, captured } : run);
}
