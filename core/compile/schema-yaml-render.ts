// Jinja in schema YAML, as dbt's SchemaYamlRenderer has it: a source's `database:`, `schema:`,
// `identifier:`, `loaded_at_field:`, config and meta, and a model's (seed's, snapshot's) `config:`,
// `meta:`, `tags:` and `docs:` may use `target`, `var()` and `env_var()` (`schema: "{{ target.schema
// }}_raw"`, `materialized: "{{ 'table' if target.name == 'prod' else 'view' }}"`). Descriptions and
// tests are left as written: dbt renders those later (doc blocks, generic test arguments).
import type { Patch } from '../project/schema-yaml.js';
import type { YamlFile } from '../project/yaml-file.js';
import { CairnError, isCairnError } from '../errors.js';
import { makeEnvVar, renderYamlValues, stashErrors } from '../templating/yaml-values.js';
import type { CompileContext } from './context.js';
import { lookupVar, publicTarget } from './node-scope.js';
import { registerSecret } from '../util/redact.js';

const NOT_RENDERED = new Set(['description', 'tests', 'data_tests']);
// Hooks render when they run (with `this`), as dbt's SchemaYamlRenderer leaves them.
const HOOKS = new Set(['pre_hook', 'post_hook', 'pre-hook', 'post-hook']);

/** Renders one `sources:` entry of a YAML file (at `sources[index]`), keeping error lines true to the file. */
export type SourceRenderer = (yf: YamlFile<Record<string, unknown>>, index: number, entry: Record<string, unknown>) => Record<string, unknown>;

function yamlScope(ctx: CompileContext) {
  return stashErrors({ target: publicTarget(ctx), env_var: makeEnvVar(ctx.envRead, registerSecret), var: (n: string, ...a: unknown[]) => lookupVar(ctx, undefined, n, a) });
}

/** Renders the Jinja in each patch's config, meta, tags and docs, in place (once per parse). */
export function renderPatches(ctx: CompileContext, patches: readonly Patch[]): void {
  let scope: ReturnType<typeof stashErrors> | undefined;
  for (const p of patches) {
    for (const key of ['config', 'meta', 'tags', 'docs'] as const) {
      const value = p[key];
      if (!hasJinja(value)) continue;
      scope ??= yamlScope(ctx);
      // The patch may come from the YAML cache, without the parsed document: errors get the entry's line.
      const file = { file: p.file, value, doc: { contents: null }, lineCounter: undefined } as unknown as YamlFile<typeof value>;
      try {
        (p as unknown as Record<string, unknown>)[key] = renderYamlValues(file, scope, (path) => NOT_RENDERED.has(String(path[path.length - 1])) || path.some((k) => HOOKS.has(String(k))));
      } catch (e) {
        if (!isCairnError(e)) throw e;
        throw new CairnError(e.code, `${e.message} (in \`${key}:\` of ${p.kind.slice(0, -1)} ${p.name})`, { file: p.file, line: p.line, hint: e.hint });
      }
    }
  }
}

export function sourceRenderer(ctx: CompileContext): SourceRenderer {
  let scope: ReturnType<typeof stashErrors> | undefined;
  return (yf, index, entry) => {
    if (!hasJinja(entry)) return entry;
    scope ??= yamlScope(ctx);
    const sources: unknown[] = [];
    sources[index] = entry;
    const out = renderYamlValues({ ...yf, value: { sources } }, scope, (path) => NOT_RENDERED.has(String(path[path.length - 1])));
    return (out as { sources: Array<Record<string, unknown>> }).sources[index]!;
  };
}

function hasJinja(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('{{') || v.includes('{%');
  if (Array.isArray(v)) return v.some(hasJinja);
  if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => !NOT_RENDERED.has(k) && !HOOKS.has(k) && hasJinja(x));
  return false;
}

