/**
 * Lineage of a query's output columns: WITH, set operations, SELECT lists and FROM clauses.
 * Everything composes down to the relations of the `relations` map, so a rename inside a CTE
 * followed by a passthrough outside is still a rename of the base column.
 */
import { objectNameParts, nameKey, type AST } from './parse.js';
import { exprLineage, exprText, type ExprCtx } from './expr.js';
import { Scope, isGap, mergeCols, type Col, type Gap, type OutItem, type Source } from './scope.js';
import { derivedSource, groupSource, opaqueSource, relationSource } from './sources.js';
import type { RelationInfo } from './types.js';

export interface Env {
  sql: string;
  /** Relations by the nameKey of their lower-cased written parts. */
  relations: Map<string, { written: string; info: RelationInfo }>;
  /** CTEs visible here, by lower-cased name. */
  ctes: Map<string, OutItem[]>;
}

const lc = (s: string) => s.toLowerCase();
const gap = (label: string, reason: string, source?: Source, exclude = new Set<string>()): Gap => ({ gap: true, label, reason, source, exclude });

export function analyzeQuery(q: AST, env: Env, outer?: Scope): OutItem[] {
  let inner = env;
  if (q.with) {
    inner = { ...env, ctes: new Map(env.ctes) };
    for (const cte of q.with.cte_tables ?? []) {
      const name = String(cte.alias?.name?.value ?? '');
      // A recursive CTE refers to itself; we do not iterate to a fixpoint, so say so.
      const items: OutItem[] = q.with.recursive
        ? [gap(`${name}.*`, `recursive CTE "${name}" is not supported`)]
        : analyzeQuery(cte.query, inner, outer);
      const aliasCols = (cte.alias?.columns ?? []).map((c: AST) => String(c?.name?.value ?? c?.value));
      const src = derivedSource(`CTE ${name}`, items, aliasCols);
      const expanded = src.expand();
      // Store the CTE already renamed by its column list; keep gaps (with a lookup path) otherwise.
      inner.ctes.set(lc(name), Array.isArray(expanded) ? expanded : [gap(`${name}.*`, expanded.unknown, src)]);
    }
  }
  return analyzeSetExpr(q.body, inner, outer);
}

function analyzeSetExpr(body: AST, env: Env, outer?: Scope): OutItem[] {
  if (body?.Select) return analyzeSelect(body.Select, env, outer);
  if (body?.Query) return analyzeQuery(body.Query, env, outer);
  if (body?.SetOperation) return analyzeSetOp(body.SetOperation, env, outer);
  if (body?.Values) {
    const rows: AST[] = body.Values.rows ?? [];
    const width = Array.isArray(rows[0]) ? rows[0].length : (rows[0]?.content?.length ?? 0);
    return Array.from({ length: width }, (_, i): Col => ({ name: `column${i + 1}`, kind: 'transformed', upstream: [] }));
  }
  const kind = body && typeof body === 'object' ? Object.keys(body)[0] : String(body);
  return [gap('*', `unsupported query form: ${kind}`)];
}

function analyzeSetOp(op: AST, env: Env, outer?: Scope): OutItem[] {
  const left = analyzeSetExpr(op.left, env, outer);
  const right = analyzeSetExpr(op.right, env, outer);
  const label = `${String(op.op).toUpperCase()} ${op.set_quantifier ?? ''}`.trim();
  const gaps = [...left, ...right].filter(isGap);
  if (gaps.length) return [gap('*', `${label} over columns that are unknown: ${gaps[0].reason}`)];
  const l = left as Col[];
  const r = right as Col[];
  // EXCEPT yields rows of the left side only; UNION/INTERSECT values come from both sides.
  const useRight = op.op !== 'Except';
  const byName = /ByName/.test(String(op.set_quantifier ?? ''));
  if (!byName && l.length !== r.length) return [gap('*', `${label} branches have ${l.length} and ${r.length} columns`)];
  return l.map((c, i) => {
    const other = byName ? r.find((x) => lc(x.name) === lc(c.name)) : r[i];
    return useRight && other ? mergeCols(c.name, [c, other]) : c;
  });
}

