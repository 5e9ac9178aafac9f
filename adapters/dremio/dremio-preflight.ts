// Checks against Dremio's catalog before anything runs, so a run that cannot work on this target stops
// with a located error instead of failing halfway:
// - `--wap` needs a versioned catalog (NESSIE / ARCTIC): other sources have no branches
//   (dremio-oss BaseVersionHandler: "Source ... does not support versioning.");
// - incremental models and snapshots MERGE/INSERT/DELETE into their table, which must be Iceberg. CTAS in
//   an INTERNAL source (`$scratch`, InternalFileConf defaultCtasFormat PARQUET) writes Parquet, and
//   `format` other than iceberg does too; DML on those fails ("Table [...] is not configured to support
//   DML operations", IcebergUtils.checkTableExistenceAndMutability);
// - incremental_strategy 'microbatch' is refused: its interval record (`cairn_state.intervals`) has no
//   place on Dremio (a top-level name is a space, and spaces take no tables: "Schema [...] is immutable")
//   and its write is a transaction Dremio does not have. dbt-dremio takes only 'append' and 'merge'
//   (dbt_dremio_validate_get_incremental_strategy); cairn adds 'delete+insert' (DELETE works on Iceberg).
import type { PreflightNode, Target } from '../adapter.js';
import { CairnError, CairnErrors } from '../../core/errors.js';
import { type DremioCatalog, VERSIONED_SOURCES } from './dremio-catalog.js';
import { relationPath } from './dremio-names.js';

const ICEBERG_HINT = 'write it to an Iceberg-capable source: set object_storage_source to a file-system source (S3, NAS, ...) '
  + 'or use a Nessie / Arctic catalog (catalog: + folder:), or config(database=...) on the model; `$scratch` holds Parquet only';

export async function requireVersionedCatalog(catalog: DremioCatalog, target: Target): Promise<void> {
  const name = target.catalog as string | undefined;
  if (!name) return; // requireBranches already refused the target
  const root = await catalog.root(name);
  const type = String(root?.type ?? '').toUpperCase();
  if (root?.entityType === 'source' && VERSIONED_SOURCES.has(type)) return;
  const what = !root ? 'does not exist in Dremio' : `is ${root.entityType === 'source' ? `a ${type} source` : `a ${root.entityType}`}, which has no branches`;
  throw new CairnError('USAGE', `--wap needs a versioned catalog (Nessie / Arctic): catalog \`${name}\` of target \`${target.name}\` ${what}`, {
    hint: 'build without --wap, or set `catalog:` to a Nessie / Arctic source',
  });
}

/** Nodes whose runs apply DML to their own table (an incremental run, a snapshot). */
const needsDml = (n: PreflightNode): boolean =>
  (n.resourceType === 'model' && n.materialized === 'incremental' && !n.fullRefresh) || n.resourceType === 'snapshot';

export async function requireIcebergTargets(catalog: DremioCatalog, nodes: readonly PreflightNode[]): Promise<void> {
  const errors: CairnError[] = [];
  for (const n of nodes) {
    if (n.resourceType === 'model' && n.materialized === 'incremental' && n.config.incremental_strategy === 'microbatch') {
      errors.push(new CairnError('CONFIG_INVALID', `incremental model ${n.name} uses incremental_strategy 'microbatch', which cairn does not support on Dremio (no place for its interval record, no transactions)`, {
        node: n.name, file: n.file, hint: "use incremental_strategy='merge' with unique_key (or 'delete+insert'), filtering new rows with is_incremental(); microbatch works on DuckDB",
      }));
      continue;
    }
    if (!needsDml(n) || !n.relation) continue;
    const what = `${n.resourceType === 'snapshot' ? 'snapshot' : 'incremental model'} ${n.name}`;
    const format = String(n.config.format ?? 'iceberg').toLowerCase();
    if (format !== 'iceberg') {
      errors.push(new CairnError('CONFIG_INVALID', `${what} has format='${format}': Dremio cannot MERGE, INSERT or DELETE on a non-Iceberg table`, {
        node: n.name, file: n.file, hint: 'remove the format config (Iceberg is the default) or make the model a table',
      }));
      continue;
    }
    const [rootName] = relationPath(n.relation);
    const root = rootName ? await catalog.root(rootName) : null;
    if (root?.entityType === 'source' && String(root.type).toUpperCase() === 'INTERNAL') {
      errors.push(new CairnError('CONFIG_INVALID', `${what} writes to \`${rootName}\`, an INTERNAL source where Dremio makes Parquet tables, which take no MERGE, INSERT or DELETE ("not configured to support DML operations")`, {
        node: n.name, file: n.file, hint: ICEBERG_HINT,
      }));
    }
  }
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new CairnErrors(errors);
}

/** The existing table of an incremental run is Iceberg (a Parquet table takes no DML). */
export async function requireIcebergTable(catalog: DremioCatalog, path: readonly string[], node: { name: string; file: string }): Promise<void> {
  const format = await catalog.tableFormat(path);
  if (!format || /^iceberg$/i.test(format)) return;
  throw new CairnError('CONFIG_INVALID', `incremental model ${node.name}: ${path.join('.')} is a ${format} table, not Iceberg, so Dremio cannot MERGE, INSERT or DELETE on it`, {
    node: node.name, file: node.file, exitCode: 1,
    hint: `${ICEBERG_HINT}; in a file-system source, --full-refresh rebuilds it as Iceberg`,
  });
}
