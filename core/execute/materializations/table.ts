// The `table` materialization. Where the adapter offers a branch swap (a versioned catalog), the new
// table is built on a short-lived branch and merged (atomic, written once); otherwise the dialect
// replaces it its own way (Dremio: tmp-then-copy, or `table_swap: drop_create`).
import { randomBytes } from 'node:crypto';
import type { Materialization } from '../node-context.js';

/** A Nessie branch name for one rebuild: the model's name (letters, digits, _) and 8 random hex digits. */
const swapBranchName = (identifier: string): string => `cairn_swap_${identifier.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 60)}_${randomBytes(4).toString('hex')}`;

export const table: Materialization = async (nc) => {
  const rel = nc.node.relation!;
  const sql = (await nc.compile(false));
  await nc.adapter.ensureSchema(rel);
  const existing = await nc.adapter.getRelationKind(rel);
  const d = nc.adapter.dialect;
  const swap = existing === 'table' ? nc.adapter.tableSwap?.(rel) : undefined;
  const branchSwap = swap ? { catalog: swap.catalog, from: swap.branch, name: swapBranchName(rel.identifier) } : undefined;
  const stmts = d.table({ target: rel, tmp: d.scratchRelation(rel, '__cairn_tmp'), backup: d.scratchRelation(rel, '__cairn_backup'), sql, existing, config: nc.node.config, ...(branchSwap ? { branchSwap } : {}) });
  try {
    const r = await nc.exec(stmts);
    return { status: 'success', rowsAffected: r.rowsAffected, jobId: r.jobId };
  } catch (e) {
    // The published table is untouched until MERGE BRANCH; only the scratch branch is left to remove.
    if (branchSwap) await nc.adapter.dropBranch?.(branchSwap.name).catch(() => undefined);
    throw e;
  }
};
