// Tests for the Dremio emulator's SQL side — a TEST DOUBLE, not Dremio: Dremio SQL translated to DuckDB,
// dbt-dremio shaped statements, and the standalone CLI.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import type { Emulator } from './dremio-emulator/server.js';
import { translate } from './dremio-emulator/sql-translate.js';
import { render } from './dremio-emulator/sql-tokenize.js';
import { call, client, startTestEmulator, stopTestEmulator } from './helpers/emulator-client.js';

describe('Dremio REST emulator (test double for the cairn Dremio adapter)', () => {
  let em: Emulator;
  let storage: string;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ em, storage, c } = await startTestEmulator());
  });
  afterAll(() => stopTestEmulator(em, storage));

  describe('SQL translation round trips', () => {
    it("TIMESTAMPADD / TIMESTAMPDIFF with Calcite's bare unit keywords (dbt.dateadd / dbt.datediff on Dremio), CONVERT_TIMEZONE (dbt_date); an unknown unit is a parse error", async () => {
      const { rows } = await c.ok(`select timestampadd(DAY, 3, timestamp '2024-01-30 10:00:00') as a, TIMESTAMPADD(MONTH, -1, date '2024-03-31') as b,
        timestampdiff(DAY, timestamp '2024-01-01 12:00:00', timestamp '2024-01-03 11:00:00') as d, TIMESTAMPDIFF(SQL_TSI_MONTH, date '2024-01-31', date '2024-03-01') as m`);
      expect(rows[0]).toEqual({ a: '2024-02-02 10:00:00.000', b: '2024-02-29 00:00:00.000', d: 1, m: 1 });
      // CONVERT_TIMEZONE([source,] destination, timestamp): the docs' own examples.
      const tz = await c.ok(`select convert_timezone('America/Los_Angeles', 'America/New_York', timestamp '2021-04-01 15:27:32') as a,
        CONVERT_TIMEZONE('America/Los_Angeles', 'America/New_York', date '2021-04-01') as b, convert_timezone('America/New_York', '2021-04-01 15:27:32') as c`);
      expect(tz.rows[0]).toEqual({ a: '2021-04-01 18:27:32.000', b: '2021-04-01 03:00:00.000', c: '2021-04-01 11:27:32.000' });
      const bad = await c.run(`select timestampadd(FORTNIGHT, 1, current_date)`);
      expect(bad.status.errorMessage).toMatch(/^PARSE ERROR: Encountered "FORTNIGHT"/);
    });

    it('CTAS + INSERT + MERGE, visible through SQL, catalog and DuckDB', async () => {
      const ctas = await c.ok(`/* {"app":"cairn"} */ create table "lake"."stg"."deep.er"."orders"
        partition by ("id") localsort by ("id") store as (type=>'iceberg') with single writer
        as (select 1 as id, 'a' as v union all select 2, 'b')`);
      expect(ctas.rows[0]).toMatchObject({ Records: 2 });
      const dup = await c.run(`create table "lake"."stg"."deep.er"."orders" as select 1 as id`);
      expect(dup.status.errorMessage).toContain('already exists');
      await c.ok(`insert into "lake"."stg"."deep.er"."orders" ("id", "v") select 3, 'c'`);
      await c.ok(`create table "lake"."stg"."deep.er"."orders__dbt_tmp" as select * from (values (2, 'B'), (4, 'd')) t (id, v)`);
      const merge = await c.ok(`merge into "lake"."stg"."deep.er"."orders" as DBT_INTERNAL_DEST
        using "lake"."stg"."deep.er"."orders__dbt_tmp" as DBT_INTERNAL_SOURCE
        on (DBT_INTERNAL_SOURCE.id = DBT_INTERNAL_DEST.id)
        when matched then update set "v" = DBT_INTERNAL_SOURCE."v"
        when not matched then insert ("id", "v") values (DBT_INTERNAL_SOURCE.id, DBT_INTERNAL_SOURCE.v)`);
      // DmlUtils.DML_OUTPUT_COLUMN_NAMES: one column named for the operation.
      expect(merge.rows[0]).toEqual({ 'Rows Merged': 2 });
      const { rows } = await c.ok(`select id, v from "lake"."stg"."deep.er"."orders" order by id`);
      expect(rows).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'B' }, { id: 3, v: 'c' }, { id: 4, v: 'd' }]);
      expect(await em.db.query(`select count(*) as n from ${em.db.name(['lake', 'stg', 'deep.er', 'orders'])}`)).toEqual([{ n: 4 }]);
      const entity = await c.call('GET', `/catalog/by-path/lake/stg/${encodeURIComponent('deep.er')}/orders`);
      expect(entity.json).toMatchObject({ entityType: 'dataset', type: 'PHYSICAL_DATASET', path: ['lake', 'stg', 'deep.er', 'orders'] });
      expect(entity.json.fields.map((f: any) => f.name)).toEqual(['id', 'v']);
      // Filesystem sources create the directories on demand.
      expect((await c.call('GET', '/catalog/by-path/lake/stg')).json.entityType).toBe('folder');
      await c.ok(`drop table if exists "lake"."stg"."deep.er"."orders__dbt_tmp"`);
      await c.ok(`drop table if exists "lake"."stg"."deep.er"."orders__dbt_tmp"`);
      expect(em.catalog.dataset(['lake', 'stg', 'deep.er', 'orders__dbt_tmp'])).toBeUndefined();
    });

    it('creates views over tables in spaces (folders must exist) and replaces them', async () => {
      await c.ok(`create table lake.base as select 1 as id, 10.25 as amount`);
      const noFolder = await c.run(`create view "analytics"."missing"."v" as select * from lake.base`);
      expect(noFolder.status.errorMessage).toMatch(/^VALIDATION ERROR: .*analytics\.missing/);
      // Space folders come from the REST catalog API (CREATE FOLDER is for versioned sources only).
      expect((await c.call('POST', '/catalog', { entityType: 'folder', path: ['analytics', 'reports'] })).status).toBe(200);
      await c.ok(`create or replace view "analytics"."reports"."v" as select id, amount * 2 as amt from "lake"."base"`);
      const before = { ...em.catalog.dataset(['analytics', 'reports', 'v'])! };
      const r = await c.ok(`select * from "analytics"."reports"."v"`);
      expect(r.rows).toEqual([{ id: 1, amt: 20.5 }]);
      await c.ok(`create or replace view "analytics"."reports"."v" as select id from "lake"."base"`);
      const after = em.catalog.dataset(['analytics', 'reports', 'v'])!;
      expect(after.id).toBe(before.id);
      expect(after.tag).not.toBe(before.tag);
      const ent = await c.call('GET', '/catalog/by-path/analytics/reports/v');
      expect(ent.json).toMatchObject({ entityType: 'dataset', type: 'VIRTUAL_DATASET', fields: [{ name: 'id', type: { name: 'INTEGER' } }] });
      const tableInSpace = await c.run(`create table analytics.reports.t as select 1 as a`);
      expect(tableInSpace.status.jobState).toBe('FAILED');
      // Unqualified names resolve in the request context.
      const ctx = await c.ok(`select count(*) as n from v`, ['analytics', 'reports']);
      expect(ctx.rows).toEqual([{ n: 1 }]);
      await c.ok(`drop view "analytics"."reports"."v"`);
      expect((await c.call('GET', '/catalog/by-path/analytics/reports/v')).status).toBe(404);
    });

    it('supports ALTER TABLE ADD COLUMNS / DROP COLUMN, DELETE, TRUNCATE and AT BRANCH (recorded)', async () => {
      await c.ok(`create table nessie.t1 (id bigint, name varchar)`);
      await c.ok(`insert into nessie.t1 at branch main values (1, 'a'), (2, 'b')`);
      const job = em.jobs.last()!;
      expect(job.atRefs).toEqual([{ path: ['nessie', 't1'], type: 'BRANCH', value: 'main' }]);
      await c.ok(`alter table nessie.t1 add columns ("score" double, "flag" boolean)`);
      await c.ok(`alter table nessie.t1 drop column "flag"`);
      await c.ok(`delete from nessie.t1 where id = 1`);
      const { rows } = await c.ok(`select * from nessie.t1`);
      expect(rows).toEqual([{ id: 2, name: 'b', score: null }]);
      await c.ok(`truncate table nessie.t1`);
      expect((await c.ok(`select count(*) as n from nessie.t1`)).rows).toEqual([{ n: 0 }]);
      const folderMissing = await c.run(`create table nessie.nofolder.t as select 1 as a`);
      expect(folderMissing.status.jobState).toBe('FAILED');
    });

    it('fails CTAS when a partition column is not in the result', async () => {
      const r = await c.run(`create table lake.p partition by (month("ts"), "nope") as select 1 as id, current_date as ts`);
      expect(r.status.jobState).toBe('FAILED');
      expect(r.status.errorMessage).toBe('VALIDATION ERROR: Partition column(s) [nope] are not found in table.');
      expect(em.catalog.dataset(['lake', 'p'])).toBeUndefined();
    });

    it('versions catalogs: a branch is a copy; AT BRANCH reads and writes it; MERGE publishes; DROP removes it', async () => {
      await c.ok(`create table nessie.b1 as select 1 as id`);
      await c.ok(`CREATE BRANCH IF NOT EXISTS "dev" AT BRANCH "main" IN "nessie"`);
      await c.ok(`insert into nessie.b1 at branch dev values (2)`);
      expect((await c.ok(`select count(*) as n from nessie.b1`)).rows).toEqual([{ n: 1 }]);
      expect((await c.ok(`select count(*) as n from nessie.b1 at branch "dev"`)).rows).toEqual([{ n: 2 }]);
      expect((await c.run(`select * from nessie.b1 at branch nope`)).status.errorMessage).toMatch(/Branch 'nope' is not found in source \[nessie\]/);
      expect((await c.run(`CREATE BRANCH "dev" IN "nessie"`)).status.errorMessage).toMatch(/already exists/);
      await c.ok(`MERGE BRANCH "dev" INTO "main" IN "nessie"`);
      expect((await c.ok(`select count(*) as n from nessie.b1`)).rows).toEqual([{ n: 2 }]);
      await c.ok(`DROP BRANCH "dev" FORCE IN "nessie"`);
      expect((await c.run(`select * from nessie.b1 at branch dev`)).status.errorMessage).toMatch(/Branch 'dev' is not found/);
      expect((await c.run(`DROP BRANCH "main" IN "nessie"`)).status.errorMessage).toMatch(/Cannot drop the default branch/);
    });

    it('keeps column references and string literals intact', async () => {
      await c.ok(`create table lake.lit as select 'from lake.x join y' as s, 1 as "lake.y"`);
      const r = await c.ok(`select t.s, t."lake.y", extract(year from date '2020-01-01') as yr from lake.lit as t -- from lake.zzz`);
      expect(r.rows).toEqual([{ s: 'from lake.x join y', 'lake.y': 1, yr: 2020 }]);
    });

    it('COPY INTO loads CSV from a storage root, and fails without files', async () => {
      mkdirSync(join(storage, 'incoming'), { recursive: true });
      writeFileSync(join(storage, 'incoming', 'a.csv'), 'id,name,extra\n1,ann,x\n2,bob,y\n');
      writeFileSync(join(storage, 'incoming', 'b.csv'), 'id,name\n3,cy\n');
      await c.ok(`create table lake.people (id int, name varchar)`);
      const r = await c.ok(`copy into lake.people from '@lake/incoming/' file_format 'csv' (ON_ERROR 'abort')`);
      // COPY INTO is an INSERT; no `Rows Rejected` column under ON_ERROR 'abort'.
      expect(r.rows[0]).toEqual({ 'Rows Inserted': 3 });
      expect((await c.ok(`select * from lake.people order by id`)).rows).toEqual([{ id: 1, name: 'ann' }, { id: 2, name: 'bob' }, { id: 3, name: 'cy' }]);
      const none = await c.run(`copy into lake.people from '@lake/empty/' file_format 'csv'`);
      expect(none.status.jobState).toBe('FAILED');
      expect(none.status.errorMessage).toMatch(/^VALIDATION ERROR: No files were found/);
      writeFileSync(join(storage, 'incoming', 'c.csv'), 'id,name\nnotanumber,dee\n4,eve\n');
      const abort = await c.run(`copy into lake.people from '@lake/incoming/' files ('c.csv') file_format 'csv'`);
      expect(abort.status.jobState).toBe('FAILED');
      const cont = await c.ok(`copy into lake.people from '@lake/incoming/' files ('c.csv') file_format 'csv' (ON_ERROR 'continue')`);
      expect(cont.rows[0]).toEqual({ 'Rows Inserted': 1, 'Rows Rejected': 1 });
    });

    it('queries INFORMATION_SCHEMA with Dremio schema names', async () => {
      await c.ok(`create table lake.info.t as select 1 as a`);
      const r = await c.ok(`select table_schema, table_name, table_type from information_schema."tables" where ilike(table_schema, 'lake.info')`);
      expect(r.rows).toEqual([{ TABLE_SCHEMA: 'lake.info', TABLE_NAME: 't', TABLE_TYPE: 'TABLE' }]);
    });
  });

  describe('dbt-dremio shaped statements', () => {
    it('seed CTAS from VALUES, typed-contract CTAS, snapshot MERGE with a subquery source', async () => {
      await c.ok(`create table "lake"."seeds"."s1" as (
        select cast("c1" as bigint) as "c1", cast("c2" as varchar) as "c2"
        from (values ('1','it''s'), ('2', cast(null as varchar))) temp_table ( "c1", "c2" ) )`);
      expect((await c.ok(`select * from "lake"."seeds"."s1" order by "c1"`)).rows).toEqual([{ c1: 1, c2: "it's" }, { c1: 2, c2: null }]);
      await c.ok(`create table "lake"."seeds"."typed" ( id bigint not null, amount decimal(12,2) ) as ( select 1 as id, 3.5 as amount )`);
      const typed = await c.ok(`select * from "lake"."seeds"."typed"`);
      expect(typed.schema[1]).toEqual({ name: 'amount', type: { name: 'DECIMAL', precision: 12, scale: 2 } });
      await c.ok(`create table lake.snap as select 1 as dbt_scd_id, cast(null as timestamp) as dbt_valid_to`);
      await c.ok(`create table lake.snap_staging as select 1 as dbt_scd_id, timestamp '2024-01-01 00:00:00' as dbt_valid_to, 'update' as dbt_change_type
        union all select 2, null, 'insert'`);
      await c.ok(`merge into lake.snap as DBT_INTERNAL_DEST
        using (select * from lake.snap_staging where dbt_change_type in ('update', 'delete', 'insert')) as DBT_INTERNAL_SOURCE
        on (DBT_INTERNAL_SOURCE.dbt_scd_id = DBT_INTERNAL_DEST.dbt_scd_id and DBT_INTERNAL_SOURCE.dbt_change_type in ('update', 'delete')
            and DBT_INTERNAL_DEST.dbt_valid_to is null)
        when matched then update set dbt_valid_to = DBT_INTERNAL_SOURCE.dbt_valid_to
        when not matched then insert (dbt_scd_id, dbt_valid_to) values (DBT_INTERNAL_SOURCE.dbt_scd_id, DBT_INTERNAL_SOURCE.dbt_valid_to)`);
      expect((await c.ok(`select * from lake.snap order by dbt_scd_id`)).rows).toEqual([
        { dbt_scd_id: 1, dbt_valid_to: '2024-01-01 00:00:00.000' }, { dbt_scd_id: 2, dbt_valid_to: null },
      ]);
    });

    it('fails statements it does not understand with PARSE ERROR, and tag DDL as unsupported', async () => {
      expect((await c.run('FROBNICATE lake.x')).status.errorMessage).toMatch(/^PARSE ERROR: /);
      expect((await c.run('CREATE TAG t IN nessie')).status.errorMessage).toMatch(/^UNSUPPORTED_OPERATION ERROR: /);
      expect((await c.run('CREATE BRANCH b IN lake')).status.errorMessage).toBe('UNSUPPORTED_OPERATION ERROR: Source lake does not support versioning.');
      expect((await c.run('SELECT 1; SELECT 2')).status.errorMessage).toMatch(/^PARSE ERROR: /);
    });
  });

  describe('standalone CLI', () => {
    it('compiles with tsc (NodeNext) and listens on the given port', async () => {
      const out = join(process.cwd(), 'test', '.tmp', `emu-build-${process.pid}`);
      try {
        execFileSync(process.execPath, [join(process.cwd(), 'node_modules', 'typescript', 'bin', 'tsc'),
          '--outDir', out, '--rootDir', process.cwd(), '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
          '--strict', '--skipLibCheck', '--types', 'node', '--ignoreConfig', join(process.cwd(), 'test', 'dremio-emulator', 'main.ts')], { stdio: 'pipe', timeout: 120_000 });
        const proc = spawn(process.execPath, [join(out, 'test', 'dremio-emulator', 'main.js'), '--port', '0', '--storage', `lake=${storage}`], { stdio: ['ignore', 'pipe', 'pipe'] });
        try {
          const line = await new Promise<string>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no banner within 20s')), 20_000);
            proc.stdout.on('data', (d: Buffer) => { clearTimeout(timer); resolve(d.toString()); });
            proc.once('exit', (code) => reject(new Error(`exited ${code}`)));
          });
          const m = /Dremio emulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
          expect(m).not.toBeNull();
          const r = await call('POST', `${m![1]}/apiv2/login`, undefined, { userName: 'dremio', password: 'dremio123' });
          expect(r.status).toBe(200);
          const lake = await call('GET', `${m![1]}/api/v3/catalog/by-path/lake`, `_dremio${r.json.token}`);
          expect(lake.json.entityType).toBe('source');
        } finally {
          const exited = new Promise((res) => proc.once('exit', res));
          proc.kill('SIGTERM');
          await exited;
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }, 120_000);
  });
});

