// target/manifest.json in dbt's shape (v12), so tools that read dbt manifests read ours.
import type { Dialect } from '../../adapters/adapter.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { docsManifestEntries } from '../docs/doc-blocks.js';
import type { ProjectNode } from '../project/types.js';
import { redact } from '../util/redact.js';
import { CAIRN_VERSION } from '../version.js';
import { ChunkedFile } from './chunked-file.js';
import { fingerprintNode, normalizedProject, STATE_FORMAT_VERSION } from '../state/fingerprint.js';
import type { CompiledNode } from '../compile/compile-node.js';
import { idsHash, IndexPositions, writeManifestIndex } from './manifest-index.js';
import { spliceManifest } from './manifest-splice.js';
import { keepManifestFields, MANIFEST_FIELDS } from './manifest-fields.js';
import type { UnitTestSpec } from '../unit-tests/parse.js';

/** Where an entry's state fingerprint is kept (in its `meta`). */
export const STATE_KEY = 'cairn_state';

/** dbt's unit test entry: the model's name, and given/expect as written (rows or SQL, with their format). */
function unitTestFields(n: ProjectNode, e: Record<string, unknown>): void {
  const spec = n.extra?._unitTest as UnitTestSpec | undefined;
  if (!spec) return;
  const fixture = (f: UnitTestSpec['expect']) => ({ format: f.format, rows: f.sql ?? f.rows ?? [] });
  e.model = spec.model.split('.').pop();
  e.given = spec.given.map((g) => ({ input: g.input, ...fixture(g.fixture) }));
  e.expect = fixture(spec.expect);
  e.overrides = spec.overrides;
}

/** The text after an entry's base part: its compile fields, or just the closing brace when it has none. */
export const tailText = (tail: Record<string, unknown>): string => (Object.keys(tail).length ? ',' + JSON.stringify(tail).slice(1) : '}');

export interface ManifestOptions {
  /** Compiled SQL per unique id, when the invocation compiled nodes. */
  compiled?: ReadonlyMap<string, string>;
  generatedAt?: Date;
}

/**
 * A node's manifest entry in two parts: everything but the compile fields, and the compile fields,
 * which come last so that the manifest index (manifest-splice.ts) can turn a compiled entry back
 * into an uncompiled one by cutting its end.
 */
export function nodeEntryParts(n: ProjectNode, dialect: Dialect, compiled?: string, targetSchema?: string): [Record<string, unknown>, Record<string, unknown>] {
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
    // An ephemeral model has no relation; dbt still gives it the target's schema.
    schema: rel?.schema ?? targetSchema ?? null,
    alias: rel?.identifier ?? n.name,
    relation_name: rel ? dialect.renderRelation(rel) : null,
    config: n.config,
    tags: n.tags,
    description: n.description,
    columns: n.columns,
    meta: n.meta,
    patch_path: n.patchPath ? `${n.packageName}://${n.patchPath}` : null,
    checksum: { name: 'sha256', checksum: n.checksum },
    // A seed depends on nothing but macros in dbt's schema.
    depends_on: n.resourceType === 'seed' ? { macros: n.dependsOn.macros } : { nodes: n.dependsOn.nodes, macros: n.dependsOn.macros },
    refs: n.refs.map((r) => ({ name: r.name, package: r.package ?? null, version: r.version ?? null })),
    sources: n.sources,
    raw_code: n.rawCode,
    language: 'sql',
  };
  if (n.extra) {
    // Undefined values are skipped, not kept as keys: they would fix the key's place in the entry,
    // and a node read back from JSON has no such key.
    for (const [k, v] of Object.entries(n.extra)) if (v !== undefined && !(k in entry) && !COMPILE_KEYS.has(k) && !k.startsWith('_')) entry[k] = v;
  }
  return [entry, compileFields(n, compiled)];
}

const COMPILE_KEYS = new Set(['compiled', 'compiled_code', 'compiled_path']);

