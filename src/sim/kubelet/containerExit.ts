import type { Container, PodObject } from '../api/types';
import {
  type CapturedRun,
  type ContainerRun,
  containerExit,
  containerKey,
  readsTerminal,
} from './containerOutput';

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
  const env = (c as { env?: ContainerRun['env'] }).env;
  return containerExit({
    image: c.image,
    ...(c.command ? { command: c.command } : {}),
    ...(c.args ? { args: c.args } : {}),
    ...(env ? { env } : {}),
    podName: pod.metadata.name,
    ...(pod.metadata.namespace ? { namespace: pod.metadata.namespace } : {}),
    podIp,
    nodeCpus,
    key: containerKey(seed, pod.metadata.uid ?? '', c.name, attempt),
    startMs,
    ...(captured ? { captured } : {}),
  });
}
