// Dremio's SQL for every materialization: pure strings, golden-tested in test/goldens/dremio.
// Every path component and every column is double-quoted (MERGE ON keys too); dotted names stay one
// component. Dremio has no transactions and no RENAME, so a table is replaced by building
// `<name>__cairn_tmp` in full first and only then swapping it in (see `table`).
import type { Column, CopyIntoPlan, Dialect, IncrementalPlan, Relation, RelationKind, SeedPlan, SnapshotPlan, StoreFailuresPlan, TablePlan, ViewPlan } from '../adapter.js';
import { mergeUpdateColumns, quoteIdent, quoteString, schemaChange, stripTrailingSemicolons, testQuery } from '../shared/ansi.js';
import { dremioSeedStatements } from './dremio-seeds.js';
import { dremioSnapshotStatements } from './dremio-snapshot.js';
import { CairnError } from '../../core/errors.js';
import { didYouMean } from '../../core/util/did-you-mean.js';
import { createBranchSql, dropBranchSql, mergeBranchSql } from './dremio-branch.js';
import { assertPromotions } from './dremio-types.js';
import { reflectionMeasureFields } from './dremio-reflection-measures.js';

// dbt-dremio's DremioColumn.TYPE_LABELS (dbt/adapters/dremio/column.py): names other engines use for VARCHAR.
const TYPE_LABELS: Record<string, string> = { TEXT: 'VARCHAR', STRING: 'VARCHAR' };

/** A user-written column type as Dremio takes it: `text` / `string` (not Calcite types, so refused by
 * Dremio's SqlHandlerUtil.checkInvalidType) become VARCHAR; everything else is left as written. */
export function dremioColumnType(type: string): string {
  const m = /^\s*([A-Za-z_]+)\b([\s\S]*)$/.exec(type);
  const label = m ? TYPE_LABELS[m[1]!.toUpperCase()] : undefined;
  return label ? `${label}${m![2]}` : type;
}

const SEED_TYPES: Record<string, string> = { integer: 'INTEGER', bigint: 'BIGINT', decimal: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP', text: 'VARCHAR' };
import { dremioRelationFor, folderList, relationPath } from './dremio-names.js';

const renderPath = (path: readonly string[]): string => path.map(quoteIdent).join('.');
const renderRelation = (r: Relation): string => renderPath(relationPath(r));
const cols = (names: readonly string[]) => names.map(quoteIdent).join(', ');
const list = (v: unknown): string[] => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v.map(String) : String(v).split(',').map((s) => s.trim()).filter(Boolean));

/** `ts` -> `"ts"`; `month(ts)` -> `month("ts")`; `bucket(4, id)` -> `bucket(4, "id")`. */
export function layoutItem(item: string): string {
  const m = /^\s*([A-Za-z_]+)\s*\((.*)\)\s*$/.exec(item);
  if (!m) return quoteIdent(item.trim().replace(/^"(.*)"$/, '$1'));
  const args = m[2]!.split(',').map((a) => {
    const t = a.trim();
    return /^\d+$/.test(t) ? t : quoteIdent(t.replace(/^"(.*)"$/, '$1'));
  });
  return `${m[1]!.toLowerCase()}(${args.join(', ')})`;
}

const PARTITION_METHODS = ['STRIPED', 'HASH', 'ROUNDROBIN'];

