// The parse pass for models: render each model once in parse mode to learn its refs, sources and
// inline config, then apply config precedence and place it in the engine (its relation).
import { hash } from 'node:crypto';
import { CairnError, isCairnError } from '../errors.js';
import { folderConfig, mergeConfig } from '../project/node-config.js';
import type { SourceFile } from '../project/discover.js';
import type { Patch } from '../project/schema-yaml.js';
import type { NodeConfig, ProjectNode } from '../project/types.js';
import { compileTemplate, renderTemplate, type CompiledTemplate } from '../templating/render.js';
import { isRelationTransparent } from '../templating/fast-path.js';
import type { CompileContext } from './context.js';
import { parseScope, type ParseCapture } from './node-scope.js';
import { generateDatabaseName, generateSchemaName } from './schema-name.js';

// crypto.hash is the one-shot form: ~3x faster than createHash() on many small inputs.
export const checksum = (s: string): string => hash('sha256', s);

export interface ParsedFile {
  node: ProjectNode;
  template: CompiledTemplate;
}

export function parseModelFile(ctx: CompileContext, f: SourceFile, patch: Patch | undefined, compiled?: CompiledTemplate): ParsedFile {
  const name = f.relPath.replace(/\.sql$/, '').split('/').pop()!;
  const dirs = f.relPath.split('/').slice(0, -1);
  const template = compiled ?? compileTemplate(ctx.tenv, f.content, f.path);
  const node: ProjectNode = {
    uniqueId: `model.${ctx.project.name}.${name}`,
    name,
    resourceType: 'model',
    packageName: ctx.project.name,
    originalFilePath: f.path,
    path: f.relPath,
    fqn: [ctx.project.name, ...dirs, name],
    rawCode: f.content,
    checksum: checksum(f.content),
    config: {},
    description: patch?.description ?? '',
    columns: patch?.columns ?? {},
    meta: {},
    tags: [],
    patchPath: patch?.file,
    refs: [],
    sources: [],
    dependsOn: { nodes: [], macros: [] },
  };
  let cfg: NodeConfig = { materialized: 'view', enabled: true };
  cfg = mergeConfig(cfg, folderConfig(ctx.project.configTrees.models, ctx.project.name, [...dirs, name]));
  if (patch) {
    cfg = mergeConfig(cfg, patch.config);
    if (patch.tags.length) cfg = mergeConfig(cfg, { tags: patch.tags });
    if (Object.keys(patch.meta).length) cfg = mergeConfig(cfg, { meta: patch.meta });
  }
  node.config = cfg;
  const capture: ParseCapture = { refs: [], sources: [], config: {} };
  let base: string;
  try {
    base = renderTemplate(ctx.tenv, template, parseScope(ctx, node, capture), name);
  } catch (e) {
    // It calls a macro of a file that does not compile: the node stays, and fails when compiled.
    if (!fromBrokenMacroFile(ctx, e)) throw e;
    finishNode(ctx, node, cfg);
    return { node, template };
  }
  finishNode(ctx, node, mergeConfig(cfg, capture.config));
  let rendered = base;
  let incremental: ParseCapture | undefined;
  let incText: string | undefined;
  if (node.config.materialized === 'incremental') {
    incremental = { refs: [], sources: [], config: {} };
    incText = renderTemplate(ctx.tenv, template, parseScope(ctx, node, incremental, true), name);
    rendered += '\n-- is_incremental\n' + incText;
  }
  // What state:modified compares (core/state/fingerprint.ts): this normalized render, both branches.
  node.extra = { ...node.extra, _renderedChecksum: checksum(rendered) };
  if (template.fast && isRelationTransparent(template.fast, ctx.pureMacros())) {
    template.parseRenders = {
      base: { text: base, refs: capture.refs, sources: capture.sources },
      incremental: incremental && { text: incText!, refs: incremental.refs, sources: incremental.sources },
    };
    dropProgram(template);
  }
  node.refs = capture.refs;
  node.sources = capture.sources;
  node.dependsOn.macros = macrosUsed(ctx, f.content);
  return { node, template };
}

/**
 * Compiling reuses the parse render, so the fast program (~2.5 kB per model, ~35 MB on 10,000)
 * need not stay in memory: anything that renders the template again recompiles it from `src`.
 */
export function dropProgram(t: CompiledTemplate): void {
  t.fast = undefined;
  t.lazy = true;
}

/** Applies the final config: tags, meta, schema and relation. Shared by every ref-able resource. */
export function finishNode(ctx: CompileContext, node: ProjectNode, cfg: NodeConfig): void {
  if (typeof cfg.tags === 'string') cfg.tags = [cfg.tags];
  node.config = cfg;
  node.tags = (cfg.tags as string[] | undefined) ?? [];
  node.meta = (cfg.meta as Record<string, unknown> | undefined) ?? {};
  const schema = generateSchemaName(ctx, cfg.schema as string | undefined, node);
  const database = generateDatabaseName(ctx, cfg.database as string | undefined);
  if (cfg.materialized !== 'ephemeral') {
    node.relation = ctx.dialect.relationFor(
      { name: node.name, resourceType: node.resourceType, materialized: String(cfg.materialized ?? 'view'), schema, database, alias: cfg.alias as string | undefined, config: cfg },
      ctx.target,
    );
  }
}

function fromBrokenMacroFile(ctx: CompileContext, e: unknown): boolean {
  if (!isCairnError(e)) return false;
  return ctx.tenv.brokenMacroFiles.some((b) => b.location.file === e.location.file && b.code === e.code);
}

function macrosUsed(ctx: CompileContext, src: string): string[] {
  if (!src.includes('(')) return [];
  const used: string[] = [];
  for (const name of ctx.tenv.macroNames()) if (src.includes(name + '(')) used.push(`macro.${ctx.project.name}.${name}`);
  return used;
}

export function lineOfCall(src: string, fn: string, arg: string): number | undefined {
  const re = new RegExp(`${fn}\\s*\\(\\s*(['"][^'"]*['"]\\s*,\\s*)?['"]${arg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`);
  const m = re.exec(src);
  return m ? src.slice(0, m.index).split('\n').length : undefined;
}

export function duplicateError(kind: string, name: string, a: string, b: string): CairnError {
  return new CairnError('DUPLICATE_NODE', `two ${kind}s are named \`${name}\`: ${a} and ${b}`, {
    file: b,
    hint: 'node names must be unique across the project; rename one of the files (or set a different `alias` and rename)',
  });
}
