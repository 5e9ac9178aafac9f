// docs generate / docs serve / lineage from the command line, and their errors.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copySample } from '../helpers/project.js';
import { docsFixture } from './fixture.js';
import { freePort, serve } from './serve-helper.js';

const lineage = (dir: string, spec: string, ...flags: string[]) => {
  const r = cli(['lineage', spec, '--output', 'json', ...flags], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};
const hops = (list: Array<{ name: string; column: string; depth: number }>) => list.map((h) => `${h.depth} ${h.name}.${h.column}`);

describe('cairn docs generate', () => {
  it('after a build: catalog.json has every relation with engine types; manifest has doc blocks', () => {
    const dir = copySample();
    writeFileSync(join(dir, 'models/overview.md'), '{% docs __overview__ %}\nThe orders pipeline.\n{% enddocs %}\n');
    expect(cli(['build'], { cwd: dir }).code).toBe(0);
    const r = cli(['docs', 'generate'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Catalog: 4 relations/);
    const catalog = JSON.parse(readFileSync(join(dir, 'target/catalog.json'), 'utf8'));
    expect(Object.keys(catalog.nodes).sort()).toEqual(['model.orders_pipeline.orders_incremental', 'model.orders_pipeline.orders_raw', 'model.orders_pipeline.orders_summary', 'task.orders_pipeline.load_orders']);
    const inc = catalog.nodes['model.orders_pipeline.orders_incremental'];
    expect(inc.metadata).toMatchObject({ type: 'BASE TABLE', schema: 'silver', name: 'orders_incremental' });
    expect(inc.columns.amount).toEqual({ type: 'DECIMAL(12,2)', index: 3, name: 'amount', comment: null });
    expect(catalog.nodes['model.orders_pipeline.orders_summary'].metadata.type).toBe('VIEW');
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.docs['doc.orders_pipeline.__overview__']).toMatchObject({ name: '__overview__', block_contents: 'The orders pipeline.', original_file_path: 'models/overview.md' });
    expect(Object.keys(manifest.child_map['model.orders_pipeline.orders_raw'])).toHaveLength(1);
    for (const f of ['index.html', 'cairn-docs/dagre.min.js', 'cairn-docs/app.js', 'cairn-docs/data.js']) expect(existsSync(join(dir, 'target', f))).toBe(true);
    // No CDN: nothing in the site refers to another host.
    expect(readFileSync(join(dir, 'target/index.html'), 'utf8')).not.toMatch(/https?:\/\//);
    // Types from the catalog reach the site.
    expect(readFileSync(join(dir, 'target/cairn-docs/data.js'), 'utf8')).toContain('"type":"DECIMAL(12,2)"');
  });

  it('--empty-catalog does not touch the engine', () => {
    const dir = copySample();
    const r = cli(['docs', 'generate', '--empty-catalog'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'cairn_dev.duckdb'))).toBe(false);
    const catalog = JSON.parse(readFileSync(join(dir, 'target/catalog.json'), 'utf8'));
    expect(catalog.nodes).toEqual({});
  });

  it('a description with {{ doc() }} resolves into the manifest', () => {
    const dir = docsFixture();
    expect(cli(['docs', 'generate', '--empty-catalog'], { cwd: dir }).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.nodes['model.orders_pipeline.orders_all'].description).toBe("Every day's **orders**, as in `orders_summary`.\n\n| unit | meaning |\n|---|---|\n| day | one calendar day |\n\n> Counted after returns.");
  });

  it('{{ doc() }} with no such doc block: error names the YAML file and line, exit 2', () => {
    const dir = docsFixture();
    writeFileSync(join(dir, 'models/docs.md'), '{% docs orders_all_dox %}x{% enddocs %}\n');
    const r = cli(['docs', 'generate', '--empty-catalog'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error[CONFIG_INVALID] models/fixture.yml:4 (orders_all): `doc('orders_all_doc')` refers to a doc block that does not exist");
    expect(r.stderr).toContain('did you mean `orders_all_dox`');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('SQL the lineage parser cannot read: generation succeeds and names the model and reason', () => {
    const dir = docsFixture();
    const r = cli(['docs', 'generate', '--empty-catalog'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[WARNING\] column lineage of model\.orders_pipeline\.status_pivot is unresolved: cannot parse SQL/);
    const data = readFileSync(join(dir, 'target/cairn-docs/data.js'), 'utf8');
    expect(data).toContain('"lineageUnresolved":"cannot parse SQL');
  });
});

describe('cairn lineage', () => {
  const dir = docsFixture();

  it('sample project: rename, aggregate, join, select *, against hand-written expectations', () => {
    const total = lineage(dir, 'orders_summary.total_amount');
    expect(total.transform).toBe('aggregated');
    expect(hops(total.upstream)).toEqual(['1 orders_incremental.amount', '2 orders_raw.amount', '3 load_orders.amount']);
    expect(hops(total.downstream)).toEqual(['1 orders_all.total_amount']);
    const date = lineage(dir, 'orders_summary.order_date', '--upstream');
    expect(date).toMatchObject({ transform: 'passthrough' });
    expect(hops(date.upstream)).toEqual(['1 orders_incremental.order_date', '2 orders_raw.order_timestamp', '3 load_orders.order_timestamp']);
    expect(date.downstream).toBeUndefined();
    expect(lineage(dir, 'orders_incremental.order_date').transform).toBe('transformed');
    // rename through a join: customer_orders.id = o.order_id
    const id = lineage(dir, 'customer_orders.id', '--upstream');
    expect(id.transform).toBe('rename');
    expect(hops(id.upstream)).toEqual(['1 orders_incremental.order_id', '2 orders_raw.order_id', '3 load_orders.order_id']);
    expect(hops(lineage(dir, 'customer_orders.customer_name').upstream)).toEqual(['1 customers.customer_name']);
    // select * from orders_summary, expanded from the upstream model's columns
    const all = lineage(dir, 'orders_all.order_count', '--upstream');
    expect(all.transform).toBe('passthrough');
    expect(hops(all.upstream)).toEqual(['1 orders_summary.order_count']);
    // downstream of a bronze column
    expect(hops(lineage(dir, 'orders_raw.amount', '--downstream').downstream)).toEqual([
      '1 orders_incremental.amount',
      '2 customer_orders.amount',
      '2 orders_summary.total_amount',
      '3 orders_all.total_amount',
    ]);
  }, 180_000);

  it('text output', () => {
    const r = cli(['lineage', 'orders_all.total_amount', '--upstream'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('orders_all.total_amount  (passthrough)\nupstream:\n  orders_summary.total_amount\n    orders_incremental.amount\n      orders_raw.amount\n        load_orders.amount\n');
  });

  it('unresolvable SQL: reported unresolved with the reason, exit 0', () => {
    const r = lineage(dir, 'status_pivot.placed');
    expect(r.unresolved).toMatch(/^cannot parse SQL/);
    expect(r.upstream).toEqual([]);
  });

  it('a model or column that does not exist: exit 2 with a hint', () => {
    const m = cli(['lineage', 'orders_sumary.total_amount'], { cwd: dir });
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/no model, seed, snapshot or source named `orders_sumary`[\s\S]*did you mean `orders_summary`/);
    const c = cli(['lineage', 'orders_summary.total_amnt'], { cwd: dir });
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/model `orders_summary` has no column `total_amnt`[\s\S]*did you mean `total_amount`/);
    expect(cli(['lineage', 'orders_summary'], { cwd: dir }).stderr).toMatch(/not of the form model\.column/);
  });
});

describe('cairn docs serve', () => {
  it('before docs generate: says to run it, exit 2', () => {
    const dir = copySample();
    const r = cli(['docs', 'serve', '--port', '0'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/there is no docs site in target\/ yet\n  hint: run `cairn docs generate` first/);
  });

  it('serves target/ on 127.0.0.1 and nothing outside it', async () => {
    const dir = copySample();
    expect(cli(['docs', 'generate', '--empty-catalog'], { cwd: dir }).code).toBe(0);
    const { url, stop } = await serve(dir);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const index = await fetch(url);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toMatch(/text\/html/);
      expect(await index.text()).toContain('cairn-docs/app.js');
      expect((await fetch(url + 'manifest.json')).status).toBe(200);
      expect((await fetch(url + '..%2fdbt_project.yml')).status).toBe(404);
      expect((await fetch(url + 'nope.js')).status).toBe(404);
    } finally {
      stop();
    }
  });

  it('a port in use: says which', async () => {
    const dir = copySample();
    expect(cli(['docs', 'generate', '--empty-catalog'], { cwd: dir }).code).toBe(0);
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(port, '127.0.0.1', () => ok()));
    try {
      const r = cli(['docs', 'serve', '--port', String(port)], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });
});
