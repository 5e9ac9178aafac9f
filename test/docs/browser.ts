// Real headless Chromium (Debian's package) driven by playwright-core, for the docs site tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A fresh browser profile per call, so no state leaks between tests. */
export async function launch(): Promise<BrowserContext> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'cairn-chromium-'));
  return chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1400, height: 900 }, timeout: 30_000 });
}
