// dbt-style projects on Dremio through the CLI, against the Dremio emulator — a TEST DOUBLE
// (test/dremio-emulator) that runs SQL on DuckDB: incremental strategies and schema changes, alias,
// reflections, and the bad inputs a user meets (FAILED job, missing source, Ctrl-C).
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { cliAsync } from './helpers/cli-async.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, makeProject, PROJECT } from './helpers/project.js';

let em: Emulator | undefined;
afterEach(async () => { await em?.close(); em = undefined; });

const profile = (port: number, extra = '') => `p:
  target: dev
  outputs:
    dev:
      type: dremio
      software_host: 127.0.0.1
      port: ${port}
      user: dremio
      password: "{{ env_var('DREMIO_PASSWORD') }}"
      object_storage_source: lake
      object_storage_path: 'raw/"v1.0"'
      dremio_space: analytics
      dremio_space_folder: marts
      threads: 2
${extra}`;
const env = { DREMIO_PASSWORD: 'dremio123' };

describe('Dremio projects through the CLI (emulator test double)', () => {
  it("target.database / target.schema are dbt-dremio's (space and folder, or @user and no_schema); a source without database: lives in the space", () => {
    const files = (space: boolean) => ({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': profile(1).replace(space ? '' : '      dremio_space: analytics\n', ''),
      'models/sources.yml': 'version: 2\nsources:\n  - name: app\n    schema: raw\n    tables: [{name: events}]\n',
      'models/m.sql': "select '{{ target.database }}' as db, '{{ target.schema }}' as sch, * from {{ source('app', 'events') }}",
    });
    const compiled = (dir: string) => {
      const r = cli(['compile'], { cwd: dir, env });
      expect(r.stderr).toBe('');
      return readFileSync(join(dir, 'target/compiled/p/models/m.sql'), 'utf8');
    };
    // target.schema is dbt-dremio's too: the space folder, else no_schema.
    expect(compiled(makeProject(files(true)))).toBe('select \'analytics\' as db, \'marts\' as sch, * from "analytics"."raw"."events"');
    const home = files(false);
    home['profiles.yml'] = home['profiles.yml'].replace('      dremio_space_folder: marts\n', '');
    expect(compiled(makeProject(home))).toBe('select \'@dremio\' as db, \'no_schema\' as sch, * from "@dremio"."raw"."events"');
  });

  it('a folder-level +schema moves views only, root_path moves tables (dbt-dremio 1.10.1), with one warning naming the tables', async () => {
    em = await startEmulator({ sources: ['lake'], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p', 'models:\n  p:\n    marts:\n      +schema: finance\n      +materialized: table\n'),
      'profiles.yml': profile(em.port),
      'models/marts/t_moved.sql': "{{ config(root_path='finance') }}\nselect 1 as id",
      'models/marts/t_stays.sql': 'select 2 as id',
      'models/marts/v_moved.sql': "{{ config(materialized='view') }}\nselect * from {{ ref('t_stays') }}",
    });
    const r = await cliAsync(['run'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(await em.db.query(`select id from ${em.db.name(['lake', 'raw', 'v1.0', 'finance', 't_moved'])}`)).toEqual([{ id: 1 }]);
    expect(await em.db.query(`select id from ${em.db.name(['lake', 'raw', 'v1.0', 't_stays'])}`)).toEqual([{ id: 2 }]);
    expect(await em.db.query(`select id from ${em.db.name(['analytics', 'marts', 'finance', 'v_moved'])}`)).toEqual([{ id: 2 }]);
    // t_moved sets root_path, so only t_stays is named.
    expect(r.stdout + r.stderr).toMatch(/1 Dremio table \(t_stays\) set `schema`\/`database`, which place views only on Dremio/);
  });

  it('incremental merge / delete+insert / append with schema changes, alias for tables and views', async () => {
    em = await startEmulator({ sources: ['lake'], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p', "vars:\n  extra: false\n"),
      'profiles.yml': profile(em.port),
      'models/m_merge.sql': `{{ config(materialized='incremental', unique_key='id', incremental_strategy='merge', on_schema_change='append_new_columns', alias='merged', merge_exclude_columns=['created']) }}
select id, v, 'x' as created{% if var('extra') %}, id * 10 as extra{% endif %}
from (values {% if is_incremental() %}(1, 'a'), (2, 'b2'), (3, 'c'){% else %}(1, 'a'), (2, 'b'){% endif %}) as t(id, v)`,
      'models/m_di.sql': `{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert', on_schema_change='sync_all_columns') }}
select id, {% if is_incremental() %}'new'{% else %}'old'{% endif %} as v from (values (1), (2)) as t(id)`,
      'models/m_append.sql': `{{ config(materialized='incremental') }}
select 1 as id`,
      'models/v_all.sql': `{{ config(materialized='view', alias='all_rows') }}
select * from {{ ref('m_merge') }}`,
      'models/r_raw.sql': `{{ config(materialized='reflection', reflection_type='raw', display=['id', 'v']) }}
-- {{ ref('m_merge') }}`,
    });
    const first = await cliAsync(['build'], { cwd: dir, env });
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/PASS=5 WARN=0 ERROR=0/);
    const second = await cliAsync(['run', '--vars', '{extra: true}'], { cwd: dir, env });
    expect(second.stdout).toMatch(/PASS=5 WARN=0 ERROR=0/);
    const merged = await em.db.query(`select id, v, extra from ${em.db.name(['lake', 'raw', 'v1.0', 'merged'])} order by id`);
    expect(merged).toEqual([{ id: 1, v: 'a', extra: 10 }, { id: 2, v: 'b2', extra: 20 }, { id: 3, v: 'c', extra: 30 }]);
    expect(await em.db.query(`select id, v from ${em.db.name(['lake', 'raw', 'v1.0', 'm_di'])} order by id`)).toEqual([{ id: 1, v: 'new' }, { id: 2, v: 'new' }]);
    expect(await em.db.query(`select count(*)::int as n from ${em.db.name(['lake', 'raw', 'v1.0', 'm_append'])}`)).toEqual([{ n: 2 }]);
    expect(await em.db.query(`select count(*)::int as n from ${em.db.name(['analytics', 'marts', 'all_rows'])}`)).toEqual([{ n: 3 }]);
    expect(em.jobs.find(/ALTER TABLE "lake"\."raw"\."v1\.0"\."merged" ADD COLUMNS \("extra" /).length).toBe(1);
    // The reflection was created once and updated (not duplicated) on the second run.
    expect(em.reflections.list().length).toBe(1);
    expect(em.requests.filter((r) => r.method === 'PUT' && /\/reflection\//.test(r.path)).length).toBe(1);
    const rr = JSON.parse((await import('node:fs')).readFileSync(`${dir}/target/run_results.json`, 'utf8'));
    const inc = rr.results.find((r: { unique_id: string }) => r.unique_id === 'model.p.m_merge');
    expect(inc.adapter_response.job_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(inc.adapter_response.rows_affected).toBe(3);
  }, 120_000);

  it('a FAILED job shows Dremio\'s message, the model and the compiled SQL path', async () => {
    em = await startEmulator({ sources: ['lake'], jobPolls: 0 });
    const dir = makeProject({ 'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port), 'models/bad.sql': "{{ config(materialized='table') }}\nselect * from lake.missing_table" });
    const r = await cliAsync(['run'], { cwd: dir, env });
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/bad/);
    expect(out).toMatch(/FAILED: VALIDATION ERROR: Object 'missing_table' not found/);
    expect(out).toMatch(/compiled SQL at .*target\/compiled\/p\/models\/bad\.sql/);
    expect(out).not.toContain('dremio123');
    // No artifact holds the password either.
    const { readdirSync, readFileSync } = await import('node:fs');
    const files = readdirSync(`${dir}/target`, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) expect(readFileSync(`${f.parentPath}/${f.name}`, 'utf8')).not.toContain('dremio123');
  }, 90_000);

  it('a table model with no object_storage_source is a clear config error', async () => {
    em = await startEmulator({ jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': profile(em.port).replace('      object_storage_source: lake\n', ''),
      'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id",
    });
    const r = await cliAsync(['compile'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/model t is a table but target dev has no object_storage_source/);
    expect(r.stdout + r.stderr).toMatch(/hint: set object_storage_source/);
  }, 90_000);

  it('Ctrl-C cancels the running Dremio jobs', async () => {
    em = await startEmulator({ sources: ['lake'], jobPolls: 0 });
    em.faults.slowJobs({ match: /slow_marker/, extraMs: 30_000 });
    const dir = makeProject({ 'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port), 'models/slow.sql': "{{ config(materialized='table') }}\nselect 1 as slow_marker" });
    let pid = 0;
    const run = cliAsync(['run'], { cwd: dir, env, onSpawn: (p) => (pid = p) });
    for (let i = 0; i < 600 && em.jobs.find(/slow_marker/).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(em.jobs.find(/slow_marker/).length).toBe(1);
    process.kill(pid, 'SIGINT');
    const r = await run;
    expect(r.code).not.toBe(0);
    expect(em.requests.some((x) => x.method === 'POST' && x.path.endsWith(`/job/${em!.jobs.find(/slow_marker/)[0]!.id}/cancel`))).toBe(true);
  }, 90_000);

  it('cairn debug checks login, version and that the source and space exist', async () => {
    em = await startEmulator({ sources: ['lake'], jobPolls: 0 });
    const dir = makeProject({ 'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port).replace('object_storage_source: lake', 'object_storage_source: nolake'), 'models/a.sql': 'select 1 as id' });
    const r = await cliAsync(['debug'], { cwd: dir, env });
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/connection: OK\s+Dremio 25\.\d/);
    expect(out).toMatch(/login: OK\s+user dremio at http:\/\/127\.0\.0\.1:\d+\/api\/v3/);
    expect(out).toMatch(/object_storage_source nolake: (ERROR|FAIL).*not found in Dremio/);
    expect(out).toMatch(/dremio_space analytics: OK/);
    expect(r.code).not.toBe(0);
    expect(out).not.toContain('dremio123');
  }, 90_000);
});
