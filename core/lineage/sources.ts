/** The kinds of things a FROM clause can put in scope (see Scope in ./scope.ts). */
import type { RelationInfo } from './types.js';
import { isGap, type Col, type Lookup, type OutItem, type Source } from './scope.js';

const lc = (s: string) => s.toLowerCase();

/** A modelled upstream relation: its columns are the real lineage endpoints. */
export function relationSource(label: string, info: RelationInfo): Source {
  const direct = (column: string): Col => ({ name: column, kind: 'direct', upstream: [{ relation: info.id, column }] });
  const known = info.columns;
  return {
    label,
    lookup(name): Lookup {
      if (!known) return { status: 'maybe', col: direct(name) };
      const hit = known.find((c) => lc(c) === lc(name));
      return hit === undefined ? { status: 'no' } : { status: 'has', col: direct(hit) };
    },
    expand: () => (known ? known.map(direct) : { unknown: `columns of ${label} are unknown` }),
  };
}

/**
 * A table function such as read_csv(...) or unnest(...), or anything else that is not a relation
 * we know. Its columns are not derived from any modelled relation, so a column read from it is a
 * passthrough with no upstream (documented choice): it is where the data enters the graph.
 * `derived` is for functions fed by columns (unnest(t.tags)): their columns transform those.
 * `unresolved` is set for things we should have been able to map but could not (e.g. a relation
 * name missing from the relations map), so the gap is visible instead of silently empty.
 */
export function opaqueSource(label: string, unresolved?: string, derived?: Pick<Col, 'kind' | 'upstream'>): Source {
  return {
    label,
    lookup: (name) => ({
      status: 'maybe',
      col: { name, kind: derived?.kind ?? 'direct', upstream: derived?.upstream ?? [], ...(unresolved ? { unresolved } : {}) },
    }),
    expand: () => ({ unknown: unresolved ?? `columns of ${label} cannot be known statically` }),
  };
}

/** A CTE or subquery: its columns are the analysed output of the inner query. `aliasColumns`
 * is the optional `t(a, b)` list that renames outputs by position. */
export function derivedSource(label: string, items: OutItem[], aliasColumns: string[] = []): Source {
  const gaps = items.filter(isGap);
  let cols = items.filter((i): i is Col => !isGap(i));
  let aliasProblem: string | undefined;
  if (aliasColumns.length) {
    if (gaps.length) aliasProblem = `cannot apply column aliases of ${label}: its columns are unknown`;
    else if (aliasColumns.length > cols.length) aliasProblem = `${label} has more column aliases than columns`;
    else cols = cols.map((c, i) => (i < aliasColumns.length ? { ...c, name: aliasColumns[i] } : c));
  }
  return {
    label,
    lookup(name): Lookup {
      if (aliasProblem) return { status: 'maybe', col: { name, kind: 'direct', upstream: [], unresolved: aliasProblem } };
      const hit = cols.find((c) => lc(c.name) === lc(name));
      if (hit) return { status: 'has', col: hit };
      // The name may hide behind an unexpanded `*`: ask what that `*` read from.
      const behind: Col[] = [];
      for (const g of gaps) {
        if (g.exclude.has(lc(name))) continue;
        if (!g.source) behind.push({ name, kind: 'direct', upstream: [], unresolved: g.reason });
        else {
          const r = g.source.lookup(name);
          if (r.status !== 'no') behind.push(r.col);
        }
      }
      if (behind.length === 0) return { status: 'no' };
      if (behind.length === 1) return { status: 'maybe', col: behind[0] };
      const unresolved = `cannot determine where column "${name}" of ${label} comes from: several unexpanded * could supply it`;
      return { status: 'maybe', col: { name, kind: 'direct', upstream: [], unresolved } };
    },
    expand: () => (aliasProblem ? { unknown: aliasProblem } : gaps.length ? { unknown: gaps[0].reason } : cols),
  };
}

/** A parenthesised join `(a join b on ...) as j`: resolves through its members. */
export function groupSource(label: string, members: Source[]): Source {
  return {
    label,
    lookup(name): Lookup {
      const found = members.map((m) => m.lookup(name)).filter((r) => r.status !== 'no');
      if (found.length === 1) return found[0];
      if (found.length === 0) return { status: 'no' };
      const unresolved = `cannot determine the table of column "${name}" inside ${label}`;
      return { status: 'maybe', col: { name, kind: 'direct', upstream: [], unresolved } };
    },
    expand() {
      const out: Col[] = [];
      for (const m of members) {
        const e = m.expand();
        if (!Array.isArray(e)) return e;
        out.push(...e);
      }
      return out;
    },
  };
}
