import type { CronJobObject, JobObject } from '../../sim/api/batchTypes';
import type { ResourceInfo } from '../../sim/api/resources';
import { type EventView, labelSelectorString } from '../../sim/api/table';
import type {
  DaemonSetObject,
  DeploymentObject,
  EndpointsObject,
  KubeObject,
  LeaseObject,
  NamespaceObject,
  NodeObject,
  ReplicaSetObject,
  ServiceObject,
} from '../../sim/api/types';
import type { Task } from '../../sim/kernel/task';
import type { CommandSpec } from '../cli/command';
import {
  ALL_NAMESPACES_FLAG,
  CHUNK_SIZE_FLAG,
  errorExit,
  FILENAME_FLAG,
  KUSTOMIZE_FLAG,
  RECURSIVE_FLAG,
  refuseUnsupported,
  SELECTOR_FLAG,
} from '../cli/common';
import { discover, mappingAttempts, mapResource } from '../cli/discovery';
import { type ApiFailure, enhanceListError, failureMessage } from '../cli/errors';
import { readFilenameObjects } from '../cli/filenameObjects';
import { type CallResult, call, type Invocation } from '../cli/invocation';
import { isObject } from '../cli/manifests';
import { parseResourceArgs } from '../cli/resourceArgs';
import { flagBool, flagList, flagString } from '../flags';
import { describeCronJob, describeJob } from '../print/describe/batch';
import { describeDaemonSet } from '../print/describe/daemonSet';
import type { EventsSection } from '../print/describe/events';
import { describeGeneric } from '../print/describe/generic';
import { describeNamespace } from '../print/describe/namespace';
import { describeNode, type PodForNode } from '../print/describe/node';
import { describePod, type PodView } from '../print/describe/pod';
import { describeEndpoints, describeService } from '../print/describe/service';
import {
  countPodPhases,
  describeDeployment,
  describeReplicaSet,
  splitReplicaSets,
} from '../print/describe/workload';
import { reportErrors } from './get';

interface Item {
  readonly info: ResourceInfo;
  readonly name: string;
  readonly namespace?: string;
}

function* run(inv: Invocation): Task<number> {
  const refused = refuseUnsupported(inv, ['kustomize']);
  if (refused !== undefined) return refused;
  const fromFiles = flagList(inv.flags, 'filename').length > 0;
  const files = fromFiles ? yield* readFilenameObjects(inv) : undefined;
  if (files && !files.ok) return files.code;
  // With -f, the objects the manifests describe: "TYPE/NAME" tuples, each in its own namespace.
  const fromManifests = files?.ok ? files.read.entries.filter(isObject) : [];
  const parsed = fromFiles
    ? parseResourceArgs(fromManifests.map((o) => `${o.info.resource}/${o.name}`))
    : parseResourceArgs(inv.args);
  if (parsed.kind === 'none')
    return errorExit(
      inv,
      'You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.',
    );
  if (parsed.kind === 'error') return errorExit(inv, parsed.message);
  const allNamespaces = flagBool(inv.flags, 'all-namespaces');
  const selector = flagString(inv.flags, 'selector') ?? '';
  if (parsed.kind === 'types' && parsed.names.length > 0 && selector !== '')
    return errorExit(inv, 'name cannot be provided when a selector is specified');

  const typeArgs = parsed.kind === 'types' ? parsed.types : parsed.tuples.map((t) => t.type);
  const discovery = yield* discover(inv, mappingAttempts(typeArgs, parsed.kind === 'tuples'));
  if (!discovery.ok) {
    inv.err(failureMessage(discovery.failure));
    return 1;
  }
  const resources = discovery.resources;
  const wanted: { info: ResourceInfo; name?: string; namespace?: string }[] = [];
  if (fromFiles) {
    for (const o of fromManifests)
      wanted.push({
        info: o.info,
        name: o.name,
        ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
      });
  } else if (parsed.kind === 'tuples') {
    for (const t of parsed.tuples) {
      const m = mapResource(resources, t.type);
      if (!m.ok) return errorExit(inv, m.error);
      wanted.push({ info: m.info, name: t.name });
    }
  } else {
    for (const type of parsed.types) {
      const m = mapResource(resources, type);
      if (!m.ok) return errorExit(inv, m.error);
      if (parsed.names.length === 0) wanted.push({ info: m.info });
      for (const name of parsed.names) wanted.push({ info: m.info, name });
    }
  }

  // The builder's pass: which objects there are (a GET per name, a LIST per bare type).
  const items: Item[] = [];
  const errors: ApiFailure[] = [];
  for (const w of wanted) {
    const namespace = w.info.namespaced
      ? allNamespaces && !w.name
        ? undefined
        : (w.namespace ?? inv.namespace)
      : undefined;
    if (w.name !== undefined) {
      const r = yield* call<KubeObject>(inv, {
        verb: 'get',
        resource: w.info.resource,
        name: w.name,
        ...(namespace ? { namespace } : {}),
      });
      if (r.ok) items.push({ info: w.info, name: w.name, ...(namespace ? { namespace } : {}) });
      else if (
        r.failure.kind === 'status' &&
        r.failure.status.reason === 'NotFound' &&
        parsed.kind === 'types' &&
        parsed.types.length === 1 &&
        parsed.names.length === 1
      ) {
        // `describe TYPE NAME_PREFIX`: no exact match, so describe every object whose name starts so.
        return yield* describeMatching(inv, w.info, w.name, r.failure, resources);
      } else errors.push(r.failure);
      continue;
    }
    const r = yield* call<{ items: KubeObject[] }>(inv, {
      verb: 'list',
      resource: w.info.resource,
      ...(namespace ? { namespace } : {}),
      ...(selector ? { labelSelector: selector } : {}),
    });
    if (!r.ok) {
      errors.push(enhanceListError(r.failure, w.info, selector));
      continue;
    }
    for (const o of r.body.items) {
      items.push({
        info: w.info,
        name: o.metadata.name,
        ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
      });
    }
  }

  // The describers' pass: each one fetches what it shows.
  const seen = new Set<string>();
  let first = true;
  for (const item of items) {
    const d = yield* describeOne(inv, item, resources);
    if (!d.ok) {
      const key = failureMessage(d.failure);
      if (!seen.has(key)) errors.push(d.failure);
      seen.add(key);
      continue;
    }
    inv.out(first ? d.body : `\n\n${d.body}`);
    first = false;
  }
  if (items.length === 0 && errors.length === 0) {
    inv.err(allNamespaces ? 'No resources found\n' : `No resources found in ${inv.namespace} namespace.\n`);
  }
  return reportErrors(inv, errors);
}

