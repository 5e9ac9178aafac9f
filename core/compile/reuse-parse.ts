// The parse of an unchanged project, taken from the parse snapshot (core/cache/parse-snapshot.ts):
// when nothing but the SQL of some models changed, and each of those models parses to the same node
// apart from its SQL (same refs, sources, config, docs), every other node and the graph are what
// the last full parse built. A dbt user's loop (edit a model, `compile --select` or `run --select`
// it) then re-parses one file instead of materializing 10,000 nodes. Anything else, or anything
// unexpected, returns undefined and the full parse (with its per-file cache) runs instead.
import { join } from 'node:path';
import { envHash, appendToPartialParse } from '../cache/partial-parse-file.js';
import { appendToParseSnapshot, otherInputs } from '../cache/parse-snapshot.js';
import { readParseSnapshot, storedWarnings } from '../cache/read-parse-snapshot.js';
import { applyDocBlocks } from '../docs/doc-blocks.js';
import type { CairnError } from '../errors.js';
import { buildDag, type Dag } from '../graph/dag.js';
import type { SourceFile } from '../project/discover.js';
import type { LoadedProject } from '../project/load-project.js';
import { collectSources } from '../project/sources.js';
import { renderPatches, sourceRenderer } from './schema-yaml-render.js';
import type { ProjectNode } from '../project/types.js';
import type { MacroInfo } from '../templating/macros.js';
import { compileTemplate, lazyTemplate } from '../templating/render.js';
import { plainNode } from '../cache/snapshot-node.js';
import { stableJson } from '../state/fingerprint.js';
import { LazyMap, OnDemandMap } from '../util/lazy-map.js';
import { registerBuiltinTests } from '../tests/builtin-tests.js';
import type { CompileContext } from './context.js';
import { parseModelFile } from './parse-models.js';
import { ownerOf } from '../packages/owner.js';
import { projectDocBlocks } from '../packages/docs.js';
import type { ParsedProject } from './parse-project.js';
import { resolveNodeDependencies } from './parse-project.js';

/** Above this many edited files the full parse (which re-parses only them too) is as quick. */
const MAX_CHANGED = 200;
const REFABLE = new Set(['model', 'seed', 'snapshot', 'task']);
/** Appended entries tolerated before a full parse rewrites the snapshot (or a tenth of the nodes). */
export const MAX_UPDATES = 50;

/** `settings`: the settings key (partial-parse-file.ts) of this invocation. */
export function reuseParse(loaded: LoadedProject, ctx: CompileContext, macros: Map<string, MacroInfo>, settings: string, warn: (w: CairnError) => void): ParsedProject | undefined {
  if (process.env.CAIRN_NO_PARTIAL_PARSE === '1') return undefined;
  const p = tryReuse(loaded, ctx, macros, settings, warn);
  if (!p) {
    // The full parse starts from an empty context.
    ctx.nodes.clear();
    ctx.refIndex.clear();
    ctx.sources = new Map();
  }
  return p;
}

