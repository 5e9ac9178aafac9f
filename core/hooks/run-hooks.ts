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
  let n = 0;
  for (const { project, file, hooks } of hookSources(p)) {
    const list = which === 'on-run-start' ? hooks.onRunStart : hooks.onRunEnd;
    for (let i = 0; i < list.length; i++) {
      const node = operationNode(p, `${project}-${which}-${i}`, file);
      const stmts = await renderOperation(p, node, list[i]!, db, extra);
      for (const s of stmts) {
        try {
          await adapter.execute(s, { nodeId: node.uniqueId });
          n++;
        } catch (e) {
          throw new CairnError('SQL_ERROR', `${which} hook ${i + 1}${project !== p.ctx.project.name ? ` of package \`${project}\`` : ''} failed: ${String((e as Error).message).split('\n')[0]}`, { file, node: which, exitCode: 1 });
        }
      }
    }
  }
  return n;
}

/**
 * Whose hooks run, in dbt's order: installed packages by name, then the root project last. A
 * package's hooks render in its own environment (their file lies in its folder).
 */
function hookSources(p: ParsedProject): Array<{ project: string; file: string; hooks: { onRunStart: string[]; onRunEnd: string[] } }> {
  const root = { project: p.ctx.project.name, file: 'dbt_project.yml', hooks: p.ctx.project };
  if (!p.ctx.packages?.length) return [root];
  const pkgs = [...p.ctx.packages].sort((a, b) => (a.config.name < b.config.name ? -1 : a.config.name > b.config.name ? 1 : 0));
  return [...pkgs.map((pkg) => ({ project: pkg.config.name, file: `${pkg.dir}/dbt_project.yml`, hooks: pkg.config })), root];
}
