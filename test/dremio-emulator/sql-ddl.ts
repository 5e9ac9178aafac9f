// DDL statements: CREATE TABLE [AS], CREATE [OR REPLACE] VIEW, DROP TABLE|VIEW, CREATE FOLDER, ALTER.
// Each validates against the catalog first so failures read like Dremio's, then runs DuckDB DDL.
import { validationError, parseError } from './errors.js';
import { displayPath, toDuck, toDuckSql } from './namespace.js';
import { type ResultSet, okResult, ctasResult } from './result-set.js';
import { Cursor, splitTopLevel, sqlOf } from './sql-cursor.js';
import { type Token, isIdent, isPunct, isWord, quoteIdent } from './sql-tokenize.js';
import type { ExecEnv } from './sql-env.js';
import { ctasFormat, isVersionedType, notIceberg, notVersioned } from './source-types.js';
import { checkColumnChange, checkPartitionTransform, sqlType } from './iceberg-rules.js';
import { dremioType, type DremioType } from './types-map.js';

const pathOf = (t: Token): readonly string[] => t.path ?? [t.value];

async function ensureSchema(env: ExecEnv, path: readonly string[]): Promise<void> {
  await env.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(toDuck(path).schema)}`);
}

// Physical-layout clauses Dremio accepts on CTAS. The emulator drops them but checks that the
// columns they name exist, which is the mistake a framework can actually make.
const LAYOUT_CLAUSES: Array<{ words: string[]; label?: string }> = [
  { words: ['PARTITION', 'BY'], label: 'Partition column(s)' },
  { words: ['DISTRIBUTE', 'BY'], label: 'Distribution column(s)' },
  { words: ['LOCALSORT', 'BY'], label: 'Sort column(s)' },
  { words: ['CLUSTER', 'BY'], label: 'Clustering column(s)' },
  { words: ['STORE', 'AS'] },
  { words: ['TBLPROPERTIES'] },
];

/** Column named by a partition item: `c`, `"c"`, or a transform such as month("ts") / bucket(4, c). */
function layoutColumn(item: readonly Token[]): string {
  const idents = item.filter((t) => isIdent(t));
  const col = item.length === 1 ? idents[0] : idents.filter((_t, i) => i > 0).pop();
  if (!col) throw parseError(`Invalid partition expression: ${sqlOf(item)}`);
  return col.value;
}

/** A column definition's type; types the rules do not know (STRUCT, LIST ...) stay opaque here. */
function declaredType(def: readonly Token[]): DremioType {
  const text = sqlOf(def.slice(1)).replace(/\s+(NOT\s+)?NULL\s*$/i, '');
  try { return sqlType(text); } catch { return { name: 'OTHER' }; }
}

export async function createTable(c: Cursor, env: ExecEnv): Promise<ResultSet> {
  const ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
  const target = c.relation();
  const path = pathOf(target);
  const colDefs = isPunct(c.peek(), '(') ? c.parenGroup() : undefined;
  const checks: Array<{ label: string; columns: string[] }> = [];
  let partitionItems: Token[][] = [];
  let select: Token[] | undefined;
  let storeAs: string | undefined;
  while (!c.done()) {
    if (c.accept('AS')) { select = c.rest(); break; }
    if (c.accept('WITH', 'SINGLE', 'WRITER') || c.accept('HASH') || c.accept('STRIPED') || c.accept('ROUNDROBIN')) continue;
    const clause = LAYOUT_CLAUSES.find((cl) => c.accept(...cl.words));
    if (!clause) throw c.unexpected('AS, PARTITION BY, LOCALSORT BY, DISTRIBUTE BY, STORE AS or WITH SINGLE WRITER');
    const group = c.parenGroup();
    if (clause.words[0] === 'STORE') storeAs = sqlOf(group);
    if (clause.words[0] === 'PARTITION') partitionItems = splitTopLevel(group);
    if (clause.label) checks.push({ label: clause.label, columns: splitTopLevel(group).map(layoutColumn) });
  }
  if (!select && !colDefs) throw parseError('CREATE TABLE needs a column list or AS <query>');
  const problem = env.catalog.checkCreate(path, 'TABLE');
  if (problem) throw validationError(problem);
  if (env.catalog.dataset(path)) {
    if (ifNotExists) return okResult(`Table [${displayPath(path)}] already exists.`);
    throw validationError(`A table or view with given name [${displayPath(path)}] already exists.`);
  }
  const query = select ? sqlOf(select) : undefined;
  let typed: Array<{ name: string; type: DremioType }> = [];
  if (colDefs) typed = splitTopLevel(colDefs).map((d) => ({ name: d[0]!.value, type: declaredType(d) }));
  else if (query) typed = (await env.query(`SELECT * FROM (${query}) AS q LIMIT 0`)).columns.map((col) => ({ name: col.name, type: dremioType(col.type) }));
  const columns = typed.map((t) => t.name);
  for (const chk of checks) {
    const missing = chk.columns.filter((col) => !columns.some((x) => x.toLowerCase() === col.toLowerCase()));
    if (missing.length > 0) throw validationError(`${chk.label} [${missing.join(', ')}] are not found in table.`);
  }
  for (const item of partitionItems) {
    if (!isPunct(item[1], '(')) continue;
    const inner = splitTopLevel(item.slice(2, -1));
    const col = layoutColumn(item);
    const args = inner.filter((a) => !(a.length === 1 && isIdent(a[0]) && a[0]!.value === col)).map((a) => sqlOf(a).trim());
    checkPartitionTransform(item[0]!.value, args, typed.find((t) => t.name.toLowerCase() === col.toLowerCase())!);
  }
  await ensureSchema(env, path);
  const name = toDuckSql(path);
  if (colDefs) {
    await env.run(`CREATE TABLE ${name} (${sqlOf(colDefs)})`);
    if (query) await env.run(`INSERT INTO ${name} SELECT * FROM (${query}) AS q`);
  } else {
    await env.run(`CREATE TABLE ${name} AS ${query!}`);
  }
  // CTAS writes the source's default CTAS format (Parquet in $scratch); CREATE TABLE (cols) is always Iceberg.
  env.catalog.setFormat(path, query ? ctasFormat(env.catalog.root(path)?.sourceType, storeAs) : 'ICEBERG');
  if (!query) return okResult(`Table [${displayPath(path)}] created.`);
  const n = Number((await env.query(`SELECT count(*) FROM ${name}`)).rows[0]![0]);
  return ctasResult(n, path.join('/'));
}

export async function createView(c: Cursor, env: ExecEnv, orReplace: boolean): Promise<ResultSet> {
  const ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
  const target = c.relation();
  const path = pathOf(target);
  c.expect('AS');
  const query = sqlOf(c.rest());
  const problem = env.catalog.checkCreate(path, 'VIEW');
  if (problem) throw validationError(problem);
  const existing = env.catalog.dataset(path);
  const where = displayPath(path.slice(0, -1));
  if (existing?.type === 'TABLE') throw validationError(`A non-view table with given name [${displayPath(path)}] already exists in schema [${where}]`);
  if (existing && !orReplace) {
    if (ifNotExists) return okResult(`View [${displayPath(path)}] already exists.`);
    throw validationError(`A view with given name [${displayPath(path)}] already exists in schema [${where}]`);
  }
  await ensureSchema(env, path);
  await env.run(`CREATE OR REPLACE VIEW ${toDuckSql(path)} AS ${query}`);
  if (existing) env.catalog.touch(path);
  return okResult(existing ? `View [${displayPath(path)}] replaced successfully` : `View [${displayPath(path)}] created successfully`);
}

export async function dropDataset(c: Cursor, env: ExecEnv, type: 'TABLE' | 'VIEW'): Promise<ResultSet> {
  const ifExists = c.accept('IF', 'EXISTS');
  const path = pathOf(c.relation());
  const shown = displayPath(path);
  const existing = env.catalog.dataset(path);
  if (!existing) {
    if (ifExists) return okResult(`${type === 'TABLE' ? 'Table' : 'View'} [${shown}] not found.`);
    throw validationError(type === 'TABLE' ? `Table [${shown}] not found` : `Unknown view [${shown}]`);
  }
  if (existing.type !== type) {
    throw validationError(`[${shown}] is a ${existing.type === 'VIEW' ? 'view' : 'table'}; use DROP ${existing.type}.`);
  }
  await env.run(`DROP ${type} ${toDuckSql(path)}`);
  return okResult(type === 'TABLE' ? `Table [${shown}] dropped` : `View [${shown}] deleted successfully`);
}

export async function createFolder(c: Cursor, env: ExecEnv): Promise<ResultSet> {
  const ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
  const t = c.peek();
  if (!t || !(t.type === 'relation' || isIdent(t))) throw c.unexpected('a folder path');
  c.pos++;
  const path = pathOf(t);
  const shown = displayPath(path);
  const root = env.catalog.root(path);
  if (path.length < 2 || !root) throw validationError(`Source or space [${displayPath(path.slice(0, 1))}] not found.`);
  // CreateFolderHandler -> BaseVersionHandler.getVersionedPlugin: CREATE FOLDER only in NESSIE / ARCTIC
  // sources; file-system sources, REST catalogs, $scratch and spaces are refused (folders there come
  // from the REST catalog API, or from writing a table in a file-system source).
  if (root.kind !== 'source' || !isVersionedType(root.sourceType)) throw notVersioned(root.path[0]!);
  if (env.catalog.container(path) || env.catalog.dataset(path)) {
    if (ifNotExists) return okResult(`Folder [${shown}] already exists.`);
    throw validationError(`Folder [${shown}] already exists.`);
  }
  const parent = path.slice(0, -1);
  if (!env.catalog.container(parent)) {
    throw validationError(`Parent [${displayPath(parent)}] of folder [${shown}] does not exist.`);
  }
  env.catalog.add('folder', path);
  return okResult(`Folder [${shown}] has been created.`);
}

const duckType = (t: DremioType): string => (t.name === 'DECIMAL' ? `DECIMAL(${t.precision}, ${t.scale})` : t.name === 'VARBINARY' ? 'BLOB' : t.name);

const DROP_ACTIONS = ['REFLECTION', 'PARTITION', 'PRIMARY', 'CLUSTERING', 'LOCALSORT', 'ROW'];

// ALTER actions that change metadata/layout only; the emulator accepts them as no-ops.
const NOOP_ALTER = ['REFRESH', 'FORGET', 'SET', 'UNSET', 'LOCALSORT', 'CLUSTER', 'CREATE', 'ADD', 'DROP', 'ENABLE', 'DISABLE', 'ROUTE'];

export async function alter(c: Cursor, env: ExecEnv, kind: string): Promise<ResultSet> {
  const path = pathOf(c.relation());
  const shown = displayPath(path);
  const ds = env.catalog.dataset(path);
  if (!ds) throw validationError(`Table [${shown}] not found`);
  const name = toDuckSql(path);
  if (kind === 'TABLE' && ds.type === 'TABLE') {
    // Column changes go through SqlHandlerUtil.validateSupportForDDLOperations: Iceberg tables only.
    const columnChange = (isWord(c.peek(), 'ADD') && isWord(c.peek(1), 'COLUMNS')) || (isWord(c.peek(), 'DROP', 'ALTER', 'MODIFY', 'CHANGE') && isWord(c.peek(1), 'COLUMN'))
      || (isWord(c.peek(), 'DROP') && isIdent(c.peek(1)) && !isWord(c.peek(1), ...DROP_ACTIONS));
    if (columnChange && env.catalog.formatOf(path) !== 'ICEBERG') throw notIceberg(shown);
    if (c.accept('ADD', 'COLUMNS')) {
      const defs = splitTopLevel(c.parenGroup());
      for (const d of defs) await env.run(`ALTER TABLE ${name} ADD COLUMN ${sqlOf(d)}`);
      env.catalog.touch(path);
      return okResult('New columns added.');
    }
    // alter.ftl: DROP [COLUMN] <name> (COLUMN is optional; REFLECTION, PARTITION FIELD ... are other actions).
    if (c.accept('DROP', 'COLUMN') || (isWord(c.peek(), 'DROP') && isIdent(c.peek(1)) && !isWord(c.peek(1), ...DROP_ACTIONS) && c.accept('DROP'))) {
      const col = c.peek();
      if (!isIdent(col)) throw c.unexpected('a column name');
      await env.run(`ALTER TABLE ${name} DROP COLUMN ${quoteIdent(col!.value)}`);
      env.catalog.touch(path);
      return okResult(`Column [${col!.value}] dropped.`);
    }
    // Dremio's grammar: { ALTER | MODIFY | CHANGE } [ COLUMN ] old new type.
    if (isWord(c.peek(), 'ALTER', 'MODIFY', 'CHANGE') && (isWord(c.peek(1), 'COLUMN') || isIdent(c.peek(1)))) {
      c.pos += isWord(c.peek(1), 'COLUMN') && isIdent(c.peek(2)) && isIdent(c.peek(3)) ? 2 : 1;
      const [from, to] = [c.peek(), c.peek(1)];
      if (!isIdent(from) || !isIdent(to)) throw c.unexpected('old and new column names');
      c.pos += 2;
      const typeText = sqlOf(c.rest()).replace(/\s+(NOT\s+)?NULL\s*$/i, '');
      const current = (await env.query(`SELECT * FROM ${name} LIMIT 0`)).columns.map((col) => ({ name: col.name, type: dremioType(col.type) }));
      const newType = sqlType(typeText);
      const column = checkColumnChange(shown, current, from!.value, to!.value, newType);
      await env.run(`ALTER TABLE ${name} ALTER COLUMN ${quoteIdent(column)} TYPE ${duckType(newType)}`);
      if (column !== to!.value) await env.run(`ALTER TABLE ${name} RENAME COLUMN ${quoteIdent(column)} TO ${quoteIdent(to!.value)}`);
      env.catalog.touch(path);
      return okResult(`Column [${from!.value}] modified`);
    }
  }
  if (!isWord(c.peek(), ...NOOP_ALTER)) throw c.unexpected('an ALTER action');
  return okResult(`Emulator: ALTER ${kind} ${shown} ${sqlOf(c.rest())} accepted as a no-op.`);
}
