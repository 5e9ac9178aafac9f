// Parse + select: the first steps of every command.
import type { ParsedProject } from '../compile/parse-project.js';
import { parseProject, type ParseOptions } from '../compile/parse-project.js';
import { selectNodes } from '../graph/selection.js';
import type { SelectionContext } from '../graph/selector-methods.js';
import type { ResourceType } from '../project/types.js';
import type { CommonOptions } from './options.js';
import { CairnError, CairnErrors } from '../errors.js';
import { addIndirectTests } from '../tests/indirect-selection.js';
import { compareState } from '../state/compare.js';
import { loadState } from '../state/load-state.js';
import { staleNodes } from '../ledger/stale.js';
import { evalSelector, loadSelectors } from '../graph/yaml-selectors.js';

export function loadAndParse(o: CommonOptions, parse?: ParseOptions): ParsedProject {
  const p = parseProject(o, o.adapters, parse);
  if (o.warnError && p.warnings.length) {
    const errors = p.warnings.map((w) => new CairnError(w.code, w.message, { ...w.location, hint: w.hint, exitCode: 2 }));
    throw errors.length === 1 ? errors[0]! : new CairnErrors(errors);
  }
  for (const w of p.warnings) o.onEvent?.({ type: 'warning', message: w.format() });
  return p;
}

export function selectionContext(p: ParsedProject, extra?: Record<string, unknown>): SelectionContext {
  // The graph only when a selector walks it (`+x`, `@x`): it may be built on first use (reuse-parse.ts).
  return {
    nodes: p.nodes,
    get dag() {
      return p.dag;
    },
    projectName: p.ctx.project.name,
    fqnHeads: p.fqnHeads,
    extra,
  };
}

export function select(p: ParsedProject, o: CommonOptions, types?: readonly ResourceType[], extra?: Record<string, unknown>): Set<string> {
  // Compare with --state only when a selector needs it (it renders every node once more).
  if (!extra && o.state) {
    const state = loadState(o.state, p.ctx.projectDir);
    const needs = [...(o.select ?? []), ...(o.exclude ?? [])].some((s) => /(^|[\s,+@])(state:(?!stale\b)|result:)/.test(s));
    if (needs) extra = { state: compareState(p, state) };
  }
  // `state:stale` reads the build ledger, only when a selector asks (core/ledger/stale.ts).
  extra = { stale: () => staleNodes(p), ...extra };
  if (o.selector !== undefined && (o.select?.length || o.exclude?.length)) {
    throw new CairnError('USAGE', '--selector does not go with --select or --exclude', { hint: 'put the whole selection in the selector, or use --select/--exclude alone' });
  }
  const yamlSelectors = loadSelectors(p.ctx.projectDir);
  // dbt: a selector with `default: true` applies when the command names no selection of its own.
  const named = o.selector ?? (!o.select?.length && !o.exclude?.length ? yamlSelectors?.selectors.find((s) => s.default)?.name : undefined);
  if (o.selector !== undefined && !yamlSelectors) {
    throw new CairnError('USAGE', `--selector ${o.selector}: there is no selectors.yml in the project folder`, { hint: 'define it in selectors.yml under `selectors:`, as in dbt' });
  }
  let selected: Set<string>;
  if (named !== undefined) selected = evalSelector(selectionContext(p, extra), yamlSelectors!.selectors, named);
  else {
    const r = selectNodes(selectionContext(p, extra), o.select, o.exclude);
    selected = r.selected;
    for (const u of r.unmatched) {
      o.onEvent?.({ type: 'warning', message: `the selection criterion \`${u.criterion}\` does not match any node${u.hint ? ` (${u.hint})` : ''}` });
    }
  }
  if (!types) return selected;
  // Selecting a model in build/test brings its tests along (dbt's indirect selection, eager by default).
  if (types.includes('test') && (o.select?.length || named !== undefined)) {
    addIndirectTests(p, selected, o.exclude?.length ? selectNodes(selectionContext(p, extra), o.exclude).selected : new Set(), o.indirectSelection);
  }
  const t = new Set(types);
  return new Set([...selected].filter((id) => t.has(p.nodes.get(id)!.resourceType)));
}
