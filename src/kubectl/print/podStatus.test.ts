import { describe, expect, it } from 'vitest';
import {
  formatLabelSelector,
  labelSelectorString,
  type PodView,
  podSummary,
  toTable,
} from '../../sim/api/table';
import type { KubeObject } from '../../sim/api/types';

/**
 * The server-side printers kubectl shows: printPod's READY / STATUS / RESTARTS rules (checked
 * against a real kubectl v1.32.4 over hand-made pods with compareWithRealKubectl.ts), and the
 * Deployment and ReplicaSet rows.
 */

// Simulated time 30 s after the epoch (2026-11-25T09:00:00Z).
const NOW = 30_000;
const T_112S_AGO = '2026-11-25T08:58:38Z';

type Status = NonNullable<PodView['status']>;
type ContainerStatus = NonNullable<Status['containerStatuses']>[number];

function pod(
  status: Status,
  spec: PodView['spec'] = {},
  metadata: Partial<PodView['metadata']> = {},
): PodView {
  return {
    metadata: { name: 'p', creationTimestamp: '2026-11-25T09:00:00Z', ...metadata },
    spec: { containers: [{}], ...spec },
    status,
  };
}

function cs(state: ContainerStatus['state'], extra: Partial<ContainerStatus> = {}): ContainerStatus {
  return { name: 'app', ready: false, restartCount: 0, state, ...extra };
}

const running = { running: { startedAt: '2026-11-25T09:00:05Z' } };
const terminated = (exitCode: number, reason?: string, signal?: number) => ({
  terminated: {
    exitCode,
    ...(reason ? { reason } : {}),
    ...(signal ? { signal } : {}),
    finishedAt: T_112S_AGO,
  },
});

