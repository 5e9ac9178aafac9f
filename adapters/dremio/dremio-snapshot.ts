// Snapshots (SCD type 2) on Dremio, as dbt-core 1.9 builds them and dbt-dremio merges them: the
// changes are staged in one CTAS (`<name>__cairn_snapshot_staging`, one `dbt_change_type` per row),
// then applied by ONE MERGE, so the snapshot table moves from one Iceberg snapshot to the next in a
// single commit (Dremio has no transactions). Dremio's MERGE has a single WHEN MATCHED and no
// `AND <cond>` on WHEN clauses (dremio-sql.md 2.2), hence dbt's trick: only 'update'/'delete' rows
// can match (on the current row's dbt_scd_id), every other staged row is an insert.
// Columns: dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to (+ dbt_is_deleted for
// hard_deletes: new_record), names overridable through snapshot_meta_column_names.
import type { SnapshotPlan } from '../adapter.js';
import { quoteIdent as q, stripTrailingSemicolons } from '../shared/ansi.js';
import { relationPath } from './dremio-names.js';

const rel = (r: SnapshotPlan['target']): string => relationPath(r).map(q).join('.');
const lower = (s: string) => s.toLowerCase();

/** One instant for the whole staging statement (SQL evaluates CURRENT_TIMESTAMP once per statement). */
const NOW = 'CAST(CURRENT_TIMESTAMP AS TIMESTAMP)';

