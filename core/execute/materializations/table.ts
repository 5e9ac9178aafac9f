import type { Materialization } from '../node-context.js';

export const table: Materialization = async (nc) => {
  const rel = nc.node.relation!;
  const sql = (await nc.compile(false));
  await nc.adapter.ensureSchema(rel);
  const existing = await nc.adapter.getRelationKind(rel);
  const d = nc.adapter.dialect;
  const r = await nc.exec(d.table({ target: rel, tmp: d.scratchRelation(rel, '__cairn_tmp'), backup: d.scratchRelation(rel, '__cairn_backup'), sql, existing, config: nc.node.config }));
  return { status: 'success', rowsAffected: r.rowsAffected, jobId: r.jobId };
};
