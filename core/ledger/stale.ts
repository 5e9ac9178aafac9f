// `state:stale`: the nodes a `--changed-only` build would rebuild, and why, from the build ledger and
// the project alone (no engine, nothing runs). The rules are ChangedOnly.decide's, with what only a
// run can know taken as changed: a source's data version (its loaded_at_field or snapshot id) is
// read at run time, so what reads a source is stale; a relation dropped outside cairn is not seen.
// Files read by path (DuckDB read_csv(), copy_into locations) are stat'ed here as a run would.
// Staleness flows downstream: a table that will be rebuilt gets a new version, so its readers rebuild.
import { targetDir } from '../artifacts/paths.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { topoOrder } from '../graph/dag.js';
import type { ProjectNode } from '../project/types.js';
import { BuildLedger } from './build-ledger.js';
import { buildAfterMs, neverReusedReason, nodeRender } from './changed-only.js';
import { alwaysBuiltReason, FILES_PREFIX, filesLabel, nodeFileVersion } from './file-inputs.js';

const BUILT = new Set(['model', 'seed', 'snapshot', 'test', 'unit_test', 'task']);
const computed = new WeakMap<ParsedProject, Map<string, string>>();

/** Stale node id -> why; computed once per parsed project. */
export function staleNodes(p: ParsedProject): Map<string, string> {
  let m = computed.get(p);
  if (!m) {
    m = compute(p);
    computed.set(p, m);
  }
  return m;
}

/** The stale map if a selector already asked for it (so `ls` can say why without computing it otherwise). */
export const staleIfComputed = (p: ParsedProject): Map<string, string> | undefined => computed.get(p);

function label(n: ProjectNode): string {
  return n.resourceType === 'source' ? `source ${String(n.extra?.sourceName)}.${n.name}` : n.name;
}

function compute(p: ParsedProject): Map<string, string> {
  const ledger = BuildLedger.open(targetDir(p.ctx.projectDir, p.ctx.project.targetPath), p.ctx.target.name);
  const stale = new Map<string, string>();
  const renders = new Map<string, { fingerprint?: string; sql?: string }>();
  const render = (n: ProjectNode) => {
    if (!renders.has(n.uniqueId)) renders.set(n.uniqueId, nodeRender(p, n));
    return renders.get(n.uniqueId)!;
  };
  const fp = (n: ProjectNode) => render(n).fingerprint;

  /** Each input's version as a run would see it, or why it is changed now. */
  const inputs = (node: ProjectNode): Record<string, string> | { why: string } => {
    const out: Record<string, string> = {};
    const seen = new Set<string>();
    const visit = (n: ProjectNode): string | undefined => {
      const files = nodeFileVersion(p, n, render(n).sql);
      if (files === null) return `${filesLabel(p, FILES_PREFIX + n.uniqueId)} cannot be versioned`;
      if (files !== undefined) out[FILES_PREFIX + n.uniqueId] = files;
      for (const d of n.dependsOn.nodes) {
        if (seen.has(d)) continue;
        seen.add(d);
        const parent = p.nodes.get(d);
        if (!parent || parent.resourceType === 'test' || parent.resourceType === 'unit_test') continue;
        const kind = parent.config.materialized;
        if (parent.resourceType === 'model' && (kind === 'ephemeral' || kind === 'view')) {
          if (kind === 'view') {
            const f = fp(parent);
            if (f === undefined) return `${parent.name} cannot be rendered`;
            out[d] = `view:${f}`;
          }
          const why = visit(parent);
          if (why) return why;
          continue;
        }
        if (parent.resourceType === 'source') return `${label(parent)}: its data version is known only at run time`;
        if (stale.has(d)) return `${parent.name} will be rebuilt`;
        const v = ledger.get(d)?.version;
        if (v === undefined) return `${parent.name} has no known data version`;
        out[d] = v;
      }
      return undefined;
    };
    const why = visit(node);
    return why ? { why } : out;
  };

  for (const id of topoOrder(p.dag)) {
    const node = p.nodes.get(id);
    if (!node || !BUILT.has(node.resourceType)) continue;
    const kind = String(node.config.materialized ?? '');
    const always = alwaysBuiltReason(p, node) ?? neverReusedReason(node);
    if (always) {
      stale.set(id, always);
      continue;
    }
    const e = ledger.get(id);
    if (!e) { stale.set(id, 'no successful build recorded'); continue; }
    const f = fp(node);
    if (f === undefined || f !== e.fingerprint) { stale.set(id, 'its code or config changed'); continue; }
    if (kind === 'view' && node.resourceType === 'model') continue; // its data is live
    const now = inputs(node);
    if ('why' in now) { stale.set(id, now.why as string); continue; }
    const changed = Object.keys({ ...now, ...e.inputs }).find((k) => now[k] !== e.inputs[k]);
    if (changed === undefined) continue;
    const cap = buildAfterMs(node.config.build_after);
    if (cap !== undefined && Date.now() - Date.parse(e.builtAt) < cap) continue;
    const parent = p.nodes.get(changed);
    stale.set(id, `${filesLabel(p, changed) ?? (parent ? label(parent) : changed)} changed since its last build`);
  }
  return stale;
}