export function dremioSnapshotStatements(p: SnapshotPlan): string[] {
  const m = p.meta;
  const t = rel(p.target);
  const stg = rel(p.staging);
  const sql = stripTrailingSemicolons(p.sql);
  const newRecord = p.hardDeletes === 'new_record';
  const keyText = (a: string) => p.uniqueKey.map((k) => `COALESCE(CAST(${a}.${q(k)} AS VARCHAR), '')`).join(` || '|' || `);
  const hash = (a: string, at: string, tag = '') => `MD5(${keyText(a)} || '|' || COALESCE(CAST(${at} AS VARCHAR), '')${tag ? ` || '|${tag}'` : ''})`;
  const updatedAt = (a: string) => (p.strategy === 'timestamp' ? `CAST(${a}.${q(p.updatedAt!)} AS TIMESTAMP)` : NOW);

  if (!p.exists) {
    const first = `SELECT src.*,\n  ${hash('src', updatedAt('src'))} AS ${q(m.scdId)},\n  ${updatedAt('src')} AS ${q(m.updatedAt)},\n  ${updatedAt('src')} AS ${q(m.validFrom)},\n` +
      `  CAST(NULL AS TIMESTAMP) AS ${q(m.validTo)}${newRecord ? `,\n  'False' AS ${q(m.isDeleted)}` : ''}\nFROM (\n${sql}\n) AS src`;
    return [`CREATE TABLE ${t} AS (\n${first}\n)`];
  }

  const metaNames = new Set([m.scdId, m.updatedAt, m.validFrom, m.validTo, m.isDeleted].map(lower));
  const targetNames = new Set(p.targetColumns.map((c) => lower(c.name)));
  const dataCols = p.queryColumns.filter((c) => !metaNames.has(lower(c.name)));
  const out: string[] = [];
  // New query columns join the snapshot (old versions read NULL), as dbt's snapshot does.
  const added = dataCols.filter((c) => !targetNames.has(lower(c.name))).map((c) => `${q(c.name)} ${c.type}`);
  const hasDeletedCol = targetNames.has(lower(m.isDeleted));
  if (newRecord && !hasDeletedCol) added.push(`${q(m.isDeleted)} VARCHAR`);
  if (added.length) out.push(`ALTER TABLE ${t} ADD COLUMNS (${added.join(', ')})`);

  const keyMatch = (a: string, b: string) => p.uniqueKey.map((k) => `${a}.${q(k)} = ${b}.${q(k)}`).join(' AND ');
  const missing = (a: string) => `${a}.${q(p.uniqueKey[0]!)} IS NULL`;
  const isDeleted = (a: string) => `COALESCE(${a}.${q(m.isDeleted)}, 'False') = 'True'`;
  let changed: string;
  if (p.strategy === 'timestamp') {
    changed = `snap.${q(m.validFrom)} < ${updatedAt('src')}`;
  } else {
    const keys = new Set(p.uniqueKey.map(lower));
    const cols = p.checkCols === 'all' || !p.checkCols ? dataCols.map((c) => c.name).filter((c) => !keys.has(lower(c))) : p.checkCols;
    changed = cols.map((c) => `(snap.${q(c)} <> src.${q(c)} OR (snap.${q(c)} IS NULL AND src.${q(c)} IS NOT NULL) OR (snap.${q(c)} IS NOT NULL AND src.${q(c)} IS NULL))`).join('\n    OR ') || 'FALSE';
  }
  // A key that comes back after a deletion record gets a new version (and the record is closed).
  if (newRecord) changed = `(${changed})\n    OR ${isDeleted('snap')}`;
  const flag = (v: string) => (newRecord ? `, '${v}' AS ${q(m.isDeleted)}` : '');
  const data = dataCols.map((c) => `src.${q(c.name)}`).join(', ');
  // `snap` reads the table after ADD COLUMNS, so columns new to it are there (NULL).
  const snapData = dataCols.map((c) => `snap.${q(c.name)}`).join(', ');
  const current = `SELECT * FROM ${t} WHERE ${q(m.validTo)} IS NULL`;
  const parts = [
    // New keys, and the new version of every changed row.
    `SELECT 'insert' AS dbt_change_type, ${data},\n    ${hash('src', updatedAt('src'))} AS ${q(m.scdId)}, ${updatedAt('src')} AS ${q(m.updatedAt)}, ${updatedAt('src')} AS ${q(m.validFrom)}, CAST(NULL AS TIMESTAMP) AS ${q(m.validTo)}${flag('False')}\n` +
      `  FROM src LEFT JOIN snap ON ${keyMatch('snap', 'src')}\n  WHERE ${missing('snap')} OR (${changed})`,
    // The current version of every changed row ends where the new one starts.
    `SELECT 'update' AS dbt_change_type, ${data},\n    snap.${q(m.scdId)} AS ${q(m.scdId)}, ${updatedAt('src')} AS ${q(m.updatedAt)}, ${updatedAt('src')} AS ${q(m.validFrom)}, ${updatedAt('src')} AS ${q(m.validTo)}${flag('False')}\n` +
      `  FROM src JOIN snap ON ${keyMatch('snap', 'src')}\n  WHERE ${changed}`,
  ];
  if (p.hardDeletes !== 'ignore') {
    const gone = `FROM snap LEFT JOIN src ON ${keyMatch('snap', 'src')}\n  WHERE ${missing('src')}${newRecord ? ` AND NOT ${isDeleted('snap')}` : ''}`;
    // A key gone from the source: its current version ends now ...
    parts.push(`SELECT 'delete' AS dbt_change_type, ${snapData},\n    snap.${q(m.scdId)} AS ${q(m.scdId)}, ${NOW} AS ${q(m.updatedAt)}, ${NOW} AS ${q(m.validFrom)}, ${NOW} AS ${q(m.validTo)}${flag('False')}\n  ${gone}`);
    // ... and with new_record a deletion record starts (dbt 1.9 hard_deletes: new_record).
    if (newRecord) {
      parts.push(`SELECT 'insert' AS dbt_change_type, ${snapData},\n    ${hash('snap', NOW, 'deleted')} AS ${q(m.scdId)}, ${NOW} AS ${q(m.updatedAt)}, ${NOW} AS ${q(m.validFrom)}, CAST(NULL AS TIMESTAMP) AS ${q(m.validTo)}${flag('True')}\n  ${gone}`);
    }
  }
  out.push(`DROP TABLE IF EXISTS ${stg}`);
  out.push(`CREATE TABLE ${stg} AS (\nWITH src AS (\n${sql}\n),\nsnap AS (${current})\n${parts.join('\nUNION ALL\n')}\n)`);
  // Insert columns: the snapshot table's own order (plus what was just added), staged names only.
  const staged = new Set([...dataCols.map((c) => lower(c.name)), ...[m.scdId, m.updatedAt, m.validFrom, m.validTo].map(lower), ...(newRecord ? [lower(m.isDeleted)] : [])]);
  const order = [...p.targetColumns.map((c) => c.name), ...dataCols.filter((c) => !targetNames.has(lower(c.name))).map((c) => c.name), ...(newRecord && !hasDeletedCol ? [m.isDeleted] : [])];
  const insert = order.filter((c) => staged.has(lower(c)));
  const set = [`${q(m.validTo)} = DBT_INTERNAL_SOURCE.${q(m.validTo)}`, ...(newRecord ? [`${q(m.isDeleted)} = COALESCE(DBT_INTERNAL_DEST.${q(m.isDeleted)}, 'False')`] : [])];
  out.push(`MERGE INTO ${t} AS DBT_INTERNAL_DEST\nUSING ${stg} AS DBT_INTERNAL_SOURCE\n` +
    `ON (DBT_INTERNAL_SOURCE.${q(m.scdId)} = DBT_INTERNAL_DEST.${q(m.scdId)}\n    AND DBT_INTERNAL_SOURCE.dbt_change_type IN ('update', 'delete')\n    AND DBT_INTERNAL_DEST.${q(m.validTo)} IS NULL)\n` +
    `WHEN MATCHED THEN UPDATE SET\n    ${set.join(',\n    ')}\n` +
    `WHEN NOT MATCHED THEN INSERT (${insert.map(q).join(', ')})\n    VALUES (${insert.map((c) => `DBT_INTERNAL_SOURCE.${q(c)}`).join(', ')})`);
  out.push(`DROP TABLE IF EXISTS ${stg}`);
  return out;
}
