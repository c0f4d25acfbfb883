import { expect, test } from '@playwright/test';
import { openLab, terminalText } from './helpers';

test('the scheduler is seen at work: a cordoned node is rejected with its reason, the pod flies and runs', async ({
  page,
}) => {
  await openLab(page);
  const run = (line: string) => page.evaluate((l) => window.cplab!.run(l), line);
  await run('kubectl cordon worker-2');
  await expect(page.locator('g.worker[data-node="worker-2"]')).toHaveClass(/is-cordoned/);

  // At 1× the cycle is animated slowly enough to read: rejected nodes carry the filter's reason.
  await run('kubectl create deployment web --image=nginx:1.27 --replicas=1');
  const caption = page.getByTestId('scheduling-caption');
  await expect(caption).toContainText(/scheduler \(cp-\d\): web-\w+-\w{5}/);
  await expect(page.locator('g.sched-filtered[data-node="worker-2"]')).toContainText('unschedulable');
  await expect(page.locator('g.sched-filtered[data-node="cp-1"]')).toContainText('untolerated taint');
  await expect(caption).toContainText('filter: 4 of 9 nodes rejected (3 untolerated taint, 1 unschedulable)');
  const winner = page.locator('g.sched-winner');
  await expect(winner).toContainText('★');
  const chosen = await winner.getAttribute('data-node');
  expect(chosen).toMatch(/^worker-[13456]$/);
  await expect(caption).toContainText(`bind → ${chosen}`);

  // On its node the pod pulls its image, then runs.
  await expect(page.locator('rect.pod.chip-pulling[data-key^="default/"]')).toHaveCount(1);
  await expect(page.locator(`g.worker[data-node="${chosen}"] text.node-state`)).toHaveText('⇣ pulling');
  await expect(page.locator('rect.pod.chip-running[data-key^="default/"]')).toHaveCount(1);
  const state = await page.evaluate(() => window.cplab!.state()!);
  expect(state.pods.filter((p) => p.namespace === 'default')).toEqual([
    expect.objectContaining({ node: chosen, status: 'Running' }),
  ]);
  // The animation is over: no marks are left behind.
  await expect(page.locator('g.sched-mark')).toHaveCount(0);
  await expect(caption).toBeHidden();
});

test('a big cluster stays within the DOM budget while a burst is scheduled', async ({ page }) => {
  await openLab(page, '?scenario=large');
  await page.evaluate(() =>
    window.cplab!.run('kubectl create deployment web --image=nginx:1.27 --replicas=300'),
  );
  const caption = page.getByTestId('scheduling-caption');
  await expect(caption).toContainText(/of 103 nodes rejected/);
  // One cycle is animated; the others are counted and their pods simply appear (on a canvas).
  await expect(caption).toContainText(/\+\d+ more scheduling cycles meanwhile/);
  expect(await page.evaluate(() => document.getElementsByTagName('*').length)).toBeLessThanOrEqual(1400);
  await expect
    .poll(
      async () =>
        (await page.evaluate(() => window.cplab!.state()!)).pods.filter(
          (p) => p.namespace === 'default' && p.node,
        ).length,
    )
    .toBe(300);
  expect(await page.locator('rect.pod').count()).toBe(0);
});

test('clicking a node opens kubectl describe node; the inspector cordons it', async ({ page }) => {
  await openLab(page);
  await page.locator('g.worker[data-node="worker-1"] rect.card').click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText(/Name: +worker-1/);
  await expect(inspector).toContainText('Conditions:');
  await expect(inspector).toContainText('Allocated resources:');
  await expect(inspector).toContainText(/Unschedulable: +false/);
  await expect(inspector).toContainText('worker · zone-a · ✓ Ready');

  await inspector.getByRole('button', { name: 'Cordon' }).click();
  await expect(inspector).toContainText(/Unschedulable: +true/);
  await expect(inspector).toContainText('⊘ cordoned');
  expect(await terminalText(page)).toContain('node/worker-1 cordoned');
  await expect(page.locator('g.worker[data-node="worker-1"]')).toHaveClass(/is-cordoned/);

  await inspector.getByRole('tab', { name: 'YAML' }).click();
  await expect(inspector).toContainText('kind: Node');
  await expect(inspector).toContainText('unschedulable: true');
  await inspector.getByRole('button', { name: 'Close inspector' }).click();
  await expect(inspector).toBeHidden();
});
