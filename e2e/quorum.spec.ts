import { expect, test } from '@playwright/test';
import { openLab, terminalText, typeCommand } from './helpers';

test('kubectl get nodes lists the nine nodes of the HA cluster', async ({ page }) => {
  await openLab(page);
  await typeCommand(page, 'kubectl get nodes');
  for (const name of ['cp-1', 'cp-2', 'cp-3', 'worker-1', 'worker-6']) {
    await expect(page.locator('[data-testid="terminal"] .xterm-rows')).toContainText(name);
  }
  const text = await terminalText(page);
  const rows = text.split('\n').filter((l) => /^(cp|worker)-\d+\s+Ready\s/.test(l.trim()));
  expect(rows).toHaveLength(9);
  expect(text).toMatch(/NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/);
});

test('killing two control planes loses quorum; restarting one brings writes back', async ({ page }) => {
  await openLab(page);
  // Run the clock fast so etcd's 7 s request timeout passes quickly; nothing here sleeps.
  await page.evaluate(() => window.cplab!.run('speed 50'));
  await expect(page.getByTestId('quorum-banner-ok')).toBeVisible();

  // Each control-plane card has a kill/start button (a click elsewhere on the card inspects it).
  await page.locator('g.cp[data-node="cp-1"] g.power').click();
  await expect(page.locator('g.cp[data-node="cp-1"]')).toHaveClass(/is-down/);
  await page.locator('g.cp[data-node="cp-2"] g.power').click();
  await expect(page.locator('g.cp[data-node="cp-2"] text.node-state')).toHaveText('✕ DOWN');

  const banner = page.getByTestId('quorum-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('etcd has lost quorum: 1 of 3 members are up');

  await typeCommand(page, 'kubectl create namespace during-outage');
  await expect(page.locator('[data-testid="terminal"] .xterm-rows')).toContainText(
    /Error from server: etcdserver: request timed out|The connection to the server 10\.0\.0\.100:6443 was refused/,
  );

  await page.locator('g.cp[data-node="cp-1"] g.power').click();
  await expect(banner).toBeHidden();
  await expect(page.getByTestId('quorum-banner-ok')).toBeVisible();
  const created = await page.evaluate(() => window.cplab!.run('kubectl create namespace after-recovery'));
  expect(created).toEqual({ output: 'namespace/after-recovery created\n', exitCode: 0 });
  await expect(page.locator('[data-testid="terminal"] .xterm-rows')).toContainText(
    'namespace/after-recovery created',
  );
  const state = await page.evaluate(() => window.cplab!.state());
  expect(state?.etcd.quorum).toBe(true);
  expect(state?.nodes.find((n) => n.name === 'cp-2')?.up).toBe(false);
});

test('hostile URL parameters are ignored with a warning', async ({ page }) => {
  await openLab(page, `?scenario=${encodeURIComponent('<img src=x onerror=window.pwned=1>')}`);
  await expect(page.locator('[data-testid="terminal"] .xterm-rows')).toContainText(
    'warning: ignored scenario=',
  );
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  expect(await page.locator('img').count()).toBe(0);
  const state = await page.evaluate(() => window.cplab!.state());
  expect(state?.scenario).toBe('ha');
});
