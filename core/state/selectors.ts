// `state:new`, `state:modified[.body|.configs|.relation|.macros]`, `state:unmodified`, `state:old`
// and `result:<status>`: selector methods over a StateComparison (see compare.ts). `state:stale` needs
// no --state: it compares with the target's build ledger (core/ledger/stale.ts).
//
// Plain `state:modified` is new ∪ body ∪ configs ∪ relation: the rendered SQL already reflects every
// macro change that matters, so a macro edit that renders the same SQL marks nothing (use
// `state:modified.macros` to select every model that calls a changed macro).
import { CairnError } from '../errors.js';
import type { SelectionContext, SelectorMethod } from '../graph/selector-methods.js';
import { modifiedKinds, type ModifiedKind, type StateComparison } from './compare.js';

const SUB = new Set(['body', 'configs', 'relation', 'macros']);

function comparison(ctx: SelectionContext, method: string): StateComparison {
  const c = ctx.extra?.state as StateComparison | undefined;
  if (!c) {
    throw new CairnError('USAGE', `the \`${method}:\` selector needs --state`, { hint: `pass the target folder of an earlier run, e.g. --select ${method}:${method === 'state' ? 'modified' : 'error'} --state prod-target/` });
  }
  return c;
}

const selectable = (ctx: SelectionContext) => [...ctx.nodes.values()];

export const stateMethod: SelectorMethod = (value, ctx) => {
  if (value === 'stale') {
    const stale = (ctx.extra?.stale as (() => ReadonlyMap<string, string>) | undefined)?.();
    if (!stale) throw new CairnError('USAGE', '`state:stale` needs a parsed project', { hint: 'use it with cairn ls, build or run' });
    return new Set([...ctx.nodes.keys()].filter((id) => stale.has(id)));
  }
  const c = comparison(ctx, 'state');
  const [kind, sub] = value.split('.') as [string, string | undefined];
  const out = new Set<string>();
  if (kind === 'new' || kind === 'old') {
    for (const n of selectable(ctx)) if (c.state.nodes.has(n.uniqueId) === (kind === 'old')) out.add(n.uniqueId);
    return out;
  }
  if (kind !== 'modified' && kind !== 'unmodified') {
    throw new CairnError('SELECTOR_INVALID', `unknown state selector \`state:${value}\``, { hint: 'use state:new, state:old, state:modified, state:unmodified, state:stale, or state:modified.body|configs|relation|macros' });
  }
  if (sub !== undefined && !SUB.has(sub)) {
    throw new CairnError('SELECTOR_INVALID', `unknown state sub-selector \`state:${value}\``, { hint: 'use state:modified.body, .configs, .relation or .macros' });
  }
  for (const n of selectable(ctx)) {
    const kinds = modifiedKinds(c, n.uniqueId);
    let hit: boolean;
    if (kinds === 'new') hit = sub === undefined;
    else if (sub) hit = kinds.includes(sub as ModifiedKind);
    else hit = kinds.some((k) => k !== 'macros');
    if (kind === 'unmodified') hit = kinds !== 'new' && kinds.filter((k) => k !== 'macros').length === 0;
    if (hit) out.add(n.uniqueId);
  }
  return out;
};

const STATUSES = new Set(['success', 'error', 'fail', 'skipped', 'pass', 'warn']);

export const resultMethod: SelectorMethod = (value, ctx) => {
  const c = comparison(ctx, 'result');
  if (!STATUSES.has(value)) {
    throw new CairnError('SELECTOR_INVALID', `unknown result status \`result:${value}\``, { hint: `use one of ${[...STATUSES].join(', ')}` });
  }
  const out = new Set<string>();
  for (const n of selectable(ctx)) if (c.state.results.get(n.uniqueId) === value) out.add(n.uniqueId);
  return out;
};