export function compileFields(n: ProjectNode, compiled: string | undefined): Record<string, unknown> {
  // Seeds, sources and unit tests have no compile fields in dbt's schema.
  if (!MANIFEST_FIELDS[n.resourceType]?.has('compiled') && MANIFEST_FIELDS[n.resourceType]) return {};
  if (compiled === undefined) return { compiled: false };
  return { compiled: true, compiled_code: redact(compiled), compiled_path: `target/compiled/${n.packageName}/${n.originalFilePath}` };
}

export function nodeEntry(n: ProjectNode, dialect: Dialect, compiled?: string): Record<string, unknown> {
  const [entry, tail] = nodeEntryParts(n, dialect, compiled);
  return Object.assign(entry, tail);
}

/** Builds node entries (with their state fingerprint) one at a time. */
export class EntryBuilder {
  private readonly np: ParsedProject;
  private readonly memo = new Map<string, CompiledNode>();

  constructor(private readonly p: ParsedProject, private readonly opts: ManifestOptions) {
    this.np = normalizedProject(p);
  }

  parts(n: ProjectNode, extra?: (n: ProjectNode, e: Record<string, unknown>) => void): [Record<string, unknown>, Record<string, unknown>] {
    const [built, tail] = nodeEntryParts(n, this.p.ctx.dialect, this.opts.compiled?.get(n.uniqueId), this.p.ctx.target.schema);
    extra?.(n, built);
    const entry = keepManifestFields(n.resourceType, built);
    // What --state compares, where dbt's schema allows free-form data: the entry's `meta` (a unit
    // test has none, so its config's). Read back by core/state/load-state.ts.
    const fp = fingerprintNode(this.np, n, this.memo);
    if (n.resourceType === 'unit_test') {
      const cfg = (entry.config ?? {}) as Record<string, unknown>;
      entry.config = { ...cfg, meta: { ...((cfg.meta as Record<string, unknown> | undefined) ?? {}), [STATE_KEY]: fp } };
    } else entry.meta = { ...((entry.meta as Record<string, unknown> | undefined) ?? {}), [STATE_KEY]: fp };
    return [entry, tail];
  }
}

/** A section of node entries: which nodes, and what their kind adds to an entry. */
export interface NodeSection {
  pick: (n: ProjectNode) => boolean;
  extra?: (n: ProjectNode, e: Record<string, unknown>) => void;
}

/** A manifest section: a plain value, node entries, or other entries produced one at a time. */
export type Section = { value: unknown } | { nodes: NodeSection } | { entries: () => Iterable<[string, unknown]> };

/** The manifest's top-level keys in dbt's order; metadata first (manifest-splice.ts relies on it). */
export function manifestSections(p: ParsedProject, opts: ManifestOptions): Array<[string, Section]> {
  const macros: Record<string, unknown> = {};
  for (const m of p.macros.values()) {
    macros[`macro.${p.ctx.project.name}.${m.name}`] = {
      unique_id: `macro.${p.ctx.project.name}.${m.name}`, name: m.name, package_name: p.ctx.project.name,
      original_file_path: m.file, path: m.file, macro_sql: m.body, arguments: m.args.map((a) => ({ name: a })), resource_type: 'macro',
      supported_languages: null,
    };
  }
  const metadata = {
    dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json',
    dbt_version: `cairn-${CAIRN_VERSION}`,
    generated_at: (opts.generatedAt ?? new Date()).toISOString(),
    invocation_id: p.ctx.invocationId,
    // dbt's schema allows no other metadata field; `env` holds strings about where it was made.
    env: { CAIRN_VERSION, CAIRN_STATE_VERSION: String(STATE_FORMAT_VERSION), CAIRN_TARGET_NAME: p.ctx.target.name },
    project_name: p.ctx.project.name,
    adapter_type: p.ctx.target.type,
  };
  const empty: Section = { value: {} };
  return [
    ['metadata', { value: metadata }],
    ['nodes', { nodes: { pick: (n) => n.resourceType !== 'source' && n.resourceType !== 'unit_test' } }],
    ['sources', { nodes: { pick: (n) => n.resourceType === 'source', extra: (n, e) => {
      e.source_name = n.extra?.sourceName;
      e.source_description = String(n.extra?.sourceDescription ?? '');
      e.loader = String(n.extra?.loader ?? '');
      e.identifier = n.relation?.identifier;
      e.loaded_at_field = n.extra?.loadedAtField ?? null;
      e.freshness = n.extra?.freshness ?? null;
    } } }],
    ['macros', { value: macros }],
    ['docs', { value: p.docs ? docsManifestEntries(p.docs) : {} }],
    ['exposures', empty], ['metrics', empty], ['groups', empty], ['selectors', empty], ['disabled', empty],
    ['parent_map', { *entries() { for (const n of p.nodes.values()) yield [n.uniqueId, [...n.dependsOn.nodes].sort()]; } }],
    ['child_map', { *entries() { for (const n of p.nodes.values()) yield [n.uniqueId, [...(p.dag?.successors(n.uniqueId) ?? [])].sort()]; } }],
    ['group_map', empty], ['saved_queries', empty], ['semantic_models', empty],
    ['unit_tests', { nodes: { pick: (n) => n.resourceType === 'unit_test', extra: unitTestFields } }],
  ];
}

