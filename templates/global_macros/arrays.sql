{#- All elements must share one type. -#}
{% macro array_construct(inputs=[], data_type=none) -%}
  {{ adapter.dispatch('array_construct', 'dbt')(inputs, data_type or api.Column.translate_type('integer')) }}
{%- endmacro %}
{% macro default__array_construct(inputs, data_type) -%}
  {%- if inputs | length > 0 -%}array[{{ inputs | join(', ') }}]{%- else -%}cast(array[] as {{ data_type }}[]){%- endif -%}
{%- endmacro %}
{% macro dremio__array_construct(inputs, data_type) -%}
  {%- if inputs | length > 0 -%}
    ARRAY[{{ inputs | join(', ') }}]
  {%- else -%}
    {{ exceptions.raise_compiler_error("array_construct() with no inputs is not supported on Dremio: it cannot construct an empty array") }}
  {%- endif -%}
{%- endmacro %}

{% macro array_append(array, new_element) -%}{{ adapter.dispatch('array_append', 'dbt')(array, new_element) }}{%- endmacro %}
{% macro default__array_append(array, new_element) -%}array_append({{ array }}, {{ new_element }}){%- endmacro %}

{% macro array_concat(array_1, array_2) -%}{{ adapter.dispatch('array_concat', 'dbt')(array_1, array_2) }}{%- endmacro %}
{% macro default__array_concat(array_1, array_2) -%}array_cat({{ array_1 }}, {{ array_2 }}){%- endmacro %}
{% macro dremio__array_concat(array_1, array_2) -%}ARRAY_CONCAT({{ array_1 }}, {{ array_2 }}){%- endmacro %}
