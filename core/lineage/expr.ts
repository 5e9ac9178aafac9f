/**
 * Lineage of one SELECT-list expression: which columns it reads and whether it aggregates.
 *
 * Only the value-producing parts count (arguments, CASE branches, window PARTITION/ORDER BY,
 * FILTER, scalar subqueries); WHERE/JOIN conditions are not column lineage.
 */
import type { AST } from './parse.js';
import { dedupe, isGap, maxKind, type Col, type Kind, type OutItem, type Scope } from './scope.js';
import type { UpstreamColumn } from './types.js';

export interface ExprCtx {
  scope: Scope;
  /** Earlier SELECT-list aliases: DuckDB lets later items reference them when no column matches. */
  lateral: Map<string, Col>;
  /** Analyse a nested query against `scope` as its outer (correlation) scope. */
  subquery(query: AST, scope: Scope): OutItem[];
  /** `WINDOW w AS (...)` definitions of the SELECT, by lower-cased name, for `over w`. */
  windows?: Map<string, AST>;
}

/** Aggregate functions of DuckDB and Dremio (names are matched lower-case, without schema). */
const AGGREGATES = new Set(
  ('sum count avg mean min max any_value arbitrary first last arg_max arg_min argmax argmin max_by min_by ' +
    'string_agg listagg group_concat array_agg list bool_and bool_or every bit_and bit_or bit_xor ' +
    'stddev stddev_pop stddev_samp variance var_pop var_samp median mode quantile quantile_cont ' +
    'quantile_disc percentile_cont percentile_disc approx_count_distinct approx_quantile ndv count_if ' +
    'countif product corr covar_pop covar_samp regr_avgx regr_avgy regr_count regr_intercept regr_r2 ' +
    'regr_slope regr_sxx regr_sxy regr_syy entropy kurtosis kurtosis_pop skewness histogram fsum ' +
    'sumkahan kahan_sum favg bitstring_agg geomean geometric_mean json_group_array json_group_object ' +
    'hll sum_no_overflow mad reservoir_quantile weighted_avg').split(/\s+/),
);

/** Keys whose subtrees hold names that are not column references (types, function names...). */
const SKIP_KEYS = new Set(['span', 'data_type', 'collation', 'charset', 'QualifiedWildcard', 'Exists', 'name', 'parameters']);

const isQuery = (v: AST) => v && typeof v === 'object' && 'body' in v && ('pipe_operators' in v || 'with' in v);

export function unwrapNested(e: AST): AST {
  while (e && typeof e === 'object' && 'Nested' in e) e = e.Nested;
  return e;
}

/** Column reference parts if `e` is a bare (possibly parenthesised) column reference. */
export function columnRefParts(e: AST): string[] | undefined {
  e = unwrapNested(e);
  if (e?.Identifier?.value !== undefined) return [e.Identifier.value];
  if (Array.isArray(e?.CompoundIdentifier)) return e.CompoundIdentifier.map((i: AST) => String(i.value));
  return undefined;
}

export function exprLineage(e: AST, name: string, ctx: ExprCtx): Col {
  const parts = columnRefParts(e);
  if (parts) {
    const r = resolveRef(parts, ctx, new Set());
    if (r === null) return { name, kind: 'transformed', upstream: [] };
    return typeof r === 'string' ? { name, kind: 'direct', upstream: [], unresolved: r } : { ...r, name };
  }
  const acc = { upstream: [] as UpstreamColumn[], kind: 'transformed' as Kind, errors: [] as string[] };
  walk(e, ctx, new Set(), acc);
  const col: Col = { name, kind: acc.kind, upstream: dedupe(acc.upstream) };
  if (acc.errors.length) col.unresolved = [...new Set(acc.errors)].join('; ');
  return col;
}

function resolveRef(parts: string[], ctx: ExprCtx, shadow: Set<string>): Col | string | null {
  if (parts.length === 1 && shadow.has(parts[0].toLowerCase())) return null; // lambda parameter
  const r = ctx.scope.resolve(parts);
  if (typeof r !== 'string' || parts.length > 1) return r;
  const alias = ctx.lateral.get(parts[0].toLowerCase());
  return alias ?? r;
}

type Acc = { upstream: UpstreamColumn[]; kind: Kind; errors: string[] };

function addCol(acc: Acc, c: Col) {
  acc.upstream.push(...c.upstream);
  acc.kind = maxKind(acc.kind, c.kind);
  if (c.unresolved) acc.errors.push(c.unresolved);
}

