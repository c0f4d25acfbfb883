import { expect, test } from '@playwright/test';
import { openLab, terminalText, typeCommand } from './helpers';

const screen = '[data-testid="terminal"] .xterm-rows';

test('kubectl get pods -w streams rows as pods start, until Ctrl-C', async ({ page }) => {
  await openLab(page);
  // Created before the watch (window.cplab.run would queue behind it); its pods are still starting.
  const created = await page.evaluate(() =>
    window.cplab!.run('kubectl create deployment web --image=nginx:1.27 --replicas=3'),
  );
  expect(created.output).toBe('deployment.apps/web created\n');

  await typeCommand(page, 'kubectl get pods -w');
  await expect(page.locator(screen)).toContainText('NAME');
  // New rows appear as the pods are scheduled, pull their image and run.
  await expect(page.locator(screen)).toContainText('ContainerCreating');
  await expect
    .poll(
      async () =>
        (await terminalText(page)).split('\n').filter((l) => /^web-\S+ +1\/1 +Running /.test(l)).length,
    )
    .toBe(3);
  const rows = (await terminalText(page)).split('\n').filter((l) => /^web-\S+ /.test(l));
  // Each pod is printed again at each change: more rows than pods.
  expect(rows.length).toBeGreaterThan(3);
  expect(rows.some((l) => / 0\/1 +ContainerCreating /.test(l))).toBe(true);

  await page.keyboard.press('Control+C');
  await expect(page.locator(screen)).toContainText('^C');
  await typeCommand(page, 'echo still-here');
  await expect(page.locator(screen)).toContainText('$ echo still-herestill-here');
  // The watch printed nothing after Ctrl-C.
  const after = (await terminalText(page)).split('\n');
  const stop = after.findIndex((l) => l.includes('^C'));
  expect(after.slice(stop + 1).some((l) => /^web-/.test(l))).toBe(false);
  await typeCommand(page, 'kubectl get deploy web');
  await expect(page.locator(screen)).toContainText(/web +3\/3 +3 +3 /);
});
