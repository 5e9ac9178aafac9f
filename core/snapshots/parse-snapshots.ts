// Parse pass for snapshots: `{% snapshot name %}...{% endsnapshot %}` blocks in snapshots/*.sql and
// YAML-defined ones (`snapshots:` entries with `relation: ref('x')`). Each is a ref-able node; its
// strategy config is checked here so a snapshot without `unique_key` fails before anything runs.
import { checksum } from '../compile/parse-models.js';
import { parseScope, type ParseCapture } from '../compile/node-scope.js';
import { addRefable, type ParsedProject } from '../compile/parse-project.js';
import { generateDatabaseName, generateSchemaName } from '../compile/schema-name.js';
import { CairnError, addError } from '../errors.js';
import { mergeConfig } from '../project/node-config.js';
import { ownerFolderConfig, ownerOf } from '../packages/owner.js';
import type { Patch } from '../project/schema-yaml.js';
import type { NodeConfig, ProjectNode } from '../project/types.js';
import { compileTemplate, renderTemplate } from '../templating/render.js';

const BLOCK = /\{%-?\s*snapshot\s+(\w+)\s*-?%\}([\s\S]*?)\{%-?\s*endsnapshot\s*-?%\}/g;

export function parseSnapshots(p: ParsedProject, errors: CairnError[]): void {
  const patches = new Map<string, Patch>(p.loaded.schema.patches.filter((x) => x.kind === 'snapshots').map((x) => [x.name, x]));
  const collect = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      addError(errors, e);
    }
  };
  for (const f of p.loaded.snapshotFiles) {
    for (const m of f.content.matchAll(BLOCK)) {
      const name = m[1]!;
      const line = f.content.slice(0, m.index).split('\n').length;
      // Pad so line numbers inside the body match the file.
      const body = '\n'.repeat(line - 1) + m[2]!;
      collect(() => addSnapshot(p, { name, file: f.path, relPath: f.relPath, line, body, raw: m[0], patch: patches.get(name) }));
      patches.delete(name);
    }
  }
  for (const patch of patches.values()) {
    const rel = patch.raw.relation;
    if (typeof rel !== 'string') continue;
    const expr = /^\s*\{\{.*\}\}\s*$/s.test(rel) ? rel : `{{ ${rel} }}`;
    collect(() => addSnapshot(p, { name: patch.name, file: patch.file, relPath: patch.file, line: patch.line ?? 1, body: `select * from ${expr}`, raw: rel, patch }));
  }
}

interface SnapshotDef {
  name: string;
  file: string;
  relPath: string;
  line: number;
  body: string;
  raw: string;
  patch?: Patch;
}

function addSnapshot(p: ParsedProject, d: SnapshotDef): void {
  const ctx = p.ctx;
  const dirs = d.relPath.split('/').slice(0, -1);
  let cfg: NodeConfig = { materialized: 'snapshot', enabled: true };
  const owner = ownerOf(ctx, d.file);
  cfg = mergeConfig(cfg, ownerFolderConfig(ctx, owner, 'snapshots', [...dirs, d.name]));
  if (d.patch) {
    cfg = mergeConfig(cfg, d.patch.config);
    if (d.patch.tags.length) cfg = mergeConfig(cfg, { tags: d.patch.tags });
  }
  const node: ProjectNode = {
    uniqueId: `snapshot.${owner.name}.${d.name}`, name: d.name, resourceType: 'snapshot', packageName: owner.name,
    originalFilePath: d.file, path: d.relPath, fqn: [owner.name, ...dirs, d.name, d.name], rawCode: d.raw, checksum: checksum(d.raw),
    config: cfg, description: d.patch?.description ?? '', columns: d.patch?.columns ?? {}, meta: {}, tags: [], patchPath: d.patch?.file,
    refs: [], sources: [], dependsOn: { nodes: [], macros: [] },
  };
  const template = compileTemplate(ctx.tenv, d.body, d.file);
  const capture: ParseCapture = { refs: [], sources: [], config: {} };
  renderTemplate(ctx.tenv, template, parseScope(ctx, node, capture), d.name);
  cfg = mergeConfig(cfg, capture.config);
  if (cfg.enabled === false) return;
  node.refs = capture.refs;
  node.sources = capture.sources;
  checkStrategy(cfg, d);
  if (typeof cfg.tags === 'string') cfg.tags = [cfg.tags];
  node.config = cfg;
  node.tags = (cfg.tags as string[] | undefined) ?? [];
  node.meta = (cfg.meta as Record<string, unknown> | undefined) ?? {};
  // Legacy `target_schema` is used verbatim; `schema` goes through generate_schema_name, as in dbt 1.9.
  const schema = cfg.target_schema ? String(cfg.target_schema) : generateSchemaName(ctx, cfg.schema as string | undefined, node);
  const database = generateDatabaseName(ctx, (cfg.target_database ?? cfg.database) as string | undefined);
  node.relation = ctx.dialect.relationFor({ name: d.name, resourceType: 'snapshot', materialized: 'snapshot', schema, database, alias: cfg.alias as string | undefined, config: cfg }, ctx.target);
  addRefable(p, node);
  p.templates.set(node.uniqueId, template);
}

function checkStrategy(cfg: NodeConfig, d: SnapshotDef): void {
  const loc = { file: d.file, line: d.line, node: d.name };
  if (cfg.unique_key === undefined || cfg.unique_key === null || cfg.unique_key === '') {
    throw new CairnError('CONFIG_INVALID', `snapshot \`${d.name}\` has no unique_key`, { ...loc, hint: "add unique_key='id' to its config (the column that identifies a row)" });
  }
  const strategy = cfg.strategy;
  if (strategy !== 'timestamp' && strategy !== 'check') {
    throw new CairnError('CONFIG_INVALID', strategy === undefined ? `snapshot \`${d.name}\` has no strategy` : `snapshot \`${d.name}\` has unknown strategy \`${String(strategy)}\``, {
      ...loc, hint: "use strategy='timestamp' with updated_at='col', or strategy='check' with check_cols=['a', 'b'] or 'all'",
    });
  }
  if (strategy === 'timestamp' && !cfg.updated_at) {
    throw new CairnError('CONFIG_INVALID', `snapshot \`${d.name}\` uses strategy 'timestamp' but has no updated_at`, { ...loc, hint: "add updated_at='updated_at' (the column with the row's last change time)" });
  }
  if (strategy === 'check' && !cfg.check_cols) {
    throw new CairnError('CONFIG_INVALID', `snapshot \`${d.name}\` uses strategy 'check' but has no check_cols`, { ...loc, hint: "add check_cols=['status'] or check_cols='all'" });
  }
  const hd = cfg.hard_deletes;
  if (hd !== undefined && !['ignore', 'invalidate', 'new_record'].includes(String(hd))) {
    throw new CairnError('CONFIG_INVALID', `snapshot \`${d.name}\` has unknown hard_deletes \`${String(hd)}\``, { ...loc, hint: 'use ignore, invalidate or new_record' });
  }
}