/** DescribeMatchingResources: list the type and describe the objects whose names have the prefix. */
function* describeMatching(
  inv: Invocation,
  info: ResourceInfo,
  prefix: string,
  notFound: ApiFailure,
  resources: readonly ResourceInfo[],
): Task<number> {
  const namespace = info.namespaced ? inv.namespace : undefined;
  const list = yield* call<{ items: KubeObject[] }>(inv, {
    verb: 'list',
    resource: info.resource,
    ...(namespace ? { namespace } : {}),
  });
  if (!list.ok) {
    inv.err(failureMessage(list.failure));
    return 1;
  }
  let found = false;
  for (const o of list.body.items) {
    if (!o.metadata.name.startsWith(prefix)) continue;
    found = true;
    const d = yield* describeOne(
      inv,
      { info, name: o.metadata.name, ...(namespace ? { namespace } : {}) },
      resources,
    );
    if (!d.ok) {
      inv.err(failureMessage(d.failure));
      return 1;
    }
    inv.out(`${d.body}\n`);
  }
  if (!found) {
    inv.err(failureMessage(notFound));
    return 1;
  }
  return 0;
}

/** The describer for one object: Node and Namespace have their own layouts, others the generic one. */
function* describeOne(
  inv: Invocation,
  item: Item,
  resources: readonly ResourceInfo[],
): Task<CallResult<string>> {
  const showEvents = inv.flags.values.get('show-events') !== false;
  const nowMs = inv.ctx.cluster.sim.nowMs;
  /** searchEvents for this object (a pod's reference has no kind), or no section at all. */
  const eventsFor = function* (
    obj: KubeObject,
    kind: string | undefined,
    uid = obj.metadata.uid,
  ): Task<EventsSection> {
    if (!showEvents) return undefined;
    const events = yield* searchEvents(inv, {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace ?? '',
      ...(kind ? { kind } : {}),
      ...(uid ? { uid } : {}),
    });
    return { events, nowMs };
  };
  const r = yield* call<KubeObject>(inv, {
    verb: 'get',
    resource: item.info.resource,
    name: item.name,
    ...(item.namespace ? { namespace: item.namespace } : {}),
  });
  if (!r.ok) return r;
  if (item.info.group === '' && item.info.kind === 'Node') {
    const node = r.body as NodeObject;
    const pods: PodForNode[] = [];
    if (resources.some((x) => x.resource === 'pods' && x.group === '')) {
      const list = yield* call<{ items: PodForNode[] }>(inv, {
        verb: 'list',
        resource: 'pods',
        fieldSelector: `spec.nodeName=${item.name},status.phase!=Succeeded,status.phase!=Failed`,
      });
      if (!list.ok && !(list.failure.kind === 'status' && list.failure.status.reason === 'Forbidden'))
        return list;
      if (list.ok) pods.push(...list.body.items);
    }
    const lease = yield* call<LeaseObject>(inv, {
      verb: 'get',
      resource: 'leases',
      namespace: 'kube-node-lease',
      name: item.name,
    });
    const leaseOrError = lease.ok
      ? lease.body
      : {
          error:
            lease.failure.kind === 'status'
              ? lease.failure.status.message
              : failureMessage(lease.failure).trim(),
        };
    // Node events carry the node's uid (controllers) or its name (the kubelet): both are asked for.
    let events = yield* eventsFor(node, 'Node');
    const byName = yield* eventsFor(node, 'Node', node.metadata.name);
    if (events && byName) events = { events: [...events.events, ...byName.events], nowMs };
    return {
      ok: true,
      body: describeNode({ node, lease: leaseOrError, pods, events, nowMs }),
    };
  }
  if (item.info.group === '' && item.info.kind === 'Namespace') {
    return { ok: true, body: describeNamespace(r.body as NamespaceObject) };
  }
  if (item.info.group === '' && item.info.kind === 'Pod') {
    const events = yield* eventsFor(r.body, undefined);
    return { ok: true, body: describePod(r.body as PodView, events, nowMs) };
  }
  if (item.info.group === 'apps' && item.info.kind === 'ReplicaSet') {
    const rs = r.body as ReplicaSetObject;
    // getPodStatusForController: the pods the selector matches that this ReplicaSet controls.
    const pods = yield* call<{ items: PodView[] }>(inv, {
      verb: 'list',
      resource: 'pods',
      ...(item.namespace ? { namespace: item.namespace } : {}),
      labelSelector: labelSelectorString(rs.spec?.selector),
    });
    const counts = pods.ok
      ? countPodPhases(pods.body.items as Parameters<typeof countPodPhases>[0], rs.metadata.uid)
      : { error: failureMessage(enhanceListError(pods.failure, 'pods')).trim() };
    return { ok: true, body: describeReplicaSet(rs, counts, yield* eventsFor(rs, 'ReplicaSet')) };
  }
  if (item.info.group === 'apps' && item.info.kind === 'Deployment') {
    const d = r.body as DeploymentObject;
    const list = yield* call<{ items: ReplicaSetObject[] }>(inv, {
      verb: 'list',
      resource: 'replicasets',
      ...(item.namespace ? { namespace: item.namespace } : {}),
      labelSelector: labelSelectorString(d.spec?.selector),
    });
    // A failed lookup leaves the ReplicaSet lines out, as describe does.
    const { oldRSs, newRS } = list.ok
      ? splitReplicaSets(d, list.body.items)
      : { oldRSs: [], newRS: undefined };
    const events = yield* eventsFor(d, 'Deployment');
    return { ok: true, body: describeDeployment(d, oldRSs, newRS, events) };
  }
  if (item.info.group === 'apps' && item.info.kind === 'DaemonSet') {
    const ds = r.body as DaemonSetObject;
    // Unlike a ReplicaSet's, a DaemonSet's describe fails when its pods cannot be listed.
    const pods = yield* call<{ items: Parameters<typeof countPodPhases>[0] }>(inv, {
      verb: 'list',
      resource: 'pods',
      ...(item.namespace ? { namespace: item.namespace } : {}),
      labelSelector: labelSelectorString(ds.spec?.selector),
    });
    if (!pods.ok) return pods;
    const counts = countPodPhases(pods.body.items, ds.metadata.uid);
    return { ok: true, body: describeDaemonSet(ds, counts, yield* eventsFor(ds, 'DaemonSet')) };
  }
  if (item.info.group === '' && item.info.kind === 'Service') {
    const svc = r.body as ServiceObject;
    // The Service's endpoints, as describe lists its EndpointSlices (none: `<none>`).
    const ep = yield* call<EndpointsObject>(inv, {
      verb: 'get',
      resource: 'endpoints',
      name: svc.metadata.name,
      ...(item.namespace ? { namespace: item.namespace } : {}),
    });
    return {
      ok: true,
      body: describeService(svc, ep.ok ? ep.body : undefined, yield* eventsFor(svc, 'Service')),
    };
  }
  if (item.info.group === '' && item.info.kind === 'Endpoints') {
    const ep = r.body as EndpointsObject;
    return { ok: true, body: describeEndpoints(ep, yield* eventsFor(ep, 'Endpoints')) };
  }
  if (item.info.group === 'batch' && item.info.kind === 'Job') {
    const job = r.body as JobObject;
    return { ok: true, body: describeJob(job, yield* eventsFor(job, 'Job')) };
  }
  if (item.info.group === 'batch' && item.info.kind === 'CronJob') {
    const cj = r.body as CronJobObject;
    return { ok: true, body: describeCronJob(cj, yield* eventsFor(cj, 'CronJob')) };
  }
  return { ok: true, body: describeGeneric(r.body, yield* eventsFor(r.body, r.body.kind)) };
}

