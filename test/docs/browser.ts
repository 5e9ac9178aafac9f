// Real headless Chromium driven by playwright-core, for the docs site tests. The browser is found the
// way a user has one; none found means those tests are skipped with one line saying how to get one
// (except under CI, which installs Debian's chromium and must run them).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { tempDir } from '../helpers/project.js';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Where a browser is looked for, in order: the environment, Debian/Ubuntu, Google Chrome, playwright's own cache. */
export function browserCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = [env.CHROMIUM_PATH, env.CHROME_PATH].filter((x): x is string => !!x);
  const system = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome'];
  const cache = env.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), '.cache/ms-playwright');
  const fromPlaywright: string[] = [];
  if (existsSync(cache)) {
    for (const d of readdirSync(cache).sort().reverse()) {
      if (d.startsWith('chromium_headless_shell-')) fromPlaywright.push(join(cache, d, 'chrome-linux/headless_shell'));
      else if (d.startsWith('chromium-')) fromPlaywright.push(join(cache, d, 'chrome-linux/chrome'));
    }
  }
  return [...fromEnv, ...system, ...fromPlaywright];
}

export function findBrowser(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return browserCandidates(env).find((p) => existsSync(p));
}

export const BROWSER = findBrowser();
export const NO_BROWSER_LINE =
  'docs site browser tests skipped: no Chromium found (CHROMIUM_PATH, CHROME_PATH, /usr/bin/chromium, Google Chrome, ~/.cache/ms-playwright). ' +
  'Install one with `sudo apt-get install chromium` (Debian/Ubuntu) or point CHROMIUM_PATH at a Chrome/Chromium binary.';

/** A fresh browser profile per call, so no state leaks between tests. */
export async function launch(): Promise<BrowserContext> {
  // Also removed after the test file: chromium may still be writing when the context closes.
  const userDataDir = tempDir('cairn-chromium-');
  const ctx = await chromium.launchPersistentContext(userDataDir, { executablePath: BROWSER, args: ARGS, headless: true, viewport: { width: 1400, height: 900 }, timeout: 30_000 });
  ctx.on('close', () => { try { rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }); } catch { /* chromium may still be writing; a leftover profile is harmless */ } });
  return ctx;
}
