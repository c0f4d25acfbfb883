import { base64 } from '../apiserver/batchDefaults';
import { hash32, hex64 } from '../kernel/hash';

/** Where every pod mounts its service account's token, CA and namespace (the kube-api-access volume). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The kubelet asks for tokens of this many seconds (an hour and 7 s). */
const TOKEN_SECONDS = 3607;
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const base64url = (text: string): string =>
  base64(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** A uuid-shaped id made from a hash of some parts (for ids this simulation does not keep). */
function uuidOf(seed: number, ...parts: readonly string[]): string {
  const h = hex64(seed, ...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The bound service account token the kubelet mounts into a pod: a JWT whose claims name the
 * issuer, the audience, the pod, its node and its service account, valid an hour from the pod's
 * start. Its signature is made up (nothing verifies it here), the same for the same pod.
 */
export function serviceAccountToken(
  seed: number,
  pod: { readonly namespace: string; readonly name: string; readonly uid: string; readonly node: string },
  issuedUnixS: number,
  serviceAccount = 'default',
): string {
  const kid = base64url(hex64(seed, 'kid').slice(0, 32)).slice(0, 43);
  const header = base64url(JSON.stringify({ alg: 'RS256', kid }));
  const claims = {
    aud: [ISSUER],
    exp: issuedUnixS + TOKEN_SECONDS,
    iat: issuedUnixS,
    iss: ISSUER,
    jti: uuidOf(seed, 'jti', pod.uid),
    'kubernetes.io': {
      namespace: pod.namespace,
      node: { name: pod.node, uid: uuidOf(seed, 'node', pod.node) },
      pod: { name: pod.name, uid: pod.uid },
      serviceaccount: { name: serviceAccount, uid: uuidOf(seed, 'sa', pod.namespace, serviceAccount) },
    },
    nbf: issuedUnixS,
    sub: `system:serviceaccount:${pod.namespace}:${serviceAccount}`,
  };
  const payload = base64url(JSON.stringify(claims));
  // An RS256 signature is 256 bytes: 342 base64url characters.
  let signature = '';
  for (let i = 0; i < 342; i++) signature += BASE64URL[hash32(seed, 'sig', pod.uid, i) % 64];
  return `${header}.${payload}.${signature}`;
}
