// Parse pass for seeds: every `seeds/**/*.csv` becomes a ref-able `seed` node. The CSV is read and
// checked here, so a ragged file fails before anything runs; types are inferred once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { folderConfig, mergeConfig } from '../project/node-config.js';
import type { Patch } from '../project/schema-yaml.js';
import type { NodeConfig, ProjectNode } from '../project/types.js';
import { CairnError, isCairnError } from '../errors.js';
import { checksum, finishNode } from '../compile/parse-models.js';
import { addRefable, type ParsedProject } from '../compile/parse-project.js';
import { didYouMean } from '../util/did-you-mean.js';
import { inferKinds, parseCsv, type ParsedCsv } from './csv.js';
import type { SeedColumn } from '../../adapters/adapter.js';

export interface SeedData {
  csv: ParsedCsv;
  columns: SeedColumn[];
}

/** Parsed CSVs by seed unique id; kept out of `extra` so the manifest stays small. */
export const seedData = new WeakMap<ProjectNode, SeedData>();

export function parseSeeds(p: ParsedProject, errors: CairnError[]): void {
  const ctx = p.ctx;
  const patches = new Map<string, Patch>(p.loaded.schema.patches.filter((x) => x.kind === 'seeds').map((x) => [x.name, x]));
  for (const f of p.loaded.seedFiles) {
    const name = f.relPath.replace(/\.csv$/i, '').split('/').pop()!;
    const dirs = f.relPath.split('/').slice(0, -1);
    const patch = patches.get(name);
    let cfg: NodeConfig = { materialized: 'seed', enabled: true, quote_columns: false, delimiter: ',' };
    cfg = mergeConfig(cfg, folderConfig(ctx.project.configTrees.seeds, ctx.project.name, [...dirs, name]));
    if (patch) {
      cfg = mergeConfig(cfg, patch.config);
      if (patch.tags.length) cfg = mergeConfig(cfg, { tags: patch.tags });
      if (Object.keys(patch.meta).length) cfg = mergeConfig(cfg, { meta: patch.meta });
    }
    if (cfg.enabled === false) {
      patches.delete(name);
      continue;
    }
    const node: ProjectNode = {
      uniqueId: `seed.${ctx.project.name}.${name}`, name, resourceType: 'seed', packageName: ctx.project.name,
      originalFilePath: f.path, path: f.relPath, fqn: [ctx.project.name, ...dirs, name], rawCode: '',
      checksum: checksum(f.content), config: cfg, description: patch?.description ?? '', columns: patch?.columns ?? {},
      meta: {}, tags: [], patchPath: patch?.file, refs: [], sources: [], dependsOn: { nodes: [], macros: [] },
      extra: { root_path: ctx.projectDir },
    };
    try {
      seedData.set(node, buildSeedData(name, f.content, f.path, cfg, patch));
      finishNode(ctx, node, cfg);
      addRefable(p, node);
    } catch (e) {
      if (isCairnError(e)) errors.push(e);
      else throw e;
    }
    patches.delete(name);
  }
  for (const patch of patches.values()) {
    p.warnings.push(new CairnError('CONFIG_INVALID', `schema YAML describes seed \`${patch.name}\`, which has no .csv file`, {
      file: patch.file, line: patch.line, hint: didYouMean(patch.name, p.loaded.seedFiles.map((f) => f.relPath.replace(/\.csv$/i, '').split('/').pop()!)),
    }));
  }
}

/**
 * The parsed CSV of a seed. A parse served from the partial-parse cache or the parse snapshot carries
 * no CSV rows (they are kept out of the cache on purpose), so they are read again from the file here.
 */
export function seedDataOf(node: ProjectNode, projectDir: string): SeedData {
  const known = seedData.get(node);
  if (known) return known;
  let content: string;
  try {
    content = readFileSync(join(projectDir, node.originalFilePath), 'utf8');
  } catch (e) {
    throw new CairnError('PROJECT_INVALID', `seed \`${node.name}\`: cannot read ${node.originalFilePath}: ${(e as Error).message}`, { file: node.originalFilePath, node: node.name });
  }
  const data = buildSeedData(node.name, content, node.originalFilePath, node.config, node.patchPath ? { file: node.patchPath } : undefined);
  seedData.set(node, data);
  return data;
}

function buildSeedData(name: string, content: string, path: string, cfg: NodeConfig, patch?: { file: string; line?: number }): SeedData {
  const delimiter = String(cfg.delimiter ?? ',');
  if (delimiter.length !== 1) {
    throw new CairnError('CONFIG_INVALID', `seed \`${name}\`: delimiter must be one character, got \`${delimiter}\``, { file: patch?.file ?? 'dbt_project.yml', line: patch?.line, node: name });
  }
  const csv = parseCsv(content, path, delimiter);
  const kinds = inferKinds(csv.header, csv.rows);
  const types = (cfg.column_types ?? {}) as Record<string, unknown>;
  const lower = new Map(csv.header.map((h) => [h.toLowerCase(), h]));
  for (const col of Object.keys(types)) {
    if (!lower.has(col.toLowerCase())) {
      throw new CairnError('CONFIG_INVALID', `seed \`${name}\`: column_types names column \`${col}\`, which is not in ${path}`, {
        file: patch?.file ?? 'dbt_project.yml', line: patch?.line, node: name, hint: didYouMean(col, csv.header) ?? `the header has: ${csv.header.join(', ')}`,
      });
    }
  }
  const typeOf = (h: string) => {
    const k = Object.keys(types).find((x) => x.toLowerCase() === h.toLowerCase());
    return k !== undefined ? String(types[k]) : undefined;
  };
  const columns: SeedColumn[] = csv.header.map((h, i) => ({ name: h, kind: kinds[i]!, explicitType: typeOf(h) }));
  return { csv, columns };
}
