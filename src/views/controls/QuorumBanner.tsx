import { useLabStore } from '../../store/labStore';

/** Says, in words, when the cluster refuses writes: etcd without quorum, or no API server left. */
export function QuorumBanner() {
  const snapshot = useLabStore((s) => s.snapshot);
  if (!snapshot) return null;
  const members = snapshot.etcd.members;
  const up = members.filter((m) => m.up).length;
  const majority = Math.floor(members.length / 2) + 1;
  let message: string | undefined;
  if (!snapshot.etcd.quorum) {
    message =
      up < majority
        ? `etcd has lost quorum: ${up} of ${members.length} members are up and ${majority} are needed. Writes and consistent reads are refused.`
        : `etcd has no leader it can commit with (${up} of ${members.length} members up, but not a connected majority). Writes are refused.`;
  } else if (snapshot.apiServersReady.length === 0) {
    message = 'No API server is ready: kubectl requests are refused.';
  }
  if (!message) {
    return (
      <div className="banner ok" role="status" data-testid="quorum-banner-ok">
        ✓ etcd has quorum ({snapshot.etcd.leader} leads, term {snapshot.etcd.term}); writes are accepted.
      </div>
    );
  }
  return (
    <div className="banner alert" role="alert" data-testid="quorum-banner">
      ⚠ {message}
    </div>
  );
}
