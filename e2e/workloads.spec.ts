import { expect, test } from '@playwright/test';
import { openLab, typeCommand } from './helpers';

const screen = '[data-testid="terminal"] .xterm-rows';

test('a Deployment of 6 spreads Running pods over the three zones; a dead zone gets its pods replaced', async ({
  page,
}) => {
  await openLab(page);
  await page.evaluate(() => window.cplab!.run('speed 50'));
  await typeCommand(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=6');
  await expect(page.locator(screen)).toContainText('deployment.apps/web created');

  // Six chips turn Running (filled) on the workers, two per zone.
  const running = page.locator('rect.pod.chip-running[data-key^="default/"]');
  await expect(running).toHaveCount(6);
  const state = await page.evaluate(() => window.cplab!.state()!);
  const zoneOf = new Map(state.nodes.map((n) => [n.name, n.zone]));
  const perZone = new Map<string, number>();
  for (const p of state.pods.filter((p) => p.namespace === 'default'))
    perZone.set(zoneOf.get(p.node ?? '') ?? '?', (perZone.get(zoneOf.get(p.node ?? '') ?? '?') ?? 0) + 1);
  expect([...perZone.values()].sort()).toEqual([2, 2, 2]);

  // Kill zone-a: after the grace period and the 300 s toleration its pods are replaced elsewhere.
  await page.locator('g.zone[data-zone="zone-a"] g.zone-head').click();
  await page.getByRole('menuitem', { name: /Kill zone-a/ }).click();
  await page.evaluate(() => window.cplab!.run('advance 7m'));
  await expect
    .poll(async () => {
      const s = await page.evaluate(() => window.cplab!.state()!);
      const live = s.pods.filter((p) => p.namespace === 'default' && p.status === 'Running' && p.ready);
      return live.length === 6 && live.every((p) => zoneOf.get(p.node ?? '') !== 'zone-a');
    })
    .toBe(true);
});

test('the event pane streams what each component did', async ({ page }) => {
  await openLab(page);
  await typeCommand(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=2');
  await expect(page.locator(screen)).toContainText('deployment.apps/web created');
  await page.getByRole('tab', { name: 'Events' }).click();
  const pane = page.getByTestId('event-stream');
  await expect(pane).toContainText('ScalingReplicaSet');
  await expect(pane).toContainText('deployment-controller');
  await expect(pane.locator('tr', { hasText: 'Scheduled' }).first()).toContainText('default-scheduler');
  await expect(pane.locator('tr', { hasText: 'Started' }).first()).toContainText(/kubelet, worker-\d/);
  // Back to the terminal: it kept its contents.
  await page.getByRole('tab', { name: 'Terminal' }).click();
  await expect(page.locator(screen)).toContainText('deployment.apps/web created');
});

test('clicking a pod opens the inspector with kubectl describe and its YAML', async ({ page }) => {
  await openLab(page);
  await page.evaluate(() =>
    window.cplab!.run('kubectl create deployment web --image=nginx:1.27 --replicas=1'),
  );
  const chip = page.locator('rect.pod.chip-running[data-key^="default/"]').first();
  await expect(chip).toBeVisible();
  await chip.click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText(/Name: +web-\w+-\w{5}/);
  await expect(inspector).toContainText(/Status: +Running/);
  await inspector.getByRole('tab', { name: 'YAML' }).click();
  await expect(inspector).toContainText('kind: Pod');
  await inspector.getByRole('button', { name: 'Close inspector' }).click();
  await expect(inspector).toBeHidden();
});

test('a pod of two containers typed as a heredoc: its crashing sidecar shows on the chip and in the inspector', async ({
  page,
}) => {
  await openLab(page);
  const manifest = [
    'kubectl apply -f - <<EOF',
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: two',
    'spec:',
    '  containers:',
    '  - name: web',
    '    image: nginx:1.27',
    '  - name: side',
    '    image: busybox:1.36',
    '    command: ["sh", "-c", "echo bye; exit 1"]',
    'EOF',
  ];
  for (const line of manifest) await typeCommand(page, line);
  await expect(page.locator('[data-testid="terminal"] .xterm-rows')).toContainText('pod/two created');
  await page.evaluate(() => window.cplab!.run('advance 45s'));
  await typeCommand(page, 'kubectl get pod two');
  await expect(page.locator('[data-testid="terminal"] .xterm-rows')).toContainText(
    /two\s+1\/2\s+CrashLoopBackOff\s+\d \(\d+s ago\)/,
  );
  // The pod's chip is drawn as failing (outlined, not filled): a click inside it opens the inspector.
  const chip = page.locator('rect.pod[data-key="default/two"]');
  await expect(chip).toHaveClass(/chip-failing/);
  await chip.click({ timeout: 5000 });
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText(
    /web:[\s\S]*State: +Running[\s\S]*side:[\s\S]*Reason: +CrashLoopBackOff/,
  );
  await expect(inspector).toContainText(/Back-off restarting failed container side in pod two_default/);
});

test('init containers hold a pod at Init:0/2 until the Services they wait for exist', async ({ page }) => {
  await openLab(page);
  await typeCommand(page, 'kubectl apply -f examples/init-containers.yaml');
  await expect(page.locator(screen)).toContainText('pod/myapp-pod created');
  await page.evaluate(() => window.cplab!.run('advance 8s'));
  await typeCommand(page, 'kubectl get pod myapp-pod');
  await expect(page.locator(screen)).toContainText(/myapp-pod\s+0\/1\s+Init:0\/2/);
  // Its chip is outlined (starting), not filled.
  await expect(page.locator('rect.pod.chip-running[data-key="default/myapp-pod"]')).toHaveCount(0);
  await typeCommand(page, 'kubectl create service clusterip myservice --tcp=80:9376');
  await typeCommand(page, 'kubectl create service clusterip mydb --tcp=80:9377');
  await page.evaluate(() => window.cplab!.run('advance 10s'));
  await expect(page.locator('rect.pod.chip-running[data-key="default/myapp-pod"]')).toHaveCount(1);
  await typeCommand(page, 'kubectl logs myapp-pod');
  await expect(page.locator(screen)).toContainText('The app is running!');
});
