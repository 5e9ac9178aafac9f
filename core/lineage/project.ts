/** Project-wide lineage: chaining models and walking the column graph transitively. */
import { analyzeModel } from './model.js';
import type { LineageHop, LineageOptions, ModelLineage, RelationInfo, UpstreamColumn } from './types.js';

export interface ModelInput {
  id: string;
  sql: string;
  relations: Map<string, RelationInfo>;
  dialect?: LineageOptions['dialect'];
}

/**
 * Models must come in topological order: each model's computed output columns are fed into the
 * `RelationInfo.columns` of later models whose entry is null, so `select *` from an upstream
 * model resolves. Only complete column lists are fed (a list with an unexpanded `*` stays null).
 */
export function projectLineage(models: ModelInput[]): Map<string, ModelLineage> {
  const out = new Map<string, ModelLineage>();
  const known = new Map<string, string[]>();
  for (const m of models) {
    const rels = new Map<string, RelationInfo>();
    for (const [written, info] of m.relations) {
      const fed = info.columns === null ? known.get(info.id) : undefined;
      rels.set(written, fed ? { ...info, columns: fed } : info);
    }
    const { lineage, complete } = analyzeModel(m.sql, rels, { dialect: m.dialect });
    out.set(m.id, lineage);
    if (complete && !lineage.unresolved) known.set(m.id, lineage.columns.map((c) => c.column));
  }
  return out;
}

const key = (relation: string, column: string) => `${relation}\u0000${column.toLowerCase()}`;

function columnOf(project: Map<string, ModelLineage>, id: string, column: string) {
  return project.get(id)?.columns.find((c) => c.column.toLowerCase() === column.toLowerCase());
}

/** All columns that (id, column) derives from, nearest first. Relations that are not models of
 * the project (e.g. sources) are reported but not walked further. */
export function upstreamOf(project: Map<string, ModelLineage>, id: string, column: string): LineageHop[] {
  return bfs(id, column, (rel, col) => columnOf(project, rel, col)?.upstream ?? []);
}

/** All columns derived from (id, column), nearest first. */
export function downstreamOf(project: Map<string, ModelLineage>, id: string, column: string): LineageHop[] {
  const children = new Map<string, UpstreamColumn[]>();
  for (const [model, ml] of project) {
    for (const c of ml.columns) {
      for (const u of c.upstream) {
        const k = key(u.relation, u.column);
        if (!children.has(k)) children.set(k, []);
        children.get(k)!.push({ relation: model, column: c.column });
      }
    }
  }
  return bfs(id, column, (rel, col) => children.get(key(rel, col)) ?? []);
}

function bfs(id: string, column: string, next: (relation: string, column: string) => UpstreamColumn[]): LineageHop[] {
  const seen = new Set([key(id, column)]);
  const hops: LineageHop[] = [];
  let frontier: UpstreamColumn[] = [{ relation: id, column }];
  for (let depth = 1; frontier.length; depth++) {
    const nextFrontier: UpstreamColumn[] = [];
    for (const f of frontier) {
      for (const n of next(f.relation, f.column)) {
        const k = key(n.relation, n.column);
        if (seen.has(k)) continue; // also guards against cycles (e.g. incremental self-references)
        seen.add(k);
        hops.push({ relation: n.relation, column: n.column, depth });
        nextFrontier.push(n);
      }
    }
    frontier = nextFrontier;
  }
  return hops;
}
