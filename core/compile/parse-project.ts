// load → parse: every file becomes a node with its config, relation and dependencies; errors from
// all files are collected and reported together.
import { randomUUID } from 'node:crypto';
import { PartialParseCache } from '../cache/partial-parse.js';
import { projectKey, settingsKey } from '../cache/partial-parse-file.js';
import { writeParseSnapshot } from '../cache/parse-snapshot.js';
import { reuseParse } from './reuse-parse.js';
import type { AdapterProvider } from '../../adapters/adapter.js';
import { CairnError, CairnErrors, addError } from '../errors.js';
import { applyDocBlocks, type DocBlock } from '../docs/doc-blocks.js';
import { buildDag, type Dag } from '../graph/dag.js';
import { loadProject, type LoadedProject } from '../project/load-project.js';
import { collectSources } from '../project/sources.js';
import { renderPatches, sourceRenderer } from './schema-yaml-render.js';
import type { ProjectNode, RunContextOptions } from '../project/types.js';
import { createTemplateEnv } from '../templating/environment.js';
import { loadMacros, type MacroInfo } from '../templating/macros.js';
import { installMacroPackages } from '../templating/macro-packages.js';
import { pureMacroNames } from '../templating/pure-macros.js';
import { compileTemplate, type CompiledTemplate } from '../templating/render.js';
import { didYouMean } from '../util/did-you-mean.js';
import type { CompileContext } from './context.js';
import { duplicateError, lineOfCall, parseModelFile, type ParsedFile } from './parse-models.js';
import type { SourceFile } from '../project/discover.js';
import { earlyParsers, lateParsers } from './resource-parsers.js';
import { sourceNode } from './source-nodes.js';
import { defaultDs, isDate } from '../orchestration/run-dates.js';
import { loadPackageMacros } from '../packages/macros.js';
import { packageHint } from '../packages/hints.js';
import { dispatchConfig } from '../packages/dispatch-order.js';
import { ownerOf } from '../packages/owner.js';
import { projectDocBlocks } from '../packages/docs.js';

export interface ParsedProject {
  loaded: LoadedProject;
  ctx: CompileContext;
  nodes: Map<string, ProjectNode>;
  templates: Map<string, CompiledTemplate>;
  macros: Map<string, MacroInfo>;
  dag: Dag;
  warnings: CairnError[];
  /** Doc blocks from the project's .md files, by name. */
  docs?: Map<string, DocBlock>;
  /** The partial-parse cache, for passes that cache what they build (generic tests). */
  partialParse?: PartialParseCache;
  /** Set when the parse was taken from the last one (reuse-parse.ts): the nodes parsed again. */
  reused?: { changed: ReadonlySet<string> };
  /** The first two fqn parts of every node, lower-cased, when known without decoding every node. */
  fqnHeads?: ReadonlySet<string>;
  /** With `deferSnapshot`: writes the parse snapshot (call once, when the thread has time). */
  writeSnapshot?: () => void;
}

export interface ParseOptions {
  /**
   * Leave writing the parse snapshot to the caller (`p.writeSnapshot`): compile writes it while the
   * worker writes compiled files, instead of before rendering starts.
   */
  deferSnapshot?: boolean;
}


