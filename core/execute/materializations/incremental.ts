// Incremental models: build the table on the first run or a full refresh; afterwards add the new
// rows by `incremental_strategy`. Columns come from the query itself (a LIMIT 0 describe), not from
// catalog views an engine may serve stale.
import type { IncrementalStrategy, OnSchemaChange } from '../../../adapters/adapter.js';
import { CairnError } from '../../errors.js';
import type { Materialization } from '../node-context.js';
import { microbatch } from './microbatch.js';
import { table } from './table.js';

const STRATEGIES = ['append', 'merge', 'delete+insert', 'microbatch'];
const SCHEMA_CHANGES = ['ignore', 'fail', 'append_new_columns', 'sync_all_columns'];

const asList = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

export const incremental: Materialization = async (nc) => {
  const { node, adapter } = nc;
  const cfg = node.config;
  const rel = node.relation!;
  const uniqueKey = asList(cfg.unique_key).flatMap((k) => k.split(',').map((s) => s.trim())).filter(Boolean);
  const strategy = String(cfg.incremental_strategy ?? (uniqueKey.length ? 'merge' : 'append')) as IncrementalStrategy;
  if (!STRATEGIES.includes(strategy)) {
    throw new CairnError('CONFIG_INVALID', `unknown incremental_strategy \`${strategy}\``, { node: node.name, file: node.originalFilePath, hint: `use one of ${STRATEGIES.join(', ')}`, exitCode: 1 });
  }
  if (strategy === 'microbatch') return microbatch(nc);
  if ((strategy === 'merge' || strategy === 'delete+insert') && uniqueKey.length === 0) {
    throw new CairnError('CONFIG_INVALID', `incremental_strategy '${strategy}' needs a unique_key`, { node: node.name, file: node.originalFilePath, hint: "add unique_key='id' to the model's config", exitCode: 1 });
  }
  const onSchemaChange = String(cfg.on_schema_change ?? 'ignore') as OnSchemaChange;
  if (!SCHEMA_CHANGES.includes(onSchemaChange)) {
    throw new CairnError('CONFIG_INVALID', `unknown on_schema_change \`${onSchemaChange}\``, { node: node.name, hint: `use one of ${SCHEMA_CHANGES.join(', ')}`, exitCode: 1 });
  }
  await adapter.ensureSchema(rel);
  const existing = await adapter.getRelationKind(rel);
  const fullRefresh = nc.fullRefresh && cfg.full_refresh !== false;
  if (existing !== 'table' || fullRefresh) return table(nc);

  const sql = (await nc.compile(true));
  const [targetColumns, queryColumns] = [await adapter.getColumns(rel), await adapter.describeQuery(sql, { nodeId: node.uniqueId, signal: nc.signal })];
  let stmts: string[];
  try {
    stmts = adapter.dialect.incremental({
      target: rel,
      tmp: adapter.dialect.scratchRelation(rel, '__cairn_tmp'),
      sql,
      strategy,
      uniqueKey,
      targetColumns,
      queryColumns,
      onSchemaChange,
      mergeUpdateColumns: cfg.merge_update_columns ? asList(cfg.merge_update_columns) : undefined,
      mergeExcludeColumns: cfg.merge_exclude_columns ? asList(cfg.merge_exclude_columns) : undefined,
      incrementalPredicates: asList(cfg.incremental_predicates ?? cfg.predicates),
      config: cfg,
    });
  } catch (e) {
    if (e instanceof CairnError) throw new CairnError(e.code, e.message, { node: node.name, file: node.originalFilePath, hint: e.hint, exitCode: 1 });
    throw e;
  }
  const r = await nc.exec(stmts);
  return { status: 'success', rowsAffected: r.rowsAffected, jobId: r.jobId };
};
