import { daemonSetFieldGetters, daemonSetWithDefaults } from '../api/daemonSet';
import {
  alreadyExists,
  badRequest,
  conflict,
  internalFromEtcd,
  invalid,
  methodNotAllowed,
  notFound,
} from '../api/errors';
import { matches, parseSelector } from '../api/labels';
import { metricsResourceOf } from '../api/metricsResources';
import { apiVersionOf, etcdKey, RESOURCES, type ResourceInfo, resourceByName } from '../api/resources';
import { toTable } from '../api/table';
import type {
  Container,
  DaemonSetObject,
  DeploymentObject,
  EventObject,
  KubeObject,
  ObjectMeta,
  PodObject,
  Probe,
  ReplicaSetObject,
  ServiceObject,
  Toleration,
} from '../api/types';
import {
  invalidValue,
  validateDns1123Label,
  validateDns1123Subdomain,
  validatePodUpdate,
  validateWorkload,
  validateWorkloadUpdate,
} from '../api/validation';
import type { EtcdMember, EtcdResult } from '../etcd/member';
import type { KeyValue, Op, RangeResult, TxnResponse, WatchEvent } from '../etcd/mvcc/store';
import { extend } from '../kernel/extend';
import { type Rng, uuid } from '../kernel/rng';
import type { Sim } from '../kernel/sim';
import { rfc3339 } from '../kernel/time';
import { batchWithDefaults } from './batchDefaults';
import { Compactor } from './compactor';
import { forStorage, fromStorage, StoredEvent } from './eventStorage';
import { applyJsonPatch, JsonPatchError } from './jsonPatch';
import { EVENT_TTL_S, LeaseManager } from './leaseManager';
import type { ApiServerLinks } from './links';
import { mergePatch } from './mergePatch';
import { DISCOVERY, serveMetricsApi } from './metricsApi';
import { servePodExec } from './podExecApi';
import { servePodLog } from './podLog';
import { serveProxy } from './proxyApi';
import type { ApiRequest, ApiResponse, ApiWatchEvent } from './request';
import { PatchError, schemaForKind, strategicMergePatch } from './strategicMerge';

/** What GET /version answers. */
export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** What the REST handler answers when the body's namespace is not the URL's. */
const NAMESPACE_MISMATCH =
  'the namespace of the provided object does not match the namespace sent on the request';

/**
 * How many times a patch is applied again to a newer object after losing a race. GuaranteedUpdate
 * loops until its write lands (a patch names no resourceVersion to conflict with), so every one of
 * many concurrent patches succeeds; the bound only stops a livelock, which would be a bug here.
 */
export const PATCH_CONFLICT_RETRIES = 1000;

/** NamespaceLifecycle's missingNamespaceWait: time for the cache to observe a new namespace. */
export const MISSING_NAMESPACE_WAIT_MS = 50;

type Respond = (res: ApiResponse) => void;

/**
 * kube-apiserver: stateless, one per control-plane node, every read and write served by its local
 * (stacked) etcd member. Objects are stored without resourceVersion; it is the etcd modRevision,
 * stamped on the way out.
 */
export class ApiServer {
  constructor(
    readonly hostName: string,
    private readonly sim: Sim,
    private readonly etcd: () => EtcdMember | undefined,
    /** Kubelets (pods/log) and metrics-server (metrics.k8s.io), when the cluster provides them. */
    private readonly links?: ApiServerLinks,
  ) {
    this.compactor = new Compactor(sim, etcd);
    this.leases = new LeaseManager(sim);
  }

  private readonly watches = new Set<() => void>();
  /** --etcd-compaction-interval=5m: the compactor every kube-apiserver runs. */
  private readonly compactor: Compactor;
  /** The leases Events are written with (--event-ttl). */
  private readonly leases: LeaseManager;
  /**
   * Watches of the pods of one node (every kubelet's `spec.nodeName=NODE`), indexed by node and
   * fed from one store watch, as the watch cache's nodeName index does: an event costs one
   * lookup, not a check against thousands of kubelets' selectors.
   */
  private readonly nodeWatches = new Map<string, Set<(e: ApiWatchEvent) => void>>();
  private podIndexWatching = false;

  /** The process died: its watch streams stop (clients see EOF from the transport). */
  stop(): void {
    this.compactor.stop();
    for (const cancel of this.watches) cancel();
    this.watches.clear();
    this.nodeWatches.clear();
  }

  /** /readyz: fails when the local etcd member cannot serve (down or no leader). */
  readyz(): boolean {
    return this.etcd()?.hasLeader() ?? false;
  }

  handle(req: ApiRequest, respond: Respond): void {
    // Discovery and /version are served from memory: they work even when etcd has lost quorum.
    if (req.verb === 'discovery') return respond({ code: 200, body: DISCOVERY });
    if (req.verb === 'version') return respond({ code: 200, body: SERVER_VERSION });
    if (metricsResourceOf(req.resource))
      return serveMetricsApi(this.hostName, this.etcd(), this.links, req, respond);
    const info = RESOURCES.find((r) => r.resource === req.resource);
    if (!info) {
      respond({
        code: 404,
        body: notFound(
          { ...resourceByName('namespaces'), resource: req.resource, group: '' },
          req.name ?? '',
        ),
      });
      return;
    }
    const member = this.etcd();
    if (!member) {
      respond({ code: 500, body: internalFromEtcd('etcdserver: request timed out') });
      return;
    }
    switch (req.verb) {
      case 'get':
        if (req.subresource === 'log' && info.resource === 'pods')
          return servePodLog(this.hostName, member, this.links, req, respond);
        if (req.subresource === 'proxy' && (info.resource === 'pods' || info.resource === 'services'))
          return serveProxy(this.hostName, member, this.links, req, respond);
        return this.get(member, info, req, respond);
      case 'list':
        return this.list(member, info, req, respond);
      case 'create':
        if (req.subresource === 'binding' && info.resource === 'pods')
          return this.bind(member, info, req, respond);
        if (req.subresource === 'exec' && info.resource === 'pods')
          return servePodExec(this.hostName, this.sim, member, this.links, req, respond);
        return this.create(member, info, req, respond);
      case 'update':
        return this.put(member, info, req, respond);
      case 'patch':
        return this.patch(member, info, req, respond, PATCH_CONFLICT_RETRIES);
      case 'delete':
        return this.delete(member, info, req, respond);
      case 'watch':
        return this.watch(member, info, req, respond);
      default:
        respond({ code: 405, body: methodNotAllowed() });
    }
  }

