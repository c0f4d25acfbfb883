import type { ResourceInfo } from '../sim/api/resources';
import type { CompletionSource } from './complete';
import { PROGRAMS } from './programs';
import type { Session } from './session';

/**
 * What completion reads from a session: object names straight from a live etcd member's store
 * (completing a name costs no simulated time and no API request), files from the lab filesystem.
 */
export function sessionCompletionSource(session: Session): CompletionSource {
  const cluster = session.cluster;
  return {
    programs: [...PROGRAMS.keys()],
    namespace: session.namespace,
    objectNames(resource: ResourceInfo, namespace: string | undefined): readonly string[] {
      const member = cluster
        .controlPlanes()
        .map((h) => cluster.etcdMember(h.name))
        .find((m) => m?.isAlive);
      if (!member) return [];
      const prefix =
        resource.namespaced && namespace !== undefined
          ? `${resource.etcdPrefix}/${namespace}/`
          : `${resource.etcdPrefix}/`;
      return member.store
        .range(prefix, true)
        .kvs.map((kv) => kv.key.slice(kv.key.lastIndexOf('/') + 1))
        .slice(0, MAX_NAMES);
    },
    listDir(path: string) {
      const listed = session.files.list(path);
      return listed.ok ? listed.value : [];
    },
  };
}

/** Enough for any list a person reads; a 150,000-pod cluster is not offered whole. */
const MAX_NAMES = 1000;
