/**
 * Name resolution: what a column reference in a query refers to.
 *
 * A query's FROM clause puts "sources" in scope (base relations, CTEs, derived tables, table
 * functions). Each source answers, for a column name, whether it definitely has it ('has'),
 * might have it because its columns are unknown ('maybe'), or definitely not ('no'). A reference
 * is resolved only when exactly one source can supply it: we never guess between candidates.
 */
import type { UpstreamColumn } from './types.js';

/** direct = the bare value of an upstream column (passthrough or rename, decided by names at the end). */
export type Kind = 'direct' | 'transformed' | 'aggregated';
const RANK: Record<Kind, number> = { direct: 0, transformed: 1, aggregated: 2 };
export const maxKind = (a: Kind, b: Kind): Kind => (RANK[a] >= RANK[b] ? a : b);

/** Internal lineage of one column, composed down to the real upstream relations. */
export interface Col {
  name: string;
  kind: Kind;
  upstream: UpstreamColumn[];
  unresolved?: string;
}

export type Lookup = { status: 'has' | 'maybe'; col: Col } | { status: 'no' };

/** A `*` that could not be expanded because the columns behind it are unknown. */
export interface Gap {
  gap: true;
  label: string;
  reason: string;
  /** Where names hidden behind the `*` can still be looked up one at a time. */
  source?: Source;
  exclude: Set<string>;
}
export type OutItem = Col | Gap;
export const isGap = (i: OutItem): i is Gap => 'gap' in i;

export interface Source {
  /** Human-readable name used in reasons. */
  label: string;
  lookup(name: string): Lookup;
  /** All columns in order, or the reason they cannot be listed. */
  expand(): Col[] | { unknown: string };
}

export interface ScopeEntry {
  /** Lower-cased qualifier that refers to this source: the alias, or the written relation name
   * (whose suffixes also match, so `orders_raw.x` finds `"main"."orders_raw"`). */
  qualifier: string[];
  aliased: boolean;
  source: Source;
}

export class Scope {
  readonly entries: ScopeEntry[] = [];
  /** Columns joined with USING: unqualified references take both sides. */
  readonly using = new Set<string>();
  constructor(readonly parent?: Scope) {}

  /** Resolve `[qualifier..., column, field...]`; errors are returned as strings, never thrown. */
  resolve(parts: string[]): Col | string {
    if (parts.length === 1) return this.resolveUnqualified(parts[0]);
    const lower = parts.map((p) => p.toLowerCase());
    for (let k = parts.length - 1; k >= 1; k--) {
      const matches = this.entries.filter((e) => qualifierMatches(e, lower.slice(0, k)));
      if (matches.length > 1) return `qualifier "${parts.slice(0, k).join('.')}" is ambiguous`;
      if (matches.length === 1) {
        const r = matches[0].source.lookup(parts[k]);
        if (r.status === 'no') return `column "${parts[k]}" not found in ${matches[0].source.label}`;
        return k < parts.length - 1 ? fieldAccess(r.col) : r.col;
      }
    }
    const outer = this.parent?.resolveQualifiedOnly(parts);
    if (outer !== undefined) return outer;
    // No table matched: DuckDB reads `a.b` as field b of struct column a.
    const col = this.resolveUnqualified(parts[0]);
    if (typeof col === 'string') return `cannot resolve "${parts.join('.')}": no table "${parts[0]}" in scope`;
    return fieldAccess(col);
  }

  private resolveQualifiedOnly(parts: string[]): Col | string | undefined {
    const lower = parts.map((p) => p.toLowerCase());
    for (let k = parts.length - 1; k >= 1; k--) {
      if (this.entries.some((e) => qualifierMatches(e, lower.slice(0, k)))) return this.resolve(parts);
    }
    return this.parent?.resolveQualifiedOnly(parts);
  }

  resolveUnqualified(name: string): Col | string {
    const found: Array<{ label: string; status: 'has' | 'maybe'; col: Col }> = [];
    for (const e of this.entries) {
      const r = e.source.lookup(name);
      if (r.status !== 'no') found.push({ label: e.source.label, ...r });
    }
    if (found.length === 1) return found[0].col;
    if (found.length > 1 && this.using.has(name.toLowerCase())) return mergeCols(name, found.map((f) => f.col));
    if (found.length > 1) {
      const labels = found.map((f) => f.label).join(', ');
      const why = found.some((f) => f.status === 'maybe') ? ' (some have unknown columns)' : '';
      return `cannot determine the table of column "${name}": could come from ${labels}${why}`;
    }
    if (this.parent) {
      const outer = this.parent.resolveUnqualified(name);
      if (typeof outer !== 'string') return outer;
    }
    return `column "${name}" not found in ${this.entries.map((e) => e.source.label).join(', ') || 'scope'}`;
  }

  /** Sources in FROM order, for `*`. */
  sources(): Source[] {
    return this.entries.map((e) => e.source);
  }

  findQualified(qualifier: string[]): ScopeEntry[] {
    const q = qualifier.map((p) => p.toLowerCase());
    return this.entries.filter((e) => qualifierMatches(e, q));
  }
}

function qualifierMatches(e: ScopeEntry, q: string[]): boolean {
  if (e.aliased) return q.length === 1 && q[0] === e.qualifier[0];
  if (q.length > e.qualifier.length) return false;
  const off = e.qualifier.length - q.length;
  return q.every((p, i) => p === e.qualifier[off + i]);
}

/** Extracting a struct field is a transformation of the struct column. */
function fieldAccess(col: Col): Col {
  return { ...col, kind: maxKind(col.kind, 'transformed') };
}

export function mergeCols(name: string, cols: Col[]): Col {
  const out: Col = { name, kind: 'direct', upstream: [] };
  const reasons: string[] = [];
  for (const c of cols) {
    out.kind = maxKind(out.kind, c.kind);
    out.upstream = dedupe([...out.upstream, ...c.upstream]);
    if (c.unresolved) reasons.push(c.unresolved);
  }
  if (reasons.length) out.unresolved = [...new Set(reasons)].join('; ');
  return out;
}

export function dedupe(cols: UpstreamColumn[]): UpstreamColumn[] {
  const seen = new Set<string>();
  return cols.filter((c) => {
    const k = `${c.relation}\u0000${c.column.toLowerCase()}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