export function buildManifest(p: ParsedProject, opts: ManifestOptions = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const builder = new EntryBuilder(p, opts);
  for (const [key, sec] of manifestSections(p, opts)) {
    if ('value' in sec) out[key] = sec.value;
    else if ('entries' in sec) out[key] = Object.fromEntries(sec.entries());
    else {
      const entries: Record<string, unknown> = {};
      for (const n of p.nodes.values()) {
        if (!sec.nodes.pick(n)) continue;
        const [e, tail] = builder.parts(n, sec.nodes.extra);
        entries[n.uniqueId] = Object.assign(e, tail);
      }
      out[key] = entries;
    }
  }
  return out;
}

/**
 * Writes `JSON.stringify(buildManifest(p, opts))` to `path` (atomically) without building it: on
 * 10,000 models the manifest is ~30 MB, and holding it whole as objects, then as one string, then as
 * one buffer cost ~0.5 s of allocation and garbage collection. Where each node entry lies goes to a
 * small index next to it, so that after a parse that reused the last one (core/cache/parse-snapshot.ts)
 * only the entries that changed are written again (manifest-splice.ts).
 */
export function writeManifest(path: string, p: ParsedProject, opts: ManifestOptions = {}): 'spliced' | 'written' {
  if (p.reused && spliceManifest(path, p, opts, p.reused.changed)) return 'spliced';
  const out = new ChunkedFile(path);
  const ids: string[] = [];
  const index = new IndexPositions();
  let pos = 0;
  let metaEnd = 0;
  const write = (s: string) => {
    pos += out.write(s);
  };
  try {
    const builder = new EntryBuilder(p, opts);
    let first = true;
    for (const [key, sec] of manifestSections(p, opts)) {
      write(`${first ? '{' : ','}${JSON.stringify(key)}:`);
      first = false;
      if ('value' in sec) {
        write(JSON.stringify(sec.value));
        if (key === 'metadata') metaEnd = pos;
        continue;
      }
      let sep = '{';
      if ('entries' in sec) {
        for (const [k, v] of sec.entries()) {
          write(`${sep}${JSON.stringify(k)}:${JSON.stringify(v)}`);
          sep = ',';
        }
      } else {
        for (const n of p.nodes.values()) {
          if (!sec.nodes.pick(n)) continue;
          write(`${sep}${JSON.stringify(n.uniqueId)}:`);
          sep = ',';
          const start = pos;
          const [e, tail] = builder.parts(n, sec.nodes.extra);
          write(JSON.stringify(e).slice(0, -1));
          const baseEnd = pos;
          write(tailText(tail));
          index.add(start, baseEnd, pos, tail.compiled === true);
          ids.push(n.uniqueId);
        }
      }
      write(sep === '{' ? '{}' : '}');
    }
    write('}');
    out.commit();
  } finally {
    out.discard();
  }
  writeManifestIndex(path, metaEnd, idsHash(ids), index);
  return 'written';
}
