// `cairn show`: run a model's compiled SELECT (or inline SQL) and return the first rows, like `dbt show`.
import { compileInline } from '../compile/inline.js';
import { compileNodeWithDatabase } from '../compile/compile-node.js';
import { logAsEvent } from '../compile/introspect.js';
import { CairnError, isCairnError } from '../errors.js';
import type { ProjectNode } from '../project/types.js';
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
  let node: ProjectNode | undefined;
  if (o.inline) {
    sql = compileInline(p, o.inline);
  } else {
    const ids = [...select(p, o, ['model', 'seed', 'snapshot'])];
    if (ids.length !== 1) {
      throw new CairnError('USAGE', ids.length ? `--select matches ${ids.length} nodes; show takes one` : 'show needs --select <model> or --inline <sql>', { hint: 'e.g. cairn show --select orders_summary' });
    }
    node = p.nodes.get(ids[0]!)!;
    nodeName = node.name;
    sql = `select * from ${p.ctx.dialect.renderRelation(node.relation!)}`;
  }
  const adapter = o.adapters.connect(p.ctx.target, { projectDir: p.ctx.projectDir });
  await adapter.open();
  try {
    // A model's SQL is compiled with the connection open: its run_query & co. read the engine.
    if (node?.resourceType === 'model') sql = (await compileNodeWithDatabase(p, node, {}, { adapter: async () => adapter, onLog: logAsEvent(o.onEvent) })).sql;
    const r = await adapter.execute(`select * from (\n${stripTrailingSemicolons(sql)}\n) as __cairn_show limit ${o.limit ?? 5}`, { fetch: true });
    return { node: nodeName, columns: (r.columns ?? []).map((c) => c.name), rows: r.rows ?? [] };
  } catch (e) {
    if (isCairnError(e)) throw e;
    throw new CairnError('SQL_ERROR', `${nodeName ?? 'inline query'}: ${String((e as Error).message).split('\n')[0]}`, { node: nodeName, exitCode: 1 });
  } finally {
    await adapter.close();
  }
}
