// The `seed` materialization: one bulk load of the CSV through the dialect's `seed` plan.
import { join } from 'node:path';
import { CairnError } from '../errors.js';
import type { Materialization } from '../execute/node-context.js';
import { seedDataOf } from './parse-seeds.js';

export const seedMaterialization: Materialization = async (nc) => {
  const { node, adapter } = nc;
  const d = adapter.dialect;
  if (!d.seed) throw new CairnError('CONFIG_INVALID', `seeds are not supported on ${d.name} yet`, { node: node.name, exitCode: 1 });
  const data = seedDataOf(node, nc.p.ctx.projectDir);
  const rel = node.relation!;
  await adapter.ensureSchema(rel);
  const existing = await adapter.getRelationKind(rel);
  const stmts = d.seed({
    target: rel, existing, fullRefresh: nc.fullRefresh, path: join(nc.p.ctx.projectDir, node.originalFilePath),
    delimiter: String(node.config.delimiter ?? ','), hasBom: data.csv.hasBom, columns: data.columns, rows: data.csv.rows,
    quoteColumns: node.config.quote_columns === true,
  });
  await nc.exec(stmts);
  return { status: 'success', rowsAffected: data.csv.rows.length, message: `INSERT ${data.csv.rows.length}` };
};
