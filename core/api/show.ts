// `cairn show`: run a model's compiled SELECT (or inline SQL) and return the first rows, like `dbt show`.
import { compileInline } from '../compile/inline.js';
import { compileNode } from '../compile/compile-node.js';
import { CairnError } from '../errors.js';
import { stripTrailingSemicolons } from '../../adapters/shared/ansi.js';
import type { CommonOptions } from './options.js';
import { loadAndParse, select } from './project.js';

export interface ShowResult {
  node?: string;
  columns: string[];
  rows: Record<string, unknown>[];
}

export async function show(o: CommonOptions & { limit?: number; inline?: string }): Promise<ShowResult> {
  const p = loadAndParse(o);
  let sql: string;
  let nodeName: string | undefined;
  if (o.inline) {
    sql = compileInline(p, o.inline);
  } else {
    const ids = [...select(p, o, ['model', 'seed', 'snapshot'])];
    if (ids.length !== 1) {
      throw new CairnError('USAGE', ids.length ? `--select matches ${ids.length} nodes; show takes one` : 'show needs --select <model> or --inline <sql>', { hint: 'e.g. cairn show --select orders_summary' });
    }
    const node = p.nodes.get(ids[0]!)!;
    nodeName = node.name;
    sql = node.resourceType === 'model' ? compileNode(p, node).sql : `select * from ${p.ctx.dialect.renderRelation(node.relation!)}`;
  }
  const adapter = o.adapters.connect(p.ctx.target, { projectDir: p.ctx.projectDir });
  await adapter.open();
  try {
    const r = await adapter.execute(`select * from (\n${stripTrailingSemicolons(sql)}\n) as __cairn_show limit ${o.limit ?? 5}`, { fetch: true });
    return { node: nodeName, columns: (r.columns ?? []).map((c) => c.name), rows: r.rows ?? [] };
  } catch (e) {
    throw new CairnError('SQL_ERROR', `${nodeName ?? 'inline query'}: ${String((e as Error).message).split('\n')[0]}`, { node: nodeName, exitCode: 1 });
  } finally {
    await adapter.close();
  }
}
