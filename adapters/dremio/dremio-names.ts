// Where nodes live on Dremio. Tables (and seeds, snapshots, incrementals, copy_into targets, stored
// test failures) go to object_storage_source + object_storage_path; views to dremio_space +
// dremio_space_folder; or both to `catalog` + `folder`. As in dbt-dremio 1.10.1 (its
// get_custom_schema.sql / get_custom_database.sql and is_datalake_node.sql; "Reenabled
// object_storage_path and root_path as config parameters"), a node's own folders and root come from
// `schema` / `database` for views only, and from `root_path` / `datalake` (or their profile names
// `object_storage_path` / `object_storage_source`) for everything stored as a table: a folder-level
// `+schema` moves the folder's views, not its tables. `alias` names both. Folder paths are lists or
// `/`-separated strings, so a component may contain dots.
import { CairnError } from '../../core/errors.js';
import type { Relation, RelationRequest, Target } from '../adapter.js';

/** Relation.schema holds the folder path joined by `/` (a character Dremio forbids in names). */
export const SEP = '/';

/**
 * Folders written as dbt-dremio reads them (relation.py `quoted_by_component`): separated by `.`
 * (or `/`), a double-quoted part kept whole (`lake."samples.dremio.com"`); a YAML list gives one
 * folder per item. Relation.schema uses the same syntax (joinFolders quotes a name with a dot),
 * so a path read back splits the same way.
 */
export function folderList(v: unknown): string[] {
  if (v === undefined || v === null || v === '' || v === 'no_schema') return [];
  if (Array.isArray(v)) return v.map(String).filter((s) => s !== '');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  const text = String(v);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      if (quoted && text[i + 1] === '"') { cur += '"'; i++; continue; }
      quoted = !quoted;
    } else if (!quoted && (c === '.' || c === SEP)) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out.filter((s) => s !== '');
}

/** The Relation.schema text for folders: a name holding `.`, `/` or `"` is quoted, so folderList splits it back the same. */
export function joinFolders(folders: readonly string[]): string {
  return folders.map((f) => (/[./"]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(SEP);
}

export function relationPath(rel: Relation): string[] {
  return [...(rel.database ? [rel.database] : []), ...folderList(rel.schema), rel.identifier];
}

const VIEW_KINDS = new Set(['view']);

export function dremioRelationFor(req: RelationRequest, target: Target): Relation {
  const isView = VIEW_KINDS.has(req.materialized) && req.resourceType === 'model';
  const cfg = req.config;
  let root: string | undefined;
  let folders: string[];
  if (target.catalog) {
    root = String(target.catalog);
    folders = folderList(target.folder);
  } else if (isView) {
    root = (target.dremio_space as string | undefined) ?? (target.user ? `@${String(target.user)}` : undefined);
    folders = folderList(target.dremio_space_folder);
  } else {
    root = (target.object_storage_source ?? target.datalake) as string | undefined;
    folders = folderList(target.object_storage_path ?? target.root_path);
  }
  const customRoot = isView ? cfg.database : (cfg.datalake ?? cfg.object_storage_source);
  if (typeof customRoot === 'string' && customRoot.trim()) root = customRoot.trim();
  // A custom folder is appended to the target's, as dbt-dremio's generate_schema_name does
  // ("{default}.{custom}"), so dev and prod targets keep their models apart.
  // A data test's stored failures go to the `dbt_test__audit` folder unless it sets its own (dbt's
  // default schema for tests; dbt-dremio would write them beside the models).
  const custom = isView ? cfg.schema : (tableFolderConfig(cfg) ?? (req.resourceType === 'test' ? cfg.schema ?? 'dbt_test__audit' : undefined));
  if ((typeof custom === 'string' && custom.trim()) || Array.isArray(custom)) folders = [...folders, ...folderList(custom)];
  // A snapshot's legacy `target_schema` is its whole folder path, used verbatim (dbt-core sets the
  // node's schema to it without generate_schema_name), so it sits directly under the source.
  if (req.resourceType === 'snapshot' && typeof cfg.target_schema === 'string' && cfg.target_schema.trim()) folders = folderList(cfg.target_schema);
  if (!root) {
    const key = isView ? 'dremio_space' : 'object_storage_source';
    throw new CairnError('CONFIG_INVALID', `${req.resourceType} ${req.name} is a ${isView ? 'view' : 'table'} but target ${target.name} has no ${key}`, {
      node: req.name,
      hint: isView
        ? 'set dremio_space (and dremio_space_folder) in profiles.yml, or catalog + folder, or config(database=...) on the model'
        : 'set object_storage_source (e.g. $scratch or your S3 source) and object_storage_path in profiles.yml, or catalog + folder, or config(database=...) on the model',
    });
  }
  return { database: root, schema: joinFolders(folders), identifier: req.alias ?? req.name };
}

/** A table's own folders: `root_path`, or its profile name `object_storage_path`, as model configs. */
export function tableFolderConfig(cfg: Readonly<Record<string, unknown>>): unknown {
  return cfg.root_path ?? cfg.object_storage_path;
}

/**
 * Nodes stored as tables whose `schema` / `database` config Dremio placement ignores (dbt-dremio 1.10.1
 * reads those for views only), for one warning per run: a project moved from dbt-duckdb or an older
 * dbt-dremio would otherwise see its tables land somewhere it did not expect, silently.
 */
export function ignoredTableConfigs(nodes: ReadonlyArray<{ name: string; resourceType: string; materialized: string; config: Readonly<Record<string, unknown>> }>): string | undefined {
  const hit = nodes.filter((n) => ['model', 'seed', 'snapshot', 'task'].includes(n.resourceType) && n.materialized !== 'ephemeral' && !VIEW_KINDS.has(n.materialized)
    && ((n.config.schema !== undefined && n.config.schema !== null && n.config.schema !== '' && tableFolderConfig(n.config) === undefined)
      || (typeof n.config.database === 'string' && n.config.database !== '' && n.config.datalake === undefined && n.config.object_storage_source === undefined)));
  if (!hit.length) return undefined;
  const names = hit.slice(0, 3).map((n) => n.name).join(', ') + (hit.length > 3 ? ` and ${hit.length - 3} more` : '');
  return `${hit.length} Dremio table${hit.length === 1 ? '' : 's'} (${names}) set \`schema\`/\`database\`, which place views only on Dremio (as in dbt-dremio 1.10.1); `
    + 'tables stay in object_storage_source + object_storage_path. To move a table, set `root_path` (folders under object_storage_path) or `datalake` (the source)';
}
