// Dremio's system namespaces, emulated as DuckDB objects so ordinary SQL reaches them:
// sys.version (version probe), sys.privileges (grants lookup, empty), and INFORMATION_SCHEMA
// TABLES/COLUMNS/VIEWS/SCHEMATA/CATALOGS presented with Dremio's dotted TABLE_SCHEMA.
import type { DuckSession } from './duck.js';
import { INFO_SCHEMA, INTERNAL_SCHEMA } from './namespace.js';
import { quoteString } from './sql-tokenize.js';
import type { Catalog } from './catalog.js';
import { installJobHistory } from './jobs-recent.js';

export const EMULATOR_VERSION = '25.0.0-emulator';

const IS = `"${INFO_SCHEMA}"`;
const HIDDEN = `('main', 'sys', 'sys/project/history', '${INFO_SCHEMA}', '${INTERNAL_SCHEMA}')`;

export async function installSystemTables(s: DuckSession): Promise<void> {
  await s.run(`CREATE SCHEMA sys; CREATE SCHEMA "${INTERNAL_SCHEMA}"; CREATE SCHEMA ${IS}`);
  await s.run(`CREATE TABLE sys.version AS SELECT '${EMULATOR_VERSION}' AS version, 'emulator' AS commit_id,
    'cairn Dremio emulator' AS commit_message, '' AS commit_time, '' AS build_email, '' AS build_time`);
  await installJobHistory(s);
  await s.run(`CREATE TABLE sys.privileges (grantee_type VARCHAR, grantee_id VARCHAR, object_type VARCHAR, object_id VARCHAR, privilege VARCHAR)`);
  // Containers are mirrored from the JS catalog (see syncContainers) so SCHEMATA can list them.
  await s.run(`CREATE TABLE "${INTERNAL_SCHEMA}".containers (schema_name VARCHAR, kind VARCHAR)`);
  // Dremio's ilike(a, b) function; DuckDB only has the operator (the translator renames the call).
  await s.run(`CREATE MACRO "${INTERNAL_SCHEMA}".dremio_ilike(a, b) AS a ILIKE b`);
  // CONVERT_TIMEZONE([sourceTimezone,] destinationTimezone, timestamp) → timestamp; the source is UTC
  // when omitted (docs.dremio.com SQL functions, CONVERT_TIMEZONE). DuckDB's ICU time zones stand in;
  // abbreviations like 'EST' follow ICU's zone rules, which may differ from Dremio's fixed offsets.
  await s.run(`CREATE MACRO "${INTERNAL_SCHEMA}".dremio_convert_timezone(d, t) AS timezone(d, timezone('UTC', CAST(t AS TIMESTAMP))),
    (src, d, t) AS timezone(d, timezone(src, CAST(t AS TIMESTAMP)))`);
  // TIMESTAMPADD(unit, n, t) / TIMESTAMPDIFF(unit, t1, t2), the unit a string here (sql-translate.ts).
  // TIMESTAMPDIFF counts whole units elapsed from t1 to t2, as DuckDB's date_sub does.
  await s.run(`CREATE MACRO "${INTERNAL_SCHEMA}".dremio_timestampadd(u, n, t) AS CAST(t AS TIMESTAMP) + CAST(n AS BIGINT) * CAST('1 ' || u AS INTERVAL)`);
  await s.run(`CREATE MACRO "${INTERNAL_SCHEMA}".dremio_timestampdiff(u, a, b) AS date_sub(lower(u), CAST(a AS TIMESTAMP), CAST(b AS TIMESTAMP))`);
  await s.run(`CREATE VIEW ${IS}."TABLES" AS
    SELECT 'DREMIO' AS TABLE_CATALOG, replace(schema_name, '/', '.') AS TABLE_SCHEMA, table_name AS TABLE_NAME, 'TABLE' AS TABLE_TYPE
      FROM duckdb_tables() WHERE NOT internal AND schema_name NOT IN ${HIDDEN}
    UNION ALL SELECT 'DREMIO', replace(schema_name, '/', '.'), view_name, 'VIEW'
      FROM duckdb_views() WHERE NOT internal AND schema_name NOT IN ${HIDDEN}
    UNION ALL SELECT 'DREMIO', 'sys', table_name, 'SYSTEM_TABLE' FROM duckdb_tables() WHERE schema_name = 'sys'`);
  await s.run(`CREATE VIEW ${IS}."VIEWS" AS
    SELECT 'DREMIO' AS TABLE_CATALOG, replace(schema_name, '/', '.') AS TABLE_SCHEMA, view_name AS TABLE_NAME, sql AS VIEW_DEFINITION
      FROM duckdb_views() WHERE NOT internal AND schema_name NOT IN ${HIDDEN}`);
  await s.run(`CREATE VIEW ${IS}."COLUMNS" AS
    SELECT 'DREMIO' AS TABLE_CATALOG, replace(schema_name, '/', '.') AS TABLE_SCHEMA, table_name AS TABLE_NAME,
      column_name AS COLUMN_NAME, column_index AS ORDINAL_POSITION, column_default AS COLUMN_DEFAULT,
      CASE WHEN is_nullable THEN 'YES' ELSE 'NO' END AS IS_NULLABLE,
      CASE WHEN data_type = 'VARCHAR' THEN 'CHARACTER VARYING' WHEN data_type LIKE 'DECIMAL%' THEN 'DECIMAL'
           WHEN data_type IN ('BLOB') THEN 'BINARY VARYING' WHEN data_type LIKE 'TIMESTAMP%' THEN 'TIMESTAMP'
           WHEN data_type IN ('HUGEINT', 'UBIGINT', 'UINTEGER') THEN 'BIGINT' WHEN data_type IN ('SMALLINT', 'TINYINT') THEN 'INTEGER'
           ELSE data_type END AS DATA_TYPE,
      CASE WHEN data_type = 'VARCHAR' THEN 65536 END AS CHARACTER_MAXIMUM_LENGTH,
      numeric_precision AS NUMERIC_PRECISION, numeric_scale AS NUMERIC_SCALE
    FROM duckdb_columns() WHERE NOT internal AND schema_name NOT IN ${HIDDEN}`);
  await s.run(`CREATE VIEW ${IS}."SCHEMATA" AS
    SELECT 'DREMIO' AS CATALOG_NAME, schema_name AS SCHEMA_NAME, '<owner>' AS SCHEMA_OWNER, 'SIMPLE' AS TYPE,
      CASE WHEN kind IN ('space', 'home') THEN 'NO' ELSE 'YES' END AS IS_MUTABLE
    FROM "${INTERNAL_SCHEMA}".containers
    UNION ALL SELECT 'DREMIO', 'INFORMATION_SCHEMA', '<owner>', 'SIMPLE', 'NO'
    UNION ALL SELECT 'DREMIO', 'sys', '<owner>', 'SIMPLE', 'NO'`);
  await s.run(`CREATE VIEW ${IS}."CATALOGS" AS SELECT 'DREMIO' AS CATALOG_NAME, 'The internal metadata used by Dremio' AS CATALOG_DESCRIPTION, '' AS CATALOG_CONNECT`);
}

/** Reads DuckDB's datasets back as Dremio paths and reconciles the catalog mirror. */
export async function syncCatalog(s: DuckSession, catalog: Catalog): Promise<void> {
  const r = await s.query(`SELECT schema_name, table_name, 'TABLE' FROM duckdb_tables() WHERE NOT internal AND schema_name NOT IN ${HIDDEN}
    UNION ALL SELECT schema_name, view_name, 'VIEW' FROM duckdb_views() WHERE NOT internal AND schema_name NOT IN ${HIDDEN}`);
  catalog.sync(r.rows.map((row) => ({ path: [...String(row[0]).split('/'), String(row[1])], type: row[2] === 'VIEW' ? 'VIEW' as const : 'TABLE' as const })));
  const values = catalog.allContainers().map((c) => `(${quoteString(c.path.join('.'))}, ${quoteString(c.kind)})`);
  await s.run(`DELETE FROM "${INTERNAL_SCHEMA}".containers`);
  if (values.length > 0) await s.run(`INSERT INTO "${INTERNAL_SCHEMA}".containers VALUES ${values.join(', ')}`);
}