function tryReuse(loaded: LoadedProject, ctx: CompileContext, macros: Map<string, MacroInfo>, settings: string, warn: (w: CairnError) => void): ParsedProject | undefined {
  const snap = readParseSnapshot(loaded, warn);
  if (!snap) return undefined;
  const h = snap.header;
  if (h.settings !== settings) return undefined;
  // The macro and YAML files are among the other files below: with their stats unchanged, so is
  // their text, and the partial-parse key is the one recorded.
  const key = h.key;
  // Each reuse appends the re-parsed models to the snapshot and the per-file cache; once that has
  // piled up, a full parse writes both afresh.
  if (snap.updates > Math.max(MAX_UPDATES, snap.nodes.length / 10)) return undefined;
  for (const [name, v] of Object.entries(h.env)) if (envHash(process.env[name]) !== v) return undefined;
  const others = otherInputs(loaded);
  if (others.length !== Object.keys(h.files).length || others.some((f) => !h.files[f.path] || h.files[f.path] !== f.statKey?.())) return undefined;
  if (loaded.modelFiles.length !== snap.models.size + snap.disabled.size) return undefined;
  const changed: SourceFile[] = [];
  for (const f of loaded.modelFiles) {
    const at = snap.models.get(f.path);
    const stat = at === undefined ? snap.disabled.get(f.path) : snap.stats[at];
    if (stat === undefined) return undefined;
    if (stat === '' || stat !== f.statKey?.()) changed.push(f);
    if (changed.length > MAX_CHANGED) return undefined;
  }

  const templated: string[] = [];
  snap.nodes.forEach((node, i) => {
    ctx.nodes.set(node.uniqueId, node);
    if (snap.flags[i]!.includes('t')) templated.push(node.uniqueId);
    if (REFABLE.has(node.resourceType)) {
      const ids = ctx.refIndex.get(node.name);
      if (!ids) ctx.refIndex.set(node.name, [node.uniqueId]);
      else if (node.packageName === ctx.project.name) ids.unshift(node.uniqueId);
      else ids.push(node.uniqueId);
    }
  });
  const templates = new OnDemandMap(templated, (id: string) => {
    const node = ctx.nodes.get(id)!;
    return lazyTemplate(node.originalFilePath, node.rawCode);
  });
  const p: ParsedProject = { loaded, ctx, nodes: ctx.nodes, templates, macros, dag: undefined as unknown as Dag, warnings: [...loaded.warnings, ...storedWarnings(h)] };
  // What the parsers of other kinds leave in the template environment.
  registerBuiltinTests(ctx.tenv);
  // The schema YAML is parsed only if something asks for a source.
  ctx.sources = new LazyMap(() => collectSources(loaded.schema, loaded.packages.length ? (file) => ownerOf(ctx, file).name : loaded.config.name, loaded.target, sourceRenderer(ctx)));
  p.docs = projectDocBlocks(loaded, ctx.project.name);

  const reparsed: Array<{ file: SourceFile; node: ProjectNode; parsed: ProjectNode }> = [];
  const warnedBefore = loaded.warnings.length; // the YAML cache is read (and may warn) from here on
  if (changed.length) {
    const readBefore = new Set(ctx.envRead.keys()); // by dbt_project.yml and the profile: in the key
    try {
      for (const f of changed) {
        const at = snap.models.get(f.path);
        const old = at === undefined ? undefined : snap.nodes[at]!;
        if (!old) return undefined; // a disabled model edited: the full parse decides
        const name = f.relPath.replace(/\.sql$/, '').split('/').pop()!;
        // The YAML is unchanged (its stats are), so the patch comes from the file it came from.
        const patchFile = old.patchPath;
        const yml = patchFile ? loaded.yamlFiles.find((y) => y.path === patchFile) : undefined;
        if (patchFile && !yml) return undefined;
        const patch = yml ? loaded.schemaOf([yml]).patches.filter((x) => x.kind === 'models' && x.name === name).pop() : undefined;
        if (patch) renderPatches(ctx, [patch]);
        const { node, template } = parseModelFile(ctx, f, patch, compileTemplate(ctx.tenv, f.content, f.path));
        if (node.config.enabled === false || old.uniqueId !== node.uniqueId) return undefined;
        const parsed = structuredClone(node); // as the per-file cache keeps it: before refs resolve
        resolveNodeDependencies(ctx, node);
        applyDocBlocks(node, p.docs, loaded.projectDir);
        if (shape(node) !== shape(ctx.nodes.get(node.uniqueId)!)) return undefined;
        ctx.nodes.set(node.uniqueId, node);
        p.templates.set(node.uniqueId, template);
        reparsed.push({ file: f, node, parsed });
      }
    } catch {
      return undefined; // the full parse reports it, with every other error
    }
    // An env var the snapshot does not record would not invalidate it later.
    for (const name of ctx.envRead.keys()) if (!(name in h.env) && !readBefore.has(name)) return undefined;
  }
  p.warnings.push(...loaded.warnings.slice(warnedBefore));
  // The same nodes and edges as the last full parse, which checked them for cycles. Built when first
  // asked for: compiling or listing one model never needs the graph of 14,000 nodes (~40 ms).
  let dag: Dag | undefined;
  Object.defineProperty(p, 'dag', {
    get: () => (dag ??= buildDag(ctx.nodes.values(), true)),
    set: (v: Dag) => { dag = v; },
    enumerable: true,
    configurable: true,
  });
  p.fqnHeads = new Set(snap.extras.heads);
  p.reused = { changed: new Set(reparsed.map((r) => r.node.uniqueId)) };
  appendToPartialParse(join(loaded.projectDir, loaded.config.targetPath), key, h.env, reparsed.map((r) => ({ file: r.file, node: r.parsed })));
  appendToParseSnapshot(loaded, reparsed);
  return p;
}

/** A node apart from its SQL: what the rest of the project and the manifest see of it. */
function shape(n: ProjectNode): string {
  const extra = n.extra && { ...n.extra, _renderedChecksum: undefined };
  return stableJson({ ...plainNode(n), rawCode: '', checksum: '', extra });
}
