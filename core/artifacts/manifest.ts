// target/manifest.json in dbt's shape (v12), so tools that read dbt manifests read ours.
import type { Dialect } from '../../adapters/adapter.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { docsManifestEntries } from '../docs/doc-blocks.js';
import type { ProjectNode } from '../project/types.js';
import { redact } from '../util/redact.js';
import { CAIRN_VERSION } from '../version.js';
import { fingerprintProject, STATE_FORMAT_VERSION } from '../state/fingerprint.js';

export interface ManifestOptions {
  /** Compiled SQL per unique id, when the invocation compiled nodes. */
  compiled?: ReadonlyMap<string, string>;
  generatedAt?: Date;
}

export function nodeEntry(n: ProjectNode, dialect: Dialect, compiled?: string): Record<string, unknown> {
  const rel = n.relation;
  const entry: Record<string, unknown> = {
    unique_id: n.uniqueId,
    name: n.name,
    resource_type: n.resourceType,
    package_name: n.packageName,
    path: n.path,
    original_file_path: n.originalFilePath,
    fqn: n.fqn,
    database: rel?.database ?? null,
    schema: rel?.schema ?? null,
    alias: rel?.identifier ?? n.name,
    relation_name: rel ? dialect.renderRelation(rel) : null,
    config: n.config,
    tags: n.tags,
    description: n.description,
    columns: n.columns,
    meta: n.meta,
    patch_path: n.patchPath ? `${n.packageName}://${n.patchPath}` : null,
    checksum: { name: 'sha256', checksum: n.checksum },
    depends_on: { nodes: n.dependsOn.nodes, macros: n.dependsOn.macros },
    refs: n.refs.map((r) => ({ name: r.name, package: r.package ?? null, version: r.version ?? null })),
    sources: n.sources,
    raw_code: n.rawCode,
    language: 'sql',
    compiled: compiled !== undefined,
  };
  if (compiled !== undefined) {
    entry.compiled_code = redact(compiled);
    entry.compiled_path = `target/compiled/${n.packageName}/${n.originalFilePath}`;
  }
  if (n.extra) {
    for (const [k, v] of Object.entries(n.extra)) if (!(k in entry) && !k.startsWith('_')) entry[k] = v;
  }
  return entry;
}

export function buildManifest(p: ParsedProject, opts: ManifestOptions = {}): Record<string, unknown> {
  const nodes: Record<string, unknown> = {};
  const sources: Record<string, unknown> = {};
  const parentMap: Record<string, string[]> = {};
  const childMap: Record<string, string[]> = {};
  const unitTests: Record<string, unknown> = {};
  const fingerprints = fingerprintProject(p);
  for (const n of p.nodes.values()) {
    const entry = nodeEntry(n, p.ctx.dialect, opts.compiled?.get(n.uniqueId));
    entry.cairn_state = fingerprints.get(n.uniqueId);
    if (n.resourceType === 'source') {
      entry.source_name = n.extra?.sourceName;
      entry.identifier = n.relation?.identifier;
      entry.loaded_at_field = n.extra?.loadedAtField ?? null;
      entry.freshness = n.extra?.freshness ?? null;
      sources[n.uniqueId] = entry;
    } else if (n.resourceType === 'unit_test') unitTests[n.uniqueId] = entry;
    else nodes[n.uniqueId] = entry;
    parentMap[n.uniqueId] = [...n.dependsOn.nodes].sort();
    childMap[n.uniqueId] = ((p.dag?.successors(n.uniqueId) as string[] | undefined) ?? []).slice().sort();
  }
  const macros: Record<string, unknown> = {};
  for (const m of p.macros.values()) {
    macros[`macro.${p.ctx.project.name}.${m.name}`] = {
      unique_id: `macro.${p.ctx.project.name}.${m.name}`, name: m.name, package_name: p.ctx.project.name,
      original_file_path: m.file, path: m.file, macro_sql: m.body, arguments: m.args.map((a) => ({ name: a })), resource_type: 'macro',
    };
  }
  return {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json',
      dbt_version: `cairn-${CAIRN_VERSION}`,
      cairn_version: CAIRN_VERSION,
      cairn_state_version: STATE_FORMAT_VERSION,
      generated_at: (opts.generatedAt ?? new Date()).toISOString(),
      invocation_id: p.ctx.invocationId,
      project_name: p.ctx.project.name,
      adapter_type: p.ctx.target.type,
      target_name: p.ctx.target.name,
    },
    nodes,
    sources,
    macros,
    docs: p.docs ? docsManifestEntries(p.docs) : {},
    exposures: {},
    metrics: {},
    groups: {},
    selectors: {},
    disabled: {},
    parent_map: parentMap,
    child_map: childMap,
    group_map: {},
    saved_queries: {},
    semantic_models: {},
    unit_tests: unitTests,
  };
}
