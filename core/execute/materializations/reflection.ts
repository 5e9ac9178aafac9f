// `reflection` nodes (Dremio): a raw or aggregation reflection on the model the node refs (or on
// `anchor`), created or updated through the adapter's REST API. The node's SQL only carries the ref.
import { CairnError } from '../../errors.js';
import type { Materialization } from '../node-context.js';
import { checkReflectionNode, reflectionAnchor } from '../../compile/reflection-check.js';

const list = (v: unknown): string[] | undefined => (v === undefined || v === null ? undefined : Array.isArray(v) ? v.map(String) : String(v).split(',').map((s) => s.trim()).filter(Boolean));

export const reflection: Materialization = async (nc) => {
  const { node, adapter, p } = nc;
  const cfg = node.config;
  (await nc.compile(false));
  const bad = (msg: string, hint?: string) => new CairnError('CONFIG_INVALID', `reflection ${node.name}: ${msg}`, { node: node.name, file: node.originalFilePath, hint, exitCode: 1 });
  if (!adapter.upsertReflection) throw bad(`the ${adapter.type} adapter has no reflections`, 'reflections exist on Dremio targets only');
  const anchorName = String(cfg.anchor ?? node.refs[0]?.name ?? '');
  const anchor = reflectionAnchor(p, node);
  if (!anchor?.relation) throw bad(`cannot find the model it is on (\`${anchorName || 'none'}\`)`, "ref it in the SQL (-- {{ ref('my_model') }}) or set config(anchor='my_model')");
  const type = String(cfg.reflection_type ?? 'raw').toLowerCase();
  if (type !== 'raw' && type !== 'aggregate' && type !== 'aggregation') throw bad(`unknown reflection_type \`${type}\``, 'use raw or aggregate');
  const located = (e: unknown) => (e instanceof CairnError ? new CairnError(e.code, e.message, { node: node.name, file: node.originalFilePath, hint: e.hint, exitCode: 1 }) : e);
  try {
    checkReflectionNode(p, node);
  } catch (e) {
    throw located(e);
  }
  const r = await adapter.upsertReflection({
    name: String(cfg.alias ?? node.name),
    type: type === 'raw' ? 'RAW' : 'AGGREGATION',
    dataset: anchor.relation,
    display: list(cfg.display),
    dimensions: list(cfg.dimensions),
    measures: list(cfg.measures),
    computations: cfg.computations,
    partitionBy: list(cfg.partition_by),
    localSortBy: list(cfg.localsort_by),
    distributionBy: list(cfg.distribute_by),
    enabled: cfg.enabled_reflection !== false,
  }, { signal: nc.signal, nodeId: node.uniqueId }).catch((e: unknown) => { throw located(e); });
  return { status: 'success', message: `${r.created ? 'created' : 'updated'} reflection ${r.id}`, jobId: r.id };
};