  private get(member: EtcdMember, info: ResourceInfo, req: ApiRequest, respond: Respond): void {
    const name = req.name ?? '';
    const key = etcdKey(info, req.namespace, name);
    const answer = (range: RangeResult): void => {
      const kv = range.kvs[0];
      if (!kv) return respond({ code: 404, body: notFound(info, name) });
      const obj = stamp(kv);
      // Server-side printing of one object: the same Table a list returns, with one row.
      const body = req.asTable ? toTable(info.resource, [obj], String(range.revision), this.sim.nowMs) : obj;
      respond({ code: 200, body });
    };
    if (req.cached) answer(member.rangeSerializable(key, false));
    else member.rangeLinearizable(key, false, (r) => ifOk(r, respond, answer));
  }

  private list(member: EtcdMember, info: ResourceInfo, req: ApiRequest, respond: Respond): void {
    const labelSel = parseSelector(req.labelSelector ?? '');
    if (!labelSel.ok) {
      respond({ code: 400, body: badRequest(labelSel.error) });
      return;
    }
    const fieldFilter = parseFieldSelector(req.fieldSelector ?? '', info.resource);
    if (typeof fieldFilter === 'string') {
      respond({ code: 400, body: badRequest(fieldFilter) });
      return;
    }
    const prefix =
      info.namespaced && req.namespace ? `${info.etcdPrefix}/${req.namespace}/` : `${info.etcdPrefix}/`;
    const answer = (range: RangeResult): void => {
      const items = range.kvs
        .map(stamp)
        .filter((o) => matches(labelSel.selector, o.metadata.labels) && fieldFilter(o));
      const rv = String(range.revision);
      const body = req.asTable
        ? toTable(info.resource, items, rv, this.sim.nowMs)
        : {
            kind: `${info.kind}List`,
            apiVersion: apiVersionOf(info),
            metadata: { resourceVersion: rv },
            items,
          };
      respond({ code: 200, body });
    };
    // A cached list (resourceVersion=0, what informers start from) is this server's local view.
    if (req.cached) answer(member.rangeSerializable(prefix, true));
    else member.rangeLinearizable(prefix, true, (r) => ifOk(r, respond, answer));
  }