/**
 * describe.go's searchEvents: the events whose involvedObject is this object, by field selector
 * (name, namespace, kind, uid). Should the server not support those fields, the namespace's events
 * are filtered here instead. When the events cannot be listed, the section says `<none>`.
 */
function* searchEvents(
  inv: Invocation,
  ref: { name: string; namespace: string; kind?: string; uid?: string },
): Task<EventView[]> {
  const terms: [string, string | undefined][] = [
    ['involvedObject.name', ref.name],
    ['involvedObject.namespace', ref.namespace],
    ['involvedObject.kind', ref.kind],
    ['involvedObject.uid', ref.uid],
  ];
  const present = terms.filter((t): t is [string, string] => t[1] !== undefined);
  const r = yield* call<{ items: EventView[] }>(inv, {
    verb: 'list',
    resource: 'events',
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    fieldSelector: present.map(([k, v]) => `${k}=${v}`).join(','),
  });
  if (r.ok) return r.body.items;
  // A failed search still shows the section, empty (searchEvents returns its empty list).
  if (r.failure.kind !== 'status' || r.failure.status.reason !== 'BadRequest') return [];
  const all = yield* call<{ items: (EventView & { involvedObject?: Record<string, string> })[] }>(inv, {
    verb: 'list',
    resource: 'events',
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
  });
  if (!all.ok) return [];
  return all.body.items.filter((e) =>
    present.every(([k, v]) => (e.involvedObject?.[k.slice('involvedObject.'.length)] ?? '') === v),
  );
}

