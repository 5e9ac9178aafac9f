// dbt's indirect selection: selecting a node in `build`/`test` also selects the tests that depend on
// it (data tests and the model's unit tests), unless those are excluded explicitly. The mode says
// which: `eager` (default) any test touching a selected node; `cautious` only tests all of whose
// parents are selected; `buildable` tests whose parents are selected or upstream of a selected node;
// `empty` none.
import type { ParsedProject } from '../compile/parse-project.js';
import { reachable } from '../graph/dag.js';

export type IndirectSelection = 'eager' | 'cautious' | 'buildable' | 'empty';
export const INDIRECT_SELECTION_MODES: readonly IndirectSelection[] = ['eager', 'cautious', 'buildable', 'empty'];

const isTest = (t: string | undefined) => t === 'test' || t === 'unit_test';

export function addIndirectTests(p: ParsedProject, selected: Set<string>, excluded: ReadonlySet<string>, mode: IndirectSelection = 'eager'): void {
  if (mode === 'empty') return;
  const chosen = [...selected].filter((id) => !isTest(p.nodes.get(id)?.resourceType));
  let upstream: Set<string> | undefined;
  const buildable = () => {
    if (!upstream) {
      upstream = new Set(chosen);
      for (const id of chosen) for (const u of reachable(p.dag, id, 'up').keys()) upstream.add(u);
    }
    return upstream;
  };
  for (const n of p.nodes.values()) {
    if (!isTest(n.resourceType) || selected.has(n.uniqueId) || excluded.has(n.uniqueId)) continue;
    const parents = n.dependsOn.nodes.filter((d) => !isTest(p.nodes.get(d)?.resourceType));
    if (!parents.some((d) => selected.has(d))) continue;
    if (mode === 'eager' || (mode === 'cautious' && parents.every((d) => selected.has(d))) || (mode === 'buildable' && parents.every((d) => buildable().has(d)))) {
      selected.add(n.uniqueId);
    }
  }
}
