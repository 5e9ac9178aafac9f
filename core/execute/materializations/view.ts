import type { Materialization } from '../node-context.js';

export const view: Materialization = async (nc) => {
  const rel = nc.node.relation!;
  const sql = (await nc.compile(false));
  await nc.adapter.ensureSchema(rel);
  const existing = await nc.adapter.getRelationKind(rel);
  const r = await nc.exec(nc.adapter.dialect.view({ target: rel, sql, existing, config: nc.node.config }));
  return { status: 'success', jobId: r.jobId };
};
