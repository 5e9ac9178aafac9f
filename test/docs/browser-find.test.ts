// How the docs site tests find a browser: the environment first, then system and playwright paths.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserCandidates, findBrowser } from './browser.js';
import { tempDir } from '../helpers/project.js';

const dir = tempDir('cairn-browser-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finding a browser', () => {
  it('CHROMIUM_PATH wins over CHROME_PATH and the system paths', () => {
    const a = join(dir, 'a'), b = join(dir, 'b');
    writeFileSync(a, ''); writeFileSync(b, '');
    expect(findBrowser({ CHROMIUM_PATH: a, CHROME_PATH: b })).toBe(a);
    expect(findBrowser({ CHROME_PATH: b })).toBe(b);
    expect(browserCandidates({}).slice(0, 2)).toEqual(['/usr/bin/chromium', '/usr/bin/chromium-browser']);
  });

  it("looks in playwright's browser cache, newest first", () => {
    const cache = join(dir, 'pw');
    expect(browserCandidates({ PLAYWRIGHT_BROWSERS_PATH: cache })).not.toContain(join(cache, 'chromium-1100/chrome-linux/chrome'));
    for (const v of ['chromium-1100', 'chromium-1200']) {
      const d = join(cache, v, 'chrome-linux');
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'chrome'), '');
    }
    const found = browserCandidates({ PLAYWRIGHT_BROWSERS_PATH: cache }).filter((p) => p.startsWith(cache));
    expect(found).toEqual([join(cache, 'chromium-1200/chrome-linux/chrome'), join(cache, 'chromium-1100/chrome-linux/chrome')]);
  });
});