export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function parseProject(opts: RunContextOptions, adapters: AdapterProvider, parse: ParseOptions = {}): ParsedProject {
  // A real calendar day (2024-02-30 is not), as --start/--end; checked before anything is read.
  if (opts.ds !== undefined && !isDate(opts.ds)) {
    throw new CairnError('USAGE', `--ds must be a real date like 2024-01-31, got \`${opts.ds}\``);
  }
  const loaded = loadProject(opts, adapters);
  const tenv = createTemplateEnv();
  // `{% test %}` blocks in tests/generic/ are macros too, as in dbt.
  // Compiled when first called: a parse taken from the snapshot renders a handful of models.
  const rootTests = loaded.packages.length ? loaded.testFiles.filter((f) => !loaded.packages.some((pkg) => f.path.startsWith(`${pkg.dir}/`))) : loaded.testFiles;
  const macros = loadMacros(tenv, [...loaded.macroFiles, ...rootTests.filter((f) => f.relPath.startsWith('generic/'))], { lazy: true });
  installMacroPackages(tenv, loaded.config.name, macros);
  const packageMacros = loaded.packages.length ? loadPackageMacros(tenv, loaded.packages, loaded.testFiles) : undefined;
  tenv.unknownNamespaceHint = (ns) => packageHint(loaded, ns);
  dispatchConfig(loaded.config); // a malformed `dispatch:` is reported before anything renders
  let pure: ReadonlySet<string> | undefined;
  const ctx: CompileContext = {
    projectDir: loaded.projectDir,
    project: loaded.config,
    target: loaded.target,
    dialect: loaded.dialect,
    cliVars: loaded.cliVars,
    ds: opts.ds ?? defaultDs(loaded.config.raw),
    runStartedAt: new Date(),
    invocationId: randomUUID(),
    envRead: loaded.envRead,
    tenv,
    nodes: new Map(),
    refIndex: new Map(),
    // Filled once the schema YAML is parsed (below, after the templates are compiled).
    sources: new Map(),
    fullRefresh: opts.fullRefresh ?? false,
    packages: loaded.packages.length ? loaded.packages : undefined,
    packageMacros,
    pureMacros: () => (pure ??= pureMacroNames(tenv, macros.values())),
  };
  const settings = settingsKey(loaded, ctx);
  const reused = reuseParse(loaded, ctx, macros, settings, (w) => loaded.warnings.push(w));
  if (reused) return reused;
  // The full parse: the schema YAML is parsed (on a worker when large) while templates compile.
  loaded.prepareSchema();
  tenv.loadPending(); // every macro file compiled, so that an error in one is reported here, as dbt does
  const key = projectKey(loaded, ctx, settings);
  const p: ParsedProject = { loaded, ctx, nodes: ctx.nodes, templates: new Map(), macros, dag: undefined as unknown as Dag, warnings: [...loaded.warnings] };
  const errors: CairnError[] = [];
  const collect = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      addError(errors, e);
    }
  };

  // Warnings about the caches themselves (one found corrupt while parsing) are this invocation's:
  // shown now, never stored in the parse snapshot to be shown again by the next ones.
  const cacheWarnings: CairnError[] = [];
  const cache = PartialParseCache.open(loaded, ctx, (w) => cacheWarnings.push(w), key);
  p.partialParse = cache;
  p.warnings.push(...cacheWarnings.splice(0));
  const loadWarnings = loaded.warnings.length;
  const parseWarningsFrom = p.warnings.length;
  // A macro file that does not compile is reported here; only the nodes that call its macros fail.
  p.warnings.push(...tenv.brokenMacroFiles);
  // What needs no YAML comes first, while a worker parses the schema YAML (load-project.ts): the
  // cache lookups, and compiling the templates of the models that changed.
  const pre = new Map<SourceFile, ParsedFile | CompiledTemplate>();
  for (const f of loaded.modelFiles) collect(() => pre.set(f, cache.lookup(f) ?? compileTemplate(ctx.tenv, f.content, f.path)));
  ctx.sources = collectSources(loaded.schema, loaded.packages.length ? (file) => ownerOf(ctx, file).name : loaded.config.name, loaded.target, sourceRenderer(ctx));
  renderPatches(ctx, loaded.schema.patches);
  const patches = new Map(loaded.schema.patches.filter((x) => x.kind === 'models').map((x) => [x.name, x]));
  ctx.unparsed = new Map();
  for (const f of loaded.modelFiles) {
    const got = pre.get(f);
    const name = f.relPath.replace(/\.sql$/, '').split('/').pop()!;
    if (!got) { ctx.unparsed.set(name, f.path); continue; } // its error is collected already
    const before = errors.length;
    collect(() => {
      let parsed = 'node' in got ? got : undefined;
      if (!parsed) cache.store(f, (parsed = parseModelFile(ctx, f, patches.get(name), got as CompiledTemplate)).node);
      const { node, template } = parsed;
      if (node.config.enabled === false) return;
      addRefable(p, node);
      p.templates.set(node.uniqueId, template);
    });
    if (errors.length > before) ctx.unparsed.set(name, f.path);
  }
  for (const src of ctx.sources.values()) ctx.nodes.set(src.uniqueId, sourceNode(ctx, src));
  for (const parser of earlyParsers) collect(() => parser(p, errors));
  for (const patch of patches.values()) {
    if (!ctx.refIndex.has(patch.name)) {
      p.warnings.push(new CairnError('CONFIG_INVALID', `schema YAML describes model \`${patch.name}\`, which has no .sql file`, {
        file: patch.file,
        line: patch.line,
        hint: didYouMean(patch.name, ctx.refIndex.keys()),
      }));
    }
  }
  for (const node of ctx.nodes.values()) collect(() => resolveNodeDependencies(ctx, node));
  for (const parser of lateParsers) collect(() => parser(p, errors));
  collect(() => (p.docs = projectDocBlocks(loaded, ctx.project.name)));
  const docChanged = new Set<string>();
  for (const node of ctx.nodes.values()) collect(() => applyDocBlocks(node, p.docs ?? new Map(), loaded.projectDir) && docChanged.add(node.uniqueId));
  if (errors.length) throw errors.length === 1 ? errors[0]! : new CairnErrors(errors);
  p.dag = buildDag(ctx.nodes.values());
  cache.save(ctx.envRead);
  const inputs = { key, settings, env: cache.envRecord(ctx.envRead), warnings: p.warnings.slice(parseWarningsFrom), cache, docChanged };
  p.warnings.push(...cacheWarnings, ...loaded.warnings.slice(loadWarnings)); // the YAML cache's, read since
  if (parse.deferSnapshot) p.writeSnapshot = () => writeParseSnapshot(p, inputs);
  else writeParseSnapshot(p, inputs);
  return p;
}