/** A DISTRIBUTE BY / LOCALSORT BY item: Dremio's grammar takes plain column names there (ParseRequiredFieldList). */
function layoutColumn(key: string, item: string): string {
  if (/\(/.test(item)) {
    throw new CairnError('CONFIG_INVALID', `${key} takes column names; \`${item}\` is a partition transform, which Dremio accepts only in partition_by`, {
      hint: `put the transform in partition_by, or name a column in ${key}`,
      exitCode: 1,
    });
  }
  return layoutItem(item);
}

/** CTAS layout clauses in Dremio's grammar order (SqlCreateTable in dremio-oss parserImpls.ftl). */
export function ctasClauses(config: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  const part = list(config.partition_by);
  const method = config.partition_method ? String(config.partition_method).toUpperCase() : '';
  if (method && !PARTITION_METHODS.includes(method)) {
    throw new CairnError('CONFIG_INVALID', `unknown partition_method \`${String(config.partition_method)}\``, {
      hint: 'use striped, hash or roundrobin (Dremio\'s STRIPED / HASH / ROUNDROBIN PARTITION BY), or leave it out',
      exitCode: 1,
    });
  }
  if (part.length) out.push(`${method ? `${method} ` : ''}PARTITION BY (${part.map(layoutItem).join(', ')})`);
  const dist = list(config.distribute_by);
  if (dist.length) out.push(`DISTRIBUTE BY (${dist.map((d) => layoutColumn('distribute_by', d)).join(', ')})`);
  const sort = list(config.localsort_by);
  if (sort.length) out.push(`LOCALSORT BY (${sort.map((d) => layoutColumn('localsort_by', d)).join(', ')})`);
  const format = String(config.format ?? 'iceberg').toLowerCase();
  if (format !== 'iceberg') out.push(`STORE AS (type => ${quoteString(format)})`);
  if (config.single_writer === true) out.push('WITH SINGLE WRITER');
  return out;
}

function ctas(rel: Relation, select: string, config: Readonly<Record<string, unknown>>, at = ''): string {
  const clauses = ctasClauses(config);
  return `CREATE TABLE ${renderRelation(rel)}${at}${clauses.length ? '\n' + clauses.join('\n') : ''}\nAS (\n${select}\n)`;
}

// The options Dremio's grammar takes in COPY INTO's parenthesised list (ParseCopyIntoOptions in
// dremio-oss ingestion.ftl); ON_ERROR comes from the on_error config. NULL_IF takes a list, the rest a literal.
const COPY_OPTIONS = ['DATE_FORMAT', 'TIME_FORMAT', 'TIMESTAMP_FORMAT', 'TRIM_SPACE', 'RECORD_DELIMITER', 'FIELD_DELIMITER',
  'QUOTE_CHAR', 'ESCAPE_CHAR', 'EMPTY_AS_NULL', 'EXTRACT_HEADER', 'SKIP_LINES', 'NULL_IF'];

function copyOption(key: string, value: unknown): string {
  const k = key.toUpperCase();
  if (!COPY_OPTIONS.includes(k)) {
    const close = didYouMean(k, COPY_OPTIONS);
    throw new CairnError('CONFIG_INVALID', `format_options: \`${key}\` is not a COPY INTO option Dremio takes`, {
      hint: `${close ? `${close} ` : ''}${k === 'ON_ERROR' ? 'set on_error in the config instead; ' : ''}Dremio takes ${COPY_OPTIONS.join(', ')}`,
      exitCode: 1,
    });
  }
  if (k === 'NULL_IF') return `NULL_IF (${(Array.isArray(value) ? value : [value]).map((x) => quoteString(String(x))).join(', ')})`;
  if (Array.isArray(value)) {
    throw new CairnError('CONFIG_INVALID', `format_options: \`${key}\` takes one value, not a list (only NULL_IF takes a list)`, { exitCode: 1 });
  }
  return /^\d+$/.test(String(value)) ? `${k} ${String(value)}` : `${k} ${quoteString(String(value))}`;
}

const TABLE_SWAPS = ['copy', 'drop_create'];

/** `table_swap`: `copy` (default: build into __cairn_tmp, then drop and copy back) or `drop_create`. */
function tableSwap(config: Readonly<Record<string, unknown>>): 'copy' | 'drop_create' {
  const v = config.table_swap ?? 'copy';
  if (typeof v !== 'string' || !TABLE_SWAPS.includes(v)) {
    throw new CairnError('CONFIG_INVALID', `unknown table_swap \`${String(v)}\``, {
      hint: 'use copy (the default: the table is never missing, the data is written twice) or drop_create (written once, the table is missing while the model runs)',
      exitCode: 1,
    });
  }
  return v as 'copy' | 'drop_create';
}

export const dremioDialect: Dialect & { renderPath: typeof renderPath; columnDefs(columns: readonly Column[]): string } = {
  name: 'dremio',
  // dbt-dremio's DremioColumn.TYPE_LABELS (dbt/adapters/dremio/column.py).
  typeLabels: TYPE_LABELS,
  quoteIdentifier: quoteIdent,
  quoteString,
  renderRelation,
  renderPath,
  relationFor: dremioRelationFor,
  // dbt-dremio's `target.database`: the space (dremio_space, or `catalog` for one catalog holding
  // both kinds), else the user's home space `@user` (credentials.py __post_init__). A source
  // without `database:` lives there, as in dbt-dremio.
  defaultDatabase: (target) => {
    const space = target.catalog ?? target.dremio_space;
    if (typeof space === 'string' && space) return space;
    return typeof target.user === 'string' && target.user ? `@${target.user}` : undefined;
  },
  // dbt-dremio's `target.schema`: dremio_space_folder (or `folder` with one `catalog`), else no_schema.
  defaultSchema: (target) => {
    const folders = folderList(target.catalog ? target.folder : target.dremio_space_folder);
    return folders.length ? folders.map((f) => (/[."]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join('.') : 'no_schema';
  },
  // Folders read as Dremio writes them (orders_pipeline.silver.orders), not as cairn keeps them.
  relationLabel: (rel) => [...folderList(rel.schema), rel.identifier].join('.'),

  scratchRelation(rel, suffix) {
    return { ...rel, identifier: `${rel.identifier}${suffix}` };
  },

  // Containers are made by the adapter (REST for spaces, CREATE FOLDER per level for catalogs).
  createSchema: () => [],

  dropRelation(rel: Relation, kind: RelationKind) {
    return `DROP ${kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${renderRelation(rel)}`;
  },

  columnDefs(columns) {
    return columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
  },

  // Three ways to replace an existing table, cheapest safe one first (README "Table rebuilds on Dremio"):
  // - versioned catalog (`branchSwap`): drop and rebuild on a short-lived branch, MERGE BRANCH it:
  //   atomic, the data written once;
  // - `copy` (default): the model's query runs into `__cairn_tmp`; only when that CTAS succeeded is
  //   the old table dropped and re-created from the finished data (Dremio has no RENAME). The adapter
  //   never cancels that drop + copy back once started (dremio-rebuild.ts);
  // - `drop_create`: drop, then CTAS: written once, but the table is missing while the model runs.
  table(plan: TablePlan) {
    const sql = stripTrailingSemicolons(plan.sql);
    const t = renderRelation(plan.target);
    const swap = tableSwap(plan.config);
    if (plan.existing === null) return [ctas(plan.target, sql, plan.config)];
    if (plan.existing === 'view') return [`DROP VIEW IF EXISTS ${t}`, ctas(plan.target, sql, plan.config)];
    if (plan.branchSwap) {
      const { catalog, from, name } = plan.branchSwap;
      const at = ` AT BRANCH ${quoteIdent(name)}`;
      return [
        createBranchSql(catalog, name, from),
        `DROP TABLE ${t}${at}`,
        ctas(plan.target, sql, plan.config, at),
        mergeBranchSql(catalog, name, from),
        dropBranchSql(catalog, name),
      ];
    }
    if (swap === 'drop_create') return [`DROP TABLE ${t}`, ctas(plan.target, sql, plan.config)];
    const tmp = renderRelation(plan.tmp);
    return [
      `DROP TABLE IF EXISTS ${tmp}`,
      ctas(plan.tmp, sql, plan.config),
      `DROP TABLE ${t}`,
      ctas(plan.target, `SELECT * FROM ${tmp}`, plan.config),
      `DROP TABLE IF EXISTS ${tmp}`,
    ];
  },

  view(plan: ViewPlan) {
    const sql = stripTrailingSemicolons(plan.sql);
    const out: string[] = [];
    if (plan.existing === 'table') out.push(`DROP TABLE IF EXISTS ${renderRelation(plan.target)}`);
    out.push(`CREATE OR REPLACE VIEW ${renderRelation(plan.target)} AS\n${sql}`);
    return out;
  },

  incremental(plan: IncrementalPlan) {
    // The preflight refuses microbatch on Dremio (dremio-preflight.ts); never let it fall through to a
    // plain append, which would add a re-run interval twice.
    if (plan.strategy === 'microbatch') throw new CairnError('CONFIG_INVALID', "incremental_strategy 'microbatch' is not supported on Dremio", { hint: "use incremental_strategy='merge' with unique_key" });
    const t = renderRelation(plan.target);
    const tmp = renderRelation(plan.tmp);
    const change = schemaChange(plan);
    // All or nothing: a type change Iceberg cannot apply fails the node before the first ALTER.
    if (plan.onSchemaChange === 'sync_all_columns') assertPromotions(change.changed);
    const out: string[] = [];
    if ((plan.onSchemaChange === 'append_new_columns' || plan.onSchemaChange === 'sync_all_columns') && change.added.length) {
      out.push(`ALTER TABLE ${t} ADD COLUMNS (${change.added.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`);
    }
    if (plan.onSchemaChange === 'sync_all_columns') {
      for (const c of change.removed) out.push(`ALTER TABLE ${t} DROP COLUMN ${quoteIdent(c.name)}`);
      for (const [c, q] of change.changed) out.push(`ALTER TABLE ${t} ALTER COLUMN ${quoteIdent(c.name)} ${quoteIdent(c.name)} ${q.type}`);
    }
    const names = change.insertColumns;
    const preds = (plan.incrementalPredicates ?? []).map((p) => `(${p})`);
    const sql = stripTrailingSemicolons(plan.sql);
    if (plan.strategy === 'append' || plan.uniqueKey.length === 0) {
      // One statement: no scratch table needed to append.
      out.push(`INSERT INTO ${t} (${cols(names)})\nSELECT ${cols(names)} FROM (\n${sql}\n) AS DBT_INTERNAL_SOURCE`);
      return out;
    }
    const keyMatch = plan.uniqueKey.map((k) => `DBT_INTERNAL_SOURCE.${quoteIdent(k)} = DBT_INTERNAL_DEST.${quoteIdent(k)}`);
    out.unshift(`DROP TABLE IF EXISTS ${tmp}`, `CREATE TABLE ${tmp} AS (\n${sql}\n)`);
    if (plan.strategy === 'merge') {
      const upd = mergeUpdateColumns(plan, names);
      let merge = `MERGE INTO ${t} AS DBT_INTERNAL_DEST\nUSING ${tmp} AS DBT_INTERNAL_SOURCE\nON (${[...keyMatch, ...preds].join('\n    AND ')})`;
      if (upd.length) merge += `\nWHEN MATCHED THEN UPDATE SET\n    ${upd.map((c) => `${quoteIdent(c)} = DBT_INTERNAL_SOURCE.${quoteIdent(c)}`).join(',\n    ')}`;
      merge += `\nWHEN NOT MATCHED THEN INSERT (${cols(names)})\n    VALUES (${names.map((c) => `DBT_INTERNAL_SOURCE.${quoteIdent(c)}`).join(', ')})`;
      out.push(merge);
    } else {
      const where = [`EXISTS (SELECT 1 FROM ${tmp} AS DBT_INTERNAL_SOURCE WHERE ${keyMatch.join(' AND ')})`, ...preds].join('\n    AND ');
      out.push(`DELETE FROM ${t} AS DBT_INTERNAL_DEST\nWHERE ${where}`);
      out.push(`INSERT INTO ${t} (${cols(names)})\nSELECT ${cols(names)} FROM ${tmp}`);
    }
    out.push(`DROP TABLE IF EXISTS ${tmp}`);
    return out;
  },

  describeQuery(sql: string) {
    return `SELECT * FROM (\n${stripTrailingSemicolons(sql)}\n) AS __cairn_describe LIMIT 0`;
  },

  copyInto(plan: CopyIntoPlan) {
    const t = renderRelation(plan.target);
    const out: string[] = [];
    if (!plan.exists) out.push(`CREATE TABLE ${t} (${plan.columns.map((c) => `${quoteIdent(c.name)} ${dremioColumnType(c.type)}`).join(', ')})`);
    else if (plan.truncate) out.push(`TRUNCATE TABLE ${t}`);
    const opts = [`ON_ERROR ${quoteString(plan.onError)}`];
    for (const [k, v] of Object.entries(plan.options)) opts.push(copyOption(k, v));
    out.push(`COPY INTO ${t}\nFROM ${quoteString(plan.location)}\nFILE_FORMAT ${quoteString(plan.fileFormat)}\n(${opts.join(', ')})`);
    return out;
  },

  // Dremio cannot read the CSV from cairn's disk: typed CREATE TABLE, then batched multi-row INSERTs.
  // An existing seed table is kept and emptied first, as dbt does; --full-refresh (or a view in the
  // way) drops and re-creates it.
  seed(plan: SeedPlan) {
    const columns = plan.columns.map((c) => ({ name: c.name, type: c.explicitType ? dremioColumnType(c.explicitType) : SEED_TYPES[c.kind] ?? 'VARCHAR' }));
    const mode = plan.existing === null ? 'create' : plan.existing === 'table' && !plan.fullRefresh ? 'refill' : 'replace';
    return dremioSeedStatements(plan.target, columns, plan.rows, { mode, existing: plan.existing });
  },

  // A data test's failing rows, replaced every run (dbt: drop, then create table as the test's query).
  storeFailures(plan: StoreFailuresPlan) {
    const t = renderRelation(plan.target);
    return [
      ...(plan.existing ? [`DROP ${plan.existing === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${t}`] : []),
      `CREATE TABLE ${t} AS (\n${stripTrailingSemicolons(plan.sql)}\n)`,
    ];
  },

  snapshot(plan: SnapshotPlan) {
    return dremioSnapshotStatements(plan);
  },

  testQuery,

  // Measures and computations of an aggregate reflection: unknown measures always, SUM on a
  // non-numeric column when the anchor declares the column's data_type. Real types are checked again
  // by the adapter before the reflection is sent (DremioAdapter.upsertReflection).
  checkReflection(req) {
    const type = String(req.config.reflection_type ?? 'raw').toLowerCase();
    if (type !== 'aggregate' && type !== 'aggregation') return;
    reflectionMeasureFields({ model: req.model, file: req.file, measures: list(req.config.measures), computations: req.config.computations, columns: req.columns });
  },
};
