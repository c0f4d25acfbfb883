import { expect, type Page } from '@playwright/test';

/** The terminal's visible text, row by row, as a person reads it off the screen. */
export async function terminalText(page: Page): Promise<string> {
  // innerText keeps xterm's rows on separate lines; textContent would run them together.
  // biome-ignore lint/performance/useDomNodeTextContent: see above
  return page.locator('[data-testid="terminal"] .xterm-rows').innerText();
}

/** Types a command into the terminal the way a person does, then presses Enter. */
export async function typeCommand(page: Page, command: string): Promise<void> {
  await page.locator('[data-testid="terminal"]').click();
  await page.keyboard.type(command, { delay: 5 });
  await page.keyboard.press('Enter');
}

/** Loads the lab and waits until the cluster is up and the terminal is ready for input. */
export async function openLab(page: Page, query = ''): Promise<void> {
  await page.goto(`/${query}`);
  await expect(page.locator('[data-testid="terminal"] .xterm-rows')).toContainText('Control Plane Lab');
  await page.waitForFunction(() => window.cplab?.state() !== undefined);
}
