// incremental_strategy 'microbatch': each run processes exactly the batch that holds `ds`
// (batch_size day|month|year) — rows of the model's query whose `event_time` falls in the interval
// replace that interval of the table. Re-running a day replaces it instead of adding it twice, so
// backfills are idempotent. Every processed interval is recorded in the target's state table.
import type { MicrobatchInterval } from '../../../adapters/adapter.js';
import { CairnError } from '../../errors.js';
import { addDays } from '../../orchestration/run-dates.js';
import { recordInterval } from '../../orchestration/interval-state.js';
import type { Materialization, NodeRunContext } from '../node-context.js';

const SIZES = ['day', 'month', 'year'];

export function batchInterval(ds: string, size: string): { start: string; end: string } {
  if (size === 'day') return { start: ds, end: addDays(ds, 1) };
  const [y, m] = ds.split('-').map(Number) as [number, number];
  if (size === 'month') return { start: `${ds.slice(0, 7)}-01`, end: m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01` };
  return { start: `${y}-01-01`, end: `${y + 1}-01-01` };
}

function settings(nc: NodeRunContext): MicrobatchInterval {
  const { node } = nc;
  const eventTime = node.config.event_time;
  if (typeof eventTime !== 'string' || !eventTime) {
    throw new CairnError('CONFIG_INVALID', "incremental_strategy 'microbatch' needs `event_time`", { node: node.name, file: node.originalFilePath, hint: "add event_time='order_timestamp' to the model's config", exitCode: 1 });
  }
  const size = String(node.config.batch_size ?? 'day');
  if (!SIZES.includes(size)) {
    throw new CairnError('CONFIG_INVALID', `unknown batch_size \`${size}\``, { node: node.name, file: node.originalFilePath, hint: `use one of ${SIZES.join(', ')} (one batch per ds)`, exitCode: 1 });
  }
  return { eventTime, ...batchInterval(nc.p.ctx.ds, size) };
}

/** The model's query cut to the batch: same columns, only rows of the interval. */
function filtered(nc: NodeRunContext, sql: string, mb: MicrobatchInterval): string {
  const d = nc.adapter.dialect;
  const col = d.quoteIdentifier(mb.eventTime);
  const body = sql.trim().replace(/;+\s*$/, '');
  return `select * from (\n${body}\n) as __cairn_batch\nwhere ${col} >= cast(${d.quoteString(mb.start)} as timestamp) and ${col} < cast(${d.quoteString(mb.end)} as timestamp)`;
}

export const microbatch: Materialization = async (nc) => {
  const { node, adapter } = nc;
  const rel = node.relation!;
  const mb = settings(nc);
  try {
    await adapter.ensureSchema(rel);
    const existing = await adapter.getRelationKind(rel);
    const fullRefresh = nc.fullRefresh && node.config.full_refresh !== false;
    let rows: number | undefined;
    let jobId: string | undefined;
    if (existing !== 'table' || fullRefresh) {
      const sql = filtered(nc, (await nc.compile(false)), mb);
      const d = adapter.dialect;
      const r = await nc.exec(d.table({ target: rel, tmp: d.scratchRelation(rel, '__cairn_tmp'), backup: d.scratchRelation(rel, '__cairn_backup'), sql, existing, config: node.config }));
      rows = r.rowsAffected;
      jobId = r.jobId;
    } else {
      const sql = filtered(nc, (await nc.compile(true)), mb);
      const [targetColumns, queryColumns] = [await adapter.getColumns(rel), await adapter.describeQuery(sql, { nodeId: node.uniqueId, signal: nc.signal })];
      const stmts = adapter.dialect.incremental({
        target: rel, tmp: adapter.dialect.scratchRelation(rel, '__cairn_tmp'), sql, strategy: 'microbatch', uniqueKey: [],
        targetColumns, queryColumns, onSchemaChange: String(node.config.on_schema_change ?? 'ignore') as never, microbatch: mb, config: node.config,
      });
      const r = await nc.exec(stmts);
      rows = r.rowsAffected;
      jobId = r.jobId;
    }
    await recordInterval(adapter, nc.p, node.uniqueId, mb, 'done', rows);
    return { status: 'success', rowsAffected: rows, jobId, message: `OK ${rows ?? 0} (${mb.start}..${mb.end})` };
  } catch (e) {
    // A failed batch is recorded too, so `cairn state` can show it; the state write must not hide the real error.
    if (!nc.signal.aborted) await recordInterval(adapter, nc.p, node.uniqueId, mb, 'failed').catch(() => undefined);
    throw e;
  }
};