function analyzeSelect(sel: AST, env: Env, outer?: Scope): OutItem[] {
  const scope = buildScope(sel.from ?? [], env, outer);
  const windows = new Map<string, AST>();
  for (const [name, spec] of sel.named_window ?? []) windows.set(lc(String(name?.value)), spec);
  const ctx: ExprCtx = { scope, lateral: new Map(), subquery: (q, s) => analyzeQuery(q, env, s), windows };
  const out: OutItem[] = [];
  const emit = (c: Col) => {
    out.push(c);
    if (!ctx.lateral.has(lc(c.name))) ctx.lateral.set(lc(c.name), c);
  };
  // DuckDB's FROM-first `from t` without SELECT means `select *`.
  const projection: AST[] = sel.projection?.length ? sel.projection : [{ Wildcard: {} }];
  for (const item of projection) {
    if (item?.UnnamedExpr !== undefined) emit(exprLineage(item.UnnamedExpr, exprText(item.UnnamedExpr, env.sql), ctx));
    else if (item?.ExprWithAlias) emit(exprLineage(item.ExprWithAlias.expr, String(item.ExprWithAlias.alias.value), ctx));
    else if (item?.Wildcard !== undefined) expandStar(scope.sources(), '*', item.Wildcard, ctx, out, emit, scope.using);
    else if (item?.QualifiedWildcard) {
      const [target, opts] = item.QualifiedWildcard;
      const parts: string[] = target?.ObjectName ? objectNameParts(target.ObjectName) : [];
      const label = `${parts.join('.') || '?'}.*`;
      const matches = parts.length ? scope.findQualified(parts) : [];
      if (matches.length === 1) expandStar([matches[0].source], label, opts, ctx, out, emit, new Set());
      else out.push(gap(label, matches.length ? `${label} is ambiguous` : `no table for ${label} in scope`));
    } else out.push(gap('?', `unsupported SELECT item: ${Object.keys(item ?? {})[0]}`));
  }
  return out;
}

/** Expand `*` / `t.*` with DuckDB's EXCLUDE and REPLACE options; USING columns appear once. */
function expandStar(sources: Source[], label: string, opts: AST, ctx: ExprCtx, out: OutItem[], emit: (c: Col) => void, using: Set<string>) {
  const exclude = new Set<string>();
  const ex = opts?.opt_exclude ?? opts?.opt_except;
  for (const e of ex?.Multiple ?? (ex?.Single ? [ex.Single] : [])) {
    const parts = Array.isArray(e) ? e : [e];
    const last = parts[parts.length - 1];
    exclude.add(lc(String(last?.Identifier?.value ?? last?.value ?? '')));
  }
  const replace = new Map<string, AST>();
  for (const r of opts?.opt_replace?.items ?? []) replace.set(lc(String(r.column_name?.value)), r.expr);
  const seenUsing = new Set<string>();
  for (const src of sources) {
    const cols = src.expand();
    if (!Array.isArray(cols)) {
      out.push(gap(label, `cannot expand ${label}: ${cols.unknown}`, src, exclude));
      continue;
    }
    for (const c of cols) {
      const key = lc(c.name);
      if (exclude.has(key)) continue;
      if (using.has(key) && seenUsing.has(key)) continue;
      seenUsing.add(key);
      // REPLACE and USING columns are evaluated as expressions in the scope (USING: both sides).
      if (replace.has(key)) emit(exprLineage(replace.get(key), c.name, ctx));
      else if (using.has(key)) emit(exprLineage({ Identifier: { value: c.name } }, c.name, ctx));
      else emit(c);
    }
  }
}

