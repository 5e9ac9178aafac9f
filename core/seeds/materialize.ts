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
  // Without transactions the table is emptied before the rows go in: check first that they fit.
  if (existing === 'table' && !nc.fullRefresh && !adapter.capabilities.transactionalDdl) {
    const have = (await adapter.getColumns(rel)).map((c) => c.name.toLowerCase());
    const want = data.columns.map((c) => c.name.toLowerCase());
    if (have.join('\u0000') !== want.join('\u0000')) {
      throw new CairnError('CONFIG_INVALID', `seed ${node.name}'s columns changed (table: ${have.join(', ')}; CSV: ${want.join(', ')}); the table was left as it is`, {
        node: node.name, file: node.originalFilePath, exitCode: 1, hint: `run cairn seed --full-refresh -s ${node.name} to re-create it`,
      });
    }
  }
  const stmts = d.seed({
    target: rel, existing, fullRefresh: nc.fullRefresh, path: join(nc.p.ctx.projectDir, node.originalFilePath),
    delimiter: String(node.config.delimiter ?? ','), hasBom: data.csv.hasBom, columns: data.columns, rows: data.csv.rows,
    quoteColumns: node.config.quote_columns === true,
  });
  await nc.exec(stmts);
  return { status: 'success', rowsAffected: data.csv.rows.length, message: `INSERT ${data.csv.rows.length}` };
};