describe('pod STATUS, READY and RESTARTS (printPod)', () => {
  const cases: [string, PodView, string, string, string][] = [
    ['no status yet', pod({ phase: 'Pending' }), '0/1', 'Pending', '0'],
    [
      'creating',
      pod({ phase: 'Pending', containerStatuses: [cs({ waiting: { reason: 'ContainerCreating' } })] }),
      '0/1',
      'ContainerCreating',
      '0',
    ],
    [
      'running and ready',
      pod({ phase: 'Running', containerStatuses: [cs(running, { ready: true })] }),
      '1/1',
      'Running',
      '0',
    ],
    [
      'running, not ready',
      pod({ phase: 'Running', containerStatuses: [cs(running)] }),
      '0/1',
      'Running',
      '0',
    ],
    [
      'crash loop with the age of the last restart',
      pod({
        phase: 'Running',
        containerStatuses: [
          cs(
            { waiting: { reason: 'CrashLoopBackOff' } },
            { restartCount: 5, lastState: terminated(1, 'Error') },
          ),
        ],
      }),
      '0/1',
      'CrashLoopBackOff',
      '5 (112s ago)',
    ],
    [
      'restarts without a last termination time',
      pod({ phase: 'Running', containerStatuses: [cs(running, { ready: true, restartCount: 2 })] }),
      '1/1',
      'Running',
      '2',
    ],
    [
      'image pull back-off',
      pod({ phase: 'Pending', containerStatuses: [cs({ waiting: { reason: 'ImagePullBackOff' } })] }),
      '0/1',
      'ImagePullBackOff',
      '0',
    ],
    [
      'image pull error',
      pod({ phase: 'Pending', containerStatuses: [cs({ waiting: { reason: 'ErrImagePull' } })] }),
      '0/1',
      'ErrImagePull',
      '0',
    ],
    [
      'completed',
      pod({ phase: 'Succeeded', containerStatuses: [cs(terminated(0, 'Completed'))] }),
      '0/1',
      'Completed',
      '0',
    ],
    ['error', pod({ phase: 'Failed', containerStatuses: [cs(terminated(1, 'Error'))] }), '0/1', 'Error', '0'],
    [
      'OOM killed',
      pod({ phase: 'Running', containerStatuses: [cs(terminated(137, 'OOMKilled'))] }),
      '0/1',
      'OOMKilled',
      '0',
    ],
    [
      'exit code without a reason',
      pod({ phase: 'Running', containerStatuses: [cs(terminated(3))] }),
      '0/1',
      'ExitCode:3',
      '0',
    ],
    [
      'signal without a reason',
      pod({ phase: 'Running', containerStatuses: [cs(terminated(137, undefined, 9))] }),
      '0/1',
      'Signal:9',
      '0',
    ],
    [
      'init container running',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [
            { ...cs(running), name: 'i1' },
            { ...cs({ waiting: { reason: 'PodInitializing' } }), name: 'i2' },
          ],
        },
        { initContainers: [{ name: 'i1' }, { name: 'i2' }] },
      ),
      '0/1',
      'Init:0/2',
      '0',
    ],
    [
      'second init container running',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [
            { ...cs(terminated(0, 'Completed')), name: 'i1' },
            { ...cs(running), name: 'i2' },
          ],
        },
        { initContainers: [{ name: 'i1' }, { name: 'i2' }] },
      ),
      '0/1',
      'Init:1/2',
      '0',
    ],
    [
      'init container crash loop',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [
            {
              ...cs(
                { waiting: { reason: 'CrashLoopBackOff' } },
                { restartCount: 3, lastState: terminated(1, 'Error') },
              ),
              name: 'i1',
            },
          ],
        },
        { initContainers: [{ name: 'i1' }] },
      ),
      '0/1',
      'Init:CrashLoopBackOff',
      '3 (112s ago)',
    ],
    [
      'init container failed',
      pod(
        { phase: 'Pending', initContainerStatuses: [{ ...cs(terminated(1, 'Error')), name: 'i1' }] },
        { initContainers: [{ name: 'i1' }] },
      ),
      '0/1',
      'Init:Error',
      '0',
    ],
    [
      'init container exit code',
      pod(
        { phase: 'Pending', initContainerStatuses: [{ ...cs(terminated(2)), name: 'i1' }] },
        { initContainers: [{ name: 'i1' }] },
      ),
      '0/1',
      'Init:ExitCode:2',
      '0',
    ],
    [
      'a started sidecar counts as a container',
      pod(
        {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [
            {
              ...cs(running, {
                ready: true,
                started: true,
                restartCount: 1,
                lastState: terminated(1, 'Error'),
              }),
              name: 's',
            },
          ],
          containerStatuses: [cs(running, { ready: true })],
        },
        { initContainers: [{ name: 's', restartPolicy: 'Always' }] },
      ),
      '2/2',
      'Running',
      '1 (112s ago)',
    ],
    [
      'terminating',
      pod(
        { phase: 'Running', containerStatuses: [cs(running, { ready: true })] },
        {},
        { deletionTimestamp: '2026-11-25T09:01:00Z' },
      ),
      '1/1',
      'Terminating',
      '0',
    ],
    [
      'a finished pod being deleted keeps its status',
      pod(
        { phase: 'Succeeded', containerStatuses: [cs(terminated(0, 'Completed'))] },
        {},
        { deletionTimestamp: '2026-11-25T09:01:00Z' },
      ),
      '0/1',
      'Completed',
      '0',
    ],
    [
      'node lost',
      pod(
        { phase: 'Running', reason: 'NodeLost', containerStatuses: [cs(running, { ready: true })] },
        {},
        { deletionTimestamp: '2026-11-25T09:01:00Z' },
      ),
      '1/1',
      'Unknown',
      '0',
    ],
    ['evicted', pod({ phase: 'Failed', reason: 'Evicted' }), '0/1', 'Evicted', '0'],
    [
      'scheduling gated',
      pod({
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      }),
      '0/1',
      'SchedulingGated',
      '0',
    ],
    [
      'one container completed, one running, not Ready',
      pod(
        {
          phase: 'Running',
          containerStatuses: [
            { ...cs(terminated(0, 'Completed')), name: 'a' },
            { ...cs(running, { ready: true }), name: 'b' },
          ],
        },
        { containers: [{}, {}] },
      ),
      '1/2',
      'NotReady',
      '0',
    ],
    [
      'one container completed, one running, Ready',
      pod(
        {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: [
            { ...cs(terminated(0, 'Completed')), name: 'a' },
            { ...cs(running, { ready: true }), name: 'b' },
          ],
        },
        { containers: [{}, {}] },
      ),
      '1/2',
      'Running',
      '0',
    ],
    [
      'the first container has the last word',
      pod(
        {
          phase: 'Running',
          containerStatuses: [
            { ...cs({ waiting: { reason: 'CrashLoopBackOff' } }), name: 'a' },
            { ...cs({ waiting: { reason: 'ImagePullBackOff' } }), name: 'b' },
          ],
        },
        { containers: [{}, {}] },
      ),
      '0/2',
      'CrashLoopBackOff',
      '0',
    ],
  ];
  for (const [what, p, ready, status, restarts] of cases) {
    it(what, () => {
      expect(podSummary(p, NOW)).toEqual({ ready, status, restarts });
    });
  }

  it('RESTARTS shows the most recent restart of any container', () => {
    const p = pod(
      {
        phase: 'Running',
        containerStatuses: [
          {
            ...cs(running, {
              ready: true,
              restartCount: 1,
              lastState: { terminated: { exitCode: 1, finishedAt: '2026-11-25T08:50:00Z' } },
            }),
            name: 'a',
          },
          { ...cs(running, { ready: true, restartCount: 4, lastState: terminated(1, 'Error') }), name: 'b' },
        ],
      },
      { containers: [{}, {}] },
    );
    expect(podSummary(p, NOW).restarts).toBe('5 (112s ago)');
  });
});

