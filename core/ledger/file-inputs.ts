// Files a node reads outside any relation, as one more input of `--changed-only`: on DuckDB the files
// named in its rendered SQL (read_csv()/read_parquet()/...) and a copy_into node's location, versioned by
// name, size and modification time (Dialect.localFileVersion). Kept under the key `files:<node id>`
// in the ledger's inputs, beside the parent nodes' versions.
import type { ParsedProject } from '../compile/parse-project.js';
import type { ProjectNode } from '../project/types.js';

export const FILES_PREFIX = 'files:';

/**
 * Why a node always runs under `--changed-only`, or undefined when it can be reused. A copy_into
 * node is versioned by its location's files only where the engine can list them: on DuckDB the
 * location is a local folder. On Dremio it is a folder of a Dremio source (S3, ADLS, NAS...) that cairn
 * reaches only through Dremio, whose catalog API lists a folder's FILE children with id, path and type
 * only, no size or modification time (docs.dremio.com/current/reference/api/catalog/container-folder/),
 * so a file rewritten in place would go unseen: there it keeps running each time, and its COPY INTO
 * decides what to load.
 */
export function alwaysBuiltReason(p: ParsedProject, node: ProjectNode): string | undefined {
  if (node.resourceType === 'task') return 'a script task node always runs';
  const kind = String(node.config.materialized ?? '');
  if (kind === 'microbatch') return 'a microbatch node always runs';
  if (kind === 'copy_into' && !p.ctx.dialect.localFileVersion) return `a copy_into node always runs on ${p.ctx.dialect.name} (cairn cannot list its location's files)`;
  return undefined;
}

/** The version of the files `node` reads (undefined: none; null: unknown, so it rebuilds). */
export function nodeFileVersion(p: ParsedProject, node: ProjectNode, sql: string | undefined): string | null | undefined {
  const version = p.ctx.dialect.localFileVersion;
  if (!version) return undefined;
  const cfg = node.config;
  const copyInto = node.resourceType === 'model' && cfg.materialized === 'copy_into'
    ? { location: String(cfg.from ?? cfg.location ?? ''), fileFormat: String(cfg.file_format ?? 'csv').toLowerCase() }
    : undefined;
  if (!copyInto && !sql) return undefined;
  try {
    return version({ sql: copyInto ? undefined : sql, copyInto }, { target: p.ctx.target, projectDir: p.ctx.projectDir });
  } catch {
    return null; // unreadable folder or file: uncertain, so it rebuilds
  }
}

/** `files:model.p.raw_orders` → a label for messages. */
export function filesLabel(p: ParsedProject, key: string): string | undefined {
  if (!key.startsWith(FILES_PREFIX)) return undefined;
  const n = p.nodes.get(key.slice(FILES_PREFIX.length));
  return `the files ${n?.name ?? key.slice(FILES_PREFIX.length)} reads`;
}
