import { expect, test } from '@playwright/test';
import { openLab } from './helpers';

test('a bad image stalls the rollout; rollout undo brings the old pods back', async ({ page }) => {
  await openLab(page);
  const run = (line: string) => page.evaluate((l) => window.cplab!.run(l), line);
  await run('speed 20');
  await run('kubectl create deployment web --image=nginx:1.27 --replicas=3');
  await expect(page.locator('rect.pod.chip-running[data-key^="default/"]')).toHaveCount(3);

  expect(await run('kubectl set image deployment/web nginx=nginx:9.99')).toEqual({
    output: 'deployment.apps/web image updated\n',
    exitCode: 0,
  });
  // The new pod cannot pull its image: a failing chip appears, the old pods keep serving.
  await expect(page.locator('rect.pod.chip-failing[data-key^="default/"]').first()).toBeVisible();
  await expect(page.locator('rect.pod.chip-running[data-key^="default/"]')).toHaveCount(3);

  expect((await run('kubectl rollout undo deployment/web')).output).toBe('deployment.apps/web rolled back\n');
  await expect(page.locator('rect.pod.chip-failing[data-key^="default/"]')).toHaveCount(0);
  await expect(page.locator('rect.pod.chip-running[data-key^="default/"]')).toHaveCount(3);
  await expect
    .poll(async () => (await run('kubectl get rs -o wide')).output)
    .toMatch(/web-\w+ +3 +3 +3 +\S+ +nginx +nginx:1\.27 /);
  expect((await run('kubectl get rs -o wide')).output).toMatch(/web-\w+ +0 +0 +0 +\S+ +nginx +nginx:9\.99 /);
});
