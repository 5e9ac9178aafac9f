// The emulator refuses statement shapes Dremio's grammar lacks, even though DuckDB (which runs the SQL
// here) accepts them: one protocol test per refusal, with Dremio's parse error. The productions are cited
// in test/dremio-emulator/grammar-rules.ts; every shape cairn itself sends is listed, with its
// production, in docs/dremio.md ("Statements cairn sends, checked against Dremio's grammar").
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Emulator } from './dremio-emulator/server.js';
import { client, startTestEmulator, stopTestEmulator } from './helpers/emulator-client.js';

describe("Dremio emulator: shapes Dremio's grammar refuses", () => {
  let em: Emulator;
  let storage: string;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ em, storage, c } = await startTestEmulator());
    await c.ok(`create table lake.g.t as select * from (values (1, 'a'), (2, 'b')) v (id, s)`);
    await c.ok(`create table lake.g.src as select * from (values (2, 'B'), (3, 'c')) v (id, s)`);
  });
  afterAll(() => stopTestEmulator(em, storage));

  const failure = async (sql: string): Promise<string> => {
    const r = await c.run(sql);
    expect(r.status.jobState).toBe('FAILED');
    return r.status.errorMessage as string;
  };
  const rows = async () => (await c.ok(`select id, s from lake.g.t order by id`)).rows;

  it.each([
    // `::` is DuckDB's and Postgres' cast; Dremio's lexer has no such token.
    ['select id::varchar as x from lake.g.t', 'PARSE ERROR: Encountered ":" at line 1, column 10.'],
    ['select 1 as a,\n  2::int as b', 'PARSE ERROR: Encountered ":" at line 2, column 4.'],
    // A version clause closes a table reference; it cannot qualify a column.
    ['select lake.g.t at branch "main".id from lake.g.t', 'PARSE ERROR: Encountered "." at line 1, column 33.'],
    // dbt-duckdb query syntax Dremio's grammar lacks.
    ['select * exclude (s) from lake.g.t', 'PARSE ERROR: Encountered "(" at line 1, column 18.'],
    ['select s, count(*) as n from lake.g.t group by all', 'PARSE ERROR: Encountered "all" at line 1, column 48.'],
    ['select id from lake.g.t order by all', 'PARSE ERROR: Encountered "all" at line 1, column 34.'],
    ["select id from lake.g.t where s ilike 'A%'", 'PARSE ERROR: Encountered "ilike" at line 1, column 33.'],
    ["select s->'x' as j from lake.g.t", 'PARSE ERROR: Encountered ">" at line 1, column 10.'],
    ["select {'a': id} as st from lake.g.t", 'PARSE ERROR: Encountered "{" at line 1, column 8.'],
    // CREATE VIEW has no IF NOT EXISTS (SqlCreateOrReplace).
    ['create view if not exists lake.g.v as select 1 as x', 'PARSE ERROR: Encountered "if" at line 1, column 13.'],
    // CTAS clauses in grammar order only; DISTRIBUTE/LOCALSORT take plain column names.
    ['create table lake.g.c1 localsort by (id) partition by (id) as select * from lake.g.t', 'PARSE ERROR: Encountered "partition" at line 1, column 42.'],
    ['create table lake.g.c2 with single writer store as (type => \'parquet\') as select * from lake.g.t', 'PARSE ERROR: Encountered "store" at line 1, column 43.'],
    ['create table lake.g.c3 localsort by (month(id)) as select * from lake.g.t', 'PARSE ERROR: Encountered "month" at line 1, column 38.'],
    ['create table lake.g.c5 distribute by (bucket(4, id)) as select * from lake.g.t', 'PARSE ERROR: Encountered "(" at line 1, column 45.'],
    ['create table lake.g.c4 partition by (id) partition by (s) as select * from lake.g.t', 'PARSE ERROR: Encountered "partition" at line 1, column 42.'],
    // DROP TABLE/VIEW and TRUNCATE end after the name (and AT BRANCH): no CASCADE, no lists.
    ['drop table lake.g.t cascade', 'PARSE ERROR: Encountered "cascade" at line 1, column 21. Was expecting one of: "AT", "." or <EOF>.'],
    ['drop table lake.g.t, lake.g.src', 'PARSE ERROR: Encountered "," at line 1, column 20. Was expecting one of: "AT", "." or <EOF>.'],
    ['truncate table lake.g.t restart identity', 'PARSE ERROR: Encountered "restart" at line 1, column 25. Was expecting one of: "AT", "." or <EOF>.'],
    // INSERT INTO <table> [(cols)] <query> only.
    ['insert or replace into lake.g.t select * from lake.g.src', 'PARSE ERROR: Encountered "or" at line 1, column 8. Was expecting one of: "INTO".'],
    ['insert into lake.g.t by name select * from lake.g.src', 'PARSE ERROR: Encountered "by" at line 1, column 22. Was expecting one of: "SELECT", "WITH", "VALUES", "(".'],
    ['insert into lake.g.t default values', 'PARSE ERROR: Encountered "default" at line 1, column 22. Was expecting one of: "SELECT", "WITH", "VALUES", "(".'],
    ['insert into lake.g.t (id, s) select id, s from lake.g.src on conflict do nothing', 'PARSE ERROR: Encountered "on" at line 1, column 59.'],
    ['insert into lake.g.t values (9, \'z\') returning id', 'PARSE ERROR: Encountered "returning" at line 1, column 38.'],
    ['delete from lake.g.t where id = 1 returning id', 'PARSE ERROR: Encountered "returning" at line 1, column 35.'],
    // MERGE: WHEN MATCHED THEN UPDATE SET, then WHEN NOT MATCHED THEN INSERT; nothing else.
    ['merge into lake.g.t d using lake.g.src s on s.id = d.id when matched and s.s <> d.s then update set s = s.s', 'PARSE ERROR: Encountered "and" at line 1, column 70. Was expecting one of: "THEN".'],
    ['merge into lake.g.t d using lake.g.src s on s.id = d.id when matched then delete', 'PARSE ERROR: Encountered "delete" at line 1, column 75. Was expecting one of: "UPDATE".'],
    ['merge into lake.g.t d using lake.g.src s on s.id = d.id when not matched by source then delete', 'PARSE ERROR: Encountered "by" at line 1, column 74. Was expecting one of: "THEN".'],
    ['merge into lake.g.t d using lake.g.src s on s.id = d.id when not matched then insert (id, s) values (s.id, s.s) when matched then update set s = s.s', 'PARSE ERROR: Encountered "when" at line 1, column 113. Was expecting one of: <EOF>.'],
    // ALTER TABLE ... ADD takes COLUMNS (list); the singular is DuckDB's.
    ['alter table lake.g.t add column n int', 'PARSE ERROR: Encountered "column" at line 1, column 26. Was expecting one of: "COLUMNS", "PARTITION", "PRIMARY", "ROW".'],
    // COPY INTO: only ParseCopyIntoOptions' names; NULL_IF takes a parenthesised list; clauses in order.
    ["copy into lake.g.t from '@lake/in/' file_format 'csv' (header 'true')", 'PARSE ERROR: Encountered "header" at line 1, column 56.'],
    ["copy into lake.g.t from '@lake/in/' file_format 'csv' (null_if 'NA')", 'PARSE ERROR: Encountered "\'NA\'" at line 1, column 64. Was expecting one of: "(".'],
    ["copy into lake.g.t from '@lake/in/' (on_error 'abort') file_format 'csv'", 'PARSE ERROR: Encountered "file_format" at line 1, column 56. Was expecting one of: <EOF>.'],
    // Column types must be Calcite's (SqlHandlerUtil.checkInvalidType); TEXT, STRING are DuckDB's.
    ['create table lake.g.c6 (id int, s text)', 'PARSE ERROR: Invalid column type [`text`] specified for column [s].'],
    ['create table lake.g.c7 ("id" INTEGER, "s" STRING)', 'PARSE ERROR: Invalid column type [`STRING`] specified for column [s].'],
    ['alter table lake.g.t add columns (n int, flag bool)', 'PARSE ERROR: Invalid column type [`bool`] specified for column [flag].'],
  ])('refuses %s', async (sql, message) => {
    expect(await failure(sql)).toBe(message);
    expect(await rows()).toEqual([{ id: 1, s: 'a' }, { id: 2, s: 'b' }]);
    expect((await c.ok(`select table_name from information_schema."tables" where table_schema = 'lake.g' order by table_name`)).rows)
      .toEqual([{ TABLE_NAME: 'src' }, { TABLE_NAME: 't' }]);
  });

  it('refuses two statements in one request with Dremio\'s message; a trailing semicolon is fine', async () => {
    const sql = `delete from lake.g.t where id = 1; delete from lake.g.t where id = 2`;
    expect(await failure(sql)).toBe(`PARSE ERROR: Dremio only supports single statement execution. Unable to execute the given query with 2 statements: ${sql}`);
    expect(await rows()).toEqual([{ id: 1, s: 'a' }, { id: 2, s: 'b' }]);
    expect((await c.ok(`select count(*) as n from lake.g.t;`)).rows).toEqual([{ n: 2 }]);
  });

  it('accepts the shapes the grammar has: CASE WHEN inside MERGE, an insert-only MERGE, DROP TABLE ... AT BRANCH elsewhere', async () => {
    await c.ok(`create table lake.g.m as select * from lake.g.t`);
    await c.ok(`merge into lake.g.m as d using (select id, case when id > 2 then 'x' else s end as s from lake.g.src) as s on (s.id = d.id)
      when matched then update set s = case when s.s = 'B' then 'bb' else s.s end
      when not matched then insert (id, s) values (s.id, s.s)`);
    await c.ok(`merge into lake.g.m d using lake.g.src s on s.id = d.id when not matched then insert (id, s) values (s.id, s.s)`);
    expect((await c.ok(`select id, s from lake.g.m order by id`)).rows).toEqual([{ id: 1, s: 'a' }, { id: 2, s: 'bb' }, { id: 3, s: 'x' }]);
    await c.ok(`create table lake.g.l partition by ("id") distribute by ("id") localsort by (id) store as (type => 'iceberg') with single writer as select * from lake.g.t`);
    await c.ok(`drop table if exists lake.g.l;`);
    await c.ok(`drop table lake.g.m`);
    expect((await c.ok(`select id from lake.g.t where ilike(s, 'A%') group by id order by id`)).rows).toEqual([{ id: 1 }]);
  });

  it('ALTER TABLE ... DROP <column> without COLUMN drops the column, as in Dremio (it was a silent no-op)', async () => {
    await c.ok(`create table lake.g.d as select 1 as id, 'x' as gone`);
    await c.ok(`alter table lake.g.d drop gone`);
    expect((await c.ok(`select * from lake.g.d`)).rows).toEqual([{ id: 1 }]);
    await c.ok(`drop table lake.g.d`);
  });
});