  /**
   * A watch from "now", served from this server's local etcd member (the watch cache): every
   * change applied there that matches the selectors becomes an event, until the client aborts.
   */
  private watch(member: EtcdMember, info: ResourceInfo, req: ApiRequest, respond: Respond): void {
    const labelSel = parseSelector(req.labelSelector ?? '');
    const fieldFilter = parseFieldSelector(req.fieldSelector ?? '', info.resource);
    if (!labelSel.ok) return respond({ code: 400, body: badRequest(labelSel.error) });
    if (typeof fieldFilter === 'string') return respond({ code: 400, body: badRequest(fieldFilter) });
    const byNode =
      info.resource === 'pods' && !req.name && !req.namespace && !req.labelSelector
        ? /^spec\.nodeName=([^,=!]+)$/.exec(req.fieldSelector ?? '')
        : null;
    if (byNode) return this.watchPodsOfNode(member, byNode[1] as string, req, respond);
    const prefix = req.name
      ? etcdKey(info, req.namespace, req.name)
      : info.namespaced && req.namespace
        ? `${info.etcdPrefix}/${req.namespace}/`
        : `${info.etcdPrefix}/`;
    const cancel = member.store.watch(prefix, (events) => {
      if (req.abort?.aborted) {
        cancel();
        this.watches.delete(cancel);
        respond({ code: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' } });
        return;
      }
      for (const e of events) {
        if (req.name && e.kv.key !== prefix) continue;
        const object = watchedObject(e);
        if (!object) continue;
        if (!matches(labelSel.selector, object.metadata.labels) || !fieldFilter(object)) continue;
        const type = e.type === 'DELETE' ? 'DELETED' : e.kv.version === 1 ? 'ADDED' : 'MODIFIED';
        req.onWatchEvent?.({ type, object });
      }
    });
    this.watches.add(cancel);
  }

  private watchPodsOfNode(member: EtcdMember, nodeName: string, req: ApiRequest, respond: Respond): void {
    if (!this.podIndexWatching) {
      this.podIndexWatching = true;
      const cancel = member.store.watch('/registry/pods/', (events) => {
        for (const e of events) {
          const source = e.type === 'DELETE' ? e.prevKv : e.kv;
          if (!source || !isKubeObject(source.value)) continue;
          const node = (source.value as PodObject).spec?.nodeName;
          const watchers = node ? this.nodeWatches.get(node) : undefined;
          if (!watchers || watchers.size === 0) continue;
          const object = watchedObject(e)!;
          const type = e.type === 'DELETE' ? 'DELETED' : e.kv.version === 1 ? 'ADDED' : 'MODIFIED';
          for (const deliver of [...watchers]) deliver({ type, object });
        }
      });
      this.watches.add(cancel);
    }
    let watchers = this.nodeWatches.get(nodeName);
    if (!watchers) this.nodeWatches.set(nodeName, (watchers = new Set()));
    const set = watchers;
    const deliver = (e: ApiWatchEvent): void => {
      if (req.abort?.aborted) {
        set.delete(deliver);
        respond({ code: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' } });
        return;
      }
      req.onWatchEvent?.(e);
    };
    set.add(deliver);
  }

  private create(member: EtcdMember, info: ResourceInfo, req: ApiRequest, respond: Respond): void {
    const body = req.body;
    const name = body?.metadata?.name ?? '';
    const namespace = info.namespaced ? (body?.metadata?.namespace ?? req.namespace ?? 'default') : undefined;
    if (namespace !== undefined && req.namespace !== undefined && namespace !== req.namespace) {
      respond({ code: 400, body: badRequest(NAMESPACE_MISMATCH) });
      return;
    }
    const nameError =
      info.resource === 'namespaces' ? validateDns1123Label(name) : validateDns1123Subdomain(name);
    if (!body || name === '') {
      respond({
        code: 422,
        body: invalid(info, name, [
          { field: 'metadata.name', message: 'Required value: name or generateName is required' },
        ]),
      });
      return;
    }
    if (nameError) {
      respond({ code: 422, body: invalid(info, name, [invalidValue('metadata.name', name, nameError)]) });
      return;
    }
    const specErrors = validateWorkload(info.kind, body);
    if (specErrors.length > 0) {
      respond({ code: 422, body: invalid(info, name, specErrors) });
      return;
    }
    // What the server sets, after what the client sent (a resourceVersion it sent is dropped).
    // extend rather than spreads: this runs for every object created, events included.
    const stamped: { -readonly [K in keyof ObjectMeta]?: ObjectMeta[K] } = { name };
    if (namespace) stamped.namespace = namespace;
    stamped.uid = uuid(this.sim.rng);
    stamped.creationTimestamp = rfc3339(this.sim.nowMs);
    if (GENERATION_KINDS.has(info.kind)) stamped.generation = 1;
    const sent = body.metadata ?? {};
    const metadata = extend(
      'resourceVersion' in sent ? withoutResourceVersion(sent) : sent,
      stamped,
    ) as ObjectMeta;
    const obj = withDefaults(
      extend(body, { apiVersion: apiVersionOf(info), kind: info.kind, metadata }),
      this.sim.rng,
    );
    const key = etcdKey(info, namespace, name);
    const write = (): void => {
      if (req.dryRun) {
        respond({ code: 201, body: obj });
        return;
      }
      this.withTtl(member, info, respond, (lease) =>
        member.txn(
          {
            compare: [{ key, target: 'create', equals: 0 }],
            success: [storedPut(key, obj, lease)],
            failure: [],
          },
          (r) =>
            ifOk(r, respond, (txn) =>
              respond(
                txn.succeeded
                  ? { code: 201, body: written(member, key, obj, txn.revision) }
                  : { code: 409, body: alreadyExists(info, name) },
              ),
            ),
        ),
      );
    };
    if (!info.namespaced) return write();
    this.admitToNamespace(member, namespace!, respond, write);
  }

  /**
   * Events are written with a TTL (the registry's TTLFunc, --event-ttl): attached to an etcd lease,
   * on create and on every update, so etcd deletes an Event an hour after its last write.
   */
  private withTtl(
    member: EtcdMember,
    info: ResourceInfo,
    respond: Respond,
    write: (lease: string | undefined) => void,
  ): void {
    if (info.resource !== 'events') return write(undefined);
    this.leases.leaseFor(member, EVENT_TTL_S, (r) => {
      if (r.ok) write(r.value);
      else respond({ code: 500, body: internalFromEtcd(r.error) });
    });
  }

  /**
   * The NamespaceLifecycle admission plugin: creating into a namespace that does not exist is
   * refused. The plugin reads its namespace lister (here the local member's view, which plays the
   * watch cache); a namespace missing there gets 50 ms for the cache to catch up, then a live
   * lookup, before the create is refused.
   */
  private admitToNamespace(
    member: EtcdMember,
    namespace: string,
    respond: Respond,
    admitted: () => void,
  ): void {
    const key = `/registry/namespaces/${namespace}`;
    if (member.store.get(key)) return admitted();
    this.sim.schedule(MISSING_NAMESPACE_WAIT_MS, () => {
      if (member.store.get(key)) return admitted();
      member.rangeLinearizable(key, false, (r) =>
        ifOk(r, respond, (range) => {
          if (range.kvs.length === 0)
            respond({ code: 404, body: notFound(resourceByName('namespaces'), namespace) });
          else admitted();
        }),
      );
    });
  }

  /**
   * PUT: the object's name and namespace come from the URL, as the REST handler checks them.
   * (Before, a body without metadata.namespace was written under `/registry/leases/undefined/…`.)
   */
  private put(member: EtcdMember, info: ResourceInfo, req: ApiRequest, respond: Respond): void {
    const obj = req.body;
    if (!obj) {
      respond({ code: 400, body: badRequest('the body of the request is empty') });
      return;
    }
    const name = obj.metadata?.name ?? '';
    if (req.name !== undefined && name !== req.name) {
      respond({
        code: 400,
        body: badRequest(`the name of the object (${name}) does not match the name on the URL (${req.name})`),
      });
      return;
    }
    let namespace: string | undefined;
    if (info.namespaced) {
      namespace = obj.metadata.namespace ?? req.namespace ?? 'default';
      if (req.namespace !== undefined && namespace !== req.namespace) {
        respond({ code: 400, body: badRequest(NAMESPACE_MISMATCH) });
        return;
      }
    }
    const metadata = { ...obj.metadata, ...(namespace ? { namespace } : {}) };
    this.update(
      member,
      info,
      { ...obj, metadata },
      respond,
      req.dryRun ?? false,
      req.subresource === 'status',
    );
  }

  /**
   * An update as the registry store's GuaranteedUpdate does it. Start from this server's view of the
   * object (the watch cache's role is played by the local member's store); if that view is missing or
   * older than the client's resourceVersion, re-read through Raft. Carry over what a client cannot
   * change (uid, creationTimestamp: rest.BeforeUpdate), then write with a compare on the current
   * modRevision, and start over from a fresh read if another write got in between.
   * Fixes: an update no longer creates a missing namespace or node (AllowCreateOnUpdate is false for
   * them), and no longer drops uid and creationTimestamp when the body leaves them out.
   */
  private update(
    member: EtcdMember,
    info: ResourceInfo,
    obj: KubeObject,
    respond: Respond,
    dryRun: boolean,
    /** PUT …/status: only the status is taken from the request, as the status strategies do. */
    statusOnly = false,
  ): void {
    const name = obj.metadata.name;
    const key = etcdKey(info, obj.metadata.namespace, name);
    const rv = Number(obj.metadata.resourceVersion ?? 0);
    const strategy = UPDATE_STRATEGY[info.resource] ?? DEFAULT_UPDATE_STRATEGY;
    let { resourceVersion: _rv, ...requested } = obj.metadata;
    const reread = (): void => this.readForUpdate(member, key, true, respond, (kv) => attempt(kv, true));
    const attempt = (current: KeyValue | undefined, fresh: boolean): void => {
      if (!current) {
        if (!fresh) return reread();
        if (!strategy.allowCreateOnUpdate) return respond({ code: 404, body: notFound(info, name) });
        // Created by PUT (Leases): stamped as create does, written only if still absent.
        const created: KubeObject = {
          ...obj,
          apiVersion: apiVersionOf(info),
          kind: info.kind,
          metadata: { ...requested, uid: uuid(this.sim.rng), creationTimestamp: rfc3339(this.sim.nowMs) },
        };
        if (dryRun) return respond({ code: 201, body: created });
        member.txn(
          {
            compare: [{ key, target: 'create', equals: 0 }],
            success: [storedPut(key, created)],
            failure: [{ type: 'range', key }],
          },
          (r) =>
            ifOk(r, respond, (txn) =>
              txn.succeeded
                ? respond({ code: 201, body: withResourceVersion(created, txn.revision) })
                : attempt(txn.results[0]?.kvs[0], true),
            ),
        );
        return;
      }
      if (rv === 0 && !strategy.allowUnconditionalUpdate) {
        // apimachinery prints the uint64 0 with %#v, and names the resource (not the kind) here.
        const cause = {
          field: 'metadata.resourceVersion',
          message: 'Invalid value: 0x0: must be specified for an update',
        };
        respond({ code: 422, body: invalid({ ...info, kind: info.resource }, name, [cause]) });
        return;
      }
      if (rv > 0 && rv !== current.modRevision) {
        if (!fresh) return reread();
        return respond({ code: 409, body: conflict(info, name) });
      }
      const old = fromStorage(current.value) as KubeObject;
      if (statusOnly) {
        const { resourceVersion: _oldRv, ...oldMeta } = old.metadata;
        requested = oldMeta;
        obj = { ...old, metadata: oldMeta, status: (obj as { status?: unknown }).status } as KubeObject;
      }
      if (requested.uid && old.metadata.uid && requested.uid !== old.metadata.uid) {
        const why = `Precondition failed: UID in precondition: ${requested.uid}, UID in object meta: ${old.metadata.uid}`;
        return respond({ code: 409, body: conflict(info, name, why) });
      }
      // Validation of the new object and of what an update may not change, before defaulting
      // (which assumes a well-formed object, as the registry's strategy does).
      const shapeProblems = [
        ...validateWorkloadUpdate(info.kind, obj, old),
        ...validateWorkload(info.kind, obj),
      ];
      if (shapeProblems.length > 0) return respond({ code: 422, body: invalid(info, name, shapeProblems) });
      const stored: KubeObject = withDefaults({
        ...obj,
        apiVersion: old.apiVersion,
        kind: old.kind,
        metadata: {
          ...requested,
          uid: old.metadata.uid!,
          creationTimestamp: old.metadata.creationTimestamp!,
          ...nextGeneration(old, obj),
        },
      });
      // (A status write leaves the spec object itself untouched: nothing to compare.)
      const podProblems = info.kind === 'Pod' && obj.spec !== old.spec ? validatePodUpdate(stored, old) : [];
      if (podProblems.length > 0) return respond({ code: 422, body: invalid(info, name, podProblems) });
      // GuaranteedUpdate skips the write when nothing changes (same object, same resourceVersion:
      // what lets `kubectl patch` say "patched (no change)"), but only against a fresh read: the
      // local view may be stale, and a stale "unchanged" must not hide a conflict or a deletion.
      if (unchanged(stored, old)) {
        if (!fresh) return reread();
        return respond({ code: 200, body: withResourceVersion(old, current.modRevision) });
      }
      if (dryRun) return respond({ code: 200, body: withResourceVersion(stored, current.modRevision) });
      this.withTtl(member, info, respond, (lease) =>
        member.txn(
          {
            compare: [{ key, target: 'mod', equals: current.modRevision }],
            success: [storedPut(key, stored, lease)],
            failure: [{ type: 'range', key }],
          },
          (r) =>
            ifOk(r, respond, (txn) =>
              txn.succeeded
                ? respond({ code: 200, body: written(member, key, stored, txn.revision) })
                : attempt(txn.results[0]?.kvs[0], true),
            ),
        ),
      );
    };
    attempt(member.store.get(key), false);
  }

  private patch(
    member: EtcdMember,
    info: ResourceInfo,
    req: ApiRequest,
    respond: Respond,
    retries: number,
    fresh = false,
  ): void {
    const name = req.name ?? '';
    this.readForUpdate(member, etcdKey(info, req.namespace, name), fresh, respond, (kv) => {
      if (!kv) {
        respond({ code: 404, body: notFound(info, name) });
        return;
      }
      const current = stamp(kv);
      let patched: KubeObject;
      try {
        patched = applyPatch(current, req);
      } catch (e) {
        if (!(e instanceof PatchError || e instanceof JsonPatchError)) throw e;
        // A JSON patch that does not apply is unprocessable; a malformed patch a bad request.
        if (e instanceof JsonPatchError) return respond({ code: 422, body: unprocessable(e.message) });
        return respond({ code: 400, body: badRequest(e.message) });
      }
      // Identity fields cannot be patched away.
      const next: KubeObject = {
        ...patched,
        apiVersion: current.apiVersion,
        kind: current.kind,
        metadata: {
          ...(patched.metadata ?? {}),
          name: current.metadata.name,
          uid: current.metadata.uid!,
          resourceVersion: current.metadata.resourceVersion!,
        },
      };
      this.update(
        member,
        info,
        next,
        (res) => {
          if (res.code === 409 && retries > 0) this.patch(member, info, req, respond, retries - 1, true);
          else respond(res);
        },
        req.dryRun ?? false,
      );
    });
  }

  /**
   * The current object for a read-modify-write: from the watch cache (the local member's view) as
   * GuaranteedUpdate starts from, then from etcd when the cache has nothing or a write based on it
   * lost a race (`fresh`). The write itself compares modRevision, so a stale view costs a retry,
   * never a lost update.
   */
  private readForUpdate(
    member: EtcdMember,
    key: string,
    fresh: boolean,
    respond: Respond,
    then: (kv: KeyValue | undefined) => void,
  ): void {
    const cached = fresh ? undefined : member.store.get(key);
    if (cached) return then(cached);
    member.rangeLinearizable(key, false, (r) => ifOk(r, respond, (range) => then(range.kvs[0])));
  }

  /**
   * POST pods/NAME/binding: sets spec.nodeName once, with the PodScheduled condition; a second
   * binding is a conflict, as the pod registry's BindingREST refuses it.
   */
  private bind(
    member: EtcdMember,
    info: ResourceInfo,
    req: ApiRequest,
    respond: Respond,
    fresh = false,
  ): void {
    const name = req.name ?? '';
    const nodeName = (req.body as { target?: { name?: string } } | undefined)?.target?.name ?? '';
    const key = etcdKey(info, req.namespace, name);
    this.readForUpdate(member, key, fresh, respond, (kv) => {
      if (!kv) return respond({ code: 404, body: notFound(info, name) });
      const pod = kv.value as PodObject;
      if (pod.spec.nodeName) {
        const why = `pod ${name} is already assigned to node "${pod.spec.nodeName}"`;
        return respond({ code: 409, body: conflict({ ...info, resource: 'pods/binding' }, name, why) });
      }
      if (pod.metadata.deletionTimestamp) {
        return respond({
          code: 409,
          body: conflict({ ...info, resource: 'pods/binding' }, name, 'pod is being deleted'),
        });
      }
      const now = rfc3339(this.sim.nowMs);
      const conditions = [
        ...(pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled'),
        { type: 'PodScheduled', status: 'True' as const, lastProbeTime: null, lastTransitionTime: now },
      ];
      const bound: PodObject = {
        ...pod,
        // extend: a spread plus a new key costs a hidden class per pod in V8 (kernel/extend.ts).
        spec: extend(pod.spec, { nodeName }),
        status: extend(pod.status ?? {}, { conditions }),
      };
      member.txn(
        {
          compare: [{ key, target: 'mod', equals: kv.modRevision }],
          success: [storedPut(key, bound)],
          failure: [],
        },
        (t) =>
          ifOk(t, respond, (txn) => {
            // Bound from a stale view: read again, and refuse only what the fresh pod refuses.
            if (!txn.succeeded && !fresh) return this.bind(member, info, req, respond, true);
            respond(
              txn.succeeded
                ? {
                    code: 201,
                    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
                  }
                : { code: 409, body: conflict(info, name) },
            );
          }),
      );
    });
  }

  /**
   * A pod on a node is deleted gracefully: the first DELETE only sets deletionTimestamp (now +
   * grace, 30 s by default) so the kubelet can stop its containers; the kubelet's own DELETE with
   * gracePeriodSeconds=0 removes it. Unscheduled pods, and every other kind, go at once.
   */
  private deletePod(member: EtcdMember, info: ResourceInfo, req: ApiRequest, respond: Respond): void {
    const name = req.name ?? '';
    const key = etcdKey(info, req.namespace, name);
    member.rangeLinearizable(key, false, (r) =>
      ifOk(r, respond, (range) => {
        const kv = range.kvs[0];
        if (!kv) return respond({ code: 404, body: notFound(info, name) });
        const pod = kv.value as PodObject;
        const grace =
          req.gracePeriodSeconds ??
          pod.metadata.deletionGracePeriodSeconds ??
          pod.spec.terminationGracePeriodSeconds ??
          30;
        if (!pod.spec.nodeName || grace <= 0) return this.deleteKey(member, info, req, respond);
        if (pod.metadata.deletionTimestamp && (pod.metadata.deletionGracePeriodSeconds ?? 0) <= grace) {
          return respond({ code: 200, body: stamp(kv) });
        }
        const metadata = {
          ...pod.metadata,
          deletionTimestamp: rfc3339(this.sim.nowMs + grace * 1000),
          deletionGracePeriodSeconds: grace,
        };
        const terminating: PodObject = { ...pod, metadata };
        member.txn(
          {
            compare: [{ key, target: 'mod', equals: kv.modRevision }],
            success: [storedPut(key, terminating)],
            failure: [],
          },
          (t) =>
            ifOk(t, respond, (txn) =>
              txn.succeeded
                ? respond({ code: 200, body: withResourceVersion(terminating, txn.revision) })
                : this.deletePod(member, info, req, respond),
            ),
        );
      }),
    );
  }

  private delete(member: EtcdMember, info: ResourceInfo, req: ApiRequest, respond: Respond): void {
    if (req.dryRun) {
      this.get(member, info, req, respond);
      return;
    }
    if (info.resource === 'pods') return this.deletePod(member, info, req, respond);
    this.deleteKey(member, info, req, respond);
  }

  private deleteKey(member: EtcdMember, info: ResourceInfo, req: ApiRequest, respond: Respond): void {
    const name = req.name ?? '';
    const key = etcdKey(info, req.namespace, name);
    member.txn({ compare: [], success: [{ type: 'delete', key }], failure: [] }, (r) =>
      ifOk(r, respond, (txn) => {
        const prev = txn.results[0]?.kvs[0];
        respond(prev ? { code: 200, body: stamp(prev) } : { code: 404, body: notFound(info, name) });
      }),
    );
  }
}

/** The object a PATCH asks for, by its content type; throws PatchError / JsonPatchError. */
function applyPatch(current: KubeObject, req: ApiRequest): KubeObject {
  switch (req.patchType ?? 'merge') {
    case 'strategic':
      return strategicMergePatch(current, req.patch, schemaForKind(current.kind)) as KubeObject;
    case 'json':
      return applyJsonPatch(current, req.patch) as KubeObject;
    default:
      return mergePatch(current, req.patch) as KubeObject;
  }
}

/** What kube-apiserver answers for a JSON patch that does not apply (NewGenericServerResponse 422). */
function unprocessable(message: string): ReturnType<typeof badRequest> {
  return { ...badRequest(message), reason: 'Invalid', code: 422 };
}

function ifOk<T extends RangeResult | TxnResponse>(
  r: EtcdResult<T>,
  respond: Respond,
  then: (value: T) => void,
): void {
  if (r.ok) then(r.value);
  else respond({ code: 500, body: internalFromEtcd(r.error) });
}

/**
 * What the API server's defaulting and admission add on create. A Namespace gets its
 * `kubernetes.io/metadata.name` label (NamespaceDefaultLabelName), the `kubernetes` finalizer and
 * phase Active, as every real Namespace shows.
 */
function withDefaults(obj: KubeObject, rng?: Rng): KubeObject {
  if (obj.kind === 'Pod') return podWithDefaults(obj as PodObject);
  if (obj.kind === 'Service') return serviceWithDefaults(obj as ServiceObject, rng);
  if (obj.kind === 'Deployment' || obj.kind === 'ReplicaSet') {
    return workloadWithDefaults(obj as DeploymentObject | ReplicaSetObject);
  }
  if (obj.kind === 'DaemonSet') return daemonSetWithDefaults(obj as DaemonSetObject, podSpecWithDefaults);
  const batch = batchWithDefaults(obj, podSpecWithDefaults);
  if (batch) return batch;
  if (obj.kind !== 'Namespace') return obj;
  const ns = obj as KubeObject & { spec?: { finalizers?: string[] }; status?: { phase?: string } };
  return {
    ...ns,
    metadata: {
      ...ns.metadata,
      labels: { ...ns.metadata.labels, 'kubernetes.io/metadata.name': ns.metadata.name },
    },
    spec: { ...ns.spec, finalizers: ns.spec?.finalizers ?? ['kubernetes'] },
    status: { ...ns.status, phase: ns.status?.phase ?? 'Active' },
  } as KubeObject;
}

/** Kinds whose metadata.generation counts spec changes (the workload controllers' observedGeneration). */
const GENERATION_KINDS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'Job', 'CronJob']);

function nextGeneration(old: KubeObject, next: KubeObject): { generation?: number } {
  if (!GENERATION_KINDS.has(old.kind)) return {};
  const was = old.metadata.generation ?? 1;
  return { generation: sameJson(old.spec, next.spec) ? was : was + 1 };
}

/** The pod defaults kube-apiserver applies (pkg/apis/core/v1/defaults.go), so `-o yaml` looks real. */
/** Defaults of a pod spec wherever it appears (pod, or a workload's template): SetDefaults_PodSpec. */
function podSpecWithDefaults(spec: PodObject['spec']): PodObject['spec'] {
  return {
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    ...spec,
    containers: (spec.containers ?? []).map(containerWithDefaults),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(containerWithDefaults) } : {}),
  };
}

/** SetDefaults_Container, with its probes' defaults (SetDefaults_Probe, SetDefaults_HTTPGetAction). */
function containerWithDefaults<C extends Container>(c: C): C {
  const tag = c.image.includes('@') ? 'digest' : (c.image.split('/').pop() ?? '').split(':')[1];
  return {
    ...c,
    ...(c.ports ? { ports: c.ports.map((port) => ({ ...port, protocol: port.protocol ?? 'TCP' })) } : {}),
    imagePullPolicy: c.imagePullPolicy ?? (tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent'),
    resources: c.resources ?? {},
    terminationMessagePath: c.terminationMessagePath ?? '/dev/termination-log',
    terminationMessagePolicy: c.terminationMessagePolicy ?? 'File',
    ...(c.livenessProbe ? { livenessProbe: probeWithDefaults(c.livenessProbe) } : {}),
    ...(c.readinessProbe ? { readinessProbe: probeWithDefaults(c.readinessProbe) } : {}),
    ...(c.startupProbe ? { startupProbe: probeWithDefaults(c.startupProbe) } : {}),
  };
}

function probeWithDefaults(p: Probe): Probe {
  return {
    ...p,
    ...(p.httpGet ? { httpGet: { path: '/', scheme: 'HTTP', ...p.httpGet } } : {}),
    timeoutSeconds: p.timeoutSeconds ?? 1,
    periodSeconds: p.periodSeconds ?? 10,
    successThreshold: p.successThreshold ?? 1,
    failureThreshold: p.failureThreshold ?? 3,
  };
}

/** A pod also gets what admission adds: service account, priority, the 300 s not-ready/unreachable tolerations. */
function podWithDefaults(pod: PodObject): PodObject {
  const spec = defaultedPodSpec(pod.spec);
  const hasRequests = spec.containers.some((c) => Object.keys(c.resources?.requests ?? {}).length > 0);
  return {
    ...pod,
    spec,
    status: { phase: 'Pending', qosClass: hasRequests ? 'Burstable' : 'BestEffort', ...pod.status },
  };
}

/**
 * Defaulting depends on the spec alone, and specs are immutable: the pods a ReplicaSet creates
 * from one template share one defaulted spec (until binding sets nodeName), and a spec that is
 * already defaulted is kept as it is rather than copied on every status write.
 */
const defaultedSpecs = new WeakMap<PodObject['spec'], PodObject['spec']>();

function defaultedPodSpec(spec: PodObject['spec']): PodObject['spec'] {
  let done = defaultedSpecs.get(spec);
  if (!done) {
    const fresh = podAdmissionDefaults(spec);
    done = sameJson(fresh, spec) ? spec : fresh;
    defaultedSpecs.set(spec, done);
    defaultedSpecs.set(done, done);
  }
  return done;
}

function podAdmissionDefaults(podSpec: PodObject['spec']): PodObject['spec'] {
  const spec = podSpecWithDefaults(podSpec);
  const pod = { spec: podSpec };
  return {
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
    // The Priority admission plugin: the built-in classes' values, else the default 0.
    priority: SYSTEM_PRIORITY_CLASSES[pod.spec.priorityClassName ?? ''] ?? 0,
    serviceAccountName: 'default',
    ...spec,
    tolerations: withDefaultTolerations(pod.spec.tolerations ?? []),
  };
}

/**
 * The DefaultTolerationSeconds admission plugin: a pod that does not already tolerate the
 * not-ready or the unreachable NoExecute taint (an empty key or effect tolerates it too) gets a
 * 300 s toleration for it, so its eviction waits 5 minutes.
 */
function withDefaultTolerations(tolerations: readonly Toleration[]): Toleration[] {
  const tolerates = (key: string): boolean =>
    tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
  const added = DEFAULT_TOLERATION_KEYS.filter((key) => !tolerates(key)).map(
    (key): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }),
  );
  return added.length === 0 ? (tolerations as Toleration[]) : [...tolerations, ...added];
}

