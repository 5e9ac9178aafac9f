import { describe, expect, it } from 'vitest';
import { downstreamOf, modelColumnLineage, projectLineage, upstreamOf, loadSqlParser } from '../../core/lineage/index.js';
import { rels } from './helpers.js';

// The analysis is synchronous; its WASM parser is loaded once, as the docs entry points do.
await loadSqlParser();

// The sample project's three models, exactly as compiled.
const RAW = 'model.sample.orders_raw';
const INC = 'model.sample.orders_incremental';
const SUM = 'model.sample.orders_summary';
const sample = [
  {
    id: RAW,
    sql: `select order_id, customer_id, amount, status, order_timestamp from read_csv('data/orders/*/*.csv', header=true)`,
    relations: rels({}),
  },
  {
    id: INC,
    sql: `select order_id, customer_id, cast(amount as decimal(12,2)) as amount, status, order_timestamp, cast(order_timestamp as date) as order_date from "main"."orders_raw" where order_timestamp > (select max(order_timestamp) from "main"."orders_incremental")`,
    relations: rels({ '"main"."orders_raw"': [RAW, null], '"main"."orders_incremental"': [INC, null] }),
  },
  {
    id: SUM,
    sql: `select order_date, count(*) as order_count, sum(amount) as total_amount from "main"."orders_incremental" group by order_date`,
    relations: rels({ '"main"."orders_incremental"': [INC, null] }),
  },
];

describe('sample project lineage', () => {
  const project = projectLineage(sample);

  it('bronze: columns read from read_csv() are passthrough with no upstream relation', () => {
    // A table function is not a relation: the data enters the graph here (documented choice).
    expect(project.get(RAW)).toEqual({
      columns: ['order_id', 'customer_id', 'amount', 'status', 'order_timestamp'].map((column) => ({
        column,
        transform: 'passthrough',
        upstream: [],
      })),
    });
  });

  it('silver: casts are transformed, the WHERE self-reference is not lineage', () => {
    const r = (column: string) => [{ relation: RAW, column }];
    expect(project.get(INC)).toEqual({
      columns: [
        { column: 'order_id', transform: 'passthrough', upstream: r('order_id') },
        { column: 'customer_id', transform: 'passthrough', upstream: r('customer_id') },
        { column: 'amount', transform: 'transformed', upstream: r('amount') },
        { column: 'status', transform: 'passthrough', upstream: r('status') },
        { column: 'order_timestamp', transform: 'passthrough', upstream: r('order_timestamp') },
        { column: 'order_date', transform: 'transformed', upstream: r('order_timestamp') },
      ],
    });
  });

  it('gold: group key passthrough, count(*) and sum() aggregated', () => {
    expect(project.get(SUM)).toEqual({
      columns: [
        { column: 'order_date', transform: 'passthrough', upstream: [{ relation: INC, column: 'order_date' }] },
        { column: 'order_count', transform: 'aggregated', upstream: [] },
        { column: 'total_amount', transform: 'aggregated', upstream: [{ relation: INC, column: 'amount' }] },
      ],
    });
  });

  it('transitive upstream over 3 models', () => {
    expect(upstreamOf(project, SUM, 'total_amount')).toEqual([
      { relation: INC, column: 'amount', depth: 1 },
      { relation: RAW, column: 'amount', depth: 2 },
    ]);
    expect(upstreamOf(project, SUM, 'order_date')).toEqual([
      { relation: INC, column: 'order_date', depth: 1 },
      { relation: RAW, column: 'order_timestamp', depth: 2 },
    ]);
    expect(upstreamOf(project, SUM, 'order_count')).toEqual([]);
  });

  it('transitive downstream over 3 models', () => {
    expect(downstreamOf(project, RAW, 'order_timestamp')).toEqual([
      { relation: INC, column: 'order_timestamp', depth: 1 },
      { relation: INC, column: 'order_date', depth: 1 },
      { relation: SUM, column: 'order_date', depth: 2 },
    ]);
    expect(downstreamOf(project, RAW, 'AMOUNT')).toEqual([
      { relation: INC, column: 'amount', depth: 1 },
      { relation: SUM, column: 'total_amount', depth: 2 },
    ]);
  });
});

describe('projectLineage feeds computed columns downstream', () => {
  it('select * from an upstream model with unknown columns resolves once the model is analysed', () => {
    const sql = `select * from "main"."orders_summary"`;
    const relations = rels({ '"main"."orders_summary"': [SUM, null] });
    // Alone, the columns are unknown...
    expect(modelColumnLineage(sql, relations).columns[0].unresolved).toMatch(/unknown/);
    // ...in the project, orders_summary's computed output columns are used.
    const project = projectLineage([...sample, { id: 'model.sample.report', sql, relations }]);
    expect(project.get('model.sample.report')?.columns.map((c) => c.column)).toEqual(['order_date', 'order_count', 'total_amount']);
    expect(upstreamOf(project, 'model.sample.report', 'total_amount').map((h) => [h.relation, h.depth])).toEqual([
      [SUM, 1],
      [INC, 2],
      [RAW, 3],
    ]);
  });

  it('an upstream model whose column list is incomplete is not fed (stays unknown)', () => {
    const project = projectLineage([
      { id: 'a', sql: 'select * from main.src', relations: rels({ 'main.src': ['source.src', null] }) },
      { id: 'b', sql: 'select * from main.a', relations: rels({ 'main.a': ['a', null] }) },
    ]);
    expect(project.get('b')?.columns[0]).toMatchObject({ column: '*', unresolved: expect.stringMatching(/unknown/) });
  });
});
