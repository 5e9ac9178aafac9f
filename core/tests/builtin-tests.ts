// dbt's four built-in generic tests, as Jinja macros (`test_unique`, ...). A project's own
// `{% test unique(...) %}` wins: only the ones it does not define are registered.
import type { TemplateEnv } from '../templating/environment.js';
import { loadMacros } from '../templating/macros.js';

const BUILTINS: Record<string, string> = {
  unique: `{% macro test_unique(model, column_name) %}
select {{ column_name }} as unique_field, count(*) as n_records
from {{ model }}
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1
{% endmacro %}`,
  not_null: `{% macro test_not_null(model, column_name) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is null
{% endmacro %}`,
  accepted_values: `{% macro test_accepted_values(model, column_name, values, quote=true) %}
with all_values as (
    select {{ column_name }} as value_field, count(*) as n_records
    from {{ model }}
    group by {{ column_name }}
)
select *
from all_values
where value_field not in (
    {%- for value in values -%}
    {%- if quote -%}'{{ value | replace("'", "''") }}'{%- else -%}{{ value }}{%- endif -%}
    {%- if not loop.last -%}, {% endif -%}
    {%- endfor -%}
)
{% endmacro %}`,
  relationships: `{% macro test_relationships(model, column_name, to, field) %}
with child as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
),
parent as (
    select {{ field }} as to_field
    from {{ to }}
)
select from_field
from child
left join parent on child.from_field = parent.to_field
where parent.to_field is null
{% endmacro %}`,
};

/** Required arguments of each built-in (besides model and column_name). */
export const BUILTIN_ARGS: Record<string, { required: string[]; optional: string[] }> = {
  unique: { required: [], optional: [] },
  not_null: { required: [], optional: [] },
  accepted_values: { required: ['values'], optional: ['quote'] },
  relationships: { required: ['to', 'field'], optional: [] },
};

const registered = new WeakMap<TemplateEnv, ReadonlySet<string>>();

/**
 * The built-in test macros cairn registered (the project did not define its own). They only print
 * their arguments, so a test calling them can be compiled from its parse render.
 */
export function builtinTestMacros(tenv: TemplateEnv): ReadonlySet<string> {
  return registered.get(tenv) ?? new Set();
}

export function registerBuiltinTests(tenv: TemplateEnv): void {
  const missing = Object.keys(BUILTINS).filter((n) => !tenv.hasMacro(`test_${n}`));
  registered.set(tenv, new Set(missing.map((n) => `test_${n}`)));
  if (!missing.length) return;
  // Compiled when a template first calls one (~15 ms): compiling one model never does.
  tenv.addLazyMacros(missing.map((n) => `test_${n}`), () => {
    loadMacros(tenv, [{ path: '<cairn builtin tests>', relPath: 'builtin_tests.sql', root: '', content: missing.map((n) => BUILTINS[n]).join('\n') }]);
  });
}
