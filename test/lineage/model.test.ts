import { describe, expect, it } from 'vitest';
import { modelColumnLineage, loadSqlParser } from '../../core/lineage/index.js';
import { rels } from './helpers.js';

// The analysis is synchronous; its WASM parser is loaded once, as the docs entry points do.
await loadSqlParser();

const R = rels({
  '"main"."orders"': ['model.orders', ['order_id', 'customer_id', 'amount', 'status', 'ts']],
  'main.customers': ['model.customers', ['customer_id', 'name', 'country']],
  'main.raw_a': ['source.a', null],
  'main.raw_b': ['source.b', null],
});
const lineage = (sql: string, relations = R) => modelColumnLineage(sql, relations);
const col = (sql: string, name: string, relations = R) => lineage(sql, relations).columns.find((c) => c.column === name);

describe('modelColumnLineage: single SELECT', () => {
  it('passthrough, qualified passthrough and rename', () => {
    const l = lineage('select order_id, o.status, amount as amount, customer_id as cust from main.orders o');
    expect(l.unresolved).toBeUndefined();
    expect(l.columns).toEqual([
      { column: 'order_id', transform: 'passthrough', upstream: [{ relation: 'model.orders', column: 'order_id' }] },
      { column: 'status', transform: 'passthrough', upstream: [{ relation: 'model.orders', column: 'status' }] },
      { column: 'amount', transform: 'passthrough', upstream: [{ relation: 'model.orders', column: 'amount' }] },
      { column: 'cust', transform: 'rename', upstream: [{ relation: 'model.orders', column: 'customer_id' }] },
    ]);
  });

  it('aggregates, including count(*) with no upstream and count(distinct)', () => {
    const sql = `select customer_id, count(*) as n, sum(amount) as total, count(distinct status) as statuses,
      any_value(ts) as some_ts, max(amount) - min(amount) as spread from "main"."orders" group by customer_id`;
    const l = lineage(sql);
    expect(l.columns.map((c) => [c.column, c.transform])).toEqual([
      ['customer_id', 'passthrough'],
      ['n', 'aggregated'],
      ['total', 'aggregated'],
      ['statuses', 'aggregated'],
      ['some_ts', 'aggregated'],
      ['spread', 'aggregated'],
    ]);
    expect(col(sql, 'n')?.upstream).toEqual([]);
    expect(col(sql, 'total')?.upstream).toEqual([{ relation: 'model.orders', column: 'amount' }]);
  });

  it('join with aliases resolves qualified and unambiguous unqualified columns', () => {
    const sql = `select o.order_id, c.name as customer_name, country, o.customer_id
      from "main"."orders" as o left join main.customers c on c.customer_id = o.customer_id`;
    const l = lineage(sql);
    expect(l.columns).toEqual([
      { column: 'order_id', transform: 'passthrough', upstream: [{ relation: 'model.orders', column: 'order_id' }] },
      { column: 'customer_name', transform: 'rename', upstream: [{ relation: 'model.customers', column: 'name' }] },
      { column: 'country', transform: 'passthrough', upstream: [{ relation: 'model.customers', column: 'country' }] },
      { column: 'customer_id', transform: 'passthrough', upstream: [{ relation: 'model.orders', column: 'customer_id' }] },
    ]);
    // customer_id exists on both sides: unqualified it is ambiguous, and we say so.
    const amb = col(`select customer_id from main.orders o join main.customers c on true`, 'customer_id');
    expect(amb?.unresolved).toMatch(/could come from/);
    expect(amb?.transform).toBeUndefined();
  });

  it('JOIN ... USING makes the shared column come from both sides, once under *', () => {
    const l = lineage('select * from main.orders join main.customers using (customer_id)');
    expect(l.columns.map((c) => c.column)).toEqual(['order_id', 'customer_id', 'amount', 'status', 'ts', 'name', 'country']);
    expect(l.columns[1].upstream).toEqual([
      { relation: 'model.orders', column: 'customer_id' },
      { relation: 'model.customers', column: 'customer_id' },
    ]);
  });

  it('select * and t.* expand from known columns, with EXCLUDE/REPLACE', () => {
    expect(lineage('select * from main.customers').columns.map((c) => [c.column, c.transform])).toEqual([
      ['customer_id', 'passthrough'],
      ['name', 'passthrough'],
      ['country', 'passthrough'],
    ]);
    const l = lineage('select c.* exclude (country) replace (upper(name) as name), o.amount from main.customers c, main.orders o');
    expect(l.columns.map((c) => [c.column, c.transform])).toEqual([
      ['customer_id', 'passthrough'],
      ['name', 'transformed'],
      ['amount', 'passthrough'],
    ]);
  });

  it('select * from a relation with unknown columns is unresolved with a reason', () => {
    const l = lineage('select * from main.raw_a');
    expect(l.columns).toHaveLength(1);
    expect(l.columns[0]).toMatchObject({ column: '*', upstream: [] });
    expect(l.columns[0].unresolved).toMatch(/columns of main\.raw_a \(source\.a\) are unknown/);
    // ...but an explicitly named column of that single relation is still resolved.
    expect(col('select x from main.raw_a', 'x')).toEqual({ column: 'x', transform: 'passthrough', upstream: [{ relation: 'source.a', column: 'x' }] });
  });

  it('unqualified column with several unknown-column tables in scope is not guessed', () => {
    const c = col('select x from main.raw_a, main.raw_b', 'x');
    expect(c?.unresolved).toMatch(/cannot determine the table of column "x"/);
    expect(c?.upstream).toEqual([]);
    // A known-column table that has it is still not picked while an unknown one might have it too.
    expect(col('select name from main.customers, main.raw_a', 'name')?.unresolved).toMatch(/unknown columns/);
  });

  it('CASE, CAST, :: casts and functions are transformed', () => {
    const sql = `select case when amount > 100 then 'big' else status end as bucket, cast(amount as decimal(12,2)) as amt,
      ts::date as d, date_trunc('month', ts) as m, strftime(ts, '%Y') as y, coalesce(status, 'n/a') as st
      from main.orders`;
    const l = lineage(sql);
    expect(l.columns.every((c) => c.transform === 'transformed')).toBe(true);
    expect(col(sql, 'bucket')?.upstream).toEqual([
      { relation: 'model.orders', column: 'amount' },
      { relation: 'model.orders', column: 'status' },
    ]);
    expect(col(sql, 'd')?.upstream).toEqual([{ relation: 'model.orders', column: 'ts' }]);
  });

  it('window functions are transformed and include PARTITION/ORDER BY columns', () => {
    const sql = `select order_id, row_number() over (partition by customer_id order by ts desc) as rn,
      sum(amount) over (partition by customer_id) as running from main.orders qualify rn = 1`;
    expect(col(sql, 'rn')).toEqual({
      column: 'rn',
      transform: 'transformed',
      upstream: [{ relation: 'model.orders', column: 'customer_id' }, { relation: 'model.orders', column: 'ts' }],
    });
    expect(col(sql, 'running')?.transform).toBe('transformed');
  });

  it('literal-only columns are transformed with no upstream', () => {
    const l = lineage(`select 'x' as src, current_date as today, 1 + 1 as two from main.orders`);
    expect(l.columns).toEqual([
      { column: 'src', transform: 'transformed', upstream: [] },
      { column: 'today', transform: 'transformed', upstream: [] },
      { column: 'two', transform: 'transformed', upstream: [] },
    ]);
  });

  it('quoted identifiers with mixed case match case-insensitively and keep their written case', () => {
    const r = rels({ '"Main"."Orders"': ['model.orders', ['OrderId', 'Amount']] });
    const l = lineage(`select "OrderId", "O"."Amount" as "TotalAmount", "orderid" as "ORDERID" from "main"."orders" as "O"`, r);
    expect(l.columns).toEqual([
      { column: 'OrderId', transform: 'passthrough', upstream: [{ relation: 'model.orders', column: 'OrderId' }] },
      { column: 'TotalAmount', transform: 'rename', upstream: [{ relation: 'model.orders', column: 'Amount' }] },
      { column: 'ORDERID', transform: 'passthrough', upstream: [{ relation: 'model.orders', column: 'OrderId' }] },
    ]);
  });

  it('unaliased expressions are named by their SQL text', () => {
    expect(lineage('select count(*), amount * 2 from main.orders').columns.map((c) => c.column)).toEqual(['count(*)', 'amount * 2']);
  });
});

describe('modelColumnLineage: unparseable or unsupported SQL', () => {
  it('reports a parse error as unresolved instead of throwing', () => {
    const l = lineage('selec order_id frm main.orders');
    expect(l.columns).toEqual([]);
    expect(l.unresolved).toMatch(/cannot parse SQL: .*selec/);
  });

  it('reports leftover Jinja and non-SELECT statements', () => {
    expect(lineage("select {{ ref('x') }} from t").unresolved).toMatch(/cannot parse SQL/);
    expect(lineage('delete from main.orders').unresolved).toMatch(/not a SELECT statement/);
    expect(lineage('select 1; select 2').unresolved).toMatch(/expected one SELECT statement, found 2/);
  });

  it('a relation missing from the relations map makes its columns unresolved', () => {
    expect(col('select a from main.nowhere', 'a')?.unresolved).toMatch(/relation "main\.nowhere" is not in the relations map/);
  });
});
