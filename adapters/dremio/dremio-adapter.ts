// Dremio over its REST API: every statement is a job (submit, poll, results); containers are made
// through the catalog API; nothing runs locally. One keep-alive Agent per run, sized to threads.
import type { Adapter, AdapterCapabilities, Column, ExecOptions, ExecResult, PreflightNode, ReflectionRequest, Relation, RelationKind, Target } from '../adapter.js';
import { DremioAuth } from './dremio-auth.js';
import { createBranchSql, dropBranchSql, mergeBranchSql, pinViewToBranch, viewKey } from './dremio-branch.js';
import { DremioCatalog, VERSIONED_SOURCES } from './dremio-catalog.js';
import { DremioClient } from './dremio-client.js';
import { dremioDialect } from './dremio-dialect.js';
import { DremioError, isTransientNetworkError } from './dremio-errors.js';
import { DremioJobs } from './dremio-jobs.js';
import { folderList, ignoredTableConfigs, relationPath } from './dremio-names.js';
import { endpointFor } from './dremio-paths.js';
import { requireIcebergTable, requireIcebergTargets, requireVersionedCatalog } from './dremio-preflight.js';
import { DremioReflections, type ReflectionSpec } from './dremio-reflections.js';
import { snapshotVersions } from './dremio-versions.js';
import { copyBackRange, RebuildJournal, renderedTmp } from './dremio-rebuild.js';
import { recoverRebuilds, runCopyBack } from './dremio-rebuild-run.js';
import { join } from 'node:path';
import { type MeasureField, reflectionMeasureFields } from './dremio-reflection-measures.js';

export class DremioAdapter implements Adapter {
  readonly type = 'dremio';
  readonly dialect = dremioDialect;
  readonly capabilities: AdapterCapabilities;
  readonly client: DremioClient;
  readonly jobs: DremioJobs;
  readonly catalogApi: DremioCatalog;
  readonly reflections: DremioReflections;
  private readonly auth: DremioAuth;
  /** Write-audit-publish: the run branch every statement uses instead of the target's `branch:`. */
  private runBranch: string | undefined;
  /** Views created on the run branch (unpinned SQL, by view path), re-created on the base after a merge. */
  private readonly branchViews = new Map<string, string>();
  /** Reflections of a --wap run: made after the merge, on the published tables. */
  private readonly deferredReflections: ReflectionSpec[] = [];

  /** Table rebuilds between DROP and the end of the copy back (see dremio-rebuild.ts). */
  readonly journal: RebuildJournal | undefined;

  constructor(private readonly target: Target, ctx: { projectDir?: string } = {}) {
    this.journal = ctx.projectDir ? new RebuildJournal(join(ctx.projectDir, 'target', 'dremio-interrupted-rebuilds.json')) : undefined;
    // Branches live in a versioned catalog: targets with `catalog:` (Nessie / Arctic).
    this.capabilities = { transactionalDdl: false, createsSchemas: true, branches: Boolean(target.catalog) };
    this.client = new DremioClient(endpointFor(target), target);
    this.auth = new DremioAuth(this.client, target);
    this.client.auth = this.auth;
    this.jobs = new DremioJobs(this.client);
    this.jobs.cloud = this.client.ep.cloud;
    // Status polling: exponential from poll_initial_ms (20) by poll_factor (1.2) up to poll_max_ms (1000).
    // Measured against 200 ms jobs (bench/dremio-overhead.ts): 50 ms x1.5 finished 23% late on
    // average; 20 ms x1.2 costs three more polls but lands within 5%, with HTTP work at ~5%.
    this.jobs.poll = {
      initialMs: Number(target.poll_initial_ms ?? 20),
      factor: Number(target.poll_factor ?? 1.2),
      maxMs: Number(target.poll_max_ms ?? 1000),
    };
    this.catalogApi = new DremioCatalog(this.client, (sql) => this.execute(sql), (path) => this.branchOf(path));
    this.reflections = new DremioReflections(this.client, this.catalogApi);
  }

