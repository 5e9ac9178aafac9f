// `--defer --state DIR`: a ref to a model that is neither part of this invocation nor built in this
// target resolves to the relation the state manifest recorded (e.g. prod), so a PR builds only what
// changed. Decided once before the run (existence needs the engine; rendering is synchronous).
import type { Adapter, Relation } from '../../adapters/adapter.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { CairnError } from '../errors.js';
import type { ProjectNode } from '../project/types.js';
import type { StateManifest } from './load-state.js';

const REFABLE = new Set(['model', 'seed', 'snapshot']);

export function requireStateForDefer(defer: boolean | undefined, state: string | undefined, favorState?: boolean): void {
  if (favorState && !defer) throw new CairnError('USAGE', '--favor-state goes with --defer', { hint: 'e.g. --defer --favor-state --state prod-target/' });
  if (defer && !state) {
    throw new CairnError('USAGE', '--defer needs --state: there is no other target to defer to', {
      hint: 'pass the target folder of a production run, e.g. --defer --state prod-target/',
    });
  }
}

export function stateRelation(state: StateManifest, id: string): Relation | undefined {
  const s = state.nodes.get(id);
  if (!s || s.schema === null || s.materialized === 'ephemeral') return undefined;
  return { database: s.database ?? undefined, schema: s.schema, identifier: s.alias };
}

/**
 * The relation override for a run of `running` nodes: parents outside the run and missing here go to
 * the state. With `favorState` (dbt's --favor-state) they go to the state even when built here.
 */
export async function deferredRelations(p: ParsedProject, adapter: Adapter, state: StateManifest, running: ReadonlySet<string>, favorState = false): Promise<Map<string, Relation>> {
  const candidates = new Set<string>();
  const seen = new Set<string>();
  const visit = (n: ProjectNode) => {
    for (const d of n.dependsOn.nodes) {
      const parent = p.nodes.get(d);
      if (!parent || running.has(d) || !REFABLE.has(parent.resourceType) || seen.has(d)) continue;
      seen.add(d);
      // An ephemeral parent is inlined, so its own refs are what the run reads.
      if (parent.config.materialized === 'ephemeral') visit(parent);
      else candidates.add(d);
    }
  };
  for (const id of running) visit(p.nodes.get(id)!);
  const out = new Map<string, Relation>();
  for (const id of [...candidates].sort()) {
    const node = p.nodes.get(id)!;
    const rel = stateRelation(state, id);
    if (!rel || !node.relation) continue;
    if (favorState || (await adapter.getRelationKind(node.relation)) === null) out.set(id, rel);
  }
  return out;
}
