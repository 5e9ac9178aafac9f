// What `state:modified` compares: per node, a checksum of its *rendered* SQL with everything that
// differs between targets or runs normalized away (refs, sources and `this` become node ids; ds,
// run_started_at and invocation_id are fixed), a checksum of its resolved config, and its relation
// with the target's schema/database replaced by a placeholder. So prod and a PR target agree on
// every node whose SQL would be the same, and a var or env var only marks the models it changes.
import { checksum as sha } from '../compile/parse-models.js';
import type { Relation } from '../../adapters/adapter.js';
import { compileNode, type CompiledNode } from '../compile/compile-node.js';
import type { CompileContext } from '../compile/context.js';
import type { ParsedProject } from '../compile/parse-project.js';
import type { ProjectNode } from '../project/types.js';
import { SnapshotNode } from '../cache/snapshot-node.js';
import { LazyMap } from '../util/lazy-map.js';

/** Bumped when the fingerprint's meaning changes; a state manifest with another version is refused. */
export const STATE_FORMAT_VERSION = 3;

export interface NodeFingerprint {
  /** sha256 of the normalized rendered SQL (both `is_incremental()` branches), or of the file for seeds. */
  body?: string;
  config: string;
  relation?: string;
}

const RENDERED = new Set(['model', 'test', 'snapshot', 'analysis', 'operation']);
const FIXED_DATE = new Date('2000-01-01T00:00:00Z');

/** JSON with sorted keys, so configs compare by value. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

const placeholder = (id: string): Relation => ({ schema: '__cairn_node__', identifier: id });

/** The relation as `<target>`-relative text: `{target_schema}_staging.orders`. */
export function normalizedRelation(rel: Relation | undefined, targetSchema: string, targetDatabase?: string): string | undefined {
  if (!rel) return undefined;
  const schema = rel.schema === targetSchema ? '{target_schema}' : rel.schema.startsWith(targetSchema + '_') ? '{target_schema}' + rel.schema.slice(targetSchema.length) : rel.schema;
  const db = rel.database === undefined || rel.database === targetDatabase ? '{target_database}' : rel.database;
  return `${db}.${schema}.${rel.identifier}`;
}

export function normalizedProject(p: ParsedProject): ParsedProject {
  const sources = new LazyMap(() => [...p.ctx.sources].map(([k, s]) => [k, { ...s, relation: placeholder(s.uniqueId) }]));
  const ctx: CompileContext = { ...p.ctx, sources, ds: '2000-01-01', runStartedAt: FIXED_DATE, invocationId: '00000000-0000-0000-0000-000000000000' };
  // The graph through a getter: a parse taken from the snapshot builds it only when used.
  const { dag: _unread, ...rest } = Object.getOwnPropertyDescriptors(p);
  return Object.defineProperties({} as ParsedProject, { ...rest, ctx: { value: ctx, enumerable: true, writable: true }, dag: { get: () => p.dag, enumerable: true } });
}

function renderedBody(np: ParsedProject, node: ProjectNode, memo: Map<string, CompiledNode>): string | undefined {
  const self = { ...(node instanceof SnapshotNode ? node.toJSON() : node), relation: placeholder(node.uniqueId) };
  const opts = { relationOverride: (n: ProjectNode) => placeholder(n.uniqueId) };
  try {
    let text = compileNode(np, self, { ...opts, isIncremental: false }, memo).sql;
    if (node.config.materialized === 'incremental') text += '\n-- is_incremental\n' + compileNode(np, self, { ...opts, isIncremental: true }, memo).sql;
    return sha(text);
  } catch {
    // A node that cannot render here has no fingerprint and always compares as modified.
    return undefined;
  }
}

export function fingerprintNode(np: ParsedProject, node: ProjectNode, memo: Map<string, CompiledNode>): NodeFingerprint {
  const t = np.ctx.target;
  const relation = normalizedRelation(node.relation, t.schema, t.database);
  // A source is its (target-relative) relation: `schema: "{{ target.schema }}_raw"` is not a change.
  // Models and tests carry the checksum of their parse render (placeholders for relations, fixed
  // dates), so they need no render here; other rendered kinds are rendered once more.
  const parsed = node.extra?._renderedChecksum as string | undefined;
  const body = node.resourceType === 'source' ? sha(relation ?? '') : parsed ?? (RENDERED.has(node.resourceType) && np.templates.has(node.uniqueId) ? renderedBody(np, node, memo) : node.checksum);
  return { body, config: sha(stableJson(node.config)), relation };
}

export function fingerprintProject(p: ParsedProject): Map<string, NodeFingerprint> {
  const np = normalizedProject(p);
  const memo = new Map<string, CompiledNode>();
  const out = new Map<string, NodeFingerprint>();
  for (const n of p.nodes.values()) out.set(n.uniqueId, fingerprintNode(np, n, memo));
  return out;
}
