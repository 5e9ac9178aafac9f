// The emulator refuses what Dremio refuses: one protocol test per refusal (issue 19), each with the
// text Dremio answers. The rules and their dremio-oss sources are in test/dremio-emulator/
// iceberg-rules.ts, dml-rules.ts and reflection-rules.ts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Emulator } from './dremio-emulator/server.js';
import { client, startTestEmulator, stopTestEmulator } from './helpers/emulator-client.js';

describe('Dremio emulator strictness (refuses what Dremio refuses)', () => {
  let em: Emulator;
  let storage: string;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ em, storage, c } = await startTestEmulator());
    await c.ok(`create table lake.strict.typed as select cast(1 as int) as i, cast(2 as bigint) as b, cast(1.5 as float) as f,
      cast(2.5 as double) as d, cast(3.25 as decimal(10, 2)) as m, 'x' as s, date '2024-01-02' as dt, timestamp '2024-01-02 03:04:05' as ts, true as flag`);
  });
  afterAll(() => stopTestEmulator(em, storage));

  const failure = async (sql: string): Promise<string> => {
    const r = await c.run(sql);
    expect(r.status.jobState).toBe('FAILED');
    return r.status.errorMessage as string;
  };

  describe('ALTER TABLE ... ALTER COLUMN: only Iceberg promotions', () => {
    it('accepts int -> bigint, float -> double and decimal precision widening, and the data survives', async () => {
      await c.ok(`create table lake.strict.promo as select cast(7 as int) as i, cast(1.5 as float) as f, cast(3.25 as decimal(10, 2)) as m`);
      await c.ok(`alter table lake.strict.promo alter column "i" "i" bigint`);
      await c.ok(`alter table lake.strict.promo change column f f double`);
      await c.ok(`alter table lake.strict.promo modify column "m" "m" decimal(12, 2)`);
      expect(await failure(`alter table lake.strict.promo change m m varchar`)).toBe('VALIDATION ERROR: Cannot change data type of column [m] from DECIMAL(12, 2) to VARCHAR');
      const r = await c.ok(`select * from lake.strict.promo`);
      expect(r.schema.map((f: any) => f.type)).toEqual([{ name: 'BIGINT' }, { name: 'DOUBLE' }, { name: 'DECIMAL', precision: 12, scale: 2 }]);
      expect(r.rows).toEqual([{ i: 7, f: 1.5, m: 3.25 }]);
    });

    it.each([
      ['"m" "m" double', 'Cannot change data type of column [m] from DECIMAL(10, 2) to DOUBLE'],
      ['"m" "m" decimal(11, 3)', 'Cannot change data type of column [m] from DECIMAL(10, 2) to DECIMAL(11, 3)'],
      ['"m" "m" decimal(8, 2)', 'Cannot change data type of column [m] from DECIMAL(10, 2) to DECIMAL(8, 2)'],
      ['"b" "b" int', 'Cannot change data type of column [b] from BIGINT to INTEGER'],
      ['"d" "d" float', 'Cannot change data type of column [d] from DOUBLE to FLOAT'],
      ['"i" "i" double', 'Cannot change data type of column [i] from INTEGER to DOUBLE'],
      ['"s" "s" int', 'Cannot change data type of column [s] from VARCHAR to INTEGER'],
      ['"ts" "ts" date', 'Cannot change data type of column [ts] from TIMESTAMP to DATE'],
      ['"i" "i" varchar', 'Cannot change data type of column [i] from INTEGER to VARCHAR'],
      ['"nope" "nope" bigint', 'Column [nope] is not present in table [lake.strict.typed]'],
      ['"i" "b" bigint', 'Column [b] already present in table [lake.strict.typed]'],
    ])('refuses ALTER COLUMN %s', async (change, message) => {
      expect(await failure(`alter table lake.strict.typed alter column ${change}`)).toBe(`VALIDATION ERROR: ${message}`);
      const r = await c.ok(`select * from lake.strict.typed`);
      expect(r.schema.find((f: any) => f.name === 'm').type).toEqual({ name: 'DECIMAL', precision: 10, scale: 2 });
      expect(r.schema.find((f: any) => f.name === 'i').type).toEqual({ name: 'INTEGER' });
    });
  });

  describe('MERGE cardinality', () => {
    it('refuses a MERGE that updates one target row from two source rows; the target is unchanged', async () => {
      await c.ok(`create table lake.strict.tgt as select * from (values (1, 'a'), (2, 'b')) t (id, v)`);
      await c.ok(`create table lake.strict.src as select * from (values (1, 'x'), (1, 'y'), (3, 'z')) t (id, v)`);
      const msg = await failure(`merge into lake.strict.tgt as DBT_INTERNAL_DEST using lake.strict.src as DBT_INTERNAL_SOURCE
        on (DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id")
        when matched then update set "v" = DBT_INTERNAL_SOURCE."v"
        when not matched then insert ("id", "v") values (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."v")`);
      expect(msg).toBe('VALIDATION ERROR: A target row matched more than once. Please update your query.');
      expect((await c.ok(`select id, v from lake.strict.tgt order by id`)).rows).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
    });

    it('accepts duplicates that match no target row, and an insert-only MERGE (no duplicate check in Dremio)', async () => {
      await c.ok(`create table lake.strict.tgt2 as select * from (values (1, 'a')) t (id, v)`);
      const r = await c.ok(`merge into lake.strict.tgt2 as d using (select * from (values (2, 'x'), (2, 'y')) t (id, v)) as s
        on (s.id = d.id) when matched then update set v = s.v when not matched then insert (id, v) values (s.id, s.v)`);
      expect(r.rows).toEqual([{ 'Rows Merged': 2 }]);
      await c.ok(`merge into lake.strict.tgt2 as d using (select * from (values (1, 'p'), (1, 'q')) t (id, v)) as s
        on (s.id = d.id) when not matched then insert (id, v) values (s.id, s.v)`);
      expect((await c.ok(`select count(*) as n from lake.strict.tgt2`)).rows).toEqual([{ n: 3 }]);
    });
  });

  describe('DML result columns are named as Dremio names them', () => {
    it('INSERT, MERGE, DELETE, UPDATE answer Rows Inserted / Merged / Deleted / Updated', async () => {
      await c.ok(`create table lake.strict.dml (id int, v varchar)`);
      const ins = await c.ok(`insert into lake.strict.dml values (1, 'a'), (2, 'b'), (3, 'c')`);
      expect(ins.schema).toEqual([{ name: 'Rows Inserted', type: { name: 'BIGINT' } }]);
      expect(ins.rows).toEqual([{ 'Rows Inserted': 3 }]);
      const upd = await c.ok(`update lake.strict.dml set v = 'z' where id > 1`);
      expect(upd.rows).toEqual([{ 'Rows Updated': 2 }]);
      const del = await c.ok(`delete from lake.strict.dml where id = 1`);
      expect(del.rows).toEqual([{ 'Rows Deleted': 1 }]);
      const merge = await c.ok(`merge into lake.strict.dml as d using (select 2 as id, 'm' as v) as s on (s.id = d.id)
        when matched then update set v = s.v`);
      expect(merge.rows).toEqual([{ 'Rows Merged': 1 }]);
    });
  });

  describe('aggregate reflections: measures checked against the column types', () => {
    let datasetId: string;
    const aggregation = (measureFields: unknown[], extra: Record<string, unknown> = {}) =>
      ({ type: 'AGGREGATION', name: `agg_${Math.random().toString(36).slice(2, 8)}`, datasetId, enabled: true, dimensionFields: [{ name: 's' }], measureFields, ...extra });
    beforeAll(async () => {
      datasetId = (await c.call('GET', '/catalog/by-path/lake/strict/typed')).json.id;
    });

    it('accepts SUM+COUNT on numeric columns and COUNT/MIN/MAX/APPROX_COUNT_DISTINCT on the others', async () => {
      const ok = await c.call('POST', '/reflection', aggregation([
        { name: 'm', measureTypeList: ['SUM', 'COUNT'] }, { name: 'i', measureTypeList: ['SUM', 'MIN', 'MAX'] },
        { name: 's', measureTypeList: ['COUNT', 'APPROX_COUNT_DISTINCT'] }, { name: 'ts', measureTypeList: ['MIN', 'MAX'] },
      ]));
      expect(ok.status).toBe(200);
    });

    it.each([
      ['s', 'CHARACTER'], ['dt', 'CHARACTER'], ['ts', 'TIMESTAMP'], ['flag', 'BOOLEAN'],
    ])('refuses SUM on %s (%s)', async (col, family) => {
      const before = (await c.call('GET', `/dataset/${datasetId}/reflection`)).json.data.length;
      const r = await c.call('POST', '/reflection', aggregation([{ name: col, measureTypeList: ['SUM', 'COUNT'] }]));
      expect(r.status).toBe(400);
      expect(r.json.errorMessage).toBe(`The following measure type(s) were invalid for the field Measure: [SUM]. Valid measures for type ${family} include: [APPROX_COUNT_DISTINCT, COUNT, MIN, MAX].`);
      expect((await c.call('GET', `/dataset/${datasetId}/reflection`)).json.data.length).toBe(before);
    });

    it('refuses unknown measure and dimension columns, and SUM sneaked in by an update', async () => {
      const missing = await c.call('POST', '/reflection', aggregation([{ name: 'nope', measureTypeList: ['COUNT'] }]));
      expect(missing.status).toBe(400);
      expect(missing.json.errorMessage).toBe('Measure field contains a field name [nope] that does not exist in the dataset');
      const dim = await c.call('POST', '/reflection', aggregation([], { dimensionFields: [{ name: 'gone' }] }));
      expect(dim.status).toBe(400);
      const created = (await c.call('POST', '/reflection', aggregation([{ name: 's', measureTypeList: ['COUNT'] }]))).json;
      const upd = await c.call('PUT', `/reflection/${created.id}`, { ...created, measureFields: [{ name: 's', measureTypeList: ['SUM'] }] });
      expect(upd.status).toBe(400);
    });
  });

  describe('CTAS partition transforms', () => {
    it('accepts temporal transforms on DATE/TIMESTAMP, bucket and truncate on int/text', async () => {
      await c.ok(`create table lake.strict.p1 partition by (month("ts"), day("dt"), hour("ts"), bucket(4, "i"), truncate(2, "s"), "flag")
        as select * from lake.strict.typed`);
    });

    it.each([
      ['month("i")', 'Invalid source type int for transform: month'],
      ['year("s")', 'Invalid source type string for transform: year'],
      ['day("b")', 'Invalid source type long for transform: day'],
      ['hour("dt")', 'Invalid source type date for transform: hour'],
      ['bucket(4, "d")', 'Invalid source type double for transform: bucket[4]'],
      ['truncate(3, "ts")', 'Invalid source type timestamptz for transform: truncate[3]'],
      ['bucket("i")', "Invalid arguments for partition transform 'bucket'"],
      ['week("ts")', "Unknown partition transform 'week'"],
    ])('refuses PARTITION BY (%s)', async (item, message) => {
      expect(await failure(`create table lake.strict.pbad partition by (${item}) as select * from lake.strict.typed`)).toBe(`VALIDATION ERROR: ${message}`);
      expect(em.catalog.dataset(['lake', 'strict', 'pbad'])).toBeUndefined();
    });
  });
});
