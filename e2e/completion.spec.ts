import { expect, test } from '@playwright/test';
import { openLab, terminalText, typeCommand } from './helpers';

const screen = '[data-testid="terminal"] .xterm-rows';

test('Tab completes a pod name from the cluster; Ctrl-R finds an earlier command', async ({ page }) => {
  await openLab(page);
  await page.evaluate(() => window.cplab!.run('speed 20'));
  await typeCommand(page, 'kubectl create deployment web --image=nginx:1.27');
  await typeCommand(page, 'kubectl rollout status deployment/web');
  await expect(page.locator(screen)).toContainText('successfully rolled out');

  // The pod's name is generated; a person types its prefix and presses Tab.
  const podName = await page.evaluate(async () => {
    const out = await window.cplab!.run('kubectl get pods -o name');
    return out.output.trim().replace('pod/', '');
  });
  expect(podName).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}$/);
  await page.locator('[data-testid="terminal"]').click();
  await page.keyboard.type('kubectl describe pod we', { delay: 5 });
  await page.keyboard.press('Tab');
  await expect(page.locator(screen)).toContainText(`$ kubectl describe pod ${podName}`);
  await page.keyboard.press('Enter');
  await expect(page.locator(screen)).toContainText(`Successfully assigned default/${podName}`);

  // Ctrl-R searches the history.
  await typeCommand(page, 'clear');
  await page.keyboard.press('Control+R');
  await page.keyboard.type('rollout', { delay: 5 });
  await expect(page.locator(screen)).toContainText(
    "(reverse-i-search)`rollout': kubectl rollout status deployment/web",
  );
  await page.keyboard.press('Enter');
  await expect(page.locator(screen)).toContainText('successfully rolled out');
  expect(
    (await terminalText(page)).split('\n').filter((l) => l.startsWith('$ kubectl rollout status')),
  ).toHaveLength(1);
});
