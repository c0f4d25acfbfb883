import { expect, type Locator, type Page, test } from '@playwright/test';
import { openLab } from './helpers';

type Box = { x: number; y: number; width: number; height: number };

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not rendered');
  return b;
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The terminal's prompt line is on screen: the rows end above the bottom of the viewport. */
async function expectPromptOnScreen(page: Page): Promise<void> {
  const rows = await box(page.locator('[data-testid="terminal"] .xterm-screen'));
  const viewport = page.viewportSize()!;
  expect(rows.height).toBeGreaterThan(60);
  expect(rows.y + rows.height).toBeLessThanOrEqual(viewport.height);
}

test.describe('a 360 px wide embed', () => {
  test.use({ viewport: { width: 360, height: 640 } });

  test('shows every zone side by side, with card labels that do not run into each other', async ({
    page,
  }) => {
    await openLab(page);
    for (const zone of ['zone-a', 'zone-b', 'zone-c']) {
      const z = await box(page.locator(`g.zone[data-zone="${zone}"] rect.zone-bg`));
      expect(z.x).toBeGreaterThanOrEqual(0);
      expect(z.x + z.width).toBeLessThanOrEqual(360);
    }
    for (const cp of ['cp-1', 'cp-2', 'cp-3']) {
      const card = page.locator(`g.cp[data-node="${cp}"]`);
      // Too narrow for words: the state is a glyph, the components short names.
      await expect(card.locator('text.node-state')).toHaveText(/^[✓✗?✕]$/);
      const name = await box(card.locator('text.node-name'));
      const state = await box(card.locator('text.node-state'));
      const power = await box(card.locator('g.power'));
      expect(overlaps(name, state)).toBe(false);
      expect(overlaps(state, power)).toBe(false);
      const card1 = await box(card.locator('rect.card'));
      for (const chip of await card.locator('g.chip text').all()) {
        const t = await box(chip);
        expect(t.x + t.width).toBeLessThanOrEqual(card1.x + card1.width);
      }
    }
    await expectPromptOnScreen(page);
  });

  test('the inspector fits, and its close button can be reached', async ({ page }) => {
    await openLab(page);
    await page.locator('g.cp[data-node="cp-1"] rect.card').click();
    const inspector = page.getByTestId('inspector');
    await expect(inspector).toContainText('Name:');
    const close = page.getByRole('button', { name: 'Close inspector' });
    const b = await box(close);
    expect(b.x + b.width).toBeLessThanOrEqual(360);
    await close.click();
    await expect(inspector).toBeHidden();
  });

  test('a killed zone says so without covering its name', async ({ page }) => {
    await openLab(page);
    await page.evaluate(() => window.cplab!.run('kill zone zone-b'));
    const zone = page.locator('g.zone[data-zone="zone-b"]');
    await expect(zone).toHaveClass(/is-down/);
    const name = await box(zone.locator('text.zone-name'));
    const status = await box(zone.locator('text.zone-status'));
    expect(overlaps(name, status)).toBe(false);
  });
});

test.describe('a short 768×500 embed', () => {
  test.use({ viewport: { width: 768, height: 500 } });

  test('keeps the terminal prompt and the zones on screen', async ({ page }) => {
    await openLab(page);
    await expectPromptOnScreen(page);
    const picture = await box(page.locator('.topology-canvas'));
    for (const zone of ['zone-a', 'zone-b', 'zone-c']) {
      const z = await box(page.locator(`g.zone[data-zone="${zone}"] rect.zone-bg`));
      expect(z.y + z.height).toBeLessThanOrEqual(picture.y + picture.height + 1);
    }
    // Title and clock share one line.
    expect((await box(page.locator('.topbar'))).height).toBeLessThan(60);
  });
});

test('the terminal has no black strip under its last row', async ({ page }) => {
  await openLab(page);
  const bg = await page
    .locator('[data-testid="terminal"] .xterm-viewport')
    .evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(bg).toBe('rgb(11, 17, 32)');
});

