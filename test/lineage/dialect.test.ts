import { describe, expect, it } from 'vitest';
import { modelColumnLineage, loadSqlParser } from '../../core/lineage/index.js';
import { rels } from './helpers.js';

// The analysis is synchronous; its WASM parser is loaded once, as the docs entry points do.
await loadSqlParser();

const R = rels({
  'main.orders': ['model.orders', ['order_id', 'amount', 'tags', 'info']],
  'main.refunds': ['model.refunds', ['order_id', 'refund_amount']],
  '"lake"."sales"."orders"': ['source.lake_orders', ['id', 'total']],
});
const col = (sql: string, name: string, opts?: { dialect?: 'duckdb' | 'dremio' }) =>
  modelColumnLineage(sql, R, opts).columns.find((c) => c.column === name);

describe('DuckDB and Dremio specifics', () => {
  it('DuckDB: earlier SELECT aliases can be referenced later in the list', () => {
    expect(col('select amount * 2 as doubled, doubled + 1 as plus_one from main.orders', 'plus_one')).toEqual({
      column: 'plus_one',
      transform: 'transformed',
      upstream: [{ relation: 'model.orders', column: 'amount' }],
    });
  });

  it('DuckDB: struct field access and lambdas read the underlying columns', () => {
    expect(col('select info.city as city from main.orders', 'city')).toEqual({
      column: 'city',
      transform: 'transformed',
      upstream: [{ relation: 'model.orders', column: 'info' }],
    });
    expect(col('select list_transform(tags, t -> upper(t)) as up from main.orders', 'up')?.upstream).toEqual([
      { relation: 'model.orders', column: 'tags' },
    ]);
  });

  it('correlated scalar subqueries read outer columns too', () => {
    const c = col('select (select sum(refund_amount) + o.amount from main.refunds r where r.order_id = o.order_id) as net from main.orders o', 'net');
    expect(c).toEqual({
      column: 'net',
      transform: 'aggregated',
      upstream: [
        { relation: 'model.refunds', column: 'refund_amount' },
        { relation: 'model.orders', column: 'amount' },
      ],
    });
  });

  it('falls back to the Postgres grammar for Postgres-isms DuckDB accepts (AS MATERIALIZED)', () => {
    expect(col('with c as materialized (select order_id from main.orders) select order_id from c', 'order_id')?.transform).toBe('passthrough');
  });

  it('Dremio: three-part quoted names, generic dialect', () => {
    const sql = `select o."id" as order_id, sum("total") as total from "lake"."sales"."orders" o group by 1`;
    expect(col(sql, 'order_id', { dialect: 'dremio' })).toEqual({
      column: 'order_id',
      transform: 'rename',
      upstream: [{ relation: 'source.lake_orders', column: 'id' }],
    });
    expect(col(sql, 'total', { dialect: 'dremio' })?.transform).toBe('aggregated');
    // Qualifying by the table name (a suffix of the written name) also resolves.
    expect(col(`select orders.id from "lake"."sales"."orders"`, 'id', { dialect: 'dremio' })?.upstream).toEqual([
      { relation: 'source.lake_orders', column: 'id' },
    ]);
  });

  it('DuckDB: FROM-first without SELECT means select *', () => {
    expect(modelColumnLineage('from main.refunds', R).columns.map((c) => [c.column, c.transform])).toEqual([
      ['order_id', 'passthrough'],
      ['refund_amount', 'passthrough'],
    ]);
  });

  it('named windows contribute their PARTITION BY columns', () => {
    const sql = 'select sum(amount) over w as s from main.orders window w as (partition by order_id)';
    expect(col(sql, 's')?.upstream.map((u) => u.column)).toEqual(['amount', 'order_id']);
  });

  it('table functions: read_csv() has no upstream, unnest(col) transforms the column', () => {
    expect(col(`select a from read_csv('x.csv')`, 'a')).toEqual({ column: 'a', transform: 'passthrough', upstream: [] });
    expect(col('select o.order_id, t.tag from main.orders o, unnest(o.tags) as t(tag)', 'tag')).toEqual({
      column: 'tag',
      transform: 'transformed',
      upstream: [{ relation: 'model.orders', column: 'tags' }],
    });
  });

  it('VALUES lists produce columns with no upstream', () => {
    expect(modelColumnLineage('select a from (values (1), (2)) v(a)', R).columns).toEqual([
      { column: 'a', transform: 'transformed', upstream: [] },
    ]);
  });
});