const DEFAULT_TOLERATION_KEYS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

/** The two PriorityClasses every cluster has. */
const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-node-critical': 2_000_001_000,
  'system-cluster-critical': 2_000_000_000,
};

/** The Service CIDR (kube-apiserver --service-cluster-ip-range, kubeadm's default). */
export const SERVICE_CIDR = '10.96.0.0/12';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

/**
 * Service defaults and allocation: a ClusterIP from 10.96.0.0/12 (random, as the allocator's
 * bitmap picks), a NodePort from 30000-32767 for NodePort and LoadBalancer services, port
 * protocol TCP and targetPort = port.
 */
function serviceWithDefaults(svc: ServiceObject, rng?: Rng): ServiceObject {
  const type = svc.spec?.type ?? 'ClusterIP';
  const pick = (from: number, to: number): number => (rng ? rng.int(from, to) : from);
  const clusterIP =
    svc.spec?.clusterIP ??
    (type === 'ExternalName' ? undefined : `10.${pick(96, 111)}.${pick(0, 255)}.${pick(2, 254)}`);
  const ports = (svc.spec?.ports ?? []).map((p) => ({
    ...p,
    protocol: p.protocol ?? 'TCP',
    targetPort: p.targetPort ?? p.port,
    ...(type === 'NodePort' || type === 'LoadBalancer' ? { nodePort: p.nodePort ?? pick(30000, 32767) } : {}),
  }));
  return {
    ...svc,
    spec: {
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ...svc.spec,
      type,
      ports,
      ...(clusterIP ? { clusterIP, clusterIPs: svc.spec?.clusterIPs ?? [clusterIP] } : {}),
      ...(type === 'NodePort' || type === 'LoadBalancer'
        ? { externalTrafficPolicy: svc.spec?.externalTrafficPolicy ?? 'Cluster' }
        : {}),
    },
    status: { loadBalancer: {} },
  };
}

