// Where nodes live on Dremio. Tables (and seeds, snapshots, incrementals, copy_into targets) go to
// object_storage_source + object_storage_path; views to dremio_space + dremio_space_folder; or both to
// `catalog` + `folder`. Model configs `database` (root), `schema` (folders) and `alias` (name) work for
// both kinds. Folder paths are lists or `/`-separated strings, so a component may contain dots.
import { CairnError } from '../../core/errors.js';
import type { Relation, RelationRequest, Target } from '../adapter.js';

/** Relation.schema holds the folder path joined by `/` (a character Dremio forbids in names). */
export const SEP = '/';

export function folderList(v: unknown): string[] {
  if (v === undefined || v === null || v === '' || v === 'no_schema') return [];
  if (Array.isArray(v)) return v.map(String).filter((s) => s !== '');
  return String(v).split(SEP).map((s) => s.trim()).filter((s) => s !== '');
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
  if (typeof cfg.database === 'string' && cfg.database.trim()) root = cfg.database.trim();
  // A custom schema is appended to the target's folders, as dbt-dremio's generate_schema_name does
  // ("{default}.{custom}"), so dev and prod targets keep their models apart.
  // A data test's stored failures go to the `dbt_test__audit` folder unless it sets its own schema (dbt).
  const custom = cfg.schema ?? (req.resourceType === 'test' ? 'dbt_test__audit' : undefined);
  if ((typeof custom === 'string' && custom.trim()) || Array.isArray(custom)) folders = [...folders, ...folderList(custom)];
  if (!root) {
    const key = isView ? 'dremio_space' : 'object_storage_source';
    throw new CairnError('CONFIG_INVALID', `${req.resourceType} ${req.name} is a ${isView ? 'view' : 'table'} but target ${target.name} has no ${key}`, {
      node: req.name,
      hint: isView
        ? 'set dremio_space (and dremio_space_folder) in profiles.yml, or catalog + folder, or config(database=...) on the model'
        : 'set object_storage_source (e.g. $scratch or your S3 source) and object_storage_path in profiles.yml, or catalog + folder, or config(database=...) on the model',
    });
  }
  return { database: root, schema: folders.join(SEP), identifier: req.alias ?? req.name };
}