test('busy workers keep their named tiles and count the pods they cannot draw', async ({ page }) => {
  await openLab(page);
  await page.evaluate(() => window.cplab!.run('speed 50'));
  await page.evaluate(() =>
    window.cplab!.run('kubectl create deployment web --image=nginx:1.27 --replicas=300'),
  );
  await page.waitForFunction(
    () => (window.cplab!.state()?.pods.filter((p) => p.node?.startsWith('worker-')).length ?? 0) >= 300,
  );
  // Six workers with 50 pods each: still six named tiles (not an anonymous dense canvas).
  await expect(page.locator('canvas.dense-workers')).toHaveCount(0);
  for (const w of ['worker-1', 'worker-6']) {
    const tile = page.locator(`g.worker[data-node="${w}"]`);
    await expect(tile.locator('text.node-name')).toHaveText(w);
    await expect(tile.locator('text.more-pods')).toHaveText(/^\+\d+$/);
    await expect(tile).toHaveAttribute('aria-label', /\d+ more pods than shown/);
  }
});

test('a stopped worker shows when the control plane marks it NotReady', async ({ page }) => {
  await openLab(page);
  await page.evaluate(() => window.cplab!.run('kill node worker-2'));
  const state = page.locator('g.worker[data-node="worker-2"] text.node-state');
  await expect(state).toHaveText('✕ DOWN');
  // node-monitor-grace-period (50 s since v1.32) after the last heartbeat, the node controller says NotReady.
  await page.evaluate(() => window.cplab!.run('advance 90s'));
  await expect(state).toHaveText('✕ NotReady');
  await expect(page.locator('g.worker[data-node="worker-2"]')).toHaveClass(/ready-down/);
});

test('a failed worker gets its unreachable taint on its tile, and the narration tells NotReady and the evictions', async ({
  page,
}) => {
  await openLab(page);
  // The narration shows its last lines only: remember every line it shows.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { narrationSeen: string[] }).narrationSeen = seen;
    const list = document.querySelector('.narration')!;
    new MutationObserver(() => {
      for (const li of list.querySelectorAll('li'))
        if (!seen.includes(li.textContent ?? '')) seen.push(li.textContent ?? '');
    }).observe(list, { childList: true, subtree: true, characterData: true });
  });
  const seen = () =>
    page.evaluate(() => (window as unknown as { narrationSeen: string[] }).narrationSeen.join('\n'));
  await page.evaluate(() =>
    window.cplab!.run('kubectl create deployment web --image=nginx:1.27 --replicas=6'),
  );
  await page.evaluate(() => window.cplab!.run('kill node worker-2'));
  await page.evaluate(() => window.cplab!.run('advance 90s'));
  const tile = page.locator('g.worker[data-node="worker-2"]');
  const badge = tile.locator('g.taint-badge');
  await expect(badge.locator('text')).toHaveText(/^⊘ unreachable/);
  await expect(badge).toHaveAttribute('data-taints', /node\.kubernetes\.io\/unreachable:NoExecute/);
  await expect(badge.locator('title')).toHaveText(/^Taints: .*unreachable:NoSchedule.*unreachable:NoExecute/);
  await expect(tile).toHaveAttribute('aria-label', /taints: node\.kubernetes\.io\/unreachable:NoSchedule/);
  await expect.poll(seen).toMatch(/The node controller marked worker-2 NotReady: no heartbeat for \d+s/);
  await expect.poll(seen).toMatch(/The node controller tainted worker-2 node\.kubernetes\.io\/unreachable/);
  await page.evaluate(() => window.cplab!.run('advance 6m'));
  await expect
    .poll(seen)
    .toMatch(
      /The taint eviction controller evicted \d+ pods? from worker-2 .*tolerated node\.kubernetes\.io\/unreachable:NoExecute for 300s/,
    );
  // Its replacement is told with it (or on its own line, when it is scheduled a frame later).
  await expect
    .poll(seen)
    .toMatch(/(the scheduler placed (it|them)|replacements? for .* evicted from worker-2) on worker-\d/);
  // The inspector lists the node's taints.
  await tile.click();
  await expect(page.getByTestId('node-taints')).toContainText('node.kubernetes.io/unreachable:NoExecute');
});