/** apps/v1 defaults (pkg/apis/apps/v1/defaults.go) for Deployments and ReplicaSets. */
function workloadWithDefaults(obj: DeploymentObject | ReplicaSetObject): KubeObject {
  const template = { ...obj.spec.template, spec: podSpecWithDefaults(obj.spec.template.spec) };
  if (obj.kind === 'ReplicaSet') return { ...obj, spec: { replicas: 1, ...obj.spec, template } };
  const d = obj as DeploymentObject;
  const strategy =
    d.spec.strategy?.type === 'Recreate'
      ? d.spec.strategy
      : {
          type: 'RollingUpdate' as const,
          rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%', ...d.spec.strategy?.rollingUpdate },
        };
  return {
    ...d,
    spec: {
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...d.spec,
      strategy,
      template,
    },
  };
}

function isKubeObject(v: unknown): v is KubeObject {
  return typeof v === 'object' && v !== null && 'metadata' in v;
}

/**
 * The object a stored version decodes to, resourceVersion set. What this server writes is decoded
 * once, as etcd applies it (`storedPut`), and every reader and watcher shares that object.
 */
function stamp(kv: KeyValue): KubeObject {
  // A stored Event is built anew for each reader: kube-apiserver keeps no watch cache of events.
  if (kv.value instanceof StoredEvent)
    return withResourceVersion(fromStorage(kv.value) as KubeObject, kv.modRevision);
  const stored = kv.value as KubeObject;
  if (Number(stored.metadata?.resourceVersion) === kv.modRevision) return stored;
  // Written to etcd by something else than an API server (a test): decoded on each read.
  return withResourceVersion(stored, kv.modRevision);
}

