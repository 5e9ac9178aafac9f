/** modelColumnLineage: the per-model entry point. Pure: no I/O, never throws. */
import { parseSql, splitRelationName, nameKey } from './parse.js';
import { analyzeQuery, type Env } from './query.js';
import { isGap, type Col, type OutItem } from './scope.js';
import type { ColumnLineage, LineageOptions, ModelLineage, RelationInfo } from './types.js';

export function modelColumnLineage(sql: string, relations: Map<string, RelationInfo>, opts: LineageOptions = {}): ModelLineage {
  return analyzeModel(sql, relations, opts).lineage;
}

/** Also says whether the output column list is complete (no unexpanded `*`), which
 * projectLineage needs before publishing the list to downstream models. */
export function analyzeModel(
  sql: string,
  relations: Map<string, RelationInfo>,
  opts: LineageOptions = {},
): { lineage: ModelLineage; complete: boolean } {
  const fail = (unresolved: string) => ({ lineage: { columns: [], unresolved }, complete: false });
  const parsed = parseSql(sql, opts.dialect);
  if (!parsed.ok) return fail(parsed.error);
  if (parsed.statements.length !== 1) return fail(`expected one SELECT statement, found ${parsed.statements.length}`);
  const stmt = parsed.statements[0];
  if (!stmt?.Query) return fail(`not a SELECT statement: ${Object.keys(stmt ?? {})[0] ?? String(stmt)}`);
  const env: Env = { sql, relations: new Map(), ctes: new Map() };
  for (const [written, info] of relations) env.relations.set(nameKey(splitRelationName(written)), { written, info });
  let items: OutItem[];
  try {
    items = analyzeQuery(stmt.Query, env);
  } catch (e) {
    // Defensive: an AST shape we did not anticipate must degrade to "unresolved", because
    // lineage is auxiliary information and must never break compile/docs for a project.
    return fail(`internal error while analysing SQL: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { lineage: { columns: items.map(toPublic) }, complete: !items.some(isGap) };
}

function toPublic(item: OutItem): ColumnLineage {
  if (isGap(item)) return { column: item.label, upstream: [], unresolved: item.reason };
  return colToPublic(item);
}

function colToPublic(c: Col): ColumnLineage {
  const upstream = c.upstream.map((u) => ({ relation: u.relation, column: u.column }));
  if (c.unresolved) return { column: c.name, upstream, unresolved: c.unresolved };
  if (c.kind !== 'direct') return { column: c.name, transform: c.kind, upstream };
  const same = upstream.every((u) => u.column.toLowerCase() === c.name.toLowerCase());
  return { column: c.name, transform: same ? 'passthrough' : 'rename', upstream };
}
