// `cairn source freshness`: for each selected source table with `freshness` and `loaded_at_field`,
// how old is its newest row? PASS / WARN / ERROR per table (dbt's rules) and target/sources.json.
import { join } from 'node:path';
import { targetDir, writeFileAtomic } from '../artifacts/paths.js';
import { CairnError } from '../errors.js';
import { CAIRN_VERSION } from '../version.js';
import type { CommonOptions } from './options.js';
import { loadAndParse, select } from './project.js';

export interface FreshnessResult {
  uniqueId: string;
  source: string;
  table: string;
  status: 'pass' | 'warn' | 'error' | 'runtime error';
  maxLoadedAt: string | null;
  snapshottedAt: string | null;
  ageSeconds: number | null;
  criteria: Record<string, unknown>;
  message?: string;
  /** When the query started and ended (ISO, UTC), for sources.json's timing. */
  startedAt?: string;
  completedAt?: string;
}

const PERIOD: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };

function limitSeconds(v: unknown): number | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const { count, period } = v as { count?: unknown; period?: unknown };
  if (count === undefined || count === null) return undefined;
  const unit = PERIOD[String(period ?? '')];
  if (!unit) throw new CairnError('CONFIG_INVALID', `freshness period must be minute, hour or day, got \`${String(period)}\``);
  return Number(count) * unit;
}

/** Naive timestamps are UTC, as dbt assumes. */
const parseUtc = (s: string) => Date.parse(/[zZ]|[+-]\d\d(:?\d\d)?$/.test(s) ? s.replace(' ', 'T') : s.replace(' ', 'T') + 'Z');

/** `2024-01-03 10:00:00` (UTC, as the engine gives it) → `2024-01-03T10:00:00.000Z`, dbt's aware datetimes. */
const isoUtc = (s: string) => new Date(parseUtc(s)).toISOString();

/** dbt's time spec has `count` and `period` only: `{}` stands for "not set". */
const timeSpec = (v: unknown) => {
  const t = (v && typeof v === 'object' ? v : {}) as { count?: unknown; period?: unknown };
  return { count: t.count === undefined ? null : (t.count as number | null), period: t.period === undefined ? null : (t.period as string | null) };
};

/** sources.json as dbt's v3 schema has it: a full output per checked table, a short entry per runtime error. */
function sourcesArtifact(results: FreshnessResult[], invocationId: string, elapsed: number) {
  return {
    metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/sources/v3.json', dbt_version: `cairn-${CAIRN_VERSION}`, generated_at: new Date().toISOString(), invocation_id: invocationId, env: {} },
    results: results.map((r) => {
      if (r.status === 'runtime error' || r.maxLoadedAt === null || r.snapshottedAt === null) {
        return { unique_id: r.uniqueId, status: 'runtime error', error: r.message ?? `no rows: ${r.source}.${r.table} has no ${'`loaded_at_field`'} value` };
      }
      const c = r.criteria as { warn_after?: unknown; error_after?: unknown; filter?: string | null };
      return {
        unique_id: r.uniqueId, max_loaded_at: isoUtc(r.maxLoadedAt), snapshotted_at: isoUtc(r.snapshottedAt), max_loaded_at_time_ago_in_s: r.ageSeconds ?? 0,
        status: r.status, criteria: { warn_after: timeSpec(c.warn_after), error_after: timeSpec(c.error_after), filter: c.filter ?? null },
        adapter_response: {}, timing: r.startedAt ? [{ name: 'execute', started_at: r.startedAt, completed_at: r.completedAt }] : [], thread_id: 'Thread-1',
        execution_time: r.startedAt && r.completedAt ? (Date.parse(r.completedAt) - Date.parse(r.startedAt)) / 1000 : 0,
      };
    }),
    elapsed_time: elapsed,
  };
}

export async function sourceFreshness(o: CommonOptions): Promise<{ results: FreshnessResult[]; success: boolean }> {
  const t0 = Date.now();
  const p = loadAndParse(o);
  const selected = select(p, o, ['source']);
  const adapter = o.adapters.connect(p.ctx.target, { projectDir: p.ctx.projectDir });
  const results: FreshnessResult[] = [];
  const d = p.ctx.dialect;
  await adapter.open();
  try {
    for (const id of selected) {
      const n = p.nodes.get(id)!;
      const fresh = n.extra?.freshness as Record<string, unknown> | null | undefined;
      const field = n.extra?.loadedAtField as string | undefined;
      if (!fresh || !field || (fresh.warn_after === undefined && fresh.error_after === undefined)) continue;
      const warnS = limitSeconds(fresh.warn_after);
      const errorS = limitSeconds(fresh.error_after);
      const base = { uniqueId: id, source: String(n.extra?.sourceName), table: n.name, criteria: { warn_after: fresh.warn_after ?? {}, error_after: fresh.error_after ?? {}, filter: fresh.filter ?? null } };
      if (!d.freshnessQuery) throw new CairnError('CONFIG_INVALID', `source freshness is not supported on ${d.name} yet`);
      const startedAt = new Date().toISOString();
      try {
        const r = await adapter.execute(d.freshnessQuery(n.relation!, field, fresh.filter as string | undefined), { fetch: true, nodeId: id });
        const row = r.rows?.[0] ?? {};
        const max = row.max_loaded_at === null || row.max_loaded_at === undefined ? null : String(row.max_loaded_at);
        const now = String(row.snapshotted_at);
        const age = max === null ? Infinity : (parseUtc(now) - parseUtc(max)) / 1000;
        const status = errorS !== undefined && age > errorS ? 'error' : warnS !== undefined && age > warnS ? 'warn' : 'pass';
        results.push({ ...base, status, maxLoadedAt: max, snapshottedAt: now, ageSeconds: Number.isFinite(age) ? age : null, startedAt, completedAt: new Date().toISOString() });
      } catch (e) {
        results.push({ ...base, status: 'runtime error', maxLoadedAt: null, snapshottedAt: null, ageSeconds: null, message: String((e as Error).message).split('\n')[0] });
      }
    }
  } finally {
    await adapter.close();
  }
  const tdir = targetDir(p.ctx.projectDir, p.ctx.project.targetPath);
  writeFileAtomic(join(tdir, 'sources.json'), JSON.stringify(sourcesArtifact(results, p.ctx.invocationId, (Date.now() - t0) / 1000), null, 2));
  return { results, success: !results.some((r) => r.status === 'error' || r.status === 'runtime error') };
}
