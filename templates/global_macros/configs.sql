{#- dbt's config helpers (dbt-core macros/materializations/configs.sql): the node's own setting,
    else the run's flag. Package tests call them (dbt_utils' expression_is_true:
    `{% if should_store_failures() %}`). No dispatch: dbt has none for these. -#}

{% macro should_full_refresh() -%}
  {%- set v = config.get('full_refresh') -%}
  {%- if v is none -%}{%- set v = flags.FULL_REFRESH -%}{%- endif -%}
  {{ return(v) }}
{%- endmacro %}

{% macro should_store_failures() -%}
  {%- set v = config.get('store_failures') -%}
  {%- if v is none -%}{%- set v = flags.STORE_FAILURES -%}{%- endif -%}
  {{ return(v) }}
{%- endmacro %}