describe('server-side Table rows', () => {
  it('prints pods with the wide columns', () => {
    const p = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', creationTimestamp: '2026-11-25T08:59:00Z' },
      spec: {
        containers: [{ name: 'nginx', image: 'nginx' }],
        nodeName: 'worker-1',
        readinessGates: [{ conditionType: 'x' }],
      },
      status: {
        phase: 'Running',
        podIP: '10.244.1.5',
        podIPs: [{ ip: '10.244.1.5' }],
        conditions: [{ type: 'x', status: 'True' }],
        containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, state: running }],
      },
    } as unknown as KubeObject;
    const t = toTable('pods', [p], '1', NOW);
    expect(t.columnDefinitions.map((c) => `${c.name}${c.priority ? '*' : ''}`)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP*',
      'Node*',
      'Nominated Node*',
      'Readiness Gates*',
    ]);
    expect(t.rows[0]!.cells).toEqual([
      'web-1',
      '1/1',
      'Running',
      '0',
      '90s',
      '10.244.1.5',
      'worker-1',
      '<none>',
      '1/1',
    ]);
    const bare = { ...p, spec: { containers: [{}] }, status: { phase: 'Pending' } } as unknown as KubeObject;
    expect(toTable('pods', [bare], '1', NOW).rows[0]!.cells.slice(5)).toEqual([
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
  });

  it('prints deployments and replica sets', () => {
    const template = {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'nginx', image: 'nginx:1.27' },
          { name: 'log', image: 'busybox' },
        ],
      },
    };
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', creationTimestamp: '2026-11-25T09:00:00Z' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
      status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 },
    } as unknown as KubeObject;
    const dt = toTable('deployments', [d], '1', NOW);
    expect(dt.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Up-to-date',
      'Available',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ]);
    expect(dt.rows[0]!.cells).toEqual([
      'web',
      '2/3',
      3,
      2,
      '30s',
      'nginx,log',
      'nginx:1.27,busybox',
      'app=web',
    ]);
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-7c5ddbdf54', creationTimestamp: '2026-11-25T09:00:00Z' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web', 'pod-template-hash': '7c5ddbdf54' } },
        template,
      },
      status: { replicas: 3, readyReplicas: 1 },
    } as unknown as KubeObject;
    const rt = toTable('replicasets', [rs], '1', NOW);
    expect(rt.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Desired',
      'Current',
      'Ready',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ]);
    expect(rt.rows[0]!.cells).toEqual([
      'web-7c5ddbdf54',
      3,
      3,
      1,
      '30s',
      'nginx,log',
      'nginx:1.27,busybox',
      'app=web,pod-template-hash=7c5ddbdf54',
    ]);
  });

  it('formats label selectors as apimachinery does', () => {
    const sel = {
      matchLabels: { tier: 'fe', app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In' as const, values: ['prod', 'dev'] },
        { key: 'zone', operator: 'NotIn' as const, values: ['a'] },
        { key: 'gpu', operator: 'Exists' as const },
        { key: 'spot', operator: 'DoesNotExist' as const },
      ],
    };
    expect(labelSelectorString(sel)).toBe('app=web,env in (dev,prod),gpu,!spot,tier=fe,zone notin (a)');
    expect(labelSelectorString({})).toBe('');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector(undefined)).toBe('<none>');
  });
});
