// The `snapshot` materialization: SCD type 2 through the dialect's `snapshot` plan. The first run
// creates the table; later runs close changed (and, per hard_deletes, deleted) rows and insert
// their new versions.
import type { HardDeletes } from '../../adapters/adapter.js';
import { CairnError } from '../errors.js';
import type { Materialization } from '../execute/node-context.js';

const asList = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

export const snapshotMaterialization: Materialization = async (nc) => {
  const { node, adapter } = nc;
  const d = adapter.dialect;
  if (!d.snapshot) throw new CairnError('CONFIG_INVALID', `snapshots are not supported on ${d.name} yet`, { node: node.name, exitCode: 1 });
  const cfg = node.config;
  const rel = node.relation!;
  const sql = (await nc.compile(false));
  await adapter.ensureSchema(rel);
  const kind = await adapter.getRelationKind(rel);
  if (kind === 'view') throw new CairnError('CONFIG_INVALID', `snapshot \`${node.name}\`: ${d.renderRelation(rel)} is a view, not a snapshot table`, { node: node.name, exitCode: 1, hint: 'drop the view or point the snapshot elsewhere' });
  const queryColumns = await adapter.describeQuery(sql, { nodeId: node.uniqueId, signal: nc.signal });
  const uniqueKey = asList(cfg.unique_key).flatMap((k) => k.split(',').map((s) => s.trim())).filter(Boolean);
  const have = new Set(queryColumns.map((c) => c.name.toLowerCase()));
  const needed = [...uniqueKey, ...(cfg.strategy === 'timestamp' ? [String(cfg.updated_at)] : [])];
  for (const k of needed) {
    if (!have.has(k.toLowerCase())) {
      throw new CairnError('CONFIG_INVALID', `snapshot \`${node.name}\`: its query has no column \`${k}\``, { node: node.name, file: node.originalFilePath, exitCode: 1, hint: `the query returns: ${queryColumns.map((c) => c.name).join(', ')}` });
    }
  }
  const names = (cfg.snapshot_meta_column_names ?? {}) as Record<string, string>;
  const hardDeletes = (cfg.hard_deletes ?? (cfg.invalidate_hard_deletes === true ? 'invalidate' : 'ignore')) as HardDeletes;
  const checkCols = cfg.check_cols === 'all' ? 'all' : asList(cfg.check_cols);
  const exists = kind === 'table';
  const stmts = d.snapshot({
    target: rel, staging: d.scratchRelation(rel, '__cairn_snapshot_staging'), deleted: d.scratchRelation(rel, '__cairn_snapshot_deleted'), sql, exists,
    strategy: cfg.strategy as 'timestamp' | 'check', uniqueKey, updatedAt: cfg.updated_at ? String(cfg.updated_at) : undefined, checkCols, hardDeletes,
    targetColumns: exists ? await adapter.getColumns(rel) : [], queryColumns,
    meta: {
      validFrom: names.dbt_valid_from ?? 'dbt_valid_from', validTo: names.dbt_valid_to ?? 'dbt_valid_to', scdId: names.dbt_scd_id ?? 'dbt_scd_id',
      updatedAt: names.dbt_updated_at ?? 'dbt_updated_at', isDeleted: names.dbt_is_deleted ?? 'dbt_is_deleted',
    },
  });
  const r = await nc.exec(stmts);
  return { status: 'success', rowsAffected: r.rowsAffected, jobId: r.jobId };
};
