// `on-run-start` / `on-run-end` from dbt_project.yml: run once around `run`, `build`, `seed`,
// `test` and `snapshot`, in order. A failing hook is a run-time error (exit 1) naming the hook.
import type { Adapter } from '../../adapters/adapter.js';
import type { ParsedProject } from '../compile/parse-project.js';
import type { DatabaseAccess } from '../compile/introspect.js';
import { CairnError } from '../errors.js';
import type { RenderLog } from '../templating/introspection/session.js';
import { operationNode, renderOperation } from './operation-scope.js';

export async function runProjectHooks(p: ParsedProject, adapter: Adapter, which: 'on-run-start' | 'on-run-end', extra: Record<string, unknown> = {}, onLog?: (l: RenderLog) => void): Promise<number> {
  const db: DatabaseAccess = { adapter: async () => adapter, onLog };
  const list = which === 'on-run-start' ? p.ctx.project.onRunStart : p.ctx.project.onRunEnd;
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const node = operationNode(p, `${p.ctx.project.name}-${which}-${i}`, 'dbt_project.yml');
    const stmts = await renderOperation(p, node, list[i]!, db, extra);
    for (const s of stmts) {
      try {
        await adapter.execute(s, { nodeId: node.uniqueId });
        n++;
      } catch (e) {
        throw new CairnError('SQL_ERROR', `${which} hook ${i + 1} failed: ${String((e as Error).message).split('\n')[0]}`, { file: 'dbt_project.yml', node: which, exitCode: 1 });
      }
    }
  }
  return n;
}
