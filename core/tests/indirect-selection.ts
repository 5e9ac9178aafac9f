// dbt's default (`eager`) indirect selection: selecting a node in `build`/`test` also selects the
// tests that depend on it (data tests and the model's unit tests), unless those are excluded explicitly.
import type { ParsedProject } from '../compile/parse-project.js';

export function addIndirectTests(p: ParsedProject, selected: Set<string>, excluded: ReadonlySet<string>): void {
  for (const n of p.nodes.values()) {
    if ((n.resourceType !== 'test' && n.resourceType !== 'unit_test') || selected.has(n.uniqueId) || excluded.has(n.uniqueId)) continue;
    if (n.dependsOn.nodes.some((d) => selected.has(d) && p.nodes.get(d)?.resourceType !== 'test' && p.nodes.get(d)?.resourceType !== 'unit_test')) selected.add(n.uniqueId);
  }
}
