import type { DaemonSetObject, KubeObject, PodSpec } from './types';

/**
 * apps/v1 DaemonSet on the API server's side: defaulting (SetDefaults_DaemonSet), its field
 * selectors, and the server-side Table (printDaemonSet).
 */

/** SetDefaults_DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0, 10 revisions kept. */
export function daemonSetWithDefaults(
  ds: DaemonSetObject,
  podSpecDefaults: (spec: PodSpec) => PodSpec,
): DaemonSetObject {
  const template = { ...ds.spec.template, spec: podSpecDefaults(ds.spec.template.spec) };
  const updateStrategy =
    ds.spec.updateStrategy?.type === 'OnDelete'
      ? ds.spec.updateStrategy
      : {
          type: 'RollingUpdate' as const,
          rollingUpdate: { maxSurge: 0, maxUnavailable: 1, ...ds.spec.updateStrategy?.rollingUpdate },
        };
  return {
    ...ds,
    spec: { revisionHistoryLimit: 10, ...ds.spec, updateStrategy, template },
    status: {
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
      ...ds.status,
    },
  };
}

const ds = (o: KubeObject): DaemonSetObject => o as DaemonSetObject;

/** The fields a DaemonSet list can be selected by, beyond metadata.name/namespace. */
export const daemonSetFieldGetters: Record<string, (o: KubeObject) => string> = {
  'status.desiredNumberScheduled': (o) => String(ds(o).status?.desiredNumberScheduled ?? 0),
};

/** printDaemonSet's cells: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE (+ wide). */
export function daemonSetCells(
  o: KubeObject,
  age: string,
  containers: readonly [string, string],
  selector: string,
): (string | number)[] {
  const d = ds(o);
  const nodeSelector = Object.keys(d.spec?.template?.spec?.nodeSelector ?? {})
    .sort()
    .map((k) => `${k}=${d.spec.template.spec.nodeSelector![k]}`)
    .join(',');
  return [
    d.metadata.name,
    d.status?.desiredNumberScheduled ?? 0,
    d.status?.currentNumberScheduled ?? 0,
    d.status?.numberReady ?? 0,
    d.status?.updatedNumberScheduled ?? 0,
    d.status?.numberAvailable ?? 0,
    nodeSelector === '' ? '<none>' : nodeSelector,
    age,
    containers[0],
    containers[1],
    selector,
  ];
}
