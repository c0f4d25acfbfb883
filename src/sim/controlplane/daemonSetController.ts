import { podTemplateHash } from '../api/podTemplateHash';
import type { DaemonSetObject, NodeObject, PodObject, Toleration } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import { EventRecorder } from '../client/eventRecorder';
import { type Informer, objectKey } from '../client/informer';
import type { Rng } from '../kernel/rng';
import type { Sim } from '../kernel/sim';
import { rfc3339 } from '../kernel/time';
import { narrate } from '../kernel/trace';
import { podInfo } from '../scheduler/podInfo';
import { tolerationsTolerateTaint } from '../scheduler/taints';
import { controllerOf, isPodActive, isPodReady } from './replicaSetController';
import { WorkQueue } from './workQueue';

/** Retry delay after a failed write. */
const RETRY_MS = 1000;

/**
 * The tolerations the DaemonSet controller adds to every daemon pod
 * (util.AddOrUpdateDaemonPodTolerations): not-ready and unreachable without a time limit, the
 * node-pressure and unschedulable NoSchedule taints, and network-unavailable for hostNetwork pods.
 */
export function daemonPodTolerations(hostNetwork: boolean): Toleration[] {
  const t = (key: string, effect: 'NoSchedule' | 'NoExecute'): Toleration => ({
    key: `node.kubernetes.io/${key}`,
    operator: 'Exists',
    effect,
  });
  return [
    t('not-ready', 'NoExecute'),
    t('unreachable', 'NoExecute'),
    t('disk-pressure', 'NoSchedule'),
    t('memory-pressure', 'NoSchedule'),
    t('pid-pressure', 'NoSchedule'),
    t('unschedulable', 'NoSchedule'),
    ...(hostNetwork ? [t('network-unavailable', 'NoSchedule')] : []),
  ];
}

/** The template's tolerations with the daemon ones added where not already there. */
function withDaemonTolerations(own: readonly Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const out = [...(own ?? [])];
  for (const t of daemonPodTolerations(hostNetwork))
    if (!out.some((o) => o.key === t.key && o.effect === t.effect)) out.push(t);
  return out;
}

/** The node a daemon pod is meant for: its nodeName, or the `matchFields metadata.name` it was created with. */
export function daemonPodNode(pod: PodObject): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms =
    pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const t of terms ?? [])
    for (const f of t.matchFields ?? [])
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  return undefined;
}

/** What one node adds to its DaemonSet's status. */
interface NodeCount {
  desired: number;
  current: number;
  misscheduled: number;
  ready: number;
  updated: number;
}

interface DsState {
  readonly key: string;
  /** Nodes that should run a daemon pod (nodeShouldRunDaemonPod). */
  readonly shouldRun: Set<string>;
  /** Pod keys of this DaemonSet by target node. */
  readonly podsByNode: Map<string, Set<string>>;
  readonly counts: Map<string, NodeCount>;
  readonly totals: NodeCount;
  /** Nodes to look at on the next sync; `all` after a spec or node-set change. */
  dirty: Set<string> | 'all';
  /** Nodes with a create or delete in flight (per-node expectations). */
  readonly inFlight: Set<string>;
  /** The template this state was computed for (hash), to notice spec changes. */
  templateHash: string;
  generation: number;
}

const ZERO = (): NodeCount => ({ desired: 0, current: 0, misscheduled: 0, ready: 0, updated: 0 });

/**
 * The DaemonSet controller (pkg/controller/daemon): one pod on every node the DaemonSet's pod
 * could run on (node selector, required node affinity, taints it tolerates; cordoning does not
 * matter), created with a `matchFields metadata.name` node affinity and placed by the default
 * scheduler, as since 1.12. A new node gets a pod, a node that no longer fits (or is gone) loses
 * it, a template change is rolled out node by node (RollingUpdate, maxUnavailable). Work is per
 * node: a pod's change only re-examines its own node, so 5,000 nodes cost 5,000 small syncs.
 */
export class DaemonSetController {
  private readonly queue: WorkQueue;
  private readonly events: EventRecorder;
  private readonly states = new Map<string, DsState>();
  /** DaemonSet key by uid, for pods' ownerReferences. */
  private readonly keyByUid = new Map<string, string>();

