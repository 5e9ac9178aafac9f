// Jinja in schema YAML, as dbt's SchemaYamlRenderer has it: a source's `database:`, `schema:`,
// `identifier:`, `loaded_at_field:`, config and meta may use `target`, `var()` and `env_var()`
// (`schema: "{{ target.schema }}_raw"`, `database: "{{ env_var('LAKE') }}"`). Descriptions and tests
// are left as written: dbt renders those later (doc blocks, generic test arguments).
import type { YamlFile } from '../project/yaml-file.js';
import { makeEnvVar, renderYamlValues, stashErrors } from '../templating/yaml-values.js';
import type { CompileContext } from './context.js';
import { lookupVar, publicTarget } from './node-scope.js';
import { registerSecret } from '../util/redact.js';

const NOT_RENDERED = new Set(['description', 'tests', 'data_tests']);

/** Renders one `sources:` entry of a YAML file (at `sources[index]`), keeping error lines true to the file. */
export type SourceRenderer = (yf: YamlFile<Record<string, unknown>>, index: number, entry: Record<string, unknown>) => Record<string, unknown>;

export function sourceRenderer(ctx: CompileContext): SourceRenderer {
  let scope: ReturnType<typeof stashErrors> | undefined;
  return (yf, index, entry) => {
    if (!hasJinja(entry)) return entry;
    scope ??= stashErrors({ target: publicTarget(ctx), env_var: makeEnvVar(ctx.envRead, registerSecret), var: (n: string, ...a: unknown[]) => lookupVar(ctx, undefined, n, a) });
    const sources: unknown[] = [];
    sources[index] = entry;
    const out = renderYamlValues({ ...yf, value: { sources } }, scope, (path) => NOT_RENDERED.has(String(path[path.length - 1])));
    return (out as { sources: Array<Record<string, unknown>> }).sources[index]!;
  };
}

function hasJinja(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('{{') || v.includes('{%');
  if (Array.isArray(v)) return v.some(hasJinja);
  if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => !NOT_RENDERED.has(k) && hasJinja(x));
  return false;
}

