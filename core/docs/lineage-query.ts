// `cairn lineage model.column`: one column's upstream and downstream columns, computed from the
// compiled SQL (no engine needed; target/catalog.json, when present, expands `select *`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../api/compile.js';
import type { CommonOptions } from '../api/options.js';
import { targetDir } from '../artifacts/paths.js';
import { CairnError } from '../errors.js';
import { downstreamOf, loadSqlParser, upstreamOf, type ModelLineage } from '../lineage/index.js';
import type { ProjectNode } from '../project/types.js';
import { didYouMean } from '../util/did-you-mean.js';
import { catalogColumns, type Catalog } from './catalog.js';
import { computeProjectLineage } from './column-lineage.js';

export interface LineageQueryOptions extends CommonOptions {
  /** `model.column`, `source_name.table.column` or `<unique_id>.column`. */
  spec: string;
  upstream?: boolean;
  downstream?: boolean;
}

export interface LineageColumnRef {
  node: string;
  name: string;
  column: string;
  depth: number;
}

export interface LineageQueryResult {
  node: string;
  name: string;
  column: string;
  transform?: string;
  unresolved?: string;
  upstream?: LineageColumnRef[];
  downstream?: LineageColumnRef[];
}

function findNode(nodes: Map<string, ProjectNode>, spec: string): { node: ProjectNode; column: string } {
  const dot = spec.lastIndexOf('.');
  if (dot <= 0 || dot === spec.length - 1) {
    throw new CairnError('USAGE', `\`${spec}\` is not of the form model.column`, { hint: 'e.g. cairn lineage orders_summary.total_amount' });
  }
  const head = spec.slice(0, dot);
  const column = spec.slice(dot + 1);
  const all = [...nodes.values()].filter((n) => n.resourceType !== 'test');
  const node =
    nodes.get(head) ??
    all.find((n) => n.name === head && n.resourceType !== 'source') ??
    all.find((n) => n.resourceType === 'source' && `${String(n.extra?.sourceName)}.${n.name}` === head);
  if (!node) {
    const names = all.map((n) => (n.resourceType === 'source' ? `${String(n.extra?.sourceName)}.${n.name}` : n.name));
    throw new CairnError('USAGE', `no model, seed, snapshot or source named \`${head}\``, { hint: didYouMean(head, names) ?? 'the part before the last dot is the node name' });
  }
  return { node, column };
}

export async function lineageQuery(o: LineageQueryOptions): Promise<LineageQueryResult> {
  const { project: p, compiled } = await compile({ ...o, select: undefined, exclude: undefined, connect: false });
  const { node, column } = findNode(p.nodes, o.spec);
  const tdir = targetDir(p.ctx.projectDir, p.ctx.project.targetPath);
  let catalog: Catalog | null = null;
  if (existsSync(join(tdir, 'catalog.json'))) {
    try {
      catalog = JSON.parse(readFileSync(join(tdir, 'catalog.json'), 'utf8')) as Catalog;
    } catch {
      catalog = null; // a stale or broken catalog only means less `select *` expansion
    }
  }
  await loadSqlParser();
  const lineage: Map<string, ModelLineage> = computeProjectLineage(p, compiled, catalogColumns(catalog));
  const ml = lineage.get(node.uniqueId);
  const col = ml?.columns.find((c) => c.column.toLowerCase() === column.toLowerCase());
  const known = [...new Set([...(ml?.columns.map((c) => c.column) ?? []), ...Object.keys(node.columns)])].filter((c) => !c.endsWith('*'));
  const isKnown = col || known.some((k) => k.toLowerCase() === column.toLowerCase());
  if (!isKnown && !ml?.unresolved && !ml?.columns.some((c) => c.column.endsWith('*'))) {
    throw new CairnError('USAGE', `${node.resourceType} \`${node.name}\` has no column \`${column}\``, {
      hint: didYouMean(column, known) ?? (known.length ? `its columns: ${known.join(', ')}` : undefined),
    });
  }
  const named = (hops: Array<{ relation: string; column: string; depth: number }>): LineageColumnRef[] =>
    hops.map((h) => ({ node: h.relation, name: nameOf(p.nodes.get(h.relation)) ?? h.relation, column: h.column, depth: h.depth }));
  const both = !o.upstream && !o.downstream;
  const unresolved = ml?.unresolved ?? col?.unresolved ?? (ml && !col ? ml.columns.find((c) => c.column.endsWith('*'))?.unresolved : undefined);
  return {
    node: node.uniqueId,
    name: nameOf(node)!,
    column: col?.column ?? column,
    ...(col?.transform ? { transform: col.transform } : {}),
    ...(unresolved ? { unresolved } : {}),
    ...(o.upstream || both ? { upstream: named(upstreamOf(lineage, node.uniqueId, column)) } : {}),
    ...(o.downstream || both ? { downstream: named(downstreamOf(lineage, node.uniqueId, column)) } : {}),
  };
}

function nameOf(n: ProjectNode | undefined): string | undefined {
  if (!n) return undefined;
  return n.resourceType === 'source' ? `${String(n.extra?.sourceName)}.${n.name}` : n.name;
}
