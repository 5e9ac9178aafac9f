// `--changed-only` with files read outside any relation, on DuckDB: a copy_into location and
// read_csv() paths are versioned by the files' names, sizes and modification times. Nothing changed:
// no statement for the chain; a file dropped into the location rebuilds exactly the chain reading it;
// `ls --select state:stale` says the same before the run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckdbProvider } from '../adapters/duckdb/index.js';
import { filePathsInSql } from '../adapters/duckdb/duckdb-file-versions.js';
import { build, ls } from '../core/api/index.js';
import { faultyProvider } from './helpers/fault-adapter.js';
import { queryDuckdb } from './helpers/duckdb.js';
import { makeProject, PROFILE, PROJECT } from './helpers/project.js';

const COPY = `{{ config(materialized='copy_into', from='@landing/orders/', file_format='csv',
    columns={'id': 'INTEGER', 'amount': 'DECIMAL(12,2)'}) }}`;

function project(): string {
  return makeProject({
    'dbt_project.yml': PROJECT('fl', 'models:\n  fl:\n    +materialized: table\n'),
    'profiles.yml': PROFILE('fl', '      storage_locations: {landing: files}\n'),
    'files/orders/2024-01-01/a.csv': 'id,amount\n1,10.50\n2,3.25\n',
    'data/prices.csv': 'sku,price\na,1\nb,2\n',
    'data/parts/p1.csv': 'part\nx\n',
    'seeds/regions.csv': 'region\neu\nus\n',
    'models/raw_orders.sql': COPY,
    'models/orders_clean.sql': "select id, amount from {{ ref('raw_orders') }}",
    'models/orders_total.sql': "select count(*) as n, sum(amount) as total from {{ ref('orders_clean') }}",
    'models/prices_file.sql': "select * from read_csv('data/prices.csv', header = true)",
    'models/prices_report.sql': "select count(*) as n from {{ ref('prices_file') }}",
    'models/parts.sql': "{{ config(materialized='view') }}\nselect * from read_csv('data/parts/*.csv')",
    'models/parts_count.sql': "select count(*) as n from {{ ref('parts') }}",
    'models/regional.sql': "select region from {{ ref('regions') }}",
  });
}

/** One --changed-only build through the real DuckDB adapter, counting each node's materialization statements. */
async function counted(dir: string) {
  const adapters = faultyProvider(duckdbProvider, []);
  const r = await build({ projectDir: dir, profilesDir: dir, adapters, changedOnly: true });
  expect(r.success).toBe(true);
  const name = (id: string) => r.project.nodes.get(id)!.name;
  return {
    ran: [...adapters.calls.keys()].sort(),
    reused: r.results.filter((x) => x.reused).map((x) => name(x.uniqueId)).sort(),
    why: Object.fromEntries(r.results.map((x) => [name(x.uniqueId), x.message])),
  };
}

const stale = (dir: string): Record<string, string> =>
  Object.fromEntries(ls({ projectDir: dir, profilesDir: dir, adapters: duckdbProvider, select: ['state:stale'], output: 'json' }).map((l) => JSON.parse(l)).map((j) => [j.name, j.stale_reason]));

