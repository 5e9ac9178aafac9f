// `cairn source freshness`: for each selected source table with `freshness` and `loaded_at_field`,
// how old is its newest row? PASS / WARN / ERROR per table (dbt's rules) and target/sources.json.
import { join } from 'node:path';
import { targetDir, writeFileAtomic } from '../artifacts/paths.js';
import { CairnError } from '../errors.js';
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

export async function sourceFreshness(o: CommonOptions): Promise<{ results: FreshnessResult[]; success: boolean }> {
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
      try {
        const r = await adapter.execute(d.freshnessQuery(n.relation!, field, fresh.filter as string | undefined), { fetch: true, nodeId: id });
        const row = r.rows?.[0] ?? {};
        const max = row.max_loaded_at === null || row.max_loaded_at === undefined ? null : String(row.max_loaded_at);
        const now = String(row.snapshotted_at);
        const age = max === null ? Infinity : (parseUtc(now) - parseUtc(max)) / 1000;
        const status = errorS !== undefined && age > errorS ? 'error' : warnS !== undefined && age > warnS ? 'warn' : 'pass';
        results.push({ ...base, status, maxLoadedAt: max, snapshottedAt: now, ageSeconds: Number.isFinite(age) ? age : null });
      } catch (e) {
        results.push({ ...base, status: 'runtime error', maxLoadedAt: null, snapshottedAt: null, ageSeconds: null, message: String((e as Error).message).split('\n')[0] });
      }
    }
  } finally {
    await adapter.close();
  }
  const tdir = targetDir(p.ctx.projectDir, p.ctx.project.targetPath);
  writeFileAtomic(join(tdir, 'sources.json'), JSON.stringify({
    metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/sources/v3.json', generated_at: new Date().toISOString(), invocation_id: p.ctx.invocationId },
    results: results.map((r) => ({ unique_id: r.uniqueId, status: r.status, max_loaded_at: r.maxLoadedAt, snapshotted_at: r.snapshottedAt, max_loaded_at_time_ago_in_s: r.ageSeconds, criteria: r.criteria, error: r.message })),
    elapsed_time: 0,
  }, null, 2));
  return { results, success: !results.some((r) => r.status === 'error' || r.status === 'runtime error') };
}
