// The embedded engine: one DuckDB instance per run, one connection per concurrent statement.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { CairnError } from '../../core/errors.js';
import type { Adapter, CatalogTable, Column, CopyIntoPlan, ExecOptions, ExecResult, Relation, RelationKind, Target } from '../adapter.js';
import { duckdbCopyInto } from './duckdb-copy-into.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { importModule } from '../../core/util/import-module.js';

export function duckdbPath(target: Target, projectDir: string): string {
  const p = String(target.path ?? ':memory:');
  if (p === ':memory:' || p.startsWith('md:')) return p;
  return isAbsolute(p) ? p : resolve(projectDir, p);
}

export class DuckDBAdapter implements Adapter {
  readonly type = 'duckdb';
  readonly dialect = duckdbDialect;
  readonly capabilities = { transactionalDdl: true, createsSchemas: true };
  private instance?: DuckDBInstance;
  private idle: DuckDBConnection[] = [];
  private busy = new Set<DuckDBConnection>();
  private schemas = new Map<string, Promise<void>>();

  constructor(private readonly target: Target, private readonly projectDir: string) {}

  relationsMayExist(): boolean {
    const path = duckdbPath(this.target, this.projectDir);
    if (path === ':memory:') return false;
    return path.startsWith('md:') || existsSync(path);
  }

  async open(): Promise<void> {
    if (this.instance) return;
    const path = duckdbPath(this.target, this.projectDir);
    if (path !== ':memory:' && !path.startsWith('md:')) mkdirSync(dirname(path), { recursive: true });
    try {
      // Loaded on first use: commands that never touch the engine (ls, compile) skip the native module.
      const { DuckDBInstance } = await importModule<typeof import('@duckdb/node-api')>('@duckdb/node-api');
      this.instance = await DuckDBInstance.create(path);
    } catch (e) {
      const msg = (e as Error).message;
      throw new CairnError('CONNECTION', `cannot open DuckDB database ${path}: ${msg.split('\n')[0]}`, {
        hint: /lock/i.test(msg) ? 'another process holds the database file; wait for it to finish or close it' : 'check the `path` of the target in profiles.yml',
      });
    }
    // Relative paths in read_csv()/read_parquet() mean the project folder, wherever cairn runs from.
    await this.execute(`set global file_search_path = ${q(this.projectDir)}`);
    for (const ext of (this.target.extensions as string[] | undefined) ?? []) await this.execute(`load ${ext}`);
  }

  async close(): Promise<void> {
    for (const c of [...this.idle, ...this.busy]) c.closeSync();
    this.idle = [];
    this.busy.clear();
    this.instance?.closeSync();
    this.instance = undefined;
  }

  private async acquire(): Promise<DuckDBConnection> {
    if (!this.instance) await this.open();
    const c = this.idle.pop() ?? (await this.instance!.connect());
    this.busy.add(c);
    return c;
  }

  private release(c: DuckDBConnection): void {
    this.busy.delete(c);
    this.idle.push(c);
  }