/**
 * How this server puts an object: in its stored form (eventStorage.ts), decoded once as etcd
 * applies it, with the revision it got as its resourceVersion.
 */
function storedPut(key: string, obj: KubeObject, lease?: string): Op {
  return { type: 'put', key, value: forStorage(obj), decode: atRevision, lease };
}

function atRevision(value: unknown, revision: number): unknown {
  return value instanceof StoredEvent || !isKubeObject(value) ? value : withResourceVersion(value, revision);
}

/** What a successful write answers: the decoded object its watchers get too, when still current. */
function written(member: EtcdMember, key: string, obj: KubeObject, revision: number): KubeObject {
  // The version this write stored, unless a later write got in already; Events are built anew.
  const kv = member.store.get(key);
  if (kv && kv.modRevision === revision && !(kv.value instanceof StoredEvent)) return stamp(kv);
  return withResourceVersion(obj, revision);
}

/** The object a watch event carries: the new version, or for a deletion the last one at the deletion's revision. */
function watchedObject(e: WatchEvent): KubeObject | undefined {
  if (e.type !== 'DELETE') {
    const value = e.kv.value;
    return value instanceof StoredEvent || isKubeObject(value) ? stamp(e.kv) : undefined;
  }
  const prev = e.prevKv && fromStorage(e.prevKv.value);
  return isKubeObject(prev) ? withResourceVersion(prev, e.kv.modRevision) : undefined;
}

