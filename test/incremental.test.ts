// Incremental strategies, schema changes, full refresh and atomic replacement, on real DuckDB.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryDuckdb } from './helpers/duckdb.js';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';

const SRC = (rows: string) => `{{ config(materialized='table') }}\nselect * from (values ${rows}) as t(id, val, ts)`;

function project(model: string, rows = "(1, 'a', 1), (2, 'b', 2)") {
  return makeProject({
    'dbt_project.yml': PROJECT('inc'),
    'profiles.yml': PROFILE('inc'),
    'models/src.sql': SRC(rows),
    'models/tgt.sql': model,
  });
}

const rowsOf = (dir: string, sql = 'select * from main.tgt order by all') => queryDuckdb(join(dir, 'test.duckdb'), sql);
const setSrc = (dir: string, rows: string) => writeFileSync(join(dir, 'models/src.sql'), SRC(rows));

describe('incremental models', () => {
  it('append adds only new rows selected by is_incremental()', async () => {
    const dir = project(`{{ config(materialized='incremental') }}
select id, val from {{ ref('src') }} {% if is_incremental() %} where id > (select max(id) from {{ this }}) {% endif %}`);
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    setSrc(dir, "(1, 'a', 1), (2, 'b', 2), (3, 'c', 3)");
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    expect(await rowsOf(dir)).toEqual([{ id: 1, val: 'a' }, { id: 2, val: 'b' }, { id: 3, val: 'c' }]);
  });

  it('merge on a unique key updates and inserts; a rerun changes nothing', async () => {
    const dir = project(`{{ config(materialized='incremental', unique_key='id') }}
select id, val from {{ ref('src') }}`);
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    setSrc(dir, "(2, 'B', 2), (3, 'c', 3)");
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    expect(await rowsOf(dir)).toEqual([{ id: 1, val: 'a' }, { id: 2, val: 'B' }, { id: 3, val: 'c' }]);
  });

  it('merge with a composite key and merge_update_columns', async () => {
    const dir = project(`{{ config(materialized='incremental', unique_key=['id', 'ts'], merge_update_columns=['val']) }}
select id, val, ts, 'run' || '{{ var("n", 1) }}' as note from {{ ref('src') }}`);
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    setSrc(dir, "(1, 'A', 1), (1, 'z', 9)");
    expect(cli(['run', '--vars', '{n: 2}'], { cwd: dir }).code).toBe(0);
    // note is not in merge_update_columns: the matched row keeps run1, the new row gets run2.
    expect(await rowsOf(dir)).toEqual([
      { id: 1, val: 'A', ts: 1, note: 'run1' },
      { id: 1, val: 'z', ts: 9, note: 'run2' },
      { id: 2, val: 'b', ts: 2, note: 'run1' },
    ]);
  });

  it('delete+insert replaces the rows of the keys in the batch', async () => {
    const dir = project(`{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert') }}
select id, val from {{ ref('src') }}`);
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    setSrc(dir, "(2, 'B', 2), (4, 'd', 4)");
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    expect(await rowsOf(dir)).toEqual([{ id: 1, val: 'a' }, { id: 2, val: 'B' }, { id: 4, val: 'd' }]);
  });

  it('on_schema_change: fail stops with a clear message, append_new_columns adds, sync_all_columns drops', async () => {
    const model = (osc: string, cols: string) => `{{ config(materialized='incremental', unique_key='id', on_schema_change='${osc}') }}\nselect ${cols} from {{ ref('src') }}`;
    const dir = project(model('fail', 'id, val'));
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    writeFileSync(join(dir, 'models/tgt.sql'), model('fail', 'id, val, ts'));
    const failed = cli(['run'], { cwd: dir });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/no longer match.*new columns: ts.*on_schema_change is 'fail'/);
    writeFileSync(join(dir, 'models/tgt.sql'), model('append_new_columns', 'id, val, ts'));
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    expect(Object.keys((await rowsOf(dir))[0]!)).toEqual(['id', 'val', 'ts']);
    writeFileSync(join(dir, 'models/tgt.sql'), model('sync_all_columns', 'id, ts'));
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    expect(await rowsOf(dir)).toEqual([{ id: 1, ts: 1 }, { id: 2, ts: 2 }]);
  });

  it('--full-refresh rebuilds the table from scratch', async () => {
    const dir = project(`{{ config(materialized='incremental') }}
select id, val from {{ ref('src') }} {% if is_incremental() %} where id > (select max(id) from {{ this }}) {% endif %}`);
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    setSrc(dir, "(5, 'e', 5)");
    expect(cli(['run', '--full-refresh'], { cwd: dir }).code).toBe(0);
    expect(await rowsOf(dir)).toEqual([{ id: 5, val: 'e' }]);
  });

  it('a failing table model leaves the previous table in place, whole', async () => {
    const dir = project(`{{ config(materialized='table') }}\nselect id, val from {{ ref('src') }}`);
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    // Fails at run time, after the CTAS has started producing rows (division by zero on row 2).
    writeFileSync(join(dir, 'models/tgt.sql'), `{{ config(materialized='table') }}\nselect id, val, 1 / (id - 2)::int as boom, error('boom ' || id) as e from {{ ref('src') }} where id = 2`);
    const r = cli(['run', '--select', 'tgt'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(await rowsOf(dir)).toEqual([{ id: 1, val: 'a' }, { id: 2, val: 'b' }]);
  });

  it('a model can switch between view and table', async () => {
    const dir = project(`{{ config(materialized='view') }}\nselect id from {{ ref('src') }}`);
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    writeFileSync(join(dir, 'models/tgt.sql'), `{{ config(materialized='table') }}\nselect id from {{ ref('src') }}`);
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    expect(await rowsOf(dir, "select table_type from information_schema.tables where table_name = 'tgt'")).toEqual([{ table_type: 'BASE TABLE' }]);
    writeFileSync(join(dir, 'models/tgt.sql'), `{{ config(materialized='view') }}\nselect id from {{ ref('src') }}`);
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    expect(await rowsOf(dir, "select table_type from information_schema.tables where table_name = 'tgt'")).toEqual([{ table_type: 'VIEW' }]);
  });
});
