// dbt's YAML selectors (`selectors.yml`, `--selector NAME`): named definitions of unions,
// intersections and excludes over the same methods as --select. A leaf becomes one --select
// criterion (`2+tag:nightly+`) evaluated by selection.ts; the set operations are done here.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CairnError } from '../errors.js';
import { lineOf, readYaml, type YamlFile } from '../project/yaml-file.js';
import { didYouMean } from '../util/did-you-mean.js';
import { selectNodes } from './selection.js';
import type { SelectionContext } from './selector-methods.js';

export interface YamlSelector {
  name: string;
  description?: string;
  default: boolean;
  definition: unknown;
  line?: number;
}

export const SELECTORS_FILE = 'selectors.yml';

export function loadSelectors(projectDir: string): { file: YamlFile; selectors: YamlSelector[] } | undefined {
  const path = join(projectDir, SELECTORS_FILE);
  if (!existsSync(path)) return undefined;
  const file = readYaml<{ selectors?: unknown }>(path, SELECTORS_FILE);
  const list = file.value?.selectors;
  if (!Array.isArray(list)) throw new CairnError('CONFIG_INVALID', '`selectors.yml` must have a `selectors:` list', { file: SELECTORS_FILE, line: 1 });
  const selectors = list.map((s, i): YamlSelector => {
    const e = s as Record<string, unknown>;
    if (!e || typeof e.name !== 'string' || e.definition === undefined) {
      throw new CairnError('CONFIG_INVALID', `selector ${i + 1} needs a \`name:\` and a \`definition:\``, { file: SELECTORS_FILE, line: lineOf(file, ['selectors', i]) });
    }
    return { name: e.name, description: typeof e.description === 'string' ? e.description : undefined, default: e.default === true, definition: e.definition, line: lineOf(file, ['selectors', i]) };
  });
  if (selectors.filter((s) => s.default).length > 1) {
    throw new CairnError('CONFIG_INVALID', `more than one selector has \`default: true\` (${selectors.filter((s) => s.default).map((s) => s.name).join(', ')})`, { file: SELECTORS_FILE });
  }
  return { file, selectors };
}

/** The node ids a named selector picks. */
export function evalSelector(ctx: SelectionContext, all: readonly YamlSelector[], name: string): Set<string> {
  const sel = all.find((s) => s.name === name);
  if (!sel) {
    throw new CairnError('USAGE', `no selector named \`${name}\` in ${SELECTORS_FILE}`, { hint: didYouMean(name, all.map((s) => s.name)) ?? `selectors there: ${all.map((s) => s.name).join(', ') || 'none'}` });
  }
  const fail = (msg: string) => new CairnError('CONFIG_INVALID', `selector \`${name}\`: ${msg}`, { file: SELECTORS_FILE, line: sel.line, hint: 'see dbt\'s YAML selector syntax: union, intersection, exclude, method/value' });
  const seen = new Set<string>([name]);

  const leaf = (criterion: string): Set<string> => {
    const m = /^selector:(.+)$/.exec(criterion);
    if (m) {
      if (seen.has(m[1]!)) throw fail(`selector \`${m[1]}\` refers back to itself`);
      seen.add(m[1]!);
      const r = evalSelector(ctx, all, m[1]!);
      seen.delete(m[1]!);
      return r;
    }
    return selectNodes(ctx, [criterion]).selected;
  };
  const methodLeaf = (o: Record<string, unknown>): string => {
    const depth = (v: unknown) => (typeof v === 'number' ? String(v) : '');
    const up = o.parents === true ? `${depth(o.parents_depth)}+` : '';
    const down = o.children === true ? `+${depth(o.children_depth)}` : '';
    return `${o.childrens_parents === true ? '@' : ''}${up}${o.method}:${String(o.value)}${down}`;
  };
  const walk = (d: unknown): Set<string> => {
    if (typeof d === 'string') return leaf(d);
    if (!d || typeof d !== 'object' || Array.isArray(d)) throw fail(`cannot read the definition part ${JSON.stringify(d)}`);
    const o = d as Record<string, unknown>;
    if (Array.isArray(o.union)) return combine(o.union, 'union');
    if (Array.isArray(o.intersection)) return combine(o.intersection, 'intersection');
    if (typeof o.method === 'string') return leaf(o.method === 'selector' ? `selector:${String(o.value)}` : methodLeaf(o));
    const keys = Object.keys(o).filter((k) => k !== 'exclude');
    // The shorthand `{tag: nightly}` is `{method: tag, value: nightly}`.
    if (keys.length === 1 && typeof o[keys[0]!] !== 'object') return leaf(keys[0] === 'selector' ? `selector:${String(o[keys[0]!])}` : `${keys[0]}:${String(o[keys[0]!])}`);
    throw fail(`cannot read the definition part ${JSON.stringify(d)}`);
  };
  const combine = (items: unknown[], op: 'union' | 'intersection'): Set<string> => {
    let acc: Set<string> | undefined;
    const excluded = new Set<string>();
    for (const item of items) {
      if (item && typeof item === 'object' && !Array.isArray(item) && 'exclude' in item && Object.keys(item).length === 1) {
        const ex = (item as { exclude: unknown }).exclude;
        for (const part of Array.isArray(ex) ? ex : [ex]) for (const id of walk(part)) excluded.add(id);
        continue;
      }
      const s = walk(item);
      acc = !acc ? s : op === 'union' ? new Set([...acc, ...s]) : new Set([...acc].filter((x) => s.has(x)));
    }
    return new Set([...(acc ?? [])].filter((x) => !excluded.has(x)));
  };
  return walk(sel.definition);
}
