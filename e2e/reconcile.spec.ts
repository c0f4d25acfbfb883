import { expect, test } from '@playwright/test';
import { openLab, terminalText } from './helpers';

test('scaling a Deployment: the reconciliation view shows desired against ready converging', async ({
  page,
}) => {
  await openLab(page);
  const run = (line: string) => page.evaluate((l) => window.cplab!.run(l), line);
  const panel = page.getByTestId('reconcile');
  await expect(panel).toContainText('No Deployments yet');

  await run('kubectl create deployment web --image=nginx:1.27 --replicas=2');
  const row = panel.locator('tr.deploy[data-deployment="web"]');
  const state = panel.getByTestId('state-web');
  await expect(row.locator('[data-field="desired"]')).toHaveText('2');
  await expect(state).toHaveText('✓ converged');

  await run('kubectl scale deployment web --replicas=5');
  // Desired moves first; the observed counts catch up as the controllers act.
  await expect(row.locator('[data-field="desired"]')).toHaveText('5');
  await expect(state).toContainText(/⟳ [234] of 5 ready/);
  await expect(row.locator('[data-field="ready"] .lag')).toBeVisible();
  const rs = panel.locator('tr.rs').first();
  await expect(rs.getByTestId('controller-act')).toContainText('+ 3 pods created');
  await expect(state).toHaveText('✓ converged');
  await expect(row.locator('[data-field="ready"]')).toHaveText('5');
  await expect(row.locator('.lag')).toHaveCount(0);

  await run('kubectl scale deployment web --replicas=1');
  await expect(rs.getByTestId('controller-act')).toContainText('− 4 pods deleted');
  await expect(row.locator('[data-field="ready"]')).toHaveText('1');

  // The Deployment's name opens the inspector on it; its buttons scale it through the terminal.
  await row.getByRole('button', { name: 'deploy/web' }).click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText(/Replicas: +1 desired/);
  await inspector.getByRole('button', { name: 'Scale +1' }).click();
  await expect(row.locator('[data-field="desired"]')).toHaveText('2');
  expect(await terminalText(page)).toContain('deployment.apps/web scaled');
  await expect(inspector).toContainText(/Replicas: +2 desired/);
});

test('a rollout shows the new ReplicaSet growing while the old one shrinks', async ({ page }) => {
  await openLab(page);
  const run = (line: string) => page.evaluate((l) => window.cplab!.run(l), line);
  await run('speed 5');
  await run('kubectl create deployment web --image=nginx:1.27 --replicas=3');
  const panel = page.getByTestId('reconcile');
  await expect(panel.getByTestId('state-web')).toHaveText('✓ converged');
  await run('kubectl set image deployment/web nginx=nginx:1.26');
  await expect(panel.getByTestId('state-web')).toContainText('rolling out');
  await expect(panel.locator('tr.rs-new')).toContainText('nginx:1.26');
  await expect(panel.locator('tr.rs-old')).toContainText('nginx:1.27');
  await expect(panel.getByTestId('state-web')).toHaveText('✓ converged');
  await expect(panel.locator('tr.rs-new td.num').first()).toHaveText('3');
  // The old ReplicaSet, scaled to zero, is history: counted, not listed.
  await expect(panel.locator('tr.rs-old')).toHaveCount(0);
  await expect(panel.locator('tr.rs-idle')).toContainText('1 older ReplicaSet at 0');
});