describe('Dremio SQL -> DuckDB translation (emulator test double)', () => {
  const exists = (p: readonly string[]) => p.join('.') === 'space.f.known';
  const tr = (sql: string, context?: string[]) => render(translate(sql, { exists, ...(context ? { context } : {}) }).tokens);

  it('maps paths of any depth, with dotted components, to schema "a/b/c" and table', () => {
    expect(tr('select * from "a"."b"."c"."t"')).toBe('select * from "a/b/c"."t"');
    expect(tr('select * from Samples."samples.dremio.com"."SF weather"'))
      .toBe('select * from "Samples/samples.dremio.com"."SF weather"');
    expect(tr('select * from "space"."v"')).toBe('select * from "space"."v"');
  });

  it('rewrites only relation positions', () => {
    expect(tr('insert into "s"."p"."m"( "a" ) select DBT_INTERNAL_SOURCE."a", x.y.z from "s"."p"."tmp" DBT_INTERNAL_SOURCE'))
      .toBe('insert into "s/p"."m" ("a") select DBT_INTERNAL_SOURCE."a", x.y.z from "s/p"."tmp" DBT_INTERNAL_SOURCE');
    expect(tr("select 'from a.b' as s, extract(year from t.ts) from a.b as t, c.d join e.f.g on true"))
      .toBe(`select 'from a.b' as s, extract(year from t.ts) from "a"."b" as t, "c"."d" join "e/f"."g" on true`);
    expect(tr('select a is distinct from b.c from x.y')).toBe('select a is distinct from b.c from "x"."y"');
  });

  it('leaves CTE names alone and resolves bare names in the request context', () => {
    expect(tr('with q as (select 1) select * from q', ['space', 'f'])).toBe('with q as(select 1) select * from q');
    expect(tr('select * from known', ['space', 'f'])).toBe('select * from "space/f"."known"');
    expect(tr('create table t as select 1', ['lake'])).toBe('create table "lake"."t" as select 1');
  });

  it('handles DDL positions and strips AT BRANCH, recording it', () => {
    expect(tr('drop table if exists "s"."p"."m"')).toBe('drop table if exists "s/p"."m"');
    expect(tr('create folder if not exists cat.f1.f2')).toBe('create folder if not exists "cat/f1"."f2"');
    const t = translate('merge into cat.t at branch dev as d using cat.s at branch "dev" as s on (d.id = s.id) when matched then update set v = s.v', { exists });
    expect(render(t.tokens)).toBe('merge into "cat"."t" as d using "cat"."s" as s on(d.id = s.id) when matched then update set v = s.v');
    expect(t.atRefs.map((r) => r.value)).toEqual(['dev', 'dev']);
  });

  it('tokenizes quotes, escapes and comments', () => {
    expect(tr(`select 'it''s -- not a comment' as "we""ird" /* from a.b */ from x.y -- from c.d`))
      .toBe(`select 'it''s -- not a comment' as "we""ird" from "x"."y"`);
    expect(() => tr(`select 'unterminated`)).toThrow(/PARSE ERROR/);
  });
});