  /** Target `branch:` on a versioned catalog: sent as the REST `references` of every statement. */
  private get references(): Record<string, { type: string; value: string }> | undefined {
    const branch = this.branch;
    const source = this.versionedSource;
    return branch && source ? { [source]: { type: 'BRANCH', value: branch } } : undefined;
  }

  private get versionedSource(): string | undefined {
    return (this.target.catalog ?? this.target.object_storage_source) as string | undefined;
  }

  /** The branch a catalog lookup of `path` must name: the statements' branch, for paths in the versioned source. */
  private branchOf(path: readonly string[]): string | undefined {
    const branch = this.branch;
    const source = this.versionedSource;
    return branch && source && path[0]?.toLowerCase() === source.toLowerCase() ? branch : undefined;
  }

  /** The branch statements use now: the run branch during --wap, else the target's `branch:`. */
  private get branch(): string | undefined {
    return this.runBranch ?? (this.target.branch as string | undefined);
  }

  baseBranch(): string {
    return String(this.target.branch ?? 'main');
  }

  useBranch(name: string | undefined): void {
    this.runBranch = name;
  }

  async createBranch(name: string, from: string): Promise<void> {
    await this.branchDdl(createBranchSql(this.catalogName(), name, from));
  }

  /** MERGE, then re-create the run's views on `into`: they were pinned AT BRANCH <run>, which is about to go. */
  async mergeBranch(name: string, into: string): Promise<void> {
    await this.branchDdl(mergeBranchSql(this.catalogName(), name, into));
    const views = [...this.branchViews.values()];
    this.branchViews.clear();
    const saved = this.runBranch;
    this.runBranch = into === this.baseBranch() ? undefined : into;
    try {
      for (const v of views) await this.executeAll([v]);
    } finally {
      this.runBranch = saved;
    }
  }

  async dropBranch(name: string): Promise<void> {
    await this.branchDdl(dropBranchSql(this.catalogName(), name));
  }

  private catalogName(): string {
    if (!this.target.catalog) throw new DremioError('CONFIG_INVALID', 'branches need a versioned catalog: set `catalog:` on the Dremio target', false);
    return String(this.target.catalog);
  }

  private branchDdl(sql: string): Promise<ExecResult> {
    const timeout = Number(this.target.query_timeout ?? 0);
    return this.jobs.run(sql, { timeoutSec: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined });
  }

