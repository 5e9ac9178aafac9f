// The data the docs site renders: one compact JSON object per project, embedded in data.js (or in
// static_index.html). Everything here is plain data; the site escapes it when it draws.
import type { ParsedProject } from '../compile/parse-project.js';
import type { ColumnLineage, ModelLineage } from '../lineage/index.js';
import type { ProjectNode } from '../project/types.js';
import type { UnitTestSpec } from '../unit-tests/parse.js';
import { redact } from '../util/redact.js';
import type { Catalog, CatalogEntry } from './catalog.js';
import { layoutGraph, type GraphLayout } from './layout.js';

export interface SiteColumn {
  name: string;
  type: string | null;
  description: string;
  tests: string[];
  lineage: { transform?: string; upstream: Array<{ relation: string; column: string }>; unresolved?: string } | null;
}

export interface SiteNode {
  id: string;
  name: string;
  type: string;
  path: string;
  fqn: string[];
  description: string;
  relation: string | null;
  materialized: string | null;
  tags: string[];
  config: Record<string, unknown>;
  raw: string;
  compiled: string | null;
  dependsOn: string[];
  columns: SiteColumn[];
  /** Set when the model's SQL could not be analysed for column lineage. */
  lineageUnresolved?: string;
  sourceName?: string;
  /** The relation's parts, for the sidebar's Database tree. */
  database?: string | null;
  schema?: string | null;
  packageName: string;
  /** A unit test's inputs and expected rows, shown as tables. */
  unitTest?: { model: string; given: Array<{ input: string; format: string; rows?: Array<Record<string, unknown>>; sql?: string }>; expect: { format: string; rows?: Array<Record<string, unknown>>; sql?: string } };
}

export interface SiteData {
  project: { name: string; adapter: string; generatedAt: string; overview: string | null };
  nodes: SiteNode[];
  /** Graph edges (parent → child) between graph nodes (everything but tests). */
  edges: Array<[string, string]>;
  layout: GraphLayout | null;
  /** The resource kinds drawn in the graph; the site draws exactly these (the layout has only them). */
  graphTypes: string[];
}

/** Nodes drawn in the lineage graph; data and unit tests are listed, not drawn (as in dbt's docs). */
export const GRAPH_TYPES = new Set(['model', 'seed', 'snapshot', 'task', 'source', 'analysis', 'exposure']);
/** Above this many graph nodes the full-graph layout is left to filtered views in the browser. */
export const MAX_PRECOMPUTED_LAYOUT = 5000;

function testName(t: unknown): string {
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object') return Object.keys(t)[0] ?? String(t);
  return String(t);
}

function siteColumns(n: ProjectNode, cat: CatalogEntry | undefined, ml: ModelLineage | undefined): SiteColumn[] {
  const names: string[] = [];
  const seen = new Set<string>();
  const push = (name: string) => {
    if (seen.has(name.toLowerCase())) return;
    seen.add(name.toLowerCase());
    names.push(name);
  };
  if (cat) for (const c of Object.values(cat.columns).sort((a, b) => a.index - b.index)) push(c.name);
  for (const c of ml?.columns ?? []) if (!c.column.endsWith("*")) push(c.column);
  for (const c of Object.values(n.columns)) push(c.name);
  const lower = <T>(m: Iterable<T>, key: (x: T) => string) => new Map([...m].map((x) => [key(x).toLowerCase(), x]));
  const yaml = lower(Object.values(n.columns), (c) => c.name);
  const catCols = lower(Object.values(cat?.columns ?? {}), (c) => c.name);
  const lin = lower(ml?.columns ?? [], (c: ColumnLineage) => c.column);
  const star = ml?.columns.find((c) => c.column.endsWith('*') && c.unresolved);
  return names.map((name) => {
    const k = name.toLowerCase();
    const y = yaml.get(k);
    let lineage: SiteColumn['lineage'] = null;
    if (ml) {
      const l = lin.get(k);
      if (ml.unresolved) lineage = { upstream: [], unresolved: ml.unresolved };
      else if (l) lineage = { ...(l.transform ? { transform: l.transform } : {}), upstream: l.upstream, ...(l.unresolved ? { unresolved: l.unresolved } : {}) };
      else lineage = { upstream: [], unresolved: star?.unresolved ?? 'the SQL does not produce a column of this name' };
    }
    return {
      name,
      type: catCols.get(k)?.type ?? y?.data_type ?? null,
      description: y?.description ?? '',
      tests: (y?.tests ?? []).map(testName),
      lineage,
    };
  });
}

export function buildSiteData(
  p: ParsedProject,
  compiled: ReadonlyMap<string, string>,
  catalog: Catalog | null,
  lineage: ReadonlyMap<string, ModelLineage>,
  generatedAt = new Date(),
): SiteData {
  const nodes: SiteNode[] = [];
  for (const n of p.nodes.values()) {
    const cat = catalog?.nodes[n.uniqueId] ?? catalog?.sources[n.uniqueId];
    const ml = lineage.get(n.uniqueId);
    const c = compiled.get(n.uniqueId);
    nodes.push({
      id: n.uniqueId,
      name: n.name,
      type: n.resourceType,
      path: n.originalFilePath,
      fqn: n.fqn,
      description: n.description,
      relation: n.relation ? p.ctx.dialect.renderRelation(n.relation) : null,
      materialized: (n.config.materialized as string | undefined) ?? null,
      tags: n.tags,
      config: n.config,
      raw: redact(n.rawCode),
      compiled: c === undefined ? null : redact(c),
      dependsOn: [...n.dependsOn.nodes].sort(),
      columns: siteColumns(n, cat, ml),
      ...(ml?.unresolved ? { lineageUnresolved: ml.unresolved } : {}),
      ...(n.resourceType === 'source' ? { sourceName: String(n.extra?.sourceName ?? '') } : {}),
      database: n.relation?.database ?? null,
      schema: n.relation?.schema ?? null,
      packageName: n.packageName,
      ...(n.resourceType === 'unit_test' ? { unitTest: unitTestView(n) } : {}),
    });
  }
  nodes.sort((a, b) => a.id.localeCompare(b.id));
  const graphIds = new Set(nodes.filter((n) => GRAPH_TYPES.has(n.type)).map((n) => n.id));
  const edges: Array<[string, string]> = [];
  for (const n of nodes) if (graphIds.has(n.id)) for (const d of n.dependsOn) if (graphIds.has(d)) edges.push([d, n.id]);
  const graphNodes = nodes.filter((n) => graphIds.has(n.id)).map((n) => ({ id: n.id, label: n.name }));
  const layout = graphNodes.length <= MAX_PRECOMPUTED_LAYOUT ? layoutGraph(graphNodes, edges) : null;
  const overview = p.docs?.get('__overview__')?.blockContents ?? null;
  return {
    project: { name: p.ctx.project.name, adapter: p.ctx.target.type, generatedAt: generatedAt.toISOString(), overview },
    nodes,
    edges,
    layout,
    graphTypes: [...GRAPH_TYPES],
  };
}

function unitTestView(n: ProjectNode): SiteNode['unitTest'] {
  const spec = n.extra?._unitTest as UnitTestSpec | undefined;
  if (!spec) return undefined;
  const fixture = (f: UnitTestSpec['expect']) => ({ format: f.format, ...(f.rows ? { rows: f.rows } : {}), ...(f.sql ? { sql: redact(f.sql) } : {}) });
  return { model: spec.model, given: spec.given.map((g) => ({ input: g.input, ...fixture(g.fixture) })), expect: fixture(spec.expect) };
}

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`, no line separators. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
