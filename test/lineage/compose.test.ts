import { describe, expect, it } from 'vitest';
import { modelColumnLineage, loadSqlParser } from '../../core/lineage/index.js';
import { rels } from './helpers.js';

// The analysis is synchronous; its WASM parser is loaded once, as the docs entry points do.
await loadSqlParser();

const R = rels({
  'main.orders': ['model.orders', ['order_id', 'customer_id', 'amount', 'ts']],
  'main.refunds': ['model.refunds', ['order_id', 'refund_amount']],
  'main.raw': ['source.raw', null],
  'main.raw2': ['source.raw2', null],
});
const lineage = (sql: string) => modelColumnLineage(sql, R);
const O = (column: string) => ({ relation: 'model.orders', column });

describe('lineage composes through CTEs, subqueries and set operations', () => {
  it('CTE chain: a rename in a CTE then passthrough outside is a rename', () => {
    const sql = `
      with base as (select order_id as id, amount, ts from main.orders),
           typed as (select id, cast(amount as double) as amount, ts from base),
           agg as (select id, sum(amount) as total from typed group by id)
      select a.id, a.total, t.ts as order_ts from agg a join typed t on t.id = a.id`;
    expect(lineage(sql).columns).toEqual([
      { column: 'id', transform: 'rename', upstream: [O('order_id')] },
      { column: 'total', transform: 'aggregated', upstream: [O('amount')] },
      { column: 'order_ts', transform: 'rename', upstream: [O('ts')] },
    ]);
  });

  it('select * from a CTE expands its known output columns', () => {
    const sql = `with c as (select order_id, amount * 2 as double_amount from main.orders) select * from c`;
    expect(lineage(sql).columns).toEqual([
      { column: 'order_id', transform: 'passthrough', upstream: [O('order_id')] },
      { column: 'double_amount', transform: 'transformed', upstream: [O('amount')] },
    ]);
  });

  it('CTE column lists rename by position', () => {
    const sql = `with c(oid, amt) as (select order_id, amount from main.orders) select oid, amt from c`;
    expect(lineage(sql).columns.map((c) => [c.column, c.transform, c.upstream[0].column])).toEqual([
      ['oid', 'rename', 'order_id'],
      ['amt', 'rename', 'amount'],
    ]);
  });

  it('a name behind an unexpandable * in a CTE is still traced to its single source', () => {
    const sql = `with src as (select * from main.raw) select id, upper(name) as name from src`;
    expect(lineage(sql).columns).toEqual([
      { column: 'id', transform: 'passthrough', upstream: [{ relation: 'source.raw', column: 'id' }] },
      { column: 'name', transform: 'transformed', upstream: [{ relation: 'source.raw', column: 'name' }] },
    ]);
    const two = `with src as (select * from main.raw, main.raw2) select id from src`;
    expect(lineage(two).columns[0].unresolved).toMatch(/several unexpanded \*/);
  });

  it('derived-table subqueries and scalar subqueries', () => {
    const sql = `select s.customer_id, s.n, (select max(refund_amount) from main.refunds r where r.order_id = s.last_id) as max_refund
      from (select customer_id, count(*) as n, max(order_id) as last_id from main.orders group by 1) as s`;
    expect(lineage(sql).columns).toEqual([
      { column: 'customer_id', transform: 'passthrough', upstream: [O('customer_id')] },
      { column: 'n', transform: 'aggregated', upstream: [] },
      { column: 'max_refund', transform: 'aggregated', upstream: [{ relation: 'model.refunds', column: 'refund_amount' }] },
    ]);
  });

  it('UNION ALL unions the upstreams of each branch, named by the first branch', () => {
    const sql = `select order_id, amount from main.orders
      union all select order_id, -refund_amount from main.refunds`;
    expect(lineage(sql).columns).toEqual([
      { column: 'order_id', transform: 'passthrough', upstream: [O('order_id'), { relation: 'model.refunds', column: 'order_id' }] },
      { column: 'amount', transform: 'transformed', upstream: [O('amount'), { relation: 'model.refunds', column: 'refund_amount' }] },
    ]);
    expect(lineage('select order_id from main.orders union all select order_id, 1 from main.refunds').columns[0].unresolved).toMatch(
      /branches have 1 and 2 columns/,
    );
  });

  it('UNION ALL BY NAME matches columns by name', () => {
    const sql = `select amount, order_id from main.orders union all by name select order_id, refund_amount as amount from main.refunds`;
    expect(lineage(sql).columns.find((c) => c.column === 'order_id')?.upstream).toEqual([
      O('order_id'),
      { relation: 'model.refunds', column: 'order_id' },
    ]);
  });

  it('a recursive CTE is reported as unresolved rather than guessed', () => {
    const sql = `with recursive r as (select 1 as n union all select n + 1 from r where n < 3) select n from r`;
    expect(lineage(sql).columns[0].unresolved).toMatch(/recursive CTE "r"/);
  });
});