  async open(): Promise<void> {
    // Fail fast on bad credentials (a PAT is checked by the first call).
    if (this.auth.method === 'password') await this.auth.login();
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  execute(sql: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const timeout = Number(this.target.query_timeout ?? 0);
    return this.jobs.run(sql, { fetch: opts.fetch, signal: opts.signal, timeoutSec: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined, references: this.references });
  }

  async executeAll(statements: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    let last: ExecResult = {};
    let affected: number | undefined;
    let jobId: string | undefined;
    const branch = this.branch;
    const catalog = this.target.catalog as string | undefined;
    const copyBack = copyBackRange(statements);
    for (let i = 0; i < statements.length; i++) {
      const stmt = statements[i]!;
      const s = branch && catalog ? pinViewToBranch(stmt, catalog, branch) : stmt;
      const view = this.runBranch ? viewKey(stmt) : undefined;
      if (view) { this.branchViews.delete(view); this.branchViews.set(view, stmt); }
      if (copyBack && i === copyBack.drop) {
        // DROP + copy back (and the tmp cleanup after it) run to their end whatever happens.
        last = await runCopyBack(this, statements.slice(i), { ...copyBack, tmp: renderedTmp(copyBack.target), node: opts.nodeId, signal: opts.signal });
        affected = last.rowsAffected;
        jobId = last.jobId;
        break;
      }
      last = await this.execute(s, opts);
      // Report what reached the target: scratch-table CTAS/drops do not count.
      const head = s.trimStart().slice(0, 400);
      if (/^(insert|merge|create\s+table|copy|delete|update)/i.test(head) && !/^(create\s+table|drop\s+table)[^(\n]*__cairn_tmp/i.test(head)) {
        if (/^delete/i.test(head)) continue;
        affected = last.rowsAffected;
        jobId = last.jobId;
      }
    }
    return { ...last, rowsAffected: affected ?? last.rowsAffected, jobId: jobId ?? last.jobId };
  }

  /** Each table's current Iceberg snapshot id (dremio-versions.ts); null for views and missing tables. */
  dataVersions(rels: readonly Relation[]): Promise<Array<string | null>> {
    return snapshotVersions(rels, (r) => this.dialect.renderRelation(r), (sql) => this.execute(sql, { fetch: true }), (e) => this.classifyError(e) === 'transient');
  }

  /** A statement no timeout or signal may cancel (the copy back of a table rebuild). */
  executeProtected(sql: string): Promise<ExecResult> {
    return this.jobs.run(sql, { references: this.references, uncancellable: true });
  }

  tableSwap(rel: Relation): { catalog: string; branch: string } | undefined {
    const catalog = this.target.catalog as string | undefined;
    if (!catalog || rel.database?.toLowerCase() !== catalog.toLowerCase()) return undefined;
    // Only a versioned catalog has branches (preflight looked its type up; an Iceberg REST catalog has none).
    const type = this.catalogApi.knownRootType(catalog);
    if (type !== undefined && !VERSIONED_SOURCES.has(type)) return undefined;
    return { catalog, branch: this.runBranch ?? this.baseBranch() };
  }

  recoverInterrupted(): Promise<string[]> {
    return this.journal ? recoverRebuilds(this, this.journal) : Promise.resolve([]);
  }

  getRelationKind(rel: Relation): Promise<RelationKind | null> {
    return this.catalogApi.kind(relationPath(rel));
  }

  /** The table's columns as a LIMIT 0 job reports them: the same type names describeQuery gives. */
  getColumns(rel: Relation): Promise<Column[]> {
    return this.describeQuery(`SELECT * FROM ${this.dialect.renderRelation(rel)}`);
  }

  /**
   * From INFORMATION_SCHEMA."TABLES", whose TABLE_SCHEMA is the container path joined by dots (as
   * dbt-dremio's list_relations_without_caching reads it).
   */
  async listRelations(container: { database?: string; schema: string }): Promise<Array<{ relation: Relation; kind: RelationKind }>> {
    const path = [...(container.database ? [container.database] : []), ...folderList(container.schema)];
    const r = await this.execute(
      `SELECT TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA."TABLES" WHERE TABLE_SCHEMA = ${this.dialect.quoteString(path.join('.'))} ORDER BY TABLE_NAME`,
      { fetch: true },
    );
    return (r.rows ?? []).map((row) => ({
      relation: { database: container.database, schema: container.schema, identifier: String(row.TABLE_NAME) },
      kind: row.TABLE_TYPE === 'VIEW' ? 'view' : 'table',
    }));
  }

  async describeQuery(sql: string, opts: ExecOptions = {}): Promise<Column[]> {
    const r = await this.execute(this.dialect.describeQuery(sql), { ...opts, fetch: true });
    return r.columns ?? [];
  }

  ensureSchema(rel: Relation): Promise<void> {
    return this.catalogApi.ensure([...(rel.database ? [rel.database] : []), ...folderList(rel.schema)]);
  }

  async upsertReflection(spec: ReflectionRequest, opts: ExecOptions = {}) {
    // Measures by the anchor's real column types, checked before anything is sent.
    let measureFields: MeasureField[] | undefined;
    if (spec.type === 'AGGREGATION' && spec.measures?.length) {
      let columns: Column[] | undefined;
      try {
        columns = await this.getColumns(spec.dataset);
      } catch (e) {
        // A missing anchor gets the catalog lookup's clearer error below.
        if ((await this.getRelationKind(spec.dataset)) !== null) throw e;
      }
      if (columns) measureFields = reflectionMeasureFields({ model: spec.name, measures: spec.measures, computations: spec.computations, columns, complete: true });
    }
    const s: ReflectionSpec = { ...spec, dataset: relationPath(spec.dataset), ...(measureFields ? { measureFields } : {}) };
    if (!this.runBranch) return this.reflections.upsert(s, opts.signal);
    // --wap: the dataset is on the run branch, which the merge is about to publish and drop. Check it
    // exists there now; make the reflection after the merge, on the published table.
    const ds = await this.catalogApi.lookup(s.dataset, opts.signal);
    if (!ds || ds.entityType !== 'dataset') {
      throw new DremioError('SQL_ERROR', `reflection ${s.name}: dataset ${s.dataset.join('.')} does not exist on branch ${this.runBranch}`, false, { hint: 'build the model the reflection is on first' });
    }
    this.deferredReflections.push(s);
    return { id: '', created: false, deferred: `made on ${this.baseBranch()} after the merge (write-audit-publish)` };
  }

  async publishDeferred(): Promise<Array<{ name: string; message: string; ok: boolean }>> {
    const out: Array<{ name: string; message: string; ok: boolean }> = [];
    for (const s of this.deferredReflections.splice(0)) {
      const name = `reflection ${s.name}`;
      try {
        const r = await this.reflections.upsert(s);
        out.push({ name, ok: true, message: `${r.created ? 'created' : 'updated'} ${r.id} on ${s.dataset.join('.')}` });
      } catch (e) {
        out.push({ name, ok: false, message: String((e as Error)?.message ?? e) });
      }
    }
    return out;
  }

  async preflight(nodes: readonly PreflightNode[], opts: { wap: boolean }): Promise<void> {
    if (opts.wap) await requireVersionedCatalog(this.catalogApi, this.target);
    // Learn the catalog's type once: table rebuilds use a branch only where there are branches.
    else if (this.target.catalog) await this.catalogApi.root(String(this.target.catalog));
    await requireIcebergTargets(this.catalogApi, nodes);
    const ignored = ignoredTableConfigs(nodes);
    if (ignored) this.client.notice(ignored);
  }

  checkIncrementalTarget(rel: Relation, node: { name: string; file: string }): Promise<void> {
    return requireIcebergTable(this.catalogApi, relationPath(rel), node);
  }

  async cancelAll(): Promise<void> {
    await this.jobs.cancelAll();
  }

  classifyError(err: unknown): 'transient' | 'permanent' {
    if (err instanceof DremioError) return err.transient ? 'transient' : 'permanent';
    if (isTransientNetworkError(err)) return 'transient';
    return /\b(429|502|503|504)\b|busy|timed? ?out/i.test(String((err as Error)?.message ?? err)) ? 'transient' : 'permanent';
  }

  async debug() {
    const checks: Array<{ name: string; ok: boolean; detail?: string }> = [];
    checks.push({ name: 'login', ok: true, detail: `${this.auth.method === 'pat' ? 'personal access token' : `user ${String(this.target.user)}`} at ${this.client.ep.origin}${this.client.ep.prefix}` });
    const r = await this.execute('SELECT version FROM sys.version', { fetch: true });
    const version = `Dremio ${String(r.rows?.[0]?.version ?? 'unknown')}`;
    const roots: Array<[string, unknown]> = [
      ['catalog', this.target.catalog],
      ['object_storage_source', this.target.object_storage_source ?? this.target.datalake],
      ['dremio_space', this.target.dremio_space],
    ];
    for (const [key, value] of roots) {
      if (!value) continue;
      const e = await this.catalogApi.lookup([String(value)]);
      const creatable = key === 'dremio_space';
      checks.push({
        name: `${key} ${String(value)}`,
        ok: e !== null || creatable,
        detail: e ? `exists (${e.entityType}${e.type ? ` ${e.type}` : ''})${sourceNote(key, e.type)}` : creatable ? 'missing; cairn creates it on the first run' : 'not found in Dremio: add the source or fix the name in profiles.yml',
      });
    }
    return { version, checks };
  }
}

/** What a source's type means for cairn, for `cairn debug` (docs/dremio.md has the whole table). */
function sourceNote(key: string, type: string | undefined): string {
  const t = String(type ?? '').toUpperCase();
  if (t === 'INTERNAL') return ': CTAS writes Parquet here, so incremental models and snapshots need an Iceberg-capable source';
  if (key === 'catalog' && t && !VERSIONED_SOURCES.has(t)) return ': not versioned, so no `branch:` and no --wap';
  return '';
}