  private async run(c: DuckDBConnection, sql: string, opts: ExecOptions): Promise<ExecResult> {
    if (opts.signal?.aborted) throw new Error('INTERRUPT Error: Interrupted! (the run was stopped before this statement started)');
    const onAbort = () => c.interrupt();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const reader = await c.runAndReadAll(sql);
      if (opts.fetch) {
        return {
          rows: reader.getRowObjectsJS() as Record<string, unknown>[],
          columns: reader.columnNames().map((name, i) => ({ name, type: reader.columnTypes()[i]!.toString() })),
          rowsAffected: reader.currentRowCount,
        };
      }
      // DuckDB answers DDL/DML with one `Count` row (CTAS reports 0 in rowsChanged).
      const names = reader.columnNames();
      if (names.length === 1 && names[0] === 'Count' && reader.currentRowCount === 1) {
        return { rowsAffected: Number(reader.getRowObjectsJS()[0]!.Count) };
      }
      return { rowsAffected: reader.rowsChanged };
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  async execute(sql: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const c = await this.acquire();
    try {
      return await this.run(c, sql, opts);
    } finally {
      this.release(c);
    }
  }

  async executeAll(statements: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const c = await this.acquire();
    let inTx = false;
    let last: ExecResult = {};
    let affected = 0;
    try {
      for (const s of statements) {
        const head = s.trim().toLowerCase();
        if (head.startsWith('begin')) inTx = true;
        last = await this.run(c, s, opts);
        if (head.startsWith('commit') || head.startsWith('rollback')) inTx = false;
        // Report what reached the target: the scratch table's CTAS does not count.
        if (/^(insert|merge|update|create)/.test(head) && last.rowsAffected !== undefined && !/^create[^(]*__cairn_tmp/.test(head)) affected = last.rowsAffected;
      }
      return { ...last, rowsAffected: affected };
    } catch (e) {
      if (inTx) await c.run('rollback').catch(() => undefined);
      throw e;
    } finally {
      this.release(c);
    }
  }

  async getRelationKind(rel: Relation): Promise<RelationKind | null> {
    const r = await this.execute(
      `select table_type from information_schema.tables where table_schema = ${q(rel.schema)} and table_name = ${q(rel.identifier)}` +
        (rel.database ? ` and table_catalog = ${q(rel.database)}` : ' and table_catalog = current_database()'),
      { fetch: true },
    );
    const t = r.rows?.[0]?.table_type as string | undefined;
    if (!t) return null;
    return t === 'VIEW' ? 'view' : 'table';
  }

  async getRelationKinds(rels: readonly Relation[]): Promise<Array<RelationKind | null>> {
    if (rels.length === 0) return [];
    const schemas = [...new Set(rels.map((r) => r.schema))];
    const r = await this.execute(
      `select table_catalog, current_database() as cur, table_schema, table_name, table_type from information_schema.tables where table_schema in (${schemas.map(q).join(', ')})`,
      { fetch: true },
    );
    const kinds = new Map<string, RelationKind>();
    for (const row of r.rows ?? []) {
      const kind: RelationKind = row.table_type === 'VIEW' ? 'view' : 'table';
      kinds.set(`${row.table_catalog}\u0000${row.table_schema}\u0000${row.table_name}`, kind);
      if (row.table_catalog === row.cur) kinds.set(`\u0000${row.table_schema}\u0000${row.table_name}`, kind);
    }
    return rels.map((rel) => kinds.get(`${rel.database ?? ''}\u0000${rel.schema}\u0000${rel.identifier}`) ?? null);
  }

  async getColumns(rel: Relation): Promise<Column[]> {
    const r = await this.execute(
      `select column_name, data_type from information_schema.columns where table_schema = ${q(rel.schema)} and table_name = ${q(rel.identifier)}` +
        (rel.database ? ` and table_catalog = ${q(rel.database)}` : ' and table_catalog = current_database()') +
        ' order by ordinal_position',
      { fetch: true },
    );
    return (r.rows ?? []).map((row) => ({ name: String(row.column_name), type: String(row.data_type) }));
  }

  async listRelations(container: { database?: string; schema: string }): Promise<Array<{ relation: Relation; kind: RelationKind }>> {
    const r = await this.execute(
      `select table_catalog, table_name, table_type from information_schema.tables where table_schema = ${q(container.schema)}` +
        (container.database ? ` and table_catalog = ${q(container.database)}` : ' and table_catalog = current_database()') +
        ' order by table_name',
      { fetch: true },
    );
    return (r.rows ?? []).map((row) => ({
      relation: { database: container.database, schema: container.schema, identifier: String(row.table_name) },
      kind: row.table_type === 'VIEW' ? 'view' : 'table',
    }));
  }

  async catalog(relations: readonly Relation[]): Promise<CatalogTable[]> {
    // Two queries for the whole project rather than two per relation: docs generate on 10k models.
    const schemas = [...new Set(relations.map((r) => r.schema))];
    if (!schemas.length) return [];
    const inSchemas = `table_schema in (${schemas.map(q).join(', ')})`;
    const tables = await this.execute(
      `select table_catalog, table_schema, table_name, table_type, table_comment from information_schema.tables where ${inSchemas}`,
      { fetch: true },
    );
    const cols = await this.execute(
      `select table_catalog, table_schema, table_name, column_name, data_type from information_schema.columns where ${inSchemas} order by table_catalog, table_schema, table_name, ordinal_position`,
      { fetch: true },
    );
    const current = String((await this.execute('select current_database() as d', { fetch: true })).rows?.[0]?.d ?? '');
    const key = (db: string, schema: string, name: string) => `${db.toLowerCase()}\u0000${schema.toLowerCase()}\u0000${name.toLowerCase()}`;
    const colsBy = new Map<string, Column[]>();
    for (const r of cols.rows ?? []) {
      const k = key(String(r.table_catalog), String(r.table_schema), String(r.table_name));
      if (!colsBy.has(k)) colsBy.set(k, []);
      colsBy.get(k)!.push({ name: String(r.column_name), type: String(r.data_type) });
    }
    const found = new Map<string, Record<string, unknown>>();
    for (const r of tables.rows ?? []) found.set(key(String(r.table_catalog), String(r.table_schema), String(r.table_name)), r);
    const out: CatalogTable[] = [];
    for (const rel of relations) {
      const k = key(rel.database ?? current, rel.schema, rel.identifier);
      const t = found.get(k);
      if (!t) continue;
      out.push({
        relation: { database: String(t.table_catalog), schema: String(t.table_schema), identifier: String(t.table_name) },
        type: String(t.table_type),
        columns: colsBy.get(k) ?? [],
        comment: (t.table_comment as string | null | undefined) ?? null,
      });
    }
    return out;
  }

  async describeQuery(sql: string, opts: ExecOptions = {}): Promise<Column[]> {
    const r = await this.execute(this.dialect.describeQuery(sql), { ...opts, fetch: true });
    return r.columns ?? [];
  }

  ensureSchema(rel: Relation): Promise<void> {
    // One CREATE SCHEMA per schema and run: concurrent ones would conflict in DuckDB's catalog.
    const key = `${rel.database ?? ''}.${rel.schema}`;
    let p = this.schemas.get(key);
    if (!p) {
      p = this.executeAll(this.dialect.createSchema(rel)).then(() => undefined);
      this.schemas.set(key, p);
      p.catch(() => this.schemas.delete(key));
    }
    return p;
  }

  copyIntoStatements(plan: CopyIntoPlan, ctx: { node: string }): Promise<string[]> {
    return duckdbCopyInto(this, plan, this.target, this.projectDir, ctx.node);
  }

  async cancelAll(): Promise<void> {
    for (const c of this.busy) c.interrupt();
  }

  classifyError(err: unknown): 'transient' | 'permanent' {
    const m = String((err as Error)?.message ?? err);
    // Transient: write-write conflicts, a file lock held by another process, busy/timeouts, network
    // hiccups of remote storage (httpfs/MotherDuck: reset, refused, 429/5xx). Everything else
    // (syntax, missing object, permission, type errors) fails the same way every time.
    if (/\b(syntax|parser|catalog|binder) error\b|does not exist|permission denied/i.test(m)) return 'permanent';
    return /conflict|could not set lock|resource (temporarily unavailable|busy)|timed? ?out|connection (reset|refused)|ECONNRESET|ECONNREFUSED|\b(429|502|503|504)\b/i.test(m) ? 'transient' : 'permanent';
  }

  async debug() {
    const r = await this.execute('select version() as v', { fetch: true });
    const path = duckdbPath(this.target, this.projectDir);
    return { version: `DuckDB ${String(r.rows?.[0]?.v)}`, checks: [{ name: 'database', ok: true, detail: path }] };
  }
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
