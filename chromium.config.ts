import { existsSync } from 'node:fs';

/**
 * How we drive Chromium, for the end-to-end tests and the page benchmarks. Playwright's own browser
 * download cannot work on our machines, so Debian's Chromium is used; CPLAB_CHROMIUM overrides the
 * path. Where neither exists (a laptop with a Playwright-managed browser), Playwright's own is used.
 */
const chromiumPath = process.env.CPLAB_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumExecutable: string | undefined = existsSync(chromiumPath) ? chromiumPath : undefined;

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
