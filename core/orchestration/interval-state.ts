// The target's record of processed microbatch intervals: `cairn_state.intervals`, one row per model
// and interval with its last outcome. Written by the microbatch materialization, read by `cairn state`.
import type { Adapter, MicrobatchInterval, Relation } from '../../adapters/adapter.js';
import type { ParsedProject } from '../compile/parse-project.js';

export interface IntervalRow {
  model: string;
  interval_start: string;
  interval_end: string;
  status: 'done' | 'failed';
  rows_affected: number | null;
  invocation_id: string;
  updated_at: string;
}

export const STATE_SCHEMA = 'cairn_state';

export function stateRelation(p: ParsedProject): Relation {
  return { database: undefined, schema: STATE_SCHEMA, identifier: 'intervals' };
}

// Statements on the state table are serialized per adapter: concurrent DDL/DML on one small table
// would only produce write conflicts.
const chains = new WeakMap<Adapter, Promise<unknown>>();
function serial<T>(adapter: Adapter, fn: () => Promise<T>): Promise<T> {
  const prev = chains.get(adapter) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  chains.set(adapter, next.catch(() => undefined));
  return next;
}

async function ensureTable(adapter: Adapter, p: ParsedProject): Promise<string> {
  const rel = stateRelation(p);
  await adapter.ensureSchema(rel);
  const t = adapter.dialect.renderRelation(rel);
  await adapter.execute(`create table if not exists ${t} (model varchar, interval_start varchar, interval_end varchar, status varchar, rows_affected bigint, invocation_id varchar, updated_at varchar)`);
  return t;
}

export function recordInterval(adapter: Adapter, p: ParsedProject, model: string, mb: MicrobatchInterval, status: 'done' | 'failed', rows?: number): Promise<void> {
  return serial(adapter, async () => {
    const t = await ensureTable(adapter, p);
    const s = adapter.dialect.quoteString;
    await adapter.executeAll([
      'begin transaction',
      `delete from ${t} where model = ${s(model)} and interval_start = ${s(mb.start)}`,
      `insert into ${t} values (${s(model)}, ${s(mb.start)}, ${s(mb.end)}, ${s(status)}, ${rows ?? 'null'}, ${s(p.ctx.invocationId)}, ${s(new Date().toISOString())})`,
      'commit',
    ]);
  });
}

export async function readIntervals(adapter: Adapter, p: ParsedProject): Promise<IntervalRow[]> {
  const rel = stateRelation(p);
  if ((await adapter.getRelationKind(rel)) === null) return [];
  const r = await adapter.execute(`select * from ${adapter.dialect.renderRelation(rel)} order by model, interval_start`, { fetch: true });
  return (r.rows ?? []).map((x) => ({ ...x, rows_affected: x.rows_affected === null ? null : Number(x.rows_affected) }) as IntervalRow);
}