/** Whether an update would store exactly what is there (resourceVersion aside). */
function unchanged(next: KubeObject, old: KubeObject): boolean {
  return sameMembers(next.metadata, old.metadata, 'resourceVersion') && sameMembers(next, old, 'metadata');
}

/**
 * Whether two JSON values encode the same, undefined members skipped as JSON.stringify skips them.
 * Member order does not count: the API server compares encoded bytes, whose order is the schema's.
 * Shared sub-objects compare by identity at once, and nothing is allocated.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    if (a.length !== bs.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i] ?? null, bs[i] ?? null)) return false;
    return true;
  }
  return sameMembers(a as Record<string, unknown>, b as Record<string, unknown>);
}

/** Whether two objects have the same defined members with the same JSON values, `except` aside. */
function sameMembers(a: object, b: object, except?: string): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const k in x) {
    const v = x[k];
    if (k === except || v === undefined || typeof v === 'function') continue;
    if (!sameJson(v, y[k])) return false;
    count++;
  }
  for (const k in y) {
    const v = y[k];
    if (k !== except && v !== undefined && typeof v !== 'function') count--;
  }
  return count === 0;
}

function withoutResourceVersion(metadata: Partial<ObjectMeta>): Partial<ObjectMeta> {
  const { resourceVersion: _dropped, ...rest } = metadata;
  return rest;
}

