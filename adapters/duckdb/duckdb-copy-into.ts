// `copy_into` on DuckDB: the Dremio location `@name/path/` is a local folder (target
// `storage_locations: {name: dir}`, else `<project>/<name>/path`). Files already loaded are recorded in
// `<table>__cairn_loaded`, so a rerun loads only new files.
import { CairnError } from '../../core/errors.js';
import type { Adapter, CopyIntoPlan, Target } from '../adapter.js';
import { quoteIdent, quoteString } from '../shared/ansi.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { listFiles, localDir } from './duckdb-locations.js';

function reader(plan: CopyIntoPlan, files: string[]): string {
  const list = `[${files.map(quoteString).join(', ')}]`;
  const lenient = plan.onError !== 'abort' ? ', ignore_errors = true' : '';
  if (plan.fileFormat === 'parquet') return `read_parquet(${list}, union_by_name = true)`;
  if (plan.fileFormat === 'json') return `read_json(${list}, format = 'auto', union_by_name = true${lenient})`;
  const delim = plan.options.FIELD_DELIMITER ?? plan.options.field_delimiter;
  return `read_csv(${list}, header = true, all_varchar = true, union_by_name = true${delim ? `, delim = ${quoteString(String(delim))}` : ''}${lenient})`;
}

export async function duckdbCopyInto(adapter: Adapter, plan: CopyIntoPlan, target: Target, projectDir: string, node: string): Promise<string[]> {
  const dir = localDir(plan.location, target, projectDir);
  const all = listFiles(dir, plan.fileFormat);
  if (all.length === 0) {
    throw new CairnError('SQL_ERROR', `copy_into ${node}: no ${plan.fileFormat} files at ${plan.location} (local folder ${dir})`, {
      node, hint: 'check the `from` location (and {{ ds }} in it) or set storage_locations in the target', exitCode: 1,
    });
  }
  const t = duckdbDialect.renderRelation(plan.target);
  const log = duckdbDialect.renderRelation(duckdbDialect.scratchRelation(plan.target, '__cairn_loaded'));
  let files = all;
  if (plan.exists && !plan.truncate && (await adapter.getRelationKind(duckdbDialect.scratchRelation(plan.target, '__cairn_loaded')))) {
    const done = new Set((await adapter.execute(`select file from ${log}`, { fetch: true })).rows?.map((r) => String(r.file)));
    files = all.filter((f) => !done.has(f));
  }
  if (files.length === 0) return [];
  const cols = plan.exists ? await adapter.getColumns(plan.target) : plan.columns;
  const cast = plan.onError === 'abort' ? 'cast' : 'try_cast';
  const out = ['begin transaction'];
  if (!plan.exists) out.push(`create table ${t} (${plan.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`);
  out.push(`create table if not exists ${log} (file varchar, loaded_at timestamp)`);
  if (plan.truncate) out.push(`delete from ${t}`, `delete from ${log}`);
  // The log first: the last insert is the one whose count is reported.
  out.push(`insert into ${log} values ${files.map((f) => `(${quoteString(f)}, current_timestamp)`).join(', ')}`);
  out.push(`insert into ${t} (${cols.map((c) => quoteIdent(c.name)).join(', ')})\nselect ${cols.map((c) => `${cast}(${quoteIdent(c.name)} as ${c.type})`).join(', ')}\nfrom ${reader(plan, files)}`);
  out.push('commit');
  return out;
}
