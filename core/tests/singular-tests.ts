// Parse pass for singular tests: each `tests/**/*.sql` (outside tests/generic/) is a query that
// returns failing rows; its refs and sources make it a child of the nodes it reads.
import type { ParsedProject } from '../compile/parse-project.js';
import { checksum } from '../compile/parse-models.js';
import { CairnError, addError } from '../errors.js';
import { mergeConfig } from '../project/node-config.js';
import { ownerFolderConfig, ownerOf } from '../packages/owner.js';
import type { ProjectNode } from '../project/types.js';
import { compileTemplate } from '../templating/render.js';
import { captureTestDeps, finishTestNode } from './test-node.js';

export function parseSingularTests(p: ParsedProject, errors: CairnError[]): void {
  const ctx = p.ctx;
  const patches = new Map(p.loaded.schema.files.flatMap((yf) => {
    const list = (yf.value as Record<string, unknown>).data_tests ?? (yf.value as Record<string, unknown>).tests;
    return Array.isArray(list) ? list.filter((x) => x && typeof x.name === 'string').map((x) => [x.name as string, x as Record<string, unknown>] as const) : [];
  }));
  for (const f of p.loaded.testFiles) {
    if (f.relPath.startsWith('generic/')) continue;
    const name = f.relPath.replace(/\.sql$/, '').split('/').pop()!;
    const dirs = f.relPath.split('/').slice(0, -1);
    const patch = patches.get(name);
    try {
      const owner = ownerOf(ctx, f.path);
      let cfg = mergeConfig({ severity: 'ERROR', enabled: true }, ownerFolderConfig(ctx, owner, 'tests', [...dirs, name]));
      if (patch?.config && typeof patch.config === 'object') cfg = mergeConfig(cfg, patch.config as Record<string, unknown>);
      const node: ProjectNode = {
        uniqueId: `test.${owner.name}.${name}`, name, resourceType: 'test', packageName: owner.name,
        originalFilePath: f.path, path: f.relPath, fqn: [owner.name, ...dirs, name], rawCode: f.content, checksum: checksum(f.content),
        config: cfg, description: typeof patch?.description === 'string' ? patch.description : '', columns: {}, meta: {}, tags: [],
        refs: [], sources: [], dependsOn: { nodes: [], macros: [] }, extra: { testType: 'singular', testName: name },
      };
      const template = compileTemplate(ctx.tenv, f.content, f.path);
      captureTestDeps(p, node, template);
      if (node.config.enabled === false) continue;
      finishTestNode(ctx, node);
      if (ctx.nodes.has(node.uniqueId)) throw new CairnError('DUPLICATE_NODE', `two tests are named \`${name}\``, { file: f.path });
      ctx.nodes.set(node.uniqueId, node);
      p.templates.set(node.uniqueId, template);
    } catch (e) {
      addError(errors, e);
    }
  }
}