  constructor(
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly rng: Rng,
    private readonly daemonSets: Informer<DaemonSetObject>,
    private readonly pods: Informer<PodObject>,
    private readonly nodes: Informer<NodeObject>,
  ) {
    this.queue = new WorkQueue(sim, (key) => this.sync(key));
    this.events = new EventRecorder(client, sim, { component: 'daemonset-controller' });
    daemonSets.onChange((event, ds) => {
      const key = objectKey(ds);
      if (event === 'deleted') {
        this.states.delete(key);
        if (ds.metadata.uid) this.keyByUid.delete(ds.metadata.uid);
        return;
      }
      if (ds.metadata.uid) this.keyByUid.set(ds.metadata.uid, key);
      this.queue.add(key);
    });
    pods.onChange((event, pod, old) => {
      if (old) this.unindex(old);
      if (event !== 'deleted') this.indexPod(pod);
    });
    nodes.onChange((event, node) => {
      const name = node.metadata.name;
      for (const st of this.states.values()) {
        const ds = this.daemonSets.items.get(st.key);
        if (!ds) continue;
        const should = event !== 'deleted' && !node.metadata.deletionTimestamp && shouldRun(ds, node);
        if (should !== st.shouldRun.has(name)) {
          if (should) st.shouldRun.add(name);
          else st.shouldRun.delete(name);
        }
        this.markDirty(st, name);
      }
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private ownerState(pod: PodObject): DsState | undefined {
    const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
    if (ref?.kind !== 'DaemonSet') return undefined;
    const key = this.keyByUid.get(ref.uid);
    return key ? this.states.get(key) : undefined;
  }

  private indexPod(pod: PodObject): void {
    const st = this.ownerState(pod);
    const node = st && daemonPodNode(pod);
    if (!st || !node) return;
    let set = st.podsByNode.get(node);
    if (!set) st.podsByNode.set(node, (set = new Set()));
    set.add(objectKey(pod));
    this.markDirty(st, node);
  }

  private unindex(pod: PodObject): void {
    const st = this.ownerState(pod);
    const node = st && daemonPodNode(pod);
    if (!st || !node) return;
    st.podsByNode.get(node)?.delete(objectKey(pod));
    this.markDirty(st, node);
  }

  private markDirty(st: DsState, node: string): void {
    if (st.dirty !== 'all') st.dirty.add(node);
    this.queue.add(st.key);
  }

  /** A fresh state for a DaemonSet (first sight or spec change): every node and pod re-examined. */
  private rebuild(ds: DaemonSetObject, hash: string): DsState {
    const key = objectKey(ds);
    const old = this.states.get(key);
    const st: DsState = {
      key,
      shouldRun: new Set(),
      podsByNode: new Map(),
      counts: new Map(),
      totals: ZERO(),
      dirty: 'all',
      inFlight: old?.inFlight ?? new Set(),
      templateHash: hash,
      generation: ds.metadata.generation ?? 1,
    };
    for (const node of this.nodes.items.values())
      if (!node.metadata.deletionTimestamp && shouldRun(ds, node)) st.shouldRun.add(node.metadata.name);
    this.states.set(key, st);
    const uid = ds.metadata.uid ?? '';
    for (const pod of this.pods.items.values()) {
      if (controllerOf(pod) !== uid) continue;
      const node = daemonPodNode(pod);
      if (!node) continue;
      let set = st.podsByNode.get(node);
      if (!set) st.podsByNode.set(node, (set = new Set()));
      set.add(objectKey(pod));
    }
    return st;
  }

  private sync(key: string): void {
    const ds = this.daemonSets.items.get(key);
    if (!ds || !this.pods.synced || !this.nodes.synced || ds.metadata.deletionTimestamp) return;
    const hash = podTemplateHash(ds.spec.template);
    let st = this.states.get(key);
    if (!st || st.templateHash !== hash || st.generation !== (ds.metadata.generation ?? 1))
      st = this.rebuild(ds, hash);
    const dirty = st.dirty === 'all' ? allNodes(st) : st.dirty;
    st.dirty = new Set();
    let created = 0;
    for (const node of dirty) created += this.syncNode(ds, st, node, hash);
    if (created > 0)
      narrate(
        this.sim.trace,
        this.sim.nowMs,
        `The DaemonSet controller found ${created} node(s) without a ${ds.metadata.name} pod and created one for each.`,
      );
    this.rollingUpdate(ds, st, hash);
    this.updateStatus(ds, st);
  }

  /** manage() for one node: create the missing pod, delete extra, failed or misplaced ones; then count. */
  private syncNode(ds: DaemonSetObject, st: DsState, node: string, hash: string): number {
    const keys = st.podsByNode.get(node);
    const all: PodObject[] = [];
    for (const k of keys ?? []) {
      const p = this.pods.items.get(k);
      if (p) all.push(p);
    }
    if (keys && keys.size === 0) st.podsByNode.delete(node);
    const should = st.shouldRun.has(node);
    let created = 0;
    if (!st.inFlight.has(node)) {
      const failed = all.filter((p) => p.status?.phase === 'Failed' && !p.metadata.deletionTimestamp);
      const active = all.filter(isPodActive);
      if (should) {
        // A failed daemon pod is deleted and replaced.
        for (const p of failed) this.deletePod(ds, st, node, p);
        if (active.length === 0 && failed.length === 0) {
          this.createPod(ds, st, node, hash);
          created = 1;
        } else if (active.length > 1) {
          const sorted = active.sort((a, b) =>
            (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : 1,
          );
          for (const p of sorted.slice(1)) this.deletePod(ds, st, node, p);
        }
      } else {
        for (const p of active) this.deletePod(ds, st, node, p);
      }
    }
    // Status as the pods stand now (as the controller's own cache has them).
    const c = ZERO();
    const scheduled = all.filter((p) => isPodActive(p) && p.spec.nodeName === node);
    if (should) {
      c.desired = 1;
      if (scheduled.length > 0) {
        c.current = 1;
        const newest = scheduled.find((p) => p.metadata.labels?.['controller-revision-hash'] === hash);
        if (newest) c.updated = 1;
        if (scheduled.some(isPodReady)) c.ready = 1;
      }
    } else if (scheduled.length > 0) c.misscheduled = 1;
    const before = st.counts.get(node) ?? ZERO();
    for (const f of ['desired', 'current', 'misscheduled', 'ready', 'updated'] as const)
      st.totals[f] += c[f] - before[f];
    if (c.desired || c.current || c.misscheduled) st.counts.set(node, c);
    else st.counts.delete(node);
    return created;
  }

  /**
   * RollingUpdate: old pods go node by node, no more unavailable at once than maxUnavailable
   * (an old pod that is not ready anyway may always go). Only looked at while old pods remain.
   */
  private rollingUpdate(ds: DaemonSetObject, st: DsState, hash: string): void {
    const strategy = ds.spec.updateStrategy;
    if (strategy?.type === 'OnDelete' || st.totals.updated >= st.totals.current) return;
    const maxUnavailable = scaledValue(strategy?.rollingUpdate?.maxUnavailable ?? 1, st.totals.desired);
    let unavailable = st.totals.desired - st.totals.ready + st.inFlight.size;
    for (const node of st.shouldRun) {
      if (st.inFlight.has(node)) continue;
      const c = st.counts.get(node);
      if (!c?.current || c.updated) continue;
      const pods = [...(st.podsByNode.get(node) ?? [])]
        .map((k) => this.pods.items.get(k))
        .filter((p): p is PodObject => !!p && isPodActive(p));
      const old = pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] !== hash);
      if (old.length === 0) continue;
      const ready = old.some(isPodReady);
      if (ready && unavailable >= maxUnavailable) continue;
      if (ready) unavailable++;
      for (const p of old) this.deletePod(ds, st, node, p);
    }
  }

  private createPod(ds: DaemonSetObject, st: DsState, node: string, hash: string): void {
    const base = ds.metadata.name;
    let name = `${base}-${this.rng.suffix(5)}`;
    while (this.pods.items.has(`${ds.metadata.namespace}/${name}`)) name = `${base}-${this.rng.suffix(5)}`;
    const spec = ds.spec.template.spec;
    const affinity = {
      ...spec.affinity,
      nodeAffinity: {
        ...spec.affinity?.nodeAffinity,
        // ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become this one term.
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchFields: [{ key: 'metadata.name', operator: 'In' as const, values: [node] }] },
          ],
        },
      },
    };
    const pod: PodObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        generateName: `${base}-`,
        namespace: ds.metadata.namespace,
        labels: {
          ...ds.spec.template.metadata?.labels,
          'controller-revision-hash': hash,
          'pod-template-generation': String(ds.metadata.generation ?? 1),
        },
        ...(ds.spec.template.metadata?.annotations
          ? { annotations: ds.spec.template.metadata.annotations }
          : {}),
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'DaemonSet',
            name: base,
            uid: ds.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        ...spec,
        affinity,
        tolerations: withDaemonTolerations(spec.tolerations, spec.hostNetwork === true),
      },
    };
    st.inFlight.add(node);
    this.client.request(
      { verb: 'create', resource: 'pods', namespace: ds.metadata.namespace, body: pod },
      (res) => {
        st.inFlight.delete(node);
        if (!('transport' in res) && res.code === 201) {
          this.pods.assume(res.body as PodObject);
          this.events.normal(ds, 'SuccessfulCreate', `Created pod: ${name}`);
        } else {
          this.queue.add(st.key, RETRY_MS);
          this.markDirty(st, node);
        }
      },
    );
  }

  private deletePod(ds: DaemonSetObject, st: DsState, node: string, pod: PodObject): void {
    st.inFlight.add(node);
    this.events.normal(ds, 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    const now = rfc3339(this.sim.nowMs);
    this.pods.assume({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: now } });
    // A pod of a node that is gone cannot be stopped by its kubelet: removed at once, as the pod
    // garbage collector (PodGC) does with pods bound to nodes that no longer exist.
    const gone = !this.nodes.items.has(node);
    this.client.request(
      {
        verb: 'delete',
        resource: 'pods',
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
        ...(gone ? { gracePeriodSeconds: 0 } : {}),
      },
      () => {
        st.inFlight.delete(node);
        this.markDirty(st, node);
      },
    );
  }

  private updateStatus(ds: DaemonSetObject, st: DsState): void {
    const t = st.totals;
    const status = {
      currentNumberScheduled: t.current,
      numberMisscheduled: t.misscheduled,
      desiredNumberScheduled: t.desired,
      numberReady: t.ready,
      observedGeneration: ds.metadata.generation ?? 1,
      updatedNumberScheduled: t.updated,
      numberAvailable: t.ready,
      ...(t.desired - t.ready > 0 ? { numberUnavailable: t.desired - t.ready } : {}),
    };
    if (JSON.stringify(ds.status) === JSON.stringify(status)) return;
    this.client.request(
      {
        verb: 'update',
        resource: 'daemonsets',
        subresource: 'status',
        namespace: ds.metadata.namespace,
        name: ds.metadata.name,
        body: { ...ds, status },
      },
      (res) => {
        if ('transport' in res || res.code >= 300) this.queue.add(st.key, RETRY_MS);
        else this.daemonSets.assume(res.body as DaemonSetObject);
      },
    );
  }
}

