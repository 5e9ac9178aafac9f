// Dremio over its REST API: every statement is a job (submit, poll, results); containers are made
// through the catalog API; nothing runs locally. One keep-alive Agent per run, sized to threads.
import type { Adapter, Column, ExecOptions, ExecResult, ReflectionRequest, Relation, RelationKind, Target } from '../adapter.js';
import { DremioAuth } from './dremio-auth.js';
import { pinViewToBranch } from './dremio-branch.js';
import { DremioCatalog } from './dremio-catalog.js';
import { DremioClient } from './dremio-client.js';
import { dremioDialect } from './dremio-dialect.js';
import { DremioError, isTransientNetworkError } from './dremio-errors.js';
import { DremioJobs } from './dremio-jobs.js';
import { folderList, relationPath } from './dremio-names.js';
import { endpointFor } from './dremio-paths.js';
import { DremioReflections } from './dremio-reflections.js';

export class DremioAdapter implements Adapter {
  readonly type = 'dremio';
  readonly dialect = dremioDialect;
  readonly capabilities = { transactionalDdl: false, createsSchemas: true };
  readonly client: DremioClient;
  readonly jobs: DremioJobs;
  readonly catalogApi: DremioCatalog;
  readonly reflections: DremioReflections;
  private readonly auth: DremioAuth;

  constructor(private readonly target: Target) {
    this.client = new DremioClient(endpointFor(target), target);
    this.auth = new DremioAuth(this.client, target);
    this.client.auth = this.auth;
    this.jobs = new DremioJobs(this.client);
    // Status polling: exponential from poll_initial_ms (50) by poll_factor (1.5) up to poll_max_ms (1000).
    this.jobs.poll = {
      initialMs: Number(target.poll_initial_ms ?? 50),
      factor: Number(target.poll_factor ?? 1.5),
      maxMs: Number(target.poll_max_ms ?? 1000),
    };
    this.catalogApi = new DremioCatalog(this.client, (sql) => this.execute(sql));
    this.reflections = new DremioReflections(this.client, this.catalogApi);
  }

  /** Target `branch:` on a versioned catalog: sent as the REST `references` of every statement. */
  private get references(): Record<string, { type: string; value: string }> | undefined {
    const branch = this.target.branch as string | undefined;
    const source = (this.target.catalog ?? this.target.object_storage_source) as string | undefined;
    return branch && source ? { [source]: { type: 'BRANCH', value: branch } } : undefined;
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
    const branch = this.target.branch as string | undefined;
    const catalog = this.target.catalog as string | undefined;
    for (const stmt of statements) {
      const s = branch && catalog ? pinViewToBranch(stmt, catalog, branch) : stmt;
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

  getRelationKind(rel: Relation): Promise<RelationKind | null> {
    return this.catalogApi.kind(relationPath(rel));
  }

  /** The table's columns as a LIMIT 0 job reports them: the same type names describeQuery gives. */
  getColumns(rel: Relation): Promise<Column[]> {
    return this.describeQuery(`SELECT * FROM ${this.dialect.renderRelation(rel)}`);
  }

  async describeQuery(sql: string, opts: ExecOptions = {}): Promise<Column[]> {
    const r = await this.execute(this.dialect.describeQuery(sql), { ...opts, fetch: true });
    return r.columns ?? [];
  }

  ensureSchema(rel: Relation): Promise<void> {
    return this.catalogApi.ensure([...(rel.database ? [rel.database] : []), ...folderList(rel.schema)]);
  }

  upsertReflection(spec: ReflectionRequest, opts: ExecOptions = {}) {
    return this.reflections.upsert({ ...spec, dataset: relationPath(spec.dataset) }, opts.signal);
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
        detail: e ? `exists (${e.entityType}${e.type ? ` ${e.type}` : ''})` : creatable ? 'missing; cairn creates it on the first run' : 'not found in Dremio: add the source or fix the name in profiles.yml',
      });
    }
    return { version, checks };
  }
}
