// copy_into nodes on DuckDB: the Dremio storage location `@name/path/` maps to a local folder; files
// already loaded are recorded, so a rerun loads only new files.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryDuckdb } from './helpers/duckdb.js';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';

const MODEL = `{{ config(materialized='copy_into', from='@landing/orders/', file_format='csv',
    columns={'id': 'INTEGER', 'amount': 'DECIMAL(12,2)', 'note': 'VARCHAR'}) }}`;

describe('copy_into on DuckDB', () => {
  it('creates the table from declared columns, loads files once, and picks up only new files', async () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': PROFILE('p', '      storage_locations: {landing: files}\n'),
      'models/raw_orders.sql': MODEL,
      'files/orders/2024-01-01/a.csv': 'id,amount,note\n1,10.50,x\n2,3.25,\n',
    });
    const db = join(dir, 'test.duckdb');
    const first = cli(['run'], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/OK created sql copy_into model main\.raw_orders \.+ \[OK 2 /);
    const again = cli(['run'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(await queryDuckdb(db, 'select count(*)::int as n from main.raw_orders')).toEqual([{ n: 2 }]);
    mkdirSync(join(dir, 'files/orders/2024-01-02'), { recursive: true });
    writeFileSync(join(dir, 'files/orders/2024-01-02/b.csv'), 'note,id,amount\ny,3,1.00\n');
    const third = cli(['run'], { cwd: dir });
    expect(third.stdout).toMatch(/\[OK 1 /);
    expect(await queryDuckdb(db, 'select id, cast(amount as double) as amount, note from main.raw_orders order by id')).toEqual([
      { id: 1, amount: 10.5, note: 'x' }, { id: 2, amount: 3.25, note: null }, { id: 3, amount: 1, note: 'y' },
    ]);
  });

  it('a location with no files is an error naming the location and the local folder', () => {
    const dir = makeProject({ 'dbt_project.yml': PROJECT('p'), 'profiles.yml': PROFILE('p'), 'models/raw_orders.sql': MODEL });
    const r = cli(['run'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/copy_into raw_orders: no csv files at @landing\/orders\/ \(local folder .*landing\/orders\)/);
  });
});
