// The generated docs site, driven in real headless Chromium.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, repoRoot } from '../helpers/project.js';
import { BROWSER, launch, NO_BROWSER_LINE } from './browser.js';
import { docsFixture } from './fixture.js';
import { serve } from './serve-helper.js';

const ARTIFACTS = join(repoRoot, 'test/.artifacts');

if (!BROWSER) {
  if (process.env.CI) {
    // .ci/run installs Debian's chromium: a CI run without a browser would pass while testing nothing.
    it('CI has a browser for the docs site tests', () => expect.fail(NO_BROWSER_LINE));
  } else console.warn(NO_BROWSER_LINE);
}

describe.skipIf(!BROWSER)('docs site in Chromium', () => {
  let dir: string;
  let ctx: BrowserContext;
  let page: Page;
  let stop: () => void;
  let base: string;
  let manifest: { nodes: Record<string, { resource_type: string }>; sources: Record<string, unknown>; parent_map: Record<string, string[]> };

  beforeAll(async () => {
    dir = docsFixture();
    const gen = cli(['docs', 'generate', '--empty-catalog', '--static'], { cwd: dir });
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    ({ url: base, stop } = await serve(dir));
    ctx = await launch();
    page = await ctx.newPage();
  }, 90_000);
  afterAll(async () => {
    await ctx?.close();
    stop?.();
  });

  const graphIds = () => [...Object.keys(manifest.nodes).filter((id) => manifest.nodes[id]!.resource_type !== 'test'), ...Object.keys(manifest.sources)];

  it('the graph shows every node and edge of the project', async () => {
    await page.goto(base + '#graph');
    await page.waitForSelector('#graph[data-ready="1"]');
    const drawn = await page.$$eval('.gnode', (els) => els.map((e) => e.getAttribute('data-id')).sort());
    expect(drawn).toEqual(graphIds().sort());
    const edges = await page.$$eval('.edge', (els) => els.map((e) => `${e.getAttribute('data-from')}>${e.getAttribute('data-to')}`).sort());
    const expected = graphIds().flatMap((id) => manifest.parent_map[id]!.map((p) => `${p}>${id}`)).sort();
    expect(edges).toEqual(expected);
    expect(edges.length).toBeGreaterThanOrEqual(6);
  });

  it('clicking a node opens its page', async () => {
    await page.goto(base + '#graph');
    await page.waitForSelector('#graph[data-ready="1"]');
    await page.click('.gnode[data-id="model.orders_pipeline.orders_summary"]');
    await page.waitForSelector('#node-title');
    expect(await page.textContent('#node-title')).toBe('orders_summary');
    expect(await page.textContent('#compiled-sql')).toMatch(/sum\(amount\) as total_amount\s+from "main"\."orders_incremental"/);
    expect(await page.textContent('#raw-sql')).toContain("{{ ref('orders_incremental') }}");
    const dependsOn = await page.$$eval('.deps > div:first-child a', (as) => as.map((a) => a.textContent));
    expect(dependsOn).toEqual(['orders_incremental']);
  });

  it('the selector filter narrows the graph (+orders_incremental, then orders_raw+1 --exclude orders_raw)', async () => {
    await page.goto(base + '#graph');
    await page.waitForSelector('#graph[data-ready="1"]');
    await page.fill('#graph-select', '+orders_incremental');
    await page.click('#graph-apply');
    await page.waitForFunction(() => document.querySelectorAll('.gnode').length === 3);
    expect(await page.$$eval('.gnode', (els) => els.map((e) => e.getAttribute('data-id')).sort())).toEqual([
      'model.orders_pipeline.orders_incremental',
      'model.orders_pipeline.orders_raw',
      'task.orders_pipeline.load_orders',
    ]);
    expect(await page.$$eval('.edge', (els) => els.length)).toBe(2);
    await page.goto(base + '#graph?select=' + encodeURIComponent('orders_raw+1') + '&exclude=orders_raw');
    await page.waitForFunction(() => document.querySelector('#graph-status')?.textContent?.startsWith('2 nodes'));
    expect(await page.$$eval('.gnode', (els) => els.map((e) => e.getAttribute('data-id')).sort())).toEqual([
      'model.orders_pipeline.orders_incremental',
      'model.orders_pipeline.status_pivot',
    ]);
    await page.goto(base + '#graph?select=' + encodeURIComponent('nosuch:x'));
    await page.waitForSelector('#graph-error:not([hidden])');
    expect(await page.textContent('#graph-error')).toMatch(/unknown selector method `nosuch`/);
  });

  it("a column's lineage lists its upstream columns", async () => {
    await page.goto(base + '#node/' + encodeURIComponent('model.orders_pipeline.orders_all'));
    await page.waitForSelector('#node-title');
    const row = 'tr[data-column="total_amount"]';
    expect(await page.textContent(`${row} .transform`)).toBe('passthrough');
    const up = await page.$$eval(`${row} .col-upstream li`, (lis) => lis.map((li) => `${li.getAttribute('data-relation')}.${li.getAttribute('data-column')}`));
    expect(up).toEqual([
      'model.orders_pipeline.orders_summary.total_amount',
      'model.orders_pipeline.orders_incremental.amount',
      'model.orders_pipeline.orders_raw.amount',
      'task.orders_pipeline.load_orders.amount',
    ]);
    // The doc block is resolved and its Markdown rendered.
    expect(await page.innerHTML('#node-description')).toContain('<strong>orders</strong>');
    // A column's downstream, and a join's sides.
    await page.goto(base + '#node/' + encodeURIComponent('model.orders_pipeline.customer_orders'));
    await page.waitForSelector('#node-title');
    expect(await page.textContent('tr[data-column="id"] .transform')).toBe('rename');
    const name = await page.$$eval('tr[data-column="customer_name"] .col-upstream li', (lis) => lis.map((li) => li.getAttribute('data-relation')));
    expect(name).toEqual(['model.orders_pipeline.customers']);
  });

  it('SQL the parser cannot read: the model is marked unresolved with the reason', async () => {
    await page.goto(base + '#node/' + encodeURIComponent('model.orders_pipeline.status_pivot'));
    await page.waitForSelector('#lineage-unresolved');
    expect(await page.textContent('#lineage-unresolved')).toMatch(/Column lineage unresolved: cannot parse SQL/);
  });

  it('a <script> in a description shows as text and does not run', async () => {
    await page.goto(base + '#node/' + encodeURIComponent('model.orders_pipeline.customers'));
    await page.waitForSelector('#node-title');
    expect(await page.textContent('#node-description')).toContain('<script>window.__xss = 1</script>');
    expect(await page.$$eval('#node-description script, #node-description img', (els) => els.length)).toBe(0);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // ...and the search list, which also shows user text.
    await page.fill('#search', 'customers');
    await page.waitForFunction(() => [...document.querySelectorAll('#sidebar a')].some((a) => a.textContent === 'customers'));
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('search narrows the node list', async () => {
    await page.goto(base);
    await page.fill('#search', 'pivot');
    await page.waitForFunction(() => document.querySelectorAll('#sidebar a').length === 1);
    expect(await page.textContent('#sidebar a')).toBe('status_pivot');
  });

  it('static_index.html works from disk, with no server', async () => {
    const p = await ctx.newPage();
    const requests: string[] = [];
    p.on('request', (r) => requests.push(r.url()));
    await p.goto(pathToFileURL(join(dir, 'target/static_index.html')).href + '#graph');
    await p.waitForSelector('#graph[data-ready="1"]');
    expect(await p.$$eval('.gnode', (els) => els.length)).toBe(graphIds().length);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    await p.close();
  });

  it('saves a screenshot of the lineage view for review', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.goto(base + '#graph?focus=' + encodeURIComponent('model.orders_pipeline.orders_incremental'));
    await page.waitForSelector('#graph[data-ready="1"]');
    await page.screenshot({ path: join(ARTIFACTS, 'docs-lineage.png') });
    await page.goto(base + '#node/' + encodeURIComponent('model.orders_pipeline.orders_summary'));
    await page.waitForSelector('#node-title');
    await page.click('tr[data-column="total_amount"] summary');
    await page.screenshot({ path: join(ARTIFACTS, 'docs-node.png'), fullPage: true });
    expect(readFileSync(join(ARTIFACTS, 'docs-lineage.png')).length).toBeGreaterThan(5000);
  });
});
