// Current project vs a state manifest: which nodes are new, which changed and how. Built once per
// invocation and handed to the `state:`/`result:` selector methods through SelectionContext.extra.
import type { ParsedProject } from '../compile/parse-project.js';
import { fingerprintProject, type NodeFingerprint } from './fingerprint.js';
import { loadState, type StateManifest } from './load-state.js';

export interface StateComparison {
  state: StateManifest;
  current: Map<string, NodeFingerprint>;
  /** Macro ids whose text changed (or that call one that did), for `state:modified.macros`. */
  changedMacros: Set<string>;
  /** Macro ids each model depends on, for the macro check. */
  nodeMacros: Map<string, string[]>;
}

export function compareState(p: ParsedProject, state: StateManifest): StateComparison {
  const pkg = p.ctx.project.name;
  const bodies = new Map([...p.macros.values()].map((m) => [`macro.${pkg}.${m.name}`, m.body]));
  const changed = new Set<string>();
  for (const [id, body] of bodies) if (state.macros.get(id) !== body) changed.add(id);
  for (const id of state.macros.keys()) if (!bodies.has(id)) changed.add(id);
  // A macro that calls a changed macro is changed too (to a fixpoint: macros call macros).
  let grew = true;
  while (grew) {
    grew = false;
    for (const [id, body] of bodies) {
      if (changed.has(id)) continue;
      for (const c of changed) {
        if (body.includes(c.split('.').pop()! + '(')) {
          changed.add(id);
          grew = true;
          break;
        }
      }
    }
  }
  const nodeMacros = new Map([...p.nodes.values()].map((n) => [n.uniqueId, n.dependsOn.macros]));
  return { state, current: fingerprintProject(p), changedMacros: changed, nodeMacros };
}

export function stateSelectionExtra(p: ParsedProject, stateDir: string): Record<string, unknown> {
  return { state: compareState(p, loadState(stateDir, p.ctx.projectDir)) };
}

export type ModifiedKind = 'body' | 'configs' | 'relation' | 'macros';

export function modifiedKinds(c: StateComparison, id: string): ModifiedKind[] | 'new' {
  const old = c.state.nodes.get(id);
  if (!old) return 'new';
  const cur = c.current.get(id);
  const of = old.fingerprint;
  const out: ModifiedKind[] = [];
  if (!cur || !of || cur.body === undefined || cur.body !== of.body) out.push('body');
  if (!cur || !of || cur.config !== of.config) out.push('configs');
  if ((cur?.relation ?? null) !== (of?.relation ?? null)) out.push('relation');
  if ((c.nodeMacros.get(id) ?? []).some((m) => c.changedMacros.has(m))) out.push('macros');
  return out;
}