export const describeCommand: CommandSpec = {
  name: 'describe',
  short: 'Show details of a specific resource or group of resources',
  flags: [
    ALL_NAMESPACES_FLAG,
    CHUNK_SIZE_FLAG,
    FILENAME_FLAG('containing the resource to describe'),
    KUSTOMIZE_FLAG,
    RECURSIVE_FLAG,
    SELECTOR_FLAG,
    {
      name: 'show-events',
      type: 'bool',
      defaultValue: 'true',
      usage: 'If true, display events related to the described object.',
    },
  ],
  help: {
    long:
      'Show details of a specific resource or group of resources.\n\n' +
      ' Print a detailed description of the selected resources, including related resources such as events or controllers. You may select a single object by name, all objects of that type, provide a name prefix, or label selector. For example:\n\n' +
      '        $ kubectl describe TYPE NAME_PREFIX\n        \n' +
      ' will first check for an exact match on TYPE and NAME_PREFIX. If no such resource exists, it will output details for every resource that has a name prefixed with NAME_PREFIX.\n\n' +
      'Use "kubectl api-resources" for a complete list of supported resources.',
    examples: [
      '  # Describe a node',
      '  kubectl describe nodes kubernetes-node-emt8.c.myproject.internal',
      '  ',
      '  # Describe a pod',
      '  kubectl describe pods/nginx',
      '  ',
      '  # Describe a pod identified by type and name in "pod.json"',
      '  kubectl describe -f pod.json',
      '  ',
      '  # Describe all pods',
      '  kubectl describe pods',
      '  ',
      '  # Describe pods by label name=myLabel',
      '  kubectl describe pods -l name=myLabel',
      '  ',
      "  # Describe all pods managed by the 'frontend' replication controller",
      '  # (rc-created pods get the name of the rc as a prefix in the pod name)',
      '  kubectl describe pods frontend',
    ].join('\n'),
    usage: 'kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]',
  },
  run,
};
