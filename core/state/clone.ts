// `cairn clone --state DIR`: make the selected models, seeds and snapshots exist in the current
// target as views over the state target's relations (no engine here has zero-copy clones cairn
// can rely on), so a dev target starts from prod without building anything.
import type { CommonOptions } from '../api/options.js';
import { loadAndParse, select } from '../api/project.js';
import { CairnError } from '../errors.js';
import { topoOrder } from '../graph/dag.js';
import { stateRelation } from './defer.js';
import { loadState } from './load-state.js';

export interface CloneResult {
  cloned: Array<{ node: string; relation: string; from: string }>;
  skipped: Array<{ node: string; reason: string }>;
}

export async function clone(o: CommonOptions & { fullRefresh?: boolean }): Promise<CloneResult> {
  if (!o.state) {
    throw new CairnError('USAGE', 'clone needs --state: the target folder whose relations to clone', { hint: 'e.g. cairn clone --state prod-target/' });
  }
  const p = loadAndParse(o);
  const state = loadState(o.state, p.ctx.projectDir);
  const selected = select(p, o, ['model', 'seed', 'snapshot']);
  const out: CloneResult = { cloned: [], skipped: [] };
  const adapter = o.adapters.connect(p.ctx.target, { projectDir: p.ctx.projectDir });
  await adapter.open();
  try {
    const d = adapter.dialect;
    for (const id of topoOrder(p.dag).filter((x) => selected.has(x))) {
      const node = p.nodes.get(id)!;
      const from = stateRelation(state, id);
      if (!node.relation || !from) {
        out.skipped.push({ node: node.name, reason: node.relation ? 'not in the state manifest' : 'ephemeral' });
        continue;
      }
      if (d.renderRelation(from) === d.renderRelation(node.relation)) {
        out.skipped.push({ node: node.name, reason: 'same relation as the state' });
        continue;
      }
      const existing = await adapter.getRelationKind(node.relation);
      if (existing && !o.fullRefresh) {
        out.skipped.push({ node: node.name, reason: `already a ${existing} here (use --full-refresh to replace it)` });
        continue;
      }
      await adapter.ensureSchema(node.relation);
      await adapter.executeAll(d.view({ target: node.relation, sql: `select * from ${d.renderRelation(from)}`, existing, config: node.config }), { nodeId: id });
      out.cloned.push({ node: node.name, relation: d.renderRelation(node.relation), from: d.renderRelation(from) });
    }
  } finally {
    await adapter.close();
  }
  return out;
}