function buildScope(from: AST[], env: Env, outer?: Scope): Scope {
  const scope = new Scope(outer);
  for (const twj of from) {
    addFactor(scope, twj.relation, env, outer);
    for (const join of twj.joins ?? []) {
      addFactor(scope, join.relation, env, outer);
      const cond = join.join_operator && typeof join.join_operator === 'object' ? Object.values(join.join_operator)[0] : undefined;
      const usingList = (cond as AST)?.Using;
      if (Array.isArray(usingList)) for (const n of usingList) scope.using.add(objectNameParts(n).pop() ?? '');
    }
  }
  return scope;
}

function addFactor(scope: Scope, factor: AST, env: Env, outer?: Scope): void {
  const [kind, f] = factor && typeof factor === 'object' ? Object.entries(factor)[0] : ['?', {}];
  const alias: string | undefined = (f as AST)?.alias?.name?.value;
  const aliasCols: string[] = ((f as AST)?.alias?.columns ?? []).map((c: AST) => String(c?.name?.value ?? c?.value));
  const add = (qualifier: string[], source: Source): void => {
    scope.entries.push(alias ? { qualifier: [lc(alias)], aliased: true, source } : { qualifier, aliased: false, source });
  };
  const fa = f as AST;
  if (kind === 'Table') {
    const parts = objectNameParts(fa.name);
    const written = parts.join('.');
    if (fa.args) return add([parts[parts.length - 1]], functionSource(`table function ${written}(...)`, fa.args, scope, env));
    const cte = parts.length === 1 ? env.ctes.get(parts[0]) : undefined;
    if (cte) return add(parts, derivedSource(`CTE ${written}`, cte, aliasCols));
    const rel = env.relations.get(nameKey(parts));
    if (!rel) return add(parts, opaqueSource(`"${written}"`, `relation "${written}" is not in the relations map`));
    const label = `${rel.written} (${rel.info.id})`;
    const src = relationSource(label, rel.info);
    if (!aliasCols.length) return add(parts, src);
    // `t(a, b)` renames by position; the upstream columns keep their real names.
    const cols = src.expand();
    return add(parts, derivedSource(label, Array.isArray(cols) ? cols : [gap('*', cols.unknown, src)], aliasCols));
  }
  if (kind === 'Derived') {
    // LATERAL subqueries may reference the sources to their left.
    const items = analyzeQuery(fa.subquery, env, fa.lateral ? scope : outer);
    return add([], derivedSource(`subquery ${alias ?? ''}`.trim(), items, aliasCols));
  }
  if (kind === 'NestedJoin') {
    const inner = buildScope([fa.table_with_joins], env, outer);
    if (!alias) {
      scope.entries.push(...inner.entries);
      inner.using.forEach((u) => scope.using.add(u));
      return;
    }
    return add([], groupSource(`join ${alias}`, inner.sources()));
  }
  // UNNEST, TableFunction, Function, PIVOT...: rows are produced by the engine, not read from a
  // modelled relation. Treated like table functions (see opaqueSource).
  add([lc(alias ?? kind)], opaqueSource(`${kind} ${alias ?? ''}`.trim()));
}

/**
 * A table function's rows come from its arguments: read_csv('file') reads no column (its columns
 * are passthrough with no upstream), while unnest(t.tags) transforms the columns it is given.
 * Arguments are resolved against the sources to the left, as DuckDB does for table functions.
 */
function functionSource(label: string, args: AST, scope: Scope, env: Env): Source {
  const ctx: ExprCtx = { scope, lateral: new Map(), subquery: (q, s) => analyzeQuery(q, env, s) };
  const fromArgs = exprLineage({ Function: { name: [], args } }, label, ctx);
  if (!fromArgs.upstream.length && !fromArgs.unresolved) return opaqueSource(label);
  return opaqueSource(label, fromArgs.unresolved, { kind: 'transformed', upstream: fromArgs.upstream });
}