function withResourceVersion(obj: KubeObject, rev: number): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } };
}

/**
 * Field selectors: metadata.name and metadata.namespace on every kind, plus the fields each
 * registry adds (pods: spec.nodeName, status.phase, … as pkg/registry/core/pod does).
 */
function parseFieldSelector(text: string, resource = ''): ((o: KubeObject) => boolean) | string {
  if (text.trim() === '') return () => true;
  const tests: ((o: KubeObject) => boolean)[] = [];
  for (const part of text.split(',')) {
    const m = part.trim().match(/^([A-Za-z.]+)\s*(==|=|!=)\s*(.*)$/);
    if (!m) return `invalid selector: '${text}'; can't understand '${part}'`;
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const get = FIELD_GETTERS[field] ?? RESOURCE_FIELD_GETTERS[resource]?.[field];
    if (!get) return `field label not supported: ${field}`;
    tests.push(op === '!=' ? (o) => get(o) !== value : (o) => get(o) === value);
  }
  return (o) => tests.every((t) => t(o));
}

/** The update strategy of each resource's registry (AllowCreateOnUpdate / AllowUnconditionalUpdate). */
interface UpdateStrategy {
  readonly allowCreateOnUpdate: boolean;
  readonly allowUnconditionalUpdate: boolean;
}
const DEFAULT_UPDATE_STRATEGY: UpdateStrategy = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
};
const UPDATE_STRATEGY: Record<string, UpdateStrategy> = {
  // pkg/registry/coordination/lease/strategy.go
  leases: { allowCreateOnUpdate: true, allowUnconditionalUpdate: false },
};

type FieldGetter = (o: KubeObject) => string;

const FIELD_GETTERS: Record<string, FieldGetter> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

const pod = (o: KubeObject): PodObject => o as PodObject;
const RESOURCE_FIELD_GETTERS: Record<string, Record<string, FieldGetter>> = {
  pods: {
    'spec.nodeName': (o) => pod(o).spec.nodeName ?? '',
    'spec.schedulerName': (o) => pod(o).spec.schedulerName ?? '',
    'spec.restartPolicy': (o) => pod(o).spec.restartPolicy ?? '',
    'spec.serviceAccountName': (o) => pod(o).spec.serviceAccountName ?? '',
    'status.phase': (o) => pod(o).status?.phase ?? '',
    'status.podIP': (o) => pod(o).status?.podIP ?? '',
    'status.nominatedNodeName': (o) => pod(o).status?.nominatedNodeName ?? '',
  },
  replicasets: { 'status.replicas': (o) => String((o as ReplicaSetObject).status?.replicas ?? 0) },
  daemonsets: daemonSetFieldGetters,
  // pkg/registry/core/event/strategy.go ToSelectableFields: what describe filters events by.
  events: {
    'involvedObject.kind': (o) => (o as EventObject).involvedObject?.kind ?? '',
    'involvedObject.namespace': (o) => (o as EventObject).involvedObject?.namespace ?? '',
    'involvedObject.name': (o) => (o as EventObject).involvedObject?.name ?? '',
    'involvedObject.uid': (o) => (o as EventObject).involvedObject?.uid ?? '',
    'involvedObject.apiVersion': (o) => (o as EventObject).involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': (o) => (o as EventObject).involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': (o) => (o as EventObject).involvedObject?.fieldPath ?? '',
    reason: (o) => (o as EventObject).reason ?? '',
    reportingComponent: (o) => (o as EventObject).reportingComponent ?? '',
    source: (o) => (o as EventObject).source?.component ?? '',
    type: (o) => (o as EventObject).type ?? '',
  },
};