function allNodes(st: DsState): Set<string> {
  const out = new Set(st.shouldRun);
  for (const n of st.podsByNode.keys()) out.add(n);
  return out;
}

const COMPILED = new WeakMap<
  DaemonSetObject,
  { rna: ReturnType<typeof podInfo>['requiredNodeAffinity']; tolerations: Toleration[] }
>();

/**
 * nodeShouldRunDaemonPod: the template's node selector and required node affinity match the
 * node, and its tolerations (with the daemon ones) tolerate every NoSchedule and NoExecute taint.
 * spec.unschedulable does not matter: daemon pods tolerate it.
 */
export function shouldRun(ds: DaemonSetObject, node: NodeObject): boolean {
  let compiled = COMPILED.get(ds);
  if (!compiled) {
    const spec = ds.spec.template.spec;
    const probe: PodObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: '', namespace: ds.metadata.namespace },
      spec: { containers: [], nodeSelector: spec.nodeSelector, affinity: spec.affinity },
    };
    compiled = {
      rna: podInfo(probe).requiredNodeAffinity,
      tolerations: withDaemonTolerations(spec.tolerations, spec.hostNetwork === true),
    };
    COMPILED.set(ds, compiled);
  }
  const { rna, tolerations } = compiled;
  if (rna && !rna.matches(node.metadata.labels ?? {}, node.metadata.name)) return false;
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return false;
  }
  return true;
}

/** intstr.GetScaledValueFromIntOrPercent, rounding up (as maxUnavailable does for DaemonSets). */
function scaledValue(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = v.match(/^(\d+)%$/);
  return m ? Math.ceil((Number(m[1]) * total) / 100) : 1;
}
