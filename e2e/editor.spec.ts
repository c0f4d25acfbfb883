import { expect, test } from '@playwright/test';
import { openLab, typeCommand } from './helpers';

const screen = '[data-testid="terminal"] .xterm-rows';
/** The chips of web's Running pods in the picture (kube-system has its own). */
const webRunning = 'rect.pod.chip-running[data-key^="default/web-"]';

test('kubectl edit: change replicas in the pane, Ctrl-S, the Deployment scales to 4', async ({ page }) => {
  await openLab(page);
  await page.evaluate(() => window.cplab!.run('speed 50'));
  await typeCommand(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=2');
  await expect(page.locator(screen)).toContainText('deployment.apps/web created');
  await expect(page.locator(webRunning)).toHaveCount(2);

  await typeCommand(page, 'kubectl edit deployment web');
  const pane = page.getByRole('dialog', { name: 'kubectl edit deployment/web' });
  await expect(pane).toBeVisible();
  await expect(pane.locator('.cm-content')).toBeFocused();
  await expect(pane.locator('.cm-line').first()).toHaveText(
    "# Please edit the object below. Lines beginning with a '#' will be ignored,",
  );
  await expect(pane.getByText('✓ YAML parses')).toBeVisible();

  // Click at the end of `  replicas: 2` (spec comes before status), rub out the 2, type 4.
  const line = pane.locator('.cm-line', { hasText: /^\s*replicas: 2$/ }).first();
  await line.scrollIntoViewIfNeeded();
  await line.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('4', { delay: 20 });
  await expect(pane.locator('.cm-line', { hasText: /^\s*replicas: 4$/ })).toHaveCount(1);
  await page.keyboard.press('Control+s');

  await expect(pane).toBeHidden();
  await expect(page.locator(screen)).toContainText('deployment.apps/web edited');
  await expect(page.locator(webRunning)).toHaveCount(4);
  // The keyboard is back in the terminal.
  await expect(page.locator('[data-testid="terminal"] textarea')).toBeFocused();
});

test('kubectl edit: a broken file is marked as you type; Esc cancels', async ({ page }) => {
  await openLab(page);
  await typeCommand(page, 'kubectl create deployment web --image=nginx:1.27 --replicas=1');
  await expect(page.locator(screen)).toContainText('deployment.apps/web created');
  await typeCommand(page, 'kubectl edit deploy/web');
  const pane = page.getByTestId('editor-pane');
  await expect(pane.locator('.cm-content')).toBeFocused();
  const line = pane.locator('.cm-line', { hasText: /^\s*replicas: 1$/ }).first();
  await line.scrollIntoViewIfNeeded();
  await line.click();
  await page.keyboard.press('End');
  // A key without a value, under replicas.
  await page.keyboard.press('Enter');
  await page.keyboard.type('oops', { delay: 20 });
  await expect(pane.locator('.editor-status')).toContainText(/✗ \d+ YAML errors?: line \d+/);
  await expect(pane.locator('.cm-lintRange-error').first()).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(pane).toBeHidden();
  await expect(page.locator(screen)).toContainText('Edit cancelled, no changes made.');
});

test('vi notes.txt: type, save, cat shows it', async ({ page }) => {
  await openLab(page);
  await typeCommand(page, 'vi notes.txt');
  const pane = page.getByRole('dialog', { name: 'notes.txt (new file) — vi' });
  await expect(pane.locator('.cm-content')).toBeFocused();
  await page.keyboard.type('hello from the editor', { delay: 10 });
  await page.keyboard.press('Enter');
  await page.keyboard.type('second line', { delay: 10 });
  await pane.getByRole('button', { name: /Save/ }).click();
  await expect(pane).toBeHidden();
  await expect(page.locator(screen)).toContainText('"notes.txt" [New] 2L, 33B written');
  await typeCommand(page, 'cat notes.txt');
  await expect(page.locator(screen)).toContainText('hello from the editor');
  await expect(page.locator(screen)).toContainText('second line');
});

test('Ctrl-C in the terminal cancels the command and closes the pane', async ({ page }) => {
  await openLab(page);
  await typeCommand(page, 'nano todo.txt');
  const pane = page.getByTestId('editor-pane');
  await expect(pane.locator('.cm-content')).toBeFocused();
  await page.locator('[data-testid="terminal"]').click();
  await page.keyboard.press('Control+c');
  await expect(pane).toBeHidden();
  await expect(page.locator(screen)).toContainText('^C');
  const ls = await page.evaluate(() => window.cplab!.run('ls'));
  expect(ls.output).toContain('examples');
  expect(ls.output).not.toContain('todo.txt');
});
