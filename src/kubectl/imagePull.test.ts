import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';

/**
 * Image pulls as the kubelet makes them: one at a time per node (serializeImagePulls), each pod
 * asking for its own; a pull whose layers are already on the node is only the manifest check. The
 * Pulled event says how long the pull took and how long since it was asked, as Go prints durations.
 */

function ok(s: Session, line: string): string {
  const r = s.run(line);
  expect(r.code, r.output).toBe(0);
  return r.stdout;
}

const pulledMessages = (s: Session): string[] =>
  ok(
    s,
    'kubectl get events --field-selector reason=Pulled --sort-by=.metadata.creationTimestamp -o jsonpath=\'{range .items[*]}{.message}{"\\n"}{end}\'',
  )
    .split('\n')
    .filter((m) => m.includes('"nginx:1.27"'));

const deployment = (name: string, node: string, policy = 'IfNotPresent', replicas = 3): string =>
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      nodeName: ${node}
      containers:
      - name: nginx
        image: nginx:1.27
        imagePullPolicy: ${policy}
`;

describe('image pulls on one node', () => {
  it('queue behind each other: the first pulls the layers, the rest wait and only check the manifest', () => {
    const s = new Session({ scenario: 'ha', seed: 2 });
    expect(s.run('kubectl apply -f - <<EOF', deployment('web', 'worker-1')).code).toBe(0);
    ok(s, 'kubectl rollout status deployment/web');
    const pulled = pulledMessages(s);
    expect(pulled).toHaveLength(3);
    const size = 'Image size: 72955512 bytes.';
    expect(pulled[0]).toBe(
      `Successfully pulled image "nginx:1.27" in 2.2s (2.2s including waiting). ${size}`,
    );
    // The others asked at about the same time and waited for the pulls before theirs.
    const waits = pulled.slice(1).map((m) => {
      const match =
        /^Successfully pulled image "nginx:1\.27" in 400ms \(([\d.]+)s including waiting\)\. /.exec(m);
      expect(match, m).not.toBeNull();
      return Number(match?.[1]);
    });
    expect(waits[0]).toBeGreaterThan(2.5);
    expect(waits[0]).toBeLessThan(2.7);
    expect(waits[1]).toBeGreaterThan(2.9);
    expect(waits[1]).toBeLessThan(3.1);
  });

  it('under imagePullPolicy Always, pull an image the node has as a manifest check', () => {
    const s = new Session({ scenario: 'ha', seed: 2 });
    expect(s.run('kubectl apply -f - <<EOF', deployment('a', 'worker-2', 'IfNotPresent', 1)).code).toBe(0);
    ok(s, 'kubectl rollout status deployment/a');
    expect(s.run('kubectl apply -f - <<EOF', deployment('b', 'worker-2', 'Always', 1)).code).toBe(0);
    ok(s, 'kubectl rollout status deployment/b');
    const pulled = pulledMessages(s);
    expect(pulled).toEqual([
      'Successfully pulled image "nginx:1.27" in 2.2s (2.2s including waiting). Image size: 72955512 bytes.',
      'Successfully pulled image "nginx:1.27" in 400ms (400ms including waiting). Image size: 72955512 bytes.',
    ]);
  });

  it('a pull that fails waits its turn too: the registry answers after the pull before it', () => {
    const s = new Session({ scenario: 'ha', seed: 2 });
    const pod = (name: string, image: string): string =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  nodeName: worker-1\n  containers:\n  - name: c\n    image: ${image}\n`;
    expect(s.run('kubectl apply -f - <<EOF', pod('big', 'nginx:1.27')).code).toBe(0);
    expect(s.run('kubectl apply -f - <<EOF', pod('bad', 'nginx:no-such-tag')).code).toBe(0);
    ok(s, 'advance 10s');
    const at = (name: string, reason: string): number =>
      Date.parse(
        ok(
          s,
          `kubectl get events --field-selector involvedObject.name=${name},reason=${reason} -o jsonpath='{.items[0].firstTimestamp}'`,
        ),
      );
    // Asked at the same instant, the failure comes after nginx's 2.2 s pull and its own 0.8 s.
    expect(at('bad', 'Failed') - at('big', 'Pulling')).toBeGreaterThanOrEqual(2000);
    expect(ok(s, 'kubectl get pod bad --no-headers')).toMatch(/^bad +0\/1 +(ErrImagePull|ImagePullBackOff) /);
  });
});