function walk(node: AST, ctx: ExprCtx, shadow: Set<string>, acc: Acc): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, ctx, shadow, acc);
    return;
  }
  if (!node || typeof node !== 'object') return;
  if (isQuery(node)) {
    // Scalar / IN / ARRAY subquery: its output columns feed this value.
    for (const item of ctx.subquery(node, ctx.scope)) {
      if (isGap(item)) acc.errors.push(item.reason);
      else addCol(acc, item);
    }
    return;
  }
  const refParts = columnRefParts(node);
  if (refParts) {
    const r = resolveRef(refParts, ctx, shadow);
    if (typeof r === 'string') acc.errors.push(r);
    else if (r) addCol(acc, r);
    return;
  }
  for (const [key, value] of Object.entries(node as Record<string, AST>)) {
    if (SKIP_KEYS.has(key) || key.endsWith('_token')) continue;
    if (key === 'Function') walkFunction(value, ctx, shadow, acc);
    else if (key === 'Lambda') walkLambda(value, ctx, shadow, acc);
    else if (key === 'CompoundFieldAccess') {
      walk(value.root, ctx, shadow, acc);
      // `.field` steps hold field names, not column references; subscripts are expressions.
      for (const step of value.access_chain ?? []) if (step?.Subscript) walk(step.Subscript, ctx, shadow, acc);
    } else walk(value, ctx, shadow, acc);
  }
}

function walkFunction(f: AST, ctx: ExprCtx, shadow: Set<string>, acc: Acc) {
  const parts: AST[] = Array.isArray(f.name) ? f.name : [];
  const fname = String(parts[parts.length - 1]?.Identifier?.value ?? '').toLowerCase();
  // A windowed aggregate (`sum(x) over (...)`) is a window function, not an aggregation.
  const aggregate = !f.over && (AGGREGATES.has(fname) || f.filter || (Array.isArray(f.within_group) && f.within_group.length > 0));
  if (aggregate) acc.kind = maxKind(acc.kind, 'aggregated');
  // `name` is skipped by walk(): the function's own name is not a column.
  for (const [key, value] of Object.entries(f as Record<string, AST>)) if (key !== 'name') walk(value, ctx, shadow, acc);
  const named = f.over?.NamedWindow?.value;
  if (named !== undefined) walk(ctx.windows?.get(String(named).toLowerCase()), ctx, shadow, acc);
}

function walkLambda(l: AST, ctx: ExprCtx, shadow: Set<string>, acc: Acc) {
  const inner = new Set(shadow);
  const params = l.params?.One ? [l.params.One] : (l.params?.Many ?? []);
  for (const p of params) inner.add(String(p?.name?.value ?? p?.value ?? '').toLowerCase());
  walk(l.body, ctx, inner, acc);
}

/** Default output name of an unaliased expression: its SQL text, since the engine's own naming
 * (DuckDB: `count_star()`, `(a + 1)`) is engine-specific. Models should alias expressions. */
export function exprText(e: AST, sql: string): string {
  const parts = columnRefParts(e);
  if (parts) return parts[parts.length - 1];
  const start = minSpanOffset(e, sql);
  return start === undefined ? '?column?' : scanItem(sql, start);
}

function minSpanOffset(node: AST, sql: string): number | undefined {
  let best: { line: number; column: number } | undefined;
  const visit = (n: AST) => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object') return;
    const s = n.span?.start;
    if (s && s.line > 0 && (!best || s.line < best.line || (s.line === best.line && s.column < best.column))) best = s;
    for (const [k, v] of Object.entries(n)) if (k !== 'span') visit(v);
  };
  visit(node);
  if (!best) return undefined;
  const lines = sql.split('\n');
  let off = 0;
  for (let i = 0; i < best.line - 1; i++) off += lines[i].length + 1;
  return off + best.column - 1;
}

const ITEM_END = /^(from|where|group|having|qualify|window|order|limit|union|except|intersect)\b/i;

/** Text of one SELECT item from `start`: up to a top-level comma, clause keyword, `)` or `;`. */
function scanItem(sql: string, start: number): string {
  let depth = 0;
  let i = start;
  for (; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const close = sql.indexOf(ch, i + 1);
      i = close < 0 ? sql.length : close;
    } else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (ch === ',' || ch === ';')) break;
    else if (depth === 0 && /\s/.test(ch) && ITEM_END.test(sql.slice(i + 1))) break;
  }
  return sql.slice(start, i).trim().replace(/\s+/g, ' ');
}
