// dbt's node selection syntax: space-separated criteria are a union, comma-joined ones an
// intersection; each criterion is `[N+][@]method:value[+N]`.
import { CairnError } from '../errors.js';
import { didYouMean } from '../util/did-you-mean.js';
import { reachable } from './dag.js';
import { configMethod, selectorMethods, type SelectionContext } from './selector-methods.js';

export interface SelectionResult {
  selected: Set<string>;
  /** Criteria that matched nothing (dbt warns about these rather than failing). */
  unmatched: Array<{ criterion: string; hint?: string }>;
}

const CRITERION = /^(?<at>@)?(?:(?<up>\d*)\+)?(?<body>[^+@]+?)(?:\+(?<down>\d*))?$/;

function splitArgs(args: readonly string[] | undefined): string[] {
  return (args ?? []).flatMap((a) => a.split(/\s+/)).filter(Boolean);
}

function evalCriterion(crit: string, ctx: SelectionContext, unmatched: SelectionResult['unmatched']): Set<string> {
  const m = CRITERION.exec(crit);
  if (!m || !m.groups) {
    throw new CairnError('SELECTOR_INVALID', `invalid selector \`${crit}\``, { hint: 'forms: name, +name, name+, 2+name, @name, tag:x, path:models/x, config.materialized:view' });
  }
  const { at, up, body, down } = m.groups;
  const colon = body!.indexOf(':');
  let method = 'fqn';
  let value = body!;
  if (colon >= 0) {
    method = body!.slice(0, colon);
    value = body!.slice(colon + 1);
  } else if (body!.includes('/') || body!.endsWith('.sql')) {
    method = 'path';
  }
  let fn = selectorMethods[method];
  if (!fn && method.startsWith('config.')) fn = configMethod(method.slice('config.'.length));
  if (!fn) {
    const known = [...Object.keys(selectorMethods), 'config.<key>'];
    throw new CairnError('SELECTOR_INVALID', `unknown selector method \`${method}\` in \`${crit}\``, {
      hint: didYouMean(method, Object.keys(selectorMethods)) ?? `methods: ${known.join(', ')}`,
    });
  }
  if (value === '') throw new CairnError('SELECTOR_INVALID', `selector \`${crit}\` has no value after \`${method}:\``, { hint: `e.g. ${method}:something` });
  const base = fn(value, ctx);
  if (base.size === 0) {
    const names = [...ctx.nodes.values()].map((n) => n.name);
    unmatched.push({ criterion: crit, hint: method === 'fqn' ? didYouMean(value, names) : undefined });
  }
  const out = new Set(base);
  const depth = (s: string | undefined) => (s === undefined ? 0 : s === '' ? Infinity : Number(s));
  const upN = up !== undefined ? depth(up) : 0;
  const downN = down !== undefined ? depth(down) : 0;
  for (const id of base) {
    if (upN) for (const a of reachable(ctx.dag, id, 'up', upN).keys()) out.add(a);
    if (downN || at) for (const d of reachable(ctx.dag, id, 'down', at ? Infinity : downN).keys()) out.add(d);
  }
  if (at) for (const id of [...out]) for (const a of reachable(ctx.dag, id, 'up').keys()) out.add(a);
  return out;
}

function evalUnion(tokens: string[], ctx: SelectionContext, unmatched: SelectionResult['unmatched']): Set<string> {
  const out = new Set<string>();
  for (const tok of tokens) {
    const parts = tok.split(',').filter(Boolean);
    let acc: Set<string> | undefined;
    for (const part of parts) {
      const s = evalCriterion(part, ctx, unmatched);
      acc = acc === undefined ? s : new Set([...acc].filter((x) => s.has(x)));
    }
    for (const x of acc ?? []) out.add(x);
  }
  return out;
}

export function selectNodes(ctx: SelectionContext, select?: readonly string[], exclude?: readonly string[]): SelectionResult {
  const unmatched: SelectionResult['unmatched'] = [];
  const sel = splitArgs(select);
  const selected = sel.length ? evalUnion(sel, ctx, unmatched) : new Set(ctx.nodes.keys());
  const exc = splitArgs(exclude);
  if (exc.length) for (const x of evalUnion(exc, ctx, unmatched)) selected.delete(x);
  return { selected, unmatched };
}
