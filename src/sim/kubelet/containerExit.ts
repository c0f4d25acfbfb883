import type { ContainerStatus, PodObject } from '../api/types';
import { rfc3339 } from '../kernel/time';
import {
  type CapturedRun,
  type ContainerRun,
  containerExit,
  containerKey,
  readsTerminal,
} from './containerOutput';

/**
 * When a pod whose restartPolicy is Never or OnFailure has a container that runs to its end:
 * the exit is computed from what the container runs (containerOutput.ts), so a `sh -c 'echo hi'`
 * Job pod ends ~2 ms after it starts with exit code 0, and `exit 3` fails with 3.
 */
export function plannedExit(
  pod: PodObject,
  seed: number,
  nodeCpus: number,
  podIp: string,
  startMs: number,
  attempt: number,
  captured?: CapturedRun,
): { exitCode: number; afterMs: number } | undefined {
  const c = pod.spec.containers[0];
  if (!c || readsTerminal(c)) return undefined;
  const env = (c as { env?: ContainerRun['env'] }).env;
  return containerExit({
    image: c.image,
    ...(c.command ? { command: c.command } : {}),
    ...(c.args ? { args: c.args } : {}),
    ...(env ? { env } : {}),
    podName: pod.metadata.name,
    podIp,
    nodeCpus,
    key: containerKey(seed, pod.metadata.uid ?? '', c.name, attempt),
    startMs,
    ...(captured ? { captured } : {}),
  });
}

/** The container statuses of a container that ended: terminated with Completed (0) or Error. */
export function terminatedStatuses(
  pod: PodObject,
  exitCode: number,
  startedMs: number,
  finishedMs: number,
): ContainerStatus[] {
  const running = pod.status?.containerStatuses ?? [];
  return running.map((s) => ({
    ...s,
    ready: false,
    started: false,
    state: {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        startedAt: s.state.running?.startedAt ?? rfc3339(startedMs),
        finishedAt: rfc3339(finishedMs),
        ...(s.containerID ? { containerID: s.containerID } : {}),
      },
    },
  }));
}
