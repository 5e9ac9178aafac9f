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
    expect(unitTestIds()).toHaveLength(1);
    ({ url: base, stop } = await serve(dir));
    ctx = await launch();
    page = await ctx.newPage();
  }, 90_000);
  afterAll(async () => {
    await ctx?.close();
    stop?.();
  });

  const graphIds = () => [...Object.keys(manifest.nodes).filter((id) => !['test', 'unit_test'].includes(manifest.nodes[id]!.resource_type)), ...Object.keys(manifest.sources)];
  const unitTestIds = () => Object.keys((manifest as unknown as { unit_tests?: Record<string, unknown> }).unit_tests ?? {});

  it('the graph shows every node and edge of the project', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base + '#graph');
    await page.waitForSelector('#graph[data-ready="1"]');
    const drawn = await page.$$eval('.gnode', (els) => els.map((e) => e.getAttribute('data-id')).sort());
    expect(drawn).toEqual(graphIds().sort());
    const edges = await page.$$eval('.edge', (els) => els.map((e) => `${e.getAttribute('data-from')}>${e.getAttribute('data-to')}`).sort());
    const expected = graphIds().flatMap((id) => manifest.parent_map[id]!.map((p) => `${p}>${id}`)).sort();
    expect(edges).toEqual(expected);
    expect(edges.length).toBeGreaterThanOrEqual(6);
    // Seeds, snapshots, tasks and models of each materialization are drawn, each kind in the legend.
    for (const kind of ['seed', 'snapshot', 'task', 'table', 'view', 'incremental']) expect(await page.textContent('#graph-legend')).toContain(kind);
    expect(await page.$$eval('.gnode.k-seed', (els) => els.length)).toBe(1);
    expect(errors).toEqual([]);
  });

  it('the sidebar has a Project tree, a Database tree, and search across columns', async () => {
    await page.goto(base);
    await page.waitForSelector('#sidebar-project');
    expect(await page.$$eval('#sidebar-project summary.folder', (els) => els.map((e) => e.firstChild!.textContent!.trim()))).toEqual(
      expect.arrayContaining(['orders_pipeline', 'models', 'gold', 'seeds', 'snapshots']),
    );
    const gold = await page.$$eval('#sidebar-project details', (ds) => {
      const d = ds.find((x) => x.querySelector(':scope > summary')!.firstChild!.textContent!.trim() === 'gold')!;
      return [...d.querySelectorAll(':scope > ul > li > a')].map((a) => a.textContent);
    });
    expect(gold).toEqual(['customer_orders', 'customers', 'orders_all', 'orders_summary', 'status_pivot']);
    await page.click('.tabs button[data-tab="database"]');
    await page.waitForSelector('#sidebar-database');
    const schemas = await page.$$eval('#sidebar-database details details > summary', (els) => els.map((e) => e.firstChild!.textContent!.trim()));
    expect(schemas).toEqual(expect.arrayContaining(['main', 'bronze', 'silver', 'gold', 'snapshots']));
    expect(await page.$$eval('#sidebar-database a', (as) => as.map((a) => a.textContent))).toEqual(expect.arrayContaining(['countries', 'customers_snap', 'orders_summary']));
    // A column's description is searchable.
    await page.fill('#search', 'sum of amounts');
    await page.waitForFunction(() => document.querySelectorAll('#sidebar-matches a').length === 1);
    expect(await page.textContent('#sidebar-matches a')).toBe('orders_all');
    await page.fill('#search', '');
  });

  it("a unit test's page shows its given and expected rows", async () => {
    await page.goto(base + '#node/' + encodeURIComponent(unitTestIds()[0]!));
    await page.waitForSelector('#unit-given');
    expect(await page.$$eval('#unit-given h3', (hs) => hs.map((h) => h.firstChild!.textContent!.trim()))).toEqual(["ref('orders_incremental')", "ref('customers')"]);
    const given = await page.$$eval('#unit-given table', (ts) => ts.map((t) => [...t.querySelectorAll('td')].map((td) => td.textContent)));
    expect(given).toEqual([['1', '7', '3.5'], ['7', 'Zoe']]);
    expect(await page.$$eval('#unit-expect th', (ths) => ths.map((t) => t.textContent))).toEqual(['id', 'customer_name']);
  });

  it('SQL is highlighted with a copy button, config is a table, Markdown renders tables and quotes', async () => {
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base.replace(/\/$/, '') });
    await page.goto(base + '#node/' + encodeURIComponent('model.orders_pipeline.orders_summary'));
    await page.waitForSelector('#compiled-sql');
    expect(await page.$$eval('#compiled-sql .sql-keyword', (els) => els.map((e) => e.textContent!.toLowerCase()))).toEqual(expect.arrayContaining(['select', 'from', 'group', 'by']));
    expect(await page.$$eval('#raw-sql .sql-jinja', (els) => els.map((e) => e.textContent))).toContain("{{ ref('orders_incremental') }}");
    await page.click('button.copy[data-copy="compiled-sql"]');
    await page.waitForFunction(() => document.querySelector('button.copy[data-copy="compiled-sql"]')!.textContent === 'Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await page.textContent('#compiled-sql'));
    expect(await page.$$eval('#node-config th', (ths) => ths.map((t) => t.textContent))).toContain('materialized');
    await page.goto(base + '#node/' + encodeURIComponent('model.orders_pipeline.orders_all'));
    await page.waitForSelector('#node-description table');
    expect(await page.$$eval('#node-description td', (tds) => tds.map((t) => t.textContent))).toEqual(['day', 'one calendar day']);
    expect(await page.textContent('#node-description blockquote')).toContain('Counted after returns.');
  });

  it('works at phone width (420 px): nothing wider than the screen', async () => {
    const phone = await ctx.newPage();
    await phone.setViewportSize({ width: 420, height: 860 });
    for (const hash of ['', '#node/' + encodeURIComponent('model.orders_pipeline.orders_summary'), '#graph']) {
      await phone.goto(base + hash);
      await phone.waitForSelector('body[data-ready="1"]');
      expect(await phone.evaluate(() => document.documentElement.scrollWidth), hash).toBeLessThanOrEqual(420);
      expect(await phone.isVisible('#sidebar')).toBe(true);
    }
    await phone.screenshot({ path: join(ARTIFACTS, 'docs-phone.png') });
    await phone.close();
  });

  it('clicking a node opens its page', async () => {
    await page.goto(base + '#graph');
    await page.waitForSelector('#graph[data-ready="1"]');
    await page.click('.gnode[data-id="model.orders_pipeline.orders_summary"]');
    await page.waitForSelector('#node-title');
    expect(await page.textContent('#node-title')).toBe('orders_summary');
    expect(await page.textContent('#compiled-sql')).toMatch(/sum\(amount\) as total_amount\s+from "silver"\."orders_incremental"/);
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

  it('screenshots of the main pages (overview, model, graph, column lineage) for review', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.goto(base);
    await page.waitForSelector('body[data-ready="1"]');
    await page.screenshot({ path: join(ARTIFACTS, 'docs-overview.png') });
    await page.goto(base + '#graph?focus=' + encodeURIComponent('model.orders_pipeline.orders_incremental'));
    await page.waitForSelector('#graph[data-ready="1"]');
    await page.screenshot({ path: join(ARTIFACTS, 'docs-lineage.png') });
    await page.goto(base + '#node/' + encodeURIComponent('model.orders_pipeline.orders_summary'));
    await page.waitForSelector('#node-title');
    await page.click('tr[data-column="total_amount"] summary');
    await page.screenshot({ path: join(ARTIFACTS, 'docs-column-lineage.png'), fullPage: true });
    await page.goto(base + '#node/' + encodeURIComponent('model.orders_pipeline.customer_orders'));
    await page.waitForSelector('#node-title');
    await page.screenshot({ path: join(ARTIFACTS, 'docs-model.png') });
    for (const f of ['docs-overview.png', 'docs-lineage.png', 'docs-column-lineage.png', 'docs-model.png']) expect(readFileSync(join(ARTIFACTS, f)).length, f).toBeGreaterThan(5000);
  });
});
