import { expect, test } from '@playwright/test';
import { openLab, terminalText, typeCommand } from './helpers';

const screen = '[data-testid="terminal"] .xterm-rows';

test('help, history recall and Ctrl-C behave like a shell', async ({ page }) => {
  await openLab(page);
  await typeCommand(page, 'help');
  await expect(page.locator(screen)).toContainText('partition ZONE[,ZONE...]');

  await typeCommand(page, 'kubectl get ns');
  await expect(page.locator(screen)).toContainText('kube-node-lease');
  // Up arrow brings the last command back; Enter runs it again.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page.locator(screen).getByText('$ kubectl get ns')).toHaveCount(2);

  // A long wait is cancelled by Ctrl-C and the prompt comes back.
  await typeCommand(page, 'advance 1h');
  await page.keyboard.press('Control+C');
  await expect(page.locator(screen)).toContainText('$ advance 1h^C');
  await typeCommand(page, 'echo still-here');
  await expect(page.locator(screen)).toContainText('$ echo still-herestill-here');
  const lines = (await terminalText(page)).split('\n').map((l) => l.trimEnd());
  expect(lines).toContain('still-here');
  expect(lines.some((l) => l.startsWith('Advanced 1h'))).toBe(false);

  await typeCommand(page, 'kubeclt get nodes');
  await expect(page.locator(screen)).toContainText('bash: kubeclt: command not found');
});

test('a zone can be killed from the picture and its nodes go down', async ({ page }) => {
  await openLab(page);
  await page.locator('g.zone[data-zone="zone-b"] g.zone-head').click();
  await page.getByRole('menuitem', { name: /Kill zone-b/ }).click();
  await expect(page.locator('g.zone[data-zone="zone-b"]')).toHaveClass(/is-down/);
  await expect(page.locator('g.zone[data-zone="zone-b"] text.zone-status')).toHaveText('ZONE DOWN');
  await expect(page.locator(screen)).toContainText('zone-b is down: cp-2, worker-2, worker-5 stopped.');
  const state = await page.evaluate(() => window.cplab!.state());
  expect(state?.nodes.filter((n) => n.zone === 'zone-b').every((n) => !n.up)).toBe(true);
  // Two of three etcd members remain: still a quorum.
  await expect(page.getByTestId('quorum-banner-ok')).toBeVisible();

  await page.locator('g.zone[data-zone="zone-c"] g.zone-head').click();
  await page.getByRole('menuitem', { name: /Cut zone-c off/ }).click();
  await expect(page.locator('g.zone[data-zone="zone-c"] text.zone-status')).toHaveText('✂ CUT OFF');
  await expect(page.getByTestId('quorum-banner')).toBeVisible();
});
