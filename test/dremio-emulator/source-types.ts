// Source types and what follows from them, as in Dremio (dremio-oss Release 25.2):
// - INTERNAL (`$scratch`, InternalFileConf: defaultCtasFormat PARQUET): CTAS writes Parquet files, not an
//   Iceberg table, so DML and ALTER on such a table fail (IcebergUtils.checkTableExistenceAndMutability:
//   "Table [...] is not configured to support DML operations"). `CREATE TABLE t (cols)` still makes an
//   Iceberg table (FileSystemPlugin.createEmptyTable always commits an Iceberg table).
// - File-system sources NAS, S3, HDFS, GCS, ... (NASConf, AbstractS3PluginConfig: defaultCtasFormat
//   ICEBERG): CTAS makes Iceberg tables, DML allowed; folders are directories made by writing a table
//   in them; no views; not versioned.
// - NESSIE / ARCTIC (NessiePluginConfig isVersioned = true): versioned catalogs with branches,
//   `CREATE FOLDER`, `AT BRANCH`; tables and views.
// - RESTCATALOG (RestIcebergCatalogPluginConfig, "REST Iceberg Catalog"; Polaris-like): Iceberg tables,
//   not versioned, so no branches and no `CREATE FOLDER`. UNSURE: Release 25.2's IcebergCatalogPlugin is
//   read-only, while Polaris-based catalogs (Dremio Cloud's) take writes and views. The emulator takes
//   tables and views but, stricter, only in namespaces that already exist (made outside Dremio: tests
//   add them with `emulator.catalog.add('folder', path)` or the `folders` option).
import { DremioSqlError } from './errors.js';

export type SourceType = 'INTERNAL' | 'NAS' | 'S3' | 'HDFS' | 'GCS' | 'AZURE_STORAGE' | 'NESSIE' | 'ARCTIC' | 'RESTCATALOG';
export const SOURCE_TYPES: readonly SourceType[] = ['INTERNAL', 'NAS', 'S3', 'HDFS', 'GCS', 'AZURE_STORAGE', 'NESSIE', 'ARCTIC', 'RESTCATALOG'];

/** `filesystem`: directories made on write, no views. `catalog`: Iceberg catalog, tables and views, folders must exist. */
export type SourceFlavor = 'filesystem' | 'catalog';
export type TableFormat = 'ICEBERG' | 'PARQUET';

const CATALOG_TYPES = new Set<SourceType>(['NESSIE', 'ARCTIC', 'RESTCATALOG']);
const VERSIONED_TYPES = new Set<SourceType>(['NESSIE', 'ARCTIC']);

export const flavorOf = (t: SourceType): SourceFlavor => (CATALOG_TYPES.has(t) ? 'catalog' : 'filesystem');
export const isVersionedType = (t: SourceType | undefined): boolean => t !== undefined && VERSIONED_TYPES.has(t);

/** The table format CTAS writes in a source of this type (`STORE AS (type => '...')` overrides it). */
export function ctasFormat(t: SourceType | undefined, storeAs?: string): TableFormat {
  if (storeAs) return /iceberg/i.test(storeAs) ? 'ICEBERG' : 'PARQUET';
  return t === 'INTERNAL' ? 'PARQUET' : 'ICEBERG';
}

/** Dremio's own refusal: an UNSUPPORTED_OPERATION without the emulator's "not supported by" suffix. */
export const refused = (detail: string): DremioSqlError => new DremioSqlError('UNSUPPORTED_OPERATION', detail);

/** BaseVersionHandler.getVersionedPlugin / VersionContextResolverImpl: branches, CREATE FOLDER, AT BRANCH. */
export const notVersioned = (source: string): DremioSqlError => refused(`Source ${source} does not support versioning.`);

/** IcebergUtils.checkTableExistenceAndMutability: DML, TRUNCATE and ALTER TABLE need an Iceberg table. */
export const notIceberg = (shownPath: string): DremioSqlError => refused(`Table [${shownPath}] is not configured to support DML operations`);