describe('--changed-only: files read outside any relation (DuckDB)', () => {
  it('a copy_into location: nothing new, nothing runs; a dropped file rebuilds exactly the chain reading it', async () => {
    const dir = project();
    const first = await counted(dir);
    expect(first.ran).toEqual(['orders_clean', 'orders_total', 'parts', 'parts_count', 'prices_file', 'prices_report', 'raw_orders', 'regional', 'regions']);
    const second = await counted(dir);
    expect(second.ran).toEqual([]);
    expect(second.why.raw_orders).toBe('reused: code and inputs unchanged');
    expect(stale(dir)).toEqual({});

    mkdirSync(join(dir, 'files/orders/2024-01-02'));
    writeFileSync(join(dir, 'files/orders/2024-01-02/b.csv'), 'id,amount\n3,1.00\n');
    // A file that copy_into would not load (another format, or hidden) changes nothing.
    writeFileSync(join(dir, 'files/orders/notes.txt'), 'not data');
    expect(stale(dir)).toEqual({
      raw_orders: 'the files raw_orders reads changed since its last build',
      orders_clean: 'raw_orders will be rebuilt',
      orders_total: 'orders_clean will be rebuilt',
    });
    const third = await counted(dir);
    expect(third.ran).toEqual(['orders_clean', 'orders_total', 'raw_orders']);
    expect(third.why.raw_orders).toMatch(/^OK 1/); // one new file loaded
    expect(third.reused).toEqual(['parts', 'parts_count', 'prices_file', 'prices_report', 'regional', 'regions']);
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select n::int as n, total::double as total from main.orders_total')).toEqual([{ n: 3, total: 14.75 }]);
    expect((await counted(dir)).ran).toEqual([]);

    // A file rewritten in place (same name) is a change too: copy_into runs (and, as on every run,
    // loads no file it loaded before, so it runs no statement), and its chain is rebuilt.
    writeFileSync(join(dir, 'files/orders/2024-01-02/b.csv'), 'id,amount\n3,1.00\n4,2.00\n');
    const rewritten = await counted(dir);
    expect(rewritten.why.raw_orders).toBe('no new files');
    expect(rewritten.ran).toEqual(['orders_clean', 'orders_total']);
  });

  it('read_csv() paths: a changed file rebuilds its reader and children; a new file matching a glob rebuilds what reads through the view', async () => {
    const dir = project();
    await counted(dir);
    writeFileSync(join(dir, 'data/prices.csv'), 'sku,price\na,1\nb,2\nc,3\n');
    expect(stale(dir)).toEqual({ prices_file: 'the files prices_file reads changed since its last build', prices_report: 'prices_file will be rebuilt' });
    const afterEdit = await counted(dir);
    expect(afterEdit.ran).toEqual(['prices_file', 'prices_report']);
        expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select n::int as n from main.prices_report')).toEqual([{ n: 3 }]);

    // The view reads the glob live: it is not re-created, but the table reading it is rebuilt.
    writeFileSync(join(dir, 'data/parts/p2.csv'), 'part\ny\n');
    expect(stale(dir)).toEqual({ parts_count: 'the files parts reads changed since its last build' });
    const afterGlob = await counted(dir);
    expect(afterGlob.ran).toEqual(['parts_count']);
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select n::int as n from main.parts_count')).toEqual([{ n: 2 }]);
    expect((await counted(dir)).ran).toEqual([]);
  });

  it('a file path cairn cannot version (a URL, an expression) makes its reader always rebuild', async () => {
    expect(filePathsInSql("select * from read_csv('data/a.csv') join read_parquet(['x/1.parquet', 'x/2.parquet']) using (id) join 'c.json' using (id)"))
      .toEqual(['data/a.csv', 'x/1.parquet', 'x/2.parquet', 'c.json']);
    expect(filePathsInSql("select * from read_parquet('s3://bucket/x.parquet')")).toBeNull();
    expect(filePathsInSql("select * from read_csv(getvariable('path'))")).toBeNull();
    expect(filePathsInSql('select 1 as x')).toEqual([]);

    const dir = project();
    writeFileSync(join(dir, 'models/dynamic.sql'), "select * from read_csv('data/' || 'prices.csv')");
    await counted(dir);
    const again = await counted(dir);
    expect(again.ran).toEqual(['dynamic']);
        expect(stale(dir)).toEqual({ dynamic: 'no successful build recorded' });
    const rr = JSON.parse(readFileSync(join(dir, 'target/build_ledger.json'), 'utf8'));
    expect(Object.keys(rr.targets.dev)).not.toContain('model.fl.dynamic');
  });
});
