import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, makeProject, PROFILE, PROJECT } from '../helpers/project.js';
import { queryDuckdb } from '../helpers/duckdb.js';

describe('hooks, run-operation and source freshness', () => {
  it('runs pre/post hooks, on-run-start/end and run-operation with --args', async () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('h', `on-run-start:
  - "create table if not exists main.audit (what varchar)"
on-run-end:
  - "insert into main.audit values ('end')"
`),
      'profiles.yml': PROFILE('h'),
      'models/m.sql': `{{ config(materialized='table', pre_hook="insert into main.audit values ('pre')", post_hook=["insert into main.audit select 'post ' || count(*) from {{ this }}"]) }}
select 1 as x union all select 2`,
      'macros/ops.sql': `{% macro log_it(label, n=1) %}
{% do run_query("insert into main.audit values ('op " ~ label ~ " " ~ n ~ "')") %}
{% endmacro %}`,
    });
    const r = cli(['run'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const op = cli(['run-operation', 'log_it', '--args', '{label: hello, n: 3}'], { cwd: dir });
    expect(op.code).toBe(0);
    const rows = await queryDuckdb(join(dir, 'test.duckdb'), 'select what from main.audit');
    expect(rows.map((x) => x.what)).toEqual(['pre', 'post 2', 'end', 'op hello 3']);
    const bad = cli(['run-operation', 'log_i'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no macro named `log_i`[\s\S]*did you mean `log_it`\?/);
  });

  it('source freshness passes, warns and errors (exit 1) by warn_after/error_after', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('f', `on-run-start:
  - "create schema if not exists raw"
  - "create or replace table raw.fresh as select now()::timestamp as loaded_at"
  - "create or replace table raw.stale as select now()::timestamp - interval 3 hour as loaded_at"
  - "create or replace table raw.dead as select now()::timestamp - interval 3 day as loaded_at"
`),
      'profiles.yml': PROFILE('f'),
      'models/m.sql': 'select 1 as x',
      'models/sources.yml': `version: 2
sources:
  - name: raw
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 1, period: hour}
      error_after: {count: 1, period: day}
    tables:
      - name: fresh
      - name: stale
      - name: dead
      - name: unchecked
        freshness: null
`,
    });
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    const r = cli(['source', 'freshness'], { cwd: dir });
    expect(r.stdout).toMatch(/PASS freshness of raw\.fresh/);
    expect(r.stdout).toMatch(/WARN freshness of raw\.stale/);
    expect(r.stdout).toMatch(/ERROR STALE freshness of raw\.dead/);
    expect(r.stdout).toMatch(/Done\. PASS=1 WARN=1 ERROR=1 TOTAL=3/);
    expect(r.code).toBe(1);
    const ok = cli(['source', 'freshness', '--select', 'source:raw.fresh'], { cwd: dir });
    expect(ok.code).toBe(0);
  });
});
