// Script tasks: every `tasks/**/*.{js,mjs}` module exporting a function (default export or `run`)
// is a DAG node named after its file. Its `export const config = { depends_on: ['orders_raw'],
// retries: 2, schema: 'raw' }` declares parents and node configs; its output table is ref()-able.
// The config is read in a short child process so the (synchronous) parse pass can stay synchronous.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CairnError } from '../errors.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { addRefable } from '../compile/parse-project.js';
import { checksum, finishNode } from '../compile/parse-models.js';
import { findFiles } from '../project/discover.js';
import { folderConfig, mergeConfig } from '../project/node-config.js';
import type { NodeConfig, ProjectNode } from '../project/types.js';

const READ_CONFIG = `const m = await import(process.argv[1]);
const fn = typeof m.default === 'function' ? m.default : m.run;
process.stdout.write(JSON.stringify({ hasFn: typeof fn === 'function', config: m.config ?? {} }));`;

function readTaskModule(file: string, rel: string): { config: Record<string, unknown> } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', READ_CONFIG, pathToFileURL(file).href], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) {
    const msg = (r.stderr || r.error?.message || 'failed to load').split('\n').find((l) => /Error|error/.test(l)) ?? r.stderr.trim().split('\n')[0];
    throw new CairnError('PROJECT_INVALID', `task module ${rel} cannot be loaded: ${msg}`, { file: rel, hint: 'run it with `node` to see the full error' });
  }
  const out = JSON.parse(r.stdout) as { hasFn: boolean; config: Record<string, unknown> };
  if (!out.hasFn) throw new CairnError('PROJECT_INVALID', `task module ${rel} exports no function`, { file: rel, hint: 'export default async function (ctx) { ... }' });
  if (typeof out.config !== 'object' || out.config === null || Array.isArray(out.config)) throw new CairnError('CONFIG_INVALID', `\`config\` of task ${rel} must be an object`, { file: rel });
  return out;
}

export function parseTasks(p: ParsedProject, errors: CairnError[]): void {
  const ctx = p.ctx;
  for (const f of findFiles(ctx.projectDir, ctx.project.taskPaths, ['.js', '.mjs', '.ts'])) {
    try {
      if (f.path.endsWith('.ts')) {
        throw new CairnError('PROJECT_INVALID', `task ${f.path} is TypeScript, which Node ${process.versions.node} cannot load directly`, { file: f.path, hint: 'compile it to .js/.mjs (tsc), or write the task in JavaScript' });
      }
      const name = f.relPath.replace(/\.(m?js)$/, '').split('/').pop()!;
      const mod = readTaskModule(join(ctx.projectDir, f.path), f.path);
      const dirs = f.relPath.split('/').slice(0, -1);
      const { depends_on: dependsOn, ...rest } = mod.config;
      const node: ProjectNode = {
        uniqueId: `task.${ctx.project.name}.${name}`, name, resourceType: 'task', packageName: ctx.project.name,
        originalFilePath: f.path, path: f.relPath, fqn: [ctx.project.name, ...dirs, name], rawCode: f.content,
        checksum: checksum(f.content), config: {}, description: '', columns: {}, meta: {}, tags: [],
        refs: (Array.isArray(dependsOn) ? dependsOn : dependsOn === undefined ? [] : [dependsOn]).map((d) => ({ name: String(d) })),
        sources: [], dependsOn: { nodes: [], macros: [] },
      };
      let cfg: NodeConfig = { materialized: 'table', enabled: true };
      cfg = mergeConfig(cfg, folderConfig(ctx.project.configTrees.tasks ?? (ctx.project.raw.tasks as Record<string, unknown> | undefined), ctx.project.name, [...dirs, name]));
      cfg = mergeConfig(cfg, rest);
      finishNode(ctx, node, cfg);
      if (cfg.enabled === false) continue;
      addRefable(p, node);
    } catch (e) {
      if (e instanceof CairnError) errors.push(e);
      else throw e;
    }
  }
}