export function addRefable(p: ParsedProject, node: ProjectNode): void {
  const ctx = p.ctx;
  const existing = ctx.refIndex.get(node.name);
  if (existing) {
    // The same name in two packages is allowed (ref('pkg', 'name') tells them apart); within one it is not.
    const other = existing.map((id) => ctx.nodes.get(id)!).find((n) => n.packageName === node.packageName);
    if (other) throw duplicateError(node.resourceType === other.resourceType ? node.resourceType : 'node', node.name, other.originalFilePath, node.originalFilePath);
    // The root project's node first: an unqualified ref from the root finds it.
    if (node.packageName === ctx.project.name) existing.unshift(node.uniqueId);
    else existing.push(node.uniqueId);
  } else ctx.refIndex.set(node.name, [node.uniqueId]);
  ctx.nodes.set(node.uniqueId, node);
}

/**
 * dbt's ref resolution: `ref('pkg', 'name')` in that package only; `ref('name')` in the calling
 * node's own package first, then the root project, then any package.
 */
export function resolveRefTarget(ctx: CompileContext, node: ProjectNode, name: string, pkg?: string): ProjectNode {
  const ids = ctx.refIndex.get(name);
  if (ids && ids.length === 1 && (!pkg || ctx.nodes.get(ids[0]!)!.packageName === pkg)) return ctx.nodes.get(ids[0]!)!;
  const candidates = (ids ?? []).map((id) => ctx.nodes.get(id)!);
  const found = pkg
    ? candidates.find((n) => n.packageName === pkg)
    : candidates.find((n) => n.packageName === node.packageName) ?? candidates.find((n) => n.packageName === ctx.project.name) ?? candidates[0];
  if (!found) {
    const broken = !pkg || pkg === ctx.project.name ? ctx.unparsed?.get(name) : undefined;
    if (broken) {
      throw new CairnError('REF_NOT_FOUND', `${node.resourceType} \`${node.name}\` refers to \`${name}\`, which did not parse (its error is reported for ${broken})`, {
        file: node.originalFilePath, line: lineOfCall(node.rawCode, 'ref', name), node: node.name, hint: `fix ${broken} first`,
      });
    }
    const knownPkg = !pkg || pkg === ctx.project.name || ctx.packages?.some((p) => p.config.name === pkg);
    throw new CairnError('REF_NOT_FOUND', `${node.resourceType} \`${node.name}\` refers to \`${pkg ? pkg + '.' : ''}${name}\`, which does not exist`, {
      file: node.originalFilePath,
      line: lineOfCall(node.rawCode, 'ref', name),
      node: node.name,
      hint: !knownPkg
        ? `no project or installed package is named \`${pkg}\`${didYouMean(pkg!, [ctx.project.name, ...(ctx.packages ?? []).map((p) => p.config.name)]) ? ' (' + didYouMean(pkg!, [ctx.project.name, ...(ctx.packages ?? []).map((p) => p.config.name)]) + ')' : ''}; run \`cairn deps\` if packages.yml lists it`
        : didYouMean(name, pkg ? candidatesIn(ctx, pkg) : ctx.refIndex.keys()) ?? 'check the model name (the file name without .sql)',
    });
  }
  return found;
}

function candidatesIn(ctx: CompileContext, pkg: string): string[] {
  const out: string[] = [];
  for (const [name, ids] of ctx.refIndex) if (ids.some((id) => ctx.nodes.get(id)?.packageName === pkg)) out.push(name);
  return out;
}

export function resolveNodeDependencies(ctx: CompileContext, node: ProjectNode): void {
  const deps = new Set<string>(node.dependsOn.nodes);
  const errors: CairnError[] = [];
  for (const r of node.refs) {
    try {
      deps.add(resolveRefTarget(ctx, node, r.name, r.package).uniqueId);
    } catch (e) {
      errors.push(e as CairnError);
    }
  }
  for (const [s, t] of node.sources) {
    const src = ctx.sources.get(`${s}.${t}`);
    if (!src) {
      const names = [...ctx.sources.keys()];
      errors.push(new CairnError('SOURCE_NOT_FOUND', `${node.resourceType} \`${node.name}\` uses source('${s}', '${t}'), which is not defined in any schema YAML`, {
        file: node.originalFilePath,
        line: lineOfCall(node.rawCode, 'source', t),
        node: node.name,
        hint: didYouMean(`${s}.${t}`, names) ?? 'define it under `sources:` in a .yml file next to your models',
      }));
    } else deps.add(src.uniqueId);
  }
  node.dependsOn.nodes = [...deps];
  if (errors.length) throw errors.length === 1 ? errors[0]! : new CairnErrors(errors);
}
