// Shared by generic and singular tests: learn a test's refs and sources by rendering it in parse
// mode, resolve them to node ids, and place its `store_failures` table in `<schema>_dbt_test__audit`.
import type { CompileContext } from '../compile/context.js';
import { parseScope, type ParseCapture } from '../compile/node-scope.js';
import { resolveNodeDependencies, type ParsedProject } from '../compile/parse-project.js';
import { mergeConfig } from '../project/node-config.js';
import { checksum, dropProgram } from '../compile/parse-models.js';
import type { ProjectNode } from '../project/types.js';
import { generateDatabaseName, generateSchemaName } from '../compile/schema-name.js';
import { renderTemplate, type CompiledTemplate } from '../templating/render.js';
import { isRelationTransparent } from '../templating/fast-path.js';
import { builtinTestMacros } from './builtin-tests.js';

export function captureTestDeps(p: ParsedProject, node: ProjectNode, template: CompiledTemplate): void {
  const capture: ParseCapture = { refs: [], sources: [], config: {} };
  const rendered = renderTemplate(p.ctx.tenv, template, parseScope(p.ctx, node, capture), node.name);
  // The state fingerprint (core/state/fingerprint.ts): this render has relations as placeholders and
  // fixed dates, so state:modified needs no second render of every test.
  node.extra = { ...node.extra, _renderedChecksum: checksum(rendered) };
  // Built-in generic tests compile by substituting relations into this render (reuse-parse-render.ts).
  if (template.fast && isRelationTransparent(template.fast, builtinTestMacros(p.ctx.tenv))) {
    template.parseRenders = { base: { text: rendered, refs: capture.refs, sources: capture.sources } };
    dropProgram(template);
  }
  node.config = mergeConfig(node.config, capture.config);
  node.refs = capture.refs;
  node.sources = capture.sources;
  resolveNodeDependencies(p.ctx, node);
}

export function finishTestNode(ctx: CompileContext, node: ProjectNode): void {
  const cfg = node.config;
  if (typeof cfg.tags === 'string') cfg.tags = [cfg.tags];
  node.tags = (cfg.tags as string[] | undefined) ?? [];
  node.meta = (cfg.meta as Record<string, unknown> | undefined) ?? {};
  cfg.severity = String(cfg.severity ?? 'ERROR').toUpperCase();
  const schema = generateSchemaName(ctx, String(cfg.schema ?? 'dbt_test__audit'), node);
  const database = generateDatabaseName(ctx, cfg.database as string | undefined);
  node.relation = ctx.dialect.relationFor(
    { name: node.name, resourceType: 'test', materialized: 'test', schema, database, alias: cfg.alias as string | undefined, config: cfg },
    ctx.target,
  );
}
